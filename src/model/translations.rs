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
use rustc_hash::FxHashMap;
use std::collections::HashMap;

pub(super) struct Context<'a> {
    pub config: &'a Config,
    pub locales: &'a [Locale],
    pub sources: &'a SourceMap,
    pub data: &'a Database,
}

/// A short, stable fingerprint of an original's text, which its translations record as
/// `translated_from`. FNV-1a rather than the standard hasher, whose output may change between
/// Rust releases: this value is written into files and must mean the same next year. Line
/// endings do not count, so a checkout on Windows agrees with one on Linux.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in text.trim_start_matches('\u{feff}').as_bytes() {
        if byte == b'\r' {
            continue;
        }
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", hash >> 16)
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

/// Appends every other language's pages to the default language's `pages`, in the same order.
/// `translated` are the translation files loaded (and scanned); those without an original are
/// reported and left out.
pub(super) fn mirror(
    pages: &mut Vec<Page>,
    translated: Vec<Page>,
    cx: &Context,
    by_rel: &mut FxHashMap<String, PageId>,
    unpublished: &mut HashMap<String, Unpublished>,
    diagnostics: &mut Diagnostics,
) {
    let n = pages.len();
    let mut by_place: HashMap<(String, Lang), Page> = HashMap::new();
    for t in translated {
        let (base, lang) = split_language(&t.rel, cx.config);
        if by_rel.contains_key(&base) {
            by_place.insert((base, lang), t);
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
    for (l, locale) in cx.locales.iter().enumerate().skip(1) {
        let lang = Lang(l);
        let shift = |id: PageId| PageId(l * n + id.0);
        for i in 0..n {
            let original = &pages[i];
            let id = PageId(l * n + i);
            let mut page = match by_place.remove(&(original.rel.clone(), lang)) {
                Some(t) => {
                    by_rel.insert(t.rel.clone(), id);
                    translation(original, t, cx, diagnostics)
                }
                // A page made from data alone has no text to translate: it is made in each
                // language from its strings and names.
                None if original.file.is_none() => Page {
                    translation: Translation::Translated { stale: false },
                    ..original.clone()
                },
                None => Page {
                    translation: Translation::Fallback,
                    ..original.clone()
                },
            };
            page.id = id;
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
            pages.push(page);
        }
    }
}

/// A translation file placed where its original is, with the original's structure.
fn translation(original: &Page, t: Page, cx: &Context, diagnostics: &mut Diagnostics) -> Page {
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
    let stale = match (original.file, t.file) {
        (Some(of_file), Some(file)) => freshness(
            &front.translated_from,
            &cx.sources.get(of_file).text,
            &original.rel,
            file,
            t.body.start,
            cx.sources,
            diagnostics,
        ),
        _ => false,
    };
    Page {
        file: t.file,
        rel: t.rel,
        front: front.into(),
        body: t.body,
        doc: t.doc,
        translation: Translation::Translated { stale },
        ..original.clone()
    }
}

/// Whether a translation was made from an older original; warns when it was, or when it does
/// not say.
fn freshness(
    recorded: &Option<String>,
    original_text: &str,
    original_rel: &str,
    file: crate::diagnostics::FileId,
    front_end: usize,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> bool {
    let current = fingerprint(original_text);
    match recorded {
        Some(recorded) if *recorded == current => false,
        Some(recorded) => {
            let text = &sources.get(file).text;
            let span = value_span(text, 0..front_end, "translated_from").unwrap_or(0..0);
            diagnostics.push(
                Diagnostic::warning(
                    Code::StaleTranslation,
                    format!("translation of `{original_rel}` is out of date"),
                )
                .at(
                    Span::new(file, span),
                    format!("made from version {recorded}; the original is now {current}"),
                )
                .help(format!(
                    "bring the translation up to date with the original (`git diff` on content/{original_rel} shows what changed), then set `translated_from: {current}`"
                )),
            );
            true
        }
        None => {
            diagnostics.push(
                Diagnostic::warning(
                    Code::StaleTranslation,
                    format!("translation of `{original_rel}` does not say which version it was made from"),
                )
                .at(Span::file_start(file), "no `translated_from` in the front matter")
                .help(format!(
                    "add `translated_from: {current}` to the front matter if the translation matches the original as it is now; readers are then told when the original changes"
                )),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_ignore_line_endings_and_bom() {
        assert_eq!(fingerprint("a\nb\n"), fingerprint("\u{feff}a\r\nb\r\n"));
        assert_ne!(fingerprint("a\nb\n"), fingerprint("a\nc\n"));
        assert_eq!(fingerprint("").len(), 12);
        // Written into files: must never change.
        assert_eq!(fingerprint("title: Introduction\n"), "3097b222bffe");
    }
}
