//! The pages the threshold database adds to the site: the explorer, a page per contaminant and
//! per country, and the two lists. They are ordinary [`Page`]s (with no file, or with the
//! editor's Markdown at the same path as an introduction), so navigation, links, the sitemap and
//! URL checks treat them like any other page.

use super::page::{DataPage, Page, PageId, PageKind};
use super::{Site, implicit_front};
use crate::data::{ContaminantIx, CountryIx, Database};
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::load::yaml::value_span;
use std::collections::HashMap;

/// Where the database's pages live under `content/`.
pub const EXPLORER: &str = "thresholds/_index.md";
const CONTAMINANTS: &str = "thresholds/contaminants";
const COUNTRIES: &str = "thresholds/countries";

/// The page of each contaminant and country.
#[derive(Debug, Default)]
pub struct DataPageIndex {
    pub explorer: Option<PageId>,
    pub contaminants: HashMap<ContaminantIx, PageId>,
    pub countries: HashMap<CountryIx, PageId>,
}

/// A page the database needs: content path, kind, title, weight, description, what it shows.
type Wanted = (
    String,
    PageKind,
    String,
    Option<i64>,
    Option<String>,
    DataPage,
);

/// Adds the database's pages, or marks the Markdown pages already at their paths.
pub(super) fn add(pages: &mut Vec<Page>, data: &Database, lang: &str) {
    if data.is_empty() {
        return;
    }
    let mut wanted: Vec<Wanted> = vec![
        (
            EXPLORER.into(),
            PageKind::Section,
            "Threshold values".into(),
            None,
            None,
            DataPage::Explorer,
        ),
        (
            format!("{CONTAMINANTS}/_index.md"),
            PageKind::Section,
            "Contaminants".into(),
            Some(1),
            Some(format!(
                "{} contaminants, in order of family",
                data.contaminants.len()
            )),
            DataPage::Contaminants,
        ),
        (
            format!("{COUNTRIES}/_index.md"),
            PageKind::Section,
            "Countries".into(),
            Some(2),
            Some(format!(
                "{} jurisdictions and their instruments",
                data.countries.len()
            )),
            DataPage::Countries,
        ),
    ];
    for (i, c) in data.contaminants.iter().enumerate() {
        let n = data.records_of_contaminant(ContaminantIx(i)).count();
        let mut description = c.group.name().trim_end_matches('s').to_string();
        if let Some(symbol) = &c.symbol {
            description = format!("{symbol} · {description}");
        }
        wanted.push((
            format!("{CONTAMINANTS}/{}.md", c.id),
            PageKind::Page,
            c.name.clone(),
            Some(i as i64),
            Some(format!("{description} · {n} values")),
            DataPage::Contaminant(ContaminantIx(i)),
        ));
    }
    for (i, c) in data.countries.iter().enumerate() {
        let n = data.records_of_country(CountryIx(i)).count();
        wanted.push((
            format!("{COUNTRIES}/{}.md", c.code.slug()),
            PageKind::Page,
            c.name.clone(),
            Some(i as i64),
            Some(format!(
                "{} · {} instruments · {n} values",
                c.code.as_str(),
                c.instruments.len()
            )),
            DataPage::Country(CountryIx(i)),
        ));
    }
    let existing: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == lang)
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    for (rel, kind, title, weight, description, data_page) in wanted {
        if let Some(&i) = existing.get(&rel) {
            let page = &mut pages[i];
            page.data = Some(data_page);
            if page.front.description.is_none() {
                page.front.description = description;
            }
            continue;
        }
        let mut front = implicit_front(title);
        front.weight = weight;
        front.description = description;
        pages.push(Page {
            data: Some(data_page),
            ..Page::new(rel, kind, lang.to_string(), front)
        });
    }
}

pub(super) fn index(pages: &[Page]) -> DataPageIndex {
    let mut index = DataPageIndex::default();
    for page in pages {
        match page.data {
            Some(DataPage::Explorer) => index.explorer = Some(page.id),
            Some(DataPage::Contaminant(c)) => {
                index.contaminants.insert(c, page.id);
            }
            Some(DataPage::Country(c)) => {
                index.countries.insert(c, page.id);
            }
            _ => {}
        }
    }
    index
}

/// SOP `analytes` must name contaminants of the database, so that SOP and contaminant pages can
/// link to each other.
pub(super) fn check_analytes(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if site.data.is_empty() {
        return found;
    }
    for page in &site.pages {
        let (Some(sop), Some(file)) = (&page.front.sop, page.file) else {
            continue;
        };
        let text = &site.sources.get(file).text;
        for analyte in &sop.analytes {
            if site.data.find_contaminant(analyte).is_some() {
                continue;
            }
            let span = value_span(text, 0..page.body.start, "analytes")
                .and_then(|r| {
                    let at = text[r.clone()].find(analyte.as_str())?;
                    Some(r.start + at..r.start + at + analyte.len())
                })
                .unwrap_or(0..0);
            found.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("unknown analyte `{analyte}`"),
                )
                .at(
                    Span::new(file, span),
                    "not a contaminant id of data/contaminants.yaml",
                )
                .help(match did_you_mean(analyte, site.data.contaminant_ids()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "analytes are contaminant ids, like `cd` or `pb`".to_string(),
                }),
            );
        }
    }
    found
}
