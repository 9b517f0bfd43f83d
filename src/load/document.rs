//! What the model needs to know of a page's Markdown before rendering: its headings (for anchors
//! and the table of contents) and its links and images (to resolve and check them). Scanned once
//! with source offsets, so every problem is located. The renderer walks the same events and finds
//! each link's resolved target by the offset the link starts at ([`LinkRef::at`]), not by counting,
//! so the two walks cannot pair a link with another's target.

use super::slug::slugify;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// The Markdown dialect: CommonMark plus the extensions editors expect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    /// Unique within the page.
    pub id: String,
    pub text: String,
    /// Byte range in the file.
    pub span: Range<usize>,
}

/// A link or image that becomes an element of the page (not one inside an image's alt text).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// Byte offset in the file where the link or image starts (its `[`, `!` or `<`): the key its
    /// resolved target is found by ([`super::Targets`]). Unique within a page.
    pub at: usize,
    pub dest: String,
    /// Byte range of the destination in the file (or of the whole link when it cannot be found).
    pub span: Range<usize>,
    pub is_image: bool,
    /// For images: the alternative text.
    pub alt: String,
}

/// A fenced block whose info string names data to embed (```` ```thresholds ````).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DataBlock {
    /// Byte range of the block's text (between the fences) in the file.
    pub content: Range<usize>,
    /// That text, kept with the scan: the model reads the block's filter every build, and a
    /// page's text is not held (a build of a large site reads it again from disk only to
    /// render it, and an unchanged page is not rendered).
    pub text: String,
}

/// The info string of a fenced block that embeds a threshold table.
pub const THRESHOLDS_BLOCK: &str = "thresholds";

/// The scanned outline of one page.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub blocks: Vec<DataBlock>,
    pub words: usize,
    /// A hash of the heading ids: what links into the page depend on.
    pub anchors: u64,
    /// Byte ranges (in the file) of table header cells with no text: a screen reader announces
    /// every cell of the column by its header, and says nothing useful for these.
    pub empty_headers: Vec<Range<usize>>,
}

impl Document {
    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }
}

/// Scans `body` (which starts at byte `offset` of `file_text`).
pub fn scan(file_text: &str, body: Range<usize>) -> Document {
    let offset = body.start;
    let text = &file_text[body];
    let mut doc = Document::default();
    let mut used = HashSet::new();
    let mut heading: Option<(u8, Option<String>, Range<usize>, String)> = None;
    let mut alt_text = AltText::default();
    // The image whose alt text is being read, by its index in `doc.links`.
    let mut image: Option<usize> = None;

    // The header cell being read, with whether it has text yet.
    let mut in_head = false;
    let mut header_cell: Option<(Range<usize>, bool)> = None;

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if in_head => header_cell = Some((range.clone(), false)),
            Event::End(TagEnd::TableCell) => {
                if let Some((cell, false)) = header_cell.take() {
                    doc.empty_headers
                        .push(offset + cell.start..offset + cell.end);
                }
            }
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, has_text)) = header_cell.as_mut() {
                    *has_text = true;
                }
            }
            Event::Start(Tag::Image { .. }) => {
                if let Some((_, has_text)) = header_cell.as_mut() {
                    *has_text = true;
                }
            }
            _ => {}
        }
        match (alt_text.step(&event), event) {
            (InImage::Opens, Event::Start(Tag::Image { dest_url, .. })) => {
                image = Some(doc.links.len());
                doc.links.push(LinkRef {
                    at: offset + range.start,
                    span: locate(text, range, &dest_url, offset),
                    dest: dest_url.to_string(),
                    is_image: true,
                    alt: String::new(),
                });
            }
            (InImage::Closes, _) => image = None,
            (InImage::Outside, Event::Start(Tag::Link { dest_url, .. })) => {
                doc.links.push(LinkRef {
                    at: offset + range.start,
                    span: locate(text, range, &dest_url, offset),
                    dest: dest_url.to_string(),
                    is_image: false,
                    alt: String::new(),
                });
            }
            (_, Event::Start(Tag::Heading { level, id, .. })) => {
                heading = Some((
                    level_number(level),
                    id.map(|s| s.to_string()),
                    range,
                    String::new(),
                ));
            }
            (_, Event::End(TagEnd::Heading(_))) => {
                if let Some((level, custom, span, text)) = heading.take() {
                    let base = custom.unwrap_or_else(|| {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    });
                    let id = unique(&base, &mut used);
                    doc.headings.push(Heading {
                        level,
                        id,
                        text: text.trim().to_string(),
                        span: offset + span.start..offset + span.end,
                    });
                }
            }
            (_, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))))
                if info.split_whitespace().next() == Some(THRESHOLDS_BLOCK) =>
            {
                let content = fenced_content(text, range);
                doc.blocks.push(DataBlock {
                    text: text[content.clone()].to_string(),
                    content: offset + content.start..offset + content.end,
                });
            }
            (_, Event::Text(t) | Event::Code(t)) => {
                if let Some((_, _, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if let Some(i) = image {
                    doc.links[i].alt.push_str(&t);
                }
                doc.words += t.split_whitespace().count();
            }
            _ => {}
        }
    }
    let mut hasher = std::hash::DefaultHasher::new();
    for h in &doc.headings {
        std::hash::Hash::hash(&h.id, &mut hasher);
    }
    doc.anchors = std::hash::Hasher::finish(&hasher);
    doc
}

/// Where a walk of a page's events stands with respect to images. CommonMark writes an image's
/// description as its alt text, plain text: the links and images written in it are no elements
/// of their own (`![see [x](a.md)](b.png)` is one image, alt text `see x`). The scan and the
/// renderer both follow it, so that they agree on which links are elements.
#[derive(Debug, Default)]
pub struct AltText {
    /// How many images deep the walk is: more than one for an image in an image's description.
    depth: usize,
}

/// What an event is to [`AltText`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InImage {
    /// Not in an image.
    Outside,
    /// The start of an image that is an element.
    Opens,
    /// Inside an image's description (including the start and end of images nested in it).
    Inside,
    /// The end of the image that is an element.
    Closes,
}

impl AltText {
    /// Takes `event` into account and says what it is.
    pub fn step(&mut self, event: &Event) -> InImage {
        match (event, self.depth) {
            (Event::Start(Tag::Image { .. }), 0) => {
                self.depth = 1;
                InImage::Opens
            }
            (_, 0) => InImage::Outside,
            (Event::Start(Tag::Image { .. }), _) => {
                self.depth += 1;
                InImage::Inside
            }
            (Event::End(TagEnd::Image), 1) => {
                self.depth = 0;
                InImage::Closes
            }
            (Event::End(TagEnd::Image), _) => {
                self.depth -= 1;
                InImage::Inside
            }
            _ => InImage::Inside,
        }
    }
}

/// The lines between the opening and closing fence of a fenced block at `range`.
fn fenced_content(text: &str, range: Range<usize>) -> Range<usize> {
    let block = &text[range.clone()];
    let start = block.find('\n').map_or(block.len(), |i| i + 1);
    let body = block[start..].trim_end_matches(['\n', '\r']);
    // The closing fence is the last line, if the block was closed.
    let end = match body.rfind('\n') {
        Some(i) if body[i + 1..].trim_start().starts_with(['`', '~']) => start + i + 1,
        None if body.trim_start().starts_with(['`', '~']) => start,
        _ => block.len(),
    };
    range.start + start..range.start + end.max(start)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `base`, or `base-1`, `base-2`… if already used in this page.
fn unique(base: &str, used: &mut HashSet<String>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("an unused suffix exists")
}

/// The destination's own bytes inside a link's range, so the caret sits under what is wrong.
fn locate(text: &str, range: Range<usize>, dest: &str, offset: usize) -> Range<usize> {
    let whole = &text[range.clone()];
    match (!dest.is_empty()).then(|| whole.rfind(dest)).flatten() {
        Some(i) => offset + range.start + i..offset + range.start + i + dest.len(),
        None => offset + range.start..offset + range.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_custom_ids_win() {
        let text = "## Sampling\n\n## Sampling\n\n### Depth {#soil-depth}\n";
        let doc = scan(text, 0..text.len());
        let ids: Vec<_> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["sampling", "sampling-1", "soil-depth"]);
        assert_eq!(doc.headings[2].text, "Depth");
    }

    #[test]
    fn links_are_located_at_their_destination() {
        let text = "---\nx\n---\nSee [a](../b.md#c) and ![](img.png).\n";
        let body = 10..text.len();
        let doc = scan(text, body);
        assert_eq!(&text[doc.links[0].span.clone()], "../b.md#c");
        assert!(doc.links[1].is_image);
        assert_eq!(doc.links[1].alt, "");
        assert_eq!(&text[doc.links[1].span.clone()], "img.png");
    }

    #[test]
    fn links_are_keyed_by_where_they_start_and_alt_text_holds_none() {
        let text = "---\nx\n---\n![see [x](a.md) ![y](b.png)](c.png) [d](d.md)\n";
        let doc = scan(text, 10..text.len());
        let found: Vec<_> = doc
            .links
            .iter()
            .map(|l| (&text[l.at..l.at + 2], l.dest.as_str(), l.alt.as_str()))
            .collect();
        assert_eq!(found, [("![", "c.png", "see x y"), ("[d", "d.md", "")]);
    }
}
