//! Tera, loaded once per build, and the view types that make up a template's context. The context
//! is an API chosen here, not the model's internals: templates see titles, relative URLs and
//! rendered HTML, never `PageId`s or source offsets.

use super::html::Html;
use crate::diagnostics::{Code, Diagnostic, SourceMap, Span};
use crate::load::Theme;
use serde::Serialize;

/// Compiles the theme's templates. Errors point into the template file when it is on disk.
pub fn compile(theme: &Theme, sources: &SourceMap) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(super::html::escape);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for t in &theme.templates {
        match std::str::from_utf8(&t.bytes) {
            Ok(text) => files.push((t.name.clone(), text.to_string())),
            Err(_) => problems.push(Diagnostic::error(
                Code::Template,
                format!("template `{}` is not UTF-8", t.name),
            )),
        }
    }
    if let Err(e) = tera.add_raw_templates(files) {
        problems.push(template_error(&e, theme, sources));
    }
    if problems.is_empty() {
        Ok(tera)
    } else {
        Err(problems)
    }
}

/// A Tera error as a diagnostic: the whole cause chain, located in the template file when Tera
/// names a line.
pub fn template_error(error: &tera::Error, theme: &Theme, sources: &SourceMap) -> Diagnostic {
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    let name = chain
        .iter()
        .find_map(|m| {
            m.split('\'')
                .nth(1)
                .filter(|n| n.ends_with(".html") || n.ends_with(".xml"))
        })
        .map(str::to_string);
    let message = chain.join(": ").replace('\n', " ");
    // An unknown name in `include` (at render time) or `extends` (when compiling).
    let missing = chain.iter().find_map(|m| {
        let name = match m.strip_prefix("Template '")?.strip_suffix("' not found") {
            Some(name) => name,
            None => m.split("is inheriting from '").nth(1)?.split('\'').next()?,
        };
        Some(name.trim_matches(['[', ']']).to_string())
    });
    let help = match &missing {
        Some(name) => format!(
            "there is no template `{name}` in the theme's templates/ folder or the built-in theme: check its name"
        ),
        None => "fix the template; the message above names the construct Tera could not handle"
            .to_string(),
    };
    let mut d = Diagnostic::error(
        Code::Template,
        format!("template error: {}", short(&message)),
    )
    .help(help);
    let file = name
        .as_deref()
        .and_then(|n| theme.templates.iter().find(|t| t.name == n))
        .and_then(|t| t.file);
    let at = match (file, line_col(&message)) {
        (Some(file), Some((l, c))) => {
            let offset = sources.get(file).offset_of(l, c);
            Some(Span::new(file, offset..offset))
        }
        // Render errors carry no position: find the construct they name instead.
        _ => construct_span(&message, name.as_deref(), theme, sources)
            .or_else(|| file.map(|f| Span::new(f, 0..0))),
    };
    if let Some(span) = at {
        d = d.at(span, "in this template");
    }
    d
}

/// Where a construct a Tera message quotes (`Filter 'x' not found`, `Variable `page.x` not
/// found`, `Template 'x.html' not found`) is written: first in the template the error names, then
/// in the site's other templates (it may sit in a parent the named one extends).
fn construct_span(
    message: &str,
    template: Option<&str>,
    theme: &Theme,
    sources: &SourceMap,
) -> Option<Span> {
    let quoted: Vec<&str> = message
        .split('\'')
        .skip(1)
        .step_by(2)
        .chain(message.split('`').skip(1).step_by(2))
        .map(|q| q.trim_matches(['[', ']']))
        .filter(|q| !q.is_empty() && Some(*q) != template)
        .collect();
    let mut files: Vec<_> = theme
        .templates
        .iter()
        .filter(|t| t.file.is_some())
        .collect();
    files.sort_by_key(|t| Some(t.name.as_str()) != template);
    quoted.iter().find_map(|q| {
        files.iter().find_map(|t| {
            let file = t.file?;
            let at = sources.get(file).text().find(q)?;
            Some(Span::new(file, at..at + q.len()))
        })
    })
}

/// Tera's parse errors carry ` --> L:C`.
fn line_col(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")? + 4;
    let rest = &message[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The message without the source excerpt Tera draws into parse errors (` --> 5:24 | 5 | … | ^---
/// | = reason`): the diagnostic shows the line itself, so only the reason is kept.
fn short(message: &str) -> String {
    match (message.find(" --> "), message.rfind(" = ")) {
        (Some(at), Some(reason)) if reason > at => {
            squeeze(&format!("{} {}", &message[..at], &message[reason + 3..]))
        }
        _ => squeeze(message),
    }
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: String,
    pub repository: Option<&'a str>,
    pub version: Option<&'a str>,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    /// The title's language where it differs from the page's (a fallback's title is the
    /// original's): screen readers switch voice on `lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The sidebar's nested lists as HTML: `<li class="current|open|more">` and a link per item.
/// Written here rather than by a recursive Tera macro, which was a tenth of a 10,000-page build
/// (each page has its own sidebar); a theme can still make its own from `nav`.
pub fn nav_html(items: &[NavItem]) -> String {
    fn list(items: &[NavItem], out: &mut Html) {
        out.markup("\n<ul>");
        for item in items {
            let class = if item.current {
                Some("current")
            } else if item.open {
                Some("open")
            } else if item.more {
                Some("more")
            } else {
                None
            };
            out.markup("\n").open("li").attr_opt("class", class).end();
            out.open("a")
                .attr("href", &item.url)
                .attr_opt("lang", item.lang.as_deref())
                .attr_if(item.lang.is_some(), "dir", "auto")
                .attr_if(item.current, "aria-current", "page")
                .end()
                .text(&item.title)
                .close("a");
            if !item.children.is_empty() {
                list(&item.children, out);
            }
            out.close("li");
        }
        out.markup("\n</ul>\n");
    }
    let mut out = Html::with_capacity(items.len() * 120);
    list(items, &mut out);
    out.finish().into_string()
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The page being rendered.
    pub current: bool,
    /// Expanded: the current page or one of its ancestors.
    pub open: bool,
    pub section: bool,
    /// "… N more": a link to the section page standing for the entries not listed.
    pub more: bool,
    pub children: Vec<NavItem>,
}

#[derive(Serialize)]
pub struct TocItem {
    pub id: String,
    pub text: String,
    pub children: Vec<TocItem>,
}

#[derive(Serialize)]
pub struct ChildView {
    pub title: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    pub description: Option<String>,
    pub section: bool,
    pub sop_code: Option<String>,
    pub date: Option<String>,
    /// The child's `date` as the page's language writes it.
    pub date_display: Option<String>,
    /// When the child is an event: its date and time as readers see it.
    pub event: Option<String>,
}

/// A section's events, split by the build's date, with its feeds' URLs.
#[derive(Serialize)]
pub struct EventsView {
    /// Soonest first.
    pub upcoming: Vec<ChildView>,
    /// Latest first.
    pub past: Vec<ChildView>,
    /// The section's other children, in their order.
    pub others: Vec<ChildView>,
    /// The Atom feed and the iCalendar file of upcoming events, relative to the section page.
    pub feed: String,
    pub calendar: String,
}

#[derive(Serialize)]
pub struct SopView {
    pub code: String,
    pub version: String,
    pub status: crate::load::SopStatus,
    /// Contaminant names, linked to their pages when the site has threshold data.
    pub analytes: Vec<LinkView>,
    pub method: Option<String>,
    pub equipment: Vec<String>,
    pub reagents: Vec<String>,
    pub safety: Vec<String>,
    pub revisions: Vec<crate::load::Revision>,
}

#[derive(Serialize)]
pub struct WebinarView {
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    /// As the editor wrote it, readable: `2022-04-22 12:00 (UTC+02:00)`.
    pub display: String,
    /// When it ends, if the page says: `2022-04-22 15:00 (UTC+02:00)`.
    pub end: Option<String>,
    pub speakers: Vec<String>,
    pub language: Option<String>,
    pub slides: Option<String>,
    pub recording: Option<String>,
    pub chapters: Vec<LinkView>,
}

/// One entry of the language switcher.
#[derive(Serialize)]
pub struct LanguageLink {
    pub code: String,
    /// In the language itself.
    pub name: String,
    pub dir: &'static str,
    /// The same page in that language, relative to the page.
    pub url: String,
    /// Its absolute address, for `hreflang` alternates.
    pub absolute: String,
    pub current: bool,
    /// False where that language shows the original's text.
    pub translated: bool,
}

/// A notice above a page's text: a fallback to the original, or a stale translation.
#[derive(Serialize)]
pub struct NoticeView {
    /// `fallback` or `stale`.
    pub kind: &'static str,
    pub text: String,
    pub original_url: String,
    pub original_lang: String,
}

#[derive(Serialize)]
pub struct PageView {
    pub title: String,
    pub description: Option<String>,
    pub kind: &'static str,
    /// The page's language code, for `<html lang>`.
    pub lang: String,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub dir: &'static str,
    /// Set when the text is in another language than the page (a fallback to the original).
    pub content_lang: Option<String>,
    /// The same page in each language; empty on a site with one language.
    pub languages: Vec<LanguageLink>,
    pub notice: Option<NoticeView>,
    pub content: String,
    pub canonical: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// `updated` as readers of the page's language write a date.
    pub updated_display: Option<String>,
    pub authors: Vec<String>,
    pub words: usize,
    pub reading_minutes: usize,
    pub toc: Vec<TocItem>,
    pub children: Vec<ChildView>,
    /// Set on a section with event pages among its children.
    pub events: Option<EventsView>,
    pub sop: Option<SopView>,
    pub webinar: Option<WebinarView>,
    /// Path of the source relative to the site root, for "edit this page".
    pub source: Option<String>,
    /// The content has highlighted code, which needs `highlight.css`.
    pub highlighted: bool,
    /// The section's print edition, relative to the page, when it has one.
    pub print_url: Option<String>,
    /// Set on a print edition: the pages it holds.
    pub print: Option<PrintView>,
    /// How to cite the page.
    pub cite: Option<CiteView>,
    /// For pages drawn from the threshold database.
    pub data: Option<super::thresholds::DataView>,
}

/// A section's pages on one page, for printing.
#[derive(Serialize)]
pub struct PrintView {
    pub chapters: Vec<PrintChapter>,
}

#[derive(Serialize)]
pub struct PrintChapter {
    /// The id of the chapter's heading; its own ids are prefixed with it.
    pub anchor: String,
    pub title: String,
    /// The page on its own.
    pub url: String,
    pub sop: Option<SopView>,
    pub content: String,
}

/// "Cite this page": the same reference as plain text and as BibTeX.
#[derive(Serialize)]
pub struct CiteView {
    pub text: String,
    pub bibtex: String,
}

/// The context of one page's template.
#[derive(Serialize)]
pub struct PageContext<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageView,
    /// Relative prefix to the site root (`../` from `manual/a.html`).
    pub root: String,
    /// The sidebar as data, for a theme that builds its own.
    pub nav: Vec<NavItem>,
    /// The sidebar as HTML ([`nav_html`]).
    pub nav_html: String,
    pub breadcrumbs: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub home_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, url: &str) -> NavItem {
        NavItem {
            title: title.into(),
            url: url.into(),
            lang: None,
            current: false,
            open: false,
            section: false,
            more: false,
            children: Vec::new(),
        }
    }

    #[test]
    fn the_sidebar_nests_marks_and_escapes() {
        let nav = vec![
            NavItem {
                open: true,
                section: true,
                children: vec![
                    NavItem {
                        current: true,
                        ..item("Lead & <zinc>", "manual/a.html")
                    },
                    NavItem {
                        more: true,
                        ..item("12 more", "manual/index.html")
                    },
                ],
                ..item("Manual", "manual/index.html")
            },
            NavItem {
                lang: Some("en".into()),
                ..item("About \"us\" & 'them'", "about.html?a=1&b=<2>")
            },
        ];
        assert_eq!(
            nav_html(&nav),
            "\n<ul>\
             \n<li class=\"open\"><a href=\"manual/index.html\">Manual</a>\
             \n<ul>\
             \n<li class=\"current\"><a href=\"manual/a.html\" aria-current=\"page\">Lead &amp; &lt;zinc&gt;</a></li>\
             \n<li class=\"more\"><a href=\"manual/index.html\">12 more</a></li>\
             \n</ul>\n</li>\
             \n<li><a href=\"about.html?a=1&amp;b=&lt;2&gt;\" lang=\"en\" dir=\"auto\">About &quot;us&quot; &amp; &#39;them&#39;</a></li>\
             \n</ul>\n"
        );
    }
}
