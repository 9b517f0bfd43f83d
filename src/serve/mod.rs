//! `pedon serve`: the same pipeline as `build`, rendered into memory and served over HTTP on
//! 127.0.0.1, rebuilt when a source changes, with open pages told to reload. A failed rebuild keeps
//! the last good site and shows the diagnostics over it.

mod http;
mod watch;

#[cfg(test)]
pub(crate) use http::site_path as site_path_for_tests;

use crate::diagnostics::{MessageFormat, render_all};
use crate::output::Output;
use crate::{BuildOptions, Built, Cache, build_pages};
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    // Decided from the address bound, not the text given: 0.0.0.0, a LAN address or a name that
    // resolves to one all warn; 127.0.0.2 does not.
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines: anyone who can reach this address can read it (use --bind 127.0.0.1 to keep it on this machine)",
            addr.ip()
        );
    }

    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let mut session = Session {
        options: BuildOptions {
            root: root.clone(),
            base_url: None,
            drafts: options.drafts,
            now: None,
        },
        cache: Cache::default(),
        unindexed: None,
    };
    let (first, base_path) = session.build();
    let (output, errors) = match first {
        Ok(mut built) => {
            built.index();
            (built.output, None)
        }
        Err(errors) => (Output::default(), Some(errors)),
    };
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            output: Arc::new(output),
            errors,
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

    // Both callbacks run on the watcher's thread, one at a time.
    let session = Arc::new(Mutex::new(session));
    let (on_change, on_idle) = (Arc::clone(&session), session);
    let (change_shared, idle_shared) = (Arc::clone(&shared), Arc::clone(&shared));
    watch::spawn(
        &root,
        move |changes| {
            let mut session = on_change.lock().expect("session lock");
            session.invalidate(&changes);
            let (result, _) = session.build();
            publish(&change_shared, result, &mut session);
        },
        move || {
            let mut session = on_idle.lock().expect("session lock");
            if let Some(mut built) = session.unindexed.take() {
                built.index();
                // The pages are already shown: the new index replaces the old one quietly.
                let mut state = idle_shared.state.lock().expect("state lock");
                state.output = Arc::new(built.output);
            }
        },
    )?;

    http::run(server, shared);
    Ok(())
}

/// What the server keeps between rebuilds.
struct Session {
    options: BuildOptions,
    cache: Cache,
    /// The last good build, shown but not yet indexed: indexing waits until the editor pauses.
    unindexed: Option<Built>,
}

impl Session {
    fn invalidate(&mut self, changes: &watch::Changes) {
        if changes.rescan {
            self.cache = Cache::default();
        } else {
            self.cache
                .load
                .invalidate(&self.options.root, &changes.paths);
        }
    }

    /// One build of the pages into memory, with the base path. On failure, the diagnostics as
    /// text. The reload script is added by the HTTP layer, so the output is exactly what
    /// `pedon build` writes.
    fn build(&mut self) -> (Result<Built, Arc<String>>, String) {
        let rendered = AtomicUsize::new(0);
        let built = build_pages(&self.options, &mut self.cache, &rendered);
        let base_path = built.config().base_path();
        let text = render_all(
            built.diagnostics.iter(),
            built.sources(),
            MessageFormat::Human,
        );
        eprint!("{text}");
        if built.has_errors() {
            eprintln!(
                "error: build failed with {} errors; serving the last good site",
                built.diagnostics.errors()
            );
            return (Err(Arc::new(text)), base_path);
        }
        let stages: Vec<String> = (built.stats.stages.iter())
            .map(|(stage, took)| format!("{stage} {}", took.as_millis()))
            .collect();
        eprintln!(
            "Built {} pages in {} ms ({} rendered again; ms: {})",
            built.stats.pages,
            built.stats.elapsed.as_millis(),
            rendered.load(Ordering::Relaxed),
            stages.join(", ")
        );
        (Ok(built), base_path)
    }
}

/// Shows a rebuild: its pages at once, with the previous search index until the new one is built.
fn publish(shared: &Shared, result: Result<Built, Arc<String>>, session: &mut Session) {
    let mut state = shared.state.lock().expect("state lock");
    match result {
        Ok(built) => {
            let mut output = built.output.clone();
            output.keep(&state.output, crate::index::DIR);
            // After a failed build the page shows an overlay: only a reload clears it.
            state.change = match state.errors {
                None => Change::between(&state.output, &output),
                Some(_) => Change::Reload,
            };
            let previous = std::mem::replace(&mut state.output, Arc::new(output));
            state.errors = None;
            let unindexed = session.unindexed.replace(built);
            // Freeing a 10,000-page site takes milliseconds the reader need not wait for.
            std::thread::spawn(move || drop((previous, unindexed)));
        }
        Err(errors) => state.errors = Some(errors),
    }
    state.generation += 1;
    shared.changed.notify_all();
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
