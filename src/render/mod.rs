//! Stage 3: every page to HTML through the theme's templates, in parallel, into an in-memory
//! [`Output`]. Rendering reads the finished [`Site`] and never changes it; template failures are
//! collected as diagnostics, one per template problem rather than one per page.

mod chart;
mod cite;
mod downloads;
mod feeds;
mod highlight;
pub mod markdown;
mod print;
mod shown;
mod templates;
pub mod thresholds;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::{DataPage, Lang, PRINT_FILE, Page, PageId, PageKind, Site, Translation};
use crate::output::Output;
use markdown::{escape_into, relative_url};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use shown::{Shown, View};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use templates::*;

/// Pages rendered by earlier builds of `pedon serve`, by URL. A page is rendered again only when
/// the key of what it is made from changes. The key covers its whole template context (its own
/// fields and everything other pages put into it: navigation, breadcrumbs, neighbours, children,
/// link targets) and the inputs of its Markdown, so no list of who-depends-on-whom is kept that
/// could fall out of step with the templates.
///
/// Computing that key for every page costs a tenth of rendering it, too much on each keystroke
/// of a 10,000-page manual. So when nothing that one page shows of another has changed (every
/// page's [`Shown`], hashed by [`View::key`]), nor the templates, configuration or data, a page
/// whose own file is unchanged is taken as it is without computing its key. Contexts see other
/// pages only through [`View`], so nothing they show of another page can escape that key.
#[derive(Default)]
pub struct Cache {
    /// The key of the templates and configuration, and the templates compiled with them.
    setup: Option<(u64, Arc<tera::Tera>)>,
    structure: u64,
    data: u64,
    pages: FxHashMap<String, CachedPage>,
    /// Made for one build only: page keys are neither computed nor kept.
    one_off: bool,
}

impl Cache {
    pub fn one_off() -> Cache {
        Cache {
            one_off: true,
            ..Cache::default()
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

struct CachedPage {
    /// The key of the page's own inputs: its file and its place.
    own: u64,
    /// The key of everything it was rendered from.
    full: u64,
    html: Arc<Vec<u8>>,
}

/// Renders the site. `progress` counts rendered pages, for a progress line on long builds.
pub fn render(site: &Site, progress: &AtomicUsize, cache: &mut Cache) -> (Output, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut output = Output::default();
    let setup = setup_key(site);
    let tera = match &cache.setup {
        Some((key, tera)) if *key == setup => Arc::clone(tera),
        _ => match templates::compile(&site.theme, &site.sources) {
            Ok(tera) => Arc::new(tera),
            Err(problems) => {
                diagnostics.extend(problems);
                return (output, diagnostics);
            }
        },
    };
    let view = View::of(site);
    let structure = view.key();
    let same_site = cache.setup.as_ref().is_some_and(|(key, _)| *key == setup)
        && cache.structure == structure
        && cache.data == site.data.digest;
    let strings = Strings::of(site);
    // The site's title and description in each language, where `[[languages]]` gives them.
    let site_views: Vec<SiteView> = site
        .config
        .languages
        .iter()
        .map(|l| SiteView {
            title: l.title.as_deref().unwrap_or(&site.config.title),
            description: l.description.as_deref().unwrap_or(&site.config.description),
            base_url: site.config.absolute_base(),
            repository: site.config.repository.as_deref(),
            version: site.config.version.as_deref(),
        })
        .collect();
    let site_view = &site_views[0];

    /// A page's URL, keys, HTML, and whether the cache holds it as it is.
    type Rendered = (String, u64, u64, Result<Arc<Vec<u8>>, tera::Error>, bool);
    let rendered: Vec<Rendered> = site
        .pages
        .par_iter()
        .map_init(
            || strings.reusable(),
            |contexts, page| {
                let url = page.url.clone();
                let own = own_key(site, page);
                let cached = cache.pages.get(&page.url);
                if let Some(c) = cached
                    && same_site
                    && c.own == own
                {
                    return (url, own, c.full, Ok(Arc::clone(&c.html)), true);
                }
                let mut context = page_context(&view, page, &site_views[page.lang.0]);
                // A tenth of the cost of rendering the page: not for a cache that is thrown away.
                let full = match cache.one_off {
                    true => 0,
                    false => page_key(setup, own, site, page, &context),
                };
                if let Some(c) = cached
                    && c.full == full
                {
                    return (url, own, full, Ok(Arc::clone(&c.html)), c.own == own);
                }
                context.page.content = markdown::render(site, &view, page);
                // The highlighting stylesheet is a fifth of a chapter's weight: only where it is used.
                context.page.highlighted = context.page.content.contains("class=\"code hl-code\"");
                let result = contexts
                    .render(&tera, template_for(page), &context, page.lang)
                    .map(|html| Arc::new(html.into_bytes()));
                progress.fetch_add(1, Ordering::Relaxed);
                (url, own, full, result, false)
            },
        )
        .collect();
    let mut seen_errors = std::collections::HashSet::new();
    // Only what was rendered again goes back into the cache; the entry of a page that no longer
    // exists never matches another page (its keys hold its URL and file), and the map is cleared
    // when it has grown well past the site.
    if cache.pages.len() > site.pages.len() + site.pages.len() / 8 {
        cache.pages.clear();
    }
    cache.setup = Some((setup, Arc::clone(&tera)));
    cache.structure = structure;
    cache.data = site.data.digest;
    let mut pages = Vec::with_capacity(rendered.len());
    for (url, own, full, result, unchanged) in rendered {
        match result {
            Ok(html) => {
                if !unchanged && !cache.one_off {
                    let page = CachedPage {
                        own,
                        full,
                        html: Arc::clone(&html),
                    };
                    cache.pages.insert(url.clone(), page);
                }
                pages.push((url, html));
            }
            Err(e) => {
                cache.pages.remove(&url);
                let d = templates::template_error(&e, &site.theme, &site.sources);
                if seen_errors.insert(d.message.clone()) {
                    diagnostics.push(d.note(format!("first seen while rendering `{url}`")));
                }
            }
        }
    }

    output.add_all(pages);
    let mut contexts = strings.reusable();
    for id in print::sections(site) {
        let (url, context) = print::context(site, &view, id, site_view);
        match contexts.render(&tera, "print.html", &context, site.page(id).lang) {
            Ok(html) => output.add(url, html.into_bytes()),
            Err(e) => diagnostics.push(templates::template_error(&e, &site.theme, &site.sources)),
        }
    }

    let not_found = not_found_context(&view, site_view);
    match contexts.render(&tera, "404.html", &not_found, Lang::DEFAULT) {
        Ok(html) => output.add("404.html".into(), html.into_bytes()),
        Err(e) => diagnostics.push(templates::template_error(&e, &site.theme, &site.sources)),
    }
    output.add("sitemap.xml".into(), sitemap(site).into_bytes());
    feeds::add(site, &view, &mut output);
    output.add("robots.txt".into(), robots(site).into_bytes());
    if !site.data.is_empty() {
        downloads::add(&site.data, &mut output);
    }
    output.add(
        "highlight.css".into(),
        highlight::stylesheet().as_bytes().to_vec(),
    );
    for file in &site.theme.statics {
        output.add(file.name.clone(), file.bytes.clone());
    }
    for asset in &site.assets {
        output.copy(asset.rel.clone(), asset.path.clone());
    }
    (output, diagnostics)
}

/// Each language's interface strings, as Tera values made once per build rather than once per
/// page.
struct Strings(Vec<tera::Value>);

impl Strings {
    fn of(site: &Site) -> Strings {
        Strings(
            site.locales
                .iter()
                .map(|l| serde_json::to_value(&l.strings).unwrap_or_default())
                .collect(),
        )
    }

    /// Contexts holding each language's strings, to render many pages on one thread.
    fn reusable(&self) -> Contexts<'_> {
        Contexts {
            strings: self,
            by_lang: vec![None; self.0.len()],
        }
    }
}

/// A Tera context per language that keeps `t` from one page to the next and takes each page's
/// own fields over those of the page before: copying the strings into every page's context was 2%
/// of a full build. Every page has the same fields ([`PageContext`]), so none is left over.
struct Contexts<'a> {
    strings: &'a Strings,
    by_lang: Vec<Option<tera::Context>>,
}

impl Contexts<'_> {
    /// Renders `template` with `context` and the strings of `lang` as `t`.
    fn render(
        &mut self,
        tera: &tera::Tera,
        template: &str,
        context: &PageContext,
        lang: Lang,
    ) -> Result<String, tera::Error> {
        let ctx = match &mut self.by_lang[lang.0] {
            Some(ctx) => ctx,
            empty => empty.insert({
                let mut ctx = tera::Context::new();
                ctx.insert("t", &self.strings.0[lang.0]);
                ctx
            }),
        };
        ctx.extend(tera::Context::from_serialize(context)?);
        tera.render(template, ctx)
    }
}

/// What every page is rendered with: the templates, the interface strings and the
/// configuration.
fn setup_key(site: &Site) -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in &site.theme.i18n {
        file.name.hash(&mut hasher);
        file.bytes.hash(&mut hasher);
    }
    for template in &site.theme.templates {
        template.name.hash(&mut hasher);
        template.bytes.hash(&mut hasher);
    }
    format!("{:?}", site.config).hash(&mut hasher);
    hasher.finish()
}

/// The key of a page's own inputs: its file (front matter and body) and its place.
fn own_key(site: &Site, page: &Page) -> u64 {
    let mut h = FxHasher::default();
    page.url.hash(&mut h);
    page.rel.hash(&mut h);
    template_for(page).hash(&mut h);
    if let Some(file) = page.file {
        site.sources.get(file).digest.hash(&mut h);
        page.body.hash(&mut h);
    }
    h.finish()
}

/// The key of one rendered page: its own key, and its context without the Markdown, which is
/// keyed by its inputs instead (rendering it is the cost the cache saves).
fn page_key(setup: u64, own: u64, site: &Site, page: &Page, context: &PageContext) -> u64 {
    struct HashWriter(FxHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(FxHasher::default());
    setup.hash(&mut w.0);
    own.hash(&mut w.0);
    // Serializing cannot fail: the same context is serialized for Tera.
    let _ = serde_json::to_writer(&mut w, context);
    for (link, target) in page.doc.links.iter().zip(page.targets.iter()) {
        markdown::target_url(site, page, target, &link.dest).hash(&mut w.0);
    }
    if !page.tables.is_empty() {
        site.data.digest.hash(&mut w.0);
    }
    w.0.finish()
}

fn template_for(page: &Page) -> &'static str {
    match page.data {
        Some(DataPage::Explorer) => return "thresholds.html",
        Some(DataPage::Contaminant(_)) => return "contaminant.html",
        Some(DataPage::Country(_)) => return "country.html",
        _ => {}
    }
    match page.kind {
        PageKind::Home => "home.html",
        PageKind::Section => "section.html",
        PageKind::Page if page.front.sop.is_some() => "sop.html",
        PageKind::Page if page.front.webinar.is_some() => "webinar.html",
        PageKind::Page => "page.html",
    }
}

/// A link to another page, as breadcrumbs, neighbours and chapter lists show it.
fn link(view: &View, from: &Page, to: &Shown) -> LinkView {
    LinkView {
        title: to.title.to_string(),
        url: relative_url(&from.url, to.url),
        lang: borrowed_lang(view, to.translation),
    }
}

/// The language of a page's title and text when they are not the page's own: a fallback shows
/// its original's.
fn borrowed_lang(view: &View, translation: Translation) -> Option<String> {
    (translation == Translation::Fallback).then(|| view.locale(Lang::DEFAULT).code.clone())
}

fn page_context<'a>(view: &View, page: &Page, site_view: &'a SiteView<'a>) -> PageContext<'a> {
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
        content_lang: borrowed_lang(view, page.translation),
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
fn sop_view(view: &View, page: &Page) -> Option<SopView> {
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
        lang: borrowed_lang(view, child.translation),
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
pub(crate) fn display_datetime(locale: &crate::i18n::Locale, rfc3339: &str) -> String {
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

/// How many siblings the sidebar shows on each side of the open entry in a long section.
const NAV_WINDOW: usize = 8;

/// The sidebar: the home page's sections, with the current page's ancestors expanded. Only the
/// open branch is listed, and a long section only around the open entry (the section's own page
/// lists all of it), so a page's size does not grow with the size of the site.
fn nav(view: &View, page: &Page, ancestors: &[PageId]) -> Vec<NavItem> {
    fn items(view: &View, page: &Page, ancestors: &[PageId], of: &Shown) -> Vec<NavItem> {
        let children = of.children;
        let is_open = |c: PageId| c == page.id || ancestors.contains(&c);
        let focus = children.iter().position(|&c| is_open(c)).unwrap_or(0);
        let start = focus.saturating_sub(NAV_WINDOW);
        let end = (focus + NAV_WINDOW + 1).min(children.len());
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
                lang: borrowed_lang(view, child.translation),
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
                translated: v.translation != Translation::Fallback,
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

/// The 404 page's context. It uses absolute paths under the base path: it is served for any
/// missing URL, at any depth, so relative links would break.
fn not_found_context<'a>(view: &View, site_view: &'a SiteView<'a>) -> PageContext<'a> {
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

/// A page's absolute address, as canonical links, the sitemap, feeds and citations give it: a
/// folder's `index.html` is its folder.
fn canonical_url(config: &Config, url: &str) -> String {
    format!(
        "{}{}",
        config.absolute_base(),
        url.trim_end_matches("index.html")
    )
}

/// Crawlers read `robots.txt` only at a host's root: under a sub-path the host's own file
/// rules, and this one is there for sites published at the root.
fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.config.absolute_base()
    )
}

/// Every page with its own text, with its translations as `hreflang` alternates (Google's
/// sitemap extension). Fallbacks are left out: their text is the original's, at its own address.
fn sitemap(site: &Site) -> String {
    // Pages made from data alone are built in each language, with no fallback text.
    let listed = |page: &Page| page.has_own_text() || page.file.is_none();
    let multilingual = site.locales.len() > 1;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    // Every page on every build: the base is escaped once, not once per page.
    let base = markdown::escape(&site.config.absolute_base());
    for &id in &site.order {
        let page = site.page(id);
        if !listed(page) {
            continue;
        }
        xml.push_str("  <url><loc>");
        xml.push_str(&base);
        escape_into(&mut xml, page.url.trim_end_matches("index.html"));
        xml.push_str("</loc>");
        if let Some(d) = page.front.updated.as_ref().or(page.front.date.as_ref()) {
            xml.push_str("<lastmod>");
            xml.push_str(d.as_str());
            xml.push_str("</lastmod>");
        }
        if multilingual {
            for v in site.variants(id) {
                if listed(v) {
                    xml.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
                    xml.push_str(&site.locale(v).code);
                    xml.push_str("\" href=\"");
                    escape_into(&mut xml, &canonical_url(&site.config, &v.url));
                    xml.push_str("\"/>");
                }
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
