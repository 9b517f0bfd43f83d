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

/// A located problem in `pedon.toml`.
#[derive(Debug)]
pub struct ConfigError {
    pub message: String,
    pub range: Option<std::ops::Range<usize>>,
}

impl Config {
    /// Parses `pedon.toml` text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().trim().to_string(),
            range: e.span(),
        })?;
        let mut config = config;
        config.validate()?;
        config.complete_languages(text)?;
        Ok(config)
    }

    /// What can be read of `pedon.toml` text that [`Config::parse`] refuses, for checking the rest
    /// of the site against what the editor meant rather than against the defaults: a misspelt
    /// key is left out and everything around it kept, so that the site's languages do not vanish
    /// with it. Entries the parser blames are removed one by one until the rest reads; languages
    /// that are not codes or are declared twice are left out, and the first language is the
    /// default when the default is not among them.
    pub fn salvage(text: &str) -> Config {
        let (mut table, _syntax_errors) = toml::de::DeTable::parse_recoverable(text);
        let mut config = loop {
            let parsed = Config::deserialize(toml::de::Deserializer::from(table.clone()));
            match parsed {
                Ok(config) => break config,
                Err(e) => {
                    let blamed = e
                        .span()
                        .is_some_and(|at| remove_at(table.get_mut(), at.start));
                    if !blamed {
                        break Config::default();
                    }
                }
            }
        };
        if config.validate().is_err() {
            config.base_url = Config::default().base_url;
        }
        let mut seen = std::collections::HashSet::new();
        config
            .languages
            .retain(|l| is_language_code(&l.code) && seen.insert(l.code.clone()));
        if let Some(first) = config.languages.first()
            && config.language_index(&config.default_language).is_none()
        {
            config.default_language = first.code.clone();
        }
        if config.complete_languages(text).is_err() {
            config.languages = Config::default().languages;
            config.default_language = Config::default().default_language;
        }
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
        for language in &mut self.languages {
            if !is_language_code(&language.code) {
                return Err(ConfigError {
                    message: format!(
                        "`{}` is not a language code: use the two- or three-letter lower-case code (`fr`, `ar`, `zh`)",
                        language.code
                    ),
                    range: at(&format!("\"{}\"", language.code)),
                });
            }
            if !seen.insert(language.code.clone()) {
                return Err(ConfigError {
                    message: format!("language `{}` is declared twice", language.code),
                    range: text
                        .rfind(&format!("\"{}\"", language.code))
                        .map(|s| s..s + language.code.len() + 2),
                });
            }
            if language.name.is_empty() {
                language.name = language.code.clone();
            }
        }
        match self
            .languages
            .iter()
            .position(|l| l.code == self.default_language)
        {
            Some(i) => {
                let default = self.languages.remove(i);
                self.languages.insert(0, default);
            }
            None if self.languages.is_empty() => self.languages.push(Language {
                code: self.default_language.clone(),
                name: self.default_language.clone(),
                direction: Direction::Ltr,
                title: None,
                description: None,
            }),
            None => {
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
                });
            }
        }
        Ok(())
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

/// Removes from `table` the entry that the problem at byte `at` is in, the innermost one: a key
/// (`defualt_language = …`, `dirction` inside a `[[languages]]`), or an element of an array (a
/// `[[languages]]` without its `code`). `false` when no entry is there.
fn remove_at(table: &mut toml::de::DeTable, at: usize) -> bool {
    use toml::de::DeValue;
    let mut blamed = None;
    for (key, value) in table.iter_mut() {
        let inner = match value.get_mut() {
            DeValue::Table(inner) => remove_at(inner, at),
            DeValue::Array(items) => remove_item_at(items, at),
            _ => false,
        };
        if inner {
            return true;
        }
        if key.span().contains(&at) || value.span().contains(&at) {
            blamed = Some(key.get_ref().to_string());
            break;
        }
    }
    blamed.is_some_and(|key| table.remove(key.as_str()).is_some())
}

/// [`remove_at`] in an array: in a table of it, or the element itself.
fn remove_item_at(items: &mut toml::de::DeArray, at: usize) -> bool {
    use toml::de::DeValue;
    let mut blamed = None;
    for (i, item) in items.iter_mut().enumerate() {
        if let DeValue::Table(inner) = item.get_mut()
            && remove_at(inner, at)
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
}
