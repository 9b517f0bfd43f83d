//! Markdown to HTML for one page: pulldown-cmark events with the model's heading ids and resolved
//! links swapped in, code blocks highlighted, tables wrapped for narrow screens.

use super::highlight;
use super::html::{Html, Trusted};
use super::shown::View;
use crate::load::document::{self, AltText, InImage};
use crate::model::{Page, Site, Target};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd, html};
use rustc_hash::FxHashMap;
use std::sync::Mutex;

/// Relative URL from output path `from` to output path `to`: pages link to each other relatively so
/// that one output works under any sub-path and from `file://`.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    url
}

/// The URL a resolved link is written as, from `page`.
pub fn target_url(site: &Site, page: &Page, target: &Target, original: &str) -> String {
    match target {
        Target::External | Target::Broken => original.to_string(),
        Target::Fragment(f) => format!("#{f}"),
        Target::Asset(rel) => relative_url(&page.url, rel),
        Target::Page(id, fragment) => {
            let mut url = relative_url(&page.url, &site.page(*id).url);
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(f);
            }
            url
        }
    }
}

/// Renders the body of `page` to HTML. Its threshold tables link to database pages as `view`
/// shows them.
pub fn render(site: &Site, view: &View, page: &Page) -> String {
    let Some(file) = page.file else {
        return String::new();
    };
    render_text(
        site,
        view,
        page,
        &site.sources.get(file).read_range(page.body.clone()),
    )
}

/// [`render`], with the page's body as `text`: an edit's, not yet in the site's sources.
pub(super) fn render_text(site: &Site, view: &View, page: &Page, text: &str) -> String {
    let mut headings = page.doc.headings.iter();
    let locale = site.locale(page);
    let anchor_label = locale.t("link_to_section");
    let table_label = locale.t("table");
    // Where a link or image starts in the file: the key of its target.
    let at = |range: std::ops::Range<usize>| page.body.start + range.start;
    let mut alt_text = AltText::default();
    let mut image: Option<Image> = None;
    let mut code: Option<(String, String)> = None;
    let mut tables = page.tables.iter();
    let mut current_heading: Option<String> = None;
    // The text of the last heading, to name the tables under it.
    let mut section: Option<String> = None;
    let mut events = Vec::new();

    for (event, range) in Parser::new_ext(text, document::options()).into_offset_iter() {
        // An image is written at its end, once its alt text is read.
        match (alt_text.step(&event), &event) {
            (InImage::Outside, _) => {}
            (
                InImage::Opens,
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }),
            ) => {
                let (src, target) = link_url(site, page, at(range), dest_url);
                image = Some(Image {
                    size: target.and_then(|t| image_size(site, t)),
                    src,
                    title: title.to_string(),
                    alt: String::new(),
                });
                continue;
            }
            (InImage::Closes, _) => {
                if let Some(img) = image.take() {
                    events.push(Event::Html(CowStr::from(img.html())));
                }
                continue;
            }
            (InImage::Inside, Event::Text(t) | Event::Code(t)) => {
                if let Some(img) = &mut image {
                    img.alt.push_str(t);
                }
                continue;
            }
            // The rest of an image's description, links and images in it included, is not
            // written: CommonMark makes it plain alt text.
            _ => continue,
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let heading = headings.next();
                let id = heading.map(|h| h.id.clone()).unwrap_or_default();
                section = heading.map(|h| h.text.clone());
                current_heading = Some(id.clone());
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(id) = current_heading.take() {
                    let mut html = Html::default();
                    (html.open("a"))
                        .attr("class", "anchor")
                        .attr_fmt("href", format_args!("#{id}"))
                        .attr("aria-label", anchor_label)
                        .end()
                        .markup("#</a>");
                    events.push(Event::Html(CowStr::from(html.finish().into_string())));
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest, _) = link_url(site, page, at(range), &dest_url);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buf)) = code.take() {
                    let html = if lang == document::THRESHOLDS_BLOCK {
                        match tables.next() {
                            Some(Some(filter)) => {
                                super::thresholds::block_table(view, page, filter).into_string()
                            }
                            _ => view.code_blocks().get("yaml", &buf),
                        }
                    } else {
                        view.code_blocks().get(&lang, &buf)
                    };
                    events.push(Event::Html(CowStr::from(html)));
                }
            }
            Event::Start(Tag::Table(align)) => {
                // A wide table scrolls inside its wrapper: keyboard users reach it with Tab.
                let mut html = Html::default();
                let div = (html.open("div"))
                    .attr("class", "table-wrap")
                    .attr("role", "region")
                    .attr("tabindex", "0");
                match &section {
                    Some(text) => div.attr_fmt("aria-label", format_args!("{table_label}: {text}")),
                    None => div.attr("aria-label", table_label),
                }
                .end();
                events.push(Event::Html(CowStr::from(html.finish().into_string())));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>")));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// The URL the link or image that starts at byte `at` of `page`'s file is written with, and its
/// target. The model scanned the same text, so every link has a target; one without is written
/// as it was (`written`), as a broken link is.
fn link_url<'a>(
    site: &Site,
    page: &'a Page,
    at: usize,
    written: &str,
) -> (String, Option<&'a Target>) {
    match page.targets.get(at) {
        Some(target) => (target_url(site, page, target, written), Some(target)),
        None => (written.to_string(), None),
    }
}

/// An image being rendered: its alt text is the text events up to its end.
struct Image {
    src: String,
    title: String,
    alt: String,
    size: Option<(usize, usize)>,
}

impl Image {
    /// Width and height let the browser keep the image's place before it loads (no layout
    /// shift on a slow connection); `loading="lazy"` spares metered readers images never seen.
    fn html(&self) -> String {
        let mut html = Html::default();
        let img = (html.open("img"))
            .url("src", &self.src)
            .attr("alt", &self.alt)
            .attr_if(!self.title.is_empty(), "title", &self.title);
        let img = match self.size {
            Some((w, h)) => img
                .attr_fmt("width", format_args!("{w}"))
                .attr_fmt("height", format_args!("{h}")),
            None => img,
        };
        img.attr("loading", "lazy").attr("decoding", "async").end();
        html.finish().into_string()
    }
}

/// The pixel size of an image of the site, read from its header.
fn image_size(site: &Site, target: &Target) -> Option<(usize, usize)> {
    let Target::Asset(rel) = target else {
        return None;
    };
    let asset = site.assets.iter().find(|a| a.rel == *rel)?;
    let size = imagesize::size(&asset.path).ok()?;
    Some((size.width, size.height))
}

/// Markdown from a data file (country notes): rendered, but raw HTML is shown as text, so data
/// can never inject markup into a page.
pub fn render_untrusted(text: &str) -> Trusted {
    let events = Parser::new_ext(text, document::options()).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    // pulldown-cmark escapes text, and the raw HTML was turned into text above.
    Trusted::assume(out)
}

/// Code blocks already made, by language and code, while a site of more than one language is
/// rendered: a page's code shows again, unchanged, in its translations and its fallbacks, and
/// highlighting is the largest part of rendering. A site in one language shows each block once
/// and keeps none, so that memory does not grow with it.
#[derive(Debug, Default)]
pub struct CodeBlocks(Option<Mutex<FxHashMap<String, String>>>);

impl CodeBlocks {
    pub fn for_languages(languages: usize) -> CodeBlocks {
        CodeBlocks((languages > 1).then(Mutex::default))
    }

    /// The HTML of a code block, made once.
    pub fn get(&self, lang: &str, code: &str) -> String {
        let Some(memo) = &self.0 else {
            return code_block(lang, code);
        };
        // An info string is one line: the first line break ends the language.
        let key = format!("{lang}\n{code}");
        let lock = || {
            memo.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(html) = lock().get(&key) {
            return html.clone();
        }
        let html = code_block(lang, code);
        lock().insert(key, html.clone());
        html
    }
}

fn code_block(lang: &str, code: &str) -> String {
    let body = if lang.is_empty() {
        None
    } else {
        highlight::highlight(code, lang)
    };
    let mut html = Html::with_capacity(code.len() * 2 + 80);
    let pre = html.open("pre");
    let pre = match body {
        Some(_) => pre.attr("class", "code hl-code"),
        None => pre.attr("class", "code"),
    };
    let code_tag = pre
        .attr_if(!lang.is_empty(), "data-lang", lang)
        .end()
        .open("code");
    match lang {
        "" => code_tag.end(),
        lang => code_tag
            .attr_fmt("class", format_args!("language-{lang}"))
            .end(),
    };
    match body {
        // syntect's ClassedHTMLGenerator escapes the code it wraps in spans.
        Some(highlighted) => html.raw(&Trusted::assume(highlighted)),
        None => html.text(code),
    };
    html.markup("</code></pre>\n");
    html.finish().into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code block made once and taken again is the block made anew; a site in one language
    /// keeps none.
    #[test]
    fn a_code_block_kept_for_other_languages_is_the_block_made_anew() {
        let code = "x <- mean(cd) # <b>\n";
        let memo = CodeBlocks::for_languages(6);
        for lang in ["r", "r", "", "nope", "r"] {
            assert_eq!(memo.get(lang, code), code_block(lang, code), "{lang}");
        }
        let kept = memo.0.as_ref().unwrap().lock().unwrap();
        assert_eq!(kept.len(), 3, "one per language and code");
        assert!(CodeBlocks::for_languages(1).0.is_none());
    }

    #[test]
    fn relative_urls_climb_out_of_folders() {
        assert_eq!(relative_url("index.html", "manual/a.html"), "manual/a.html");
        assert_eq!(
            relative_url("manual/a.html", "sops/b.html"),
            "../sops/b.html"
        );
        assert_eq!(relative_url("manual/a.html", "index.html"), "../index.html");
        assert_eq!(relative_url("manual/a.html", "manual/b.html"), "b.html");
        assert_eq!(relative_url("a/b/c.html", "a/d.html"), "../d.html");
        assert_eq!(relative_url("manual/a.html", ""), "../");
    }

    /// Writes `files` (path from the site root, content) into a new site and renders the page at
    /// content path `rel`.
    fn render_page(files: &[(&str, &[u8])], rel: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let site = crate::model::build_for_tests(dir.path());
        render(&site, &View::of(&site), site.page(site.by_rel[rel]))
    }

    /// The header of a 1×1 PNG: all that is read of an image is its size.
    const PNG_1X1: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    #[test]
    fn an_image_whose_alt_text_has_a_link_keeps_its_own_destination() {
        // The link in the alt text is text (CommonMark); it once took the image's place in the
        // pairing of links with targets, giving the image the link's URL and leaving an `<a>`
        // open around it.
        let html = render_page(
            &[
                (
                    "content/manual/page.md",
                    b"---\ntitle: P\n---\n![see [x](other.md)](/images/pic.png) then [next](other.md#part).\n",
                ),
                ("content/manual/other.md", b"---\ntitle: O\n---\n## Part\n"),
                ("static/images/pic.png", PNG_1X1),
            ],
            "manual/page.md",
        );
        assert_eq!(
            html,
            "<p><img src=\"../images/pic.png\" alt=\"see x\" width=\"1\" height=\"1\" \
             loading=\"lazy\" decoding=\"async\"> then <a href=\"other.html#part\">next</a>.</p>\n"
        );
        assert_eq!(html.matches("<a ").count(), html.matches("</a>").count());
    }

    #[test]
    fn code_without_known_language_is_escaped() {
        let html = code_block("", "<script>");
        assert!(html.contains("&lt;script&gt;"));
        assert_eq!(
            code_block("x\"y", "if a < b && c > 'd' {}"),
            "<pre class=\"code\" data-lang=\"x&quot;y\"><code class=\"language-x&quot;y\">\
             if a &lt; b &amp;&amp; c &gt; &#39;d&#39; {}</code></pre>\n"
        );
    }

    #[test]
    fn image_attributes_are_escaped() {
        let image = Image {
            src: "a b.png?x=1&y='2'".into(),
            title: "\"<T>\"".into(),
            alt: "Tom & Jerry's <pic>".into(),
            size: Some((3, 4)),
        };
        assert_eq!(
            image.html(),
            "<img src=\"a%20b.png?x=1&amp;y=&#x27;2&#x27;\" alt=\"Tom &amp; Jerry&#39;s &lt;pic&gt;\" \
             title=\"&quot;&lt;T&gt;&quot;\" width=\"3\" height=\"4\" loading=\"lazy\" decoding=\"async\">"
        );
    }
}
