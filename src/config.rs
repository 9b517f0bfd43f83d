//! The typed `pedon.toml`. Every table denies unknown keys: a typo in a key is an error pointing at
//! the key, never a setting silently ignored.
//!
//! A root without `pedon.toml` builds with the defaults, so a folder of Markdown is already a site:
//!
//! ```
//! let config = pedon::config::Config::parse("title = \"Manual\"\nbase_url = \"https://example.org/insop/\"\n").unwrap();
//! assert_eq!(config.title, "Manual");
//! assert_eq!(config.base_path(), "/insop/");
//! ```

use serde::Deserialize;

/// `pedon.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and the `<title>` of every page.
    pub title: String,
    /// One-sentence description for the home page's meta tags.
    pub description: String,
    /// Absolute URL where the site will be published, with its sub-path. Pages link to each other
    /// with relative URLs, so this is used only for canonical links, sitemaps and feeds.
    pub base_url: String,
    /// Language of pages that do not name one in their file name (`chapter.fr.md`). Its pages have
    /// no URL prefix; every other language's pages are under `<code>/`.
    pub default_language: String,
    /// `[[languages]]`: every language the site is published in, the default included, in the
    /// order the language switcher lists them. Parsing puts the default first, and adds it when
    /// the table is absent, so `languages[0]` is always the default.
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Theme folder under `themes/`; the built-in `insop` theme when that folder does not exist.
    pub theme: String,
    /// Repository URL for "edit this page" links, e.g. `https://github.com/org/site/edit/main/`.
    pub repository: Option<String>,
    /// The edition of the whole site (`2026.1`, `1.0 draft`), given in every citation.
    pub version: Option<String>,
    /// The licence under which the threshold database may be reused (`CC-BY-4.0`, or a sentence),
    /// shown with its citation and written into its downloads. Unset, the site says that no
    /// licence has been decided, rather than letting readers assume one.
    pub licence: Option<String>,
    pub build: BuildConfig,
    pub print: PrintConfig,
    /// `pedon.toml` in the build's source map, for locating problems found after parsing.
    #[serde(skip)]
    pub file: Option<crate::diagnostics::FileId>,
    /// Whether this is all of `pedon.toml`, or what could be read of it around an error.
    #[serde(skip)]
    pub reading: Reading,
}

/// How much of `pedon.toml` a [`Config`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reading {
    /// All of it, checked: the site is what it says.
    #[default]
    Whole,
    /// What could be read of a file with an error (reported on its own): enough to check the
    /// rest of the site, not to tell it that a language is missing. The entry with the error may
    /// be the `[[languages]]` that declares it, so checks that compare files with the declared
    /// languages are skipped: they would report the config's error again, file by file.
    Salvaged,
}

/// `[[languages]]`: one language of the site.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 primary language subtag, lower case (`fr`, `ar`, `zh`): the suffix of translated
    /// files (`chapter.fr.md`), the URL prefix (`fr/`) and `<html lang>`.
    pub code: String,
    /// The language's name in itself, as the switcher shows it (`Français`, `العربية`).
    #[serde(default)]
    pub name: String,
    /// Writing direction; `rtl` mirrors the layout.
    #[serde(default)]
    pub direction: Direction,
    /// The site's title in this language; `title` when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language; `description` when absent.
    #[serde(default)]
    pub description: Option<String>,
}

/// The direction a language is written in, for `<html dir>`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// `[print]`: the sections printed as one book.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintConfig {
    /// Section folders under `content/` (`manual`, `sops`): each gets a `print.html` with all its
    /// pages in reading order, for printing or saving as PDF. Each name keeps where it stands in
    /// `pedon.toml`, so that a misspelt one is located by the parser, not found again in the text.
    pub sections: Vec<toml::Spanned<String>>,
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuildConfig {
    /// Output folder, relative to the root, when `--output` is not given.
    pub output: String,
    /// Fail on warnings too (same as `--deny-warnings`).
    pub deny_warnings: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Pedon site".into(),
            description: String::new(),
            base_url: "/".into(),
            default_language: "en".into(),
            languages: vec![Language {
                code: "en".into(),
                name: "English".into(),
                direction: Direction::Ltr,
                title: None,
                description: None,
            }],
            theme: "insop".into(),
            repository: None,
            version: None,
            licence: None,
            print: PrintConfig::default(),
            file: None,
            reading: Reading::Whole,
            build: BuildConfig::default(),
        }
    }
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output: "public".into(),
            deny_warnings: false,
        }
    }
}

/// A located problem in `pedon.toml`, with what to do about it.
#[derive(Debug)]
pub struct ConfigError {
    pub message: String,
    pub range: Option<std::ops::Range<usize>>,
    /// What to do about it.
    pub help: String,
}

impl ConfigError {
    /// The TOML parser's error, with a help in an editor's words.
    fn from_toml(e: &toml::de::Error, text: &str) -> ConfigError {
        let message = e.message().trim().to_string();
        if let Some(wrong) = wrong_type(&message, e.span(), text) {
            return wrong;
        }
        let help = if let Some(meant) = meant_name(&message) {
            format!("did you mean `{meant}`?")
        } else if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            format!("add `{field} = …` to this table")
        } else if message.starts_with("unknown field") {
            "remove this key, or write one of those the message lists".to_string()
        } else if message.starts_with("invalid basic string")
            || message.starts_with("invalid literal string")
        {
            "close the quote on this line".to_string()
        } else {
            "each setting is `key = value` on a line of its own, with text in double quotes (`title = \"Manual\"`) and lists in brackets (`sections = [\"manual\"]`)".to_string()
        };
        ConfigError {
            message,
            range: e.span(),
            help,
        }
    }
}

/// The parser's "invalid type: integer `4`, expected a string" in an editor's words, naming the
/// key written before the value on its line.
fn wrong_type(
    message: &str,
    span: Option<std::ops::Range<usize>>,
    text: &str,
) -> Option<ConfigError> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let found = match found.split_once(' ') {
        Some(("string", v)) => format!("the text {v}"),
        Some(("integer" | "float", v)) => format!("the number {}", v.trim_matches('`')),
        Some(("boolean", v)) => v.trim_matches('`').to_string(),
        _ => match found {
            "sequence" => "a list".to_string(),
            "map" => "a table".to_string(),
            other => other.to_string(),
        },
    };
    let (wanted, example) = match expected {
        "a string" => ("text in double quotes", "\"…\""),
        "a boolean" => ("`true` or `false`", "true"),
        "a sequence" => ("a list in brackets", "[\"…\"]"),
        e if e.starts_with('i') || e.starts_with('u') => ("a whole number", "2"),
        _ => return None,
    };
    let at = span.clone()?.start;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let key = text[line_start..at].trim_end().strip_suffix('=')?.trim();
    Some(ConfigError {
        message: format!("`{key}` must be {wanted}, not {found}"),
        range: span,
        help: format!("write it like `{key} = {example}`"),
    })
}

/// For the parser's "unknown field `dirction`, expected one of `code`, `name`, …" (or "unknown
/// variant"), the expected name closest to the one written.
fn meant_name(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (written, rest) = rest.split_once('`')?;
    let (_, expected) = rest.split_once("expected")?;
    let names = expected.split('`').skip(1).step_by(2);
    crate::diagnostics::did_you_mean(written, names)
}

impl Config {
    /// Parses `pedon.toml` text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::from_toml(&e, text))?;
        let mut config = config;
        config.validate()?;
        config.complete_languages(text)?;
        Ok(config)
    }

    /// What can be read of `pedon.toml` text that [`Config::parse`] refuses, for checking the rest
    /// of the site against what the editor meant rather than against the defaults, which would
    /// drop the site's languages for one misspelt key. Entries the parser blames are taken out
    /// one by one until the rest reads: a misspelt key is read as the key it most likely is
    /// (`[[language]]` as `[[languages]]`, as the error's help says), anything else is left out.
    /// Then languages that are not codes or are declared twice are left out, and the default
    /// language is added when it is not among them.
    pub fn salvage(text: &str) -> Config {
        let (mut table, _syntax_errors) = toml::de::DeTable::parse_recoverable(text);
        let mut config = loop {
            let parsed = Config::deserialize(toml::de::Deserializer::from(table.clone()));
            let e = match parsed {
                Ok(config) => break config,
                Err(e) => e,
            };
            let meant =
                meant_name(e.message()).filter(|_| e.message().starts_with("unknown field"));
            // Each turn takes an entry out or gives an unknown key a known name: it ends.
            let blamed = e
                .span()
                .is_some_and(|at| take_out(table.get_mut(), at.start, meant));
            if !blamed {
                break Config::default();
            }
        };
        if config.validate().is_err() {
            config.base_url = Config::default().base_url;
        }
        let mut seen = std::collections::HashSet::new();
        config
            .languages
            .retain(|l| is_language_code(&l.code) && seen.insert(l.code.clone()));
        if !is_language_code(&config.default_language) {
            config.default_language = Config::default().default_language;
        }
        // A default that is not declared is added rather than replaced by the first language:
        // that one's files (`chapter.fr.md`) would collide with the default's (`chapter.md`).
        config.order_languages();
        config.reading = Reading::Salvaged;
        config
    }

    /// Whether this is all of `pedon.toml`: see [`Reading`].
    pub fn is_whole(&self) -> bool {
        self.reading == Reading::Whole
    }

    /// Checks `[[languages]]` and puts the default language first, so that index 0 is always
    /// the default: a site without the table gets the default language alone.
    fn complete_languages(&mut self, text: &str) -> Result<(), ConfigError> {
        let at = |needle: &str| text.find(needle).map(|start| start..start + needle.len());
        let mut seen = std::collections::HashSet::new();
        for language in &self.languages {
            if !is_language_code(&language.code) {
                return Err(ConfigError {
                    message: format!(
                        "`{}` is not a language code: use the two- or three-letter lower-case code (`fr`, `ar`, `zh`)",
                        language.code
                    ),
                    range: at(&format!("\"{}\"", language.code)),
                    help: "write the language's code, like `fr` for French or `ar` for Arabic; its name goes in `name`".into(),
                });
            }
            if !seen.insert(language.code.clone()) {
                return Err(ConfigError {
                    message: format!("language `{}` is declared twice", language.code),
                    range: text
                        .rfind(&format!("\"{}\"", language.code))
                        .map(|s| s..s + language.code.len() + 2),
                    help: "remove one of the two `[[languages]]` entries".into(),
                });
            }
        }
        if !self.languages.is_empty() && self.language_index(&self.default_language).is_none() {
            return Err(ConfigError {
                message: format!(
                    "the default language `{}` is not among `[[languages]]` ({})",
                    self.default_language,
                    self.languages
                        .iter()
                        .map(|l| format!("`{}`", l.code))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                range: at("default_language"),
                help: format!(
                    "add a `[[languages]]` entry with `code = \"{}\"`, or make `default_language` one of these",
                    self.default_language
                ),
            });
        }
        self.order_languages();
        Ok(())
    }

    /// Names each language without a name by its code and puts the default first, adding it
    /// when it is not declared.
    fn order_languages(&mut self) {
        for language in &mut self.languages {
            if language.name.is_empty() {
                language.name = language.code.clone();
            }
        }
        let default = match self.language_index(&self.default_language) {
            Some(i) => self.languages.remove(i),
            None => Language {
                code: self.default_language.clone(),
                name: self.default_language.clone(),
                direction: Direction::Ltr,
                title: None,
                description: None,
            },
        };
        self.languages.insert(0, default);
    }

    /// The language with this code, by its position: 0 is the default.
    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(ConfigError {
                message: format!(
                    "`base_url` must be an absolute URL or start with `/`, found `{}`",
                    self.base_url
                ),
                range: None,
                help: "write the address the site will be published at, like `https://example.org/insop/`, or its path, like `/insop/`".into(),
            });
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = if self.base_url.contains("://") {
            without_scheme
                .find('/')
                .map_or("/", |i| &without_scheme[i..])
        } else {
            without_scheme
        };
        let mut path = path.trim_end_matches('/').to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        path.push('/');
        path.replace("//", "/")
    }

    /// `base_url` with exactly one trailing slash, for absolute links (canonical, sitemap).
    pub fn absolute_base(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

/// Takes out of `table` the entry that the problem at byte `at` is in, the innermost one: a key
/// (`defualt_language = …`, `dirction` inside a `[[languages]]`), or an element of an array (a
/// `[[languages]]` without its `code`). A key is renamed `meant` instead, when that is given and
/// free. `false` when no entry is there.
fn take_out(table: &mut toml::de::DeTable, at: usize, meant: Option<&str>) -> bool {
    use toml::de::DeValue;
    let mut blamed = None;
    for (key, value) in table.iter_mut() {
        // The key first: the header of a `[[language]]` holds its key.
        let inner = !key.span().contains(&at)
            && match value.get_mut() {
                DeValue::Table(inner) => take_out(inner, at, meant),
                DeValue::Array(items) => take_out_item(items, at, meant),
                _ => false,
            };
        if inner {
            return true;
        }
        if key.span().contains(&at) || value.span().contains(&at) {
            blamed = Some((key.span(), key.get_ref().to_string()));
            break;
        }
    }
    let Some((span, key)) = blamed else {
        return false;
    };
    let Some(value) = table.remove(key.as_str()) else {
        return false;
    };
    let Some(meant) = meant else {
        return true;
    };
    match table.get_mut(meant).map(|v| v.get_mut()) {
        None => {
            let key = toml::Spanned::new(span, std::borrow::Cow::Owned(meant.to_string()));
            table.insert(key, value);
        }
        // One `[[language]]` among `[[languages]]`: one more of them, in the order written.
        Some(DeValue::Array(items)) => {
            if let DeValue::Array(more) = value.into_inner() {
                let mut all: Vec<_> = items.iter().chain(more.iter()).cloned().collect();
                all.sort_by_key(|item| item.span().start);
                let mut merged = toml::de::DeArray::new();
                all.into_iter().for_each(|item| merged.push(item));
                *items = merged;
            }
        }
        Some(_) => {}
    }
    true
}

/// [`take_out`] in an array: in a table of it, or the element itself.
fn take_out_item(items: &mut toml::de::DeArray, at: usize, meant: Option<&str>) -> bool {
    use toml::de::DeValue;
    let mut blamed = None;
    for (i, item) in items.iter_mut().enumerate() {
        if let DeValue::Table(inner) = item.get_mut()
            && take_out(inner, at, meant)
        {
            return true;
        }
        if item.span().contains(&at) {
            blamed = Some(i);
            break;
        }
    }
    let Some(blamed) = blamed else {
        return false;
    };
    let mut kept = toml::de::DeArray::new();
    for (i, item) in items.iter().enumerate() {
        if i != blamed {
            kept.push(item.clone());
        }
    }
    *items = kept;
    true
}

/// Two or three lower-case ASCII letters: the codes a file name suffix may carry.
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("title = \"x\"\nbase_ur = \"/\"\n").unwrap_err();
        assert!(
            err.message.contains("unknown field `base_ur`"),
            "{}",
            err.message
        );
        assert_eq!(err.range, Some(12..19));
    }

    #[test]
    fn languages_put_the_default_first() {
        let config = Config::parse(
            "default_language = \"fr\"\n[[languages]]\ncode = \"ar\"\ndirection = \"rtl\"\n[[languages]]\ncode = \"fr\"\nname = \"Français\"\n",
        )
        .unwrap();
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["fr", "ar"]);
        assert_eq!(config.languages[1].direction, Direction::Rtl);
        assert_eq!(config.languages[1].name, "ar");
        assert_eq!(Config::parse("").unwrap().languages[0].code, "en");
        let err = Config::parse("[[languages]]\ncode = \"fr\"\n").unwrap_err();
        assert!(
            err.message.contains("default language `en`"),
            "{}",
            err.message
        );
        let err = Config::parse("[[languages]]\ncode = \"en\"\n[[languages]]\ncode = \"en\"\n")
            .unwrap_err();
        assert!(err.message.contains("declared twice"), "{}", err.message);
        assert!(Config::parse("[[languages]]\ncode = \"French\"\n").is_err());
    }

    #[test]
    fn base_path_of_urls() {
        let with = |u: &str| Config {
            base_url: u.into(),
            ..Config::default()
        };
        assert_eq!(with("https://example.org").base_path(), "/");
        assert_eq!(
            with("https://example.org/insop/manual").base_path(),
            "/insop/manual/"
        );
        assert_eq!(with("/docs/").base_path(), "/docs/");
    }

    /// The codes of a salvaged config's languages, default first.
    fn salvaged(text: &str) -> (Vec<String>, Config) {
        assert!(Config::parse(text).is_err(), "{text}");
        let config = Config::salvage(text);
        assert!(!config.is_whole());
        let codes = config.languages.iter().map(|l| l.code.clone()).collect();
        (codes, config)
    }

    const LANGUAGES: &str = "[[languages]]\ncode = \"en\"\n[[languages]]\ncode = \"fr\"\n[[languages]]\ncode = \"ar\"\ndirection = \"rtl\"\n";

    #[test]
    fn a_misspelt_key_is_salvaged_as_the_key_it_most_likely_is() {
        let (codes, config) = salvaged(&format!(
            "title = \"T\"\ndefualt_language = \"fr\"\n{LANGUAGES}"
        ));
        assert_eq!(
            codes,
            ["fr", "en", "ar"],
            "the default read from the misspelt key"
        );
        assert_eq!(config.title, "T");
        let (codes, config) = salvaged(&LANGUAGES.replace("direction", "dirction"));
        assert_eq!(codes, ["en", "fr", "ar"]);
        assert_eq!(config.languages[2].direction, Direction::Rtl);
        // One `[[language]]` among `[[languages]]` joins them where it was written.
        let (codes, _) = salvaged(&LANGUAGES.replacen("[[languages]]", "[[language]]", 1));
        assert_eq!(codes, ["en", "fr", "ar"]);
        let last = LANGUAGES.rfind("[[languages]]").unwrap();
        let (codes, config) = salvaged(&format!(
            "{}[[language]]{}",
            &LANGUAGES[..last],
            &LANGUAGES[last + "[[languages]]".len()..]
        ));
        assert_eq!(codes, ["en", "fr", "ar"]);
        assert_eq!(config.languages[2].direction, Direction::Rtl);
        let (codes, _) = salvaged(&LANGUAGES.replace("[[languages]]", "[[language]]"));
        assert_eq!(codes, ["en", "fr", "ar"]);
        let (codes, _) = salvaged(&LANGUAGES.replacen("code = \"fr\"", "cod = \"fr\"", 1));
        assert_eq!(codes, ["en", "fr", "ar"]);
    }

    #[test]
    fn what_cannot_be_read_is_left_out_and_the_rest_kept() {
        // A language without a code goes; the others stay.
        let (codes, _) = salvaged(&LANGUAGES.replacen("code = \"fr\"", "name = \"F\"", 1));
        assert_eq!(codes, ["en", "ar"]);
        let (codes, _) = salvaged(&LANGUAGES.replacen("\"fr\"", "\"French\"", 1));
        assert_eq!(codes, ["en", "ar"]);
        // A default that is not declared is added, not replaced by the first language.
        let (codes, _) = salvaged(&format!(
            "default_language = \"de\"\nbase_url = 3\n{LANGUAGES}"
        ));
        assert_eq!(codes, ["de", "en", "fr", "ar"]);
        // A broken line of TOML: what the parser recovers around it.
        let (codes, config) = salvaged(&format!("title = \"T\n{LANGUAGES}"));
        assert_eq!(codes, ["en", "fr", "ar"]);
        assert_eq!(config.base_url, "/");
        let (codes, _) = salvaged("= = =");
        assert_eq!(codes, ["en"]);
    }

    #[test]
    fn every_config_error_says_what_to_do() {
        let help = |text: &str| Config::parse(text).unwrap_err().help;
        assert_eq!(help("titel = \"x\"\n"), "did you mean `title`?");
        assert_eq!(
            help("[[languages]]\ncode = \"ar\"\ndirection = \"rtll\"\n"),
            "did you mean `rtl`?"
        );
        assert_eq!(
            help("[[languages]]\nname = \"x\"\n"),
            "add `code = …` to this table"
        );
        assert_eq!(help("title = \"x\n"), "close the quote on this line");
        assert!(help("zzzzzz = 1\n").starts_with("remove this key"));
        assert!(help("title = = 1\n").starts_with("each setting is `key = value`"));
    }
}
