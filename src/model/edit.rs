//! The commonest edit in the preview, a page's text, made into its pages against the last good
//! build, before the rebuild: the preview shows the editor's words in a few milliseconds instead
//! of after a rebuild of every page of the site.
//!
//! Only an edit that changes nothing else the made pages show qualifies, so each page made here
//! is the page the rebuild makes. Other pages see a page only through its front matter, its
//! place and its anchors (links into it): the front matter must be the same bytes and the
//! anchors the same. Its own links and tables must all resolve, and its text raise none of the
//! warnings `check` gives a page's text. Anything else is brought up to date by the rebuild that
//! follows: the print edition, the feeds, the search index, and an original's translations, which
//! its text may leave out of date (their notice and warning). `tests/rebuild.rs` compares what
//! this makes with the rebuild.

use super::{Lang, Page, Site, Translation, links, tables};
use crate::diagnostics::SourceFile;
use crate::load::document::{self, Document};
use std::sync::Arc;

/// A page's text as edited, and the pages that show it: the page itself and, for an original,
/// its fallbacks in the languages it has no translation in.
pub struct BodyEdit {
    /// The file as edited. Pages read their body from it, not from the site's sources.
    pub source: SourceFile,
    pub pages: Vec<Page>,
}

/// The pages of the file at `rel` (under `content/`) made from its text as it is now on disk,
/// when the edit changed only what its own pages show (see the module's comment); `None`
/// otherwise, and the rebuild makes them.
pub fn body_only(site: &Site, rel: &str) -> Option<BodyEdit> {
    let page = site.page(*site.by_rel.get(rel)?);
    let file = page.file.filter(|_| page.has_own_text())?;
    let old = site.sources.get(file);
    let text = crate::load::read_page(&old.path)?;
    let source = SourceFile::new(old.display.clone(), old.path.clone(), text);
    let (_, body) = crate::load::parse_front_matter(&source, file).ok()?;
    if source.text().get(..body.start)? != old.read().get(..page.body.start)? {
        return None;
    }
    let doc = document::scan(source.text(), body.clone());
    if doc.anchors != page.doc.anchors || warns(&doc) || warns(&page.doc) {
        return None;
    }
    // An original's text is shown by its fallbacks. Its translations have files of their own;
    // whether they are now out of date is for the rebuild to show.
    let shown: Vec<&Page> = match page.lang {
        Lang::DEFAULT => (site.variants(page.id))
            .filter(|p| p.id == page.id || p.translation == Translation::Fallback)
            .collect(),
        _ => vec![page],
    };
    let doc = Arc::new(doc);
    let edited = |p: &Page| Page {
        body: body.clone(),
        doc: Arc::clone(&doc),
        ..p.clone()
    };
    let (tables, found) = tables::resolve_in(site, &edited(page), &source);
    if !found.is_empty() {
        return None;
    }
    let pages = (shown.into_iter())
        .map(|p| {
            let mut p = edited(p);
            p.tables = tables.clone();
            p.targets = links::resolve_page(site, &p)?;
            Some(p)
        })
        .collect::<Option<Vec<Page>>>()?;
    Some(BodyEdit { source, pages })
}

/// Whether `check` warns about the text of `doc` (an image without alternative text, an empty
/// table header): the warning's place moves with any edit above it.
fn warns(doc: &Document) -> bool {
    !doc.empty_headers.is_empty()
        || (doc.links.iter()).any(|l| l.is_image && l.alt.trim().is_empty())
}
