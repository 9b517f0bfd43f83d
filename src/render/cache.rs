//! The preview's render cache and the keys it compares: what every page is rendered with
//! (setup), what each page shows of the others (structure), a page's own inputs (own), and
//! everything one page was rendered from (page). A key that misses an input shows up in
//! `tests/rebuild.rs` as a rebuilt page that differs from a clean build.

use super::markdown;
use super::shown::View;
use super::templates::PageContext;
use crate::model::{Lang, Page, Site};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Pages rendered by earlier builds of `pedon serve`, by URL. A page is rendered again only when
/// the key of what it is made from changes. The key covers its whole template context (its own
/// fields and everything other pages put into it: navigation, breadcrumbs, neighbours, children,
/// link targets) and the inputs of its Markdown, so no list of who-depends-on-whom is kept that
/// could fall out of step with the templates.
///
/// Computing that key for every page costs a tenth of rendering it, too much on each keystroke
/// of a 10,000-page manual. So when nothing that one page shows of another has changed (every
/// page's [`super::shown::Shown`], see [`structure_key`]), nor the templates, configuration or
/// data, a page whose own file is unchanged is taken as it is without computing its key.
/// Contexts see other pages only through [`View`], so nothing they show of another page can
/// escape that key.
#[derive(Default)]
pub struct Cache {
    /// The key of the templates and configuration, and the templates compiled with them.
    setup: Option<(u64, Arc<tera::Tera>)>,
    structure: u64,
    data: u64,
    pages: FxHashMap<String, CachedPage>,
    /// The database's files (downloads, the explorer's records) and the key they were made
    /// for: made again only when the data, the setup, the site's structure or the date change,
    /// not on every edit of a chapter (they were 38 of 47 ms of the bundled site's rebuild).
    data_files: Option<(u64, Files)>,
    /// Files made from many pages (the sitemap, the feeds), by output path, with the key each
    /// was made for.
    site_files: FxHashMap<String, (u64, Arc<Vec<u8>>)>,
    /// Made for one build only: page keys are neither computed nor kept.
    one_off: bool,
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

/// Output files as (path, bytes).
pub(super) type Files = Vec<(String, Arc<Vec<u8>>)>;

/// The keys every page of one build shares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct SiteKeys {
    pub setup: u64,
    pub structure: u64,
    pub data: u64,
}

impl SiteKeys {
    pub fn of(site: &Site, view: &View) -> SiteKeys {
        SiteKeys {
            setup: setup_key(site),
            structure: structure_key(view),
            data: site.data.digest,
        }
    }
}

/// One page of a build: its keys, its HTML or why the template failed, and whether the cache
/// already holds it as it is.
pub(super) struct Rendered {
    pub url: String,
    pub own: u64,
    pub full: u64,
    pub html: Result<Arc<Vec<u8>>, tera::Error>,
    pub kept: bool,
    /// Its keys in the build cache: its own ([`stored_key`]) and its full key.
    pub stored: (u64, u64),
}

impl Cache {
    pub fn one_off() -> Cache {
        Cache {
            one_off: true,
            ..Cache::default()
        }
    }

    /// Whether page keys are computed: not for a cache thrown away after one build, since the
    /// key is a tenth of the cost of rendering a page.
    pub(super) fn keeps_pages(&self) -> bool {
        !self.one_off
    }

    /// The templates the last build compiled, when the setup they were compiled from is the same.
    pub(super) fn templates(&self, setup: u64) -> Option<Arc<tera::Tera>> {
        match &self.setup {
            Some((key, tera)) if *key == setup => Some(Arc::clone(tera)),
            _ => None,
        }
    }

    /// The templates the last build compiled, whatever they were compiled from: for an edit made
    /// against that build ([`super::edited`]).
    pub fn last_templates(&self) -> Option<Arc<tera::Tera>> {
        self.setup.as_ref().map(|(_, tera)| Arc::clone(tera))
    }

    /// The database's files of an earlier build made for `key`.
    pub(super) fn data_files(&self, key: u64) -> Option<&Files> {
        match &self.data_files {
            Some((k, files)) if *k == key => Some(files),
            _ => None,
        }
    }

    /// Keeps the database's files made for `key`, unless the cache is for one build only.
    pub(super) fn keep_data_files(&mut self, key: u64, files: Files) {
        if !self.one_off {
            self.data_files = Some((key, files));
        }
    }

    /// The site file at `path` of an earlier build, made for `key`.
    pub(super) fn site_file(&self, path: &str, key: u64) -> Option<Arc<Vec<u8>>> {
        let (k, bytes) = self.site_files.get(path)?;
        (*k == key).then(|| Arc::clone(bytes))
    }

    /// Keeps the site file at `path` made for `key`, unless the cache is for one build only.
    pub(super) fn keep_site_file(&mut self, path: String, key: u64, bytes: Arc<Vec<u8>>) {
        if !self.one_off {
            self.site_files.insert(path, (key, bytes));
        }
    }

    /// Whether nothing that pages share (setup, structure, data) changed since the last build:
    /// then a page whose own inputs are unchanged can be taken without computing its full key.
    pub(super) fn same_site(&self, keys: SiteKeys) -> bool {
        let setup = self.setup.as_ref().map(|(key, _)| *key);
        setup == Some(keys.setup) && self.structure == keys.structure && self.data == keys.data
    }

    /// The page's HTML from the last build, taken on its own key alone (`same_site`).
    pub(super) fn unchanged(&self, url: &str, own: u64, same_site: bool) -> Option<Rendered> {
        let c = self.pages.get(url).filter(|c| same_site && c.own == own)?;
        Some(Rendered {
            url: url.to_string(),
            own,
            full: c.full,
            html: Ok(Arc::clone(&c.html)),
            kept: true,
            stored: (0, 0),
        })
    }

    /// The page's HTML from an earlier build, when its full key is the same.
    pub(super) fn rendered_from(&self, url: &str, own: u64, full: u64) -> Option<Rendered> {
        let c = self.pages.get(url).filter(|c| c.full == full)?;
        Some(Rendered {
            url: url.to_string(),
            own,
            full,
            html: Ok(Arc::clone(&c.html)),
            kept: c.own == own,
            stored: (0, 0),
        })
    }

    /// Keeps this build's keys and templates, and the pages rendered again. Only those go back
    /// into the cache; the entry of a page that no longer exists never matches another page (its
    /// keys hold its URL and file), and the map is cleared when it has grown well past the site.
    pub(super) fn keep(
        &mut self,
        keys: SiteKeys,
        tera: &Arc<tera::Tera>,
        pages: usize,
        rendered: &[Rendered],
    ) {
        if self.pages.len() > pages + pages / 8 {
            self.pages.clear();
        }
        self.setup = Some((keys.setup, Arc::clone(tera)));
        self.structure = keys.structure;
        self.data = keys.data;
        for r in rendered {
            match &r.html {
                Ok(html) if !r.kept && !self.one_off => {
                    let page = CachedPage {
                        own: r.own,
                        full: r.full,
                        html: Arc::clone(html),
                    };
                    self.pages.insert(r.url.clone(), page);
                }
                Ok(_) => {}
                Err(_) => {
                    self.pages.remove(&r.url);
                }
            }
        }
    }
}

/// What every page is rendered with: the templates, the interface strings and the
/// configuration.
pub(super) fn setup_key(site: &Site) -> u64 {
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

/// What each page shows of the others, and where each sits in the tree: every page's
/// [`super::shown::Shown`], which is all that contexts can see of another page.
///
/// Keys computed over every page on every edit use Fx rather than SipHash: a cache key needs no
/// protection against chosen inputs, and SipHash was a sixth of a 10,000-page rebuild.
pub(super) fn structure_key(view: &View) -> u64 {
    let mut h = FxHasher::default();
    view.pages().hash(&mut h);
    view.languages().hash(&mut h);
    view.home_of(Lang::DEFAULT).hash(&mut h);
    h.finish()
}

/// What the sitemap is made from: each page's place, address and language and whether it has
/// text of its own (the structure), its `updated` date, and the configuration (the base URL).
/// The sitemap lists every page in every language: at 10,000 pages in six languages, writing it
/// was a fifth of a preview rebuild.
pub(super) fn sitemap_key(keys: &SiteKeys, site: &Site) -> u64 {
    let mut h = FxHasher::default();
    (keys.setup, keys.structure, keys.data).hash(&mut h);
    for page in &site.pages {
        page.front.updated.hash(&mut h);
    }
    h.finish()
}

/// The key of a page's own inputs: its file (front matter and body) and its place.
pub(super) fn own_key(site: &Site, page: &Page) -> u64 {
    let mut h = FxHasher::default();
    page.url.hash(&mut h);
    page.rel.hash(&mut h);
    super::template_for(page).hash(&mut h);
    // Whether a translation is out of date: its notice says so, and nothing of its file does.
    page.translation.hash(&mut h);
    if let Some(file) = page.file {
        site.sources.get(file).digest.hash(&mut h);
        page.body.hash(&mut h);
    }
    h.finish()
}

/// A page's key in the build cache: its own key and what a process reads once that its file
/// does not hold, its Git date (a commit changes it, an edit does not). The rest of what it is
/// rendered from is in the site's key ([`crate::build_cache::BuildCache::set_site_key`]).
pub(super) fn stored_key(own: u64, page: &Page) -> u64 {
    let mut h = FxHasher::default();
    own.hash(&mut h);
    page.front.updated.hash(&mut h);
    h.finish()
}

/// The key of one rendered page: its own key, and its context without the Markdown, which is
/// keyed by its inputs instead (rendering it is the cost the cache saves).
pub(super) fn page_key(
    setup: u64,
    own: u64,
    site: &Site,
    page: &Page,
    context: &PageContext,
) -> u64 {
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
    for (link, target) in page.links() {
        markdown::target_url(site, page, target, &link.dest).hash(&mut w.0);
    }
    if !page.tables.is_empty() {
        site.data.digest.hash(&mut w.0);
    }
    w.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_site::site_of;

    const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\n");
    const MANUAL: (&str, &str) = ("content/manual/_index.md", "---\ntitle: Manual\n---\n");

    fn chapter(front: &str, body: &str) -> (&'static str, String) {
        (
            "content/manual/a.md",
            format!("---\n{front}\n---\n{body}\n"),
        )
    }

    fn keys(chapter: (&str, String)) -> (u64, u64) {
        let (_dir, site) = site_of(&[HOME, MANUAL, (chapter.0, &chapter.1)]);
        let view = View::of(&site);
        let page = &site.pages[site.by_rel["manual/a.md"].0];
        (structure_key(&view), own_key(&site, page))
    }

    #[test]
    fn what_a_page_shows_of_itself_changes_the_structure_key() {
        let base = keys(chapter("title: A\ndescription: One", "Text."));
        for (what, other) in [
            ("title", chapter("title: B\ndescription: One", "Text.")),
            (
                "description",
                chapter("title: A\ndescription: Two", "Text."),
            ),
            (
                "date",
                chapter("title: A\ndescription: One\ndate: 2024-01-02", "Text."),
            ),
        ] {
            let changed = keys(other);
            assert_ne!(base.0, changed.0, "{what} is not in the structure key");
            assert_ne!(base.1, changed.1, "{what} is not in the page's own key");
        }
    }

    #[test]
    fn a_body_edit_changes_only_the_pages_own_key() {
        let base = keys(chapter("title: A", "Text."));
        let edited = keys(chapter("title: A", "Other text."));
        assert_eq!(base.0, edited.0);
        assert_ne!(base.1, edited.1);
    }
}
