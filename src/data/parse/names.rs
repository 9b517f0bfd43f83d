//! `data/<vocabulary>.<lang>.yaml` (`contaminants.fr.yaml`, `land-uses.fr.yaml`,
//! `value-types.fr.yaml`, `countries.fr.yaml`): what the default vocabulary's ids are called in
//! another language of the site. Read last, against the database the other files made.

use super::{field, top_level_list};
use crate::data::types::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span, did_you_mean};
use serde::Deserialize;

/// What a file of names in another language names.
#[derive(Clone, Copy)]
pub(super) enum NamesOf {
    Contaminants,
    LandUses,
    ValueTypes,
    Countries,
}

/// `contaminants.fr.yaml` → contaminants, French; `None` for other files.
pub(super) fn kind_of(rel: &str, languages: &[String]) -> Option<(NamesOf, usize)> {
    let (kind, code) = split(rel)?;
    let lang = languages.iter().skip(1).position(|l| l == code)? + 1;
    Some((kind, lang))
}

/// Named like a file of names (`contaminants.de.yaml`), whether or not the site has the language.
pub(super) fn looks_like_names(rel: &str) -> bool {
    split(rel).is_some_and(|(_, code)| crate::config::is_language_code(code))
}

/// `contaminants.fr.yaml` → contaminants and `fr`.
fn split(rel: &str) -> Option<(NamesOf, &str)> {
    let stem = rel
        .strip_suffix(".yaml")
        .or_else(|| rel.strip_suffix(".yml"))?;
    let (base, code) = stem.rsplit_once('.')?;
    let kind = match base {
        "contaminants" => NamesOf::Contaminants,
        "land-uses" => NamesOf::LandUses,
        "value-types" => NamesOf::ValueTypes,
        "countries" => NamesOf::Countries,
        _ => return None,
    };
    Some((kind, code))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// One language's names of contaminants, land uses, value types or countries. An id that the
/// original vocabulary lacks is an error with the closest id; an id left out keeps its name in
/// the default language; an id of a file that could not be read is left to that file's error.
pub(super) fn read(
    db: &mut Database,
    file: FileId,
    sources: &SourceMap,
    kind: NamesOf,
    lang: usize,
    diagnostics: &mut Diagnostics,
) {
    let text = &sources.get(file).text();
    let items: Vec<(RawName, Span)> =
        top_level_list(file, sources, diagnostics).unwrap_or_default();
    for (item, span) in items {
        let defined = match kind {
            NamesOf::Contaminants => db.contaminant_by_id(&item.id).map(|ix| {
                db.names[lang].contaminants.insert(ix, item.name.clone());
            }),
            NamesOf::LandUses => db.land_use_by_id(&item.id).map(|ix| {
                let named = (item.name.clone(), item.description.clone());
                db.names[lang].land_uses.insert(ix, named);
            }),
            NamesOf::ValueTypes => db.value_type_by_id(&item.id).map(|ix| {
                let named = (item.name.clone(), item.description.clone());
                db.names[lang].value_types.insert(ix, named);
            }),
            // A subdivision of a regional instrument (`BE-VLG`) is named beside the countries.
            NamesOf::Countries if db.subdivision_in_use(&item.id) => {
                let code = item.id.to_ascii_uppercase();
                db.names[lang].subdivisions.insert(code, item.name.clone());
                Defined::Known(())
            }
            NamesOf::Countries => db.country_by_code(&item.id).map(|ix| {
                db.names[lang].countries.insert(ix, item.name.clone());
            }),
        };
        if !matches!(defined, Defined::Unknown) {
            continue;
        }
        let (what, known): (&str, Vec<&str>) = match kind {
            NamesOf::Contaminants => ("contaminant", db.contaminant_ids().collect()),
            NamesOf::LandUses => (
                "land use",
                db.land_uses.iter().map(|c| c.id.as_str()).collect(),
            ),
            NamesOf::ValueTypes => (
                "value type",
                db.value_types.iter().map(|c| c.id.as_str()).collect(),
            ),
            NamesOf::Countries => ("country", db.country_codes().collect()),
        };
        let suggestion = did_you_mean(&item.id, known.iter().copied()).map(str::to_string);
        diagnostics.push(
            Diagnostic::error(Code::DataValue, format!("unknown {what} `{}`", item.id))
                .at(field(&span, text, "id"), format!("no {what} has this id"))
                .help(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "a file of names translates the ids of the default vocabulary: use an id of that {what}"
                    ),
                }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{VOCABULARY, read};
    use super::*;

    #[test]
    fn only_vocabulary_files_in_a_declared_language_are_names() {
        let languages = ["en".to_string(), "fr".to_string()];
        assert!(matches!(
            kind_of("land-uses.fr.yaml", &languages),
            Some((NamesOf::LandUses, 1))
        ));
        assert!(
            kind_of("land-uses.en.yaml", &languages).is_none(),
            "the default language"
        );
        assert!(kind_of("land-uses.de.yaml", &languages).is_none());
        assert!(kind_of("thresholds/nld.fr.yaml", &languages).is_none());
    }

    #[test]
    fn an_unknown_id_is_located_at_the_id_with_the_closest_one() {
        let mut files = VOCABULARY.to_vec();
        files.push(("contaminants.fr.yaml", "- id: cdd\n  name: Cadmium\n"));
        let read = read(&files);
        assert_eq!(
            read.located(),
            [(
                "unknown contaminant `cdd`".to_string(),
                "data/contaminants.fr.yaml".to_string(),
                "cdd"
            )]
        );
        assert_eq!(read.first_range(), 6..9);
        let help = read.diagnostics.iter().next().unwrap().help.clone();
        assert_eq!(help.as_deref(), Some("did you mean `cd`?"));
    }
}
