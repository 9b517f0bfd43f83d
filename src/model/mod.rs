//! Stage 2: one immutable [`Site`] from what was loaded: pages placed in their sections, ordered,
//! given URLs, their Markdown scanned for headings and links, and every link resolved. Problems are
//! collected as diagnostics; the site is built as far as it can be either way.

mod data_pages;
pub mod document;
mod links;
#[cfg(test)]
pub(crate) use links::normalize as normalize_link_path;
mod page;
pub mod slug;
mod tables;
mod translations;

pub(crate) use links::normalize;
pub use page::{DataPage, Lang, Page, PageId, PageKind, Target, Translation};
pub use translations::fingerprint;

use crate::config::Config;
use crate::data::Database;
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::load::{Asset, FrontMatter, Loaded, Theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

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
    pub by_rel: HashMap<String, PageId>,
    /// SOP code to page.
    pub sops: BTreeMap<String, PageId>,
    pub assets: Vec<Asset>,
    pub theme: Theme,
    /// The threshold database (empty when the site has no `data/`).
    pub data: Database,
    /// The page of each contaminant and country, by index, for typed links.
    pub data_pages: data_pages::DataPageIndex,
    /// Content files that are not pages of this build, and why.
    pub unpublished: HashMap<String, Unpublished>,
    /// When the site is built: events after it are upcoming.
    pub now: crate::time::Timestamp,
}

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

    /// Previous and next page in reading order.
    pub fn neighbours(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        let Some(i) = self.order.iter().position(|&p| p == id) else {
            return (None, None);
        };
        let lang = self.page(id).lang;
        let same = |p: &PageId| self.page(*p).lang == lang;
        let prev = i.checked_sub(1).map(|j| self.order[j]).filter(same);
        (prev, self.order.get(i + 1).copied().filter(same))
    }

    pub fn sections(&self) -> usize {
        self.pages.iter().filter(|p| p.is_section()).count()
    }
}

/// Scans kept between the builds of `pedon serve`: a page whose text did not change is not
/// scanned again.
#[derive(Debug, Default)]
pub struct Cache {
    /// By content path: the digest of the file scanned, and what the scan found.
    scans: HashMap<String, (u64, std::sync::Arc<document::Document>)>,
    /// Resolved links, by content path: valid while the page's file and everything links resolve
    /// against (see [`links::world_key`]) are unchanged.
    links: links::Cache,
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
    } = loaded;
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let (data, data_diagnostics) = crate::data::build(&data_files, &sources, &codes);
    diagnostics.extend(data_diagnostics);
    let mut unpublished: HashMap<String, Unpublished> = failed
        .into_iter()
        .map(|rel| (rel, Unpublished::Failed))
        .collect();

    let (locales, locale_diagnostics) = crate::i18n::build(&config, &theme);
    diagnostics.extend(locale_diagnostics);
    let mut originals = Vec::new();
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
    let mut dirs = HashMap::new();
    for (i, page) in pages.iter_mut().enumerate() {
        page.id = PageId(i);
        page.original = page.id;
        page.url = url_of(page, &mut dirs);
    }
    let per_language = pages.len();
    let by_rel: HashMap<String, PageId> = pages.iter().map(|p| (p.rel.clone(), p.id)).collect();
    diagnostics.extend(translations::undeclared(&pages, &by_rel));
    link_tree(&mut pages, &by_rel);

    // Scanning Markdown is per-page work: parallel, and only for files that changed.
    pages
        .par_iter_mut()
        .chain(translated.par_iter_mut())
        .for_each(|page| {
            if let Some(file) = page.file {
                let source = sources.get(file);
                page.doc = match cache.scans.get(&page.rel) {
                    Some((digest, doc)) if *digest == source.digest => std::sync::Arc::clone(doc),
                    _ => std::sync::Arc::new(document::scan(&source.text, page.body.clone())),
                };
            }
        });
    // Only changed files are put back: rebuilding the whole map on every keystroke of a large
    // manual costs more than the scans it saves. Entries of removed files are dropped when the
    // map has grown past the site; until then a stale entry never matches (its digest is old).
    let scanned = pages.len() + translated.len();
    if cache.scans.len() > scanned + scanned / 8 {
        cache.scans.clear();
    }
    for p in pages.iter().chain(&translated) {
        let Some(file) = p.file else { continue };
        let digest = sources.get(file).digest;
        match cache.scans.get_mut(&p.rel) {
            Some(entry) if entry.0 == digest => {}
            Some(entry) => *entry = (digest, p.doc.clone()),
            None => {
                cache.scans.insert(p.rel.clone(), (digest, p.doc.clone()));
            }
        }
    }

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
        assets,
        theme,
        data,
        data_pages,
        unpublished,
        now: options.now,
    };
    diagnostics.extend(data_pages::check_analytes(&site));
    let tables = tables::resolve_all(&site);
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

/// Kind of page from its path, and its language from a `name.xx.md` file name. Only the codes
/// of `[[languages]]` count: `notes.v2.md` is a page named `notes.v2`.
fn classify(rel: &str, config: &Config) -> (PageKind, Lang) {
    let (base, lang) = split_language(rel, config);
    let name = base.rsplit('/').next().unwrap_or(&base);
    let kind = match (name, rel.contains('/')) {
        ("_index.md", false) => PageKind::Home,
        ("_index.md", true) => PageKind::Section,
        _ => PageKind::Page,
    };
    (kind, lang)
}

/// `manual/01-introduction.fr.md` → (`manual/01-introduction.md`, French).
pub(crate) fn split_language(rel: &str, config: &Config) -> (String, Lang) {
    if let Some((original, code)) = language_suffix(rel)
        && let Some(lang) = config.language_index(code)
    {
        return (original, Lang(lang));
    }
    (rel.to_string(), Lang::DEFAULT)
}

/// `manual/intro.fr.md` → (`manual/intro.md`, `fr`), whatever the suffix is: the caller decides
/// whether it names a language.
pub(crate) fn language_suffix(rel: &str) -> Option<(String, &str)> {
    let (base, code) = rel.strip_suffix(".md")?.rsplit_once('.')?;
    (!code.contains('/')).then(|| (format!("{base}.md"), code))
}

/// Adds a home page and a section for every folder that has pages but no `_index.md`, so that
/// every page has a parent and the navigation has no holes.
fn ensure_sections(pages: &mut Vec<Page>, config: &Config) {
    let mut existing: std::collections::HashSet<String> = pages
        .iter()
        .filter(|p| p.is_section())
        .map(|p| p.rel.clone())
        .collect();
    let mut missing = Vec::new();
    for page in pages.iter() {
        let mut dir = page.dir().to_string();
        if page.is_section() {
            dir = parent_dir(&dir).unwrap_or_default();
            if page.kind == PageKind::Home {
                continue;
            }
        }
        loop {
            let rel = index_rel(&dir);
            if existing.insert(rel.clone()) {
                missing.push((dir.clone(), rel));
            }
            match parent_dir(&dir) {
                Some(parent) => dir = parent,
                None => break,
            }
        }
    }
    if existing.insert("_index.md".into()) {
        missing.push((String::new(), "_index.md".into()));
    }
    for (dir, rel) in missing {
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
fn parent_dir(dir: &str) -> Option<String> {
    if dir.is_empty() {
        return None;
    }
    Some(
        dir.rsplit_once('/')
            .map_or(String::new(), |(p, _)| p.to_string()),
    )
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
    }
}

/// Output path of a default-language page: `dir/slug.html` for pages, `dir/index.html` for
/// sections (other languages put theirs under `xx/`). Files, not pretty folders, so that the
/// same output works on any host, under any sub-path and from `file://`.
/// `dirs` remembers each folder's slugs: thousands of pages share a handful of folders.
fn url_of(page: &Page, dirs: &mut HashMap<String, String>) -> String {
    let dir = dirs.entry(page.dir().to_string()).or_insert_with(|| {
        page.dir()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| slug::slugify(s) + "/")
            .collect()
    });
    let mut url = dir.clone();
    match page.kind {
        PageKind::Home | PageKind::Section => url.push_str("index.html"),
        PageKind::Page => {
            let stem = page
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&page.rel)
                .trim_end_matches(".md");
            let slug = slug::slugify(page.front.slug.as_deref().unwrap_or(stem));
            url.push_str(if slug.is_empty() { "page" } else { &slug });
            url.push_str(".html");
        }
    }
    url
}

/// Sets parents and sorted children of the default language's pages.
fn link_tree(pages: &mut [Page], by_rel: &HashMap<String, PageId>) {
    let mut children: HashMap<PageId, Vec<PageId>> = HashMap::new();
    for page in pages.iter() {
        if page.kind == PageKind::Home {
            continue;
        }
        let dir = if page.is_section() {
            parent_dir(page.dir()).unwrap_or_default()
        } else {
            page.dir().to_string()
        };
        let parent = by_rel[&index_rel(&dir)];
        children.entry(parent).or_default().push(page.id);
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
