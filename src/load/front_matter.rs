//! Splitting a Markdown file into its YAML front matter and body, keeping byte offsets, and the typed
//! front matter itself. Unknown keys are errors (typos are the common case).

use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile, Span};
use crate::time::Timestamp;
use serde::{Deserialize, Deserializer};
use std::ops::Range;

/// Where the parts of a Markdown file are.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences, if the file has front matter.
    pub yaml: Option<Range<usize>>,
    /// The Markdown body.
    pub body: Range<usize>,
}

/// Finds the front matter: a first line `---` (after an optional BOM), YAML, a line `---` or `...`.
/// CRLF files are accepted. A file whose first line is `---` but has no closing fence is an error.
pub fn split(text: &str) -> Result<Split, usize> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let first_line_len = match rest.strip_prefix("---") {
        Some(after) if after.starts_with("\r\n") => 5,
        Some(after) if after.starts_with('\n') => 4,
        _ => {
            return Ok(Split {
                yaml: None,
                body: bom..text.len(),
            });
        }
    };
    let yaml_start = bom + first_line_len;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: Some(yaml_start..offset),
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(bom)
}

/// A calendar date `YYYY-MM-DD`, checked when loaded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Date(String);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let ok = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0));
        if ok {
            Ok(Date(s.to_string()))
        } else {
            Err(format!(
                "invalid value: `{s}` is not a date in the form YYYY-MM-DD"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A date and time with its UTC offset (RFC 3339), as webinars need: a time without a zone is
/// ambiguous for a worldwide audience.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DateTime(String);

impl DateTime {
    pub fn parse(s: &str) -> Result<DateTime, String> {
        let err = || {
            format!(
                "invalid value: `{s}` is not a date and time with offset, like 2022-04-22T12:00:00+02:00"
            )
        };
        let (date, rest) = s.split_once('T').ok_or_else(err)?;
        Date::parse(date).map_err(|_| err())?;
        let b = rest.as_bytes();
        let time_ok =
            b.len() >= 6 && b[2] == b':' && b[..2].iter().chain(&b[3..5]).all(u8::is_ascii_digit);
        let zone = &rest[rest.find(['Z', '+', '-']).ok_or_else(err)?..];
        let zone_ok = zone == "Z" || (zone.len() == 6 && zone.as_bytes()[3] == b':');
        if time_ok && zone_ok {
            Ok(DateTime(s.to_string()))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The front matter of a page or section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub sop: Option<SopMeta>,
    #[serde(default)]
    pub webinar: Option<WebinarMeta>,
    /// On a translation (`chapter.fr.md`): the fingerprint of the original it was made from, as
    /// `pedon check` gives it. When the original changes, readers are told the translation may
    /// be out of date.
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Old addresses of the page, after a rename or a move: its old file as links named it
    /// (`manual/03-old-name.md`) or its old address (`manual/old-name.html`). Each is published as
    /// a page that sends readers on to the new one.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Status of an SOP: readers must see whether a procedure is approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SopStatus {
    Draft,
    Final,
}

/// The `sop:` block of a standard operating procedure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SopMeta {
    pub code: String,
    pub version: String,
    pub status: SopStatus,
    #[serde(default)]
    pub analytes: Vec<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub equipment: Vec<String>,
    #[serde(default)]
    pub reagents: Vec<String>,
    #[serde(default)]
    pub safety: Vec<String>,
    /// Newest first, as laboratories keep them: which version changed what, and when.
    #[serde(default)]
    pub revisions: Vec<Revision>,
}

/// One entry of an SOP's revision history.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub version: String,
    pub date: Date,
    pub changes: String,
}

/// When an event happens: a day (an all-day or multi-day event whose hours the sources do not give),
/// or a date and time with its UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventDate {
    Day(Date),
    At(DateTime),
}

impl EventDate {
    pub fn parse(s: &str) -> Result<EventDate, String> {
        if s.contains('T') {
            DateTime::parse(s).map(EventDate::At)
        } else {
            Date::parse(s).map(EventDate::Day)
        }
    }

    /// RFC 3339 text as written (a date, or a date and time).
    pub fn as_str(&self) -> &str {
        match self {
            EventDate::Day(d) => d.as_str(),
            EventDate::At(t) => t.as_str(),
        }
    }

    /// The calendar date part.
    pub fn date(&self) -> &str {
        &self.as_str()[..10]
    }

    /// When the event begins; a day begins at midnight UTC, since its zone is not known.
    pub fn start(&self) -> Timestamp {
        let s = self.as_str();
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
        let ymd = (
            i64::from(num(0..4).unwrap_or(1970)),
            num(5..7).unwrap_or(1),
            num(8..10).unwrap_or(1),
        );
        match self {
            EventDate::Day(_) => Timestamp::from_civil(ymd, (0, 0, 0), 0),
            EventDate::At(_) => {
                let hms = (
                    num(11..13).unwrap_or(0),
                    num(14..16).unwrap_or(0),
                    num(17..19).unwrap_or(0),
                );
                // Checked when parsed: `Z` or `±HH:MM` ends the text.
                let zone = &s[s.len() - if s.ends_with('Z') { 1 } else { 6 }..];
                let offset = match zone.as_bytes()[0] {
                    b'Z' => 0,
                    sign => {
                        let h = i64::from(zone[1..3].parse::<u32>().unwrap_or(0));
                        let m = i64::from(zone[4..6].parse::<u32>().unwrap_or(0));
                        let secs = h * 3600 + m * 60;
                        if sign == b'-' { -secs } else { secs }
                    }
                };
                Timestamp::from_civil(ymd, hms, offset)
            }
        }
    }

    /// When the event is over: the end of its day for a day, its start otherwise (an event of
    /// unknown length counts as begun, and past, once it starts).
    pub fn end(&self) -> Timestamp {
        match self {
            EventDate::Day(_) => Timestamp(self.start().0 + 86_400),
            EventDate::At(_) => self.start(),
        }
    }
}

impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EventDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The `webinar:` block of an event page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebinarMeta {
    pub date: EventDate,
    /// When it ends, for calendars; the last day of a multi-day event.
    #[serde(default)]
    pub end: Option<EventDate>,
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub slides: Option<String>,
    #[serde(default)]
    pub recording: Option<String>,
    /// Related pages, as paths relative to `content/`.
    #[serde(default)]
    pub chapters: Vec<String>,
}

/// The SOP code a page declares, read line by line from front matter that YAML could not parse:
/// `code:` under `sop:` (block or flow style). A page that fails to load still says which SOP it
/// is, so that links to it are not reported as unknown SOPs on top of the page's own error.
pub fn declared_sop_code(text: &str) -> Option<String> {
    let yaml = split(text).ok()?.yaml?;
    let mut in_sop = false;
    for line in text[yaml].lines() {
        let trimmed = line.trim_start();
        let indented = trimmed.len() < line.len();
        if !indented {
            in_sop = false;
        }
        let rest = match trimmed.strip_prefix("sop:") {
            Some(rest) if !indented => {
                in_sop = true;
                rest
            }
            _ if in_sop => trimmed,
            _ => continue,
        };
        let Some(at) = rest.find("code:") else {
            continue;
        };
        let value = rest[at + "code:".len()..]
            .split([',', '}', '#'])
            .next()?
            .trim()
            .trim_matches(['"', '\'']);
        if !value.is_empty() {
            return Some(value.to_string());
        }
    }
    None
}

/// Splits and parses the front matter of a Markdown file.
pub fn parse(
    file: &SourceFile,
    id: FileId,
) -> Result<(FrontMatter, Range<usize>), Box<Diagnostic>> {
    let split = split(file.text()).map_err(|start| {
        Box::new(
            Diagnostic::error(Code::FrontMatterUnclosed, "front matter is never closed")
                .at(Span::new(id, start..start + 3), "opened here")
                .help("end the front matter with a line containing only `---`"),
        )
    })?;
    let Some(yaml) = split.yaml else {
        if file.text().trim().is_empty() {
            return Err(Box::new(
                Diagnostic::error(Code::FrontMatterField, "page is empty")
                    .at(Span::file_start(id), "nothing here")
                    .help("start it with front matter: a line `---`, a line `title: …`, a line `---`; or delete the file"),
            ));
        }
        return Err(Box::new(
            Diagnostic::error(Code::FrontMatterField, "page has no front matter")
                .at(Span::file_start(id), "expected `---` on the first line")
                .help("start the file with front matter: a line `---`, a line `title: …`, a line `---`"),
        ));
    };
    let front: FrontMatter = super::yaml::parse(file, id, yaml, "front matter")?;
    if front.title.trim().is_empty() {
        let span = super::yaml::find_key(file, id, split.body.start..split.body.start, "title")
            .unwrap_or_else(|| Span::file_start(id));
        return Err(Box::new(
            Diagnostic::error(Code::FrontMatterField, "`title` is empty")
                .at(span, "here")
                .help("give the page a title"),
        ));
    }
    Ok((front, split.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_yaml_and_body_offsets() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: A\n");
        assert_eq!(&text[s.body], "Body\n");
    }

    #[test]
    fn split_accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: A\r\n");
        assert_eq!(&text[s.body], "Body");
    }

    #[test]
    fn split_without_front_matter_is_all_body() {
        let s = split("# Hi\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, 0..9);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: A\n"), Err(0));
    }

    #[test]
    fn dates_are_checked() {
        assert!(Date::parse("2026-11-21").is_ok());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("21/11/2026").is_err());
        assert!(DateTime::parse("2022-04-22T12:00:00+02:00").is_ok());
        assert!(DateTime::parse("2022-04-22T12:00:00Z").is_ok());
        assert!(DateTime::parse("2022-04-22T12:00:00").is_err());
    }

    #[test]
    fn event_dates_become_instants() {
        let at = EventDate::parse("2022-04-22T12:00:00+02:00").unwrap();
        assert_eq!(at.start().rfc3339(), "2022-04-22T10:00:00Z");
        let west = EventDate::parse("2022-04-22T12:00:00-05:30").unwrap();
        assert_eq!(west.start().rfc3339(), "2022-04-22T17:30:00Z");
        let day = EventDate::parse("2018-05-02").unwrap();
        assert_eq!(day.start().rfc3339(), "2018-05-02T00:00:00Z");
        assert_eq!(day.end().rfc3339(), "2018-05-03T00:00:00Z");
    }
}

#[cfg(test)]
mod salvage_tests {
    use super::declared_sop_code;

    #[test]
    fn the_sop_code_of_broken_front_matter_is_still_read() {
        let block =
            "---\ntitle: \"Aqua regia\nsop:\n  code: INSOP-SOP-02\n\tversion: 1\n---\nBody\n";
        assert_eq!(declared_sop_code(block).as_deref(), Some("INSOP-SOP-02"));
        let flow = "---\ntitle: [x\nsop: { code: 'INSOP-SOP-03', version: \"1.0\" }\n---\n";
        assert_eq!(declared_sop_code(flow).as_deref(), Some("INSOP-SOP-03"));
        // A `code:` elsewhere is not the SOP's.
        let other = "---\ntitle: x\nwebinar:\n  code: W-1\n---\n";
        assert_eq!(declared_sop_code(other), None);
    }
}
