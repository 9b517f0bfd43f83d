//! Editor mistakes as values: every stage pushes [`Diagnostic`]s into a [`Diagnostics`] list instead
//! of returning early, so one build reports every problem at once.
//!
//! Environment faults (an unwritable output directory, a port in use) are not diagnostics: they are
//! `anyhow::Error`s handled by the command line. This module owns only what an editor can fix.

mod render;
mod source;

pub use render::{MessageFormat, json_array, render_all};
pub use source::{FileId, SourceFile, SourceMap, Span};

use serde::Serialize;

/// How bad a diagnostic is. Warnings never fail a build unless `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable identifiers of each kind of mistake, so that editors can search for them and tools can
/// match on them. Numbers are grouped by stage: 0xx files, 1xx front matter and config, 2xx links,
/// 3xx site structure, 4xx templates, 5xx data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// A file could not be read.
    Unreadable,
    /// A file is not valid UTF-8.
    NotUtf8,
    /// A symlink loops or points outside the site.
    BadSymlink,
    /// A text source is larger than Pedon reads (see `load::MAX_TEXT_BYTES`).
    TooLarge,
    /// `pedon.toml` is malformed or has an unknown key.
    Config,
    /// The front matter is not valid YAML.
    FrontMatterSyntax,
    /// The front matter starts with `---` but never ends.
    FrontMatterUnclosed,
    /// A front-matter field is missing, unknown or of the wrong type.
    FrontMatterField,
    /// A relative link points to a file that does not exist.
    BrokenLink,
    /// A link points to a heading anchor that does not exist.
    BrokenAnchor,
    /// A typed reference (`sop:`, `contaminant:`, …) names an unknown id.
    UnknownReference,
    /// A link scheme Pedon does not know.
    UnknownScheme,
    /// Two sources would be written to the same output path.
    UrlCollision,
    /// Two SOPs share a code.
    DuplicateId,
    /// A template failed to parse or render.
    Template,
    /// A data file is malformed.
    DataSyntax,
    /// A data value is invalid.
    DataValue,
    /// Two threshold records say the same thing.
    DuplicateRecord,
    /// Two threshold records claim overlapping pH or organic-carbon bands.
    OverlappingBand,
    /// A file under `data/` that Pedon does not read.
    UnusedData,
    /// A file under `content/` that is neither a page nor a known kind of asset.
    UnknownContentFile,
    /// An image has no alternative text.
    MissingAlt,
    /// A table header cell has no text.
    EmptyTableHeader,
    /// A draft page is linked from a published page.
    LinkToDraft,
    /// A theme's interface strings (`i18n/<code>.toml`) are malformed.
    Strings,
    /// A language lacks an interface string the default language has.
    MissingString,
    /// A translation was made from an older version of its original.
    StaleTranslation,
    /// A translated file (`x.fr.md`) has no original (`x.md`), or a language no one declared.
    OrphanTranslation,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "E0001",
            Code::NotUtf8 => "E0002",
            Code::BadSymlink => "E0003",
            Code::TooLarge => "E0004",
            Code::Config => "E0100",
            Code::FrontMatterSyntax => "E0101",
            Code::FrontMatterUnclosed => "E0102",
            Code::FrontMatterField => "E0103",
            Code::BrokenLink => "E0201",
            Code::BrokenAnchor => "E0202",
            Code::UnknownReference => "E0203",
            Code::UnknownScheme => "E0204",
            Code::UrlCollision => "E0301",
            Code::DuplicateId => "E0302",
            Code::Template => "E0401",
            Code::DataSyntax => "E0501",
            Code::DataValue => "E0502",
            Code::DuplicateRecord => "E0503",
            Code::OverlappingBand => "E0504",
            Code::UnusedData => "W0301",
            Code::UnknownContentFile => "W0302",
            Code::MissingAlt => "W0201",
            Code::EmptyTableHeader => "W0203",
            Code::LinkToDraft => "W0202",
            Code::Strings => "E0601",
            Code::MissingString => "W0601",
            Code::StaleTranslation => "W0602",
            Code::OrphanTranslation => "W0603",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One mistake, located in a file, with a hint on how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where the mistake is, and a short label printed under the caret.
    pub primary: Option<(Span, String)>,
    /// Other places worth showing (the first definition of a duplicate, …).
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// Replacements that would fix the mistake, as data for editors and tools
    /// (`--message-format json`); the help says the same in words.
    pub suggestions: Vec<Suggestion>,
}

/// A replacement of the text at `span`, as rustc and cargo give them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Span,
    pub replacement: String,
    pub applicability: Applicability,
}

/// How sure a suggestion is, in rustc's terms, so that a tool knows whether to apply it unasked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Certainly what was meant: a tool may apply it.
    MachineApplicable,
    /// A likely fix (a "did you mean" by spelling): show it, let the editor choose.
    MaybeIncorrect,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some((span, label.into()));
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    /// Offers `replacement` for the text at `span`.
    pub fn suggest(
        mut self,
        span: Span,
        replacement: impl Into<String>,
        applicability: Applicability,
    ) -> Self {
        self.suggestions.push(Suggestion {
            span,
            replacement: replacement.into(),
            applicability,
        });
        self
    }

    /// Offers `replacement`, when there is one, as a likely fix of the text at `span`.
    pub fn maybe_suggest(self, span: Span, replacement: Option<String>) -> Self {
        match replacement {
            Some(r) => self.suggest(span, r, Applicability::MaybeIncorrect),
            None => self,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one build, in the order they will be shown.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Orders diagnostics by file and position so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.primary.as_ref().map(|(s, _)| (s.file, s.range.start));
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items
            .dedup_by(|a, b| a.code == b.code && a.message == b.message && a.primary == b.primary);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// "did you mean `x`?": the closest candidate by Jaro–Winkler similarity, when it is close enough to
/// be a plausible typo rather than noise.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The content path among `candidates` that `wanted` most likely misspells. File names are
/// compared, not whole paths: two files in one folder share a long prefix, and
/// `manual/annexe-perdue.md` is no typo of `manual/_index.md`. Among equally close names, the
/// one in the nearest folder wins.
pub fn did_you_mean_path<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let split = |path: &str| -> (String, String) {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        (dir.to_lowercase(), name.to_lowercase())
    };
    let (wanted_dir, wanted_name) = split(wanted);
    candidates
        .into_iter()
        .filter_map(|c| {
            let (dir, name) = split(c);
            let score = strsim::jaro_winkler(&wanted_name, &name);
            (score > 0.85).then(|| (score + 0.01 * strsim::jaro_winkler(&wanted_dir, &dir), c))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_compared_by_file_name() {
        let pages = [
            "manual/_index.md",
            "manual/02-sampling.md",
            "sops/sampling.md",
        ];
        assert_eq!(did_you_mean_path("manual/annexe-perdue.md", pages), None);
        assert_eq!(
            did_you_mean_path("manual/02-sampeling.md", pages),
            Some("manual/02-sampling.md")
        );
        assert_eq!(
            did_you_mean_path("sops/samplng.md", pages),
            Some("sops/sampling.md")
        );
    }

    #[test]
    fn did_you_mean_finds_a_typo_and_ignores_noise() {
        let ids = ["cadmium", "copper", "chromium"];
        assert_eq!(did_you_mean("cadmuim", ids), Some("cadmium"));
        assert_eq!(did_you_mean("zzz", ids), None);
    }
}
