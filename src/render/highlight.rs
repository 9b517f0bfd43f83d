//! Code highlighting with syntect, as CSS classes (never inline styles): one stylesheet serves
//! light and dark mode and pages stay small. The syntax set is loaded once per process.
//!
//! syntect's R grammar lists R's builtin functions as six alternations of up to 13,000
//! characters, which Oniguruma tries one word after another wherever a name is followed by `(`:
//! R code highlighted at about 300 µs a line, five times the other languages, and was half the
//! highlighting of the benchmark manual. [`tuned`] rewrites such lists as prefix trees, which match
//! exactly what the lists match. Building that set takes about 0.2 s, so it is built in the
//! background the first time R code is seen and used once ready; until then the default set
//! gives the same HTML.

use std::collections::BTreeMap;
use std::sync::{Once, OnceLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::syntax_definition::Pattern;
use syntect::parsing::{Regex, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Alternations shorter than this are left as they are: tries only pay off on long lists.
const LONG_LIST: usize = 1000;

fn default_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

static TUNED: OnceLock<SyntaxSet> = OnceLock::new();

/// The tuned set once it is built, else the default one (and starts building the tuned set if
/// `lang` is one whose grammar it speeds up).
fn syntaxes(lang: &str) -> &'static SyntaxSet {
    if let Some(set) = TUNED.get() {
        return set;
    }
    if lang.eq_ignore_ascii_case("r") {
        static START: Once = Once::new();
        START.call_once(|| {
            std::thread::spawn(|| TUNED.get_or_init(tuned));
        });
    }
    default_syntaxes()
}

/// Highlighted HTML for the inside of `<code>`, or `None` when the language is unknown (the
/// caller then escapes the text as plain code).
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    highlight_with(syntaxes(lang), code, lang)
}

fn highlight_with(set: &SyntaxSet, code: &str, lang: &str) -> Option<String> {
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on some input falls back to plain text for the whole block.
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The default grammars with every long list of names followed by `(` written as a prefix tree.
/// The syntaxes keep their order, so the links between them (resolved to indices) stay valid.
fn tuned() -> SyntaxSet {
    let builder = SyntaxSet::load_defaults_newlines().into_builder();
    let mut tuned = SyntaxSetBuilder::new();
    for syntax in builder.syntaxes() {
        let mut syntax = syntax.clone();
        for context in syntax.contexts.values_mut() {
            for pattern in &mut context.patterns {
                if let Pattern::Match(m) = pattern
                    && let Some(faster) = as_tree(m.regex.regex_str())
                {
                    m.regex = Regex::new(faster);
                }
            }
        }
        tuned.add(syntax);
    }
    tuned.build()
}

/// `\b(name|name|…)\s*(\(…` with a long list of plain names, as `\b(TREE)\s*(\(…`. Only this
/// shape: a name followed by optional space and `(` cannot also be the start of a longer name
/// of the list, so at most one name matches at a place, and the tree (which tries longer names
/// first) matches what the list (tried in order) matches.
fn as_tree(regex: &str) -> Option<String> {
    let body = regex.strip_prefix("\\b(")?;
    let (list, rest) = body.split_once(')')?;
    if list.len() < LONG_LIST || !rest.starts_with("\\s*(\\(") {
        return None;
    }
    let names: Vec<String> = list.split('|').map(|n| n.replace("\\.", ".")).collect();
    let plain = |n: &String| {
        !n.is_empty() && (n.chars()).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    if !names.iter().all(plain) {
        return None;
    }
    let mut root = Node::default();
    for name in &names {
        name.chars()
            .fold(&mut root, |node, c| node.next.entry(c).or_default())
            .ends = true;
    }
    let mut tree = String::with_capacity(list.len());
    root.write(&mut tree);
    Some(format!("\\b({tree}){rest}"))
}

#[derive(Default)]
struct Node {
    /// A name of the list ends here.
    ends: bool,
    next: BTreeMap<char, Node>,
}

impl Node {
    /// `(?:a…|b…)`, optional where a name also ends here; a single way on is written as it is.
    fn write(&self, out: &mut String) {
        if self.next.is_empty() {
            return;
        }
        if !self.ends
            && self.next.len() == 1
            && let Some((&c, node)) = self.next.iter().next()
        {
            push_char(out, c);
            return node.write(out);
        }
        out.push_str("(?:");
        for (i, (&c, node)) in self.next.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            push_char(out, c);
            node.write(out);
        }
        out.push(')');
        if self.ends {
            out.push('?');
        }
    }
}

fn push_char(out: &mut String, c: char) {
    if c == '.' {
        out.push('\\');
    }
    out.push(c);
}

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
/// Made once per process: `pedon serve` writes it on every rebuild.
pub fn stylesheet() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(make_stylesheet)
}

fn make_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    format!(
        "/* Generated by Pedon from syntect themes. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_not_styles() {
        let html = highlight("{\"a\": 1}\n", "json").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn names_become_a_tree_that_tries_longer_names_first() {
        let list = ["all", "all\\.equal", "abs", "any"].join("|");
        let padded = format!("{list}|{}", vec!["zz"; LONG_LIST].join("|"));
        let tree = as_tree(&format!("\\b({padded})\\s*(\\()")).unwrap();
        assert!(
            tree == "\\b((?:a(?:bs|ll(?:\\.equal)?|ny)|zz))\\s*(\\()",
            "{tree}"
        );
        // Other shapes are left alone.
        assert_eq!(as_tree(&format!("\\b({padded})\\b")), None);
        assert_eq!(as_tree("\\b(a|b)\\s*(\\()"), None);
    }

    /// What the tuned set is for: the same HTML, faster. R code that calls builtins (some of
    /// which are prefixes of others), user functions, and names that only start like builtins.
    #[test]
    fn tuned_grammars_highlight_r_exactly_as_the_default_ones() {
        let code = "x <- mean(df$cd, na.rm = TRUE)\n\
                    all.equal(x, y); all (z)\n\
                    allx(1) + abs(-2) + as.numeric(\"3\")\n\
                    f <- function(a) { sapply(a, sqrt) }\n\
                    summary(lm(y ~ x, data = d))\n";
        let tuned = tuned();
        let fast = highlight_with(&tuned, code, "r").unwrap();
        let slow = highlight_with(default_syntaxes(), code, "r").unwrap();
        assert_eq!(fast, slow);
        assert!(fast.contains("hl-support"), "builtins are marked: {fast}");
    }
}
