//! The webinars' feeds, beside each section that lists events: an Atom feed of every event page
//! (for feed readers) and an iCalendar file of the upcoming ones (for calendars). Both carry
//! absolute URLs, since a feed is read away from the site; every date in them is UTC.

use super::context::{canonical_url, display_datetime};
use super::html::Html;
use super::shown::{Shown, View};
use crate::model::{Page, PageId, Site};
use crate::output::Output;
use crate::time::Timestamp;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// File names beside the section's `index.html`.
pub const ATOM: &str = "atom.xml";
pub const ICAL: &str = "upcoming.ics";

/// The event pages of a section, upcoming first (soonest first), then past (latest first).
pub struct Events {
    pub upcoming: Vec<PageId>,
    pub past: Vec<PageId>,
}

/// The events among a section's children, or `None` when it has none: for the section's page
/// and for its feeds alike.
pub fn events(view: &View, section: &Shown) -> Option<Events> {
    let mut dated: Vec<(Timestamp, PageId)> = (section.children.iter())
        .filter_map(|&c| Some((view.page(c).event.as_ref()?.start, c)))
        .collect();
    if dated.is_empty() {
        return None;
    }
    dated.sort();
    let (upcoming, mut past): (Vec<_>, Vec<_>) = dated
        .into_iter()
        .partition(|&(_, c)| view.page(c).event.as_ref().is_some_and(|e| e.upcoming));
    past.reverse();
    Some(Events {
        upcoming: upcoming.into_iter().map(|(_, c)| c).collect(),
        past: past.into_iter().map(|(_, c)| c).collect(),
    })
}

/// An event is upcoming until it is over (see [`crate::load::EventDate::end`]).
pub fn is_upcoming(site: &Site, page: &Page) -> bool {
    let Some(w) = &page.front.webinar else {
        return false;
    };
    w.end.as_ref().unwrap_or(&w.date).end() > site.now
}

/// Adds the feeds of every section with events, each taken from `cache` when nothing it is
/// made from changed, else made (in parallel). A site's events section in six languages, with
/// a thousand events, was 15 ms of each preview rebuild written one after another.
pub fn add(site: &Site, view: &View, setup: u64, cache: &mut super::Cache, output: &mut Output) {
    let sections: Vec<(PageId, Events, u64)> = (site.order.iter().copied())
        .filter(|&id| site.page(id).is_section())
        .filter_map(|id| {
            let events = events(view, view.page(id))?;
            let key = key(site, view, setup, id, &events);
            Some((id, events, key))
        })
        .collect();
    let shared = &*cache;
    let feeds: Vec<[FeedFile; 2]> = (sections.par_iter())
        .map(|(id, events, key)| {
            let section = site.page(*id);
            let dir = section.url.trim_end_matches("index.html");
            let file = |path: String, make: &dyn Fn() -> String| {
                let bytes = (shared.site_file(&path, *key))
                    .unwrap_or_else(|| Arc::new(make().into_bytes()));
                (path, *key, bytes)
            };
            [
                file(format!("{dir}{ATOM}"), &|| atom(site, section, events)),
                file(format!("{dir}{ICAL}"), &|| ical(site, section, events)),
            ]
        })
        .collect();
    for (path, key, bytes) in feeds.into_iter().flatten() {
        cache.keep_site_file(path.clone(), key, Arc::clone(&bytes));
        output.add_shared(path, bytes);
    }
}

/// A feed's output path, the key it was made for, and its bytes.
type FeedFile = (String, u64, Arc<Vec<u8>>);

/// What a section's feeds are made from: the templates' strings and the configuration
/// (`setup`), and the section and each of its events as other pages show them (title, address,
/// dates, whether upcoming), their files, their originals' files (a translation takes its
/// original's webinar block where it has none) and their `updated` dates.
fn key(site: &Site, view: &View, setup: u64, section: PageId, events: &Events) -> u64 {
    let mut h = FxHasher::default();
    setup.hash(&mut h);
    let pages = std::iter::once(section).chain(events.upcoming.iter().chain(&events.past).copied());
    for id in pages {
        let page = site.page(id);
        view.page(id).hash(&mut h);
        super::cache::own_key(site, page).hash(&mut h);
        page.front.updated.hash(&mut h);
        (site.page(page.original).file)
            .map(|f| site.sources.get(f).digest)
            .hash(&mut h);
    }
    h.finish()
}

/// When a page last changed, as far as its front matter says: `updated`, else `date`, else the
/// event's own date. Never the build time, so a feed changes only when its pages do.
fn changed(page: &Page) -> Timestamp {
    let day = page.front.updated.as_ref().or(page.front.date.as_ref());
    match (day, &page.front.webinar) {
        (Some(d), _) => crate::load::EventDate::Day(d.clone()).start(),
        (None, Some(w)) => w.date.start(),
        (None, None) => Timestamp(0),
    }
}

fn atom(site: &Site, section: &Page, events: &Events) -> String {
    let ids: Vec<PageId> = events
        .upcoming
        .iter()
        .chain(&events.past)
        .copied()
        .collect();
    let updated = ids
        .iter()
        .map(|&id| changed(site.page(id)))
        .chain([changed(section)])
        .max()
        .unwrap_or_default();
    let section_url = canonical_url(&site.config, &section.url);
    let self_url = format!("{section_url}{ATOM}");
    let mut xml = Html::default();
    xml.markup("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .open("feed")
        .attr("xmlns", "http://www.w3.org/2005/Atom")
        .end()
        .markup("\n  <title>")
        .text_fmt(format_args!("{} · {}", section.title(), site.config.title))
        .markup("</title>\n  ")
        .element("id", &self_url)
        .markup("\n  ")
        .open("link")
        .attr("rel", "self")
        .attr("href", &self_url)
        .end_empty()
        .markup("\n  ");
    alternate(&mut xml, &section_url)
        .markup("\n  ")
        .element("updated", &updated.rfc3339())
        .markup("\n  <author>")
        .element("name", &site.config.title)
        .markup("</author>\n");
    for id in ids {
        let page = site.page(id);
        let Some(w) = &page.front.webinar else {
            continue;
        };
        let url = canonical_url(&site.config, &page.url);
        xml.markup("  <entry>\n    ")
            .element("title", page.title())
            .markup("\n    ")
            .element("id", &url)
            .markup("\n    ");
        alternate(&mut xml, &url)
            .markup("\n    ")
            .element("published", &w.date.start().rfc3339())
            .markup("\n    ")
            .element("updated", &changed(page).max(w.date.start()).rfc3339())
            .markup("\n");
        let when = display_datetime(site.locale(page), w.date.as_str());
        let summary = match &page.front.description {
            Some(d) => format!("{when}. {d}"),
            None => when,
        };
        xml.markup("    ")
            .element("summary", &summary)
            .markup("\n  </entry>\n");
    }
    xml.markup("</feed>\n");
    xml.finish().into_string()
}

/// `<link rel="alternate" type="text/html" href="…"/>`: the page a feed or an entry stands for.
fn alternate<'x>(xml: &'x mut Html, url: &str) -> &'x mut Html {
    (xml.open("link"))
        .attr("rel", "alternate")
        .attr("type", "text/html")
        .attr("href", url)
        .end_empty()
}

/// RFC 5545: CRLF line ends, text escaped, lines folded at 75 octets.
fn ical(site: &Site, section: &Page, events: &Events) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//Pedon//{}//EN",
            ical_text(&site.config.title).replace("//", "/")
        ),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            ical_text(&format!("{} · {}", section.title(), site.config.title))
        ),
    ];
    for &id in &events.upcoming {
        let page = site.page(id);
        let Some(w) = &page.front.webinar else {
            continue;
        };
        let url = canonical_url(&site.config, &page.url);
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", ical_text(&url)));
        lines.push(format!("DTSTAMP:{}", changed(page).ical()));
        lines.push(date_property("DTSTART", &w.date, false));
        match &w.end {
            Some(end) => lines.push(date_property("DTEND", end, true)),
            // A day with no end is that one day.
            None if matches!(w.date, crate::load::EventDate::Day(_)) => {
                lines.push(date_property("DTEND", &w.date, true))
            }
            None => {}
        }
        lines.push(format!("SUMMARY:{}", ical_text(page.title())));
        if let Some(d) = &page.front.description {
            lines.push(format!("DESCRIPTION:{}", ical_text(d)));
        }
        lines.push(format!("URL:{}", ical_text(&url)));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// `DTSTART:20220422T100000Z`, or `DTSTART;VALUE=DATE:20180502` for a day. A day's DTEND is
/// exclusive, so the day after.
fn date_property(name: &str, date: &crate::load::EventDate, end: bool) -> String {
    use crate::load::EventDate;
    match date {
        EventDate::At(_) => format!("{name}:{}", date.start().ical()),
        EventDate::Day(_) => {
            let t = if end { date.end() } else { date.start() };
            format!("{name};VALUE=DATE:{}", &t.ical()[..8])
        }
    }
}

fn ical_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn the_atom_feed_escapes_titles_descriptions_and_urls() {
        let (_dir, site) = crate::render::test_site::site_of(&[
            (
                "pedon.toml",
                "title = \"Tom & Jerry's\"\nbase_url = \"https://example.org/a&b\"\n",
            ),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            (
                "content/events/_index.md",
                "---\ntitle: \"<Events>\"\n---\n",
            ),
            (
                "content/events/a.md",
                "---\ntitle: \"A \\\"<b>\\\" & 'c'\"\ndescription: \"x < y\"\nwebinar:\n  date: \"2022-04-22\"\n---\n",
            ),
        ]);
        let view = View::of(&site);
        let section = &site.pages[site.by_rel["events/_index.md"].0];
        let events = events(&view, view.page(section.id)).expect("an event");
        let xml = atom(&site, section, &events);
        for escaped in [
            "<title>&lt;Events&gt; · Tom &amp; Jerry&#39;s</title>",
            "<id>https://example.org/a&amp;b/events/atom.xml</id>",
            "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/a&amp;b/events/\"/>",
            "<title>A &quot;&lt;b&gt;&quot; &amp; &#39;c&#39;</title>",
            ". x &lt; y</summary>",
            "<author><name>Tom &amp; Jerry&#39;s</name></author>",
        ] {
            assert!(xml.contains(escaped), "no {escaped} in\n{xml}");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ical_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
