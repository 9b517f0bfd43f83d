//! Stage 3: every page to HTML through the theme's templates, in parallel, into an in-memory
//! [`Output`]. Rendering reads the finished [`Site`] and never changes it; template failures are
//! collected as diagnostics, one per template problem rather than one per page.
//!
//! This module runs the stage. Each part has its own: `cache` the preview's cache and its keys,
//! `shown` what one page shows of another, `context` a page's template context, `site_files`
//! the sitemap, `robots.txt` and the 404 page, `templates` Tera and the view types, `html` the
//! escaping writer of the HTML and XML written in Rust.

mod cache;
mod chart;
mod cite;
mod context;
mod dataset;
pub mod downloads;
mod explorer;
mod feeds;
mod highlight;
mod html;
mod map;
pub mod markdown;
mod matrix;
mod print;
mod redirects;
mod shown;
mod site_files;
mod templates;
pub mod thresholds;

pub use cache::Cache;

use crate::build_cache::BuildCache;
use crate::diagnostics::Diagnostics;
use crate::model::{DataPage, Lang, Page, PageKind, Site};
use crate::output::Output;
use cache::{Rendered, SiteKeys};
use context::page_context;
use rayon::prelude::*;
pub(crate) use shown::View;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use templates::{PageContext, SiteView};

/// A page's key in the build cache: its own inputs and its Git date. The search index takes
/// it as the key of the page's own entry, in `pedon serve` as in `pedon build`.
pub(crate) fn stored_page_key(site: &Site, page: &Page) -> u64 {
    cache::stored_key(cache::own_key(site, page), page)
}

/// What every page is rendered with: the templates, interface strings and configuration.
pub(crate) fn setup_key(site: &Site) -> u64 {
    cache::setup_key(site)
}

/// Renders the site into `output`. `progress` counts rendered pages, for a progress line on long
/// builds.
pub fn render(
    site: &Site,
    progress: &AtomicUsize,
    cache: &mut Cache,
    mut stored: Option<&mut BuildCache>,
    output: &mut Output,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let view = View::of(site);
    let keys = SiteKeys::of(site, &view);
    if let Some(stored) = stored.as_deref_mut() {
        let (year, month, day, ..) = site.now.civil();
        stored.set_site_key(
            (keys.setup, keys.structure, keys.data),
            (year, month, day),
            site.config.base_path(),
        );
    }
    let tera = match cache.templates(keys.setup) {
        Some(tera) => tera,
        None => match templates::compile(&site.theme, &site.sources) {
            Ok(tera) => Arc::new(tera),
            Err(problems) => {
                diagnostics.extend(problems);
                return diagnostics;
            }
        },
    };
    let same_site = cache.same_site(keys);
    let strings = Strings::of(site);
    let site_views = site_views(site);
    let site_view = &site_views[0];
    // A staged build writes each page as it is rendered and keeps only its path, unless the
    // cache keeps pages for the next build (`pedon serve`, which does not stage).
    let staging = output.staging().filter(|_| !cache.keeps_pages());
    let reusing = stored.as_deref();

    let rendered: Vec<Rendered> = site
        .pages
        .par_iter()
        // Pages in small runs: rayon gives each thread long runs, and the last one, with its code
        // blocks to highlight, kept one core busy for up to a quarter of a second while the other
        // waited (10,000 pages, two cores).
        .with_max_len(16)
        .map_init(
            || strings.reusable(),
            |contexts, page| {
                let own = cache::own_key(site, page);
                if let Some(kept) = cache.unchanged(&page.url, own, same_site) {
                    return kept;
                }
                // The build cache: the page as the last `pedon build` wrote it, when nothing it
                // is made from changed.
                let stored_own = cache::stored_key(own, page);
                let taken = |full| Rendered {
                    url: page.url.clone(),
                    own,
                    full: 0,
                    html: Ok(Arc::new(Vec::new())),
                    kept: false,
                    stored: (stored_own, full),
                };
                let reuse = reusing.zip(staging.as_ref());
                if let Some((reusing, staging)) = reuse
                    && let Some(full) = reusing.reuse_page(&page.url, stored_own, staging)
                {
                    return taken(full);
                }
                let context = page_context(&view, page, &site_views[page.lang.0]);
                let full = match cache.keeps_pages() || reuse.is_some() {
                    true => cache::page_key(keys.setup, own, site, page, &context),
                    false => 0,
                };
                let stored_full = reusing.map_or(0, |r| r.full_key(full));
                if let Some((reusing, staging)) = reuse
                    && reusing.reuse_rendered(&page.url, stored_full, staging)
                {
                    return taken(stored_full);
                }
                if let Some(kept) = cache.rendered_from(&page.url, own, full) {
                    return kept;
                }
                let body = (page.file).map(|f| site.sources.get(f).read_range(page.body.clone()));
                let html = page_html(site, &view, &tera, contexts, context, page, body.as_deref())
                    .map(|html| match &staging {
                        Some(staging) => {
                            staging.put(&page.url, html.as_bytes());
                            Arc::new(Vec::new())
                        }
                        None => Arc::new(html.into_bytes()),
                    });
                progress.fetch_add(1, Ordering::Relaxed);
                Rendered {
                    url: page.url.clone(),
                    own,
                    full,
                    html,
                    kept: false,
                    stored: (stored_own, stored_full),
                }
            },
        )
        .collect();
    cache.keep(keys, &tera, site.pages.len(), &rendered);
    if let Some(stored) = stored.as_deref_mut() {
        let pages = rendered
            .iter()
            .map(|r| (r.url.clone(), r.stored.0, r.stored.1));
        stored.set_pages(pages.collect());
    }
    let mut seen_errors = std::collections::HashSet::new();
    let mut pages = Vec::with_capacity(rendered.len());
    for Rendered {
        url, html, kept, ..
    } in rendered
    {
        match html {
            Ok(_) if staging.is_some() && !kept => output.add_staged(url),
            Ok(html) => pages.push((url, html)),
            Err(e) => {
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

    let not_found = site_files::not_found_context(&view, site_view);
    match contexts.render(&tera, "404.html", &not_found, Lang::DEFAULT) {
        Ok(html) => output.add("404.html".into(), html.into_bytes()),
        Err(e) => diagnostics.push(templates::template_error(&e, &site.theme, &site.sources)),
    }
    add_site_file(
        output,
        cache,
        stored.as_deref_mut(),
        "sitemap.xml",
        cache::sitemap_key(&keys, site),
        || site_files::sitemap(site).into_bytes(),
    );
    feeds::add(site, &view, keys.setup, cache, output);
    output.add("robots.txt".into(), site_files::robots(site).into_bytes());
    redirects::add(site, output);
    if !site.data.is_empty() {
        let date = dataset::edition_date(&view);
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            (keys.setup, keys.structure, keys.data, &date).hash(&mut h);
            h.finish()
        };
        let reused = match (stored.as_deref(), output.staging()) {
            (Some(stored), Some(staging)) => stored.reuse_unit(DATA_FILES, key, &[], &staging),
            _ => None,
        };
        let paths = match reused {
            // Taken from the last `pedon build`'s output.
            Some(paths) => {
                for path in &paths {
                    output.add_staged(path.clone());
                }
                paths
            }
            None => {
                let files = match cache.data_files(key) {
                    Some(files) => files.to_vec(),
                    None => {
                        // Made in memory, then added (and staged) like any file.
                        let mut made = Output::default();
                        downloads::add(&site.data, &site.config, &date, &mut made);
                        explorer::add(&view, &mut made);
                        let files: Vec<(String, Arc<Vec<u8>>)> = made
                            .iter()
                            .filter_map(|(path, file)| match file {
                                crate::output::OutputFile::Bytes(bytes) => {
                                    Some((path.clone(), Arc::clone(bytes)))
                                }
                                _ => None,
                            })
                            .collect();
                        cache.keep_data_files(key, files.clone());
                        files
                    }
                };
                let paths = files.iter().map(|(path, _)| path.clone()).collect();
                for (path, bytes) in files {
                    output.add_shared(path, bytes);
                }
                paths
            }
        };
        if let Some(stored) = stored {
            stored.set_unit(DATA_FILES.into(), key, Vec::new(), paths);
        }
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
    diagnostics
}

/// The site's title and description in each language, where `[[languages]]` gives them.
fn site_views(site: &Site) -> Vec<SiteView<'_>> {
    (site.config.languages.iter())
        .map(|l| SiteView {
            title: l.title.as_deref().unwrap_or(&site.config.title),
            description: l.description.as_deref().unwrap_or(&site.config.description),
            base_url: site.config.absolute_base(),
            repository: site.config.repository.as_deref(),
            version: site.config.version.as_deref(),
        })
        .collect()
}

/// A page's HTML: its Markdown `body` (none for a folder without `_index.md`) rendered into its
/// `context`, through the template for its kind.
fn page_html(
    site: &Site,
    view: &View,
    tera: &tera::Tera,
    contexts: &mut Contexts,
    mut context: PageContext,
    page: &Page,
    body: Option<&str>,
) -> Result<String, tera::Error> {
    context.page.content = body.map_or_else(String::new, |body| {
        markdown::render_text(site, view, page, body)
    });
    // The highlighting stylesheet is a fifth of a chapter's weight: only where it is used.
    context.page.highlighted = context.page.content.contains("class=\"code hl-code\"");
    contexts.render(tera, template_for(page), &context, page.lang)
}

/// The pages of an edit of one page's text ([`crate::model::edit`]), rendered against the last
/// good build with its templates (`tera`): each page's output path and HTML, as the rebuild
/// will write them. `None` if a template fails: the rebuild reports it.
pub fn edited(
    site: &Site,
    tera: &tera::Tera,
    edit: &crate::model::edit::BodyEdit,
) -> Option<Vec<(String, Vec<u8>)>> {
    let view = View::of(site);
    let strings = Strings::of(site);
    let site_views = site_views(site);
    (edit.pages.par_iter())
        .map_init(
            || strings.reusable(),
            |contexts, page| {
                let context = page_context(&view, page, &site_views[page.lang.0]);
                let body = edit.source.text().get(page.body.clone())?;
                let html =
                    page_html(site, &view, tera, contexts, context, page, Some(body)).ok()?;
                Some((page.url.clone(), html.into_bytes()))
            },
        )
        .collect()
}

/// Adds the file of the whole site at `path`, which `make` makes from inputs whose key is `key`:
/// taken from the last `pedon build`'s output, or kept from the preview's last build, when it
/// was made for the same key.
fn add_site_file(
    output: &mut Output,
    cache: &mut Cache,
    stored: Option<&mut BuildCache>,
    path: &'static str,
    key: u64,
    make: impl FnOnce() -> Vec<u8>,
) {
    if let Some(stored) = stored {
        let taken = (output.staging())
            .is_some_and(|staging| stored.reuse_unit(path, key, &[], &staging).is_some());
        match taken {
            true => output.add_staged(path.to_string()),
            false => output.add(path.to_string(), make()),
        }
        stored.set_unit(path.to_string(), key, Vec::new(), vec![path.to_string()]);
        return;
    }
    let bytes = cache.site_file(path, key).unwrap_or_else(|| {
        let bytes = Arc::new(make());
        cache.keep_site_file(path.to_string(), key, Arc::clone(&bytes));
        bytes
    });
    output.add_shared(path.to_string(), bytes);
}

/// The build cache's name for the database's files (downloads, the explorer's records).
const DATA_FILES: &str = "data-files";

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

/// The theme's template for a page.
fn template_for(page: &Page) -> &'static str {
    match page.data {
        Some(DataPage::Explorer) => return "thresholds.html",
        Some(DataPage::Dataset) => return "dataset.html",
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

/// Small sites built in memory for the unit tests of the render modules.
#[cfg(test)]
pub(crate) mod test_site {
    use crate::model::Site;

    /// The site of `files` (paths from the root, text), loaded and modelled as `pedon build`
    /// does. The folder is returned with it: assets are read from it.
    pub fn site_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (loaded, _) = crate::load::load(dir.path(), &mut crate::load::Cache::default());
        let options = crate::model::ModelOptions::default();
        let (site, _) = crate::model::build(loaded, &options, &mut crate::model::Cache::default());
        (dir, site)
    }
}
