//! HTML and XML written in Rust (the sidebar, threshold tables, charts, code blocks, image tags,
//! feeds, the sitemap) go through [`Html`], which escapes every text and attribute value unless
//! it is handed [`Trusted`] markup. Only literal markup (`&'static str`) and attribute names are
//! written as they are, so data from a page or a data file cannot reach the output unescaped by
//! forgetting a call.
//!
//! The escaping is pulldown-cmark's (`& < > " '`), the same as the Markdown's and, through
//! [`escape`], the templates', so a title is written the same wherever it appears. A writer of
//! our own rather than a templating crate: maud, the one that escapes by default, leaves `'` as
//! it is, which would change every page whose text has an apostrophe; `html-escape` and
//! `v_htmlescape` only escape strings, which is what `pulldown-cmark-escape` already does.

use std::fmt::{self, Write};

/// Markup that is already HTML: made by an [`Html`] writer, escaped text, or the output of a
/// library that escapes what it writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Trusted(String);

impl Trusted {
    /// `text` escaped: for a piece written many times (a sitemap's base URL) escaped once.
    pub fn escape(text: &str) -> Trusted {
        Trusted(escape(text))
    }

    /// Markup from a library that escapes its input: the highlighter's spans, pulldown-cmark's
    /// HTML. Every call says why its input is safe.
    pub fn assume(html: String) -> Trusted {
        Trusted(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An HTML or XML document or fragment being written. Text and attribute values are escaped;
/// markup is either literal or [`Trusted`].
#[derive(Debug, Default)]
pub struct Html(String);

impl Html {
    pub fn with_capacity(bytes: usize) -> Html {
        Html(String::with_capacity(bytes))
    }

    /// Starts an element: `<name`, then its attributes, then `>` ([`StartTag::end`]) or `/>`.
    pub fn open(&mut self, name: &'static str) -> StartTag<'_> {
        self.0.push('<');
        self.0.push_str(name);
        StartTag(self)
    }

    /// `</name>`.
    pub fn close(&mut self, name: &'static str) -> &mut Html {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
        self
    }

    /// An element holding only text: `<name>text</name>`.
    pub fn element(&mut self, name: &'static str, text: &str) -> &mut Html {
        self.open(name).end().text(text).close(name)
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        escape_into(&mut self.0, text);
        self
    }

    /// Formatted text, escaped as it is written: `format_args!("{n} values")`.
    pub fn text_fmt(&mut self, text: fmt::Arguments) -> &mut Html {
        let _ = Escaping(&mut self.0).write_fmt(text);
        self
    }

    /// Markup written in the source. A `&'static str` cannot carry a page's or a data file's text.
    pub fn markup(&mut self, markup: &'static str) -> &mut Html {
        self.0.push_str(markup);
        self
    }

    /// Markup that is already HTML.
    pub fn raw(&mut self, html: &Trusted) -> &mut Html {
        self.0.push_str(&html.0);
        self
    }

    pub fn finish(self) -> Trusted {
        Trusted(self.0)
    }
}

/// An element's start tag being written: attributes, then [`StartTag::end`] or
/// [`StartTag::end_empty`].
#[must_use = "a start tag is left open until `end` or `end_empty`"]
pub struct StartTag<'h>(&'h mut Html);

impl<'h> StartTag<'h> {
    /// ` name="value"`, the value escaped.
    pub fn attr(mut self, name: &'static str, value: &str) -> StartTag<'h> {
        escape_into(self.value_of(name), value);
        self.0.0.push('"');
        self
    }

    /// ` name="value"`, the formatted value escaped as it is written.
    pub fn attr_fmt(mut self, name: &'static str, value: fmt::Arguments) -> StartTag<'h> {
        let _ = Escaping(self.value_of(name)).write_fmt(value);
        self.0.0.push('"');
        self
    }

    /// The attribute when there is a value.
    pub fn attr_opt(self, name: &'static str, value: Option<&str>) -> StartTag<'h> {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// The attribute when `when` holds.
    pub fn attr_if(self, when: bool, name: &'static str, value: &str) -> StartTag<'h> {
        if when { self.attr(name, value) } else { self }
    }

    /// ` name="url"` as pulldown-cmark writes `href` and `src`: characters unsafe in a URL
    /// percent-encoded, `&` and `'` as entities.
    pub fn url(mut self, name: &'static str, url: &str) -> StartTag<'h> {
        let _ = pulldown_cmark_escape::escape_href(self.value_of(name), url);
        self.0.0.push('"');
        self
    }

    /// `>`.
    pub fn end(self) -> &'h mut Html {
        self.0.0.push('>');
        self.0
    }

    /// `/>`, for XML and SVG elements without content.
    pub fn end_empty(self) -> &'h mut Html {
        self.0.0.push_str("/>");
        self.0
    }

    /// Writes ` name="` and returns the buffer for the value.
    fn value_of(&mut self, name: &'static str) -> &mut String {
        let out = &mut self.0.0;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out
    }
}

/// HTML-escapes text for element content and attribute values: `& < > " '`. Slashes are left
/// alone (Tera's default escapes them too, which only bloats URLs). Tera's templates use it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).expect("writing to a String");
}

/// A `fmt::Write` that escapes what is written through it.
struct Escaping<'a>(&'a mut String);

impl Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_into(self.0, s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "<a href=\"x\">Tom & Jerry's</a>";
    const ESCAPED: &str = "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;";

    fn written(write: impl FnOnce(&mut Html)) -> String {
        let mut html = Html::default();
        write(&mut html);
        html.finish().into_string()
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            written(|h| {
                h.text(NASTY);
            }),
            ESCAPED
        );
        assert_eq!(escape(NASTY), ESCAPED);
        assert_eq!(Trusted::escape(NASTY).as_str(), ESCAPED);
    }

    #[test]
    fn formatted_text_is_escaped() {
        let html = written(|h| {
            h.text_fmt(format_args!("1 < 2: {NASTY}"));
        });
        assert_eq!(html, format!("1 &lt; 2: {ESCAPED}"));
    }

    #[test]
    fn an_element_escapes_its_text() {
        let html = written(|h| {
            h.element("title", NASTY);
        });
        assert_eq!(html, format!("<title>{ESCAPED}</title>"));
    }

    #[test]
    fn attribute_values_are_escaped() {
        let html = written(|h| {
            h.open("td")
                .attr("title", NASTY)
                .attr_fmt("data-v", format_args!("{NASTY}!"))
                .attr_opt("lang", Some(NASTY))
                .attr_opt("dir", None)
                .attr_if(true, "class", NASTY)
                .attr_if(false, "id", NASTY)
                .end_empty();
        });
        assert_eq!(
            html,
            format!(
                "<td title=\"{ESCAPED}\" data-v=\"{ESCAPED}!\" lang=\"{ESCAPED}\" class=\"{ESCAPED}\"/>"
            )
        );
    }

    #[test]
    fn urls_are_written_as_pulldown_cmark_writes_links() {
        let html = written(|h| {
            h.open("img").url("src", "a b/<x>\"&'.png").end();
        });
        assert_eq!(html, "<img src=\"a%20b/%3Cx%3E%22&amp;&#x27;.png\">");
    }

    #[test]
    fn only_literal_and_trusted_markup_is_written_as_it_is() {
        let inner = written(|h| {
            h.open("b").end().text(NASTY).close("b");
        });
        let html = written(|h| {
            h.markup("<p>")
                .raw(&Trusted::assume(inner.clone()))
                .close("p");
        });
        assert_eq!(html, format!("<p><b>{ESCAPED}</b></p>"));
    }
}
