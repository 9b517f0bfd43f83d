//! Turning diagnostics into text for people (`human`), editors' problem matchers (`short`) and tools
//! (`json`). The rich form is drawn by codespan-reporting; Pedon's own types stay in front of it so
//! the crate can be swapped in this one file.

use super::{Diagnostic, Severity, SourceMap};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, Chars, Config, DisplayStyle};
use serde::Serialize;

/// `--message-format`, as cargo has it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// rustc-style: message, location, source line with a caret, help.
    #[default]
    Human,
    /// One `file:line:col: error[E…]: message` line per diagnostic.
    Short,
    /// One JSON object per line.
    Json,
}

/// Renders every diagnostic in `format`, each ending with a newline.
pub fn render_all<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    format: MessageFormat,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            MessageFormat::Human => out.push_str(&human(d, sources)),
            MessageFormat::Short => {
                out.push_str(&short(d, sources));
                out.push('\n');
            }
            MessageFormat::Json => {
                out.push_str(
                    &serde_json::to_string(&JsonDiagnostic::new(d, sources)).expect("plain data"),
                );
                out.push('\n');
            }
        }
    }
    out
}

fn human(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut cs = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_code(d.code.as_str())
    .with_message(&d.message);
    let mut labels = Vec::new();
    if let Some((span, label)) = &d.primary {
        labels.push(Label::primary(span.file, span.range.clone()).with_message(label));
    }
    for (span, label) in &d.secondary {
        labels.push(Label::secondary(span.file, span.range.clone()).with_message(label));
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs = cs.with_labels(labels).with_notes(notes);
    let config = Config {
        display_style: DisplayStyle::Rich,
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut text =
        term::emit_into_string(&config, sources, &cs).unwrap_or_else(|_| short(d, sources));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn location(d: &Diagnostic, sources: &SourceMap) -> Option<(String, usize, usize)> {
    let (span, _) = d.primary.as_ref()?;
    let file = sources.get(span.file);
    let (line, col) = file.line_col(span.range.start);
    Some((file.display.clone(), line, col))
}

fn short(d: &Diagnostic, sources: &SourceMap) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let help = d
        .help
        .as_ref()
        .map(|h| format!(" (help: {h})"))
        .unwrap_or_default();
    match location(d, sources) {
        Some((file, line, col)) => format!(
            "{file}:{line}:{col}: {severity}[{}]: {}{help}",
            d.code.as_str(),
            d.message
        ),
        None => format!("{severity}[{}]: {}{help}", d.code.as_str(), d.message),
    }
}

/// The version of the JSON a diagnostic is written as (`--message-format json`). Fields are
/// only ever added within a version; a change that removes or retypes one is a new version.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// One diagnostic as one line of JSON: the schema is documented in the README ("Diagnostics as
/// data"). The top-level `file`, `line` and `column` repeat the primary span's start, for problem
/// matchers that read one location per line.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    reason: &'static str,
    schema: u32,
    severity: Severity,
    code: super::Code,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    /// Every place: the primary first, then the secondary ones, each with its label.
    spans: Vec<JsonSpan<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
    suggestions: Vec<JsonSuggestion<'a>>,
}

#[derive(Serialize)]
struct JsonSpan<'a> {
    file: String,
    /// Byte offsets in the file, end exclusive.
    byte_start: usize,
    byte_end: usize,
    /// 1-based lines and columns (columns count characters), end exclusive.
    line_start: usize,
    column_start: usize,
    line_end: usize,
    column_end: usize,
    is_primary: bool,
    label: &'a str,
    /// The whole line the span starts on, without its line break: what the browser panel shows.
    line_text: String,
    /// The part of `line_text` the span covers, by character (1-based, end exclusive): the span
    /// itself when it ends on its first line, else to the end of that line.
    highlight_start: usize,
    highlight_end: usize,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    span: JsonSpan<'a>,
    replacement: &'a str,
    applicability: super::Applicability,
}

fn json_span<'a>(
    span: &super::Span,
    label: &'a str,
    is_primary: bool,
    sources: &SourceMap,
) -> JsonSpan<'a> {
    let file = sources.get(span.file);
    let (line_start, column_start) = file.line_col(span.range.start);
    let (line_end, column_end) = file.line_col(span.range.end);
    let line = file.line_range(line_start - 1).unwrap_or(0..0);
    let line_text = file.text()[line.clone()].to_string();
    let highlight_end = match line_end == line_start {
        true => column_end.max(column_start),
        false => line_text.chars().count() + 1,
    };
    JsonSpan {
        file: file.display.clone(),
        byte_start: span.range.start,
        byte_end: span.range.end,
        line_start,
        column_start,
        line_end,
        column_end,
        is_primary,
        label,
        line_text,
        highlight_start: column_start,
        highlight_end,
    }
}

/// Every diagnostic as one JSON array, in the order given: what the preview's browser panel
/// reads (the same objects as `--message-format json`).
pub fn json_array<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
) -> String {
    let all: Vec<JsonDiagnostic> = diagnostics
        .into_iter()
        .map(|d| JsonDiagnostic::new(d, sources))
        .collect();
    serde_json::to_string(&all).expect("plain data")
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a Diagnostic, sources: &SourceMap) -> Self {
        let primary = d
            .primary
            .as_ref()
            .map(|(span, label)| json_span(span, label, true, sources));
        let spans: Vec<JsonSpan> = primary
            .into_iter()
            .chain(
                d.secondary
                    .iter()
                    .map(|(span, label)| json_span(span, label, false, sources)),
            )
            .collect();
        let first = spans.first().filter(|s| s.is_primary);
        JsonDiagnostic {
            reason: "diagnostic",
            schema: JSON_SCHEMA_VERSION,
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: first.map(|s| s.file.clone()),
            line: first.map(|s| s.line_start),
            column: first.map(|s| s.column_start),
            end_line: first.map(|s| s.line_end),
            end_column: first.map(|s| s.column_end),
            label: first.map(|s| s.label),
            help: d.help.as_deref(),
            notes: &d.notes,
            suggestions: d
                .suggestions
                .iter()
                .map(|s| JsonSuggestion {
                    span: json_span(&s.span, "", false, sources),
                    replacement: &s.replacement,
                    applicability: s.applicability,
                })
                .collect(),
            spans,
        }
    }
}
