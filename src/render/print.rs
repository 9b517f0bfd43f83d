//! The print edition of a section (`[print] sections` in `pedon.toml`): every page of the
//! section in reading order on one page, `print.html` beside the section's `index.html`, for
//! printing the whole manual or saving it as one PDF.
//!
//! Each page's HTML is the same as on its own page, with its ids prefixed by the page's anchor so
//! that two chapters' "Sources" headings stay distinct, and links between the printed pages
//! turned into links within the print edition.

use super::context::{page_context, sop_view};
use super::markdown;
use super::shown::View;
use super::templates::{PageContext, PrintChapter, PrintView, SiteView};
use crate::model::{Page, PageId, Site};

use crate::model::PRINT_FILE as FILE;

/// The section pages that have a print edition.
pub fn sections(site: &Site) -> Vec<PageId> {
    site.config
        .print
        .sections
        .iter()
        .filter_map(|name| site.print_section(name.get_ref()))
        .collect()
}

/// The context of a section's print edition, rendered with `print.html`. Each chapter is its
/// page's own text and SOP block; which pages are chapters, and their titles and addresses, are
/// what the section shows of them ([`View`]). Print editions are not cached: they are made anew
/// on every build.
pub fn context<'a>(
    site: &Site,
    view: &View,
    id: PageId,
    site_view: &'a SiteView<'a>,
) -> (String, PageContext<'a>) {
    let section = site.page(id);
    let dir = section.url.trim_end_matches("index.html");
    let url = format!("{dir}{FILE}");
    let pages: Vec<&Page> = (site.order.iter())
        .filter(|&&p| view.page(p).has_file && (p == id || view.ancestors(p).contains(&id)))
        .map(|&p| site.page(p))
        .collect();
    // Links from one printed page to another stay on the print edition. Every printed page is
    // under the section; links are relative to the page, so rewritten from each page's folder.
    let anchors: Vec<(String, String)> = (pages.iter())
        .map(|p| (p.url.clone(), anchor(view.page(p.id).url)))
        .collect();
    let chapters: Vec<PrintChapter> = pages
        .iter()
        .map(|page| {
            let shown = view.page(page.id);
            let html = markdown::render(site, view, page);
            let prefix = anchor(shown.url);
            PrintChapter {
                anchor: prefix.clone(),
                title: shown.title.to_string(),
                url: markdown::relative_url(&url, shown.url),
                sop: sop_view(view, page),
                content: rewrite(&html, &prefix, page, &url, &anchors),
            }
        })
        .collect();
    let mut context = page_context(view, section, site_view);
    context
        .breadcrumbs
        .push(super::context::link(view, section, view.page(id)));
    context.prev = None;
    context.next = None;
    let page = &mut context.page;
    page.title = format!("{} (print edition)", section.title());
    page.kind = "print";
    page.canonical = format!("{}{url}", view.config().absolute_base());
    page.toc = Vec::new();
    page.cite = None;
    page.source = None;
    page.events = None;
    page.print_url = None;
    page.highlighted = chapters
        .iter()
        .any(|c| c.content.contains("class=\"code hl-code\""));
    page.print = Some(PrintView { chapters });
    (url, context)
}

/// `manual/02-sampling.html` → `p-manual-02-sampling`.
fn anchor(url: &str) -> String {
    let stem = url
        .trim_end_matches("index.html")
        .trim_end_matches(".html")
        .trim_end_matches('/');
    let stem: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    format!("p-{stem}")
}

/// Prefixes the ids of one page's HTML and points its links to other printed pages within the
/// print edition. The HTML is Pedon's own output: attributes are double-quoted, and text never
/// holds a raw `"` (it is escaped), so attribute boundaries are found by plain search.
fn rewrite(
    html: &str,
    prefix: &str,
    page: &Page,
    print_url: &str,
    anchors: &[(String, String)],
) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("=\"") {
        let name_start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &rest[name_start..at];
        let value_start = at + 2;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        match name {
            "id" | "aria-labelledby" | "aria-describedby" | "for" | "headers" => {
                let ids: Vec<String> = value
                    .split(' ')
                    .map(|id| format!("{prefix}-{id}"))
                    .collect();
                out.push_str(&ids.join(" "));
            }
            "href" | "src" => out.push_str(&link(value, prefix, page, print_url, anchors)),
            _ => out.push_str(value),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

fn link(
    value: &str,
    prefix: &str,
    page: &Page,
    print_url: &str,
    anchors: &[(String, String)],
) -> String {
    if let Some(fragment) = value.strip_prefix('#') {
        return format!("#{prefix}-{fragment}");
    }
    if value.contains(':') || value.starts_with('/') || value.is_empty() {
        return value.to_string();
    }
    let (path, fragment) = value.split_once('#').unwrap_or((value, ""));
    let Some(target) = resolve(&page.url, path) else {
        // Climbs above the site: left as written, as the page itself has it.
        return value.to_string();
    };
    for (url, anchor) in anchors {
        if *url == target {
            return if fragment.is_empty() {
                format!("#{anchor}")
            } else {
                format!("#{anchor}-{fragment}")
            };
        }
    }
    // Elsewhere in the site: relative to the page's folder, which may not be the print edition's.
    let mut url = markdown::relative_url(print_url, &target);
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// The output path a relative URL written on the page at `from` points to.
fn resolve(from: &str, relative: &str) -> Option<String> {
    let dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    crate::model::normalize(&format!("{dir}/{relative}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_from_the_page_folder() {
        assert_eq!(resolve("manual/a.html", "b.html").unwrap(), "manual/b.html");
        assert_eq!(
            resolve("manual/a.html", "../sops/x.html").unwrap(),
            "sops/x.html"
        );
        assert_eq!(
            resolve("manual/sub/a.html", "../index.html").unwrap(),
            "manual/index.html"
        );
    }
}
