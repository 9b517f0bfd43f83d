//! "Last updated" from the repository: when a page's front matter has no `updated`, the date of
//! the last commit that touched its file. One `git log` for the whole site rather than one per
//! file, so a 10,000-page manual pays one process, not 10,000.

use super::front_matter::Date;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

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
}
