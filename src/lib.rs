//! Pedon: a static site generator for technical manuals with data.
//!
//! One pipeline, read top-down in [`build`]: **load** the files, build the **model** (every
//! reference resolved), **check** it as a whole, **render** pages in memory, build the search
//! **index** beside them, and finally **write** them atomically (a separate step, so `check` writes nothing and `serve` can serve from memory).

pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod index;
pub mod load;
pub mod model;
pub mod new_site;
pub mod output;
pub mod render;
pub mod serve;
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
}

/// Figures for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub data_records: usize,
    pub files: usize,
    pub elapsed: Duration,
}

/// The result of a build: the output (empty for `check`), all diagnostics, and the sources they
/// point into. A build with errors still returns everything found, so all errors are shown at once.
pub struct Built {
    pub output: Output,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    pub stats: Stats,
    pub config: config::Config,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Runs load → model → check → render → index. `progress` counts rendered pages.
pub fn build(options: &BuildOptions, progress: &AtomicUsize) -> Built {
    let started = Instant::now();
    let (mut loaded, mut diagnostics) = load::load(&options.root);
    if let Some(base_url) = &options.base_url {
        loaded.config.base_url = base_url.clone();
    }
    let (site, model_diagnostics) = model::build(
        loaded,
        &model::ModelOptions {
            drafts: options.drafts,
        },
    );
    diagnostics.extend(model_diagnostics);
    diagnostics.extend(check::check(&site));

    let mut output = Output::default();
    // Rendering is part of checking: a template error must be found by `check` too.
    if !diagnostics.has_errors() {
        let (rendered, render_diagnostics) = render::render(&site, progress);
        diagnostics.extend(render_diagnostics);
        output = rendered;
        if !diagnostics.has_errors() {
            index::build(&site, &mut output);
        }
    }
    diagnostics.sort();
    let stats = Stats {
        pages: site.pages.len(),
        sections: site.sections(),
        data_records: site.data.records.len(),
        files: output.len(),
        elapsed: started.elapsed(),
    };
    Built {
        output,
        diagnostics,
        sources: site.sources,
        stats,
        config: site.config,
    }
}
