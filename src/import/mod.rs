//! `pedon data import FILE`: a spreadsheet of threshold values merged into the hand-edited YAML
//! under `data/thresholds/`. The file has the columns of the site's CSV download, so download →
//! edit → import round-trips: rows with a `record_id` are the records of that id, rows without
//! one are new records (their id computed as the site computes it).
//!
//! The YAML stays the source of truth and stays the editors' file: a change is made in place at
//! the record's span and a new record is one line appended to its instrument's `values:`, so
//! comments, order and formatting survive. Nothing is ever deleted, and nothing is written while
//! any row has an error: every problem is collected first, each located as a spreadsheet shows it.

mod table;

use crate::data::{Band, CountryCode, Database, Extraction, Property, Subdivision};
use crate::data::{Condition, Texture, Unit, record_id};
use crate::diagnostics::{SourceMap, did_you_mean};
use crate::load::yaml::{sequence_items, value_span};
use crate::render::downloads::COLUMNS;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use table::{Cell, Table};

/// One thing wrong with the file, where it is and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `sheet "values", row 12, column "value_as_given"`; `None` for the file as a whole.
    pub at: Option<String>,
    pub message: String,
    /// The fix, in plain words.
    pub help: String,
}

impl Problem {
    fn new(at: Option<String>, message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
            help: help.into(),
        }
    }

    /// `FILE: sheet "values", row 12, column "x": error: message (help: fix)`, the one-line
    /// style of the build's short diagnostics.
    pub fn render(&self, file: &str) -> String {
        match &self.at {
            Some(at) => format!(
                "{file}: {at}: error: {} (help: {})",
                self.message, self.help
            ),
            None => format!("{file}: error: {} (help: {})", self.message, self.help),
        }
    }
}

/// One field of a record that the file changes.
#[derive(Debug, Clone)]
pub struct FieldChange {
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone)]
pub struct Changed {
    pub id: String,
    /// `data/thresholds/deu.yaml:57`.
    pub place: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone)]
pub struct Added {
    pub id: String,
    pub place: String,
}

/// What an import found, and did when asked to write.
#[derive(Debug, Default)]
pub struct Summary {
    pub added: Vec<Added>,
    pub changed: Vec<Changed>,
    pub unchanged: usize,
    /// Records in the data that the file does not list: kept.
    pub absent: usize,
    /// Files written (relative to the root), when `write` was asked.
    pub written: Vec<String>,
}

impl Summary {
    /// The report printed on standard output.
    pub fn report(&self, write: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} added, {} changed, {} unchanged",
            self.added.len(),
            self.changed.len(),
            self.unchanged
        );
        for c in &self.changed {
            for f in &c.fields {
                let _ = writeln!(
                    out,
                    "changed {} ({}): {}: {} → {}",
                    c.id,
                    c.place,
                    f.column,
                    shown(&f.old),
                    shown(&f.new)
                );
            }
        }
        for a in &self.added {
            let _ = writeln!(out, "added {} ({})", a.id, a.place);
        }
        if self.absent > 0 {
            let _ = writeln!(
                out,
                "{} records in the data are not in the file: kept (an import never deletes)",
                self.absent
            );
        }
        if write {
            if self.written.is_empty() {
                let _ = writeln!(out, "nothing to write");
            } else {
                if !self.changed.is_empty() {
                    let ids: Vec<&str> = self.changed.iter().map(|c| c.id.as_str()).collect();
                    let _ = writeln!(out, "overwrote the values of {}", ids.join(", "));
                }
                let _ = writeln!(out, "wrote {}", self.written.join(", "));
            }
        } else if !self.added.is_empty() || !self.changed.is_empty() {
            let _ = writeln!(
                out,
                "dry run: nothing written; run again with --write to merge"
            );
        }
        out
    }
}

fn shown(s: &str) -> String {
    if s.is_empty() {
        "(empty)".to_string()
    } else {
        format!("\"{s}\"")
    }
}

/// The columns an import may change on an existing record; the others identify the record or
/// come from its instrument or the vocabulary, and are edited where they are defined.
const EDITABLE: &[&str] = &["value_as_given", "unit_as_given", "note"];

/// Columns whose difference from the data is allowed as a consequence of an edit.
const DERIVED: &[&str] = &["value_mg_per_kg"];

/// Reads `file`, compares it with the data of the site at `root`, and on `write` merges it into
/// the YAML. Every problem the file has is returned, and then nothing is written.
pub fn import(root: &Path, file: &Path, write: bool) -> Result<Summary, Vec<Problem>> {
    let data = Data::load(root)?;
    let table = table::read(file).map_err(|p| vec![p])?;
    let columns = columns(&table)?;
    let plan = plan(&data, &table, &columns)?;
    let mut summary = Summary {
        unchanged: plan.unchanged,
        absent: data.db.records.len() - plan.seen,
        ..Summary::default()
    };
    let files = plan.edits(&data)?;
    summary.added = plan.added.iter().map(|a| a.report.clone()).collect();
    summary.changed = plan.changed.iter().map(|c| c.report.clone()).collect();
    if !files.is_empty() {
        // The merged data read in memory, also on a dry run: a merge that would not read is
        // reported now, and then nothing is written.
        verify(data.with(root, &files), &plan)?;
    }
    if write && !files.is_empty() {
        summary.written = apply(root, &data, &files, &plan)?;
    }
    Ok(summary)
}

/// The database and the text of its files.
struct Data {
    db: Database,
    sources: SourceMap,
    files: Vec<crate::load::DataFile>,
    config: crate::config::Config,
    /// The CSV download's cells by record index.
    expected: Vec<Vec<String>>,
    by_id: HashMap<String, usize>,
}

impl Data {
    fn load(root: &Path) -> Result<Data, Vec<Problem>> {
        let (loaded, _) = crate::load::load(root, &mut crate::load::Cache::default());
        Data::parse(root, loaded.sources, loaded.data_files, loaded.config)
    }

    /// The database of these files, or their errors.
    fn parse(
        root: &Path,
        sources: SourceMap,
        files: Vec<crate::load::DataFile>,
        config: crate::config::Config,
    ) -> Result<Data, Vec<Problem>> {
        let (db, diagnostics) = crate::data::build(&files, &sources, &config);
        if diagnostics.has_errors() {
            let shown = crate::diagnostics::render_all(
                diagnostics.iter().filter(|d| d.is_error()),
                &sources,
                crate::diagnostics::MessageFormat::Short,
            );
            return Err(vec![Problem::new(
                None,
                format!(
                    "the data under {} has {} error(s):\n{}",
                    root.join("data").display(),
                    diagnostics.errors(),
                    shown.trim_end()
                ),
                "run `pedon check` and fix them first: an import merges into data that reads",
            )]);
        }
        let csv = crate::render::downloads::csv(&db);
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
            .collect::<Result<_, _>>()
            .map_err(|e| vec![Problem::new(None, format!("internal: {e}"), "report this")])?;
        let by_id = db
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(Data {
            db,
            sources,
            files,
            config,
            expected,
            by_id,
        })
    }

    /// The data as it would read with `changed` files in place of theirs, read in memory: what
    /// an import checks before it writes anything.
    fn with(&self, root: &Path, changed: &Files) -> Result<Data, Vec<Problem>> {
        let mut sources = SourceMap::default();
        for id in self.sources.ids() {
            match changed.iter().find(|(f, _)| *f == id) {
                Some((_, text)) => {
                    let old = self.sources.get(id);
                    sources.add(&old.path, old.display.clone(), text.clone());
                }
                None => {
                    sources.add_shared(self.sources.shared(id).clone());
                }
            }
        }
        Data::parse(root, sources, self.files.clone(), self.config.clone())
    }

    /// `data/thresholds/deu.yaml:57`: where an editor finds a record.
    fn place(&self, record: usize) -> String {
        let r = &self.db.records[record];
        let source = self.sources.get(r.span.file);
        let (line, _) = source.line_col(r.span.range.start);
        format!("{}:{line}", source.display)
    }
}

/// Column name → index in the file, after checking that the file has exactly the download's.
fn columns(table: &Table) -> Result<HashMap<&'static str, usize>, Vec<Problem>> {
    let known: Vec<&'static str> = COLUMNS.iter().map(|c| c.0).collect();
    // Spreadsheets in locales with a decimal comma save "CSV" with semicolons.
    if table.header.len() == 1 && table.header[0].contains(';') {
        return Err(vec![Problem::new(
            Some(table.at(1, None)),
            "the columns are separated by semicolons, not commas",
            "save the sheet as \"CSV UTF-8 (comma delimited)\", or import the .xlsx or .ods itself",
        )]);
    }
    let mut problems = Vec::new();
    let mut found: HashMap<&'static str, usize> = HashMap::new();
    let mut unknown: Vec<&str> = Vec::new();
    for (i, name) in table.header.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        match known.iter().find(|k| **k == name.as_str()) {
            Some(k) => {
                if found.insert(k, i).is_some() {
                    problems.push(Problem::new(
                        Some(table.at(1, Some(name))),
                        format!("column \"{name}\" appears twice"),
                        "keep one column of each name",
                    ));
                }
            }
            None => unknown.push(name),
        }
    }
    let missing: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !found.contains_key(k))
        .collect();
    for name in &unknown {
        let help = match did_you_mean(name, missing.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"? Rename the column to the download's name"),
            None => format!(
                "delete the column: an import reads the columns of the site's thresholds.csv ({})",
                known.join(", ")
            ),
        };
        problems.push(Problem::new(
            Some(table.at(1, Some(name))),
            format!("unknown column \"{name}\""),
            help,
        ));
    }
    for name in &missing {
        let close = did_you_mean(name, unknown.iter().copied());
        let help = match close {
            Some(s) => format!("rename column \"{s}\" to \"{name}\""),
            None => "add it: an import reads the columns of the site's thresholds.csv download (start from template.csv)".to_string(),
        };
        problems.push(Problem::new(
            Some(table.at(1, None)),
            format!("missing column \"{name}\""),
            help,
        ));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

struct Change {
    record: usize,
    /// New text of the editable fields that differ: column → new cell text.
    fields: Vec<(&'static str, String)>,
    report: Changed,
}

struct Addition {
    /// Index of the country's file in the source map, and the instrument's id in it.
    file: crate::diagnostics::FileId,
    instrument: String,
    line: String,
    report: Added,
}

struct Plan {
    changed: Vec<Change>,
    added: Vec<Addition>,
    unchanged: usize,
    /// Records of the data the file lists.
    seen: usize,
}

/// The cell of `column` in a row.
struct RowView<'a> {
    table: &'a Table,
    row: &'a table::Row,
    columns: &'a HashMap<&'static str, usize>,
}

impl RowView<'_> {
    fn cell(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|i| self.row.cells.get(*i))
            .map_or("", |c| c.text.trim())
    }

    fn at(&self, column: &str) -> Option<String> {
        Some(self.table.at(self.row.number, Some(column)))
    }
}

/// Checks every row and works out what merging the file would change.
fn plan(
    data: &Data,
    table: &Table,
    columns: &HashMap<&'static str, usize>,
) -> Result<Plan, Vec<Problem>> {
    let db = &data.db;
    let mut problems = Vec::new();
    let mut plan = Plan {
        changed: Vec::new(),
        added: Vec::new(),
        unchanged: 0,
        seen: 0,
    };
    let mut ids_in_file: HashMap<String, usize> = HashMap::new();
    let countries = CountryFiles::read(data);
    for row in &table.rows {
        let v = RowView {
            table,
            row,
            columns,
        };
        let before = problems.len();
        formulas(&v, &mut problems);
        if problems.len() > before {
            continue;
        }
        vocabulary(&v, db, &mut problems);
        numbers(&v, &mut problems);
        let id = v.cell("record_id");
        if !id.is_empty()
            && let Some(first) = ids_in_file.insert(id.to_string(), row.number)
        {
            problems.push(Problem::new(
                v.at("record_id"),
                format!("record id {id} appears again (first in row {first})"),
                "keep one row per record: delete one of the two rows",
            ));
            continue;
        }
        if problems.len() > before {
            continue;
        }
        if id.is_empty() {
            match new_record(&v, data, &countries) {
                Ok(addition) => {
                    if let Some(first) = ids_in_file.insert(addition.report.id.clone(), row.number)
                    {
                        problems.push(Problem::new(
                            Some(table.at(row.number, None)),
                            format!(
                                "this row is the same record as row {first} ({})",
                                addition.report.id
                            ),
                            "two rows with the same contaminant, instrument, land use, value type and conditions are one record: keep one",
                        ));
                    } else {
                        plan.added.push(addition);
                    }
                }
                Err(p) => problems.extend(p),
            }
            continue;
        }
        let Some(&record) = data.by_id.get(id) else {
            let help = match did_you_mean(id, db.records.iter().map(|r| r.id.as_str())) {
                Some(s) => format!("did you mean {s}? Ids are copied from the site's download; leave record_id empty to add a new record"),
                None => "ids are copied from the site's download; leave record_id empty to add a new record".to_string(),
            };
            problems.push(Problem::new(
                v.at("record_id"),
                format!("unknown record id {id}"),
                help,
            ));
            continue;
        };
        plan.seen += 1;
        match compare(&v, data, record) {
            Ok(None) => plan.unchanged += 1,
            Ok(Some(change)) => plan.changed.push(change),
            Err(p) => problems.extend(p),
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

fn formulas(v: &RowView, problems: &mut Vec<Problem>) {
    for (name, i) in sorted(v.columns) {
        if let Some(Cell {
            formula: Some(f), ..
        }) = v.row.cells.get(i)
        {
            problems.push(Problem::new(
                v.at(name),
                format!("the cell holds a formula (={f}), not a value"),
                "copy the column and paste values only (Paste Special → Values), then import again",
            ));
        }
    }
}

/// The columns in the file's order.
fn sorted(columns: &HashMap<&'static str, usize>) -> Vec<(&'static str, usize)> {
    let mut all: Vec<_> = columns.iter().map(|(k, v)| (*k, *v)).collect();
    all.sort_by_key(|(_, i)| *i);
    all
}

/// Unknown contaminant, country, land-use and value-type ids, and units.
fn vocabulary(v: &RowView, db: &Database, problems: &mut Vec<Problem>) {
    let mut check = |column: &str, what: &str, found: bool, candidates: Vec<&str>, file: &str| {
        let value = v.cell(column);
        if value.is_empty() || found {
            return;
        }
        let help = match did_you_mean(value, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? The ids are those of {file}"),
            None => format!("use an id of {file}, or add `{value}` there first"),
        };
        problems.push(Problem::new(
            v.at(column),
            format!("unknown {what} `{value}`"),
            help,
        ));
    };
    let c = v.cell("contaminant_id");
    check(
        "contaminant_id",
        "contaminant",
        db.find_contaminant(c).is_some(),
        db.contaminant_ids().collect(),
        "data/contaminants.yaml",
    );
    let code = v.cell("country_code");
    check(
        "country_code",
        "country",
        db.find_country(code).is_some() || CountryCode::parse(code).is_some(),
        db.country_codes().collect(),
        "ISO 3166-1 alpha-3 (a country file data/thresholds/<code>.yaml)",
    );
    let lu = v.cell("land_use");
    check(
        "land_use",
        "land use",
        db.find_land_use(lu).is_some(),
        db.land_uses.iter().map(|c| c.id.as_str()).collect(),
        "data/land-uses.yaml",
    );
    let vt = v.cell("value_type");
    check(
        "value_type",
        "value type",
        db.find_value_type(vt).is_some(),
        db.value_types.iter().map(|c| c.id.as_str()).collect(),
        "data/value-types.yaml",
    );
    let unit = v.cell("unit_as_given");
    if !unit.is_empty() && Unit::parse(unit).is_none() {
        let known: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
        let help = match did_you_mean(unit, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Known units: {}", known.join(", ")),
            None => format!(
                "write one of {}, the unit the source gives",
                known.join(", ")
            ),
        };
        problems.push(Problem::new(
            v.at("unit_as_given"),
            format!("unknown unit `{unit}`"),
            help,
        ));
    }
}

/// A number as a cell holds it, or the problem with it.
fn number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<f64>() {
        if n.is_finite() && n >= 0.0 {
            return Ok(n);
        }
        return Err("write a number of zero or more, as the source gives it".to_string());
    }
    let dotted = t.replace(',', ".");
    if t.contains(',') && dotted.parse::<f64>().is_ok() {
        return Err(format!("use a decimal point: {dotted}, not {t}"));
    }
    Err("write the number alone, with its unit in unit_as_given (or `none` where the instrument sets no value)".to_string())
}

fn numbers(v: &RowView, problems: &mut Vec<Problem>) {
    for column in ["value_as_given", "value_mg_per_kg"] {
        let text = v.cell(column);
        if text.is_empty() || (column == "value_as_given" && text == "none") {
            continue;
        }
        if let Err(help) = number(text) {
            problems.push(Problem::new(
                v.at(column),
                format!("\"{text}\" is not a number"),
                help,
            ));
        }
    }
}

/// Whether a cell says what the download says: the same text, or the same number.
fn same(expected: &str, given: &str) -> bool {
    let (e, g) = (expected.trim(), given.trim());
    e == g || matches!((e.parse::<f64>(), g.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

/// The change a row makes to an existing record, or the columns it may not change.
fn compare(v: &RowView, data: &Data, record: usize) -> Result<Option<Change>, Vec<Problem>> {
    let expected = &data.expected[record];
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    let mut report = Vec::new();
    let mut derived = Vec::new();
    let mut problems = Vec::new();
    let place = data.place(record);
    for (i, (name, _, _)) in COLUMNS.iter().enumerate() {
        let old = expected.get(i).map_or("", String::as_str);
        let new = v.cell(name);
        if same(old, new) {
            continue;
        }
        if EDITABLE.contains(name) {
            if *name == "value_as_given" && new.is_empty() {
                problems.push(Problem::new(
                    v.at(name),
                    "the value is empty",
                    "write the number, or `none` where the instrument sets no value (an import never deletes a value)",
                ));
                continue;
            }
            if *name == "note" && new.is_empty() {
                problems.push(Problem::new(
                    v.at(name),
                    "the note was emptied",
                    format!("an import does not delete; remove the note by hand in {place}"),
                ));
                continue;
            }
            fields.push((name, new.to_string()));
            report.push(FieldChange {
                column: name,
                old: old.to_string(),
                new: new.to_string(),
            });
        } else if DERIVED.contains(name) {
            derived.push((*name, old, new));
        } else {
            problems.push(Problem::new(
                v.at(name),
                format!(
                    "{} differs from the data ({} → {})",
                    name,
                    shown(old),
                    shown(new)
                ),
                format!(
                    "an import changes only {} of a record; edit this in {place}, or leave record_id empty to add a new record",
                    EDITABLE.join(", ")
                ),
            ));
        }
    }
    let value_edited = fields
        .iter()
        .any(|(c, _)| *c == "value_as_given" || *c == "unit_as_given");
    if !value_edited {
        for (name, old, new) in derived {
            problems.push(Problem::new(
                v.at(name),
                format!(
                    "{name} differs from the data ({} → {})",
                    shown(old),
                    shown(new)
                ),
                "value_mg_per_kg is computed from value_as_given and unit_as_given: change those instead",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if fields.is_empty() {
        return Ok(None);
    }
    Ok(Some(Change {
        record,
        fields,
        report: Changed {
            id: data.db.records[record].id.clone(),
            place,
            fields: report,
        },
    }))
}

/// A country file's instruments as written: their local land-use and value-type keys are what
/// record ids are made of, and the database keeps only their terms.
struct CountryFiles {
    by_code: HashMap<String, (crate::diagnostics::FileId, serde_yaml::Value)>,
}

impl CountryFiles {
    fn read(data: &Data) -> CountryFiles {
        let by_code = data
            .db
            .countries
            .iter()
            .filter_map(|c| {
                let text = &data.sources.get(c.file).text();
                let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
                Some((c.code.as_str().to_string(), (c.file, value)))
            })
            .collect();
        CountryFiles { by_code }
    }
}

fn text_of<'v>(value: &'v serde_yaml::Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(|v| v.as_str())
}

/// A key of an instrument's `land_uses:` or `value_types:` for a class and, when given, a term.
fn term_key(
    v: &RowView,
    inst: &serde_yaml::Value,
    map: &str,
    class_column: &str,
    term_column: &str,
    place: &str,
) -> Result<String, Problem> {
    let class = v.cell(class_column);
    let term = v.cell(term_column);
    let entries: Vec<(String, String, String)> = inst
        .get(map)
        .and_then(|m| m.as_mapping())
        .map(|m| {
            m.iter()
                .filter_map(|(k, t)| {
                    Some((
                        k.as_str()?.to_string(),
                        text_of(t, "term")?.to_string(),
                        text_of(t, "class")?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let of_class: Vec<&(String, String, String)> =
        entries.iter().filter(|(_, _, c)| c == class).collect();
    let found: Vec<&&(String, String, String)> = if term.is_empty() {
        of_class.iter().collect()
    } else {
        of_class.iter().filter(|(_, t, _)| t == term).collect()
    };
    match found.as_slice() {
        [one] => Ok(one.0.clone()),
        [] => {
            let terms: Vec<String> = of_class
                .iter()
                .map(|(_, t, _)| format!("\"{t}\""))
                .collect();
            let id = text_of(inst, "id").unwrap_or("");
            Err(Problem::new(
                v.at(term_column),
                format!("instrument `{id}` has no {map} entry \"{term}\" of class `{class}`"),
                if terms.is_empty() {
                    format!(
                        "add it under `{map}:` of the instrument in {place} first: the import adds values, not vocabulary"
                    )
                } else {
                    format!(
                        "use one of {}, or add it under `{map}:` of the instrument in {place} first",
                        terms.join(", ")
                    )
                },
            ))
        }
        _ => Err(Problem::new(
            v.at(term_column),
            format!("several {map} of class `{class}` in this instrument"),
            "write the instrument's term in this column to say which",
        )),
    }
}

/// A new record from a row without `record_id`: its YAML line and its id.
fn new_record(
    v: &RowView,
    data: &Data,
    countries: &CountryFiles,
) -> Result<Addition, Vec<Problem>> {
    let mut problems = Vec::new();
    for column in [
        "contaminant_id",
        "country_code",
        "instrument",
        "land_use",
        "value_type",
        "value_as_given",
    ] {
        if v.cell(column).is_empty() {
            problems.push(Problem::new(
                v.at(column),
                format!("a new record needs {column}"),
                "fill it in, or put the record's id in record_id if the row is an existing record",
            ));
        }
    }
    let value = v.cell("value_as_given");
    let unit = v.cell("unit_as_given");
    if value != "none" && !value.is_empty() && unit.is_empty() {
        problems.push(Problem::new(
            v.at("unit_as_given"),
            "a value needs its unit",
            "write the unit the source gives (mg/kg, µg/kg, ng/kg, g/kg, ppm, ppb, %)",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let code = v.cell("country_code").to_ascii_uppercase();
    let Some((file, country)) = countries.by_code.get(&code) else {
        return Err(vec![Problem::new(
            v.at("country_code"),
            format!("no country file for {code} under data/thresholds/"),
            format!(
                "create data/thresholds/{}.yaml with the instrument first: the import adds values, not countries or instruments",
                code.to_ascii_lowercase()
            ),
        )]);
    };
    let place = data.sources.get(*file).display.clone();
    let wanted = v.cell("instrument");
    let instruments: Vec<&serde_yaml::Value> = country
        .get("instruments")
        .and_then(|i| i.as_sequence())
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    let Some(inst) = instruments.iter().copied().find(|i| {
        ["title", "id", "short"]
            .iter()
            .any(|k| text_of(i, k).is_some_and(|t| t.trim() == wanted))
    }) else {
        let titles: Vec<&str> = instruments
            .iter()
            .filter_map(|i| text_of(i, "title"))
            .collect();
        let help = match did_you_mean(wanted, titles.iter().copied()) {
            Some(s) => format!(
                "did you mean \"{s}\"? The import adds values, not instruments: add a new instrument to {place} first"
            ),
            None => format!(
                "the import adds values, not instruments: add the instrument (id, title, sources, land_uses, value_types) to {place} first, then import again"
            ),
        };
        return Err(vec![Problem::new(
            v.at("instrument"),
            format!("instrument \"{wanted}\" is not in {place}"),
            help,
        )]);
    };
    let inst_id = text_of(inst, "id").unwrap_or("").to_string();
    let land_use = term_key(
        v,
        inst,
        "land_uses",
        "land_use",
        "land_use_national",
        &place,
    );
    let value_type = term_key(
        v,
        inst,
        "value_types",
        "value_type",
        "value_type_national",
        &place,
    );
    let band = |column: &str, property: Property| -> Result<Option<Band>, Problem> {
        let text = v.cell(column);
        if text.is_empty() {
            return Ok(None);
        }
        Band::parse(text, property).map(Some).map_err(|e| {
            Problem::new(
                v.at(column),
                format!("malformed band \"{text}\": {}", e.0),
                "write it like `pH <= 5.5`, `5.5 < pH <= 6.5` or `pH > 7.5`",
            )
        })
    };
    let ph = band("ph", Property::Ph);
    let organic_carbon = band("organic_carbon", Property::Toc);
    let texture = choice(
        v,
        "texture",
        &[Texture::Sand, Texture::LoamSilt, Texture::Clay],
        |t| (t.id(), t.label()),
    );
    let extraction = choice(
        v,
        "extraction",
        &[
            Extraction::Total,
            Extraction::AquaRegia,
            Extraction::AmmoniumNitrate,
            Extraction::Alkaline,
            Extraction::Dtpa,
            Extraction::Edta,
        ],
        |e| (e.id(), e.label()),
    );
    let sources: Vec<(&str, &str)> = inst
        .get("sources")
        .and_then(|s| s.as_sequence())
        .map(|s| {
            s.iter()
                .filter_map(|s| Some((text_of(s, "id")?, text_of(s, "title")?)))
                .collect()
        })
        .unwrap_or_default();
    let source_title = v.cell("source_title");
    let source = match sources.as_slice() {
        [_] => Ok(None),
        _ => sources
            .iter()
            .find(|(id, title)| *title == source_title || *id == source_title)
            .map(|(id, _)| Some(id.to_string()))
            .ok_or_else(|| {
                let titles: Vec<String> =
                    sources.iter().map(|(_, t)| format!("\"{t}\"")).collect();
                Problem::new(
                    v.at("source_title"),
                    format!("instrument `{inst_id}` has several sources and this row names none of them"),
                    format!("write one of {} in source_title, or add the source to the instrument in {place} first", titles.join(", ")),
                )
            }),
    };
    let (land_use, value_type, ph, organic_carbon, texture, extraction, source) = match (
        land_use,
        value_type,
        ph,
        organic_carbon,
        texture,
        extraction,
        source,
    ) {
        (Ok(a), Ok(b), Ok(c), Ok(d), Ok(e), Ok(f), Ok(g)) => (a, b, c, d, e, f, g),
        (a, b, c, d, e, f, g) => {
            let errors = [
                a.err(),
                b.err(),
                c.err(),
                d.err(),
                e.err(),
                f.err(),
                g.err(),
            ];
            return Err(errors.into_iter().flatten().collect());
        }
    };
    let opt = |column: &str| {
        Some(v.cell(column))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let condition = Condition {
        ph,
        texture,
        organic_carbon,
        extraction,
        medium: opt("medium"),
        scope: opt("scope"),
    };
    let subdivision = text_of(inst, "subdivision")
        .and_then(Subdivision::parse)
        .map(|(s, _)| s);
    let contaminant = v.cell("contaminant_id");
    let Some((country_code, _)) = CountryCode::parse(&code) else {
        return Err(vec![Problem::new(
            v.at("country_code"),
            format!("unknown country `{code}`"),
            "use an ISO 3166-1 alpha-3 code",
        )]);
    };
    let id = record_id(
        &country_code,
        subdivision.as_ref(),
        &inst_id,
        contaminant,
        &land_use,
        &value_type,
        &condition,
    );
    if let Some(&existing) = data.by_id.get(&id) {
        return Err(vec![Problem::new(
            v.at("record_id"),
            format!(
                "this record already exists as {id} ({})",
                data.place(existing)
            ),
            format!("put {id} in record_id to change its value"),
        )]);
    }
    let mut line = format!(
        "{{ contaminant: {contaminant}, land_use: {land_use}, value_type: {value_type}, value: {}",
        if value == "none" {
            "none".to_string()
        } else {
            value.to_string()
        }
    );
    if value != "none" {
        let _ = write!(line, ", unit: {}", scalar(unit));
    }
    if let Some(b) = ph {
        let _ = write!(line, ", ph: {}", quoted(&b.to_string()));
    }
    if let Some(t) = texture {
        let _ = write!(line, ", texture: {}", t.id());
    }
    if let Some(b) = organic_carbon {
        let _ = write!(line, ", organic_carbon: {}", quoted(&b.to_string()));
    }
    if let Some(e) = extraction {
        let _ = write!(line, ", extraction: {}", e.id());
    }
    for key in ["medium", "scope"] {
        if let Some(t) = opt(key) {
            let _ = write!(line, ", {key}: {}", quoted(&t));
        }
    }
    if let Some(b) = opt("basis").filter(|b| Some(b.as_str()) != text_of(inst, "basis")) {
        let _ = write!(line, ", basis: {}", quoted(&b));
    }
    if let Some(n) = opt("note") {
        let _ = write!(line, ", note: {}", quoted(&n));
    }
    if let Some(s) = source {
        let _ = write!(line, ", source: {s}");
    }
    line.push_str(" }");
    Ok(Addition {
        file: *file,
        instrument: inst_id.clone(),
        line,
        report: Added {
            id,
            place: format!("{place}, instrument {inst_id}"),
        },
    })
}

/// One of a closed list, by the id the YAML writes or the label the download shows.
fn choice<T: Copy>(
    v: &RowView,
    column: &str,
    all: &[T],
    names: impl Fn(T) -> (&'static str, &'static str),
) -> Result<Option<T>, Problem> {
    let text = v.cell(column);
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(t) = all.iter().find(|t| {
        let (id, label) = names(**t);
        id == text || label == text
    }) {
        return Ok(Some(*t));
    }
    let labels: Vec<&str> = all.iter().map(|t| names(*t).1).collect();
    Err(Problem::new(
        v.at(column),
        format!("unknown {column} \"{text}\""),
        match did_you_mean(text, labels.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("use one of {}", labels.join(", ")),
        },
    ))
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// A unit as a plain scalar when YAML reads it back as the same text, else quoted.
fn scalar(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || c == '/' || c == 'µ')
        && text.chars().next().is_some_and(char::is_alphabetic)
    {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// The new text of each file the plan changes.
type Files = Vec<(crate::diagnostics::FileId, String)>;

impl Plan {
    fn edits(&self, data: &Data) -> Result<Files, Vec<Problem>> {
        let mut by_file: HashMap<crate::diagnostics::FileId, Vec<(usize, usize, String)>> =
            HashMap::new();
        let mut problems = Vec::new();
        for c in &self.changed {
            let r = &data.db.records[c.record];
            let text = &data.sources.get(r.span.file).text();
            let edits = by_file.entry(r.span.file).or_default();
            for (column, new) in &c.fields {
                let (key, replacement) = match *column {
                    "value_as_given" => ("value", new.clone()),
                    "unit_as_given" => ("unit", scalar(new)),
                    _ => ("note", quoted(new)),
                };
                match value_span(text, r.span.range.clone(), key) {
                    Some(range) => edits.push((range.start, range.end, replacement)),
                    None => {
                        let item = &text[r.span.range.clone()];
                        let close = item
                            .trim_end()
                            .strip_suffix('}')
                            .map(|_| r.span.range.start + item.trim_end().len() - 1);
                        match close {
                            Some(at) if key == "note" && !item.trim_end().contains('\n') => {
                                let at = text[..at].trim_end().len();
                                edits.push((at, at, format!(", note: {replacement}")))
                            }
                            _ => problems.push(Problem::new(
                                None,
                                format!("record {} has no `{key}:` to change", r.id),
                                format!("add `{key}:` by hand in {}", data.place(c.record)),
                            )),
                        }
                    }
                }
            }
        }
        for a in &self.added {
            let text = &data.sources.get(a.file).text();
            let Some(at) = values_end(text, &a.instrument) else {
                problems.push(Problem::new(
                    None,
                    format!(
                        "instrument `{}` in {} has no `values:` list to add {} to",
                        a.instrument,
                        data.sources.get(a.file).display,
                        a.report.id
                    ),
                    "give the instrument a block list `values:` with one value by hand, then import again",
                ));
                continue;
            };
            let (offset, indent) = at;
            by_file.entry(a.file).or_default().push((
                offset,
                offset,
                format!("{}- {}\n", " ".repeat(indent), a.line),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut files: Files = by_file
            .into_iter()
            .map(|(file, mut edits)| {
                let mut text = data.sources.get(file).text().to_string();
                // From the end, so earlier offsets stay valid; appends at one place keep file order.
                edits.sort_by_key(|(start, _, _)| *start);
                for (start, end, replacement) in edits.into_iter().rev() {
                    text.replace_range(start..end, &replacement);
                }
                (file, text)
            })
            .collect();
        files.sort_by_key(|(file, _)| data.sources.get(*file).display.clone());
        Ok(files)
    }
}

/// Where a line appended to instrument `id`'s `values:` goes: the byte after its last item's
/// last line, and that item's indentation.
fn values_end(text: &str, id: &str) -> Option<(usize, usize)> {
    let instruments = sequence_items(text, 0..text.len(), Some("instruments"));
    let item = instruments.into_iter().find(|r| {
        value_span(text, r.clone(), "id").is_some_and(|s| text[s].trim_matches(['"', '\'']) == id)
    })?;
    let last = sequence_items(text, item, Some("values")).pop()?;
    let body = text[last.clone()].trim_end();
    let end_of_text = last.start + body.len();
    let offset = text[end_of_text..]
        .find('\n')
        .map_or(text.len(), |n| end_of_text + n + 1);
    let line_start = text[..last.start].rfind('\n').map_or(0, |n| n + 1);
    let indent = text[line_start..last.start].len()
        + (text[last.start..].len() - text[last.start..].trim_start_matches(' ').len());
    Some((offset, indent))
}

/// Writes the files atomically (a temporary file beside each, renamed over it), then reads the
/// data again: if it no longer reads, or an id is not what the import computed, the files are
/// put back as they were and the problem returned.
fn apply(
    root: &Path,
    data: &Data,
    files: &Files,
    plan: &Plan,
) -> Result<Vec<String>, Vec<Problem>> {
    let mut written = Vec::new();
    let originals: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(file, _)| {
            let s = data.sources.get(*file);
            (s.path.clone(), s.text().to_string())
        })
        .collect();
    let restore = || {
        for (path, text) in &originals {
            let _ = write_atomic(path, text);
        }
    };
    for (file, text) in files {
        let s = data.sources.get(*file);
        if let Err(e) = write_atomic(&s.path, text) {
            restore();
            return Err(vec![Problem::new(
                None,
                format!("cannot write {}: {e}", s.path.display()),
                "check that the folder is writable; nothing was changed",
            )]);
        }
        written.push(s.display.clone());
    }
    // And from disk again, in case the files on disk are not what was read.
    if let Err(p) = verify(Data::load(root), plan) {
        restore();
        return Err(p);
    }
    Ok(written)
}

/// That the merged data reads and holds every id the import reported.
fn verify(after: Result<Data, Vec<Problem>>, plan: &Plan) -> Result<(), Vec<Problem>> {
    let problem = match &after {
        Err(p) => Some(format!(
            "after merging, the data would no longer read; {}",
            p.first().map_or("", |p| p.message.as_str())
        )),
        Ok(after) => plan
            .added
            .iter()
            .map(|a| &a.report.id)
            .chain(plan.changed.iter().map(|c| &c.report.id))
            .find(|id| !after.by_id.contains_key(*id))
            .map(|id| format!("after merging, record {id} is not in the data")),
    };
    match problem {
        None => Ok(()),
        Some(message) => Err(vec![Problem::new(
            None,
            message,
            "nothing was written; correct the rows these errors point at and import again",
        )]),
    }
}

fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.import-tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_are_told_to_use_a_point() {
        assert_eq!(
            number("1,5").unwrap_err(),
            "use a decimal point: 1.5, not 1,5"
        );
        assert_eq!(number("0.5"), Ok(0.5));
        assert!(number("abc").is_err());
    }

    #[test]
    fn new_values_go_after_the_instruments_last_value() {
        let text = "country: X\ninstruments:\n  - id: a\n    values:\n      - { contaminant: cd, value: 1 }\n      # trailing comment\n  - id: b\n    values:\n      - { contaminant: pb, value: 2 }\n";
        let (at, indent) = values_end(text, "a").unwrap();
        assert_eq!(indent, 6);
        assert!(text[..at].ends_with("value: 1 }\n"), "{}", &text[..at]);
        let (at, _) = values_end(text, "b").unwrap();
        assert_eq!(at, text.len());
    }
}
