//! What one page shows of another: [`Shown`], built once per render for every page, and
//! [`View`], the only door through which template contexts see the site.
//!
//! The preview's cache reuses a page's HTML without looking at its context when the hash of every
//! page's `Shown` is unchanged ([`super::cache::structure_key`]). That is sound only if nothing a context
//! takes from another page bypasses `Shown`, and [`View`] makes it so: it holds the [`Site`]
//! privately and hands out other pages only as `Shown`. A new field that one page shows of
//! another has to be added here first, and then it is in the key.

use crate::config::Config;
use crate::data::{ContaminantIx, CountryIx, Database};
use crate::i18n::Locale;
use crate::model::{DataPage, Lang, Page, PageId, Site, Translation};
use crate::time::Timestamp;

/// Everything a template context takes from a page other than the one being rendered: links,
/// the sidebar, breadcrumbs, neighbours, children and events lists, the language switcher,
/// notices, SOP and chapter links, threshold tables' links. Borrowed from the [`Site`]: building
/// it for 10,000 pages on every keystroke copies no text.
#[derive(Hash)]
pub struct Shown<'a> {
    pub id: PageId,
    pub url: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The content path: chapters of an event are named by it.
    pub rel: &'a str,
    pub lang: Lang,
    /// Shows the original's text, there being no translation yet. Not whether a translation is
    /// out of date: only the page itself shows that (its notice, in its own key), so a
    /// translation going stale as its original is edited changes nothing other pages show.
    pub fallback: bool,
    pub section: bool,
    /// Has a file of its own (a folder without `_index.md` has none): print editions hold those.
    pub has_file: bool,
    /// A page drawn from the threshold database: the contaminant and country links point to it.
    pub data: Option<DataPage>,
    pub parent: Option<PageId>,
    /// In reading order.
    pub children: &'a [PageId],
    /// The neighbours in reading order, in the same language.
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    pub sop: Option<ShownSop<'a>>,
    pub event: Option<ShownEvent<'a>>,
    /// The front matter's `date`.
    pub date: Option<&'a str>,
    /// A section with a print edition (`[print] sections`).
    pub print: bool,
}

/// An SOP as other pages name it, and what it measures (a contaminant's page lists its SOPs).
#[derive(Hash)]
pub struct ShownSop<'a> {
    pub code: &'a str,
    /// The analytes that name a contaminant of the database.
    pub analytes: Vec<ContaminantIx>,
}

/// An event as its section's lists show it.
#[derive(Hash)]
pub struct ShownEvent<'a> {
    /// As the editor wrote it (RFC 3339, or a day).
    pub when: &'a str,
    /// Its day, `YYYY-MM-DD`.
    pub day: &'a str,
    pub start: Timestamp,
    /// Not over at the build's time: time moves an event into the past without a file changing.
    pub upcoming: bool,
}

impl<'a> Shown<'a> {
    fn of(site: &'a Site, page: &'a Page, print: bool) -> Shown<'a> {
        let front = &page.front;
        Shown {
            id: page.id,
            url: &page.url,
            title: page.title(),
            description: front.description.as_deref(),
            rel: &page.rel,
            lang: page.lang,
            fallback: page.translation == Translation::Fallback,
            section: page.is_section(),
            has_file: page.file.is_some(),
            data: page.data,
            parent: page.parent,
            children: &page.children,
            prev: None,
            next: None,
            sop: front.sop.as_ref().map(|s| ShownSop {
                code: &s.code,
                analytes: (s.analytes.iter())
                    .filter_map(|a| site.data.find_contaminant(a))
                    .collect(),
            }),
            event: front.webinar.as_ref().map(|w| ShownEvent {
                when: w.date.as_str(),
                day: w.date.date(),
                start: w.date.start(),
                upcoming: super::feeds::is_upcoming(site, page),
            }),
            date: front.date.as_ref().map(|d| d.as_str()),
            print,
        }
    }
}

/// The site as template contexts see it: its configuration, strings and data, and its pages
/// only as [`Shown`].
pub struct View<'a> {
    site: &'a Site,
    shown: Vec<Shown<'a>>,
    code_blocks: super::markdown::CodeBlocks,
}

impl<'a> View<'a> {
    pub fn of(site: &'a Site) -> View<'a> {
        let print = super::print::sections(site);
        let mut shown: Vec<Shown> = (site.pages.iter())
            .map(|p| Shown::of(site, p, print.contains(&p.id)))
            .collect();
        let mut placed = vec![false; shown.len()];
        for (i, &id) in site.order.iter().enumerate() {
            if std::mem::replace(&mut placed[id.0], true) {
                continue;
            }
            let lang = shown[id.0].lang;
            let same = |p: &PageId| shown[p.0].lang == lang;
            let prev = i.checked_sub(1).map(|j| site.order[j]).filter(same);
            let next = site.order.get(i + 1).copied().filter(same);
            (shown[id.0].prev, shown[id.0].next) = (prev, next);
        }
        View {
            site,
            shown,
            code_blocks: super::markdown::CodeBlocks::for_languages(site.locales.len()),
        }
    }

    /// The code blocks made so far.
    pub fn code_blocks(&self) -> &super::markdown::CodeBlocks {
        &self.code_blocks
    }

    /// A page as the others show it.
    pub fn page(&self, id: PageId) -> &Shown<'a> {
        &self.shown[id.0]
    }

    /// Every page, by id.
    pub fn pages(&self) -> &[Shown<'a>] {
        &self.shown
    }

    pub fn config(&self) -> &'a Config {
        &self.site.config
    }

    pub fn locale(&self, lang: Lang) -> &'a Locale {
        &self.site.locales[lang.0]
    }

    /// How many languages the site has.
    pub fn languages(&self) -> usize {
        self.site.locales.len()
    }

    pub fn data(&self) -> &'a Database {
        &self.site.data
    }

    /// When the site is built.
    pub fn now(&self) -> Timestamp {
        self.site.now
    }

    /// See [`Site::variant`].
    pub fn variant(&self, id: PageId, lang: Lang) -> PageId {
        self.site.variant(id, lang)
    }

    /// The same page in every language, in the order of `config.languages`.
    pub fn variants(&self, id: PageId) -> impl Iterator<Item = &Shown<'a>> {
        (0..self.languages()).map(move |l| self.page(self.variant(id, Lang(l))))
    }

    pub fn home_of(&self, lang: Lang) -> PageId {
        self.site.home_of(lang)
    }

    /// Ancestors from the home page down to the page's parent.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = self.page(id).parent;
        while let Some(p) = current {
            chain.push(p);
            current = self.page(p).parent;
        }
        chain.reverse();
        chain
    }

    /// The page of a content path (`manual/01-introduction.md`). The map is made of the pages'
    /// `rel`, which [`Shown`] holds.
    pub fn page_at(&self, rel: &str) -> Option<PageId> {
        self.site.by_rel.get(rel).copied()
    }

    /// The threshold explorer, a contaminant's and a country's page, in `lang`. The index is
    /// made of the pages' `data`, which [`Shown`] holds.
    pub fn explorer(&self, lang: Lang) -> Option<&Shown<'a>> {
        let id = self.site.data_pages.explorer?;
        Some(self.page(self.variant(id, lang)))
    }

    pub fn dataset(&self, lang: Lang) -> Option<&Shown<'a>> {
        let id = self.site.data_pages.dataset?;
        Some(self.page(self.variant(id, lang)))
    }

    pub fn contaminant_page(&self, ix: ContaminantIx, lang: Lang) -> Option<&Shown<'a>> {
        let &id = self.site.data_pages.contaminants.get(&ix)?;
        Some(self.page(self.variant(id, lang)))
    }

    pub fn country_page(&self, ix: CountryIx, lang: Lang) -> Option<&Shown<'a>> {
        let &id = self.site.data_pages.countries.get(&ix)?;
        Some(self.page(self.variant(id, lang)))
    }
}
