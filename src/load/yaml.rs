//! The only place that calls serde_yaml (deprecated upstream; a swap to a fork is this one file).
//! Errors are turned into diagnostics located in the whole file, not in the YAML fragment.
//!
//! Why serde_yaml stays, measured on 2026-12-03 against saphyr-parser 0.3.4 and marked-yaml 0.8.0
//! on ten broken inputs from the catalogue (`tests/fixtures/invalid/`): all three locate the same
//! place for a colon in a value, a misaligned key, an unclosed `{ … }`, a stray `@` and a list item
//! out of line. saphyr and marked-yaml are better on two: an unclosed quote (at the opening quote,
//! where serde_yaml stops at the next quote) and a tab (named as a tab, where serde_yaml says
//! "cannot start any token"); this module recovers both from the text (`unclosed_quote`,
//! `indenting_tab`), so editors see the same message either way. Neither reports a duplicate key,
//! which serde_yaml does: a repeated `value:` would silently lose a number. None sees a decimal
//! comma in `{ value: 0,8 }` (it is valid YAML); `decimal_comma` does. Swapping would cost the
//! typed serde layer for no message an editor would notice.

use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile, Span, did_you_mean};
use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::ops::Range;

/// Parses `range` of `file` as YAML into `T`. `what` names the document in messages
/// ("front matter", "data file").
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    id: FileId,
    range: Range<usize>,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    from_text(&file.text()[range.clone()])
        .map_err(|e| Box::new(to_diagnostic(&e, file, id, range, what)))
}

/// The one call to serde_yaml's parser. A key written twice is refused by the types themselves:
/// serde's derived structs refuse a repeated field, and the maps editors write (`land_uses:`,
/// `value_types:`) are read with [`unique_keys`]. So one parse finds both; the text is not
/// parsed again as a `Value`.
fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_yaml::Error> {
    // An empty document is an empty mapping, so that "missing field" is reported, not "EOF".
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text)
}

/// [`parse`] of `text`, which is `file`'s text at `range` as it was read before (a page's
/// ```` ```thresholds ```` block, kept with its scan): the file is read again only when `text`
/// has a mistake, to locate it.
pub fn parse_kept<T: DeserializeOwned>(
    text: &str,
    file: &SourceFile,
    id: FileId,
    range: Range<usize>,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    from_text(text).or_else(|_| parse(file, id, range, what))
}

/// Reads a mapping into a `BTreeMap`, refusing a key written twice (`#[serde(deserialize_with =
/// "unique_keys")]`). A plain `BTreeMap` keeps the last of two equal keys without a word, so an
/// editor's copy-paste would silently replace a land use or a value type. The message is
/// serde_yaml's own for a repeated key, so [`to_diagnostic`] locates it as any other.
pub fn unique_keys<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Keys<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Keys<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(A::Error::custom(format!(
                        "duplicate entry with key \"{key}\""
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Keys(PhantomData))
}

/// The key named by serde's "duplicate field `k`" or serde_yaml's "duplicate entry with key \"k\"".
fn duplicate_key(message: &str) -> Option<&str> {
    if let Some(key) = between_backticks(message, "duplicate field `") {
        return Some(key);
    }
    let start = message.find("duplicate entry with key \"")? + "duplicate entry with key \"".len();
    let len = message[start..].find('"')?;
    Some(&message[start..start + len])
}

/// Span of the second `key:` of the mapping that starts at `from`: at the same column as the
/// first one (block style) or on its line (flow style), so a key of the same name in a nested
/// mapping is not taken for the repeat.
fn repeated_key(file: &SourceFile, id: FileId, from: usize, end: usize, key: &str) -> Option<Span> {
    let text = &file.text()[..end];
    let mut found = Vec::new();
    let mut at = from;
    while let Some(i) = text[at..].find(key) {
        let start = at + i;
        at = start + key.len();
        let before = text[..start].chars().next_back();
        let boundary =
            before.is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\''));
        let after = text[at..]
            .trim_start_matches(['"', '\''])
            .trim_start_matches(' ');
        if boundary && after.starts_with(':') {
            found.push(start);
        }
    }
    let first = *found.first()?;
    let (line, col) = file.line_col(first);
    let repeat = found.iter().skip(1).find(|&&o| {
        let (l, c) = file.line_col(o);
        c == col || l == line
    })?;
    Some(Span::new(id, *repeat..*repeat + key.len()))
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
    let end = token_end(file.text(), start, range.end);
    let span = Span::new(id, start..end);

    if let Some(key) = duplicate_key(&message) {
        let from = error
            .location()
            .map_or(range.start, |l| (range.start + l.index()).min(range.end));
        let repeat = repeated_key(file, id, from, range.end, key).unwrap_or(span);
        return Diagnostic::error(
            Code::FrontMatterSyntax,
            format!("key `{key}` appears twice in the same group of the {what}"),
        )
        .at(repeat, "repeated here")
        .help("each key may appear only once: remove or merge the repeated one");
    }
    if let Some(field) = between_backticks(&message, "unknown field `") {
        if let Some(d) = decimal_comma(file, id, range.clone(), field) {
            return d;
        }
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
        .at(key_span.clone(), "unknown key")
        .help(help)
        .maybe_suggest(key_span, suggestion.map(str::to_string));
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
    if let Some(variant) = between_backticks(&message, "unknown variant `") {
        let expected = expected_fields(&message);
        let help = match did_you_mean(variant, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of {}", expected.join(", ")),
        };
        return Diagnostic::error(
            Code::FrontMatterField,
            format!("unknown value `{variant}` in {what}"),
        )
        .at(span, "not one of the known values")
        .help(help);
    }
    let list_for_map = message.contains("invalid type: sequence")
        && (message.contains("expected a map") || message.contains("expected struct"));
    if list_for_map {
        // serde_yaml names the key's path before ": invalid type" (`sop`, `instruments[0].x`).
        let path = message
            .split_once(": invalid type")
            .map(|(path, _)| path)
            .filter(|path| !path.is_empty());
        let said = match path {
            Some(path) => {
                format!("`{path}` in the {what} must be a group of `key: value` lines, not a list")
            }
            None => format!("a group of `key: value` lines was expected in the {what}, not a list"),
        };
        return Diagnostic::error(Code::FrontMatterField, said)
            .at(span, "a list here")
            .help(
                "write `key: value` lines indented under its key, not `- item` lines or `[a, b]`",
            );
    }
    if let Some(mut wrong) = WrongType::of(&message) {
        // A value serde_yaml could not place (a custom check, like a date's) is found by its key.
        // serde_yaml puts the errors of a value's own checks (a date's) at the document's start.
        let span = match error.location() {
            Some(l) if l.index() > 0 => span,
            _ => wrong
                .key()
                .and_then(|key| value_span(file.text(), range.clone(), key))
                .or_else(|| {
                    // No key named: the value itself, as serde quoted it.
                    let raw = wrong.found.trim_matches('`');
                    let at = file.text()[range.clone()].find(raw)?;
                    Some(range.start + at..range.start + at + raw.len())
                })
                .map_or(span, |r| Span::new(id, r)),
        };
        // serde_yaml names no key for a value's own check (a date's) at the top level: the key is
        // the one written before the value on its line.
        if wrong.path.is_none() {
            wrong.path = key_before(file.text(), span.range.start).map(str::to_string);
        }
        return Diagnostic::error(Code::FrontMatterField, wrong.message(what))
            .at(span, "this value")
            .help(wrong.help());
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return Diagnostic::error(
            Code::FrontMatterField,
            format!("wrong kind of value in {what}: {message}"),
        )
        .at(span, "this value")
        .help("check the value: text, numbers without quotes, lists in [ ]");
    }
    // A quote left open swallows the lines after it, and the parser stumbles only at the next
    // quote: the mistake is where the string opened.
    if let Some(open) = unclosed_quote(file.text(), range.clone(), start) {
        return Diagnostic::error(
            Code::FrontMatterSyntax,
            format!("a quoted text in the {what} is never closed"),
        )
        .at(
            Span::new(id, open..open + 1),
            "this quote opens a text that never ends",
        )
        .help("add the same quote at the end of the text on this line, or remove this one");
    }
    // A tab in the indentation: at the tab itself, wherever the parser noticed it. serde_yaml
    // says "tab character" inside a value, and "cannot start any token" at a line's first tab.
    let at_tab = file.text()[start..].starts_with('\t');
    if (message.contains("tab character") || at_tab)
        && let Some(tab) = indenting_tab(file.text(), range.clone())
    {
        return Diagnostic::error(
            Code::FrontMatterSyntax,
            format!("a tab indents this line of the {what}"),
        )
        .at(Span::new(id, tab..tab + 1), "a tab")
        .help("YAML allows only spaces for indentation: replace the tab with spaces, lined up with the lines above");
    }
    let (said, help) = syntax_in_words(&message);
    Diagnostic::error(Code::FrontMatterSyntax, format!("{said} in the {what}"))
        .at(span, "here")
        .help(help)
}

/// The parser's syntax error said in an editor's words, with what to do. The parser's own terms
/// ("block mapping", "scalar", "node content") mean nothing to most people who write pages.
fn syntax_in_words(message: &str) -> (String, &'static str) {
    let cases: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "a colon where a value was expected",
            "a value that contains `: ` must be in quotes: `title: \"Sampling: design\"`",
        ),
        (
            "did not find expected key",
            "a line that does not line up with the lines around it",
            "indent this line like the other keys at its level, or put a value that contains `:` or `#` in quotes",
        ),
        (
            "did not find expected '-' indicator",
            "a list item that does not line up with the items above it",
            "start every item of a list with `- ` at the same indentation",
        ),
        (
            "expected ',' or '}'",
            "a `{ … }` group that is not closed, or two values without a comma between them",
            "close the group with `}` and separate its `key: value` pairs with commas",
        ),
        (
            "expected ',' or ']'",
            "a `[ … ]` list that is not closed, or two items without a comma between them",
            "close the list with `]` and separate its items with commas",
        ),
        (
            "found character that cannot start any token",
            "a character that cannot start a value (`@`, `` ` ``, `%`, `|` or `>` in the wrong place)",
            "put the value in quotes",
        ),
        (
            "did not find expected node content",
            "a value is missing",
            "write a value after the colon, or remove the line",
        ),
        (
            "end of stream",
            "the text ends in the middle of a value",
            "close the quote, list or group that is still open",
        ),
        (
            "duplicate",
            "a key that appears twice",
            "each key may appear only once: remove or merge the repeated one",
        ),
    ];
    for (pattern, said, help) in cases {
        if message.contains(pattern) {
            return (said.to_string(), help);
        }
    }
    // Unknown to this table: the parser's words, without its "while parsing a …" context.
    let first = message.split(", while ").next().unwrap_or(message);
    (
        format!("malformed YAML ({first})"),
        "check the indentation, colons and quotes on this line and the one above",
    )
}

/// The key of a `key: value` line, when `value_start` is where its value starts.
fn key_before(text: &str, value_start: usize) -> Option<&str> {
    let line_start = text[..value_start].rfind('\n').map_or(0, |n| n + 1);
    let key = text[line_start..value_start]
        .trim_end()
        .strip_suffix(':')?
        .trim_start_matches([' ', '-']);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then_some(key)
}

/// The first tab in the indentation of a line of `range`. YAML refuses every one, and the parser
/// may notice it a line or two later (inside the value it was reading), so the first is the cause.
fn indenting_tab(text: &str, range: Range<usize>) -> Option<usize> {
    let mut offset = range.start;
    for line in text[range].split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            return Some(offset + tab);
        }
        offset += line.len();
    }
    None
}

/// `value: 0,8` in a flow mapping (`{ value: 0,8, unit: mg/kg }`) reads as `value: 0` and a key
/// `8`: a decimal comma, as many languages write numbers. Said so, with the fix.
fn decimal_comma(
    file: &SourceFile,
    id: FileId,
    range: Range<usize>,
    field: &str,
) -> Option<Diagnostic> {
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = &file.text()[range.clone()];
    // `<key>: <digits>,<field>` with the field's digits right after the comma.
    let mut from = 0;
    while let Some(found) = text[from..].find(&format!(",{field}")) {
        let comma = from + found;
        from = comma + 1;
        let after = text[comma + 1 + field.len()..].chars().next();
        if after.is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let before = &text[..comma];
        let whole = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if whole == 0 {
            continue;
        }
        let number_start = comma - whole;
        let Some(key) = before[..number_start].trim_end().strip_suffix(':') else {
            continue;
        };
        let key = key
            .rsplit(['{', ',', ' ', '\n'])
            .next()
            .unwrap_or(key)
            .trim();
        let start = range.start + number_start;
        let end = range.start + comma + 1 + field.len();
        let fixed = format!("{}.{field}", &text[number_start..comma]);
        return Some(
            Diagnostic::error(
                Code::FrontMatterField,
                format!(
                    "`{key}: {}` has a decimal comma",
                    &text[number_start..end - range.start]
                ),
            )
            .at(Span::new(id, start..end), "read as two values")
            .help(format!("use a decimal point: `{key}: {fixed}`"))
            .suggest(
                Span::new(id, start..end),
                fixed,
                crate::diagnostics::Applicability::MachineApplicable,
            ),
        );
    }
    None
}

/// A value of the wrong kind, from serde's "path: invalid type: found, expected wanted", said in
/// an editor's words: "`weight` must be a whole number, not the text `two`". serde's own words
/// (`i64`, `sequence`, `map`, `scalar`) mean nothing to most of the people who write pages.
#[derive(Debug, PartialEq, Eq)]
struct WrongType {
    /// The key the value belongs to (`sop.version`), when serde names it.
    path: Option<String>,
    found: String,
    expected: Expected,
}

#[derive(Debug, PartialEq, Eq)]
enum Expected {
    WholeNumber,
    Number,
    TrueOrFalse,
    List,
    Text,
    Mapping,
    Date,
    /// Said as serde says it, when it is none of the above.
    Other(String),
}

impl WrongType {
    fn of(message: &str) -> Option<WrongType> {
        if let Some(at) = message.find("invalid value: `")
            && message.contains("is not a date")
        {
            let path = message[..at].strip_suffix(": ").map(str::to_string);
            let value = between_backticks(message, "invalid value: `")?;
            return Some(WrongType {
                path,
                found: format!("`{value}`"),
                expected: Expected::Date,
            });
        }
        let at = message.find("invalid type: ")?;
        let path = message[..at].strip_suffix(": ").map(str::to_string);
        let rest = &message[at + "invalid type: ".len()..];
        let (found, expected) = rest.split_once(", expected ")?;
        let expected = match expected.trim() {
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
                Expected::WholeNumber
            }
            "f32" | "f64" => Expected::Number,
            "a boolean" => Expected::TrueOrFalse,
            "a sequence" => Expected::List,
            "a string" | "a borrowed string" => Expected::Text,
            "a map" => Expected::Mapping,
            e if e.starts_with("struct ") => Expected::Mapping,
            e => Expected::Other(e.to_string()),
        };
        let found = if let Some(text) = found.strip_prefix("string ") {
            format!("the text {text}")
        } else if let Some(n) = found
            .strip_prefix("floating point ")
            .or_else(|| found.strip_prefix("integer "))
        {
            format!("the number {}", n.trim_matches('`'))
        } else if let Some(b) = found.strip_prefix("boolean ") {
            format!("`{}`", b.trim_matches('`'))
        } else {
            match found {
                "sequence" => "a list".into(),
                "map" => "a group of `key: value` lines".into(),
                "unit value" => "nothing".into(),
                other => other.to_string(),
            }
        };
        Some(WrongType {
            path,
            found,
            expected,
        })
    }

    /// The last key of the path, as written in the file.
    fn key(&self) -> Option<&str> {
        let path = self.path.as_deref()?;
        let last = path.rsplit('.').next().unwrap_or(path);
        Some(last.split('[').next().unwrap_or(last))
    }

    fn message(&self, what: &str) -> String {
        let wanted = match &self.expected {
            Expected::WholeNumber => "a whole number",
            Expected::Number => "a number",
            Expected::TrueOrFalse => "`true` or `false`",
            Expected::List => "a list",
            Expected::Text => "text",
            Expected::Mapping => "a group of `key: value` lines",
            Expected::Date => "a date like 2026-11-21",
            Expected::Other(e) => e,
        };
        match &self.path {
            Some(path) => format!("`{path}` must be {wanted}, not {}", self.found),
            None => format!("a value in the {what} must be {wanted}, not {}", self.found),
        }
    }

    fn help(&self) -> String {
        let key = self.key().unwrap_or("key");
        match &self.expected {
            Expected::WholeNumber => {
                format!("write a whole number without quotes, like `{key}: 2`")
            }
            Expected::Number => {
                format!("write the number without quotes, with a decimal point: `{key}: 0.8`")
            }
            Expected::TrueOrFalse => format!("write `{key}: true` or `{key}: false`"),
            Expected::List => format!(
                "write a list: `{key}: [first, second]`, or one `- item` per line under `{key}:`"
            ),
            Expected::Text => format!(
                "write the text after the colon (`{key}: Soil sampling`), in quotes if it contains `:` or `#`"
            ),
            Expected::Mapping => format!("write `name: value` lines indented under `{key}:`"),
            Expected::Date => match self.key() {
                Some(key) => format!("write the date as year-month-day: `{key}: 2026-11-21`"),
                None => "write the date as year-month-day, like 2026-11-21".into(),
            },
            Expected::Other(_) => {
                "check the value against the README's description of this key".into()
            }
        }
    }
}

/// The offset of a quote that opens a string never closed on its line, before `error` (where the
/// parser gave up) in `range`. Only a quote that starts a value counts: `title: "Soil` and
/// `- 'Soil`, not the apostrophe in `title: Soil's texture`.
fn unclosed_quote(text: &str, range: Range<usize>, error: usize) -> Option<usize> {
    let mut offset = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        if offset >= error.max(range.start + 1) {
            break;
        }
        let bare = line.trim_end_matches(['\n', '\r']);
        let value_at = match bare.trim_start().strip_prefix("- ") {
            Some(item) if !item.contains(": ") => Some(bare.len() - item.len()),
            _ => bare.find(": ").map(|i| i + 2),
        };
        let value = value_at.map_or("", |at| bare[at..].trim_start());
        let value_at = bare.len() - value.len();
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let body = &value[1..];
            let closed = match quote {
                // `\"` is an escaped quote inside a double-quoted text.
                '"' => body.replace("\\\\", "").replace("\\\"", "").contains('"'),
                // `''` is an escaped quote inside a single-quoted text.
                _ => body.replace("''", "").contains('\''),
            };
            if !closed {
                return Some(offset + value_at);
            }
        }
        offset += line.len();
    }
    None
}

/// [`parse`] for a data file: the same messages, under the data error codes.
pub fn parse_data<T: DeserializeOwned>(
    file: &SourceFile,
    id: FileId,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    if file.text().trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error(Code::DataSyntax, format!("{what} is empty"))
                .at(Span::file_start(id), "nothing here")
                .help("write its entries, or delete the file"),
        ));
    }
    parse(file, id, 0..file.text().len(), what).map_err(|mut d| {
        d.code = match d.code {
            Code::FrontMatterSyntax => Code::DataSyntax,
            _ => Code::DataValue,
        };
        d
    })
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
    let text = &file.text()[range.clone()];
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

/// Byte ranges of the items of a block sequence: the one under `key` (the first `key:` in
/// `within`), or the top-level sequence when `key` is `None`. serde_yaml gives values without
/// positions, so errors about a value (an unknown id, a bad unit) find it again with this and
/// [`value_span`]. Returns no items for flow sequences (`[a, b]`); callers fall back to the key.
pub fn sequence_items(text: &str, within: Range<usize>, key: Option<&str>) -> Vec<Range<usize>> {
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut offset = within.start;
    let mut key_indent: Option<usize> = None;
    let mut item_indent: Option<usize> = None;
    let mut started = key.is_none();
    for line in text[within.clone()].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if !started {
            let bare = trimmed.trim_start_matches("- ");
            if let Some(k) = key
                && bare.starts_with(k)
                && bare[k.len()..].trim_start().starts_with(':')
            {
                started = true;
                key_indent = Some(indent + (trimmed.len() - bare.len()));
            }
            continue;
        }
        let content = trimmed.trim_end();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let is_dash = content == "-" || content.starts_with("- ");
        if is_dash
            && item_indent.is_none_or(|i| i == indent)
            && key_indent.is_none_or(|k| indent >= k)
        {
            item_indent = Some(indent);
            if let Some(last) = items.last_mut() {
                last.end = start;
            }
            items.push(start + indent..offset);
            continue;
        }
        let ends = match item_indent {
            Some(i) => indent <= i,
            None => key_indent.is_some_and(|k| indent <= k),
        };
        if ends {
            break;
        }
        if let Some(last) = items.last_mut() {
            last.end = offset;
        }
    }
    items
}

/// Span of the value written after `key:` inside `within`, for block (`key: value`) and flow
/// (`{ key: value, … }`) mappings alike. The first match wins, so look inside the smallest
/// range that holds the key.
pub fn value_span(text: &str, within: Range<usize>, key: &str) -> Option<Range<usize>> {
    let hay = &text[within.clone()];
    let mut from = 0;
    while let Some(found) = hay[from..].find(key) {
        let at = from + found;
        from = at + key.len();
        let before = hay[..at].chars().next_back();
        let boundary = before.is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '-'));
        let after = hay[at + key.len()..].trim_start_matches([' ', '"', '\'']);
        if !boundary || !after.starts_with(':') {
            continue;
        }
        let colon = hay.len() - after.len();
        let rest = &hay[colon + 1..];
        let value_start = colon + 1 + (rest.len() - rest.trim_start_matches(' ').len());
        let value = &hay[value_start..];
        let len = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value.len(), |e| e + 2),
            Some('[' | '{') => value.find([']', '}']).map_or(value.len(), |e| e + 1),
            _ => value.find([',', '}', '\n', '#']).unwrap_or(value.len()),
        };
        let len = value[..len].trim_end().len();
        let start = within.start + value_start;
        return Some(start..start + len);
    }
    None
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    const FILE: &str = "country: NLD\ninstruments:\n  - id: a\n    values:\n      - { contaminant: cd, value: 13 }\n      - contaminant: pb\n        value: \"x\"\n  - id: b\n    values: []\nnotes: x\n";

    #[test]
    fn items_of_nested_block_sequences_are_found() {
        let all = 0..FILE.len();
        let instruments = sequence_items(FILE, all, Some("instruments"));
        assert_eq!(instruments.len(), 2);
        assert!(FILE[instruments[0].clone()].starts_with("- id: a"));
        assert!(FILE[instruments[1].clone()].starts_with("- id: b"));
        assert!(!FILE[instruments[1].clone()].contains("notes"));
        let values = sequence_items(FILE, instruments[0].clone(), Some("values"));
        assert_eq!(values.len(), 2);
        assert!(FILE[values[1].clone()].contains("value: \"x\""));
        assert!(sequence_items(FILE, instruments[1].clone(), Some("values")).is_empty());
    }

    #[test]
    fn values_are_located_in_flow_and_block_mappings() {
        let all = 0..FILE.len();
        let instruments = sequence_items(FILE, all, Some("instruments"));
        let values = sequence_items(FILE, instruments[0].clone(), Some("values"));
        let span = value_span(FILE, values[0].clone(), "value").unwrap();
        assert_eq!(&FILE[span], "13");
        let span = value_span(FILE, values[0].clone(), "contaminant").unwrap();
        assert_eq!(&FILE[span], "cd");
        let span = value_span(FILE, values[1].clone(), "value").unwrap();
        assert_eq!(&FILE[span], "\"x\"");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Terms {
        #[serde(default, deserialize_with = "unique_keys")]
        value_types: BTreeMap<String, String>,
    }

    fn parse_terms(text: &str) -> Result<Terms, Box<Diagnostic>> {
        let mut sources = crate::diagnostics::SourceMap::default();
        let id = sources.add("t.yaml".as_ref(), "t.yaml".into(), text.to_string());
        parse(sources.get(id), id, 0..text.len(), "data file")
    }

    #[test]
    fn a_key_written_twice_in_a_map_is_refused_where_it_is_repeated() {
        let text = "value_types:\n  trigger: a\n  limit: b\n  trigger: c\n";
        let d = parse_terms(text).unwrap_err();
        assert_eq!(
            d.message,
            "key `trigger` appears twice in the same group of the data file"
        );
        let (span, _) = d.primary.expect("located");
        assert_eq!(span.range.start, text.rfind("trigger").unwrap());
        // Flow style too, and a map without repeats is read whole.
        assert!(parse_terms("value_types: { a: x, a: y }\n").is_err());
        let terms = parse_terms("value_types: { a: x, b: y }\n").unwrap();
        assert_eq!(terms.value_types.len(), 2);
    }
}
