//! Stage 4: the search index, built from the finished [`Site`] into the [`Output`] beside the pages.
//!
//! Readers on metered connections must not download a whole index to look up one value, and a
//! site copied to a laptop must search from `file://`, where `fetch` is refused. So the index is
//! many small JavaScript files that the browser loads with `<script>` tags, only those a query needs:
//!
//! - `search/index.js`: the manifest (document counts, the first term of each term shard, stop words);
//! - `search/i/N.js`: a term shard, a sorted range of terms with their postings;
//! - `search/p/N.js`: one page's title, URL and text by section, for the excerpt and the link to
//!   the matching heading, loaded only for the results shown;
//! - `search/r/N.js`: the fields of a chunk of threshold records, shown as the value itself.
//!
//! `themes/insop/static/search.js` reads them; [`text`] holds the word rules both sides share.
//!
//! Each language has its own index, `search/` for the default and `fr/search/` for French, over
//! the pages of that language and the records with their names in it: a reader searches in the
//! language they read, and downloads nothing of the others.

mod docs;
mod extract;
mod shards;
pub mod text;

use crate::build_cache::BuildCache;
use crate::model::{Lang, PageId, Site};
use crate::output::Output;
use docs::Doc;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where the index lives in the output.
pub const DIR: &str = "search";

/// Pages indexed in parallel at a time: bounds the memory held by term lists not yet merged.
const BATCH: usize = 512;

/// Adds the index files of every language to `output`. With the build cache, a language whose
/// pages, records and strings are all as in the last build takes that build's index files, and
/// one where only a few pages' text changed is brought up to date from them ([`update`]).
pub fn build(site: &Site, output: &mut Output, mut stored: Option<&mut BuildCache>) {
    let bodies = docs::Bodies::of_site(site);
    let order = site.order.chunks(site.per_language.max(1));
    for (l, pages) in order.enumerate() {
        let lang = Lang(l);
        let dir = match l {
            0 => DIR.to_string(),
            _ => format!("{}/{DIR}", site.locales[l].code),
        };
        let (Some(stored), Some(staging)) = (stored.as_deref_mut(), output.staging()) else {
            build_language(site, lang, pages, &dir, &bodies, output);
            continue;
        };
        let unit = format!("search-{}", site.locales[l].code);
        // What numbers the documents and what a page's entry shows of others: the order of the
        // pages, their URLs and titles and their parents' titles. Each page's own file is a
        // part of its own (its key in the build cache).
        let key = stored.key_of(
            (pages.iter())
                .map(|&id| {
                    let page = site.page(id);
                    let parent = page.parent.map(|p| site.page(p).title());
                    (&page.url, page.title(), parent)
                })
                .collect::<Vec<_>>(),
        );
        let parts: Vec<u64> = pages.iter().map(|&id| stored.page_key(id.0)).collect();
        let files = match stored.reuse_unit(&unit, key, &parts, &staging) {
            Some(files) => {
                for file in &files {
                    output.add_staged(file.clone());
                }
                Some(files)
            }
            None => (stored.partial_unit(&unit, key))
                .and_then(|last| update(site, pages, &parts, &dir, &last, &bodies, output)),
        };
        let files = files.unwrap_or_else(|| {
            build_language(site, lang, pages, &dir, &bodies, output);
            output.paths_under(&format!("{dir}/"))
        });
        stored.set_unit(unit, key, parts, files);
    }
}

/// Brings the last build's index of a language up to date when only some pages' own files
/// changed (same pages, order, titles, records): their postings are replaced in the term
/// shards read back from the last output, their page files made again, and every other file
/// taken. The result is byte for byte what [`build_language`] writes, since the postings are
/// the same. `None`, having written nothing, when too much changed for this to pay or the last
/// files cannot be read; the caller then builds the index from nothing.
fn update(
    site: &Site,
    pages: &[PageId],
    parts: &[u64],
    dir: &str,
    last: &crate::build_cache::PartialUnit<'_>,
    bodies: &docs::Bodies,
    output: &mut Output,
) -> Option<Vec<String>> {
    if last.parts().len() != parts.len() {
        return None;
    }
    let changed: Vec<usize> = (0..parts.len())
        .filter(|&n| last.parts()[n] != parts[n])
        .collect();
    // Reading the term shards back and writing them again costs about a fifth of indexing every
    // page (0.2 s against 1.1 s a language on the site-shaped corpus of bench/site.sh): past an
    // eighth of the pages changed, little is left to save.
    if changed.is_empty() || changed.len() * 8 > parts.len() {
        return None;
    }
    let shard_dir = format!("{dir}/i/");
    let mut postings: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
    for rel in last.files().filter(|rel| rel.starts_with(&shard_dir)) {
        let shard: BTreeMap<String, shards::Postings> = shards::read_script(&last.read(rel)?)?;
        for (term, list) in shard {
            postings.insert(term, shards::decode(&list));
        }
    }
    let gone: rustc_hash::FxHashSet<u32> = changed.iter().map(|&n| n as u32).collect();
    for list in postings.values_mut() {
        list.retain(|(doc, _)| !gone.contains(doc));
    }
    let mut files = Vec::with_capacity(changed.len());
    for &n in &changed {
        let (doc, entry) = docs::page(site, site.page(pages[n]), bodies);
        for (term, weight) in doc.terms {
            let list = postings.entry(term).or_default();
            let at = list.partition_point(|(d, _)| *d < n as u32);
            list.insert(at, (n as u32, weight));
        }
        let name = format!("p/{n}");
        files.push((format!("{dir}/{name}.js"), shards::script(&name, &entry)));
    }
    postings.retain(|_, list| !list.is_empty());
    let postings: BTreeMap<String, shards::Postings> = (postings.into_iter())
        .map(|(term, list)| (term, shards::encode(&list)))
        .collect();

    let remade: rustc_hash::FxHashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let index = format!("{dir}/index.js");
    let staging = output.staging()?;
    let taken = last.take(
        |rel| !rel.starts_with(&shard_dir) && rel != index && !remade.contains(rel),
        &staging,
    )?;
    for rel in taken {
        output.add_staged(rel);
    }
    for (rel, bytes) in files {
        output.add(rel, bytes);
    }
    write_shards(&postings, dir, pages.len(), site.data.records.len(), output);
    Some(output.paths_under(&format!("{dir}/")))
}

fn build_language(
    site: &Site,
    lang: Lang,
    order: &[PageId],
    dir: &str,
    bodies: &docs::Bodies,
    output: &mut Output,
) {
    let mut collector = shards::Collector::default();
    let mut pages = 0;
    // Merging a batch's terms is serial: it runs beside the making of the next batch's documents.
    // Each batch's page files go to the output at once: a staged build writes them then, and holds
    // no page's text longer than its batch.
    let mut merge = |done: Vec<(Doc, Vec<u8>)>| {
        let mut files = Vec::with_capacity(done.len());
        for (doc, bytes) in done {
            files.push((format!("{dir}/p/{pages}.js"), std::sync::Arc::new(bytes)));
            collector.add(doc);
            pages += 1;
        }
        output.add_all(files);
    };
    let mut made: Vec<(Doc, Vec<u8>)> = Vec::new();
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let make = || {
            (batch.par_iter().enumerate())
                .map(|(i, &id)| {
                    let (doc, entry) = docs::page(site, site.page(id), bodies);
                    (doc, shards::script(&format!("p/{}", b * BATCH + i), &entry))
                })
                .collect()
        };
        let last = std::mem::take(&mut made);
        made = rayon::join(|| merge(last), make).1;
    }
    merge(made);

    let records: Vec<(Doc, docs::RecordEntry)> = (0..site.data.records.len())
        .into_par_iter()
        .map(|ix| docs::record(site, crate::data::RecordIx(ix), lang))
        .collect();
    let mut entries = Vec::with_capacity(records.len());
    for (doc, entry) in records {
        collector.add(doc);
        entries.push(entry);
    }
    for (n, chunk) in entries.chunks(shards::RECORD_CHUNK).enumerate() {
        output.add(
            format!("{dir}/r/{n}.js"),
            shards::script(&format!("r/{n}"), &chunk),
        );
    }

    write_shards(&collector.finish(), dir, pages, entries.len(), output);
}

/// The term shards of a language's index and its manifest.
fn write_shards(
    postings: &BTreeMap<String, shards::Postings>,
    dir: &str,
    pages: usize,
    records: usize,
    output: &mut Output,
) {
    let term_shards = shards::split(postings);
    for (n, shard) in term_shards.iter().enumerate() {
        output.add(
            format!("{dir}/i/{n}.js"),
            shards::script(&format!("i/{n}"), &shard.terms),
        );
    }
    let manifest = shards::Manifest {
        version: 1,
        pages,
        records,
        record_chunk: shards::RECORD_CHUNK,
        shards: term_shards.iter().map(|s| s.first.as_str()).collect(),
        stop: text::STOP_WORDS,
    };
    output.add(
        format!("{dir}/index.js"),
        shards::script("index", &manifest),
    );
}
