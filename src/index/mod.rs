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
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::ops::Bound;

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
        let dir = dir_of(site, lang);
        let (Some(stored), Some(staging)) = (stored.as_deref_mut(), output.staging()) else {
            build_language(site, lang, pages, &dir, &bodies, output);
            continue;
        };
        let unit = format!("search-{}", site.locales[l].code);
        // What numbers the documents and what a page's entry shows of others: the order of the
        // pages, their URLs and titles and their parents' titles. Each page's own file is a
        // part of its own (its key in the build cache).
        let key = stored.key_of(shown_of_pages(site, pages));
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

/// Where the index of `lang` lives in the output.
fn dir_of(site: &Site, lang: Lang) -> String {
    match lang.0 {
        0 => DIR.to_string(),
        l => format!("{}/{DIR}", site.locales[l].code),
    }
}

/// What numbers a language's documents and what a page's entry shows of others: the order of
/// the pages, their URLs and titles and their parents' titles. Each page's own file is a part
/// of its own ([`crate::render::stored_page_key`]).
fn shown_of_pages<'a>(
    site: &'a Site,
    pages: &[PageId],
) -> Vec<(&'a str, &'a str, Option<&'a str>)> {
    (pages.iter())
        .map(|&id| {
            let page = site.page(id);
            let parent = page.parent.map(|p| site.page(p).title());
            (page.url.as_str(), page.title(), parent)
        })
        .collect()
}

/// What `pedon serve` keeps of each language's index between edits, so that an edit indexes
/// only the pages it changed: as [`update`] brings `pedon build`'s index up to date from the
/// last output, but from memory. Re-indexing the six languages of a 10,000-page site took
/// 6–8 s after every edit; the search then lagged the pages it searched.
#[derive(Default)]
pub struct Cache {
    languages: Vec<Option<Kept>>,
    /// Pages whose entries the last call made, in all languages.
    indexed: usize,
}

impl Cache {
    /// How many pages' entries the last [`build_in_memory`] made (a page in each language it
    /// is in counts once per language); the others were kept.
    pub fn indexed(&self) -> usize {
        self.indexed
    }
}

/// One language's index as last built.
struct Kept {
    /// [`shown_of_pages`], the templates, configuration, data and day: when it changes, the
    /// index is built again.
    key: u64,
    /// Each page's own key, in document order.
    parts: Vec<u64>,
    /// Every term's postings, as the term shards hold them.
    postings: BTreeMap<String, shards::Postings>,
    /// The first term of each term shard.
    firsts: Vec<String>,
    /// The language's index files.
    files: Output,
}

impl Kept {
    /// Brings the index up to date for the pages numbered `changed`: their entries and postings
    /// are made again, and the term shards whose terms or postings changed written again. The
    /// other shards are kept: serializing every shard of a language was 25–150 ms of each edit
    /// on the site-shaped corpus.
    fn update(
        &mut self,
        site: &Site,
        pages: &[PageId],
        changed: &[u32],
        dir: &str,
        bodies: &docs::Bodies,
    ) {
        let Changed { files, touched } =
            replace_pages(site, pages, changed, dir, bodies, &mut self.postings);
        for (rel, bytes) in files {
            self.files.add(rel, bytes);
        }
        let last = std::mem::take(&mut self.firsts);
        let unchanged = unchanged_shards(&last, &touched);
        let records = site.data.records.len();
        self.firsts = write_shards(
            shards::split(&self.postings),
            dir,
            pages.len(),
            records,
            &mut self.files,
            unchanged,
        );
        // Shards past the new last one.
        let shard_dir = format!("{dir}/i/");
        let shards = self.firsts.len();
        self.files.retain(|rel| {
            let n = rel
                .strip_prefix(&shard_dir)
                .and_then(|n| n.strip_suffix(".js"));
            n.and_then(|n| n.parse::<usize>().ok())
                .is_none_or(|n| n < shards)
        });
    }
}

/// The search index of every language of `site`, in memory, for `pedon serve`: each language
/// taken from `cache` where nothing it is made from changed, brought up to date where only some
/// pages did, and built again otherwise. The files are those [`build`] makes.
pub fn build_in_memory(site: &Site, cache: &mut Cache) -> Output {
    let bodies = docs::Bodies::of_site(site);
    let shared = {
        let (year, month, day, ..) = site.now.civil();
        (
            crate::render::setup_key(site),
            site.data.digest,
            (year, month, day),
        )
    };
    let languages: Vec<&[PageId]> = site.order.chunks(site.per_language.max(1)).collect();
    cache.languages.resize_with(languages.len(), || None);
    cache.indexed = 0;
    let mut output = Output::default();
    for (l, (pages, kept)) in languages.into_iter().zip(&mut cache.languages).enumerate() {
        let lang = Lang(l);
        let dir = dir_of(site, lang);
        let key = {
            let mut h = rustc_hash::FxHasher::default();
            (shared, shown_of_pages(site, pages)).hash(&mut h);
            h.finish()
        };
        let parts: Vec<u64> = (pages.iter())
            .map(|&id| crate::render::stored_page_key(site, site.page(id)))
            .collect();
        let last = kept
            .take()
            .filter(|k| k.key == key && k.parts.len() == parts.len());
        let changed = last.as_ref().map(|k| changed_parts(&k.parts, &parts));
        let language = match (last, changed) {
            (Some(last), Some(changed)) if changed.is_empty() => last,
            // An edit to a few pages: replacing their postings touches every list once,
            // indexing every page touches every word of every page.
            (Some(mut last), Some(changed)) if changed.len() * 4 <= parts.len() => {
                last.update(site, pages, &changed, &dir, &bodies);
                cache.indexed += changed.len();
                Kept { parts, ..last }
            }
            _ => {
                let mut files = Output::default();
                let (postings, firsts) =
                    build_language(site, lang, pages, &dir, &bodies, &mut files);
                cache.indexed += pages.len();
                Kept {
                    key,
                    parts,
                    postings,
                    firsts,
                    files,
                }
            }
        };
        output.extend_from(&language.files);
        *kept = Some(language);
    }
    output
}

/// Brings the last build's index of a language up to date when only some pages' own files
/// changed (same pages, order, titles, records): their postings are replaced in the term
/// shards read back from the last output, their page files and the shards whose terms changed
/// made again, and every other file taken (a language's thousand shards were most of the
/// files a one-page edit wrote). The result is byte for byte what [`build_language`] writes, since the postings are
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
    let changed = changed_parts(last.parts(), parts);
    // Reading the term shards back and writing them again costs about a fifth of indexing every
    // page (0.2 s against 1.1 s a language on the site-shaped corpus of bench/site.sh): past an
    // eighth of the pages changed, little is left to save.
    if changed.is_empty() || changed.len() * 8 > parts.len() {
        return None;
    }
    let shard_dir = format!("{dir}/i/");
    let shard_of = |rel: &str| -> Option<usize> {
        rel.strip_prefix(&shard_dir)?
            .strip_suffix(".js")?
            .parse()
            .ok()
    };
    // Read and parsed in parallel: a language has about a thousand shards at 10,000 pages.
    let read: Vec<(usize, BTreeMap<String, shards::Postings>)> = (last
        .read_picked(|rel| rel.starts_with(&shard_dir))?
        .par_iter())
    .map(|(rel, bytes)| Some((shard_of(rel)?, shards::read_script(bytes)?)))
    .collect::<Option<_>>()?;
    let mut postings: BTreeMap<String, shards::Postings> = BTreeMap::new();
    // The first term of each shard read, as `shards::split` names it (the first shard's is
    // empty): with the terms edited, what says which shards come out the same.
    let mut last_firsts: Vec<Option<String>> = vec![None; read.len()];
    for (n, shard) in read {
        let first = match n {
            0 => String::new(),
            _ => shard.keys().next()?.clone(),
        };
        *last_firsts.get_mut(n)? = Some(first);
        postings.extend(shard);
    }
    let last_firsts: Vec<String> = last_firsts.into_iter().collect::<Option<_>>()?;
    let Changed { files, touched } =
        replace_pages(site, pages, &changed, dir, bodies, &mut postings);

    let term_shards = shards::split(&postings);
    let unchanged = unchanged_shards(&last_firsts, &touched);
    let kept: rustc_hash::FxHashSet<usize> = (term_shards.iter().enumerate())
        .filter(|(n, shard)| {
            let next = term_shards.get(n + 1).map(|s| s.first.as_str());
            unchanged(*n, &shard.first, next)
        })
        .map(|(n, _)| n)
        .collect();
    let remade: rustc_hash::FxHashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let index = format!("{dir}/index.js");
    let staging = output.staging()?;
    let taken = last.take(
        |rel| match shard_of(rel) {
            Some(n) => kept.contains(&n),
            None => rel != index && !remade.contains(rel),
        },
        &staging,
    )?;
    for rel in taken {
        output.add_staged(rel);
    }
    for (rel, bytes) in files {
        output.add(rel, bytes);
    }
    let records = site.data.records.len();
    write_shards(term_shards, dir, pages.len(), records, output, |n, _, _| {
        kept.contains(&n)
    });
    Some(output.paths_under(&format!("{dir}/")))
}

/// Whether shard `n`, now over the terms from `first` up to `next`, comes out as it was written
/// when the shards began with `last` and the terms `touched` had their postings changed since:
/// the shard at the same place, over the same range of terms, none of them touched.
fn unchanged_shards<'a>(
    last: &'a [String],
    touched: &'a BTreeSet<String>,
) -> impl Fn(usize, &str, Option<&str>) -> bool + 'a {
    move |n, first, next| {
        let range = (
            last.get(n).map(String::as_str),
            last.get(n + 1).map(String::as_str),
        );
        range == (Some(first), next)
            && (touched.range::<str, _>((Bound::Included(first), Bound::Unbounded)))
                .next()
                .is_none_or(|t| next.is_some_and(|next| t.as_str() >= next))
    }
}

/// The documents (page numbers) whose part key differs.
fn changed_parts(last: &[u64], parts: &[u64]) -> Vec<u32> {
    (0..parts.len() as u32)
        .filter(|&n| last[n as usize] != parts[n as usize])
        .collect()
}

/// Replaces the postings of the pages numbered `changed` (in increasing order) with those of
/// their documents now. Returns their page files made again and the terms whose lists changed
/// (added, emptied or altered). A list is decoded only when one of them is in it or gains it:
/// an edit to one page leaves the rest as they were encoded, and the result is what indexing
/// every page gives.
fn replace_pages(
    site: &Site,
    pages: &[PageId],
    changed: &[u32],
    dir: &str,
    bodies: &docs::Bodies,
    postings: &mut BTreeMap<String, shards::Postings>,
) -> Changed {
    let made: Vec<(Doc, (String, Vec<u8>))> = (changed.par_iter())
        .map(|&n| {
            let (doc, entry) = docs::page(site, site.page(pages[n as usize]), bodies);
            let name = format!("p/{n}");
            (
                doc,
                (format!("{dir}/{name}.js"), shards::script(&name, &entry)),
            )
        })
        .collect();
    let mut added: rustc_hash::FxHashMap<String, Vec<(u32, u8)>> = Default::default();
    let mut files = Vec::with_capacity(made.len());
    for (&n, (doc, file)) in changed.iter().zip(made) {
        for (term, weight) in doc.terms {
            added.entry(term).or_default().push((n, weight));
        }
        files.push(file);
    }
    let gone: rustc_hash::FxHashSet<u32> = changed.iter().copied().collect();
    let last_gone = changed.last().copied().unwrap_or(0);
    let holds_gone = |list: &shards::Postings| {
        let mut doc = 0;
        for (i, &p) in list.iter().enumerate() {
            doc = if i == 0 { p >> 4 } else { doc + (p >> 4) };
            if doc > last_gone {
                return false;
            }
            if gone.contains(&doc) {
                return true;
            }
        }
        false
    };
    let mut touched = BTreeSet::new();
    for (term, list) in postings.iter_mut() {
        let adds = added.remove(term.as_str());
        if adds.is_none() && !holds_gone(list) {
            continue;
        }
        let mut pairs = shards::decode(list);
        pairs.retain(|(doc, _)| !gone.contains(doc));
        for (doc, weight) in adds.into_iter().flatten() {
            let at = pairs.partition_point(|(d, _)| *d < doc);
            pairs.insert(at, (doc, weight));
        }
        // Most of an edited page's words are as they were: their lists come out the same.
        let encoded = shards::encode(&pairs);
        if encoded != *list {
            *list = encoded;
            touched.insert(term.clone());
        }
    }
    // Terms no page had before: their documents were added in increasing order.
    for (term, pairs) in added {
        postings.insert(term.clone(), shards::encode(&pairs));
        touched.insert(term);
    }
    postings.retain(|_, list| !list.is_empty());
    Changed { files, touched }
}

/// What [`replace_pages`] changed.
struct Changed {
    /// The page files made again.
    files: Vec<(String, Vec<u8>)>,
    /// The terms whose postings changed.
    touched: BTreeSet<String>,
}

fn build_language(
    site: &Site,
    lang: Lang,
    order: &[PageId],
    dir: &str,
    bodies: &docs::Bodies,
    output: &mut Output,
) -> (BTreeMap<String, shards::Postings>, Vec<String>) {
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

    let postings = collector.finish();
    let firsts = write_shards(
        shards::split(&postings),
        dir,
        pages,
        entries.len(),
        output,
        |_, _, _| false,
    );
    (postings, firsts)
}

/// The term shards of a language's index and its manifest; returns the first term of each
/// shard. Shard `n` is not written when `unchanged(n, first, next)` says the output already
/// holds it as it would be: the terms from `first` up to the next shard's first (`None` for the
/// last) are the same, with the same postings, as when `i/n.js` was written.
fn write_shards(
    term_shards: Vec<shards::Shard<'_>>,
    dir: &str,
    pages: usize,
    records: usize,
    output: &mut Output,
    unchanged: impl Fn(usize, &str, Option<&str>) -> bool,
) -> Vec<String> {
    for (n, shard) in term_shards.iter().enumerate() {
        let next = term_shards.get(n + 1).map(|s| s.first.as_str());
        if unchanged(n, &shard.first, next) {
            continue;
        }
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
    term_shards.into_iter().map(|s| s.first).collect()
}
