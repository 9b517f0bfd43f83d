//! Stage 4: the search index, built from the finished [`Site`] into the [`Output`] beside the pages.
//!
//! Readers on metered connections must not download a whole index to look up one value, and a
//! site copied to a laptop must search from `file://`, where `fetch` is refused. So the index is
//! many small JavaScript files that the browser loads with `<script>` tags, only those a query needs:
//!
//! - `search/index.js`: the manifest (document counts, the first term of each term shard, stop words);
//! - `search/i/NAME.js`: a term shard, a sorted range of terms with their postings, named for its
//!   first term ([`shards::Layout`]);
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
    /// The term shards' first terms and names.
    layout: shards::Layout,
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
        let term_shards = shards::split(&self.postings);
        let layout = layout_of(&term_shards);
        let kept = kept_shards(&term_shards, &layout, &self.layout, &touched);
        let records = site.data.records.len();
        write_shards(
            &term_shards,
            &layout,
            dir,
            pages.len(),
            records,
            &mut self.files,
            |n| kept[n],
        );
        // Shards no longer in the index.
        let shard_dir = format!("{dir}/i/");
        let names: rustc_hash::FxHashSet<&str> = layout.names().collect();
        self.files.retain(|rel| {
            (rel.strip_prefix(&shard_dir))
                .and_then(|n| n.strip_suffix(".js"))
                .is_none_or(|n| names.contains(n))
        });
        self.layout = layout;
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
                let (postings, layout) =
                    build_language(site, lang, pages, &dir, &bodies, &mut files);
                cache.indexed += pages.len();
                Kept {
                    key,
                    parts,
                    postings,
                    layout,
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
    let index = format!("{dir}/index.js");
    let read = last.read_picked(|rel| rel.starts_with(&shard_dir) || rel == index)?;
    let mut files: rustc_hash::FxHashMap<&str, &[u8]> = (read.iter())
        .map(|(rel, bytes)| (*rel, bytes.as_slice()))
        .collect();
    let last_layout = shards::Layout::read(files.remove(index.as_str())?)?;
    // Parsed in parallel: a language has about a thousand shards at 10,000 pages.
    let read: Vec<BTreeMap<String, shards::Postings>> = (0..last_layout.len())
        .into_par_iter()
        .map(|n| {
            let bytes = files.get(format!("{shard_dir}{}.js", last_layout.name(n)).as_str())?;
            let shard: BTreeMap<String, shards::Postings> = shards::read_script(bytes)?;
            // Over the terms the manifest says: from its first (any, for the first shard).
            let first = shard.keys().next()?;
            (n == 0 || *first == last_layout.firsts[n]).then_some(shard)
        })
        .collect::<Option<_>>()?;
    let mut postings: BTreeMap<String, shards::Postings> = BTreeMap::new();
    for shard in read {
        postings.extend(shard);
    }
    let Changed {
        files: remade,
        touched,
    } = replace_pages(site, pages, &changed, dir, bodies, &mut postings);

    let term_shards = shards::split(&postings);
    let layout = layout_of(&term_shards);
    let kept = kept_shards(&term_shards, &layout, &last_layout, &touched);
    let kept_names: rustc_hash::FxHashSet<&str> = (0..layout.len())
        .filter(|&n| kept[n])
        .map(|n| layout.name(n))
        .collect();
    let made: rustc_hash::FxHashSet<&str> = remade.iter().map(|(rel, _)| rel.as_str()).collect();
    let staging = output.staging()?;
    let taken = last.take(
        |rel| match rel.strip_prefix(&shard_dir) {
            Some(shard) => (shard.strip_suffix(".js")).is_some_and(|n| kept_names.contains(n)),
            None => rel != index && !made.contains(rel),
        },
        &staging,
    )?;
    for rel in taken {
        output.add_staged(rel);
    }
    for (rel, bytes) in remade {
        output.add(rel, bytes);
    }
    let records = site.data.records.len();
    write_shards(
        &term_shards,
        &layout,
        dir,
        pages.len(),
        records,
        output,
        |n| kept[n],
    );
    Some(output.paths_under(&format!("{dir}/")))
}

/// Whether the shard named `name`, now over the terms from `first` up to `next`, comes out as
/// it was written when the shards were `last` and the terms `touched` had their postings
/// changed since: a shard of the same name over the same range of terms, none of them touched.
fn unchanged_shards<'a>(
    last: &'a shards::Layout,
    touched: &'a BTreeSet<String>,
) -> impl Fn(&str, &str, Option<&str>) -> bool + 'a {
    move |name, first, next| {
        let Some(n) = last.find(first) else {
            return false;
        };
        last.name(n) == name
            && last.firsts.get(n + 1).map(String::as_str) == next
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
) -> (BTreeMap<String, shards::Postings>, shards::Layout) {
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
    let term_shards = shards::split(&postings);
    let layout = layout_of(&term_shards);
    write_shards(
        &term_shards,
        &layout,
        dir,
        pages,
        entries.len(),
        output,
        |_| false,
    );
    (postings, layout)
}

/// The layout of `term_shards`: their first terms and the file names made from them.
fn layout_of(term_shards: &[shards::Shard<'_>]) -> shards::Layout {
    shards::Layout::of(term_shards.iter().map(|s| s.first.clone()).collect())
}

/// The term shards of a language's index, laid out as `layout` says, and its manifest. Shard `n`
/// is not written when `kept(n)` says the output already holds it as it would be.
fn write_shards(
    term_shards: &[shards::Shard<'_>],
    layout: &shards::Layout,
    dir: &str,
    pages: usize,
    records: usize,
    output: &mut Output,
    kept: impl Fn(usize) -> bool + Sync,
) {
    let made: Vec<(String, Vec<u8>)> = (term_shards.par_iter().enumerate())
        .filter(|(n, _)| !kept(*n))
        .map(|(n, shard)| {
            let name = layout.name(n);
            let script = shards::script(&format!("i/{name}"), &shard.terms);
            (format!("{dir}/i/{name}.js"), script)
        })
        .collect();
    for (path, script) in made {
        output.add(path, script);
    }
    let manifest = shards::Manifest {
        version: 2,
        pages,
        records,
        record_chunk: shards::RECORD_CHUNK,
        shards: layout.firsts.iter().map(String::as_str).collect(),
        clash: layout.clash(),
        stop: text::STOP_WORDS,
    };
    output.add(
        format!("{dir}/index.js"),
        shards::script("index", &manifest),
    );
}

/// The shards of `term_shards` (laid out as `layout`) that come out as the last index's wrote
/// them, by number: see [`unchanged_shards`].
fn kept_shards(
    term_shards: &[shards::Shard<'_>],
    layout: &shards::Layout,
    last: &shards::Layout,
    touched: &BTreeSet<String>,
) -> Vec<bool> {
    let unchanged = unchanged_shards(last, touched);
    (term_shards.iter().enumerate())
        .map(|(n, shard)| {
            let next = term_shards.get(n + 1).map(|s| s.first.as_str());
            unchanged(layout.name(n), &shard.first, next)
        })
        .collect()
}
