//! The theme: Tera templates and static files. The `insop` theme is compiled into the binary, so
//! `pedon new` and a bare folder of Markdown build with no theme to copy. A site's own
//! `themes/<name>/` overrides it file by file: a site that only wants another `page.html` ships
//! only that file. Interface strings (`i18n/<code>.toml`) are overridden the same way, per language.

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
    /// Interface strings per language, named `<code>.toml` (see [`crate::i18n`]).
    pub i18n: Vec<ThemeFile>,
}

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/insop/", $dir, "/", $name)) as &[u8])),*]
    };
}

const EMBEDDED_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "macros.html", "home.html", "section.html", "page.html", "sop.html", "webinar.html", "404.html",
    "thresholds.html", "contaminant.html", "country.html", "dataset.html", "print.html",
);
const EMBEDDED_STATIC: &[(&str, &[u8])] = embedded!("static": "style.css", "thresholds.css", "pedon.js", "thresholds.js", "search.js", "favicon.svg");
const EMBEDDED_I18N: &[(&str, &[u8])] =
    embedded!("i18n": "en.toml", "fr.toml", "es.toml", "ar.toml", "zh.toml", "ru.toml");

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
            i18n: embedded(EMBEDDED_I18N),
        };
    }
    let mut theme = Theme {
        templates: text_files(root, &dir.join("templates"), sources, diagnostics),
        i18n: text_files(root, &dir.join("i18n"), sources, diagnostics),
        ..Theme::default()
    };
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
    fill_from(&mut theme.i18n, EMBEDDED_I18N);
    theme
}

/// Text files of a theme folder, each in the source map so that errors can point into it.
fn text_files(
    root: &Path,
    dir: &Path,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Vec<ThemeFile> {
    let mut files = Vec::new();
    for walked in walk(root, dir, sources, diagnostics) {
        match read_text(&walked.path) {
            Ok(text) => {
                let bytes = text.as_bytes().to_vec();
                let id = sources.add(&walked.path, display_path(root, &walked.path), text);
                files.push(ThemeFile {
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
    files
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
