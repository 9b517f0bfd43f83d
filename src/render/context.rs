//! A page's template context: its own fields, and what it shows of other pages (sidebar,
//! breadcrumbs, neighbours, children and events lists, language switcher, notices, links),
//! built from a [`View`], which hands out other pages only as [`Shown`]. The context is the
//! templates' API: titles, relative URLs and rendered HTML, never `PageId`s.

use super::markdown::relative_url;
use super::shown::{Shown, View};
use super::templates::*;
use super::{cite, feeds, thresholds};
use crate::config::Config;
use crate::model::{Lang, PRINT_FILE, Page, PageId, PageKind, Translation};

/// A link to another page, as breadcrumbs, neighbours and chapter lists show it.
pub(super) fn link(view: &View, from: &Page, to: &Shown) -> LinkView {
    LinkView {
        title: to.title.to_string(),
        url: relative_url(&from.url, to.url),
        lang: borrowed_lang(view, to.fallback),
    }
}

/// The language of a page's title and text when they are not the page's own: a fallback shows
/// its original's.
fn borrowed_lang(view: &View, fallback: bool) -> Option<String> {
    fallback.then(|| view.locale(Lang::DEFAULT).code.clone())
}

pub(super) fn page_context<'a>(
    view: &View,
    page: &Page,
    site_view: &'a SiteView<'a>,
) -> PageContext<'a> {
    let shown = view.page(page.id);
    let ancestors = view.ancestors(page.id);
    let nav = nav(view, page, &ancestors);
    let link_to = |id: PageId| link(view, page, view.page(id));
    PageContext {
        site: site_view,
        page: page_view(view, page),
        root: relative_url(&page.url, ""),
        nav_html: nav_html(&nav),
        nav,
        breadcrumbs: ancestors.iter().map(|&a| link_to(a)).collect(),
        prev: shown.prev.map(link_to),
        next: shown.next.map(link_to),
        home_url: relative_url(&page.url, view.page(view.home_of(page.lang)).url),
    }
}

fn page_view(view: &View, page: &Page) -> PageView {
    let front = &page.front;
    let words = page.doc.words;
    let locale = view.locale(page.lang);
    let child = |&c: &PageId| child_view(view, page, view.page(c));
    PageView {
        title: front.title.clone(),
        description: front.description.clone(),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        },
        lang: locale.code.clone(),
        dir: locale.direction.as_str(),
        // Text shown in the original's language keeps the original's `lang`, so that screen
        // readers pronounce it right and browsers pick the right fonts.
        content_lang: borrowed_lang(view, page.translation == Translation::Fallback),
        languages: languages(view, page),
        notice: notice(view, page),
        // Filled in by `render` when the page is not in the cache.
        content: String::new(),
        canonical: canonical_url(view.config(), view.page(canonical_of(page)).url),
        date: front.date.as_ref().map(|d| d.as_str().to_string()),
        updated: front.updated.as_ref().map(|d| d.as_str().to_string()),
        updated_display: front.updated.as_ref().map(|d| locale.date(d.as_str())),
        authors: front.authors.clone(),
        words,
        reading_minutes: words.div_ceil(200).max(1),
        toc: toc(page),
        children: page.children.iter().map(child).collect(),
        events: feeds::events(view, view.page(page.id)).map(|events| EventsView {
            upcoming: events.upcoming.iter().map(child).collect(),
            past: events.past.iter().map(child).collect(),
            others: (page.children.iter())
                .filter(|&&c| view.page(c).event.is_none())
                .map(child)
                .collect(),
            feed: feeds::ATOM.to_string(),
            calendar: feeds::ICAL.to_string(),
        }),
        sop: sop_view(view, page),
        webinar: front.webinar.as_ref().map(|w| WebinarView {
            datetime: w.date.as_str().to_string(),
            display: display_datetime(locale, w.date.as_str()),
            // The end of a same-day event is only its time: 12:00 (UTC+02:00) to 15:00.
            end: w.end.as_ref().map(|e| {
                let shown = display_datetime(locale, e.as_str());
                match shown.strip_prefix(&locale.date(w.date.date())) {
                    Some(time) if e.as_str().contains('T') => time.trim_start().to_string(),
                    _ => shown,
                }
            }),
            speakers: w.speakers.clone(),
            language: w.language.clone(),
            slides: w.slides.clone(),
            recording: w.recording.clone(),
            chapters: (w.chapters.iter())
                .filter_map(|c| view.page_at(c.trim_start_matches('/')))
                .map(|id| link(view, page, view.page(view.variant(id, page.lang))))
                .collect(),
        }),
        source: page.file.map(|_| format!("content/{}", page.rel)),
        highlighted: false,
        print_url: view.page(page.id).print.then(|| PRINT_FILE.to_string()),
        print: None,
        cite: Some(cite::cite(view, page)),
        data: thresholds::data_view(view, page),
    }
}

/// An SOP's metadata block, on its page and in its section's print edition.
pub(super) fn sop_view(view: &View, page: &Page) -> Option<SopView> {
    let s = page.front.sop.as_ref()?;
    let data = view.data();
    Some(SopView {
        code: s.code.clone(),
        version: s.version.clone(),
        status: s.status,
        analytes: (s.analytes.iter())
            .map(|a| match data.find_contaminant(a) {
                Some(c) => LinkView {
                    title: data.contaminant_name(c, page.lang.0).to_string(),
                    url: view
                        .contaminant_page(c, page.lang)
                        .map(|p| relative_url(&page.url, p.url))
                        .unwrap_or_default(),
                    lang: None,
                },
                // Without threshold data, analytes stay the ids the editor wrote.
                None => LinkView {
                    title: a.clone(),
                    url: String::new(),
                    lang: None,
                },
            })
            .collect(),
        method: s.method.clone(),
        equipment: s.equipment.clone(),
        reagents: s.reagents.clone(),
        safety: s.safety.clone(),
        revisions: s.revisions.clone(),
    })
}

/// An entry of a section's list of its pages or events.
fn child_view(view: &View, page: &Page, child: &Shown) -> ChildView {
    let locale = view.locale(page.lang);
    ChildView {
        title: child.title.to_string(),
        url: relative_url(&page.url, child.url),
        lang: borrowed_lang(view, child.fallback),
        description: child.description.map(str::to_string),
        section: child.section,
        sop_code: child.sop.as_ref().map(|s| s.code.to_string()),
        date: (child.event.as_ref())
            .map(|e| e.day.to_string())
            .or_else(|| child.date.map(str::to_string)),
        date_display: child.date.map(|d| locale.date(d)),
        event: (child.event.as_ref()).map(|e| display_datetime(locale, e.when)),
    }
}

/// `2022-04-22T12:00:00+02:00` → `22 April 2022 12:00 (UTC+02:00)` in English, the day as the
/// page's language writes it; a day alone is only the day.
pub(super) fn display_datetime(locale: &crate::i18n::Locale, rfc3339: &str) -> String {
    if !rfc3339.contains('T') {
        return locale.date(rfc3339);
    }
    let (date, rest) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    let time = rest.get(..5).unwrap_or("");
    let zone = rest.find(['Z', '+', '-']).map_or("", |i| &rest[i..]);
    let zone = if zone == "Z" {
        "UTC".to_string()
    } else {
        format!("UTC{zone}")
    };
    format!("{} {time} ({zone})", locale.date(date))
}

/// h2 entries with their h3 children.
fn toc(page: &Page) -> Vec<TocItem> {
    let mut items: Vec<TocItem> = Vec::new();
    for h in &page.doc.headings {
        let item = TocItem {
            id: h.id.clone(),
            text: h.text.clone(),
            children: Vec::new(),
        };
        match h.level {
            2 => items.push(item),
            3 => match items.last_mut() {
                Some(parent) => parent.children.push(item),
                None => items.push(item),
            },
            _ => {}
        }
    }
    items
}

/// A section of up to this many entries is listed whole in the sidebar: an 11-chapter manual
/// showed "… 1 more" in place of a chapter, and a new chapter looked missing.
const NAV_WHOLE: usize = 50;

/// How many siblings the sidebar shows on each side of the open entry in a longer section.
const NAV_WINDOW: usize = 8;

/// The sidebar: the home page's sections, with the current page's ancestors expanded. Only the
/// open branch is listed, and a long section only around the open entry (the section's own page
/// lists all of it), so a page's size does not grow with the size of the site.
fn nav(view: &View, page: &Page, ancestors: &[PageId]) -> Vec<NavItem> {
    fn items(view: &View, page: &Page, ancestors: &[PageId], of: &Shown) -> Vec<NavItem> {
        let children = of.children;
        let is_open = |c: PageId| c == page.id || ancestors.contains(&c);
        let focus = children.iter().position(|&c| is_open(c)).unwrap_or(0);
        let (start, end) = match children.len() <= NAV_WHOLE {
            true => (0, children.len()),
            false => (
                focus.saturating_sub(NAV_WINDOW),
                (focus + NAV_WINDOW + 1).min(children.len()),
            ),
        };
        let section_url = relative_url(&page.url, of.url);
        let more = |n: usize| NavItem {
            title: (view.locale(page.lang).t("more")).replace("{n}", &n.to_string()),
            url: section_url.clone(),
            lang: None,
            current: false,
            open: false,
            section: false,
            more: true,
            children: Vec::new(),
        };
        let mut list = Vec::with_capacity(end - start + 2);
        if start > 0 {
            list.push(more(start));
        }
        for &c in &children[start..end] {
            let child = view.page(c);
            let open = is_open(c);
            list.push(NavItem {
                title: child.title.to_string(),
                url: relative_url(&page.url, child.url),
                lang: borrowed_lang(view, child.fallback),
                current: c == page.id,
                open,
                section: child.section,
                more: false,
                children: if open && child.section {
                    items(view, page, ancestors, child)
                } else {
                    Vec::new()
                },
            });
        }
        if end < children.len() {
            list.push(more(children.len() - end));
        }
        list
    }
    items(view, page, ancestors, view.page(view.home_of(page.lang)))
}

/// The page a page's canonical address names: its own, or, for a fallback showing the
/// original's text, the original's, so that search engines do not index one text five times.
fn canonical_of(page: &Page) -> PageId {
    match page.translation {
        Translation::Fallback => page.original,
        _ => page.id,
    }
}

/// The language switcher: the same page in every language, when the site has more than one.
fn languages(view: &View, page: &Page) -> Vec<LanguageLink> {
    if view.languages() < 2 {
        return Vec::new();
    }
    view.variants(page.id)
        .map(|v| {
            let locale = view.locale(v.lang);
            LanguageLink {
                code: locale.code.clone(),
                name: locale.name.clone(),
                dir: locale.direction.as_str(),
                url: relative_url(&page.url, v.url),
                absolute: canonical_url(view.config(), v.url),
                current: v.id == page.id,
                translated: !v.fallback,
            }
        })
        .collect()
}

/// What a reader of a translated site must know about the page in front of them.
fn notice(view: &View, page: &Page) -> Option<NoticeView> {
    let locale = view.locale(page.lang);
    let original = view.page(page.original);
    let default = view.locale(Lang::DEFAULT);
    let (kind, text) = match page.translation {
        Translation::Original | Translation::Translated { stale: false } => return None,
        Translation::Fallback => (
            "fallback",
            locale
                .t("fallback_notice")
                .replace("{original}", &default.name),
        ),
        Translation::Translated { stale: true } => ("stale", locale.t("stale_notice").to_string()),
    };
    Some(NoticeView {
        kind,
        text,
        original_url: relative_url(&page.url, original.url),
        original_lang: default.code.clone(),
    })
}

/// A page's absolute address, as canonical links, the sitemap, feeds and citations give it: a
/// folder's `index.html` is its folder.
pub(super) fn canonical_url(config: &Config, url: &str) -> String {
    format!(
        "{}{}",
        config.absolute_base(),
        url.trim_end_matches("index.html")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_site::site_of;

    #[test]
    fn the_table_of_contents_nests_h3_under_h2() {
        let (_dir, site) = site_of(&[
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            (
                "content/a.md",
                "---\ntitle: A\n---\n### Orphan\n## One\n### One.a\n#### Deep\n## Two\n",
            ),
        ]);
        let page = &site.pages[site.by_rel["a.md"].0];
        let shape: Vec<(String, Vec<String>)> = toc(page)
            .into_iter()
            .map(|i| (i.text, i.children.into_iter().map(|c| c.text).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                ("Orphan".to_string(), vec![]),
                ("One".to_string(), vec!["One.a".to_string()]),
                ("Two".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn event_times_keep_their_zone_and_days_stay_days() {
        let (_dir, site) = site_of(&[("content/_index.md", "---\ntitle: Home\n---\n")]);
        let en = &site.locales[0];
        assert_eq!(
            display_datetime(en, "2022-04-22T12:00:00+02:00"),
            format!("{} 12:00 (UTC+02:00)", en.date("2022-04-22"))
        );
        assert_eq!(
            display_datetime(en, "2022-04-22T10:00:00Z"),
            format!("{} 10:00 (UTC)", en.date("2022-04-22"))
        );
        assert_eq!(display_datetime(en, "2018-05-02"), en.date("2018-05-02"));
    }

    #[test]
    fn a_fallback_links_its_canonical_address_to_the_original() {
        let (_dir, site) = site_of(&[
            (
                "pedon.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\n\
                 [[languages]]\ncode = \"en\"\nname = \"English\"\n\
                 [[languages]]\ncode = \"fr\"\nname = \"Français\"\n",
            ),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            ("content/a.md", "---\ntitle: A\n---\n"),
        ]);
        let view = View::of(&site);
        let fallback = &site.pages[site.variant(site.by_rel["a.md"], Lang(1)).0];
        assert_eq!(fallback.translation, Translation::Fallback);
        let page = page_view(&view, fallback);
        assert_eq!(page.canonical, "https://example.org/a.html");
        assert_eq!(page.content_lang.as_deref(), Some("en"));
        let notice = page.notice.expect("a fallback says so");
        assert_eq!(
            (notice.kind, notice.original_url.as_str()),
            ("fallback", "../a.html")
        );
    }
}
