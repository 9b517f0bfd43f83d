//! The languages other than the default. Each gets every page of the default language, at the
//! same place under `<code>/`: its translation where one exists (`chapter.fr.md`), the original
//! with a notice where none does. A reader following any link in French stays in the French site
//! and never meets a missing page, and the language switcher always has somewhere to go.
//!
//! The structure (sections, order, weights, SOP and webinar blocks) is the original's, so a
//! translator translates text and nothing else.

use super::page::{Lang, Page, PageId, Translation};
use super::{Unpublished, data_pages, language_suffix, split_language};
use crate::config::Config;
use crate::data::Database;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap, Span};
use crate::i18n::Locale;
use crate::load::yaml::value_span;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

pub(super) struct Context<'a> {
    pub config: &'a Config,
    pub locales: &'a [Locale],
    pub sources: &'a SourceMap,
    pub data: &'a Database,
}

/// A short, stable fingerprint of what a translation translates in a page file: its title,
/// description and body, and an SOP's prose (method, equipment, reagents, safety, what each
/// revision changed), which its translations record as `translated_from`. Metadata (weight,
/// dates, authors, draft, an SOP's code, version and status, the `webinar:` block) does not count:
/// changing the order of the chapters must not tell readers of every translation that it is out
/// of date, while a new safety line must. A file whose front matter cannot be read is
/// fingerprinted whole.
pub fn fingerprint(file_text: &str) -> String {
    let mut sources = SourceMap::default();
    let id = sources.add(
        std::path::Path::new("page.md"),
        "page.md".into(),
        file_text.to_string(),
    );
    match crate::load::parse_front_matter(sources.get(id), id) {
        Ok((front, body)) => text_fingerprint(
            &front.title,
            front.description.as_deref(),
            front.sop.as_ref(),
            &file_text[body],
        ),
        Err(_) => Fnv::default().text(file_text).finish(),
    }
}

/// The fingerprint of a page's translatable text (see [`fingerprint`]).
fn text_fingerprint(
    title: &str,
    description: Option<&str>,
    sop: Option<&crate::load::SopMeta>,
    body: &str,
) -> String {
    // The unit separator keeps "a" + "bc" apart from "ab" + "c".
    let mut hash = Fnv::default()
        .text(title)
        .text("\u{1f}")
        .text(description.unwrap_or_default())
        .text("\u{1f}")
        .text(body);
    // Only pages with an SOP block add to it, so every other page's fingerprint is as before.
    if let Some(sop) = sop {
        let prose = (sop.method.iter())
            .chain(&sop.equipment)
            .chain(&sop.reagents)
            .chain(&sop.safety)
            .chain(sop.revisions.iter().map(|r| &r.changes));
        for text in prose {
            hash = hash.text("\u{1f}").text(text);
        }
    }
    hash.finish()
}

/// FNV-1a rather than the standard hasher, whose output may change between Rust releases: the
/// value is written into files and must mean the same next year. Line endings and a byte-order
/// mark do not count, so a checkout on Windows agrees with one on Linux.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn text(mut self, text: &str) -> Self {
        for &byte in text.trim_start_matches('\u{feff}').as_bytes() {
            if byte == b'\r' {
                continue;
            }
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    fn finish(self) -> String {
        format!("{:012x}", self.0 >> 16)
    }
}

/// Files named like a translation (`chapter.de.md` beside `chapter.md`) into a language that
/// `pedon.toml` does not declare: built as pages of their own, which is rarely what was meant.
pub(super) fn undeclared(pages: &[Page], by_rel: &FxHashMap<String, PageId>) -> Vec<Diagnostic> {
    pages
        .iter()
        .filter_map(|page| {
            let (original, code) = language_suffix(&page.rel)?;
            if !crate::config::is_language_code(code) {
                return None;
            }
            by_rel.contains_key(&original).then(|| {
                Diagnostic::warning(
                    Code::OrphanTranslation,
                    format!(
                        "`{}` looks like a translation of `{original}` into `{code}`, which is not a language of the site",
                        page.rel
                    ),
                )
                .at(
                    Span::file_start(page.file.expect("loaded pages have files")),
                    "built as a page of its own",
                )
                .help(format!(
                    "add `[[languages]]` with `code = \"{code}\"` to pedon.toml, or rename the file"
                ))
            })
        })
        .collect()
}

/// The fingerprints of originals' texts, by the digest of the original's file (the title,
/// description, SOP metadata and body it is made of are all the file's): an original translated
/// into five languages is read and hashed once, not five times, and `pedon serve` hashes again
/// only the originals that changed. Hashing every original's text on every rebuild was half of
/// the model's work on the site-shaped corpus.
#[derive(Debug, Default)]
pub(super) struct Fingerprints(FxHashMap<u64, String>);

impl Fingerprints {
    /// Makes, in parallel, the fingerprints of `originals` that are not kept yet.
    fn add(&mut self, originals: &[&Page], cx: &Context) {
        let made: Vec<(u64, String)> = (originals.par_iter())
            .filter_map(|original| {
                let source = cx.sources.get(original.file?);
                (!self.0.contains_key(&source.digest))
                    .then(|| (source.digest, Self::make(original, source)))
            })
            .collect();
        self.0.extend(made);
    }

    /// The fingerprint of `original`, whose file is `file`: kept, or made now.
    fn of(
        &self,
        original: &Page,
        file: crate::diagnostics::FileId,
        cx: &Context,
    ) -> std::borrow::Cow<'_, str> {
        let source = cx.sources.get(file);
        match self.0.get(&source.digest) {
            Some(kept) => kept.into(),
            None => Self::make(original, source).into(),
        }
    }

    fn make(original: &Page, source: &crate::diagnostics::SourceFile) -> String {
        let of = &original.front;
        text_fingerprint(
            &of.title,
            of.description.as_deref(),
            of.sop.as_ref(),
            &source.read_range(original.body.clone()),
        )
    }
}

/// Appends every other language's pages to the default language's `pages`, in the same order.
/// `translated` are the translation files loaded (and scanned); those without an original are
/// reported and left out.
pub(super) fn mirror(
    pages: &mut Vec<Page>,
    translated: Vec<Page>,
    cx: &Context,
    fingerprints: &mut Fingerprints,
    by_rel: &mut FxHashMap<String, PageId>,
    unpublished: &mut HashMap<String, Unpublished>,
    diagnostics: &mut Diagnostics,
) {
    let n = pages.len();
    // Kept from earlier rebuilds: dropped when it holds far more than the site's originals.
    if fingerprints.0.len() > 2 * n.max(64) {
        fingerprints.0.clear();
    }
    // Each language's translations, by their original's number.
    let mut own: Vec<Vec<Option<Page>>> = (0..cx.locales.len()).map(|_| vec![None; n]).collect();
    for t in translated {
        let (base, lang) = split_language(&t.rel, cx.config);
        if let Some(original) = by_rel.get(&base)
            && let Some(slot) = own.get_mut(lang.0).and_then(|o| o.get_mut(original.0))
        {
            *slot = Some(t);
        } else if unpublished.get(&base) == Some(&Unpublished::Draft) {
            unpublished.insert(t.rel, Unpublished::Draft);
        } else {
            if let Some(file) = t.file {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::OrphanTranslation,
                        format!("`{}` translates `{base}`, which does not exist", t.rel),
                    )
                    .at(Span::file_start(file), "this translation is not published")
                    .help(format!(
                        "a translation sits beside its original: add `content/{base}`, or rename this file after the page it translates"
                    )),
                );
            }
            unpublished.insert(t.rel, Unpublished::Failed);
        }
    }
    // Hashed in parallel before the languages are made, which then only look them up.
    let translated_originals: Vec<&Page> = (pages[..n].iter().enumerate())
        .filter(|(i, _)| own.iter().skip(1).any(|o| o[*i].is_some()))
        .map(|(_, original)| original)
        .collect();
    fingerprints.add(&translated_originals, cx);
    let fingerprints = &*fingerprints;
    pages.reserve(n * (cx.locales.len().saturating_sub(1)));
    for (l, translations) in own.into_iter().enumerate().skip(1) {
        let lang = Lang(l);
        let made: Vec<Mirrored> = (pages[..n].par_iter().zip(translations))
            .map(|(original, t)| match t {
                Some(t) => {
                    let (page, warning) = translation(original, t, cx, fingerprints);
                    Mirrored::Translation(place(page, original, n, lang, cx), warning)
                }
                None => {
                    let translation = match original.file {
                        // A page made from data alone has no text to translate: it is made in
                        // each language from its strings and names.
                        None => Translation::Translated { stale: false },
                        Some(_) => Translation::Fallback,
                    };
                    let page = Page {
                        translation,
                        ..original.clone()
                    };
                    Mirrored::Made(place(page, original, n, lang, cx))
                }
            })
            .collect();
        for made in made {
            let page = match made {
                Mirrored::Made(page) => page,
                Mirrored::Translation(page, warning) => {
                    by_rel.insert(page.rel.clone(), page.id);
                    diagnostics.extend(warning);
                    page
                }
            };
            pages.push(page);
        }
    }
}

/// A page of a language other than the default, made from its original.
enum Mirrored {
    /// A fallback, or a page made from data.
    Made(Page),
    /// A translation file, with the warning when it is out of date or does not say.
    Translation(Page, Option<Diagnostic>),
}

/// `page`, made from `original` (of the `n` pages of the default language), numbered,
/// addressed and linked into the tree as its place in `lang`.
fn place(mut page: Page, original: &Page, n: usize, lang: Lang, cx: &Context) -> Page {
    let shift = |id: PageId| PageId(lang.0 * n + id.0);
    let locale = &cx.locales[lang.0];
    page.id = shift(original.id);
    page.lang = lang;
    page.original = original.id;
    page.url = format!("{}/{}", locale.code, original.url);
    page.parent = original.parent.map(shift);
    page.children = original.children.iter().copied().map(shift).collect();
    if let Some(data_page) = page.data {
        let (title, description) = data_pages::front(data_page, cx.data, locale, lang);
        if page.file.is_none() || page.translation == Translation::Fallback {
            std::sync::Arc::make_mut(&mut page.front).title = title;
        }
        if page.front.description.is_none() || page.file.is_none() {
            std::sync::Arc::make_mut(&mut page.front).description = description;
        }
    }
    page
}

/// A translation file placed where its original is, with the original's structure.
fn translation(
    original: &Page,
    t: Page,
    cx: &Context,
    fingerprints: &Fingerprints,
) -> (Page, Option<Diagnostic>) {
    let mut front = std::sync::Arc::unwrap_or_clone(t.front);
    let of = &original.front;
    front.weight = of.weight;
    front.slug = of.slug.clone();
    front.sop = front.sop.or_else(|| of.sop.clone());
    front.webinar = front.webinar.or_else(|| of.webinar.clone());
    front.date = front.date.or_else(|| of.date.clone());
    if front.authors.is_empty() {
        front.authors = of.authors.clone();
    }
    let (stale, warning) = match (original.file, t.file) {
        (Some(of_file), Some(file)) => freshness(
            &front.translated_from,
            &fingerprints.of(original, of_file, cx),
            &original.rel,
            file,
            t.body.start,
            cx.sources,
        ),
        _ => (false, None),
    };
    let page = Page {
        file: t.file,
        rel: t.rel,
        front: front.into(),
        body: t.body,
        doc: t.doc,
        translation: Translation::Translated { stale },
        ..original.clone()
    };
    (page, warning)
}

/// Whether a translation was made from an older original; warns when it was, or when it does
/// not say.
fn freshness(
    recorded: &Option<String>,
    current: &str,
    original_rel: &str,
    file: crate::diagnostics::FileId,
    front_end: usize,
    sources: &SourceMap,
) -> (bool, Option<Diagnostic>) {
    match recorded {
        Some(recorded) if recorded == current => (false, None),
        Some(recorded) => {
            let text = &sources.get(file).text();
            let span = value_span(text, 0..front_end, "translated_from").unwrap_or(0..0);
            let warning = Diagnostic::warning(
                Code::StaleTranslation,
                format!("translation of `{original_rel}` is out of date"),
            )
            .at(
                Span::new(file, span),
                format!("made from version {recorded}; the original is now {current}"),
            )
            .help(format!(
                "bring the translation up to date with the original (`git diff` on content/{original_rel} shows what changed), then set `translated_from: {current}`"
            ));
            (true, Some(warning))
        }
        None => {
            let warning = Diagnostic::warning(
                Code::StaleTranslation,
                format!("translation of `{original_rel}` does not say which version it was made from"),
            )
            .at(Span::file_start(file), "no `translated_from` in the front matter")
            .help(format!(
                "add `translated_from: {current}` to the front matter if the translation matches the original as it is now; readers are then told when the original changes"
            ));
            (false, Some(warning))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn an_sops_prose_counts_and_its_version_does_not() {
        let sop = |version: &str, safety: &str| {
            format!(
                "---\ntitle: pH\nsop:\n  code: X-01\n  version: \"{version}\"\n  status: final\n  safety: [\"{safety}\"]\n---\nSteps.\n"
            )
        };
        let before = fingerprint(&sop("1.0", "Wear goggles."));
        assert_eq!(before, fingerprint(&sop("1.1", "Wear goggles.")));
        assert_ne!(before, fingerprint(&sop("1.0", "Wear goggles and gloves.")));
    }

    #[test]
    fn fingerprints_ignore_line_endings_and_bom() {
        let page = "---\ntitle: Soil\n---\na\nb\n";
        assert_eq!(
            fingerprint(page),
            fingerprint("\u{feff}---\r\ntitle: Soil\r\n---\r\na\r\nb\r\n")
        );
        assert_ne!(
            fingerprint(page),
            fingerprint("---\ntitle: Soil\n---\na\nc\n")
        );
        assert_eq!(fingerprint("").len(), 12);
        // Written into files: must never change.
        assert_eq!(fingerprint(page), "854efdcbbeaf");
    }

    #[test]
    fn only_the_text_counts_not_the_metadata() {
        let page = "---\ntitle: Soil\ndescription: Why.\nweight: 1\n---\nBody.\n";
        let same_text = "---\ntitle: Soil\nweight: 7\nupdated: 2026-11-21\nauthors: [A, B]\ndraft: true\ndescription: Why.\n---\nBody.\n";
        assert_eq!(fingerprint(page), fingerprint(same_text));
        for changed in [
            page.replace("title: Soil", "title: Soils"),
            page.replace("Why.", "Why not."),
            page.replace("Body.", "Body!"),
        ] {
            assert_ne!(fingerprint(page), fingerprint(&changed), "{changed}");
        }
    }
}
