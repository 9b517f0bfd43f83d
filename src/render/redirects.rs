//! The pages at old addresses (`aliases:` in a page's front matter): each sends readers on to
//! the page's new address at once, with a link for browsers that do not follow, and is kept out
//! of search engines and the sitemap (it is not a page of the site).

use super::context::canonical_url;
use super::markdown::{escape, relative_url};
use crate::model::Site;
use crate::output::Output;

/// Adds a redirect page for every alias of the site.
pub fn add(site: &Site, output: &mut Output) {
    for alias in site.aliases.values() {
        let page = site.page(alias.page);
        let locale = site.locale(page);
        let to = escape(&relative_url(&alias.url, &page.url));
        let canonical = escape(&canonical_url(&site.config, &page.url));
        let title = escape(page.title());
        let html = format!(
            "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
<title>{title}</title><meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"{canonical}\">\
<meta http-equiv=\"refresh\" content=\"0; url={to}\"></head>\
<body><p>{moved} <a href=\"{to}\">{title}</a></p></body></html>\n",
            lang = escape(&locale.code),
            dir = locale.direction.as_str(),
            moved = escape(locale.t("moved_to")),
        );
        output.add(alias.url.clone(), html.into_bytes());
    }
}
