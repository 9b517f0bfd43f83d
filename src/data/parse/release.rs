//! The previous release of the database, for the change log: the `thresholds.json` the site
//! published then, committed under `data/releases/` (`data/releases/2026.1.json`). Comparing by
//! record id, the dataset page says what was added, changed and removed since, so a regulator
//! who cited the last edition sees what moved.

use super::super::types::{PreviousRecord, PreviousRelease};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span};

/// Where releases are kept, under `data/`.
pub const RELEASES_DIR: &str = "releases/";

/// Whether `rel` (under `data/`) is a release file.
pub fn is_release(rel: &str) -> bool {
    rel.starts_with(RELEASES_DIR)
        && rel.ends_with(".json")
        && !rel[RELEASES_DIR.len()..].contains('/')
}

#[derive(serde::Deserialize)]
struct Published {
    records: Vec<PreviousRecord>,
}

/// Reads the newest of the release files (by name: `2026.2.json` after `2026.1.json`).
pub fn read(
    files: &[(FileId, &str)],
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Option<PreviousRelease> {
    let &(file, rel) = files
        .iter()
        .max_by(|a, b| natural(a.1).cmp(&natural(b.1)))?;
    let text = &sources.get(file).text();
    match serde_json::from_str::<Published>(text) {
        Ok(published) => Some(PreviousRelease {
            name: rel[RELEASES_DIR.len()..rel.len() - ".json".len()].to_string(),
            records: published.records,
        }),
        Err(e) => {
            let source = sources.get(file);
            let at = source.offset_of(e.line(), e.column());
            diagnostics.push(
                Diagnostic::error(
                    Code::DataSyntax,
                    format!(
                        "the release file `data/{rel}` cannot be read: {}",
                        // The place is the diagnostic's own; serde_json repeats it in words.
                        e.to_string().split(" at line ").next().unwrap_or_default()
                    ),
                )
                .at(Span::new(file, at..at), "here")
                .help("put here the `thresholds/thresholds.json` the site published for that release, unchanged"),
            );
            None
        }
    }
}

/// A name's numbers compared as numbers, so that `2026.10` comes after `2026.9`.
fn natural(name: &str) -> Vec<(u64, String)> {
    let mut parts = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push((0, std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                parts.push((digits.parse().unwrap_or(u64::MAX), String::new()));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        parts.push((digits.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        parts.push((0, text));
    }
    parts
}

#[cfg(test)]
mod tests {
    #[test]
    fn release_names_sort_by_their_numbers() {
        assert!(super::natural("releases/2026.10.json") > super::natural("releases/2026.9.json"));
        assert!(super::natural("releases/2027.1.json") > super::natural("releases/2026.12.json"));
    }
}
