//! Pedon: a static site generator for technical manuals with data.
//!
//! One pipeline, read top-down in [`build`]: **load** the files, build the **model** (every
//! reference resolved), **check** it as a whole, **render** pages in memory, build the search
//! **index** beside them, and finally **write** them atomically (a separate step, so `check` writes nothing and `serve` can serve from memory).
//! `pedon build` gives the build a staging folder ([`BuildOptions::staging`]): each file is written
//! into it as it is made, and the write step is then only the swap.

pub mod build_cache;
pub mod bundle;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod diagnostics;
#[cfg(test)]
mod fuzz;
pub mod i18n;
pub mod import;
pub mod index;
pub mod load;
pub mod model;
pub mod new_site;
pub mod output;
pub mod render;
pub mod serve;
pub mod time;
pub mod write;

use diagnostics::{Diagnostics, SourceMap};
use output::Output;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from `pedon.toml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The time the site is built at, which decides what is upcoming; `None` is now
    /// ([`time::Timestamp::now`], which honours `SOURCE_DATE_EPOCH`).
    pub now: Option<time::Timestamp>,
    /// Where files go as they are made (`pedon build`), instead of being held in the [`Output`]
    /// (`pedon serve`, `pedon check`, tests). The caller commits it after a build without errors.
    pub staging: Option<std::sync::Arc<write::Staging>>,
}

/// What one build keeps for the next, each stage its own part. `pedon build` starts from an
/// empty cache; `pedon serve` keeps one for the session, so that an edit redoes only the work that
/// depends on it. A cache never changes what is built, only how much of it is done again.
#[derive(Debug, Default)]
pub struct Cache {
    pub load: load::Cache,
    pub model: model::Cache,
    pub render: render::Cache,
    /// What `pedon build` keeps on disk between runs ([`build_cache`]): `None` for `serve` and
    /// `check`, which keep everything in memory, and for `build --no-cache`.
    pub stored: Option<build_cache::BuildCache>,
}

impl Cache {
    /// For a single build (`pedon build`, `pedon check`): no later build will compare the keys
    /// that let a page be reused, so they are not computed.
    /// Nor will it need the pages' texts again after their first reading.
    pub fn one_off() -> Cache {
        Cache {
            load: load::Cache::one_off(),
            render: render::Cache::one_off(),
            ..Cache::default()
        }
    }
}

/// Figures for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub data_records: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order, for `--timings` and the benchmarks.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Records how long each stage takes.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// The result of a build: the output (empty for `check`), all diagnostics, and the site they
/// point into. A build with errors still returns everything found, so all errors are shown at once.
pub struct Built {
    pub output: Output,
    pub diagnostics: Diagnostics,
    pub stats: Stats,
    pub site: std::sync::Arc<model::Site>,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    pub fn sources(&self) -> &SourceMap {
        &self.site.sources
    }

    pub fn config(&self) -> &config::Config {
        &self.site.config
    }

    /// Stage 4: adds the search index beside the rendered pages, unless the build failed. Separate
    /// from [`build_pages`] so that `pedon serve` can show an edited page before it indexes it.
    pub fn index(&mut self) {
        self.index_with(None);
    }

    /// [`Built::index`], taking each language's index from the last `pedon build` where nothing
    /// it is made from changed.
    pub fn index_with(&mut self, stored: Option<&mut build_cache::BuildCache>) {
        if self.has_errors() {
            return;
        }
        let started = Instant::now();
        index::build(&self.site, &mut self.output, stored);
        let took = started.elapsed();
        self.stats.stages.push(("index", took));
        self.stats.elapsed += took;
        self.stats.files = self.output.len();
    }
}

/// Runs load → model → check → render → index. `progress` counts rendered pages.
pub fn build(options: &BuildOptions, progress: &AtomicUsize) -> Built {
    build_with(options, &mut Cache::one_off(), progress)
}

/// [`build`] with a cache: `pedon build` gives it the build cache ([`Cache::stored`]).
pub fn build_with(options: &BuildOptions, cache: &mut Cache, progress: &AtomicUsize) -> Built {
    let mut built = build_pages(options, cache, progress);
    built.index_with(cache.stored.as_mut());
    // A page saved while the build read it again: what was made of it mixes two versions.
    let changed: Vec<_> = (built.site.sources.changed())
        .map(|id| {
            diagnostics::Diagnostic::error(
                diagnostics::Code::Unreadable,
                format!(
                    "`{}` changed while the site was being built",
                    built.site.sources.get(id).display
                ),
            )
            .help("build again: the output was left as it was")
        })
        .collect();
    if !changed.is_empty() {
        built.diagnostics.extend(changed);
        built.diagnostics.sort();
    }
    built
}

/// What [`build_into`] did.
pub struct Written {
    pub built: Built,
    /// Whether the output folder was replaced: not when the build had errors.
    pub written: bool,
    /// Files taken unchanged from the last build by the build cache.
    pub reused: usize,
    /// What the editor should know about the build cache (one it ignored, one it could not
    /// save).
    pub notes: Vec<String>,
}

/// `pedon build`: the whole pipeline into `output_dir`, each file written into a staging folder
/// beside it as it is made and swapped in only when the build has no errors (a failed build
/// leaves the previous output as it was). With `use_cache`, the build cache under the root lets
/// the pages, search indexes and data files that nothing changed be taken from the previous
/// output ([`build_cache`]). `deny_warnings` fails a build with warnings too, as
/// `[build] deny_warnings` in `pedon.toml` does.
pub fn build_into(
    options: &BuildOptions,
    output_dir: &std::path::Path,
    use_cache: bool,
    deny_warnings: bool,
    progress: &AtomicUsize,
) -> anyhow::Result<Written> {
    let mut notes = Vec::new();
    let mut cache = Cache::one_off();
    if use_cache {
        let (stored, note) = build_cache::BuildCache::open(&options.root, output_dir);
        notes.extend(note);
        cache.stored = Some(stored);
        let (scans, note) = load::Scans::open(&options.root);
        notes.extend(note);
        cache.load.scans = Some(scans);
    }
    let staging = std::sync::Arc::new(write::Staging::begin(output_dir)?);
    let options = BuildOptions {
        staging: Some(std::sync::Arc::clone(&staging)),
        ..options.clone()
    };
    let mut built = build_with(&options, &mut cache, progress);
    drop(options);
    built.output.take_staging();
    let staging = std::sync::Arc::into_inner(staging)
        .ok_or_else(|| anyhow::anyhow!("the staging folder is still in use"))?;
    let deny = deny_warnings || built.config().build.deny_warnings;
    if built.has_errors() || (deny && built.diagnostics.warnings() > 0) {
        // Dropped uncommitted, the staging folder is removed.
        return Ok(Written {
            built,
            written: false,
            reused: 0,
            notes,
        });
    }
    let stamps = staging.take_stamps();
    let retired = staging.commit()?;
    let reused = cache.stored.as_ref().map_or(0, |s| s.reused());
    // The previous output is removed while the caches are saved: both take a few tenths of a
    // second on a large site, and neither needs the other.
    std::thread::scope(|scope| {
        scope.spawn(|| retired.remove());
        if let Some(stored) = cache.stored.take()
            && let Err(e) = stored.save(&stamps)
        {
            notes.push(format!(
                "the build cache could not be saved ({e}): the next build starts from nothing"
            ));
        }
        if let Some(scans) = cache.load.scans.take()
            && let Err(e) = scans.save()
        {
            notes.push(format!(
                "the scans of this build could not be saved ({e}): the next build scans every page"
            ));
        }
    });
    Ok(Written {
        built,
        written: true,
        reused,
        notes,
    })
}

/// The search index of a site, as an output of its own, for `pedon serve`: `cache` holds the
/// last index made with it, so that an edit indexes only the pages it changed.
pub fn search_index(site: &model::Site, cache: &mut index::Cache) -> Output {
    index::build_in_memory(site, cache)
}

/// `pedon serve`'s preview of an edit to one page's text, before the rebuild: the output path and
/// HTML of each page that shows the file `changed` (relative to the root), made against the last
/// good build (`site`, with `cache` as that build left it), byte for byte what the rebuild will
/// make of them. `None` when the edit may change anything else ([`model::edit`]); the rebuild
/// then shows it.
pub fn preview_edit(
    site: &model::Site,
    cache: &Cache,
    changed: &std::path::Path,
) -> Option<Vec<(String, Vec<u8>)>> {
    let rel = changed
        .strip_prefix("content")
        .ok()?
        .to_str()?
        .replace('\\', "/");
    let edit = model::edit::body_only(site, &rel)?;
    render::edited(site, &*cache.render.last_templates()?, &edit)
}

/// Runs load → model → check → render, reusing and refilling `cache`; [`Built::index`] is the
/// rest of the pipeline. `pedon serve` runs this on every change.
pub fn build_pages(options: &BuildOptions, cache: &mut Cache, progress: &AtomicUsize) -> Built {
    let started = Instant::now();
    let mut watch = Stopwatch::start();
    let (mut loaded, mut diagnostics) = load::load(&options.root, &mut cache.load);
    watch.lap("load");
    if let Some(base_url) = &options.base_url {
        loaded.config.base_url = base_url.clone();
    }
    let (site, model_diagnostics) = model::build(
        loaded,
        &model::ModelOptions {
            drafts: options.drafts,
            now: options.now.unwrap_or_else(time::Timestamp::now),
        },
        &mut cache.model,
    );
    diagnostics.extend(model_diagnostics);
    watch.lap("model");
    diagnostics.extend(check::check(&site));
    watch.lap("check");

    let mut output = match &options.staging {
        Some(staging) => Output::staged(std::sync::Arc::clone(staging)),
        None => Output::default(),
    };
    // Rendering is part of checking: a template error must be found by `check` too.
    if !diagnostics.has_errors() {
        let render_diagnostics = render::render(
            &site,
            progress,
            &mut cache.render,
            cache.stored.as_mut(),
            &mut output,
        );
        diagnostics.extend(render_diagnostics);
        watch.lap("render");
    }
    diagnostics.sort();
    let stats = Stats {
        pages: site.pages.len(),
        sections: site.sections(),
        data_records: site.data.records.len(),
        files: output.len(),
        elapsed: started.elapsed(),
        stages: watch.stages,
    };
    Built {
        output,
        diagnostics,
        stats,
        site: std::sync::Arc::new(site),
    }
}
