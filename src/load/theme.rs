//! The theme: Tera templates and static files. The `insop` theme is compiled into the binary, so
//! `pedon new` and a bare folder of Markdown build with no theme to copy. A site's own
//! `themes/<name>/` overrides it file by file: a site that only wants another `page.html` ships
//! only that file.

use super::{display_path, read_text, walk};
use crate::diagnostics::{Diagnostics, FileId, SourceMap};
use std::path::Path;

/// A template's text, or a static file's bytes.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path relative to `templates/` or `static/`, `/` separated.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Set for templates read from disk, so template errors can point into them.
    pub file: Option<FileId>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<ThemeFile>,
    pub statics: Vec<ThemeFile>,
}

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/insop/", $dir, "/", $name)) as &[u8])),*]
    };
}

const EMBEDDED_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "macros.html", "home.html", "section.html", "page.html", "sop.html", "webinar.html", "404.html",
    "thresholds.html", "contaminant.html", "country.html", "print.html",
);
const EMBEDDED_STATIC: &[(&str, &[u8])] =
    embedded!("static": "style.css", "pedon.js", "thresholds.js", "search.js", "favicon.svg");

pub(super) fn load(
    root: &Path,
    name: &str,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Theme {
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        return Theme {
            templates: embedded(EMBEDDED_TEMPLATES),
            statics: embedded(EMBEDDED_STATIC),
        };
    }
    let mut theme = Theme::default();
    for walked in walk(root, &dir.join("templates"), sources, diagnostics) {
        match read_text(&walked.path) {
            Ok(text) => {
                let bytes = text.as_bytes().to_vec();
                let id = sources.add(&walked.path, display_path(root, &walked.path), text);
                theme.templates.push(ThemeFile {
                    name: walked.rel,
                    bytes,
                    file: Some(id),
                });
            }
            Err(e) => {
                let id = sources.add(
                    &walked.path,
                    display_path(root, &walked.path),
                    String::new(),
                );
                diagnostics.push(e.into_diagnostic(id, &walked.path));
            }
        }
    }
    for walked in walk(root, &dir.join("static"), sources, diagnostics) {
        match std::fs::read(&walked.path) {
            Ok(bytes) => theme.statics.push(ThemeFile {
                name: walked.rel,
                bytes,
                file: None,
            }),
            Err(e) => {
                let id = sources.add(
                    &walked.path,
                    display_path(root, &walked.path),
                    String::new(),
                );
                diagnostics.push(super::ReadError::Io(e).into_diagnostic(id, &walked.path));
            }
        }
    }
    fill_from(&mut theme.templates, EMBEDDED_TEMPLATES);
    fill_from(&mut theme.statics, EMBEDDED_STATIC);
    theme
}

/// Adds the built-in files that the site's theme does not override.
fn fill_from(files: &mut Vec<ThemeFile>, builtin: &[(&str, &[u8])]) {
    for file in embedded(builtin) {
        if !files.iter().any(|f| f.name == file.name) {
            files.push(file);
        }
    }
}

fn embedded(files: &[(&str, &[u8])]) -> Vec<ThemeFile> {
    files
        .iter()
        .map(|(name, bytes)| ThemeFile {
            name: (*name).to_string(),
            bytes: bytes.to_vec(),
            file: None,
        })
        .collect()
}
