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
    /// Language of pages that do not name one in their file name (`chapter.fr.md`).
    pub default_language: String,
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
}

/// `[print]`: the sections printed as one book.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintConfig {
    /// Section folders under `content/` (`manual`, `sops`): each gets a `print.html` with all its
    /// pages in reading order, for printing or saving as PDF.
    pub sections: Vec<String>,
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
            theme: "insop".into(),
            repository: None,
            version: None,
            print: PrintConfig::default(),
            file: None,
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
        config.validate()?;
        Ok(config)
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
