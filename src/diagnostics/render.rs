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

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: super::Code,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    notes: &'a [String],
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a Diagnostic, sources: &SourceMap) -> Self {
        let (file, start, end, label) = match &d.primary {
            Some((span, label)) => {
                let f = sources.get(span.file);
                (
                    Some(f.display.clone()),
                    Some(f.line_col(span.range.start)),
                    Some(f.line_col(span.range.end)),
                    Some(label.as_str()),
                )
            }
            None => (None, None, None, None),
        };
        JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file,
            line: start.map(|p| p.0),
            column: start.map(|p| p.1),
            end_line: end.map(|p| p.0),
            end_column: end.map(|p| p.1),
            label,
            help: d.help.as_deref(),
            notes: &d.notes,
        }
    }
}
