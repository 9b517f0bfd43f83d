//! `data/contaminants.yaml`: the contaminants every threshold names by id, with their names,
//! symbols, CAS numbers, groups and aliases (which make the hint for a name written where an
//! id belongs).

use super::{broken_ids, field, is_slug, top_level_list};
use crate::data::types::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContaminant {
    id: String,
    name: String,
    #[serde(default)]
    symbol: Option<String>,
    #[serde(default)]
    cas: Option<String>,
    group: Group,
    #[serde(default)]
    aliases: Vec<String>,
}

/// `data/contaminants.yaml`: the contaminants, in the order written; ids that are not slugs,
/// defined twice or with an invalid CAS number are reported (the CAS number is dropped). Beside
/// them, the ids of entries that could not be read, whose references are not reported again.
pub(super) fn read(
    file: FileId,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> (Vec<Contaminant>, BrokenIds) {
    let source = sources.get(file);
    let lower = |id: &str| id.to_ascii_lowercase();
    let Some(items) = top_level_list::<RawContaminant>(file, sources, diagnostics) else {
        return (Vec::new(), broken_ids(source.text(), lower));
    };
    let mut broken = BrokenIds::default();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for (c, span) in items {
        let id_span = field(&span, source.text(), "id");
        if !is_slug(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!("contaminant id `{}` is not a slug", c.id),
                )
                .at(id_span.clone(), "used in URLs and `contaminant:` links")
                .help("use lower-case letters, digits, `_` and `-` (e.g. `cd`, `cr_vi`, `24-d`)"),
            );
            broken.insert(lower(&c.id));
            continue;
        }
        if let Some(first) = seen.get(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("contaminant `{}` is defined twice", c.id),
                )
                .at(id_span, "defined again here")
                .also(first.clone(), "first defined here")
                .help("merge the two entries or give one another id"),
            );
            continue;
        }
        if let Some(cas) = &c.cas
            && !valid_cas(cas)
        {
            diagnostics.push(
                Diagnostic::error(Code::DataValue, format!("`{cas}` is not a valid CAS number"))
                    .at(field(&span, source.text(), "cas"), "wrong form or check digit")
                    .help("CAS numbers look like `7440-43-9`; the last digit checks the others: copy it again from the source"),
            );
        }
        seen.insert(c.id.clone(), id_span);
        out.push(Contaminant {
            id: c.id,
            name: c.name,
            symbol: c.symbol,
            cas: c.cas.filter(|cas| valid_cas(cas)),
            group: c.group,
            aliases: c.aliases,
            span,
        });
    }
    (out, broken)
}

#[cfg(test)]
mod tests {
    use super::super::testing::read;

    #[test]
    fn a_wrong_check_digit_is_located_at_the_cas_number_and_the_number_dropped() {
        let text = "- id: cd\n  name: Cadmium\n  cas: 7440-43-8\n  group: heavy_metal\n";
        let read = read(&[("contaminants.yaml", text)]);
        assert_eq!(
            read.located(),
            [(
                "`7440-43-8` is not a valid CAS number".to_string(),
                "data/contaminants.yaml".to_string(),
                "7440-43-8"
            )]
        );
        let at = text.find("7440").unwrap();
        assert_eq!(read.first_range(), at..at + "7440-43-8".len());
        assert_eq!(read.db.contaminants[0].cas, None);
    }

    #[test]
    fn a_second_definition_is_located_at_its_own_id() {
        let text = "- id: cd\n  name: Cadmium\n  group: heavy_metal\n- id: cd\n  name: Again\n  group: heavy_metal\n";
        let read = read(&[("contaminants.yaml", text)]);
        let located = read.located();
        assert_eq!(located.len(), 1);
        assert_eq!(located[0].0, "contaminant `cd` is defined twice");
        let second = text.rfind("id: cd").unwrap() + "id: ".len();
        assert_eq!(read.first_range(), second..second + 2);
        let first = &read.diagnostics.iter().next().unwrap().secondary[0].0;
        assert_eq!(first.range, 6..8, "the first definition");
        assert_eq!(read.db.contaminants.len(), 1);
    }
}
