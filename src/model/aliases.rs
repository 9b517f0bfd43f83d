//! Old addresses of renamed and moved pages. A page lists them under `aliases:` in its front
//! matter, as the old file (`manual/03-old-name.md`, as links were written) or the old address
//! (`manual/old-name.html`); each is published as a small page that sends readers, bookmarks and
//! other sites' links on to the page's new address, in every language of the site.

use super::Site;
use super::page::{Lang, PageId};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span};
use std::collections::BTreeMap;

/// One old address and the page it now leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// Output path of the redirect page (`manual/old-name.html`, `fr/manual/old-name.html`).
    pub url: String,
    pub page: PageId,
    /// The content path the alias names, when written as a file (`manual/03-old-name.md`):
    /// links to it are told where the page went.
    pub was: Option<String>,
}

/// Every alias of the site, by old URL, with the mistakes in them: an alias that is not a file
/// or an address of the site, or that is the address of a page or of another alias.
pub(super) fn collect(site: &Site) -> (BTreeMap<String, Alias>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut aliases: BTreeMap<String, Alias> = BTreeMap::new();
    let originals = &site.pages[..site.per_language];
    // Every page's address, looked up by each alias: not made on the rebuilds of a site with
    // none (61,770 addresses at 10,000 pages in six languages).
    if originals.iter().all(|p| p.front.aliases.is_empty()) {
        return (aliases, diagnostics);
    }
    let urls: rustc_hash::FxHashMap<&str, PageId> =
        site.pages.iter().map(|p| (p.url.as_str(), p.id)).collect();
    for page in originals {
        let Some(file) = page.file else { continue };
        for written in &page.front.aliases {
            let at = locate(site, file, written);
            let Some((url, was)) = url_of(written) else {
                diagnostics.push(
                    Diagnostic::error(
                        Code::FrontMatterField,
                        format!("alias `{written}` is neither a file nor an address of the site"),
                    )
                    .at(at, "not a page's old file or address")
                    .help("write the page's old file as links named it (`manual/03-old-name.md`) or its old address (`manual/old-name.html`), relative to content/"),
                );
                continue;
            };
            for lang in 0..site.locales.len() {
                let variant = site.variant(page.id, Lang(lang));
                let url = match lang {
                    0 => url.clone(),
                    _ => format!("{}/{url}", site.locales[lang].code),
                };
                if let Some(&other) = urls.get(url.as_str()) {
                    if lang == 0 {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::UrlCollision,
                                format!("alias `{written}` is the address of `{}`", site.page(other).rel),
                            )
                            .at(at.clone(), "a page is published here")
                            .help("an alias is an address no page has any more: remove it, or rename the page that has it"),
                        );
                    }
                    break;
                }
                if let Some(first) = aliases.get(&url) {
                    if lang == 0 && first.page != variant {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::UrlCollision,
                                format!(
                                    "alias `{written}` is also an alias of `{}`",
                                    site.page(site.page(first.page).original).rel
                                ),
                            )
                            .at(at.clone(), "second page with this alias")
                            .help(
                                "an old address can lead to one page only: remove one of the two",
                            ),
                        );
                    }
                    continue;
                }
                aliases.insert(
                    url.clone(),
                    Alias {
                        url,
                        page: variant,
                        was: was.clone(),
                    },
                );
            }
        }
    }
    (aliases, diagnostics)
}

/// The output path of an alias as written, and the content path when it names a file.
fn url_of(written: &str) -> Option<(String, Option<String>)> {
    let path = written.trim().trim_start_matches('/');
    if path.is_empty()
        || path.contains("://")
        || path.split('/').any(|part| part == ".." || part == ".")
    {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") {
        let rel = format!("{}.md", &path[..path.len() - 3]);
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
        let mut url = super::dir_url(dir);
        match &name[..name.len() - 3] {
            "_index" => url.push_str("index.html"),
            stem => url.push_str(&super::page_file(stem)),
        }
        return Some((url, Some(rel)));
    }
    if lower.ends_with(".html") {
        return Some((path.to_string(), None));
    }
    if path.ends_with('/') {
        return Some((format!("{path}index.html"), None));
    }
    None
}

/// Where an alias is written in the page's front matter, for its diagnostics.
fn locate(site: &Site, file: crate::diagnostics::FileId, written: &str) -> Span {
    let text = &site.sources.get(file).text();
    let front_end = crate::load::split_front_matter(text)
        .ok()
        .and_then(|s| s.yaml)
        .map_or(0, |y| y.end);
    match text[..front_end].find(written) {
        Some(at) => Span::new(file, at..at + written.len()),
        None => Span::file_start(file),
    }
}

#[cfg(test)]
mod tests {
    use super::url_of;

    #[test]
    fn aliases_name_old_files_or_old_addresses() {
        assert_eq!(
            url_of("manual/03-Old Name.md"),
            Some((
                "manual/03-old-name.html".into(),
                Some("manual/03-Old Name.md".into())
            ))
        );
        assert_eq!(
            url_of("Manual/_index.md"),
            Some(("manual/index.html".into(), Some("Manual/_index.md".into())))
        );
        assert_eq!(
            url_of("/old/page.html"),
            Some(("old/page.html".into(), None))
        );
        assert_eq!(url_of("old/"), Some(("old/index.html".into(), None)));
        assert_eq!(url_of("../outside.md"), None);
        assert_eq!(url_of("https://example.org/x.html"), None);
        assert_eq!(url_of("old-name"), None);
    }
}
