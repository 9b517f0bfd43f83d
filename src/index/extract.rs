//! The reader-visible text of a page, cut at its headings: what a search result quotes, and the
//! section a result links to.

use crate::load::document::{self, THRESHOLDS_BLOCK};
use crate::model::{Page, Site};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// Text from one heading to the next. The first section of a page has no heading: the text
/// before the first one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Section {
    /// The heading's id on the page; empty for the text before the first heading.
    pub anchor: String,
    pub heading: String,
    pub text: String,
}

/// The sections of `page`, in order. Heading ids are the model's, so a result lands exactly where
/// the page's own table of contents does.
pub fn sections(site: &Site, page: &Page) -> Vec<Section> {
    let mut sections = vec![Section {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    let Some(file) = page.file else {
        return sections;
    };
    let body = site.sources.get(file).read_range(page.body.clone());
    let text = &*body;
    let mut headings = page.doc.headings.iter();
    let mut in_heading = false;
    let mut skipping_block = false;
    for event in Parser::new_ext(text, document::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let heading = headings.next();
                sections.push(Section {
                    anchor: heading.map(|h| h.id.clone()).unwrap_or_default(),
                    heading: heading.map(|h| h.text.clone()).unwrap_or_default(),
                    text: String::new(),
                });
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            // A thresholds block is a filter, not prose; the records it shows are indexed apart.
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some(THRESHOLDS_BLOCK) =>
            {
                skipping_block = true;
            }
            Event::End(TagEnd::CodeBlock) => skipping_block = false,
            Event::Text(t) | Event::Code(t) if !in_heading && !skipping_block => {
                push_text(&mut sections, &t);
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut sections, " "),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                push_text(&mut sections, " ")
            }
            _ => {}
        }
    }
    for section in &mut sections {
        let mut text = String::with_capacity(section.text.len());
        for word in section.text.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
        section.text = text;
    }
    // Nothing before the first heading: the page starts with a section.
    if sections.len() > 1 && sections[0].text.is_empty() {
        sections.remove(0);
    }
    sections
}

fn push_text(sections: &mut [Section], text: &str) {
    if let Some(last) = sections.last_mut() {
        last.text.push_str(text);
    }
}
