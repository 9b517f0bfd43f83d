//! Resolving every link of every page: relative links to Markdown files and their `#anchors`,
//! root-relative links to static files, and typed references (`sop:CODE`). A link that cannot be
//! resolved is an error at the link's destination, with the closest existing target as a hint.

use super::{PageId, Site, Target, Targets, Unpublished};
use crate::data::Defined;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span, did_you_mean, did_you_mean_path};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};

/// Schemes left to the browser.
const EXTERNAL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "ftp", "ftps", "data", "irc", "news",
];

/// Links resolved by earlier builds of `pedon serve`, by content path and language, with the
/// digest of the file they were found in; only pages whose links all resolved are kept (a
/// fallback's always are: its original reports its problems).
///
/// The language is in the key for the fallbacks: one file is a page in every language that has
/// no translation of it, and its links lead into each page's own language. Keyed by path alone,
/// fallbacks were resolved again on every edit: at 10,000 pages in six languages, a quarter of a
/// preview rebuild.
#[derive(Debug, Default)]
pub struct Cache {
    world: u64,
    /// By language, then content path.
    pages: Vec<FxHashMap<String, (u64, Targets)>>,
}

impl Cache {
    fn get(&self, page: &super::Page) -> Option<&(u64, Targets)> {
        self.pages.get(page.lang.0)?.get(&page.rel)
    }

    fn len(&self) -> usize {
        self.pages.iter().map(FxHashMap::len).sum()
    }
}

/// What links resolve against: every page's path, place and anchors, what is not published, the
/// static files, SOP codes, the data and the ids of data files that failed. A link's target
/// changes only if this does.
fn world_key(site: &Site, assets: &FxHashSet<&str>) -> u64 {
    // Ten thousand paths hashed on every edit: Fx rather than SipHash, whose protection against
    // chosen keys is of no use against one's own files.
    let mut h = FxHasher::default();
    for page in &site.pages {
        page.rel.hash(&mut h);
        page.id.hash(&mut h);
        page.file.is_some().hash(&mut h);
        page.doc.anchors.hash(&mut h);
    }
    let mut unpublished: Vec<_> = site.unpublished.iter().collect();
    unpublished.sort_by_key(|(rel, _)| *rel);
    for (rel, why) in unpublished {
        rel.hash(&mut h);
        (*why == Unpublished::Draft).hash(&mut h);
    }
    let mut assets: Vec<&&str> = assets.iter().collect();
    assets.sort();
    assets.hash(&mut h);
    site.sops.hash(&mut h);
    site.aliases.hash(&mut h);
    let mut in_doubt: Vec<&String> = site.sops_in_doubt.iter().collect();
    in_doubt.sort();
    in_doubt.hash(&mut h);
    site.data.digest.hash(&mut h);
    site.data.in_broken_files().hash(&mut h);
    h.finish()
}

/// The files a root-relative link may name: the site's assets and the theme's static files.
fn assets(site: &Site) -> FxHashSet<&str> {
    (site.assets.iter())
        .map(|a| a.rel.as_str())
        .chain(site.theme.statics.iter().map(|s| s.name.as_str()))
        .collect()
}

/// The targets of `page`'s links, against `site`, when every one resolves: for an edit of the
/// page's text that left what links resolve against ([`world_key`]) as it was ([`super::edit`]).
pub(super) fn resolve_page(site: &Site, page: &super::Page) -> Option<Targets> {
    let resolver = Resolver {
        site,
        assets: assets(site),
    };
    (page.doc.links.iter())
        .map(|link| match resolver.resolve(page.id, &link.dest) {
            Ok(Target::Broken) | Err(_) => None,
            Ok(target) => Some((link.at, target)),
        })
        .collect()
}

/// Resolves the links of all pages, in parallel; the diagnostics are merged in page order.
pub(super) fn resolve_all(
    site: &Site,
    diagnostics: &mut Diagnostics,
    cache: &mut Cache,
) -> Vec<Targets> {
    let assets = assets(site);
    let world = world_key(site, &assets);
    let same_world = world == cache.world;
    let digest = |page: &super::Page| page.file.map(|f| site.sources.get(f).digest);
    let resolver = Resolver { site, assets };
    // (targets, problems, taken from the cache)
    let results: Vec<(Targets, Vec<Diagnostic>, bool)> = site
        .pages
        .par_iter()
        .map(|page| {
            if same_world
                && let Some((cached, targets)) = cache.get(page)
                && Some(*cached) == digest(page)
            {
                return (targets.clone(), Vec::new(), true);
            }
            let mut found = Vec::new();
            let targets: Targets = page
                .doc
                .links
                .iter()
                .map(|link| {
                    let file = page.file.expect("links come from files");
                    let span = Span::new(file, link.span.clone());
                    let target = match resolver.resolve(page.id, &link.dest) {
                        Ok(t) => t,
                        Err(problem) => {
                            found.push(problem.into_diagnostic(span, &link.dest));
                            Target::Broken
                        }
                    };
                    (link.at, target)
                })
                .collect();
            // A fallback's links are its original's, reported there.
            if !page.has_own_text() {
                found.clear();
            }
            (targets, found, false)
        })
        .collect();
    // Only pages resolved again are put back: rebuilding the map for every page on every edit
    // would cost more than resolving. A new world makes every entry stale.
    if !same_world || cache.len() > site.pages.len() + site.pages.len() / 8 {
        cache.pages.clear();
    }
    cache
        .pages
        .resize_with(site.locales.len(), FxHashMap::default);
    cache.world = world;
    results
        .into_iter()
        .zip(&site.pages)
        .map(|((targets, found, cached), page)| {
            if !cached
                && let Some(d) = digest(page)
                && let Some(pages) = cache.pages.get_mut(page.lang.0)
            {
                if found.is_empty() {
                    pages.insert(page.rel.clone(), (d, targets.clone()));
                } else {
                    pages.remove(&page.rel);
                }
            }
            diagnostics.extend(found);
            targets
        })
        .collect()
}

/// Why a link does not resolve, with what to suggest.
enum Problem {
    NoFile {
        path: String,
        suggestion: Option<String>,
    },
    Draft {
        path: String,
    },
    NoAnchor {
        anchor: String,
        page: String,
        suggestion: Option<String>,
    },
    Escapes,
    HtmlLink {
        suggestion: Option<String>,
    },
    UnknownSop {
        code: String,
        suggestion: Option<String>,
    },
    UnknownScheme {
        scheme: String,
    },
    UnknownData {
        kind: DataRef,
        id: String,
        suggestion: Option<String>,
        empty: bool,
    },
}

#[derive(Clone, Copy)]
enum DataRef {
    Contaminant,
    Country,
}

impl DataRef {
    fn name(self) -> &'static str {
        match self {
            DataRef::Contaminant => "contaminant",
            DataRef::Country => "country",
        }
    }
}

impl Problem {
    fn into_diagnostic(self, span: Span, dest: &str) -> Diagnostic {
        let mean = |s: Option<String>| s.map(|s| format!("did you mean `{s}`?"));
        match self {
            Problem::NoFile { path, suggestion } => {
                let fix = suggestion.as_ref().map(|s| dest.replacen(&path, s, 1));
                Diagnostic::error(
                    Code::BrokenLink,
                    format!("broken link: `{path}` does not exist"),
                )
                .at(span.clone(), "no such file")
                .maybe_help(mean(suggestion).or_else(|| {
                    Some("link to a Markdown file with a path relative to this page".into())
                }))
                .maybe_suggest(span, fix)
            }
            Problem::Draft { path } => Diagnostic::error(
                Code::BrokenLink,
                format!("link to draft page `{path}`, which is not published"),
            )
            .at(span, "draft target")
            .help("remove `draft: true` from the target, or build with `--drafts`"),
            Problem::NoAnchor {
                anchor,
                page,
                suggestion,
            } => {
                let fix = suggestion.as_ref().and_then(|s| {
                    let at = dest.rfind(&format!("#{anchor}"))?;
                    Some(format!("{}#{s}", &dest[..at]))
                });
                Diagnostic::error(
                    Code::BrokenAnchor,
                    format!("broken anchor: `#{anchor}` is not a heading in `{page}`"),
                )
                .at(span.clone(), "no such heading")
                .maybe_help(mean(suggestion.map(|s| format!("#{s}"))))
                .maybe_suggest(span, fix)
            }
            Problem::Escapes => Diagnostic::error(
                Code::BrokenLink,
                format!("link `{dest}` points outside the content folder"),
            )
            .at(span, "too many `..`")
            .help("remove one `../`"),
            Problem::HtmlLink { suggestion } => {
                Diagnostic::error(Code::BrokenLink, format!("link to an output file `{dest}`"))
                    .at(span, "link to the Markdown source instead")
                    .help(match suggestion {
                        Some(s) => format!(
                            "did you mean `{s}`? Pedon turns links to `.md` files into page URLs"
                        ),
                        None => {
                            "link to the page's `.md` file; Pedon turns it into the page URL".into()
                        }
                    })
            }
            Problem::UnknownSop { code, suggestion } => Diagnostic::error(
                Code::UnknownReference,
                format!("unknown SOP `{code}`"),
            )
            .at(span.clone(), "no SOP has this code")
            .maybe_suggest(
                span,
                suggestion.as_ref().map(|s| dest.replacen(&code, s, 1)),
            )
            .help(
                mean(suggestion.map(|s| format!("sop:{s}"))).unwrap_or_else(|| {
                    "an SOP's code is the `code:` in the `sop:` block of its front matter".into()
                }),
            ),
            Problem::UnknownData {
                kind,
                id,
                suggestion,
                empty,
            } => {
                let name = kind.name();
                let help = if empty {
                    "the site has no threshold data: add data/contaminants.yaml and data/thresholds/<iso3>.yaml".to_string()
                } else {
                    mean(suggestion.as_ref().map(|s| format!("{name}:{s}"))).unwrap_or_else(|| match kind {
                        DataRef::Contaminant => "contaminant ids are in data/contaminants.yaml (`cd`, `pb`, `benzo_a_pyrene`…)".into(),
                        DataRef::Country => "countries are named by ISO 3166-1 alpha-3 code with a file in data/thresholds/ (`NLD`, `CHN`…)".into(),
                    })
                };
                let fix = suggestion.as_ref().map(|s| dest.replacen(&id, s, 1));
                Diagnostic::error(Code::UnknownReference, format!("unknown {name} `{id}`"))
                    .at(span.clone(), format!("no {name} has this id"))
                    .help(help)
                    .maybe_suggest(span, fix)
            }
            Problem::UnknownScheme { scheme } => Diagnostic::error(
                Code::UnknownScheme,
                format!("unknown link type `{scheme}:`"),
            )
            .at(span, "not a known scheme")
            .help(match did_you_mean(&scheme, ["sop", "contaminant", "country"]) {
                Some(s) => format!("did you mean `{s}:`?"),
                None => "use a relative path to a `.md` file, `sop:CODE`, `contaminant:ID`, `country:ISO3`, or a full `https://` address".to_string(),
            }),
        }
    }
}

struct Resolver<'a> {
    site: &'a Site,
    assets: FxHashSet<&'a str>,
}

impl Resolver<'_> {
    /// Where Git says the missing Markdown file `old` went: a rename it recorded (followed to
    /// today's name), or a file deleted since the last commit whose text (title, description and
    /// body) is now another page's, as after a plain `mv`.
    fn moved_to(&self, old: &str) -> Option<&str> {
        let moved = self.site.moves.get();
        let mut name = old;
        // Oldest first, so that a file renamed twice is followed to its last name.
        for (from, to) in moved.renamed.iter().rev() {
            if from == name {
                name = to;
                if let Some((rel, _)) = self.site.by_rel.get_key_value(name) {
                    return Some(rel.as_str());
                }
            }
        }
        let (_, text) = moved.deleted.iter().find(|(rel, _)| rel == old)?;
        let wanted = super::translations::fingerprint(text);
        self.site.pages[..self.site.per_language]
            .iter()
            .find(|page| {
                page.file.is_some_and(|file| {
                    super::translations::fingerprint(&self.site.sources.get(file).read()) == wanted
                })
            })
            .map(|page| page.rel.as_str())
    }

    /// The page `to` in the language of the page `from`: a link written in any language's file
    /// keeps the reader in their language.
    fn in_language_of(&self, from: PageId, to: PageId) -> PageId {
        self.site.variant(to, self.site.page(from).lang)
    }

    fn resolve(&self, from: PageId, dest: &str) -> Result<Target, Problem> {
        let dest = dest.trim();
        if dest.starts_with("//") {
            return Ok(Target::External);
        }
        if let Some(scheme) = scheme_of(dest) {
            let lower = scheme.to_ascii_lowercase();
            if EXTERNAL_SCHEMES.contains(&lower.as_str()) {
                return Ok(Target::External);
            }
            let id = &dest[scheme.len() + 1..];
            return match lower.as_str() {
                "sop" => self.sop(from, id),
                "contaminant" => self.data_ref(from, DataRef::Contaminant, id),
                "country" => self.data_ref(from, DataRef::Country, id),
                _ => Err(Problem::UnknownScheme {
                    scheme: scheme.to_string(),
                }),
            };
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let page = self.site.page(from);
        if path.is_empty() {
            let anchor = fragment.unwrap_or_default();
            return self
                .check_anchor(from, anchor)
                .map(|()| Target::Fragment(anchor.to_string()));
        }
        let decoded = percent_decode(path);
        let joined = if let Some(root_relative) = decoded.strip_prefix('/') {
            root_relative.to_string()
        } else if page.dir().is_empty() {
            decoded.clone()
        } else {
            format!("{}/{}", page.dir(), decoded)
        };
        let mut normal = normalize(&joined).ok_or(Problem::Escapes)?;
        // Pages are known by a `.md` content path whatever the case of the file's extension
        // (`Chapter.MD`), and so are links to them.
        if let Some(stem) = normal
            .len()
            .checked_sub(3)
            .filter(|&i| normal.is_char_boundary(i) && normal[i..].eq_ignore_ascii_case(".md"))
        {
            normal.replace_range(stem.., ".md");
        }

        if let Some(target) = self.page_at(&normal) {
            let target = self.in_language_of(from, target);
            if let Some(anchor) = fragment {
                self.check_anchor(target, anchor)?;
            }
            return Ok(Target::Page(target, fragment.map(str::to_string)));
        }
        if normal.ends_with(".md") {
            match self.site.unpublished.get(&normal) {
                Some(Unpublished::Draft) => {
                    return Err(Problem::Draft {
                        path: path.to_string(),
                    });
                }
                Some(Unpublished::Failed) => return Ok(Target::Broken),
                None => {}
            }
            // A page renamed or moved says where it was (`aliases:`): that is the suggestion,
            // not the closest spelling.
            let renamed = self
                .site
                .aliases
                .values()
                .find(|a| a.was.as_deref() == Some(normal.as_str()))
                .map(|a| self.site.page(self.site.page(a.page).original).rel.as_str())
                .or_else(|| self.moved_to(&normal));
            let suggestion = renamed
                .or_else(|| did_you_mean_path(&normal, self.site.by_rel.keys().map(String::as_str)))
                .map(|s| relative_from(page.dir(), s));
            return Err(Problem::NoFile {
                path: path.to_string(),
                suggestion,
            });
        }
        if self.assets.contains(normal.as_str()) {
            return Ok(Target::Asset(normal));
        }
        if normal.ends_with(".html") {
            let suggestion = self
                .site
                .pages
                .iter()
                .find(|p| p.url == normal)
                .map(|p| relative_from(page.dir(), &p.rel));
            return Err(Problem::HtmlLink { suggestion });
        }
        let suggestion =
            did_you_mean_path(&normal, self.assets.iter().copied()).map(|s| format!("/{s}"));
        Err(Problem::NoFile {
            path: path.to_string(),
            suggestion,
        })
    }

    /// The page a normalised content path names: a `.md` file, or a folder (its `_index.md`).
    fn page_at(&self, normal: &str) -> Option<PageId> {
        let by_rel = &self.site.by_rel;
        if let Some(&id) = by_rel.get(normal) {
            return Some(id);
        }
        let index = if normal.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", normal.trim_end_matches('/'))
        };
        by_rel.get(&index).copied()
    }

    fn check_anchor(&self, page: PageId, anchor: &str) -> Result<(), Problem> {
        let target = self.site.page(page);
        if anchor.is_empty() || target.doc.has_anchor(anchor) || target.file.is_none() {
            return Ok(());
        }
        let suggestion = did_you_mean(anchor, target.doc.headings.iter().map(|h| h.id.as_str()))
            .map(str::to_string);
        Err(Problem::NoAnchor {
            anchor: anchor.to_string(),
            page: target.rel.clone(),
            suggestion,
        })
    }

    fn sop(&self, from: PageId, code: &str) -> Result<Target, Problem> {
        let (code, fragment) = match code.split_once('#') {
            Some((c, f)) => (c, Some(f)),
            None => (code, None),
        };
        match self.site.sops.get(code) {
            Some(&id) => {
                let id = self.in_language_of(from, id);
                if let Some(anchor) = fragment {
                    self.check_anchor(id, anchor)?;
                }
                Ok(Target::Page(id, fragment.map(str::to_string)))
            }
            // Declared by a page that failed to load: its own error is the one to fix.
            None if self.site.sops_in_doubt.contains(code) => Ok(Target::Broken),
            None => Err(Problem::UnknownSop {
                code: code.to_string(),
                suggestion: did_you_mean(code, self.site.sops.keys().map(String::as_str))
                    .map(str::to_string),
            }),
        }
    }
}

impl Resolver<'_> {
    /// `contaminant:cd`, `country:NLD` (case-insensitive), optionally with `#anchor`.
    fn data_ref(&self, from: PageId, kind: DataRef, reference: &str) -> Result<Target, Problem> {
        let (id, fragment) = match reference.split_once('#') {
            Some((i, f)) => (i, Some(f.to_string())),
            None => (reference, None),
        };
        let data = &self.site.data;
        let index = &self.site.data_pages;
        let page = match kind {
            DataRef::Contaminant => data
                .contaminant_by_id(id)
                .and_then(|c| index.contaminants.get(&c).copied()),
            DataRef::Country => data
                .country_by_code(id)
                .and_then(|c| index.countries.get(&c).copied()),
        };
        match page {
            Defined::Known(page) => Ok(Target::Page(self.in_language_of(from, page), fragment)),
            // Defined in a data file that could not be read: its own error is the one to fix.
            Defined::InBrokenFile => Ok(Target::Broken),
            Defined::Unknown => {
                let suggestion = match kind {
                    DataRef::Contaminant => {
                        let lower = id.to_lowercase();
                        data.contaminants
                            .iter()
                            .find(|c| c.name.to_lowercase() == lower || c.aliases.contains(&lower))
                            .map(|c| c.id.as_str())
                            .or_else(|| did_you_mean(id, data.contaminant_ids()))
                    }
                    DataRef::Country => did_you_mean(id, data.country_codes()),
                };
                Err(Problem::UnknownData {
                    kind,
                    id: id.to_string(),
                    suggestion: suggestion.map(str::to_string),
                    empty: data.is_empty(),
                })
            }
        }
    }
}

/// `sop` of `sop:X`, if the text before the first `:` looks like a scheme (and not a path).
fn scheme_of(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme.len() > 1 // `C:` is a Windows drive, not a scheme
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

/// Resolves `.` and `..`; `None` if the path climbs above the content root.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// How to write a link to content path `to` from a page in folder `from_dir`.
fn relative_from(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Decodes `%20` and friends in a link path; invalid sequences are kept as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_and_refuses_escape() {
        assert_eq!(
            normalize("manual/../sops/a.md").as_deref(),
            Some("sops/a.md")
        );
        assert_eq!(normalize("./a/./b.md").as_deref(), Some("a/b.md"));
        assert_eq!(normalize("manual/../../x.md"), None);
    }

    #[test]
    fn schemes_are_told_from_paths() {
        assert_eq!(scheme_of("sop:INSOP-SOP-01"), Some("sop"));
        assert_eq!(scheme_of("https://fao.org"), Some("https"));
        assert_eq!(scheme_of("../a.md"), None);
        assert_eq!(scheme_of("C:/x.md"), None);
    }

    #[test]
    fn relative_suggestions_are_written_from_the_page() {
        assert_eq!(relative_from("manual", "manual/02-a.md"), "02-a.md");
        assert_eq!(relative_from("manual", "sops/x.md"), "../sops/x.md");
        assert_eq!(relative_from("", "sops/x.md"), "sops/x.md");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
