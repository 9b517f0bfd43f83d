//! A file to import read as a table of text cells, whatever its format: CSV (UTF-8), or the first
//! sheet of an XLSX/ODS workbook through calamine. Each cell keeps where it is, so every later
//! error can say `sheet "values", row 12, column "value_as_given"` as a spreadsheet shows it.

use super::Problem;
use calamine::{Data, Reader};
use std::path::Path;

/// One cell's text, and whether the spreadsheet computes it (a formula is never imported: its
/// value depends on other cells the import does not see).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub formula: Option<String>,
}

/// A data row: its number as the spreadsheet shows it (the header is row 1) and its cells.
#[derive(Debug)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug)]
pub struct Table {
    /// The sheet read, for a workbook (`None` for CSV).
    pub sheet: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Where a cell is, in the words of the program the file was edited in.
    pub fn at(&self, row: usize, column: Option<&str>) -> String {
        let mut at = String::new();
        if let Some(sheet) = &self.sheet {
            at.push_str(&format!("sheet \"{sheet}\", "));
        }
        at.push_str(&format!("row {row}"));
        if let Some(c) = column {
            at.push_str(&format!(", column \"{c}\""));
        }
        at
    }
}

/// Reads `path` by its extension: `.xlsx`, `.xlsm`, `.xls`, `.ods` as workbooks, anything else
/// as CSV.
pub fn read(path: &Path) -> Result<Table, Problem> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let table = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => workbook(path)?,
        _ => csv_file(path)?,
    };
    if table.header.iter().all(|h| h.is_empty()) {
        let what = match &table.sheet {
            Some(s) => format!("sheet \"{s}\" is empty"),
            None => "the file is empty".to_string(),
        };
        return Err(Problem::new(
            None,
            what,
            "start from the site's template.csv (the header row) or its thresholds.csv download, and fill one row per value",
        ));
    }
    if table.rows.is_empty() {
        return Err(Problem::new(
            Some(table.at(2, None)),
            "the file has a header but no rows",
            "add one row per value under the header",
        ));
    }
    Ok(table)
}

fn csv_file(path: &Path) -> Result<Table, Problem> {
    let bytes = std::fs::read(path)
        .map_err(|e| Problem::new(None, format!("cannot read the file: {e}"), "check the path"))?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        let before = &bytes[..e.valid_up_to()];
        let row = before.iter().filter(|b| **b == b'\n').count() + 1;
        return Err(Problem::new(
            Some(format!("row {row}")),
            "the file is not UTF-8 text",
            "save it again as \"CSV UTF-8\" (in Excel: Save As → CSV UTF-8; in LibreOffice: character set Unicode (UTF-8))",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Problem::new(
                Some(format!("row {}", i + 1)),
                format!("cannot read this row as CSV: {e}"),
                "check its quotes: a cell with a comma or a line break is written in double quotes",
            )
        })?;
        lines.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    let mut lines = lines.into_iter();
    let header = lines.next().unwrap_or_default();
    let rows = lines
        .enumerate()
        .map(|(i, cells)| Row {
            number: i + 2,
            cells: cells
                .into_iter()
                .map(|text| Cell {
                    text,
                    formula: None,
                })
                .collect(),
        })
        .filter(|r| r.cells.iter().any(|c| !c.text.trim().is_empty()))
        .collect();
    Ok(Table {
        sheet: None,
        header: header.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
    })
}

fn workbook(path: &Path) -> Result<Table, Problem> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Problem::new(
            None,
            format!("cannot read the workbook: {e}"),
            "save it again as .xlsx or .ods, or export the sheet as CSV UTF-8",
        )
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(Problem::new(
            None,
            "the workbook has no sheet",
            "put the values in its first sheet",
        ));
    };
    let values = book.worksheet_range(&sheet).map_err(|e| unreadable(&e))?;
    // Formulas are read apart from values; a workbook without any gives an empty range.
    let formulas = book.worksheet_formula(&sheet).ok();
    let formula_at = |row: u32, col: u32| -> Option<String> {
        let f = formulas.as_ref()?.get_value((row, col))?;
        (!f.is_empty()).then(|| f.clone())
    };
    // Rows and columns as the spreadsheet numbers them, from A1, whatever the used range is.
    let (height, width) = match values.end() {
        Some((r, c)) => (r as usize + 1, c as usize + 1),
        None => (0, 0),
    };
    let mut grid: Vec<Vec<Cell>> = vec![vec![Cell::default(); width]; height];
    for (r, line) in grid.iter_mut().enumerate() {
        for (c, cell) in line.iter_mut().enumerate() {
            let (r32, c32) = (r as u32, c as u32);
            cell.text = values.get_value((r32, c32)).map(text).unwrap_or_default();
            cell.formula = formula_at(r32, c32);
        }
    }
    let mut lines = grid.into_iter();
    let header = lines.next().unwrap_or_default();
    let rows = lines
        .enumerate()
        .map(|(i, cells)| Row {
            number: i + 2,
            cells,
        })
        .filter(|r| {
            r.cells
                .iter()
                .any(|c| !c.text.trim().is_empty() || c.formula.is_some())
        })
        .collect();
    Ok(Table {
        sheet: Some(sheet),
        header: header
            .into_iter()
            .map(|h| h.text.trim().to_string())
            .collect(),
        rows,
    })
}

/// A cell's value as text, numbers as short as they round-trip (`2`, not `2.0`).
fn text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => crate::data::format_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
