//! Search documents: every page, and every threshold record (so that a query shows the value
//! itself, not only the page it is on).

use super::extract::{self, Section};
use super::text;
use crate::data::{Contaminant, RecordIx};
use crate::diagnostics::FileId;
use crate::model::{DataPage, Lang, Page, Site};
use crate::render::thresholds::{
    condition_phrases, instrument_label, localized_value, record_anchor,
};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::{Arc, Mutex, PoisonError};

/// The land-use class of values not tied to a land use (`data/land-uses.yaml`).
const ALL_LAND: &str = "all_land";

/// Where in a document a term was found. A posting's weight packs them into four bits, which
/// `search.js` unpacks: a title match outranks a heading match, which outranks the body.
#[derive(Default, Clone, Copy)]
struct Found {
    title: bool,
    heading: bool,
    body: u32,
}

impl Found {
    /// `8` title, `4` heading, `0..=3` how often in the body (1, 2–4, 5 or more).
    fn weight(self) -> u8 {
        let body = match self.body {
            0 => 0,
            1 => 1,
            2..=4 => 2,
            _ => 3,
        };
        (u8::from(self.title) << 3) | (u8::from(self.heading) << 2) | body
    }
}

/// A document's distinct terms with their weights, in no particular order (the postings are
/// sorted once, by term, when all documents are in).
pub struct Doc {
    pub terms: Vec<(String, u8)>,
}

#[derive(Default)]
struct Fields(FxHashMap<String, Found>);

impl Fields {
    /// Adds what `other` found, as if its texts had been added here.
    fn merge(&mut self, other: &Fields) {
        for (term, theirs) in &other.0 {
            let found = match self.0.get_mut(term.as_str()) {
                Some(found) => found,
                None => self.0.entry(term.clone()).or_default(),
            };
            found.title |= theirs.title;
            found.heading |= theirs.heading;
            found.body += theirs.body;
        }
    }

    fn add(&mut self, text: &str, mark: impl Fn(&mut Found)) {
        text::each_term(text, |term| match self.0.get_mut(term) {
            Some(found) => mark(found),
            None => mark(self.0.entry(term.to_string()).or_default()),
        });
    }

    fn title(&mut self, text: &str) {
        self.add(text, |f| f.title = true);
    }

    /// Every name a contaminant goes by, as title words: name, symbol, aliases.
    fn names(&mut self, c: &Contaminant) {
        self.title(&c.name);
        self.title(c.symbol.as_deref().unwrap_or_default());
        for alias in &c.aliases {
            self.title(alias);
        }
    }

    fn heading(&mut self, text: &str) {
        self.add(text, |f| f.heading = true);
    }

    fn body(&mut self, text: &str) {
        self.add(text, |f| f.body += 1);
    }

    fn into_doc(self) -> Doc {
        let terms = self.0.into_iter().map(|(t, f)| (t, f.weight())).collect();
        Doc { terms }
    }
}

/// What a page result shows: title, where it is, and its text by section.
#[derive(Serialize)]
pub struct PageEntry {
    #[serde(rename = "t")]
    title: String,
    /// URL relative to the site root.
    #[serde(rename = "u")]
    url: String,
    /// The section the page is in, for context in the result list.
    #[serde(rename = "c", skip_serializing_if = "String::is_empty")]
    crumb: String,
    /// `[anchor, heading, text]` per section.
    #[serde(rename = "s")]
    sections: Vec<(String, String, String)>,
}

pub fn page(site: &Site, page: &Page, bodies: &Bodies) -> (Doc, PageEntry) {
    let mut fields = Fields::default();
    fields.title(page.title());
    if let Some(sop) = &page.front.sop {
        fields.title(&sop.code);
    }
    if let Some(description) = &page.front.description {
        fields.heading(description);
    }
    identity_terms(site, page, &mut fields);
    let sections = match bodies.shared(site, page) {
        Some(body) => {
            fields.merge(&body.fields);
            (body.sections.iter())
                .map(|s| (s.anchor.clone(), s.heading.clone(), s.text.clone()))
                .collect()
        }
        // Shown once: its terms go straight into the page's fields.
        None => {
            let sections = extract::sections(site, page);
            for Section { heading, text, .. } in &sections {
                fields.heading(heading);
                fields.body(text);
            }
            (sections.into_iter())
                .map(|s| (s.anchor, s.heading, s.text))
                .collect()
        }
    };
    let crumb = page
        .parent
        .filter(|&p| p != site.home_of(page.lang))
        .map(|p| site.page(p).title().to_string())
        .unwrap_or_default();
    let entry = PageEntry {
        title: page.title().to_string(),
        url: page.url.clone(),
        crumb,
        sections,
    };
    (fields.into_doc(), entry)
}

/// What a page's text gives its search document: its sections, and the terms of their headings
/// and text. The same for the page's fallbacks in other languages, which show its text.
pub struct Body {
    sections: Vec<Section>,
    fields: Fields,
    /// The sections' text in bytes, for [`Bodies`]'s budget.
    bytes: usize,
}

impl Body {
    fn of(site: &Site, page: &Page) -> Body {
        let sections = extract::sections(site, page);
        let mut fields = Fields::default();
        let mut bytes = 0;
        for Section { heading, text, .. } in &sections {
            fields.heading(heading);
            fields.body(text);
            bytes += heading.len() + text.len();
        }
        Body {
            sections,
            fields,
            bytes,
        }
    }
}

/// Bodies of pages whose text shows in more than one language (a page and its fallbacks), made
/// once while the languages' indexes are built one after another: finding the terms of the same
/// text again was a quarter of building the site-shaped corpus (six languages, a share of pages
/// translated). A body is dropped when the last page showing it has taken it, and no more than
/// [`Bodies::BUDGET`] bytes of text are kept at a time, so that memory does not grow with the
/// site: past it, bodies are made again as before.
#[derive(Default)]
pub struct Bodies {
    /// How many pages show each file's text, for files shown more than once.
    shown: FxHashMap<FileId, usize>,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// By file: the pages still to take the body, and the body.
    bodies: FxHashMap<FileId, (usize, Arc<Body>)>,
    bytes: usize,
}

impl Bodies {
    const BUDGET: usize = 64 << 20;

    /// For the pages of `site`: keeps the bodies that more than one page shows.
    pub fn of_site(site: &Site) -> Bodies {
        let mut shown: FxHashMap<FileId, usize> = FxHashMap::default();
        for file in site.pages.iter().filter_map(|p| p.file) {
            *shown.entry(file).or_default() += 1;
        }
        shown.retain(|_, n| *n > 1);
        Bodies {
            shown,
            kept: Mutex::default(),
        }
    }

    /// The body of `page` if other pages show its text too: taken if kept, else made (and kept,
    /// within the budget). `None` for a text shown once, which the caller adds as it reads it.
    fn shared(&self, site: &Site, page: &Page) -> Option<Arc<Body>> {
        let file = page.file?;
        let shown = *self.shown.get(&file)?;
        let lock = || self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let mut kept = lock();
            if let Some((left, body)) = kept.bodies.get_mut(&file) {
                let body = Arc::clone(body);
                *left -= 1;
                if *left == 0 {
                    kept.bodies.remove(&file);
                    kept.bytes -= body.bytes;
                }
                return Some(body);
            }
        }
        let body = Arc::new(Body::of(site, page));
        let mut kept = lock();
        if kept.bytes + body.bytes <= Self::BUDGET {
            kept.bytes += body.bytes;
            kept.bodies.insert(file, (shown - 1, Arc::clone(&body)));
        }
        Some(body)
    }
}

/// A contaminant's or country's page is found by every name of what it is about, in its
/// language and in the default one.
fn identity_terms(site: &Site, page: &Page, fields: &mut Fields) {
    let db = &site.data;
    match page.data {
        Some(DataPage::Contaminant(ix)) => {
            let c = db.contaminant(ix);
            fields.names(c);
            fields.title(db.contaminant_name(ix, page.lang.0));
            fields.title(c.cas.as_deref().unwrap_or_default());
        }
        Some(DataPage::Country(ix)) => {
            let c = db.country(ix);
            fields.title(&c.name);
            fields.title(db.country_name(ix, page.lang.0));
            fields.title(c.code.as_str());
        }
        _ => {}
    }
}

/// What a record result shows: the value with its unit and source, in a line a reader can act on.
#[derive(Serialize)]
pub struct RecordEntry {
    /// Contaminant name.
    c: String,
    /// Country name.
    k: String,
    /// Land use: class, and the instrument's own term where it differs.
    l: String,
    /// Value type, likewise.
    t: String,
    /// The value with its unit (`13 mg/kg`), or `no value`, in the page's language.
    v: String,
    /// The conditions (pH band, texture, extraction…) in the page's language, `; `-separated;
    /// omitted when there are none.
    #[serde(skip_serializing_if = "String::is_empty")]
    w: String,
    /// Instrument and source.
    s: String,
    /// URL of the record's row on its contaminant page, relative to the site root.
    u: String,
}

pub fn record(site: &Site, ix: RecordIx, lang: Lang) -> (Doc, RecordEntry) {
    let db = &site.data;
    let r = &db.records[ix.0];
    let contaminant = db.contaminant(r.contaminant);
    let country = db.country(r.country);
    let instrument = db.instrument(r.instrument);
    let land_use = db.land_use(r.land_use.class);
    let value_type = db.value_type(r.value_type.class);

    let l = lang.0;
    let contaminant_name = db.contaminant_name(r.contaminant, l);
    let country_name = db.country_name(r.country, l);
    let jurisdiction = db.jurisdiction_name(r, l);
    let land_use_name = db.land_use_name(r.land_use.class, l);
    let value_type_name = db.value_type_name(r.value_type.class, l);
    let mut fields = Fields::default();
    fields.names(contaminant);
    fields.title(contaminant_name);
    fields.title(&country.name);
    fields.title(country_name);
    fields.title(country.code.as_str());
    if let Some(s) = &instrument.subdivision {
        fields.title(&s.name);
        fields.title(&s.code);
    }
    for text in [
        &land_use.name,
        land_use_name,
        &r.land_use.national,
        &value_type.name,
        value_type_name,
        &r.value_type.national,
    ] {
        fields.heading(text);
    }
    // A value for all land applies to each kind of land: "cadmium netherlands agricultural"
    // finds the Dutch intervention value.
    if land_use.id == ALL_LAND {
        for (i, class) in db.land_uses.iter().enumerate() {
            fields.body(&class.name);
            fields.body(db.land_use_name(crate::data::LandUseIx(i), l));
        }
    }
    fields.body(contaminant.cas.as_deref().unwrap_or_default());
    fields.body(&instrument.title);
    fields.body(&db.source(r).title);
    let locale = &site.locales[l];
    for phrase in r.condition.phrases_in(&|key| locale.t(key).to_string()) {
        fields.body(&phrase);
    }

    let url = site
        .data_pages
        .contaminants
        .get(&r.contaminant)
        .map(|&p| {
            let page = site.page(site.variant(p, lang));
            format!("{}#{}", page.url, record_anchor(db, ix))
        })
        .unwrap_or_default();
    let entry = RecordEntry {
        c: contaminant_name.to_string(),
        k: jurisdiction,
        l: with_term(land_use_name, &r.land_use.national),
        t: with_term(value_type_name, &r.value_type.national),
        v: localized_value(&r.amount, locale).1,
        w: condition_phrases(&r.condition, locale)
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("; "),
        s: instrument_label(instrument),
        u: url,
    };
    (fields.into_doc(), entry)
}

fn with_term(class: &str, national: &str) -> String {
    if national.is_empty() || national.eq_ignore_ascii_case(class) {
        class.to_string()
    } else {
        format!("{class} ({national})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_site::site_of;

    /// A page's document and result entry are the same whether its text's body was kept from
    /// another language's page or made again; each kept body is dropped once its last page has
    /// taken it.
    #[test]
    fn a_body_kept_for_the_fallbacks_gives_what_making_it_again_gives() {
        let config = "title = \"T\"\n[[languages]]\ncode = \"en\"\n[[languages]]\ncode = \"fr\"\n\
            [[languages]]\ncode = \"ar\"\n";
        let chapter = "---\ntitle: Cadmium sampling\ndescription: Where cadmium is sampled\n---\n\
            Cadmium in soils, cadmium in plots.\n\n## Sampling depth\n\nThe depth of sampling: \
            0–20 cm, for cadmium and lead.\n\n```r\nx <- mean(cadmium)\n```\n";
        let (_dir, site) = site_of(&[
            ("pedon.toml", config),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\nSoil pollution.\n",
            ),
            ("content/cadmium.md", chapter),
            (
                "content/cadmium.fr.md",
                "---\ntitle: Échantillonnage du cadmium\n---\nLe cadmium des sols.\n",
            ),
        ]);
        let bodies = Bodies::of_site(&site);
        assert!(
            !bodies.shown.is_empty(),
            "the English text shows in French and Arabic too"
        );
        let sorted = |doc: Doc| {
            let mut terms = doc.terms;
            terms.sort();
            terms
        };
        // Every field's terms added into one map, in the page's order.
        let at_once = |page: &Page| {
            let mut fields = Fields::default();
            fields.title(page.title());
            fields.heading(page.front.description.as_deref().unwrap_or_default());
            for Section { heading, text, .. } in extract::sections(&site, page) {
                fields.heading(&heading);
                fields.body(&text);
            }
            fields.into_doc()
        };
        for page in &site.pages {
            let (doc, entry) = super::page(&site, page, &bodies);
            let (again, again_entry) = super::page(&site, page, &Bodies::default());
            let doc = sorted(doc);
            assert_eq!(doc, sorted(again), "{}", page.url);
            assert_eq!(doc, sorted(at_once(page)), "{}", page.url);
            assert_eq!(
                serde_json::to_string(&entry).unwrap(),
                serde_json::to_string(&again_entry).unwrap()
            );
        }
        let kept = bodies.kept.lock().unwrap();
        assert!(kept.bodies.is_empty() && kept.bytes == 0, "all dropped");
    }
}
