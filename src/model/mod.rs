//! Stage 2: one immutable [`Site`] from what was loaded: pages placed in their sections, ordered,
//! given URLs, their Markdown scanned for headings and links, and every link resolved. Problems are
//! collected as diagnostics; the site is built as far as it can be either way.

mod aliases;
mod data_pages;
pub mod edit;

mod links;
#[cfg(test)]
pub(crate) use links::normalize as normalize_link_path;
mod page;

mod tables;
mod translations;

pub use aliases::Alias;
pub(crate) use links::normalize;
pub use page::{DataPage, Lang, Page, PageId, PageKind, Target, Targets, Translation};
pub use translations::fingerprint;

use crate::config::Config;
use crate::data::Database;
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::load::{Asset, FrontMatter, Loaded, Theme, slug};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The whole site, resolved. Render reads it; nothing mutates it after [`build`].
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub sources: SourceMap,
    /// The default language's pages, then each other language's in the same order: page `i` of
    /// language `l` is `pages[l × per_language + i]`, so a page's translations are found by
    /// arithmetic rather than a table that could fall out of step.
    pub pages: Vec<Page>,
    pub per_language: usize,
    /// The default language's home page.
    pub home: PageId,
    /// Pages in reading order (home first, then each section followed by its contents), one
    /// language after the other.
    pub order: Vec<PageId>,
    /// Interface strings and number formats, by language.
    pub locales: Vec<crate::i18n::Locale>,
    /// Content path (`manual/03-sampling.md`) to page.
    pub by_rel: FxHashMap<String, PageId>,
    /// SOP code to page.
    pub sops: BTreeMap<String, PageId>,
    /// SOP codes of pages that failed to load (already reported): links to them are not
    /// reported again.
    pub sops_in_doubt: HashSet<String>,
    /// Old addresses of renamed and moved pages (`aliases:`), by old URL: each is written as a
    /// page that sends readers on.
    pub aliases: BTreeMap<String, Alias>,
    pub assets: Vec<Asset>,
    pub theme: Theme,
    /// The threshold database (empty when the site has no `data/`).
    /// Shared with the cache of `pedon serve`: an edit that leaves every data file as it was
    /// does not parse the database again.
    pub data: std::sync::Arc<Database>,
    /// The page of each contaminant and country, by index, for typed links.
    pub data_pages: data_pages::DataPageIndex,
    /// Content files that are not pages of this build, and why.
    pub unpublished: HashMap<String, Unpublished>,
    /// When the site is built: events after it are upcoming.
    pub now: crate::time::Timestamp,
    /// Where Git says missing Markdown files went (for the suggestion of a broken link).
    pub moves: std::sync::Arc<crate::load::Moves>,
}

/// The file name of a section's print edition, beside its `index.html`.
pub const PRINT_FILE: &str = "print.html";

/// Why a Markdown file is not a page of this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    /// `draft: true` and no `--drafts`.
    Draft,
    /// It could not be loaded; the reason was already reported.
    Failed,
}

impl Site {
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// The page at the same place as `id`, in `lang`. Every language has every page: a
    /// translation, or the original as a fallback.
    pub fn variant(&self, id: PageId, lang: Lang) -> PageId {
        PageId(lang.0 * self.per_language + id.0 % self.per_language)
    }

    /// The same page in every language, in the order of `config.languages`.
    pub fn variants(&self, id: PageId) -> impl Iterator<Item = &Page> {
        (0..self.locales.len()).map(move |l| self.page(self.variant(id, Lang(l))))
    }

    pub fn home_of(&self, lang: Lang) -> PageId {
        self.variant(self.home, lang)
    }

    pub fn locale(&self, page: &Page) -> &crate::i18n::Locale {
        &self.locales[page.lang.0]
    }

    /// The section printed as one book for a `[print] sections` entry: the section page whose
    /// folder under `content/` is `name`, when its `print.html` is free (a page of the editor's
    /// at that URL wins; `check` reports it).
    pub fn print_section(&self, name: &str) -> Option<PageId> {
        let name = name.trim_matches('/');
        let page = self
            .pages
            .iter()
            .find(|p| p.is_section() && p.dir() == name && p.data.is_none())?;
        let url = format!("{}{PRINT_FILE}", page.url.trim_end_matches("index.html"));
        (!self.pages.iter().any(|p| p.url == url)).then_some(page.id)
    }

    pub fn sections(&self) -> usize {
        self.pages.iter().filter(|p| p.is_section()).count()
    }
}

/// What the model keeps between the builds of `pedon serve`.
#[derive(Debug, Default)]
pub struct Cache {
    /// The fingerprint of each original's text, by its file's digest ([`translations`]).
    fingerprints: translations::Fingerprints,
    /// Resolved links, by content path: valid while the page's file and everything links resolve
    /// against (see [`links::world_key`]) are unchanged.
    links: links::Cache,
    /// Each file's ```` ```thresholds ```` blocks resolved.
    tables: tables::Cache,
    /// The database and what parsing it found, with the key of what it was parsed from.
    data: Option<(u64, std::sync::Arc<Database>, Diagnostics)>,
}

impl Cache {
    /// The database of `files`: the one parsed last time when the files (their ids, paths and
    /// contents) and the configuration are the same, else parsed now. Parsing a thousand records
    /// was half of a preview rebuild of the bundled site.
    fn data(
        &mut self,
        files: &[crate::load::DataFile],
        sources: &crate::diagnostics::SourceMap,
        config: &Config,
    ) -> (std::sync::Arc<Database>, Diagnostics) {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for file in files {
            file.file.hash(&mut h);
            file.rel.hash(&mut h);
            sources.get(file.file).digest.hash(&mut h);
        }
        format!("{config:?}").hash(&mut h);
        let key = h.finish();
        if let Some((cached, data, found)) = &self.data
            && *cached == key
        {
            return (std::sync::Arc::clone(data), found.clone());
        }
        let (data, found) = crate::data::build(files, sources, config);
        let data = std::sync::Arc::new(data);
        self.data = Some((key, std::sync::Arc::clone(&data), found.clone()));
        (data, found)
    }
}

/// Options that change what the model contains.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub drafts: bool,
    pub now: crate::time::Timestamp,
}

/// Builds the site model.
pub fn build(loaded: Loaded, options: &ModelOptions, cache: &mut Cache) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let Loaded {
        config,
        sources,
        pages: sources_pages,
        assets,
        theme,
        data_files,
        failed,
        failed_sops,
        moves,
    } = loaded;
    let (data, data_diagnostics) = cache.data(&data_files, &sources, &config);
    diagnostics.extend(data_diagnostics);
    let mut unpublished: HashMap<String, Unpublished> = failed
        .into_iter()
        .map(|rel| (rel, Unpublished::Failed))
        .collect();

    let (locales, locale_diagnostics) = crate::i18n::build(&config, &theme);
    diagnostics.extend(locale_diagnostics);
    let mut originals = Vec::with_capacity(sources_pages.len());
    let mut translated = Vec::new();
    for p in sources_pages {
        if !options.drafts && p.front.draft {
            unpublished.insert(p.rel.clone(), Unpublished::Draft);
            continue;
        }
        let (kind, lang) = classify(&p.rel, &config);
        let page = Page {
            file: Some(p.file),
            body: p.body,
            doc: p.doc,
            ..Page::new(p.rel, kind, lang, p.front)
        };
        if lang == Lang::DEFAULT {
            originals.push(page);
        } else {
            translated.push(page);
        }
    }
    let mut pages = originals;
    data_pages::add(&mut pages, &data, &locales[0]);
    ensure_sections(&mut pages, &config);
    let urls: Vec<String> = {
        let mut dirs = FxHashMap::default();
        pages.iter().map(|page| url_of(page, &mut dirs)).collect()
    };
    for (i, (page, url)) in pages.iter_mut().zip(urls).enumerate() {
        page.id = PageId(i);
        page.original = page.id;
        page.url = url;
    }
    let per_language = pages.len();
    let by_rel: FxHashMap<String, PageId> = pages.iter().map(|p| (p.rel.clone(), p.id)).collect();
    // Against a pedon.toml with an error, a language may be missing only because of it.
    if config.is_whole() {
        diagnostics.extend(translations::undeclared(&pages, &by_rel));
    }
    link_tree(&mut pages);

    let home = by_rel["_index.md"];
    let mut order = Vec::with_capacity(pages.len() * locales.len());
    reading_order(&pages, home, &mut order);
    let mut by_rel = by_rel;
    translations::mirror(
        &mut pages,
        translated,
        &translations::Context {
            config: &config,
            locales: &locales,
            sources: &sources,
            data: &data,
        },
        &mut cache.fingerprints,
        &mut by_rel,
        &mut unpublished,
        &mut diagnostics,
    );
    for lang in 1..locales.len() {
        let shift = lang * per_language;
        for i in 0..per_language {
            order.push(PageId(order[i].0 + shift));
        }
    }

    let data_pages = data_pages::index(&pages);
    let sops_in_doubt: HashSet<String> = failed_sops.into_iter().collect();
    let mut sops = BTreeMap::new();
    for page in &pages[..per_language] {
        if let Some(sop) = &page.front.sop {
            sops.entry(sop.code.clone()).or_insert(page.id);
        }
    }

    let mut site = Site {
        config,
        sources,
        pages,
        per_language,
        locales,
        home,
        order,
        by_rel,
        sops,
        sops_in_doubt,
        aliases: BTreeMap::new(),
        assets,
        theme,
        data,
        data_pages,
        unpublished,
        now: options.now,
        moves,
    };
    diagnostics.extend(data_pages::check_analytes(&site));
    let (aliases, alias_diagnostics) = aliases::collect(&site);
    site.aliases = aliases;
    diagnostics.extend(alias_diagnostics);
    let tables = tables::resolve_all(&site, &mut cache.tables);
    for (page, (t, found)) in site.pages.iter_mut().zip(tables) {
        page.tables = t;
        if page.has_own_text() {
            diagnostics.extend(found);
        }
    }
    let targets = links::resolve_all(&site, &mut diagnostics, &mut cache.links);
    for (page, t) in site.pages.iter_mut().zip(targets) {
        page.targets = t;
    }
    (site, diagnostics)
}

/// The model of the site at `root` as a build makes it, for tests that render single pages
/// without running the rest of the pipeline.
#[cfg(test)]
pub(crate) fn build_for_tests(root: &std::path::Path) -> Site {
    let (loaded, _) = crate::load::load(root, &mut crate::load::Cache::default());
    let options = ModelOptions {
        drafts: false,
        now: crate::time::Timestamp(0),
    };
    build(loaded, &options, &mut Cache::default()).0
}

/// Kind of page from its path, and its language from a `name.xx.md` file name. Only the codes
/// of `[[languages]]` count: `notes.v2.md` is a page named `notes.v2`. Runs once per file on
/// every rebuild of `pedon serve`, so it looks at `rel` without copying it.
fn classify(rel: &str, config: &Config) -> (PageKind, Lang) {
    let (stem, lang) = translated_stem(rel, config)
        .unwrap_or((rel.strip_suffix(".md").unwrap_or(rel), Lang::DEFAULT));
    let name = stem.rsplit('/').next().unwrap_or(stem);
    let kind = match (name, rel.contains('/')) {
        ("_index", false) => PageKind::Home,
        ("_index", true) => PageKind::Section,
        _ => PageKind::Page,
    };
    (kind, lang)
}

/// `manual/01-introduction.fr.md` → (`manual/01-introduction.md`, French).
pub(crate) fn split_language(rel: &str, config: &Config) -> (String, Lang) {
    match translated_stem(rel, config) {
        Some((stem, lang)) => (format!("{stem}.md"), lang),
        None => (rel.to_string(), Lang::DEFAULT),
    }
}

/// `manual/intro.fr.md` → (`manual/intro`, French), when `fr` is a language of the site.
fn translated_stem<'a>(rel: &'a str, config: &Config) -> Option<(&'a str, Lang)> {
    let (stem, code) = suffix_parts(rel)?;
    Some((stem, Lang(config.language_index(code)?)))
}

/// `manual/intro.fr.md` → (`manual/intro.md`, `fr`), whatever the suffix is: the caller decides
/// whether it names a language.
pub(crate) fn language_suffix(rel: &str) -> Option<(String, &str)> {
    suffix_parts(rel).map(|(stem, code)| (format!("{stem}.md"), code))
}

/// `manual/intro.fr.md` → (`manual/intro`, `fr`).
fn suffix_parts(rel: &str) -> Option<(&str, &str)> {
    let (stem, code) = rel.strip_suffix(".md")?.rsplit_once('.')?;
    (!code.contains('/')).then_some((stem, code))
}

/// Adds a home page and a section for every folder that has pages but no `_index.md`, so that
/// every page has a parent and the navigation has no holes. Each folder is looked at once,
/// however many pages it holds.
fn ensure_sections(pages: &mut Vec<Page>, config: &Config) {
    let existing: FxHashSet<&str> = pages
        .iter()
        .filter(|p| p.is_section())
        .map(|p| p.dir())
        .collect();
    let mut walked: FxHashSet<&str> = FxHashSet::default();
    let mut missing = Vec::new();
    let folders = pages.iter().filter_map(|page| match page.kind {
        PageKind::Home => None,
        PageKind::Section => parent_dir(page.dir()),
        PageKind::Page => Some(page.dir()),
    });
    for mut dir in folders.chain([""]) {
        // A folder seen before had its parents walked with it.
        while walked.insert(dir) {
            if !existing.contains(dir) {
                missing.push(dir.to_string());
            }
            match parent_dir(dir) {
                Some(parent) => dir = parent,
                None => break,
            }
        }
    }
    for dir in missing {
        let rel = index_rel(&dir);
        let title = if dir.is_empty() {
            config.title.clone()
        } else {
            humanize(dir.rsplit('/').next().unwrap_or(&dir))
        };
        let kind = if dir.is_empty() {
            PageKind::Home
        } else {
            PageKind::Section
        };
        pages.push(Page::new(rel, kind, Lang::DEFAULT, implicit_front(title)));
    }
}

fn index_rel(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".into()
    } else {
        format!("{dir}/_index.md")
    }
}

/// `Some("")` for a top-level folder, `None` for the root itself.
fn parent_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        return None;
    }
    Some(dir.rsplit_once('/').map_or("", |(p, _)| p))
}

/// `03-heavy-metals` → `Heavy metals`.
fn humanize(name: &str) -> String {
    let trimmed = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    let words = if trimmed.is_empty() { name } else { trimmed }.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(crate) fn implicit_front(title: String) -> FrontMatter {
    FrontMatter {
        title,
        weight: None,
        description: None,
        slug: None,
        draft: false,
        date: None,
        updated: None,
        authors: Vec::new(),
        sop: None,
        webinar: None,
        translated_from: None,
        aliases: Vec::new(),
    }
}

/// Output path of a default-language page: `dir/slug.html` for pages, `dir/index.html` for
/// sections (other languages put theirs under `xx/`). Files, not pretty folders, so that the
/// same output works on any host, under any sub-path and from `file://`.
/// `dirs` remembers each folder's slugs: thousands of pages share a handful of folders.
fn url_of<'a>(page: &'a Page, dirs: &mut FxHashMap<&'a str, String>) -> String {
    let dir = dirs
        .entry(page.dir())
        .or_insert_with(|| dir_url(page.dir()));
    let mut url = String::with_capacity(dir.len() + page.rel.len() + 6);
    url.push_str(dir);
    match page.kind {
        PageKind::Home | PageKind::Section => url.push_str("index.html"),
        PageKind::Page => {
            let stem = page
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&page.rel)
                .trim_end_matches(".md");
            url.push_str(&page_file(page.front.slug.as_deref().unwrap_or(stem)));
        }
    }
    url
}

/// The output folder of a content folder (`Manual/Heavy metals` → `manual/heavy-metals/`): one
/// rule for pages and for the old addresses of [`aliases`].
pub(crate) fn dir_url(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| slug::slugify(s) + "/")
        .collect()
}

/// The output file of a page named `stem` (its file name without `.md`, or its `slug`).
pub(crate) fn page_file(stem: &str) -> String {
    let slug = slug::slugify(stem);
    format!("{}.html", if slug.is_empty() { "page" } else { &slug })
}

/// Sets parents and sorted children of the default language's pages.
/// Every folder has its section (see [`ensure_sections`]).
fn link_tree(pages: &mut [Page]) {
    let sections: FxHashMap<&str, PageId> = pages
        .iter()
        .filter(|p| p.is_section())
        .map(|p| (p.dir(), p.id))
        .collect();
    let mut children: FxHashMap<PageId, Vec<PageId>> = FxHashMap::default();
    for page in pages.iter() {
        let dir = match page.kind {
            PageKind::Home => continue,
            PageKind::Section => parent_dir(page.dir()).unwrap_or_default(),
            PageKind::Page => page.dir(),
        };
        children.entry(sections[dir]).or_default().push(page.id);
    }
    for (parent, mut kids) in children {
        // The key allocates (a lower-cased title): once per page, not once per comparison.
        kids.sort_by_cached_key(|k| pages[k.0].sort_key());
        for &k in &kids {
            pages[k.0].parent = Some(parent);
        }
        pages[parent.0].children = kids;
    }
}

fn reading_order(pages: &[Page], id: PageId, order: &mut Vec<PageId>) {
    order.push(id);
    for &child in &pages[id.0].children {
        reading_order(pages, child, order);
    }
}
