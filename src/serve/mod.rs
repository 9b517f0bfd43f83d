//! `pedon serve`: the same pipeline as `build`, rendered into memory and served over HTTP on
//! 127.0.0.1, rebuilt when a source changes, with open pages told to reload. A failed rebuild keeps
//! the last good site and shows the diagnostics over it.

mod http;
mod watch;

use crate::diagnostics::{MessageFormat, render_all};
use crate::output::Output;
use crate::{BuildOptions, build};
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex};

/// What `pedon serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// The site being served: the last good output, the current errors (if the last build failed),
/// and a generation counter that reload listeners wait on.
pub(crate) struct State {
    pub output: Arc<Output>,
    pub errors: Option<Arc<String>>,
    pub generation: u64,
    /// What the last good rebuild changed, so pages can swap a stylesheet instead of reloading.
    pub change: Change,
}

/// How open pages take a successful rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: fetch them again, keeping the page and its scroll position.
    Css,
}

impl Change {
    /// `Css` when every changed output file is a stylesheet; a rebuild that changed nothing
    /// visible (an image edited in place) still reloads.
    fn between(old: &Output, new: &Output) -> Change {
        let changed = old.changed_paths(new);
        if !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css")) {
            Change::Css
        } else {
            Change::Reload
        }
    }
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub changed: Condvar,
    pub base_path: String,
}

/// Runs the preview server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let server = tiny_http::Server::http(format!("{}:{}", options.bind, options.port)).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {}:{}: {e}; is another server running? Choose another port with `--port` (or `--port 0` for any free one)",
            options.bind,
            options.port
        )
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    if options.bind != "127.0.0.1" && options.bind != "localhost" && options.bind != "::1" {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines",
            options.bind
        );
    }

    let first = rebuild(options);
    let base_path = first.1.clone();
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            output: Arc::new(first.0.unwrap_or_default()),
            errors: first.2,
            generation: 0,
            change: Change::Reload,
        }),
        changed: Condvar::new(),
        base_path: base_path.clone(),
    });
    let url = url_of(addr, &base_path);
    eprintln!("Serving at {url} (Ctrl-C to stop)");
    if options.open {
        open_browser(&url);
    }

    let watcher_shared = Arc::clone(&shared);
    let watch_options = options.clone();
    watch::spawn(&options.root, move || {
        let (output, _, errors) = rebuild(&watch_options);
        let mut state = watcher_shared.state.lock().expect("state lock");
        if let Some(output) = output {
            // After a failed build the page shows an overlay: only a reload clears it.
            state.change = match state.errors {
                None => Change::between(&state.output, &output),
                Some(_) => Change::Reload,
            };
            state.output = Arc::new(output);
        }
        state.errors = errors;
        state.generation += 1;
        watcher_shared.changed.notify_all();
    })?;

    http::run(server, shared);
    Ok(())
}

/// One build into memory: the output if it succeeded, the base path, and the diagnostics as
/// text if it failed. The reload script is added by the HTTP layer, so the output is exactly what
/// `pedon build` writes.
fn rebuild(options: &ServeOptions) -> (Option<Output>, String, Option<Arc<String>>) {
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: None,
        drafts: options.drafts,
    };
    let built = build(&build_options, &AtomicUsize::new(0));
    let base_path = built.config.base_path();
    let text = render_all(
        built.diagnostics.iter(),
        &built.sources,
        MessageFormat::Human,
    );
    eprint!("{text}");
    if built.has_errors() {
        eprintln!(
            "error: build failed with {} errors; serving the last good site",
            built.diagnostics.errors()
        );
        (None, base_path, Some(Arc::new(text)))
    } else {
        eprintln!(
            "Built {} pages in {} ms",
            built.stats.pages,
            built.stats.elapsed.as_millis()
        );
        (Some(built.output), base_path, None)
    }
}

fn url_of(addr: SocketAddr, base_path: &str) -> String {
    format!("http://{addr}{base_path}")
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
}
