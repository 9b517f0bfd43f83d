//! ```` ```thresholds ```` blocks: a YAML filter in a fenced block embeds a table of the matching
//! records in a page. The filter is checked here, where the database is known; the renderer only
//! draws what was resolved.

use super::Site;
use crate::data::Defined;
use crate::data::Filter;
use crate::diagnostics::FileId;
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::load::yaml::{self, value_span};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Deserialize;
use std::hash::{Hash, Hasher};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default)]
    contaminant: Option<OneOrMany>,
    #[serde(default)]
    country: Option<OneOrMany>,
    #[serde(default)]
    land_use: Option<OneOrMany>,
    #[serde(default)]
    value_type: Option<OneOrMany>,
}

type Resolved = (Vec<Option<Filter>>, Vec<Diagnostic>);

/// The blocks resolved by earlier builds of `pedon serve`, by file and its digest, for the
/// database they were resolved against. Parsing every block's YAML again on each edit was a
/// tenth of a preview rebuild at 10,000 pages.
#[derive(Debug, Default)]
pub struct Cache {
    /// The database's digest and which of its ids are in files with errors.
    world: u64,
    files: FxHashMap<(FileId, u64), Resolved>,
}

/// The filters of every page's blocks, with the problems found. A fallback shows its original's
/// file, whose blocks are resolved once, for the original.
pub(super) fn resolve_all(site: &Site, cache: &mut Cache) -> Vec<Resolved> {
    let world = {
        let mut h = FxHasher::default();
        site.data.digest.hash(&mut h);
        site.data.in_broken_files().hash(&mut h);
        h.finish()
    };
    if world != cache.world {
        cache.files.clear();
        cache.world = world;
    }
    // Each page's file and its digest: what its blocks are kept by.
    let keys: Vec<Option<(FileId, u64)>> = (site.pages.iter())
        .map(|page| page.file.map(|f| (f, site.sources.get(f).digest)))
        .collect();
    let made: Vec<Option<Resolved>> = (site.pages.par_iter().zip(&keys))
        .map(|(page, key)| {
            let new = page.has_own_text() && !cache.files.contains_key(key.as_ref()?);
            new.then(|| resolve(site, page))
        })
        .collect();
    for (key, made) in keys.iter().zip(&made) {
        if let (Some(key), Some(made)) = (key, made) {
            cache.files.insert(*key, made.clone());
        }
    }
    // Files no page shows any more: each edit leaves one behind. Every file is at least one
    // page, so past as many entries as pages, most are stale.
    if cache.files.len() > site.pages.len() {
        let shown: FxHashSet<_> = keys.iter().flatten().collect();
        cache.files.retain(|key, _| shown.contains(key));
    }
    (site.pages.iter().zip(keys).zip(made))
        .map(|((page, key), made)| match (made, key) {
            (Some(made), _) => made,
            (None, Some(key)) => match cache.files.get(&key) {
                Some(resolved) => resolved.clone(),
                // Not resolved above, which a fallback's original always is: resolved now
                // rather than left without its tables.
                None => resolve(site, page),
            },
            (None, None) => (Vec::new(), Vec::new()),
        })
        .collect()
}

/// The filters of `page`'s blocks, with the problems found.
fn resolve(site: &Site, page: &super::Page) -> Resolved {
    match page.file {
        Some(file) => resolve_in(site, page, site.sources.get(file)),
        None => (Vec::new(), Vec::new()),
    }
}

/// [`resolve`], with `page`'s file as `source` holds it: the text of an edit not yet built
/// ([`super::edit`]).
pub(super) fn resolve_in(
    site: &Site,
    page: &super::Page,
    source: &crate::diagnostics::SourceFile,
) -> Resolved {
    let mut found = Vec::new();
    let Some(file) = page.file else {
        return (Vec::new(), found);
    };
    let filters = page
        .doc
        .blocks
        .iter()
        .map(|block| {
            let raw: RawFilter = match yaml::parse_kept(&block.text, source, file, block.content.clone(), "thresholds block") {
                Ok(raw) => raw,
                Err(d) => {
                    found.push(*d);
                    return None;
                }
            };
            if site.data.is_empty() {
                found.push(
                    Diagnostic::error(Code::UnknownReference, "a thresholds block, but the site has no threshold data")
                        .at(Span::new(file, block.content.clone()), "nothing to show")
                        .help("add data/contaminants.yaml and data/thresholds/<iso3>.yaml, or remove the block"),
                );
                return None;
            }
            let before = found.len();
            let at = |key: &str, id: &str| {
                let r = value_span(source.text(), block.content.clone(), key).unwrap_or(block.content.clone());
                let inner = source.text()[r.clone()].find(id).map_or(r.clone(), |i| r.start + i..r.start + i + id.len());
                Span::new(file, inner)
            };
            let data = &site.data;
            // An id defined in a data file with errors: that file's error is the one to
            // fix, and the block is not drawn until it is.
            let mut in_doubt = false;
            let mut lookup = |key: &str, ids: Option<OneOrMany>, find: &dyn Fn(&str) -> Defined<usize>, known: Vec<&str>| {
                let mut out = Vec::new();
                for id in ids.map(OneOrMany::into_vec).unwrap_or_default() {
                    match find(&id) {
                        Defined::Known(ix) => out.push(ix),
                        Defined::InBrokenFile => in_doubt = true,
                        Defined::Unknown => found.push(
                            Diagnostic::error(Code::UnknownReference, format!("unknown {} `{id}` in thresholds block", key.replace('_', " ")))
                                .at(at(key, &id), "not in the data")
                                .help(match did_you_mean(&id, known.iter().copied()) {
                                    Some(s) => format!("did you mean `{s}`?"),
                                    None => format!("known: {}", known.iter().take(12).copied().collect::<Vec<_>>().join(", ")),
                                }),
                        ),
                    }
                }
                out
            };
            let filter = Filter {
                contaminants: lookup("contaminant", raw.contaminant, &|id| data.contaminant_by_id(id).map(|c| c.0), data.contaminant_ids().collect())
                    .into_iter().map(crate::data::ContaminantIx).collect(),
                countries: lookup("country", raw.country, &|id| data.country_by_code(id).map(|c| c.0), data.country_codes().collect())
                    .into_iter().map(crate::data::CountryIx).collect(),
                land_uses: lookup("land_use", raw.land_use, &|id| data.land_use_by_id(id).map(|c| c.0), data.land_uses.iter().map(|c| c.id.as_str()).collect())
                    .into_iter().map(crate::data::LandUseIx).collect(),
                value_types: lookup("value_type", raw.value_type, &|id| data.value_type_by_id(id).map(|c| c.0), data.value_types.iter().map(|c| c.id.as_str()).collect())
                    .into_iter().map(crate::data::ValueTypeIx).collect(),
            };
            (found.len() == before && !in_doubt).then_some(filter)
        })
        .collect();
    (filters, found)
}
