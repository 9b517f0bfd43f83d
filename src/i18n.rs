//! What the reader's language changes besides the text of the pages: the interface strings of the
//! theme (`themes/<name>/i18n/<code>.toml`) and how numbers and dates are written.
//!
//! The default language's file is the list of keys. Another language missing one of them is a
//! warning naming the key, and its pages show the default language's string: a half-translated
//! theme is publishable, never a broken page.

use crate::config::{Config, Direction};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span};
use crate::load::Theme;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One language of the site, ready for the templates.
#[derive(Debug, Clone)]
pub struct Locale {
    pub code: String,
    /// In the language itself, for the switcher.
    pub name: String,
    pub direction: Direction,
    /// Every key of the default language, each in this language where it has it.
    pub strings: BTreeMap<String, String>,
    pub format: Format,
}

/// `[format]` of an interface-strings file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Format {
    /// Decimal separator: `.` or `,`.
    pub decimal: String,
    /// Thousands separator (`,`, a no-break space, or empty for none).
    pub group: String,
    /// A day: `{day}`, `{month}` (name), `{year}` (`{day} {month} {year}` → 22 avril 2022).
    pub date: String,
    /// The twelve month names, January first.
    pub months: Vec<String>,
}

impl Default for Format {
    fn default() -> Self {
        Format {
            decimal: ".".into(),
            group: ",".into(),
            date: "{day} {month} {year}".into(),
            months: [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: Option<Format>,
    #[serde(default)]
    strings: BTreeMap<String, String>,
}

impl Locale {
    /// An interface string; the key itself when even the default language lacks it (the
    /// template then shows the key, which is easy to spot, rather than failing).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// Every number in `text` in this language's notation, leaving other dots and commas alone:
    /// `13 mg/kg, pH 6.5` → `13 mg/kg, pH 6,5`.
    pub fn numbers_in(&self, text: &str) -> String {
        if self.format.decimal == "." && self.format.group == "," {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        for (i, &c) in chars.iter().enumerate() {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            match c {
                '.' if between_digits => out.push_str(&self.format.decimal),
                ',' if between_digits => out.push_str(&self.format.group),
                c => out.push(c),
            }
        }
        out
    }

    /// `2022-04-22` → `22 avril 2022`; anything else is returned as it is.
    pub fn date(&self, iso: &str) -> String {
        let mut parts = iso.get(..10).unwrap_or("").splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return iso.to_string();
        };
        let (Ok(month), Ok(day)) = (m.parse::<usize>(), d.parse::<u32>()) else {
            return iso.to_string();
        };
        let Some(name) = month.checked_sub(1).and_then(|i| self.format.months.get(i)) else {
            return iso.to_string();
        };
        self.format
            .date
            .replace("{day}", &day.to_string())
            .replace("{month}", name)
            .replace("{year}", y)
    }
}

/// The locales of the site's languages, in the order of `config.languages` (default first).
pub fn build(config: &Config, theme: &Theme) -> (Vec<Locale>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut parsed: Vec<Option<(File, Option<crate::diagnostics::FileId>)>> = Vec::new();
    for language in &config.languages {
        let name = format!("{}.toml", language.code);
        let Some(file) = theme.i18n.iter().find(|f| f.name == name) else {
            parsed.push(None);
            continue;
        };
        let text = String::from_utf8_lossy(&file.bytes);
        match toml::from_str::<File>(&text) {
            Ok(f) => parsed.push(Some((f, file.file))),
            Err(e) => {
                let mut d = Diagnostic::error(
                    Code::Strings,
                    format!("interface strings `i18n/{name}`: {}", e.message().trim()),
                )
                .help(
                    "each file has a `[format]` table and a `[strings]` table of `key = \"text\"`",
                );
                if let Some(id) = file.file {
                    d = d.at(Span::new(id, e.span().unwrap_or(0..0)), "here");
                }
                diagnostics.push(d);
                parsed.push(None);
            }
        }
    }
    let default_strings = parsed[0]
        .as_ref()
        .map(|(f, _)| f.strings.clone())
        .unwrap_or_default();
    let default_format = parsed[0]
        .as_ref()
        .and_then(|(f, _)| f.format.clone())
        .unwrap_or_default();
    let default_name = &config.languages[0].name;
    let mut locales = Vec::new();
    for (i, language) in config.languages.iter().enumerate() {
        let (strings, format) = match &parsed[i] {
            Some((file, id)) => {
                let missing: Vec<&str> = default_strings
                    .keys()
                    .filter(|k| !file.strings.contains_key(*k))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    let mut d = Diagnostic::warning(
                        Code::MissingString,
                        format!(
                            "interface strings `i18n/{}.toml` lack {}: {}",
                            language.code,
                            if missing.len() == 1 { "a key" } else { "keys" },
                            missing
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .help(format!(
                        "add them under `[strings]`; until then {} pages show the {default_name} text",
                        language.name
                    ));
                    if let Some(id) = id {
                        d = d.at(Span::file_start(*id), "in this file");
                    }
                    diagnostics.push(d);
                }
                let mut strings = default_strings.clone();
                strings.extend(file.strings.clone());
                (
                    strings,
                    file.format.clone().unwrap_or(default_format.clone()),
                )
            }
            None => {
                if i > 0 {
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::MissingString,
                            format!(
                                "the theme has no interface strings for `{}` (i18n/{}.toml)",
                                language.code, language.code
                            ),
                        )
                        .help(format!(
                            "add themes/{}/i18n/{}.toml; until then {} pages show the {default_name} interface",
                            config.theme, language.code, language.name
                        )),
                    );
                }
                (default_strings.clone(), default_format.clone())
            }
        };
        locales.push(Locale {
            code: language.code.clone(),
            name: language.name.clone(),
            direction: language.direction,
            strings,
            format,
        });
    }
    (locales, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn french() -> Locale {
        Locale {
            code: "fr".into(),
            name: "Français".into(),
            direction: Direction::Ltr,
            strings: BTreeMap::new(),
            format: Format {
                decimal: ",".into(),
                group: "\u{202f}".into(),
                date: "{day} {month} {year}".into(),
                months: Format::default()
                    .months
                    .iter()
                    .map(|_| "avril".to_string())
                    .collect(),
            },
        }
    }

    #[test]
    fn numbers_follow_the_language() {
        let fr = french();
        assert_eq!(fr.numbers_in("1,234.5"), "1\u{202f}234,5");
        assert_eq!(fr.numbers_in("13 mg/kg, pH 6.5."), "13 mg/kg, pH 6,5.");
        assert_eq!(fr.numbers_in("7440-43-9"), "7440-43-9");
    }

    #[test]
    fn dates_follow_the_language() {
        assert_eq!(french().date("2022-04-22"), "22 avril 2022");
        assert_eq!(french().date("2022-04-22T12:00:00+02:00"), "22 avril 2022");
        assert_eq!(french().date("soon"), "soon");
    }
}
