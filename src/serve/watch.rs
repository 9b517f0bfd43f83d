//! Watching the site's sources. Events are batched (an editor's save is often several events:
//! write to a temp file, rename, touch) so that one save gives one rebuild; editor swap and backup
//! files and the output folder are ignored.

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long to wait for more events after the first one of a burst.
const QUIET: Duration = Duration::from_millis(60);

/// Starts watching `root` and calls `on_change` after each burst of relevant changes.
pub fn spawn(root: &Path, mut on_change: impl FnMut() + Send + 'static) -> Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading files (as every build does) raises access events: only changes count.
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })
    .context("cannot start the file watcher")?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for name in ["content", "data", "themes", "static"] {
        let dir = root.join(name);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch `{}`", dir.display()))?;
        }
    }
    // The root itself, not recursively, for pedon.toml (watching the file directly would lose it
    // after an editor's rename-save).
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", root.display()))?;

    std::thread::spawn(move || {
        let _watcher = watcher;
        while let Ok(paths) = rx.recv() {
            let mut relevant = paths.iter().any(|p| is_relevant(&root, p));
            while let Ok(more) = rx.recv_timeout(QUIET) {
                relevant |= more.iter().any(|p| is_relevant(&root, p));
            }
            if relevant {
                on_change();
            }
        }
    });
    Ok(())
}

fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::load::is_ignored(&name) {
        return false;
    }
    matches!(first.as_str(), "content" | "data" | "themes" | "static")
        || rel == Path::new("pedon.toml")
}
