//! From YAML text to the typed [`Database`]: serde reads the shape (and reports malformed YAML,
//! unknown keys and wrong types), then every id, unit, band and source is checked with its
//! location found again in the text.
//!
//! One module per kind of data file. This one owns what they share: which file is which kind,
//! the order they are read in (the vocabularies first, then the country files checked against
//! them, then the names in other languages of what those define), and the helpers that find an
//! item's place in the text again so that every problem is located.

mod contaminants;
mod names;
mod release;
mod thresholds;
mod vocabulary;

use super::types::*;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span};
use crate::load::DataFile;
use crate::load::yaml::{self, sequence_items, value_span};
use std::ops::Range;

const CONTAMINANTS: &str = "contaminants.yaml";
const LAND_USES: &str = "land-uses.yaml";
const VALUE_TYPES: &str = "value-types.yaml";
const THRESHOLDS_DIR: &str = "thresholds/";

/// Reads the data files into one database, every problem reported and all that could be read
/// kept. The site's languages are `config`'s, default first.
pub(super) fn database(
    files: &[DataFile],
    sources: &SourceMap,
    config: &Config,
) -> (Database, Diagnostics) {
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let mut diagnostics = Diagnostics::default();
    let mut db = Database::default();
    let mut country_files = Vec::new();
    let mut name_files = Vec::new();
    let mut releases = Vec::new();
    for f in files {
        if release::is_release(&f.rel) {
            releases.push((f.file, f.rel.as_str()));
            continue;
        }
        if let Some((kind, lang)) = names::kind_of(&f.rel, &languages) {
            name_files.push((f, kind, lang));
            continue;
        }
        let broken = &mut db.in_broken_files;
        match f.rel.as_str() {
            CONTAMINANTS => {
                (db.contaminants, broken.contaminants) =
                    contaminants::read(f.file, sources, &mut diagnostics);
            }
            LAND_USES => {
                (db.land_uses, broken.land_uses) =
                    vocabulary::read(f.file, sources, "land use", &mut diagnostics);
            }
            VALUE_TYPES => {
                (db.value_types, broken.value_types) =
                    vocabulary::read(f.file, sources, "value type", &mut diagnostics);
            }
            rel if rel.starts_with(THRESHOLDS_DIR) => country_files.push(f),
            // Names in a language that pedon.toml may declare in the part that could not be
            // read: its error is the one to fix.
            rel if !config.is_whole() && names::looks_like_names(rel) => {}
            _ => diagnostics.push(
                Diagnostic::warning(Code::UnusedData, format!("data file `{}` is not used", f.rel))
                    .at(Span::file_start(f.file), "Pedon does not read this file")
                    .help(format!(
                        "Pedon reads data/{CONTAMINANTS}, data/{LAND_USES}, data/{VALUE_TYPES}, data/{THRESHOLDS_DIR}<iso3>.yaml, and names in a declared language (data/contaminants.fr.yaml, land-uses, value-types, countries); move or rename it"
                    )),
            ),
        }
    }
    // Reading order: contaminants by group, then name. Records sort by index, so sort first.
    db.contaminants
        .sort_by_key(|c| (c.group, c.name.to_lowercase()));
    db.contaminant_ids = db
        .contaminants
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), ContaminantIx(i)))
        .collect();
    // The country files are checked against the vocabularies, so they come after them.
    thresholds::read(&mut db, &country_files, sources, &mut diagnostics);
    db.names = vec![Names::default(); languages.len()];
    for (f, kind, lang) in name_files {
        names::read(&mut db, f.file, sources, kind, lang, &mut diagnostics);
    }
    db.previous = release::read(&releases, sources, &mut diagnostics);
    (db, diagnostics)
}

/// An id fit for URLs and typed links: lower-case ASCII letters, digits, `_` and `-`, starting
/// with a letter or digit.
fn is_slug(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Spans of the items of a list, or the file start for each when the list is not in block style.
fn item_spans(
    file: FileId,
    text: &str,
    within: Range<usize>,
    key: Option<&str>,
    count: usize,
) -> Vec<Span> {
    let items = sequence_items(text, within.clone(), key);
    if items.len() == count {
        items
            .into_iter()
            .map(|r| Span::new(file, r.start..r.start + text[r].trim_end().len()))
            .collect()
    } else {
        let at = key
            .and_then(|k| value_span(text, within.clone(), k))
            .unwrap_or(within.start..within.start);
        vec![Span::new(file, at); count]
    }
}

/// Span of `key`'s value in `item`, or the item itself.
fn field(item: &Span, text: &str, key: &str) -> Span {
    value_span(text, item.range.clone(), key).map_or_else(
        || Span::new(item.file, item.range.start..item.range.start),
        |r| Span::new(item.file, r),
    )
}

/// A data file that is a YAML list, each item with its span; `None` after reporting why it
/// cannot be read.
fn top_level_list<T: serde::de::DeserializeOwned>(
    file: FileId,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<(T, Span)>> {
    let source = sources.get(file);
    let raw: Vec<T> = match yaml::parse_data(source, file, "data file") {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(*d);
            return None;
        }
    };
    let spans = item_spans(file, source.text(), 0..source.text().len(), None, raw.len());
    Some(raw.into_iter().zip(spans).collect())
}

/// What a vocabulary file that YAML cannot read defines: the ids its lines declare, each as
/// `normalise` makes it, or any id at all when no line can be read as one. References to them
/// are then not reported on top of the file's own error.
fn broken_ids(text: &str, normalise: fn(&str) -> String) -> BrokenIds {
    let mut broken = BrokenIds::default();
    for id in text.lines().filter_map(id_on_line) {
        broken.insert(normalise(id));
    }
    if broken.is_empty() {
        broken.insert_any();
    }
    broken
}

/// The id an entry declares on this line, as editors write it whether YAML can read the rest or
/// not: `- id: cd`, `  id: cd`, `- { id: cd, name: Cadmium }`, quoted or not.
fn id_on_line(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix('-').map_or(rest, str::trim_start);
    let rest = rest.strip_prefix('{').map_or(rest, str::trim_start);
    let value = rest.strip_prefix("id:")?;
    let value = value.split([',', '}', '#']).next()?.trim();
    let value = value.trim_matches(['"', '\'']).trim();
    (!value.is_empty()).then_some(value)
}

/// What the tests of each kind of file read: data files given by their path under `data/`, and
/// the problems found, each as its message and the text its caret points at.
#[cfg(test)]
mod testing {
    use super::*;

    /// A small vocabulary for country files to be checked against.
    pub const VOCABULARY: [(&str, &str); 3] = [
        (
            "contaminants.yaml",
            "- id: cd\n  name: Cadmium\n  symbol: Cd\n  cas: 7440-43-9\n  group: heavy_metal\n",
        ),
        (
            "land-uses.yaml",
            "- id: agricultural\n  name: Agricultural\n",
        ),
        ("value-types.yaml", "- id: screening\n  name: Screening\n"),
    ];

    pub struct Read {
        pub db: Database,
        pub diagnostics: Diagnostics,
        pub sources: SourceMap,
    }

    /// Reads `files` as the data of a site in English and French.
    pub fn read(files: &[(&str, &str)]) -> Read {
        let mut sources = SourceMap::default();
        let files: Vec<DataFile> = files
            .iter()
            .map(|(rel, text)| {
                let path = std::path::Path::new("data").join(rel);
                let display = path.display().to_string();
                DataFile {
                    file: sources.add(&path, display, text.to_string()),
                    rel: rel.to_string(),
                }
            })
            .collect();
        let config = Config::parse("[[languages]]\ncode = \"en\"\n[[languages]]\ncode = \"fr\"\n")
            .expect("a site in English and French");
        let (db, diagnostics) = database(&files, &sources, &config);
        Read {
            db,
            diagnostics,
            sources,
        }
    }

    impl Read {
        /// Each problem's message with the file and text its caret points at.
        pub fn located(&self) -> Vec<(String, String, &str)> {
            self.diagnostics
                .iter()
                .map(|d| {
                    let (span, _) = d.primary.as_ref().expect("every data problem is located");
                    let file = self.sources.get(span.file);
                    (
                        d.message.clone(),
                        file.display.clone(),
                        &file.text()[span.range.clone()],
                    )
                })
                .collect()
        }

        /// The byte range the first problem's caret covers.
        pub fn first_range(&self) -> Range<usize> {
            let d = self.diagnostics.iter().next().expect("a problem");
            d.primary.as_ref().expect("located").0.range.clone()
        }

        /// The first problem's help.
        pub fn first_help(&self) -> String {
            let d = self.diagnostics.iter().next().expect("a problem");
            d.help.clone().expect("a help")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::id_on_line;
    use super::testing::{VOCABULARY, read};
    use crate::data::Defined;
    use crate::data::types::{Filter, RecordIx};

    #[test]
    fn a_file_of_no_known_kind_is_reported_at_its_start() {
        let read = read(&[("contaminant.yaml", "- id: cd\n")]);
        assert_eq!(
            read.located(),
            [(
                "data file `contaminant.yaml` is not used".to_string(),
                "data/contaminant.yaml".to_string(),
                ""
            )]
        );
        assert_eq!(read.first_range(), 0..0);
    }

    #[test]
    fn the_vocabularies_are_read_before_the_country_files_that_use_them() {
        // The country file comes first in the list and is still checked against the others.
        let country = "country: NLD\ninstruments:\n  - id: c\n    title: C\n    sources: [{ id: s, title: S, where: w, tier: primary }]\n    land_uses: { all: { term: all, class: agricultural } }\n    value_types: { iw: { term: iw, class: screening } }\n    values:\n      - { contaminant: cd, land_use: all, value_type: iw, value: 1, unit: mg/kg }\n";
        let mut files = vec![("thresholds/nld.yaml", country)];
        files.extend(VOCABULARY);
        let read = read(&files);
        assert_eq!(read.located(), []);
        assert_eq!(read.db.records.len(), 1);
    }

    /// The records a `thresholds` block shows are those its filter matches, in database order,
    /// whichever list (by contaminant, by country, or all) they are looked for in.
    #[test]
    fn a_filter_finds_the_records_a_reading_of_all_of_them_finds() {
        let contaminants = "- id: cd\n  name: Cadmium\n  group: heavy_metal\n- id: pb\n  name: Lead\n  group: heavy_metal\n- id: zn\n  name: Zinc\n  group: heavy_metal\n";
        let country = |code: &str, values: &[&str]| {
            let values: String = (values.iter())
                .map(|c| format!("      - {{ contaminant: {c}, land_use: all, value_type: iw, value: 1, unit: mg/kg }}\n"))
                .collect();
            format!(
                "country: {code}\ninstruments:\n  - id: c\n    title: C\n    sources: [{{ id: s, title: S, where: w, tier: primary }}]\n    land_uses: {{ all: {{ term: all, class: agricultural }} }}\n    value_types: {{ iw: {{ term: iw, class: screening }} }}\n    values:\n{values}"
            )
        };
        let nld = country("NLD", &["cd", "pb", "zn"]);
        let bel = country("BEL", &["pb"]);
        let deu = country("DEU", &["cd", "zn"]);
        let mut files = VOCABULARY.to_vec();
        files[0].1 = contaminants;
        files.extend([
            ("thresholds/nld.yaml", nld.as_str()),
            ("thresholds/bel.yaml", bel.as_str()),
            ("thresholds/deu.yaml", deu.as_str()),
        ]);
        let read = read(&files);
        assert_eq!(read.located(), []);
        let db = &read.db;
        assert_eq!(db.records.len(), 6);
        let c = |id: &str| db.find_contaminant(id).unwrap();
        let k = |code: &str| db.find_country(code).unwrap();
        let filters = [
            Filter::default(),
            Filter {
                contaminants: vec![c("zn"), c("cd")],
                ..Filter::default()
            },
            Filter {
                countries: vec![k("DEU"), k("NLD"), k("DEU")],
                ..Filter::default()
            },
            Filter {
                contaminants: vec![c("pb")],
                countries: vec![k("BEL"), k("NLD"), k("DEU")],
                ..Filter::default()
            },
            Filter {
                contaminants: vec![c("cd"), c("pb"), c("zn")],
                countries: vec![k("BEL")],
                ..Filter::default()
            },
            Filter {
                contaminants: vec![c("pb")],
                countries: vec![k("DEU")],
                ..Filter::default()
            },
        ];
        for filter in filters {
            let all: Vec<RecordIx> = (db.records.iter().enumerate())
                .filter(|(_, r)| filter.matches(r))
                .map(|(i, _)| RecordIx(i))
                .collect();
            assert_eq!(db.records_matching(&filter), all, "{filter:?}");
        }
        let of_pb: Vec<RecordIx> = db.records_of_contaminant(c("pb")).collect();
        assert_eq!(of_pb.len(), 2);
        assert!(of_pb.iter().all(|r| db.records[r.0].contaminant == c("pb")));
        assert!(of_pb.windows(2).all(|w| w[0] < w[1]), "in database order");
        assert_eq!(db.records_of_country(k("DEU")).count(), 2);
    }

    #[test]
    fn ids_are_read_from_lines_as_editors_write_them() {
        assert_eq!(id_on_line("- id: cd"), Some("cd"));
        assert_eq!(id_on_line("  id: \"cr_vi\"  # hexavalent"), Some("cr_vi"));
        assert_eq!(id_on_line("- { id: pb, name: Lead }"), Some("pb"));
        assert_eq!(id_on_line("-   {id: 'zn'}"), Some("zn"));
        assert_eq!(id_on_line("  name: Cadmium"), None);
        assert_eq!(id_on_line("  cas_id: 7440-43-9"), None);
        assert_eq!(id_on_line("- id:"), None);
    }

    /// contaminants.yaml with an unclosed quote in its second entry, and a country file using
    /// both its contaminants and one it never had.
    #[test]
    fn a_contaminant_of_a_broken_file_is_not_reported_where_it_is_used() {
        let contaminants = "- id: cd\n  name: Cadmium\n  group: heavy_metal\n- id: pb\n  name: \"Lead\n  group: heavy_metal\n";
        let value = |c: &str| {
            format!(
                "      - {{ contaminant: {c}, land_use: all, value_type: iw, value: 1, unit: mg/kg }}\n"
            )
        };
        let country = format!(
            "country: NLD\ninstruments:\n  - id: c\n    title: C\n    sources: [{{ id: s, title: S, where: w, tier: primary }}]\n    land_uses: {{ all: {{ term: all, class: agricultural }} }}\n    value_types: {{ iw: {{ term: iw, class: screening }} }}\n    values:\n{}{}{}",
            value("cd"),
            value("Pb"),
            value("zz")
        );
        let mut files = VOCABULARY.to_vec();
        files[0].1 = contaminants;
        files.push(("thresholds/nld.yaml", &country));
        let read = read(&files);
        let messages: Vec<_> = read.located().into_iter().map(|(m, f, _)| (m, f)).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0].1, "data/contaminants.yaml");
        assert_eq!(messages[1].0, "unknown contaminant `zz`", "not in any file");
        assert_eq!(read.db.contaminant_by_id("PB"), Defined::InBrokenFile);
        assert_eq!(read.db.contaminant_by_id("zz"), Defined::Unknown);
        assert!(read.db.records.is_empty());
    }

    #[test]
    fn a_vocabulary_file_whose_ids_cannot_be_read_may_define_any_id() {
        let mut files = VOCABULARY.to_vec();
        files[1].1 = "[{ name: Agricultural }, { oops ]\n";
        let read = read(&files);
        assert_eq!(read.located().len(), 1, "{:?}", read.located());
        assert_eq!(
            read.db.land_use_by_id("agricultural"),
            Defined::InBrokenFile
        );
        assert_eq!(read.db.land_use_by_id("anything"), Defined::InBrokenFile);
        assert_eq!(read.db.value_type_by_id("anything"), Defined::Unknown);
    }

    #[test]
    fn names_of_what_a_broken_file_defines_are_not_reported() {
        let mut files = VOCABULARY.to_vec();
        files.push(("thresholds/deu.yaml", "country: DEU\ninstruments: [\n"));
        files.push((
            "countries.fr.yaml",
            "- id: DEU\n  name: Allemagne\n- id: CHE\n  name: Suisse\n",
        ));
        let read = read(&files);
        let located = read.located();
        assert_eq!(located.len(), 2, "{located:?}");
        assert_eq!(located[0].1, "data/thresholds/deu.yaml");
        assert_eq!(located[1].0, "unknown country `CHE`", "no file for it");
        assert_eq!(read.db.country_by_code("deu"), Defined::InBrokenFile);
    }
}
