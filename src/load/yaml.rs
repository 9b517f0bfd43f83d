//! The only place that calls serde_yaml (deprecated upstream; a swap to a fork is this one file).
//! Errors are turned into diagnostics located in the whole file, not in the YAML fragment.

use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile, Span, did_you_mean};
use serde::de::DeserializeOwned;
use std::ops::Range;

/// Parses `range` of `file` as YAML into `T`. `what` names the document in messages
/// ("front matter", "data file").
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    id: FileId,
    range: Range<usize>,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    let text = &file.text[range.clone()];
    // An empty document is an empty mapping, so that "missing field" is reported, not "EOF".
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| Box::new(to_diagnostic(&e, file, id, range, what)))
}

fn to_diagnostic(
    error: &serde_yaml::Error,
    file: &SourceFile,
    id: FileId,
    range: Range<usize>,
    what: &str,
) -> Diagnostic {
    let full = error.to_string();
    // serde_yaml writes " at line L column C" (relative to the fragment) into its messages; the
    // renderer shows the location in file coordinates instead.
    let (message, positions) = strip_positions(&full);
    let yaml_line = file.line_index(range.start);
    let start = match (message.contains("while scanning"), positions.last()) {
        // "while scanning a quoted scalar at …" names where the unclosed construct starts.
        (true, Some(&(line, col))) => file.offset_of(yaml_line + line, col),
        _ => error
            .location()
            .map_or(range.start, |l| (range.start + l.index()).min(range.end)),
    };
    let end = token_end(&file.text, start, range.end);
    let span = Span::new(id, start..end);

    if let Some(field) = between_backticks(&message, "unknown field `") {
        let expected = expected_fields(&message);
        let suggestion = did_you_mean(field, expected.iter().map(String::as_str));
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None if !expected.is_empty() => format!("the known keys are {}", expected.join(", ")),
            None => "remove this key".to_string(),
        };
        let key_span = find_key(file, id, range.clone(), field).unwrap_or(span);
        return Diagnostic::error(
            Code::FrontMatterField,
            format!("unknown key `{field}` in {what}"),
        )
        .at(key_span, "unknown key")
        .help(help);
    }
    if let Some(field) = between_backticks(&message, "missing field `") {
        return Diagnostic::error(
            Code::FrontMatterField,
            format!("{what} is missing the required key `{field}`"),
        )
        .at(
            Span::new(id, range.start..range.start),
            format!("`{field}` is required here"),
        )
        .help(format!("add a line `{field}: …`"));
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return Diagnostic::error(
            Code::FrontMatterField,
            format!("wrong type in {what}: {message}"),
        )
        .at(span, "this value")
        .help("check the value's type: text in quotes, numbers without, lists in [ ]");
    }
    let help = if file.text[range.clone()].contains('\t') {
        "YAML does not allow tabs for indentation: indent with spaces"
    } else if message.contains("quoted scalar") {
        "this quoted value is never closed: add the closing quote"
    } else if message.contains("duplicate") {
        "each key may appear only once: remove or merge the repeated one"
    } else {
        "check the indentation, colons and quotes on this line or the one above"
    };
    Diagnostic::error(
        Code::FrontMatterSyntax,
        format!("malformed YAML in {what}: {message}"),
    )
    .at(span, "here")
    .help(help)
}

/// Removes every " at line L column C" from a serde_yaml message, returning the positions found.
fn strip_positions(message: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(message.len());
    let mut positions = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let mut parts = after.splitn(3, ' ');
        let line = parts.next().and_then(|l| l.parse::<usize>().ok());
        let col_word = parts.next();
        let tail = parts.next().unwrap_or("");
        let col_len = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        match (line, col_word, tail[..col_len].parse::<usize>()) {
            (Some(l), Some("column"), Ok(c)) => {
                positions.push((l, c));
                rest = &tail[col_len..];
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, positions)
}

/// The text between a prefix and the next backtick.
fn between_backticks<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let start = message.find(prefix)? + prefix.len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// The list in "expected one of `a`, `b`" of serde's unknown-field message.
fn expected_fields(message: &str) -> Vec<String> {
    let Some(i) = message.find("expected") else {
        return Vec::new();
    };
    message[i..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Span of the first `key:` at the start of a line (after indentation) inside `range`.
pub fn find_key(file: &SourceFile, id: FileId, range: Range<usize>, key: &str) -> Option<Span> {
    let text = &file.text[range.clone()];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '-']);
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        let quote = trimmed.len() - bare.len();
        if bare.starts_with(key)
            && bare[key.len()..]
                .trim_start_matches(['"', '\''])
                .starts_with(':')
        {
            let start = range.start + offset + indent + quote;
            return Some(Span::new(id, start..start + key.len()));
        }
        offset += line.len();
    }
    None
}

/// End of the token starting at `start`, for a caret under a whole word.
fn token_end(text: &str, start: usize, limit: usize) -> usize {
    let rest = &text[start.min(text.len())..limit.max(start).min(text.len())];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(rest.len());
    start + len.max(usize::from(!rest.is_empty()).min(rest.len()))
}
