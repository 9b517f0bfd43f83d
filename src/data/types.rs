//! The typed database. Records refer to contaminants, countries and vocabulary entries by index
//! ([`ContaminantIx`], …), which exist only once the reference was checked.

use super::band::Band;
use super::units::Quantity;
use crate::diagnostics::{FileId, Span};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}

index_type!(
    /// A contaminant of [`Database::contaminants`].
    ContaminantIx,
    /// A country of [`Database::countries`].
    CountryIx,
    /// An entry of [`Database::land_uses`].
    LandUseIx,
    /// An entry of [`Database::value_types`].
    ValueTypeIx,
    /// An instrument of [`Database::instruments`].
    InstrumentIx,
    /// A record of [`Database::records`].
    RecordIx,
);

/// The family a contaminant belongs to, for grouping in lists and search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    HeavyMetal,
    Metalloid,
    OtherInorganic,
    Pesticide,
    Pop,
    Pah,
    Petroleum,
    Voc,
    OtherOrganic,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::HeavyMetal => "Heavy metals",
            Group::Metalloid => "Metalloids",
            Group::OtherInorganic => "Other inorganic",
            Group::Pesticide => "Pesticides",
            Group::Pop => "Persistent organic pollutants",
            Group::Pah => "Polycyclic aromatic hydrocarbons",
            Group::Petroleum => "Petroleum hydrocarbons",
            Group::Voc => "Volatile organic compounds",
            Group::OtherOrganic => "Other organic",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Group::HeavyMetal => "heavy_metal",
            Group::Metalloid => "metalloid",
            Group::OtherInorganic => "other_inorganic",
            Group::Pesticide => "pesticide",
            Group::Pop => "pop",
            Group::Pah => "pah",
            Group::Petroleum => "petroleum",
            Group::Voc => "voc",
            Group::OtherOrganic => "other_organic",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Contaminant {
    /// Lower-case slug, used in URLs and `contaminant:` links.
    pub id: String,
    pub name: String,
    pub symbol: Option<String>,
    /// Checked for its check digit.
    pub cas: Option<String>,
    pub group: Group,
    pub aliases: Vec<String>,
    pub span: Span,
}

/// An entry of the common vocabulary of land uses or value types.
#[derive(Debug, Clone)]
pub struct Class {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// ISO 3166-1 alpha-3, upper case (`NLD`), or `EUU` for the European Union.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(String);

/// Jurisdictions that issue thresholds but have no ISO 3166-1 code.
const SUPRANATIONAL: &[(&str, &str)] = &[("EUU", "European Union")];

impl CountryCode {
    /// Checks `code` against ISO 3166-1 (case-insensitive); returns the code and the ISO name.
    pub fn parse(code: &str) -> Option<(CountryCode, String)> {
        let upper = code.trim().to_ascii_uppercase();
        if upper.len() != 3 {
            return None;
        }
        if let Some((c, name)) = SUPRANATIONAL.iter().find(|(c, _)| *c == upper) {
            return Some((CountryCode(c.to_string()), name.to_string()));
        }
        celes::Country::from_alpha3(&upper)
            .ok()
            .map(|c| (CountryCode(upper), c.long_name.to_string()))
    }

    /// Every valid code, for "did you mean".
    pub fn all() -> Vec<&'static str> {
        celes::Country::get_countries()
            .iter()
            .map(|c| c.alpha3)
            .chain(SUPRANATIONAL.iter().map(|(c, _)| *c))
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 3166-1 alpha-2 code (`BE` for `BEL`), which ISO 3166-2 codes start with; none for
    /// the EU.
    pub fn alpha2(&self) -> Option<&'static str> {
        celes::Country::from_alpha3(&self.0).ok().map(|c| c.alpha2)
    }

    /// Lower case, for URLs.
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

#[derive(Debug, Clone)]
pub struct Country {
    pub code: CountryCode,
    pub name: String,
    /// Markdown: the caveats that travel with this jurisdiction's values.
    pub notes: Option<String>,
    pub instruments: Vec<InstrumentIx>,
    pub file: FileId,
    /// The data file, relative to `data/`.
    pub rel: String,
}

/// Whether an instrument's values can be used as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    InForce,
    /// A snapshot that may have been revised since.
    Dated,
    /// Replaced by a newer instrument; shown as historical.
    Superseded,
}

impl Status {
    /// The interface string of the label, for pages in every language.
    pub fn key(self) -> &'static str {
        match self {
            Status::InForce => "instrument_status_in_force",
            Status::Dated => "instrument_status_dated",
            Status::Superseded => "instrument_status_superseded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "in force",
            Status::Dated => "dated",
            Status::Superseded => "superseded",
        }
    }
}

/// Where a value was read: the official text, or a copy of it made by someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Primary,
    Secondary,
}

impl Tier {
    /// The interface string of the label, for pages in every language.
    pub fn key(self) -> &'static str {
        match self {
            Tier::Primary => "tier_label_primary",
            Tier::Secondary => "tier_label_secondary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Primary => "primary",
            Tier::Secondary => "secondary",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// Where the text was read: an address, a repository path, a gazette reference.
    pub location: String,
    /// The one address readers are sent to (`http://` or `https://`), when there is one: the
    /// location is prose and may name several places.
    pub url: Option<String>,
    pub tier: Tier,
}

/// An ISO 3166-2 subdivision (`BE-VLG`) whose government issued a regional instrument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subdivision {
    /// The ISO 3166-2 code, upper case.
    pub code: String,
    /// The ISO 3166-2 name (`Vlaams Gewest`, `Quebec`).
    pub name: String,
}

impl Subdivision {
    /// Looks `code` up in ISO 3166-2 (case-insensitive): the subdivision and the ISO 3166-1
    /// alpha-2 code of the country it belongs to.
    pub fn parse(code: &str) -> Option<(Subdivision, &'static str)> {
        let upper = code.trim().to_ascii_uppercase();
        rust_iso3166::iso3166_2::from_code(&upper).map(|s| {
            (
                Subdivision {
                    code: s.code.to_string(),
                    name: s.name.to_string(),
                },
                s.country_code,
            )
        })
    }
}

/// A law, regulation or guideline that sets values.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// Unique within its country.
    pub id: String,
    pub country: CountryIx,
    pub title: String,
    /// A short name for table cells (`BBodSchV`), when the title is long.
    pub short: Option<String>,
    pub year: Option<String>,
    pub issuer: Option<String>,
    /// Set for a regional instrument (Flanders, Québec): a subdivision of the instrument's country.
    pub subdivision: Option<Subdivision>,
    pub status: Status,
    pub status_note: Option<String>,
    /// What the values are measured on, unless a record says otherwise.
    pub basis: Option<String>,
    pub sources: Vec<Source>,
}

/// A national term and the common class it is compared as.
#[derive(Debug, Clone)]
pub struct Term<Ix> {
    /// The term of the instrument (`interventiewaarde`), shown to readers as it is.
    pub national: String,
    pub class: Ix,
}

/// Soil texture classes that change a value (German precautionary values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Texture {
    Sand,
    LoamSilt,
    Clay,
}

impl Texture {
    /// As written in the data files: part of record ids, so it never changes with a label.
    pub fn id(self) -> &'static str {
        match self {
            Texture::Sand => "sand",
            Texture::LoamSilt => "loam_silt",
            Texture::Clay => "clay",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Texture::Sand => "sand",
            Texture::LoamSilt => "loam/silt",
            Texture::Clay => "clay",
        }
    }
}

/// The extraction a value assumes; values from different extractions measure different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Extraction {
    Total,
    AquaRegia,
    AmmoniumNitrate,
    Alkaline,
    Dtpa,
    Edta,
}

impl Extraction {
    /// As written in the data files: part of record ids, so it never changes with a label.
    pub fn id(self) -> &'static str {
        match self {
            Extraction::Total => "total",
            Extraction::AquaRegia => "aqua_regia",
            Extraction::AmmoniumNitrate => "ammonium_nitrate",
            Extraction::Alkaline => "alkaline",
            Extraction::Dtpa => "dtpa",
            Extraction::Edta => "edta",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Extraction::Total => "total content",
            Extraction::AquaRegia => "aqua regia",
            Extraction::AmmoniumNitrate => "ammonium nitrate extract",
            Extraction::Alkaline => "alkaline extraction",
            Extraction::Dtpa => "DTPA extract",
            Extraction::Edta => "EDTA extract",
        }
    }
}

/// The conditions under which a value applies. Together with contaminant, instrument, land use
/// and value type they identify a record: two records equal in all of them are a duplicate.
#[derive(Debug, Clone, Default)]
pub struct Condition {
    pub ph: Option<Band>,
    pub texture: Option<Texture>,
    pub organic_carbon: Option<Band>,
    pub extraction: Option<Extraction>,
    /// What is measured when it is not soil (`rice`): such values are never compared with soil.
    pub medium: Option<String>,
    /// A named sub-case (`soils with temporarily reducing conditions`).
    pub scope: Option<String>,
}

impl Condition {
    /// The structured conditions, each as a short phrase for tables, in English.
    pub fn phrases(&self) -> Vec<String> {
        self.phrases_in(&|key| match key {
            "condition_texture" => "texture: {texture}".to_string(),
            "condition_medium" => "measured in {medium}, not soil".to_string(),
            _ => [
                Extraction::Total,
                Extraction::AquaRegia,
                Extraction::AmmoniumNitrate,
            ]
            .into_iter()
            .chain([Extraction::Alkaline, Extraction::Dtpa, Extraction::Edta])
            .find(|e| key.strip_prefix("extraction_") == Some(e.id()))
            .map(Extraction::label)
            .or_else(|| {
                [Texture::Sand, Texture::LoamSilt, Texture::Clay]
                    .into_iter()
                    .find(|t| key.strip_prefix("texture_") == Some(t.id()))
                    .map(Texture::label)
            })
            .unwrap_or(key)
            .to_string(),
        })
    }

    /// The phrases in a page's language: `t` gives the interface string of a key
    /// (`extraction_aqua_regia`, `texture_clay`, `condition_texture` with `{texture}`,
    /// `condition_medium` with `{medium}`). Bands and scopes are the data's own words.
    pub fn phrases_in(&self, t: &dyn Fn(&str) -> String) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(b) = &self.ph {
            out.push(b.to_string());
        }
        if let Some(x) = self.texture {
            let texture = t(&format!("texture_{}", x.id()));
            out.push(t("condition_texture").replace("{texture}", &texture));
        }
        if let Some(b) = &self.organic_carbon {
            out.push(b.to_string());
        }
        if let Some(e) = self.extraction {
            out.push(t(&format!("extraction_{}", e.id())));
        }
        if let Some(m) = &self.medium {
            out.push(t("condition_medium").replace("{medium}", m));
        }
        if let Some(s) = &self.scope {
            out.push(s.clone());
        }
        out
    }
}

/// A value, or the instrument's explicit statement that it sets none.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    Value(Quantity),
    NoValue,
}

impl Amount {
    pub fn mg_per_kg(&self) -> Option<f64> {
        match self {
            Amount::Value(q) => Some(q.mg_per_kg()),
            Amount::NoValue => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Record {
    pub contaminant: ContaminantIx,
    pub country: CountryIx,
    pub instrument: InstrumentIx,
    /// Index into the instrument's sources.
    pub source: usize,
    pub land_use: Term<LandUseIx>,
    pub value_type: Term<ValueTypeIx>,
    pub amount: Amount,
    pub condition: Condition,
    /// Overrides the instrument's basis.
    pub basis: Option<String>,
    pub note: Option<String>,
    /// The record's stable id (`nld-cd-1a2b3c4d`): see [`record_id`].
    pub id: String,
    pub span: Span,
}

impl Record {
    /// Comparable with other soil values on one scale.
    pub fn is_soil(&self) -> bool {
        self.condition.medium.is_none()
    }
}

/// A record's stable id: `<country>-<contaminant>-<hash>`, where the hash (CRC-32, hex) is of
/// everything that identifies the record — country, subdivision, instrument, contaminant, the
/// instrument's land-use and value-type keys and every condition — and of nothing else. Neither
/// its value nor its position enters it, so adding, removing or reordering other records, or
/// correcting this record's number, never changes an id: anchors, downloads and citations that
/// use it keep pointing at the same record.
pub fn record_id(
    country: &CountryCode,
    subdivision: Option<&Subdivision>,
    instrument: &str,
    contaminant: &str,
    land_use_key: &str,
    value_type_key: &str,
    condition: &Condition,
) -> String {
    let opt = |s: Option<String>| s.unwrap_or_default();
    // Bands in their normalised form (`5.5 < pH <= 6.5`), however the file wrote them.
    let identity = [
        country.as_str().to_string(),
        opt(subdivision.map(|s| s.code.clone())),
        instrument.to_string(),
        contaminant.to_string(),
        land_use_key.to_string(),
        value_type_key.to_string(),
        opt(condition.ph.map(|b| b.to_string())),
        opt(condition.texture.map(|t| t.id().to_string())),
        opt(condition.organic_carbon.map(|b| b.to_string())),
        opt(condition.extraction.map(|e| e.id().to_string())),
        opt(condition.medium.clone()),
        opt(condition.scope.clone()),
    ]
    .join("\u{1f}");
    format!(
        "{}-{}-{:08x}",
        country.slug(),
        contaminant,
        crc32fast::hash(identity.as_bytes())
    )
}

/// What looking an id up found. Besides the ids the database holds and those it does not, there
/// are ids defined in a data file that could not be read: that file's error (already reported) is
/// the one to fix, and a reference to such an id is not a mistake of its own. Lookups return this
/// rather than an `Option`, so that a caller reporting unknown ids has to decide about the
/// middle case instead of reporting "unknown contaminant `cd`" for every use of a broken file's
/// entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defined<Ix> {
    Known(Ix),
    /// Defined, as far as could be read, in a data file with errors.
    InBrokenFile,
    Unknown,
}

impl<Ix> Defined<Ix> {
    /// What is known of it, for readers that only show what exists.
    pub fn known(self) -> Option<Ix> {
        match self {
            Defined::Known(ix) => Some(ix),
            Defined::InBrokenFile | Defined::Unknown => None,
        }
    }

    pub fn map<T>(self, f: impl FnOnce(Ix) -> T) -> Defined<T> {
        self.and_then(|ix| Some(f(ix)))
    }

    /// A known id's `f`: what it leads to, or `Unknown` when it leads nowhere.
    pub fn and_then<T>(self, f: impl FnOnce(Ix) -> Option<T>) -> Defined<T> {
        match self {
            Defined::Known(ix) => f(ix).map_or(Defined::Unknown, Defined::Known),
            Defined::InBrokenFile => Defined::InBrokenFile,
            Defined::Unknown => Defined::Unknown,
        }
    }
}

/// The ids of one vocabulary defined in files that could not be read whole, as far as their
/// text tells, normalised as the vocabulary's lookups are (contaminants in lower case, countries
/// in upper case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BrokenIds {
    ids: BTreeSet<String>,
    /// A file of the vocabulary failed and none of its ids could be read: any id may be in it.
    any: bool,
}

impl BrokenIds {
    pub(super) fn insert(&mut self, id: String) {
        self.ids.insert(id);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ids.is_empty() && !self.any
    }

    /// Every id is in doubt: a file failed and its ids could not be read.
    pub(super) fn insert_any(&mut self) {
        self.any = true;
    }

    /// `InBrokenFile` when `id` may be defined in a broken file, else `Unknown`.
    fn lookup<Ix>(&self, id: &str) -> Defined<Ix> {
        if self.any || self.ids.contains(id) {
            Defined::InBrokenFile
        } else {
            Defined::Unknown
        }
    }
}

/// Per vocabulary, what is defined in data files with errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct InBrokenFiles {
    pub contaminants: BrokenIds,
    pub countries: BrokenIds,
    pub land_uses: BrokenIds,
    pub value_types: BrokenIds,
}

/// The whole database, sorted for reading: contaminants by group and name, countries by name,
/// records by contaminant, country, land use, value type and band.
#[derive(Debug, Default)]
pub struct Database {
    pub contaminants: Vec<Contaminant>,
    pub land_uses: Vec<Class>,
    pub value_types: Vec<Class>,
    pub countries: Vec<Country>,
    pub instruments: Vec<Instrument>,
    pub records: Vec<Record>,
    pub(super) contaminant_ids: HashMap<String, ContaminantIx>,
    pub(super) country_codes: HashMap<String, CountryIx>,
    /// Ids defined in data files that could not be read: references to them are not reported.
    pub(super) in_broken_files: InBrokenFiles,
    /// Names in each language of the site, by language index (0, the default, is empty: the
    /// vocabulary's own names are the default language's).
    pub names: Vec<Names>,
    /// A hash of the data files read: what pages showing data are cached on.
    pub digest: u64,
    /// The previous release, as published, for the change log (`data/releases/`).
    pub previous: Option<PreviousRelease>,
    /// The records of each contaminant and of each country, made on first use: every data page
    /// and every `thresholds` block asks for a few of tens of thousands of records, and finding
    /// them by reading them all was a tenth of building a site with 50,000 of them.
    by: std::sync::OnceLock<RecordsBy>,
}

/// [`Database::records`] by contaminant and by country, each list in database order.
#[derive(Debug, Default)]
struct RecordsBy {
    contaminant: Vec<Vec<RecordIx>>,
    country: Vec<Vec<RecordIx>>,
}

/// The records of the previous release, as its `thresholds.json` has them.
#[derive(Debug, Clone)]
pub struct PreviousRelease {
    /// The file's name without `.json`: the release's name (`2026.1`).
    pub name: String,
    pub records: Vec<PreviousRecord>,
}

/// What the change log compares of a published record.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PreviousRecord {
    pub record_id: String,
    #[serde(default)]
    pub contaminant: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub value_as_given: Option<String>,
    #[serde(default)]
    pub unit_as_given: Option<String>,
}

/// The names of one language (`data/contaminants.fr.yaml` and friends).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub contaminants: HashMap<ContaminantIx, String>,
    pub land_uses: HashMap<LandUseIx, (String, Option<String>)>,
    pub value_types: HashMap<ValueTypeIx, (String, Option<String>)>,
    pub countries: HashMap<CountryIx, String>,
    /// Subdivisions of regional instruments, by ISO 3166-2 code (`BE-VLG`).
    pub subdivisions: HashMap<String, String>,
}

impl Database {
    pub fn is_empty(&self) -> bool {
        self.contaminants.is_empty() && self.countries.is_empty()
    }

    pub fn contaminant(&self, ix: ContaminantIx) -> &Contaminant {
        &self.contaminants[ix.0]
    }

    pub fn country(&self, ix: CountryIx) -> &Country {
        &self.countries[ix.0]
    }

    pub fn instrument(&self, ix: InstrumentIx) -> &Instrument {
        &self.instruments[ix.0]
    }

    pub fn land_use(&self, ix: LandUseIx) -> &Class {
        &self.land_uses[ix.0]
    }

    pub fn value_type(&self, ix: ValueTypeIx) -> &Class {
        &self.value_types[ix.0]
    }

    pub fn source(&self, record: &Record) -> &Source {
        &self.instrument(record.instrument).sources[record.source]
    }

    /// A contaminant's name in language `lang`, or in the default language when that lacks it.
    pub fn contaminant_name(&self, ix: ContaminantIx, lang: usize) -> &str {
        self.names
            .get(lang)
            .and_then(|n| n.contaminants.get(&ix))
            .map_or(&self.contaminant(ix).name, |s| s)
    }

    pub fn country_name(&self, ix: CountryIx, lang: usize) -> &str {
        self.names
            .get(lang)
            .and_then(|n| n.countries.get(&ix))
            .map_or(&self.country(ix).name, |s| s)
    }

    /// Where a record's instrument applies, as readers see it wherever the country is named:
    /// the country in language `lang`, and for a regional instrument its subdivision
    /// (`Canada (Quebec)`).
    pub fn jurisdiction_name(&self, record: &Record, lang: usize) -> String {
        let country = self.country_name(record.country, lang);
        match &self.instrument(record.instrument).subdivision {
            Some(s) => format!("{country} ({})", self.subdivision_name(s, lang)),
            None => country.to_string(),
        }
    }

    /// A subdivision's name in language `lang` (`countries.fr.yaml` may name `BE-VLG`), or its
    /// ISO 3166-2 name.
    pub fn subdivision_name<'a>(&'a self, s: &'a Subdivision, lang: usize) -> &'a str {
        self.names
            .get(lang)
            .and_then(|n| n.subdivisions.get(&s.code))
            .map_or(&s.name, |n| n)
    }

    pub fn land_use_name(&self, ix: LandUseIx, lang: usize) -> &str {
        self.names
            .get(lang)
            .and_then(|n| n.land_uses.get(&ix))
            .map_or(&self.land_use(ix).name, |(s, _)| s)
    }

    pub fn value_type_name(&self, ix: ValueTypeIx, lang: usize) -> &str {
        self.names
            .get(lang)
            .and_then(|n| n.value_types.get(&ix))
            .map_or(&self.value_type(ix).name, |(s, _)| s)
    }

    /// A contaminant by id, case-insensitively (`Cd` finds `cd`). Only for showing what exists:
    /// whatever reports an unknown id uses [`Self::contaminant_by_id`].
    pub fn find_contaminant(&self, id: &str) -> Option<ContaminantIx> {
        self.contaminant_by_id(id).known()
    }

    /// A country by code, case-insensitively; for showing only, like [`Self::find_contaminant`].
    pub fn find_country(&self, code: &str) -> Option<CountryIx> {
        self.country_by_code(code).known()
    }

    /// For showing only, like [`Self::find_contaminant`].
    pub fn find_land_use(&self, id: &str) -> Option<LandUseIx> {
        self.land_use_by_id(id).known()
    }

    /// For showing only, like [`Self::find_contaminant`].
    pub fn find_value_type(&self, id: &str) -> Option<ValueTypeIx> {
        self.value_type_by_id(id).known()
    }

    /// A contaminant by id, case-insensitively (`Cd` finds `cd`), or whether a broken file may
    /// define it.
    pub fn contaminant_by_id(&self, id: &str) -> Defined<ContaminantIx> {
        let id = id.to_ascii_lowercase();
        match self.contaminant_ids.get(&id) {
            Some(&ix) => Defined::Known(ix),
            None => self.in_broken_files.contaminants.lookup(&id),
        }
    }

    /// A country by code, case-insensitively, or whether a broken file may define it.
    pub fn country_by_code(&self, code: &str) -> Defined<CountryIx> {
        let code = code.to_ascii_uppercase();
        match self.country_codes.get(&code) {
            Some(&ix) => Defined::Known(ix),
            None => self.in_broken_files.countries.lookup(&code),
        }
    }

    /// A land-use class by id, or whether a broken file may define it.
    pub fn land_use_by_id(&self, id: &str) -> Defined<LandUseIx> {
        match self.land_uses.iter().position(|c| c.id == id) {
            Some(i) => Defined::Known(LandUseIx(i)),
            None => self.in_broken_files.land_uses.lookup(id),
        }
    }

    /// A value-type class by id, or whether a broken file may define it.
    pub fn value_type_by_id(&self, id: &str) -> Defined<ValueTypeIx> {
        match self.value_types.iter().position(|c| c.id == id) {
            Some(i) => Defined::Known(ValueTypeIx(i)),
            None => self.in_broken_files.value_types.lookup(id),
        }
    }

    /// What data files with errors define: resolution depends on it as much as on what the
    /// database holds.
    pub fn in_broken_files(&self) -> &InBrokenFiles {
        &self.in_broken_files
    }

    pub fn contaminant_ids(&self) -> impl Iterator<Item = &str> {
        self.contaminants.iter().map(|c| c.id.as_str())
    }

    /// Whether a regional instrument names the subdivision `code` (case-insensitive).
    pub fn subdivision_in_use(&self, code: &str) -> bool {
        (self.instruments.iter())
            .filter_map(|i| i.subdivision.as_ref())
            .any(|s| s.code.eq_ignore_ascii_case(code))
    }

    pub fn country_codes(&self) -> impl Iterator<Item = &str> {
        self.countries.iter().map(|c| c.code.as_str())
    }

    fn by(&self) -> &RecordsBy {
        self.by.get_or_init(|| {
            let mut by = RecordsBy {
                contaminant: vec![Vec::new(); self.contaminants.len()],
                country: vec![Vec::new(); self.countries.len()],
            };
            for (i, r) in self.records.iter().enumerate() {
                by.contaminant[r.contaminant.0].push(RecordIx(i));
                by.country[r.country.0].push(RecordIx(i));
            }
            by
        })
    }

    /// Records of one contaminant, in database order.
    pub fn records_of_contaminant(&self, ix: ContaminantIx) -> impl Iterator<Item = RecordIx> + '_ {
        self.by().contaminant[ix.0].iter().copied()
    }

    /// Records of one country, in database order.
    pub fn records_of_country(&self, ix: CountryIx) -> impl Iterator<Item = RecordIx> + '_ {
        self.by().country[ix.0].iter().copied()
    }

    /// The records a `thresholds` block's filter shows, in database order: looked for among the
    /// records of its contaminants or its countries (the shorter), not among all.
    pub fn records_matching(&self, filter: &Filter) -> Vec<RecordIx> {
        let by = self.by();
        let contaminants = (filter.contaminants.iter()).map(|c| by.contaminant[c.0].as_slice());
        let countries = (filter.countries.iter()).map(|c| by.country[c.0].as_slice());
        let size = |lists: &Vec<&[RecordIx]>| lists.iter().map(|l| l.len()).sum::<usize>();
        let narrowest = [contaminants.collect(), countries.collect()]
            .into_iter()
            .filter(|lists: &Vec<&[RecordIx]>| !lists.is_empty())
            .min_by_key(size);
        let mut candidates: Vec<RecordIx> = match narrowest {
            Some(lists) => lists.into_iter().flatten().copied().collect(),
            None => (0..self.records.len()).map(RecordIx).collect(),
        };
        // A filter may name a contaminant or country twice.
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&r| filter.matches(&self.records[r.0]));
        candidates
    }
}

/// Which records a ```` ```thresholds ```` block shows: each list empty means "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub contaminants: Vec<ContaminantIx>,
    pub countries: Vec<CountryIx>,
    pub land_uses: Vec<LandUseIx>,
    pub value_types: Vec<ValueTypeIx>,
}

impl Filter {
    pub fn matches(&self, r: &Record) -> bool {
        fn any<T: PartialEq>(list: &[T], x: &T) -> bool {
            list.is_empty() || list.contains(x)
        }
        any(&self.contaminants, &r.contaminant)
            && any(&self.countries, &r.country)
            && any(&self.land_uses, &r.land_use.class)
            && any(&self.value_types, &r.value_type.class)
    }
}

/// Checks a CAS registry number's form and check digit (`7440-43-9`).
pub fn valid_cas(cas: &str) -> bool {
    let parts: Vec<&str> = cas.split('-').collect();
    let [a, b, c] = parts[..] else {
        return false;
    };
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let digits = digits_only(a) && digits_only(b) && digits_only(c);
    if !digits || !(2..=7).contains(&a.len()) || b.len() != 2 || c.len() != 1 {
        return false;
    }
    let body: Vec<u32> = format!("{a}{b}")
        .bytes()
        .map(|d| u32::from(d - b'0'))
        .collect();
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| (i as u32 + 1) * d)
        .sum();
    sum % 10 == u32::from(c.as_bytes()[0] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cas_numbers_are_checked_by_their_check_digit() {
        assert!(valid_cas("7440-43-9")); // cadmium
        assert!(valid_cas("7440-38-2")); // arsenic
        assert!(valid_cas("50-32-8")); // benzo[a]pyrene
        assert!(!valid_cas("7440-43-8"));
        assert!(!valid_cas("7440-43"));
        assert!(!valid_cas("74a0-43-9"));
    }

    #[test]
    fn country_codes_are_iso_3166_alpha_3() {
        assert_eq!(CountryCode::parse("nld").unwrap().0.as_str(), "NLD");
        assert_eq!(CountryCode::parse("EUU").unwrap().1, "European Union");
        assert!(CountryCode::parse("NL").is_none());
        assert!(CountryCode::parse("XYZ").is_none());
    }
}
