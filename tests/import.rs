//! `pedon data import`: the site's CSV download edited and read back into the YAML under `data/`.
//! Round trip, an edited value, a new record, every bad input (a located message and no file
//! changed) and a workbook with a formula cell, on a copy of the `data-site` fixture.

mod common;

use common::{SiteTest, snapshot_tree};
use std::io::Write;

/// The fixture built once, with its CSV download.
fn built() -> (SiteTest, String) {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let csv = site.read("public/thresholds/thresholds.csv");
    (site, csv)
}

fn data_tree(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    snapshot_tree(&site.path().join("data"))
}

/// The download as rows of cells, header first.
fn cells(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_string).collect())
        .collect()
}

fn join(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).expect("CSV");
    }
    String::from_utf8(w.into_inner().expect("CSV")).expect("UTF-8")
}

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect(name)
}

#[test]
fn an_unedited_download_imports_as_no_change_and_writes_no_byte() {
    let (site, csv) = built();
    site.write("in.csv", &csv);
    let before = data_tree(&site);
    let run = site.run(&["data", "import", "in.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "0 added, 0 changed, 5 unchanged\n");
    let run = site.run(&["data", "import", "in.csv", "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(data_tree(&site), before);
}

#[test]
fn an_edited_value_is_shown_old_to_new_and_written_on_its_line_only() {
    let (site, csv) = built();
    let mut rows = cells(&csv);
    let v = col(&rows, "value_as_given");
    let id = rows[1][0].clone();
    assert_eq!(rows[1][v], "0.3");
    rows[1][v] = "0.35".into();
    site.write("in.csv", &join(&rows));
    let yaml = site.read("data/thresholds/deu.yaml");

    let run = site.run(&["data", "import", "in.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("0 added, 1 changed, 4 unchanged\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "changed {id} (data/thresholds/deu.yaml:17): value_as_given: \"0.3\" → \"0.35\""
        )),
        "{}",
        run.stdout
    );
    assert_eq!(
        site.read("data/thresholds/deu.yaml"),
        yaml,
        "a dry run writes"
    );

    let run = site.run(&["data", "import", "in.csv", "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("overwrote the values of {id}"))
    );
    let after = site.read("data/thresholds/deu.yaml");
    let changed: Vec<(&str, &str)> = yaml
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(yaml.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(
        changed[0].1.replace("value: 0.35", "value: 0.3"),
        changed[0].0
    );

    site.build_ok(&[]);
    let rebuilt = cells(&site.read("public/thresholds/thresholds.csv"));
    let row = rebuilt
        .iter()
        .find(|r| r[0] == id)
        .expect("record kept its id");
    assert_eq!(row[v], "0.35");
    assert_eq!(row[col(&rebuilt, "value_mg_per_kg")], "0.35");
}

#[test]
fn a_row_without_an_id_appends_a_record_whose_id_the_site_then_gives_it() {
    let (site, csv) = built();
    let mut rows = cells(&csv);
    let mut new = rows[2].clone();
    new[0] = String::new();
    new[col(&rows, "contaminant_id")] = "evil".into();
    new[col(&rows, "ph")] = String::new();
    new[col(&rows, "value_as_given")] = "0.2".into();
    rows.push(new);
    site.write("in.csv", &join(&rows));
    let yaml = site.read("data/thresholds/deu.yaml");

    let run = site.run(&["data", "import", "in.csv", "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("1 added, 0 changed, 5 unchanged\n"));
    let id = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("added "))
        .and_then(|l| l.split(' ').next())
        .expect("the added id is reported")
        .to_string();
    let after = site.read("data/thresholds/deu.yaml");
    assert_eq!(
        after,
        format!(
            "{yaml}      - {{ contaminant: evil, land_use: acker, value_type: pw, value: 0.2, unit: mg/kg }}\n"
        )
    );
    site.build_ok(&[]);
    let rebuilt = cells(&site.read("public/thresholds/thresholds.csv"));
    let row = rebuilt
        .iter()
        .find(|r| r[0] == id)
        .expect("the computed id");
    assert_eq!(row[col(&rebuilt, "contaminant_id")], "evil");
    // And the rebuilt download imports as no change.
    site.write("again.csv", &site.read("public/thresholds/thresholds.csv"));
    let run = site.run(&["data", "import", "again.csv"]);
    assert_eq!(run.stdout, "0 added, 0 changed, 6 unchanged\n");
}

/// Runs an import of `file` (`text` written as is) and returns its error lines, after checking
/// that it failed and changed no file under `data/`.
fn refused(site: &SiteTest, file: &str, bytes: &[u8]) -> Vec<String> {
    std::fs::File::create(site.path().join(file))
        .and_then(|mut f| f.write_all(bytes))
        .expect("write input");
    let before = data_tree(site);
    let run = site.run(&["data", "import", file, "--write"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(data_tree(site), before, "a refused import changed the data");
    assert!(
        run.stderr.ends_with("; nothing was written\n"),
        "{}",
        run.stderr
    );
    let lines: Vec<String> = run.stderr.lines().map(str::to_string).collect();
    lines[..lines.len() - 1].to_vec()
}

#[test]
fn each_bad_input_is_a_located_error_with_a_fix_and_nothing_is_written() {
    let (site, csv) = built();
    let rows = cells(&csv);
    let edit = |f: &dyn Fn(&mut Vec<Vec<String>>)| {
        let mut r = rows.clone();
        f(&mut r);
        join(&r)
    };
    let v = col(&rows, "value_as_given");

    let misspelt = edit(&|r| r[0][v] = "value_as_givne".into());
    assert_eq!(
        refused(&site, "a.csv", misspelt.as_bytes()),
        [
            "a.csv: row 1, column \"value_as_givne\": error: unknown column \"value_as_givne\" (help: did you mean \"value_as_given\"? Rename the column to the download's name)",
            "a.csv: row 1: error: missing column \"value_as_given\" (help: rename column \"value_as_givne\" to \"value_as_given\")",
        ]
    );

    let comma = edit(&|r| r[2][v] = "0,15".into());
    assert_eq!(
        refused(&site, "b.csv", comma.as_bytes()),
        [
            "b.csv: row 3, column \"value_as_given\": error: \"0,15\" is not a number (help: use a decimal point: 0.15, not 0,15)"
        ]
    );

    let words = edit(&|r| r[2][v] = "ten".into());
    assert_eq!(
        refused(&site, "b2.csv", words.as_bytes())[0],
        "b2.csv: row 3, column \"value_as_given\": error: \"ten\" is not a number (help: write the number alone, with its unit in unit_as_given (or `none` where the instrument sets no value))"
    );

    let ids = edit(&|r| {
        let c = col(r, "contaminant_id");
        r[1][c] = "cdd".into();
        let u = col(r, "unit_as_given");
        r[2][u] = "mg/kgg".into();
        let lu = col(r, "land_use");
        r[3][lu] = "agricultura".into();
        let vt = col(r, "value_type");
        r[3][vt] = "screenin".into();
        let cc = col(r, "country_code");
        r[4][cc] = "XXX".into();
    });
    let lines = refused(&site, "c.csv", ids.as_bytes());
    for expected in [
        "c.csv: row 2, column \"contaminant_id\": error: unknown contaminant `cdd` (help: did you mean `cd`? The ids are those of data/contaminants.yaml)",
        "c.csv: row 3, column \"unit_as_given\": error: unknown unit `mg/kgg` (help: did you mean `mg/kg`? Known units: mg/kg, µg/kg, ng/kg, g/kg, ppm, ppb, %)",
        "c.csv: row 4, column \"land_use\": error: unknown land use `agricultura` (help: did you mean `agricultural`? The ids are those of data/land-uses.yaml)",
        "c.csv: row 4, column \"value_type\": error: unknown value type `screenin` (help: did you mean `screening`? The ids are those of data/value-types.yaml)",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected}\nnot in\n{lines:#?}"
        );
    }
    assert!(
        lines.iter().any(|l| l
            .starts_with("c.csv: row 5, column \"country_code\": error: unknown country `XXX`")),
        "{lines:#?}"
    );

    let twice = edit(&|r| {
        let again = r[1].clone();
        r.push(again);
    });
    let id = &rows[1][0];
    assert_eq!(
        refused(&site, "d.csv", twice.as_bytes()),
        [format!(
            "d.csv: row 7, column \"record_id\": error: record id {id} appears again (first in row 2) (help: keep one row per record: delete one of the two rows)"
        )]
    );

    let mut latin1 = csv.clone().into_bytes();
    let at = latin1.len() - 3;
    latin1.splice(at..at, [0xE9]);
    assert_eq!(
        refused(&site, "e.csv", &latin1),
        [
            "e.csv: row 6: error: the file is not UTF-8 text (help: save it again as \"CSV UTF-8\" (in Excel: Save As → CSV UTF-8; in LibreOffice: character set Unicode (UTF-8)))"
        ]
    );

    let semicolons = csv.replace(',', ";");
    assert_eq!(
        refused(&site, "s.csv", semicolons.as_bytes()),
        [
            "s.csv: row 1: error: the columns are separated by semicolons, not commas (help: save the sheet as \"CSV UTF-8 (comma delimited)\", or import the .xlsx or .ods itself)"
        ]
    );

    assert_eq!(
        refused(&site, "f.csv", b""),
        [
            "f.csv: error: the file is empty (help: start from the site's template.csv (the header row) or its thresholds.csv download, and fill one row per value)"
        ]
    );

    let no_instrument = edit(&|r| {
        let mut new = r[1].clone();
        new[0] = String::new();
        let i = col(r, "instrument");
        new[i] = "Bundesbodenschutzgesetz 1998".into();
        r.push(new);
    });
    assert_eq!(
        refused(&site, "g.csv", no_instrument.as_bytes()),
        [
            "g.csv: row 7, column \"instrument\": error: instrument \"Bundesbodenschutzgesetz 1998\" is not in data/thresholds/deu.yaml (help: did you mean \"Bundes-Bodenschutz- und Altlastenverordnung\"? The import adds values, not instruments: add a new instrument to data/thresholds/deu.yaml first)"
        ]
    );

    // A row that is right on its own but makes the data wrong once merged (its pH band overlaps
    // another value's): the data's own error, and nothing written.
    let overlap = edit(&|r| {
        let mut new = r[2].clone();
        new[0] = String::new();
        let ph = col(r, "ph");
        new[ph] = "pH > 7".into();
        r.push(new);
    });
    let lines = refused(&site, "o.csv", overlap.as_bytes());
    let dry = site.run(&["data", "import", "o.csv"]);
    assert_eq!(dry.code, 1, "a dry run reports it too: {}", dry.stdout);
    assert!(
        lines[0].starts_with("o.csv: error: after merging, the data would no longer read;"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("error[E0504]: pH bands overlap: pH > 7 and pH > 5.5")),
        "{lines:#?}"
    );

    let identity = edit(&|r| {
        let lu = col(r, "land_use_national");
        r[1][lu] = "Grünland".into();
    });
    assert_eq!(
        refused(&site, "h.csv", identity.as_bytes()),
        [
            "h.csv: row 2, column \"land_use_national\": error: land_use_national differs from the data (\"Ackerflächen\" → \"Grünland\") (help: an import changes only value_as_given, unit_as_given, note of a record; edit this in data/thresholds/deu.yaml:17, or leave record_id empty to add a new record)"
        ]
    );
}

/// An XLSX written here (a zip of the few XML parts a workbook needs, with inline strings) from
/// rows of cells; a cell starting with `=` is a formula with a cached value.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    fn column(mut i: usize) -> String {
        let mut s = String::new();
        loop {
            s.insert(0, (b'A' + (i % 26) as u8) as char);
            if i < 26 {
                break s;
            }
            i = i / 26 - 1;
        }
    }
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            if let Some(f) = cell.strip_prefix('=') {
                sheet.push_str(&format!("<c r=\"{at}\"><f>{}</f><v>1</v></c>", esc(f)));
            } else if !cell.is_empty() {
                sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    esc(cell)
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="values" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_workbook_round_trips_and_a_formula_cell_is_refused_where_it_is() {
    let (site, csv) = built();
    let mut rows = cells(&csv);
    std::fs::write(site.path().join("survey.xlsx"), xlsx(&rows)).expect("write xlsx");
    let run = site.run(&["data", "import", "survey.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "0 added, 0 changed, 5 unchanged\n");

    let v = col(&rows, "value_as_given");
    rows[3][v] = "=B2*2".into();
    let lines = refused(&site, "survey2.xlsx", &xlsx(&rows));
    assert_eq!(
        lines,
        [
            "survey2.xlsx: sheet \"values\", row 4, column \"value_as_given\": error: the cell holds a formula (=B2*2), not a value (help: copy the column and paste values only (Paste Special → Values), then import again)"
        ]
    );

    rows[3][v] = "2,5".into();
    let lines = refused(&site, "survey3.xlsx", &xlsx(&rows));
    assert_eq!(
        lines,
        [
            "survey3.xlsx: sheet \"values\", row 4, column \"value_as_given\": error: \"2,5\" is not a number (help: use a decimal point: 2.5, not 2,5)"
        ]
    );
}

#[test]
fn the_dataset_page_offers_the_empty_template_which_has_the_downloads_columns() {
    let (site, csv) = built();
    let template = site.read("public/thresholds/template.csv");
    assert_eq!(template, format!("{}\n", csv.lines().next().unwrap()));
    let page = site.read("public/thresholds/dataset.html");
    assert!(
        page.contains("<a href=\"template.csv\" download>template.csv</a>"),
        "no template link on the dataset page"
    );
    // The template itself is an empty sheet: importing it says so.
    site.write("t.csv", &template);
    let run = site.run(&["data", "import", "t.csv"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("t.csv: row 2: error: the file has a header but no rows")
    );
}
