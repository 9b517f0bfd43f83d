//! Pages and sections: what a content file becomes once its place in the site is known.

use crate::data::{ContaminantIx, CountryIx};
use crate::diagnostics::FileId;
use crate::load::FrontMatter;
use crate::load::document::{Document, LinkRef};
use std::ops::Range;

/// Index of a page in [`super::Site::pages`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub usize);

/// A language of the site, by its position in `config.languages`: 0 is the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Lang(pub usize);

impl Lang {
    pub const DEFAULT: Lang = Lang(0);
}

/// How a page stands to the default language's page at the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Translation {
    /// A page of the default language: the original.
    Original,
    /// Its own file (`chapter.fr.md`). `stale` when the original changed after the translation
    /// was made.
    Translated { stale: bool },
    /// No translation yet: the original's text, in this language's site, with a notice.
    Fallback,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md`, the site's front page.
    Home,
    /// `_index.md` of a folder, or a folder without one.
    Section,
    /// Any other Markdown file.
    Page,
}

/// A link as the renderer will write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Left as written (another host, `mailto:`…).
    External,
    /// A page of this site, with an optional heading anchor.
    Page(PageId, Option<String>),
    /// A file copied to the output, by its output path.
    Asset(String),
    /// An anchor in the same page.
    Fragment(String),
    /// Broken: already reported; rendered as written.
    Broken,
}

/// Where each of a page's links and images goes, by the offset in the file at which it starts
/// ([`LinkRef::at`]). The renderer meets links in its own walk of the Markdown and looks each up
/// by where it stands, so it cannot give a link another's target, whatever order the walks meet
/// them in. Cheap to clone: shared with the link cache of `pedon serve`.
#[derive(Debug, Clone)]
pub struct Targets(std::sync::Arc<[(usize, Target)]>);

impl Targets {
    /// The target of the link or image that starts at byte `at` of the page's file.
    pub fn get(&self, at: usize) -> Option<&Target> {
        let i = self.0.binary_search_by_key(&at, |(a, _)| *a).ok()?;
        Some(&self.0[i].1)
    }
}

impl FromIterator<(usize, Target)> for Targets {
    fn from_iter<I: IntoIterator<Item = (usize, Target)>>(iter: I) -> Targets {
        let mut targets: Vec<_> = iter.into_iter().collect();
        targets.sort_by_key(|(at, _)| *at);
        debug_assert!(
            targets.windows(2).all(|w| w[0].0 != w[1].0),
            "two links start at the same offset"
        );
        Targets(targets.into())
    }
}

/// A page made from the threshold database rather than (only) from Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataPage {
    /// The full table with filters: `thresholds/index.html`.
    Explorer,
    /// The list of contaminants.
    Contaminants,
    Contaminant(ContaminantIx),
    /// The list of countries.
    Countries,
    Country(CountryIx),
    /// How to cite and reuse the database: citation, licence, coverage, the data package.
    Dataset,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    /// None for a folder without `_index.md`.
    pub file: Option<FileId>,
    /// Path relative to `content/` (`manual/_index.md`, `manual/03-sampling.md`).
    pub rel: String,
    pub kind: PageKind,
    /// The default language, or the one in a `page.fr.md` file name.
    pub lang: Lang,
    /// The default language's page at the same place (the page itself in that language).
    pub original: PageId,
    pub translation: Translation,
    /// Shared with the load cache: a rebuild takes ten thousand of these as they were.
    pub front: std::sync::Arc<FrontMatter>,
    pub body: Range<usize>,
    /// Output path relative to the site root (`manual/03-sampling.html`, `manual/index.html`).
    pub url: String,
    pub parent: Option<PageId>,
    /// Pages and sections of a section, in reading order.
    pub children: Vec<PageId>,
    /// Shared with the cache of `pedon serve`, which reuses it while the file is unchanged.
    pub doc: std::sync::Arc<Document>,
    /// Where each of `doc.links` goes; see [`Page::links`].
    pub targets: Targets,
    /// Set for pages drawn from the threshold database; a Markdown file at the same path adds
    /// its text as an introduction.
    pub data: Option<DataPage>,
    /// The filters of the page's ```` ```thresholds ```` blocks, in order; `None` where a block
    /// was invalid (already reported).
    pub tables: Vec<Option<crate::data::Filter>>,
}

type Empty = (std::sync::Arc<Document>, Targets);
static EMPTY: std::sync::LazyLock<Empty> =
    std::sync::LazyLock::new(|| (Default::default(), Targets::from_iter([])));

impl Page {
    /// A page as first made, from a file or not: not yet numbered, given a URL, placed in the
    /// tree or scanned. [`super::build`] fills those in.
    pub(super) fn new(
        rel: String,
        kind: PageKind,
        lang: Lang,
        front: impl Into<std::sync::Arc<FrontMatter>>,
    ) -> Page {
        Page {
            id: PageId(0),
            file: None,
            rel,
            kind,
            lang,
            original: PageId(0),
            translation: Translation::Original,
            front: front.into(),
            body: 0..0,
            url: String::new(),
            parent: None,
            children: Vec::new(),
            // Shared empties: a large site makes ten thousand of these on every rebuild.
            doc: std::sync::Arc::clone(&EMPTY.0),
            targets: EMPTY.1.clone(),
            data: None,
            tables: Vec::new(),
        }
    }

    /// The page's links and images, as written, each with where it goes. Every one has a target
    /// once the site is built ([`super::build`] resolves the page's document).
    pub fn links(&self) -> impl Iterator<Item = (&LinkRef, &Target)> {
        self.doc
            .links
            .iter()
            .filter_map(|link| Some((link, self.targets.get(link.at)?)))
    }

    pub fn title(&self) -> &str {
        &self.front.title
    }

    /// Has its own text: an original or a translation, not a fallback. Only these report
    /// problems in their text, so that a broken link is reported once, not once per language.
    pub fn has_own_text(&self) -> bool {
        self.translation != Translation::Fallback
    }

    pub fn is_section(&self) -> bool {
        self.kind != PageKind::Page
    }

    /// Folder of the source relative to `content/` (`manual`), empty at the top.
    pub fn dir(&self) -> &str {
        // `manual/_index.md` and `manual/a.md` are both in `manual`.
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// Ordering key inside a section: weight first, unweighted last, then title.
    pub fn sort_key(&self) -> (i64, String, &str) {
        (
            self.front.weight.unwrap_or(i64::MAX),
            self.front.title.to_lowercase(),
            &self.rel,
        )
    }
}
