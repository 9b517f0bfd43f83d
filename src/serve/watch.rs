//! Watching the site's sources. Events are batched (an editor's save is often several events:
//! write to a temp file, rename, touch) so that one save gives one rebuild; editor swap and backup
//! files and the output folder are ignored.
//!
//! How long to wait for the rest of a save depends on the last event seen. A closed-after-writing
//! or renamed-into-place file is the end of a save in every editor's pattern (in place, VS Code;
//! temp file then rename, vim and JetBrains), so the rebuild starts almost at once. Any other event
//! (a file created, truncated or moved away) is the middle of a save, and waits longer.

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Wait after an event that ends a save.
const SETTLED: Duration = Duration::from_millis(5);
/// Wait after an event in the middle of a save.
const UNSETTLED: Duration = Duration::from_millis(60);

/// A burst of changes.
#[derive(Debug, Default)]
pub struct Changes {
    /// Changed paths, relative to the site root.
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (its queue overflowed): anything may have changed.
    pub rescan: bool,
}

/// One message from the watcher thread.
enum Message {
    Paths(EventKind, Vec<PathBuf>),
    Rescan,
}

/// Starts watching `root`. Calls `on_change` after each burst of relevant changes.
pub fn spawn(root: &Path, mut on_change: impl FnMut(Changes) + Send + 'static) -> Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let message = match event {
            Ok(event) if event.need_rescan() => Message::Rescan,
            // Reading files (as every build does) raises access events: only changes count.
            Ok(event) if is_read(&event.kind) => return,
            Ok(event) => Message::Paths(event.kind, event.paths),
            Err(_) => Message::Rescan,
        };
        let _ = tx.send(message);
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
        loop {
            let Ok(first) = rx.recv() else {
                return;
            };
            let mut changes = Changes::default();
            let mut wait = take(&root, first, &mut changes);
            loop {
                match rx.recv_timeout(wait) {
                    Ok(more) => wait = take(&root, more, &mut changes),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            if changes.rescan || !changes.paths.is_empty() {
                changes.paths.sort();
                changes.paths.dedup();
                on_change(changes);
            }
        }
    });
    Ok(())
}

/// Adds a message to `changes`; returns how long to wait for the next one.
fn take(root: &Path, message: Message, changes: &mut Changes) -> Duration {
    match message {
        Message::Rescan => {
            changes.rescan = true;
            SETTLED
        }
        Message::Paths(kind, paths) => {
            let relevant: Vec<PathBuf> = paths.iter().filter_map(|p| relevant(root, p)).collect();
            if relevant.is_empty() {
                // An editor's own files (`4913`, `.swp`, `file~`) do not delay a rebuild.
                return if changes.paths.is_empty() {
                    UNSETTLED
                } else {
                    SETTLED
                };
            }
            changes.paths.extend(relevant);
            if ends_a_save(&kind) {
                SETTLED
            } else {
                UNSETTLED
            }
        }
    }
}

fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if !matches!(access, AccessKind::Close(AccessMode::Write)))
}

fn ends_a_save(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// The path relative to the root, if it is a source of the site.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = rel.file_name()?.to_string_lossy();
    if crate::load::is_ignored(&name) {
        return None;
    }
    let source = matches!(&*first, "content" | "data" | "themes" | "static")
        || rel == Path::new("pedon.toml");
    source.then(|| rel.to_path_buf())
}
