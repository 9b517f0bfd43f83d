//! The files of a site that are not pages: the sitemap, `robots.txt`, and the 404 page's context
//! (its HTML comes from the theme's `404.html`, rendered with the pages).

use super::context::canonical_url;
use super::html::{Html, Trusted};
use super::shown::View;
use super::templates::*;
use crate::model::{Lang, Page, Site};

/// The 404 page's context. It uses absolute paths under the base path: it is served for any
/// missing URL, at any depth, so relative links would break.
pub(super) fn not_found_context<'a>(view: &View, site_view: &'a SiteView<'a>) -> PageContext<'a> {
    let home = view.page(view.home_of(Lang::DEFAULT));
    let locale = view.locale(home.lang);
    let base = view.config().base_path();
    let nav: Vec<NavItem> = (home.children.iter())
        .map(|&c| {
            let child = view.page(c);
            NavItem {
                title: child.title.to_string(),
                url: format!("{base}{}", child.url),
                lang: None,
                current: false,
                open: false,
                section: child.section,
                more: false,
                children: Vec::new(),
            }
        })
        .collect();
    PageContext {
        site: site_view,
        page: PageView {
            title: locale.t("not_found_title").to_string(),
            description: None,
            kind: "404",
            lang: locale.code.clone(),
            dir: locale.direction.as_str(),
            content_lang: None,
            languages: Vec::new(),
            notice: None,
            content: String::new(),
            canonical: String::new(),
            date: None,
            updated: None,
            updated_display: None,
            authors: Vec::new(),
            words: 0,
            reading_minutes: 0,
            toc: Vec::new(),
            children: Vec::new(),
            events: None,
            sop: None,
            webinar: None,
            source: None,
            highlighted: false,
            print_url: None,
            print: None,
            cite: None,
            data: None,
        },
        root: base.clone(),
        nav_html: nav_html(&nav),
        nav,
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        home_url: format!("{base}{}", home.url),
    }
}

/// Crawlers read `robots.txt` only at a host's root: under a sub-path the host's own file
/// rules, and this one is there for sites published at the root.
pub(super) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.config.absolute_base()
    )
}

/// Every page with its own text, with its translations as `hreflang` alternates (Google's
/// sitemap extension). Fallbacks are left out: their text is the original's, at its own address.
pub(super) fn sitemap(site: &Site) -> String {
    // Pages made from data alone are built in each language, with no fallback text.
    let listed = |page: &Page| page.has_own_text() || page.file.is_none();
    let multilingual = site.locales.len() > 1;
    let mut xml = Html::default();
    xml.markup("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .open("urlset")
        .attr("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
        .attr_if(multilingual, "xmlns:xhtml", "http://www.w3.org/1999/xhtml")
        .end()
        .markup("\n");
    // Every page on every build: the base is escaped once, not once per page.
    let base = Trusted::escape(&site.config.absolute_base());
    for &id in &site.order {
        let page = site.page(id);
        if !listed(page) {
            continue;
        }
        xml.markup("  <url><loc>")
            .raw(&base)
            .text(page.url.trim_end_matches("index.html"))
            .markup("</loc>");
        if let Some(d) = page.front.updated.as_ref().or(page.front.date.as_ref()) {
            xml.element("lastmod", d.as_str());
        }
        if multilingual {
            for v in site.variants(id).filter(|v| listed(v)) {
                (xml.open("xhtml:link"))
                    .attr("rel", "alternate")
                    .attr("hreflang", &site.locale(v).code)
                    .attr("href", &canonical_url(&site.config, &v.url))
                    .end_empty();
            }
        }
        xml.markup("</url>\n");
    }
    xml.markup("</urlset>\n");
    xml.finish().into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_site::site_of;

    const CONFIG: &str = "title = \"T\"\nbase_url = \"https://example.org/a&b\"\n\
        [[languages]]\ncode = \"en\"\nname = \"English\"\n\
        [[languages]]\ncode = \"fr\"\nname = \"Français\"\n";

    fn site() -> (tempfile::TempDir, Site) {
        site_of(&[
            ("pedon.toml", CONFIG),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            (
                "content/about.md",
                "---\ntitle: About\nupdated: 2024-03-01\n---\n",
            ),
            ("content/about.fr.md", "---\ntitle: À propos\n---\n"),
        ])
    }

    #[test]
    fn robots_names_the_sitemap_at_the_base() {
        let (_dir, site) = site();
        assert_eq!(
            robots(&site),
            "User-agent: *\nAllow: /\nSitemap: https://example.org/a&b/sitemap.xml\n"
        );
    }

    #[test]
    fn the_sitemap_lists_pages_with_their_own_text_and_their_translations() {
        let (_dir, site) = site();
        // The French home page is a fallback: the English text, at the English address.
        let base = "https://example.org/a&amp;b/";
        let en = |path: &str| {
            format!("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}{path}\"/>")
        };
        let fr = |path: &str| {
            format!("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"{base}{path}\"/>")
        };
        let expected = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".to_string(),
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">".to_string(),
            format!("  <url><loc>{base}</loc>{}</url>", en("")),
            format!(
                "  <url><loc>{base}about.html</loc><lastmod>2024-03-01</lastmod>{}{}</url>",
                en("about.html"),
                fr("fr/about.html")
            ),
            format!(
                "  <url><loc>{base}fr/about.html</loc>{}{}</url>",
                en("about.html"),
                fr("fr/about.html")
            ),
            "</urlset>\n".to_string(),
        ];
        assert_eq!(sitemap(&site), expected.join("\n"));
    }
}
