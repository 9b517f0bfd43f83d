//! `pedon serve`: the same pipeline as `build`, rendered into memory and served over HTTP on
//! 127.0.0.1, rebuilt when a source changes, with open pages told to reload. A failed rebuild keeps
//! the last good site and shows the diagnostics over it.

mod http;
mod indexer;
mod watch;

#[cfg(test)]
pub(crate) use http::site_path as site_path_for_tests;

use crate::diagnostics::{MessageFormat, json_array, render_all};
use crate::output::{Output, OutputFile};
use crate::{BuildOptions, Built, Cache, build_pages};
use anyhow::{Context, Result};
use indexer::Indexer;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What `pedon serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    /// How the browser panel opens a file at a line: a command (`code --goto {file}:{line}:{col}`)
    /// that the server runs, or a URL template (`vscode://file/{file}:{line}:{col}`) the page links.
    pub editor: Option<String>,
}

/// The site being served: the last good pages, the search index of a recent good build (rebuilt
/// in the background after each edit, see [`Indexer`]), the current errors (if the last build
/// failed), and a generation counter that reload listeners wait on.
pub(crate) struct State {
    pub output: Arc<Output>,
    /// The pages of an edit to one page's text, made before its rebuild against the last good
    /// build ([`crate::preview_edit`]) and served before `output` until the rebuild is published.
    pub preview: Option<Arc<Output>>,
    /// The files under `search/`, served before `output` as `pedon build` writes them over it.
    /// `None` until the first index is built: the server listens as soon as the pages are
    /// rendered, and a request for an index file waits the second or two it takes.
    pub index: Option<Arc<Output>>,
    /// What the last build found, for the browser panel: its errors when it failed, its warnings
    /// when it did not; `None` when there is nothing to show.
    pub problems: Option<Arc<Problems>>,
    /// Whether a good build has ever been published, or the last `pedon build` is served
    /// ([`State::warm`]): until then, pages are a placeholder that shows the errors.
    pub has_site: bool,
    /// Pages renamed or moved during the session, old output path to new, as far as the server
    /// can tell (the same file content at a new path): an open page at the old address is sent on.
    pub moved: std::collections::HashMap<String, String>,
    pub generation: u64,
    /// The output folder of the last `pedon build`, served as it is until this session's first
    /// good build (see [`crate::build_cache::last_build`]): the preview shows the site at once,
    /// not after the minute a large site's first build takes. `None` after that, or when there
    /// was no such build.
    pub warm: Option<Arc<Path>>,
    /// What the last good rebuild changed, so pages can swap a stylesheet instead of reloading.
    pub change: Change,
}

/// The diagnostics of a build as the browser panel reads them.
#[derive(Debug)]
pub(crate) struct Problems {
    /// The build failed: the page shown is the last good one (or a placeholder).
    pub failed: bool,
    /// The diagnostics as one JSON array (the objects of `--message-format json`).
    pub json: String,
}

impl Problems {
    fn of(built: &Built) -> Option<Arc<Problems>> {
        (!built.diagnostics.is_empty()).then(|| {
            Arc::new(Problems {
                failed: built.has_errors(),
                json: json_array(built.diagnostics.iter(), built.sources()),
            })
        })
    }
}

/// How open pages take a successful rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: fetch them again, keeping the page and its scroll position.
    Css,
    /// Only files readers get as they are (images, PDFs, fonts) changed in place, at these output
    /// paths: the page fetches them again where it uses them, without a reload.
    Files(Vec<String>),
}

impl Change {
    /// `Css` when every changed output file is a stylesheet; `Files` when no output path changed
    /// and the edit was to files copied as they are (`edited`, from the watcher); else `Reload`.
    fn between(old: &Output, new: &Output, edited: Option<Vec<String>>) -> Change {
        let mut any = false;
        for path in old.changed_paths(new) {
            if !path.ends_with(".css") {
                return Change::Reload;
            }
            any = true;
        }
        match (any, edited) {
            (true, _) => Change::Css,
            (false, Some(files)) if !files.is_empty() => Change::Files(files),
            // Nothing visible changed that the page could swap: reload to be sure.
            (false, _) => Change::Reload,
        }
    }
}

/// The output paths of the edited files, when every one is copied into the site as it is (under
/// `static/`, or a file beside the pages under `content/` that is not Markdown); `None` when any
/// edit may change a page.
fn copied_files(paths: &[PathBuf]) -> Option<Vec<String>> {
    paths
        .iter()
        .map(|path| {
            let path = path.to_str()?.replace('\\', "/");
            let rel = path
                .strip_prefix("static/")
                .or_else(|| path.strip_prefix("content/"))?;
            let markdown = rel.rsplit('.').next()?.eq_ignore_ascii_case("md");
            (!markdown).then(|| rel.to_string())
        })
        .collect()
}

impl State {
    /// Before the first build, with the last `pedon build`'s folder to serve.
    fn warm(output: &Path) -> State {
        State {
            warm: Some(Arc::from(output)),
            has_site: true,
            ..State::warm_less(None)
        }
    }

    /// Nothing to serve yet but what `problems` says.
    fn warm_less(problems: Option<Arc<Problems>>) -> State {
        State {
            output: Arc::default(),
            preview: None,
            index: None,
            problems,
            has_site: false,
            moved: Default::default(),
            generation: 0,
            warm: None,
            change: Change::Reload,
        }
    }
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub changed: Condvar,
    pub base_path: String,
    pub editor: Option<Editor>,
    /// The working folder, which the diagnostics' paths are relative to, for the panel's editor
    /// links: read once, not on every page served.
    pub cwd: String,
}

/// Opening a file at a line from the browser panel (`--editor`).
pub(crate) struct Editor {
    /// The template, `{file}`, `{line}` and `{col}` to be filled in.
    pub template: String,
    /// A URL template is linked by the page; a command is run by the server.
    pub is_url: bool,
    /// The site's root: the only files the server opens are under it.
    pub root: PathBuf,
    /// Asked of every request to open a file, so that another site's page cannot make the
    /// server start the editor: only pages this server served know it.
    pub token: String,
}

impl Shared {
    fn new(state: State, base_path: String, editor: Option<Editor>) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(state),
            changed: Condvar::new(),
            base_path,
            editor,
            cwd: std::env::current_dir()
                .unwrap_or_default()
                .display()
                .to_string(),
        })
    }
}

impl Editor {
    fn new(template: &str, root: &Path) -> Editor {
        use std::hash::{BuildHasher, Hasher};
        let mut token = std::collections::hash_map::RandomState::new().build_hasher();
        token.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        Editor {
            template: template.to_string(),
            is_url: template.contains("://"),
            root: root.to_path_buf(),
            token: format!("{:016x}", token.finish()),
        }
    }

    /// Runs the editor command on `file` (as the diagnostics name it, relative to the working
    /// folder) at `line`:`col`. Each word of the template is one argument: no shell sees the
    /// file name.
    pub fn open(&self, file: &str, line: usize, col: usize) -> Result<()> {
        let path = std::env::current_dir()?.join(file).canonicalize()?;
        let root = self.root.canonicalize()?;
        anyhow::ensure!(path.starts_with(&root), "not a file of the site");
        let fill = |word: &str| {
            word.replace("{file}", &path.display().to_string())
                .replace("{line}", &line.to_string())
                .replace("{col}", &col.to_string())
        };
        let mut words = self.template.split_whitespace().map(fill);
        let program = words.next().context("the editor command is empty")?;
        std::process::Command::new(program)
            .args(words)
            .stdin(std::process::Stdio::null())
            .spawn()?;
        Ok(())
    }
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
            "warning: serving on {} makes the preview reachable from other machines: anyone who can reach this address can read it, and the preview's server (tiny_http) reads requests without a size limit, which only a loopback address makes safe (use --bind 127.0.0.1 to keep it on this machine)",
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
            staging: None,
        },
        cache: Cache::default(),
        rendered: 0,
        failed: None,
        last: None,
        pages: Default::default(),
    };
    let editor = options
        .editor
        .as_deref()
        .map(|template| Editor::new(template, &root));
    let (shared, first, http) = match warm_start(&root) {
        Some(last) => {
            // Listening at once on the last build's pages; the first build replaces them.
            let shared = Shared::new(State::warm(&last.output), last.base_path, editor);
            let url = url_of(addr, &shared.base_path);
            eprintln!(
                "Serving at {url} (Ctrl-C to stop): the last `pedon build` from {}, until the preview is built",
                last.output.display()
            );
            if options.open {
                open_browser(&url);
            }
            let http = spawn_http(server, &shared)?;
            let (mut first, problems, _) = session.build(true);
            if let Ok(built) = &first {
                log_built(built, session.rendered, Duration::ZERO);
                session.renamed(built);
            }
            publish(&shared, &mut first, problems, None);
            (shared, first.ok(), http)
        }
        None => {
            let (first, problems, base_path) = session.build(false);
            let mut state = State::warm_less(problems);
            let first = match first {
                Ok(mut built) => {
                    log_built(&built, session.rendered, Duration::ZERO);
                    session.renamed(&built);
                    state.output = Arc::new(std::mem::take(&mut built.output));
                    state.has_site = true;
                    Some(built)
                }
                // No index to wait for: there is none until a build succeeds.
                Err(()) => {
                    state.index = Some(Arc::default());
                    None
                }
            };
            let shared = Shared::new(state, base_path, editor);
            let url = url_of(addr, &shared.base_path);
            eprintln!("Serving at {url} (Ctrl-C to stop)");
            if options.open {
                open_browser(&url);
            }
            let http = spawn_http(server, &shared)?;
            (shared, first, http)
        }
    };

    let indexer = Indexer::spawn(Arc::clone(&shared))?;
    indexer.send(first, None, None);
    let change_shared = Arc::clone(&shared);
    // Runs on the watcher's thread, one change at a time.
    watch::spawn(&root, move |changes| {
        session.preview(&changes, &change_shared);
        session.invalidate(&changes);
        let has_site = change_shared.state.lock().expect("state lock").has_site;
        let (mut result, problems, _) = session.build(has_site);
        let renamed = match &result {
            Ok(built) => session.renamed(built),
            Err(()) => Vec::new(),
        };
        if !renamed.is_empty() {
            let mut state = change_shared.state.lock().expect("state lock");
            for (old, new) in renamed {
                eprintln!("{old} moved to {new}: open pages at the old address are sent on");
                state.moved.retain(|_, to| *to != old);
                state.moved.insert(old, new);
            }
        }
        let publishing = Instant::now();
        let copied = (!changes.rescan)
            .then(|| copied_files(&changes.paths))
            .flatten();
        let previous = publish(&change_shared, &mut result, problems, copied);
        if let Ok(built) = &result {
            log_built(built, session.rendered, publishing.elapsed());
        }
        // Indexing and freeing wait on a low-priority thread, so that neither delays the next edit.
        indexer.send(result.ok(), previous, session.failed.take());
    })?;

    drop(shared);
    let _ = http.join();
    Ok(())
}

/// The last `pedon build` to serve while the first build runs: one whose cache this binary
/// trusts, made at the base path `pedon.toml` gives now (its links would lead elsewhere at
/// another). A `pedon.toml` that cannot be read or parsed gives none: the first build reports it.
fn warm_start(root: &Path) -> Option<crate::build_cache::LastBuild> {
    let last = crate::build_cache::last_build(root)?;
    let config = match std::fs::read_to_string(root.join("pedon.toml")) {
        Ok(text) => crate::config::Config::parse(&text).ok()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => crate::config::Config::default(),
        Err(_) => return None,
    };
    (config.base_path() == last.base_path).then_some(last)
}

/// Answers requests on their own thread from now on.
fn spawn_http(
    server: tiny_http::Server,
    shared: &Arc<Shared>,
) -> Result<std::thread::JoinHandle<()>> {
    let shared = Arc::clone(shared);
    std::thread::Builder::new()
        .name("http".into())
        .spawn(move || http::run(server, shared))
        .context("could not start the server's thread")
}

/// What the server keeps between rebuilds.
struct Session {
    options: BuildOptions,
    cache: Cache,
    /// Pages the last build rendered again.
    rendered: usize,
    /// The last build, if it failed: freed off the reader's path, as a good one is.
    failed: Option<Built>,
    /// The site of the last build, if it was good: an edit of a page's text is previewed
    /// against it.
    last: Option<Arc<crate::model::Site>>,
    /// The output path of every page with a file, by the digest of that file, as of the last
    /// good build: a page whose file reappears elsewhere with the same content was renamed.
    pages: rustc_hash::FxHashMap<u64, String>,
}

impl Session {
    /// Shows the pages of an edit to one page's text at once, before the rebuild, when nothing
    /// else can change ([`crate::preview_edit`]): the rebuild then makes the same pages, and the
    /// rest.
    fn preview(&self, changes: &watch::Changes, shared: &Shared) {
        let (Some(site), [path], false) = (&self.last, changes.paths.as_slice(), changes.rescan)
        else {
            return;
        };
        let started = Instant::now();
        let Some(pages) = crate::preview_edit(site, &self.cache, path) else {
            return;
        };
        let mut state = shared.state.lock().expect("state lock");
        let served = |path: &str, html: &[u8]| {
            let file = match &state.preview {
                Some(preview) => preview.get(path).or_else(|| state.output.get(path)),
                None => state.output.get(path),
            };
            matches!(file, Some(OutputFile::Bytes(b)) if **b == *html)
        };
        // Saved without a change: nothing to show.
        if pages.iter().all(|(path, html)| served(path, html)) {
            return;
        }
        let mut preview = Output::default();
        for (path, html) in pages {
            preview.add(path, html);
        }
        state.preview = Some(Arc::new(preview));
        state.change = Change::Reload;
        state.generation += 1;
        shared.changed.notify_all();
        drop(state);
        eprintln!(
            "Showed `{}` in {} ms; rebuilding the rest",
            path.display(),
            started.elapsed().as_millis()
        );
    }

    fn invalidate(&mut self, changes: &watch::Changes) {
        if changes.rescan {
            self.cache = Cache::default();
        } else {
            self.cache
                .load
                .invalidate(&self.options.root, &changes.paths);
        }
    }

    /// One build of the pages into memory, with what it found for the browser panel and the
    /// base path. The live script is added by the HTTP layer, so the output is exactly what
    /// `pedon build` writes. `has_site` says whether a good build is being served, for the
    /// terminal's words on failure.
    fn build(&mut self, has_site: bool) -> (Result<Built, ()>, Option<Arc<Problems>>, String) {
        let rendered = AtomicUsize::new(0);
        let built = build_pages(&self.options, &mut self.cache, &rendered);
        let base_path = built.config().base_path();
        let text = render_all(
            built.diagnostics.iter(),
            built.sources(),
            MessageFormat::Human,
        );
        eprint!("{text}");
        let problems = Problems::of(&built);
        if built.has_errors() {
            let errors = built.diagnostics.errors();
            let errors = format!("{errors} error{}", if errors == 1 { "" } else { "s" });
            match has_site {
                true => eprintln!("error: build failed with {errors}; serving the last good site"),
                false => eprintln!(
                    "error: build failed with {errors}; there is no good build to serve yet, so the browser shows the errors until they are fixed"
                ),
            }
            self.failed = Some(built);
            self.last = None;
            return (Err(()), problems, base_path);
        }
        self.rendered = rendered.load(Ordering::Relaxed);
        self.last = Some(Arc::clone(&built.site));
        (Ok(built), problems, base_path)
    }

    /// Pages of `built` whose file content was at another output path in the last good build:
    /// old path to new. Keeps `built`'s paths for the next call.
    fn renamed(&mut self, built: &Built) -> Vec<(String, String)> {
        let site = &built.site;
        let now: rustc_hash::FxHashMap<u64, String> = site.pages[..site.per_language]
            .iter()
            .filter_map(|p| Some((site.sources.get(p.file?).digest, p.url.clone())))
            .collect();
        let moved = now
            .iter()
            .filter_map(|(digest, url)| {
                let old = self.pages.get(digest)?;
                (old != url && !now.values().any(|u| u == old)).then(|| (old.clone(), url.clone()))
            })
            .collect();
        self.pages = now;
        moved
    }
}

/// The summary line of a good rebuild, printed once its pages are served.
fn log_built(built: &Built, rendered: usize, publish: Duration) {
    let stages: Vec<String> = (built.stats.stages.iter())
        .map(|(stage, took)| format!("{stage} {}", took.as_millis()))
        .chain([format!("publish {}", publish.as_millis())])
        .collect();
    eprintln!(
        "Built {} pages in {} ms ({} rendered again; ms: {})",
        built.stats.pages,
        (built.stats.elapsed + publish).as_millis(),
        rendered,
        stages.join(", ")
    );
}

/// Shows a rebuild: its pages at once, with the previous search index until the new one is built.
/// Under the lock only the page sets are compared and swapped. Returns the pages replaced, for
/// the caller to free off the reader's path.
fn publish(
    shared: &Shared,
    result: &mut Result<Built, ()>,
    problems: Option<Arc<Problems>>,
    copied: Option<Vec<String>>,
) -> Option<Arc<Output>> {
    let mut state = shared.state.lock().expect("state lock");
    let preview = state.preview.take();
    let mut shown = false;
    let previous = match result {
        Ok(built) => {
            let output = std::mem::take(&mut built.output);
            // The panel on the page (errors, or warnings) changes: only a reload updates it.
            let same_panel = match (&state.problems, &problems) {
                (None, None) => true,
                (Some(old), Some(new)) => !old.failed && old.json == new.json,
                _ => false,
            };
            // Open pages have what the rebuild made already, from the preview.
            shown = same_panel
                && (preview.as_deref()).is_some_and(|p| previewed(p, &state.output, &output));
            state.change = match same_panel {
                true => Change::between(&state.output, &output, copied),
                false => Change::Reload,
            };
            state.has_site = true;
            state.warm = None;
            Some(std::mem::replace(&mut state.output, Arc::new(output)))
        }
        Err(()) => None,
    };
    state.problems = problems;
    if !shown {
        state.generation += 1;
        shared.changed.notify_all();
    }
    previous
}

/// Whether `preview` showed what changed from `old` to `new`, every file of it as `new` has it.
fn previewed(preview: &Output, old: &Output, new: &Output) -> bool {
    let same = |path: &str| match (preview.get(path), new.get(path)) {
        (Some(OutputFile::Bytes(a)), Some(OutputFile::Bytes(b))) => a == b,
        _ => false,
    };
    preview.iter().all(|(path, _)| same(path)) && old.changed_paths(new).all(same)
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
    // The opener's own complaints (xdg-open lists every browser it did not find) are not the
    // editor's business: one line says what to do instead.
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let url = url.to_string();
    match spawned {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("warning: could not open a browser; visit {url}");
                }
            });
        }
        Err(_) => eprintln!("warning: could not open a browser; visit {url}"),
    }
}
