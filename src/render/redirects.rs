//! The pages at old addresses (`aliases:` in a page's front matter): each sends readers on to
//! the page's new address at once, with a link for browsers that do not follow, and is kept out
//! of search engines and the sitemap (it is not a page of the site).

use super::context::canonical_url;
use super::html::Html;
use super::markdown::relative_url;
use crate::model::Site;
use crate::output::Output;

/// Adds a redirect page for every alias of the site.
pub fn add(site: &Site, output: &mut Output) {
    for alias in site.aliases.values() {
        let page = site.page(alias.page);
        let locale = site.locale(page);
        let to = relative_url(&alias.url, &page.url);
        let mut h = Html::with_capacity(512);
        h.markup("<!doctype html>\n");
        h.open("html")
            .attr("lang", &locale.code)
            .attr("dir", locale.direction.as_str())
            .end();
        h.markup("<head><meta charset=\"utf-8\">");
        h.element("title", page.title());
        h.markup("<meta name=\"robots\" content=\"noindex\">");
        h.open("link")
            .attr("rel", "canonical")
            .url("href", &canonical_url(&site.config, &page.url))
            .end();
        h.open("meta")
            .attr("http-equiv", "refresh")
            .attr_fmt("content", format_args!("0; url={to}"))
            .end();
        h.markup("</head><body><p>");
        h.text(locale.t("moved_to"));
        h.markup(" ");
        h.open("a")
            .url("href", &to)
            .end()
            .text(page.title())
            .close("a");
        h.markup("</p></body></html>\n");
        output.add(alias.url.clone(), h.finish().into_string().into_bytes());
    }
}
