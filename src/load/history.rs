//! "Last updated" from the repository: when a page's front matter has no `updated`, the date of
//! the last commit that touched its file. One `git log` for the whole site rather than one per
//! file, so a 10,000-page manual pays one process, not 10,000.

use super::front_matter::Date;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The committer date of the last commit of each file under `content/`, by path relative to
/// `content/`. Empty when the site is not in a Git work tree or `git` is not installed: the
/// date is a convenience, never a reason for a build to fail.
pub fn last_commits(root: &Path) -> HashMap<String, Date> {
    let content = root.join("content");
    let output = Command::new("git")
        .arg("-C")
        .arg(&content)
        .args([
            "log",
            "--relative",
            "--no-renames",
            "--name-only",
            "--format=%x1e%cs",
            "--",
            ".",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => parse(&String::from_utf8_lossy(&out.stdout)),
        _ => HashMap::new(),
    }
}

/// `git log` prints the newest commit first: a file's first appearance is its last change.
fn parse(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    for commit in log.split('\u{1e}') {
        let mut lines = commit.lines();
        let Some(date) = lines.next().and_then(|d| Date::parse(d.trim()).ok()) else {
            continue;
        };
        for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
            dates
                .entry(file.to_string())
                .or_insert_with(|| date.clone());
        }
    }
    dates
}

/// What Git knows of Markdown files under `content/` that moved, for the "did you mean" of a link
/// to a file that is gone: a renamed chapter should be suggested, not the closest spelling.
/// Asked at most once per build and only when such a link is found, so a build without broken
/// links never starts `git`.
#[derive(Debug)]
pub struct Moves {
    content: PathBuf,
    found: OnceLock<Moved>,
}

/// See [`Moves`]. Paths are relative to `content/`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Renames Git recorded, old path to new: staged (`git mv`) first, then committed, newest first.
    pub renamed: Vec<(String, String)>,
    /// Markdown files deleted from the work tree since the last commit, with their committed text:
    /// a plain `mv` leaves Git an old file deleted and a new one untracked, found by its text.
    pub deleted: Vec<(String, String)>,
}

impl Moves {
    pub fn new(root: &Path) -> Moves {
        Moves {
            content: root.join("content"),
            found: OnceLock::new(),
        }
    }

    pub fn get(&self) -> &Moved {
        self.found.get_or_init(|| read_moves(&self.content))
    }
}

/// Empty outside a Git work tree or without `git`, like [`last_commits`].
fn read_moves(content: &Path) -> Moved {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(content)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut moved = Moved::default();
    // The work tree and index against the last commit: staged renames and deleted files.
    if let Some(diff) = git(&[
        "diff",
        "-z",
        "-M",
        "--name-status",
        "--relative",
        "HEAD",
        "--",
        ".",
    ]) {
        let (renamed, deleted) = name_status(&diff);
        moved.renamed.extend(renamed);
        moved.deleted = (deleted.into_iter())
            .filter(|rel| rel.ends_with(".md"))
            .filter_map(|rel| {
                let text = git(&["show", &format!("HEAD:./{rel}")])?;
                Some((rel, text))
            })
            .collect();
    }
    // Renames in recent history, newest first.
    let log = [
        "log",
        "-z",
        "-M",
        "--diff-filter=R",
        "--name-status",
        "--format=",
        "--relative",
        "-n",
        "500",
        "--",
        ".",
    ];
    if let Some(log) = git(&log) {
        moved.renamed.extend(name_status(&log).0);
    }
    moved.renamed.retain(|(old, _)| old.ends_with(".md"));
    moved
}

/// Renames and deletions of `git … --name-status -z` output (`R100␀old␀new␀D␀path␀…`).
fn name_status(out: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut renamed = Vec::new();
    let mut deleted = Vec::new();
    let mut fields = out
        .split('\0')
        .map(|f| f.trim_start_matches('\n'))
        .filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        match status.as_bytes().first() {
            Some(b'R' | b'C') => {
                let (Some(old), Some(new)) = (fields.next(), fields.next()) else {
                    break;
                };
                if status.starts_with('R') {
                    renamed.push((old.to_string(), new.to_string()));
                }
            }
            Some(b'D') => deleted.extend(fields.next().map(str::to_string)),
            _ => {
                fields.next();
            }
        }
    }
    (renamed, deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_file_wins() {
        let log = "\u{1e}2026-11-21\n\nmanual/a.md\n\u{1e}2025-01-02\n\nmanual/a.md\nmanual/b.md\n";
        let dates = parse(log);
        assert_eq!(dates["manual/a.md"].as_str(), "2026-11-21");
        assert_eq!(dates["manual/b.md"].as_str(), "2025-01-02");
    }

    #[test]
    fn renames_and_deletions_are_read_from_name_status() {
        let out = "R100\0manual/old.md\0manual/new.md\0D\0manual/gone.md\0M\0manual/kept.md\0\nR087\0a.md\0b.md\0";
        let (renamed, deleted) = name_status(out);
        assert_eq!(
            renamed,
            [
                ("manual/old.md".to_string(), "manual/new.md".to_string()),
                ("a.md".to_string(), "b.md".to_string())
            ]
        );
        assert_eq!(deleted, ["manual/gone.md"]);
    }
}
