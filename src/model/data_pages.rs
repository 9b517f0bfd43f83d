//! The pages the threshold database adds to the site: the explorer, a page per contaminant and
//! per country, and the two lists. They are ordinary [`Page`]s (with no file, or with the
//! editor's Markdown at the same path as an introduction), so navigation, links, the sitemap and
//! URL checks treat them like any other page.

use super::page::{DataPage, Lang, Page, PageId, PageKind};
use super::{Site, implicit_front};
use crate::data::{ContaminantIx, CountryIx, Database};
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::i18n::Locale;
use crate::load::yaml::value_span;
use std::collections::HashMap;

/// Where the database's pages live under `content/`.
pub const EXPLORER: &str = "thresholds/_index.md";
/// The page that says how to cite and reuse the database.
pub const DATASET: &str = "thresholds/dataset.md";
const CONTAMINANTS: &str = "thresholds/contaminants";
const COUNTRIES: &str = "thresholds/countries";

/// The page of each contaminant and country.
#[derive(Debug, Default)]
pub struct DataPageIndex {
    pub explorer: Option<PageId>,
    pub dataset: Option<PageId>,
    pub contaminants: HashMap<ContaminantIx, PageId>,
    pub countries: HashMap<CountryIx, PageId>,
}

/// Adds the database's pages in the default language, or marks the Markdown pages already at
/// their paths.
pub(super) fn add(pages: &mut Vec<Page>, data: &Database, locale: &Locale) {
    if data.is_empty() {
        return;
    }
    let mut wanted: Vec<(String, PageKind, Option<i64>, DataPage)> = vec![
        (EXPLORER.into(), PageKind::Section, None, DataPage::Explorer),
        (
            format!("{CONTAMINANTS}/_index.md"),
            PageKind::Section,
            Some(1),
            DataPage::Contaminants,
        ),
        (
            format!("{COUNTRIES}/_index.md"),
            PageKind::Section,
            Some(2),
            DataPage::Countries,
        ),
        (DATASET.into(), PageKind::Page, Some(3), DataPage::Dataset),
    ];
    for (i, c) in data.contaminants.iter().enumerate() {
        wanted.push((
            format!("{CONTAMINANTS}/{}.md", c.id),
            PageKind::Page,
            Some(i as i64),
            DataPage::Contaminant(ContaminantIx(i)),
        ));
    }
    for (i, c) in data.countries.iter().enumerate() {
        wanted.push((
            format!("{COUNTRIES}/{}.md", c.code.slug()),
            PageKind::Page,
            Some(i as i64),
            DataPage::Country(CountryIx(i)),
        ));
    }
    let existing: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == Lang::DEFAULT)
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    for (rel, kind, weight, data_page) in wanted {
        let (title, description) = front(data_page, data, locale, Lang::DEFAULT);
        if let Some(&i) = existing.get(&rel) {
            let page = &mut pages[i];
            page.data = Some(data_page);
            if page.front.description.is_none() {
                std::sync::Arc::make_mut(&mut page.front).description = description;
            }
            continue;
        }
        let mut front = implicit_front(title);
        front.weight = weight;
        front.description = description;
        pages.push(Page {
            data: Some(data_page),
            ..Page::new(rel, kind, Lang::DEFAULT, front)
        });
    }
}

/// The title and description of a database page in one language.
pub(super) fn front(
    page: DataPage,
    data: &Database,
    locale: &Locale,
    lang: Lang,
) -> (String, Option<String>) {
    let count = |key: &str, n: usize| locale.t(key).replace("{n}", &n.to_string());
    match page {
        DataPage::Explorer => (locale.t("threshold_values").to_string(), None),
        DataPage::Dataset => (
            locale.t("dataset_title").to_string(),
            Some(locale.t("dataset_description").to_string()),
        ),
        DataPage::Contaminants => (
            locale.t("contaminants").to_string(),
            Some(count("contaminants_description", data.contaminants.len())),
        ),
        DataPage::Countries => (
            locale.t("countries").to_string(),
            Some(count("countries_description", data.countries.len())),
        ),
        DataPage::Contaminant(ix) => {
            let c = data.contaminant(ix);
            let n = data.records_of_contaminant(ix).count();
            let mut description = locale.t(&format!("group_{}", c.group.id())).to_string();
            if let Some(symbol) = &c.symbol {
                description = format!("{symbol} · {description}");
            }
            (
                data.contaminant_name(ix, lang.0).to_string(),
                Some(format!(
                    "{description} · {}",
                    count("contaminant_description", n)
                )),
            )
        }
        DataPage::Country(ix) => {
            let c = data.country(ix);
            let n = data.records_of_country(ix).count();
            (
                data.country_name(ix, lang.0).to_string(),
                Some(
                    count("country_description", n)
                        .replace("{code}", c.code.as_str())
                        .replace("{instruments}", &c.instruments.len().to_string()),
                ),
            )
        }
    }
}

pub(super) fn index(pages: &[Page]) -> DataPageIndex {
    let mut index = DataPageIndex::default();
    for page in pages.iter().filter(|p| p.lang == Lang::DEFAULT) {
        match page.data {
            Some(DataPage::Explorer) => index.explorer = Some(page.id),
            Some(DataPage::Dataset) => index.dataset = Some(page.id),
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
    for page in site.pages.iter().filter(|p| p.has_own_text()) {
        let (Some(sop), Some(file)) = (&page.front.sop, page.file) else {
            continue;
        };
        for analyte in &sop.analytes {
            // Known, or defined in a data file with errors (reported there).
            if !matches!(
                site.data.contaminant_by_id(analyte),
                crate::data::Defined::Unknown
            ) {
                continue;
            }
            // The file is read (again, when its text was released) only for an unknown one.
            let text = site.sources.get(file).text();
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
