//! `data/land-uses.yaml` and `data/value-types.yaml`: the common classes (`agricultural`,
//! `intervention`…) that each instrument's own land uses and value types are mapped to, so that
//! values from different countries can be compared. The two files have one shape.

use super::{broken_ids, field, is_slug, top_level_list};
use crate::data::types::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// The classes of one vocabulary file, and the ids of those that could not be read; `what`
/// names them in messages (`land use`).
pub(super) fn read(
    file: FileId,
    sources: &SourceMap,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> (Vec<Class>, BrokenIds) {
    let source = sources.get(file);
    let Some(items) = top_level_list::<RawClass>(file, sources, diagnostics) else {
        return (Vec::new(), broken_ids(source.text(), str::to_string));
    };
    let mut broken = BrokenIds::default();
    let mut out: Vec<Class> = Vec::with_capacity(items.len());
    for (c, span) in items {
        let id_span = field(&span, source.text(), "id");
        if !is_slug(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!("{what} id `{}` is not a slug", c.id),
                )
                .at(id_span, "not a slug")
                .help("use lower-case letters, digits, `_` and `-`"),
            );
            broken.insert(c.id);
        } else if out.iter().any(|o| o.id == c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("{what} `{}` is defined twice", c.id),
                )
                .at(id_span, "defined again here")
                .help("remove one of the two entries"),
            );
        } else {
            out.push(Class {
                id: c.id,
                name: c.name,
                description: c.description,
            });
        }
    }
    (out, broken)
}

#[cfg(test)]
mod tests {
    use super::super::testing::read;

    #[test]
    fn an_id_that_is_not_a_slug_is_located_at_the_id() {
        let text = "- id: agricultural\n  name: Agricultural\n- id: Residential Land\n  name: Residential\n";
        let read = read(&[("land-uses.yaml", text)]);
        assert_eq!(
            read.located(),
            [(
                "land use id `Residential Land` is not a slug".to_string(),
                "data/land-uses.yaml".to_string(),
                "Residential Land"
            )]
        );
        let at = text.find("Residential Land").unwrap();
        assert_eq!(read.first_range(), at..at + "Residential Land".len());
        let ids: Vec<_> = read.db.land_uses.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["agricultural"]);
    }

    #[test]
    fn value_types_are_named_as_such() {
        let text = "- id: screening\n  name: S\n- id: screening\n  name: Again\n";
        let read = read(&[("value-types.yaml", text)]);
        let located = read.located();
        assert_eq!(located[0].0, "value type `screening` is defined twice");
        let second = text.rfind("screening").unwrap();
        assert_eq!(read.first_range(), second..second + "screening".len());
    }
}
