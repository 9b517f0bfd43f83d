//! Validation over the finished model, as its own pass (never a side effect of rendering): URL
//! collisions, duplicate SOP codes, unknown related chapters, images without alternative text.
//! Link resolution reports its own errors in the model; everything here needs the whole site.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span, did_you_mean};
use crate::model::{PageKind, Site};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;

pub fn check(site: &Site) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    collisions(site, &mut diagnostics);
    sop_codes(site, &mut diagnostics);
    webinar_chapters(site, &mut diagnostics);
    images(site, &mut diagnostics);
    table_headers(site, &mut diagnostics);
    print_sections(site, &mut diagnostics);
    diagnostics
}

/// Two sources written to one output path, including paths that differ only by case: they
/// overwrite each other on macOS and Windows hosts.
fn collisions(site: &Site, diagnostics: &mut Diagnostics) {
    let mut seen: FxHashMap<Cow<str>, &str> = FxHashMap::default();
    let mut owner: FxHashMap<Cow<str>, usize> = FxHashMap::default();
    for page in site.pages.iter().filter(|p| p.has_own_text()) {
        let key = case_folded(&page.url);
        if let Some(&first) = owner.get(&key) {
            let first_page = &site.pages[first];
            let Some(file) = page.file else { continue };
            let mut d = Diagnostic::error(
                Code::UrlCollision,
                format!(
                    "`{}` and `{}` both become `{}`",
                    first_page.rel, page.rel, page.url
                ),
            )
            .at(Span::file_start(file), "second page with this URL")
            .help("rename one of the files, or give one a different `slug` in its front matter");
            if let Some(f) = first_page.file {
                d = d.also(Span::file_start(f), "first page with this URL");
            }
            diagnostics.push(d);
        } else {
            owner.insert(key, page.id.0);
        }
    }
    for asset in &site.assets {
        let key = case_folded(&asset.rel);
        if let Some(&p) = owner.get(&key) {
            let page = &site.pages[p];
            if let Some(file) = page.file {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UrlCollision,
                        format!(
                            "page `{}` and file `{}` are both written to `{}`",
                            page.rel,
                            crate::load::display_path(std::path::Path::new("."), &asset.path),
                            page.url
                        ),
                    )
                    .at(Span::file_start(file), "this page")
                    .help("rename the static file or the page"),
                );
            }
        } else if let Some(first) = seen.insert(key.clone(), &asset.rel)
            && first != asset.rel
        {
            let id = site
                .by_rel
                .get("_index.md")
                .and_then(|&h| site.page(h).file);
            let d = Diagnostic::error(
                Code::UrlCollision,
                format!("files `{first}` and `{}` differ only by case", asset.rel),
            )
            .help("rename one: they overwrite each other on case-insensitive hosts");
            diagnostics.push(match id {
                Some(f) => d.at(Span::file_start(f), "in this site"),
                None => d,
            });
        }
    }
}

/// `path` as a case-insensitive host compares it. Page URLs are slugs, lower-case already: they
/// are taken as they are rather than copied, ten thousand times on every edit of a large site.
fn case_folded(path: &str) -> Cow<'_, str> {
    if path
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        Cow::Owned(path.to_lowercase())
    } else {
        Cow::Borrowed(path)
    }
}

/// Over the default language: translations take their `sop:` block from the original.
fn sop_codes(site: &Site, diagnostics: &mut Diagnostics) {
    let mut first: HashMap<&str, &crate::model::Page> = HashMap::new();
    for page in &site.pages[..site.per_language] {
        let (Some(sop), Some(file)) = (&page.front.sop, page.file) else {
            continue;
        };
        let span = value_span(site, file, &sop.code);
        if let Some(other) = first.get(sop.code.as_str()) {
            let mut d = Diagnostic::error(
                Code::DuplicateId,
                format!("SOP code `{}` is used twice", sop.code),
            )
            .at(span.clone(), "second use")
            .help("give each SOP its own code");
            if let Some(f) = other.file {
                d = d.also(value_span(site, f, &sop.code), "first use");
            }
            diagnostics.push(d);
        } else {
            first.insert(&sop.code, page);
        }
        if page.kind != PageKind::Page {
            diagnostics.push(
                Diagnostic::error(Code::FrontMatterField, "a section cannot be an SOP")
                    .at(span, "here")
                    .help("move the `sop:` block to a page of its own"),
            );
        }
    }
}

fn webinar_chapters(site: &Site, diagnostics: &mut Diagnostics) {
    for page in &site.pages[..site.per_language] {
        let (Some(webinar), Some(file)) = (&page.front.webinar, page.file) else {
            continue;
        };
        for chapter in &webinar.chapters {
            if !site.by_rel.contains_key(chapter.trim_start_matches('/')) {
                let suggestion = crate::diagnostics::did_you_mean_path(
                    chapter,
                    site.by_rel.keys().map(String::as_str),
                );
                diagnostics.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!("related chapter `{chapter}` does not exist"),
                    )
                    .at(value_span(site, file, chapter), "no such page")
                    .help(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            "give the path relative to `content/`, like `manual/01-introduction.md`"
                                .into()
                        }
                    }),
                );
            }
        }
    }
}

fn images(site: &Site, diagnostics: &mut Diagnostics) {
    for page in site.pages.iter().filter(|p| p.has_own_text()) {
        let Some(file) = page.file else { continue };
        for link in page
            .doc
            .links
            .iter()
            .filter(|l| l.is_image && l.alt.trim().is_empty())
        {
            diagnostics.push(
                Diagnostic::warning(Code::MissingAlt, "image has no alternative text")
                    .at(Span::new(file, link.span.clone()), "no alt text")
                    .help("describe the image for readers who cannot see it: `![what it shows](path)`"),
            );
        }
    }
}

/// Table header cells with no text: screen readers announce each cell of the column by its
/// header (axe's `empty-table-header`).
fn table_headers(site: &Site, diagnostics: &mut Diagnostics) {
    for page in site.pages.iter().filter(|p| p.has_own_text()) {
        let Some(file) = page.file else { continue };
        for cell in &page.doc.empty_headers {
            diagnostics.push(
                Diagnostic::warning(Code::EmptyTableHeader, "table header cell is empty")
                    .at(Span::new(file, cell.clone()), "no header text")
                    .help("say what the column holds (or, for the first column, what the rows are): screen readers announce each cell by its header"),
            );
        }
    }
}

/// Where a front-matter value is written, for pointing at it; the file start if not found.
fn value_span(site: &Site, file: crate::diagnostics::FileId, value: &str) -> Span {
    let text = &site.sources.get(file).text();
    match text.find(value) {
        Some(i) if !value.is_empty() => Span::new(file, i..i + value.len()),
        _ => Span::file_start(file),
    }
}

/// `[print] sections` entries that are not sections of the site, located in `pedon.toml` where
/// the TOML parser saw them. Checked here with everything else, so a misspelt entry is reported
/// in the same run as the site's other mistakes.
fn print_sections(site: &Site, diagnostics: &mut Diagnostics) {
    let file = crate::model::PRINT_FILE;
    let known: Vec<&str> = site
        .pages
        .iter()
        .filter(|p| p.is_section() && !p.dir().is_empty() && p.data.is_none())
        .map(|p| p.dir())
        .collect();
    for entry in &site.config.print.sections {
        let name = entry.get_ref();
        if site.print_section(name).is_some() {
            continue;
        }
        let closest = did_you_mean(name, known.iter().copied());
        let suggestion = closest
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let mut d = Diagnostic::error(
            Code::Config,
            format!("`[print] sections` names `{name}`, which is not a section of the site, or whose {file} is taken by a page"),
        )
        .help(format!(
            "{suggestion}name a folder under content/ that holds pages (sections: {}), and keep its {file} free",
            known.join(", ")
        ));
        if let Some(config) = site.config.file {
            // The span is the quoted string; the caret goes under the name inside the quotes.
            let span = entry.span();
            let inner = span.start + 1..span.end.saturating_sub(1).max(span.start + 1);
            d = d
                .at(Span::new(config, inner.clone()), "not a section")
                .maybe_suggest(Span::new(config, inner), closest.map(str::to_string));
        }
        diagnostics.push(d);
    }
}
