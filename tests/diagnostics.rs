//! Every site under `tests/fixtures/invalid/` has one kind of mistake. `pedon check` must report
//! exactly the lines in its `expected.txt` (short format: `file:line:col: error[code]: message
//! (help: …)`), exit 1 when there is an error, and never panic.
//!
//! To accept new output after a deliberate change: `PEDON_BLESS=1 cargo test --test diagnostics`,
//! then review the diff of the `expected.txt` files.

mod common;

use common::{SiteTest, fixture, run_in, snapshot_tree};

fn diagnostic_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn each_invalid_fixture_reports_its_expected_diagnostics() {
    let root = fixture("invalid");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(
        names.len() >= 15,
        "the catalogue of broken sites shrank: {names:?}"
    );
    let bless = std::env::var_os("PEDON_BLESS").is_some();
    let mut failures = Vec::new();
    for name in names {
        let dir = root.join(&name);
        let run = run_in(&dir, &["check", "--message-format", "short", "--root", "."]);
        assert!(
            !run.stderr.contains("panicked"),
            "{name} panicked:\n{}",
            run.stderr
        );
        let actual = diagnostic_lines(&run.stderr);
        let expected_path = dir.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: missing expected.txt (run with PEDON_BLESS=1)"));
        let wants_error = expected.contains(": error[");
        for line in expected.lines() {
            if !is_located_with_help(line) {
                failures.push(format!("{name}: no file:line:col or no help in `{line}`"));
            }
            if let Some(word) = parser_jargon(line) {
                failures.push(format!("{name}: the parser's word `{word}` in `{line}`"));
            }
        }
        if actual != expected {
            failures.push(format!("{name}: expected\n{expected}got\n{actual}"));
        }
        if run.code != if wants_error { 1 } else { 0 } {
            failures.push(format!("{name}: exit code {}\n{}", run.code, run.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Words of the YAML parser and of Rust that mean nothing to an editor who writes pages.
fn parser_jargon(line: &str) -> Option<&'static str> {
    const WORDS: &[&str] = &[
        "scalar",
        "mapping",
        "sequence",
        "serde",
        " struct ",
        "i64",
        "u32",
        "f64",
        "invalid type",
    ];
    WORDS.iter().copied().find(|word| line.contains(word))
}

/// `path:line:col: …(help: …)`: what an editor needs to find and fix the mistake.
fn is_located_with_help(line: &str) -> bool {
    let mut parts = line.splitn(4, ':');
    let (file, l, c) = (parts.next(), parts.next(), parts.next());
    let number =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    file.is_some_and(|f| !f.is_empty()) && number(l) && number(c) && line.contains(" (help: ")
}

/// `build` (not only `check`) on every broken site: exit 1, and the previous output, byte for
/// byte, with no staging folder left beside it.
#[test]
fn each_broken_site_leaves_the_previous_output_untouched() {
    let root = fixture("invalid");
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let expected =
            std::fs::read_to_string(root.join(&name).join("expected.txt")).unwrap_or_default();
        if !expected.contains(": error[") {
            continue;
        }
        let site = SiteTest::from_fixture(&format!("invalid/{name}"));
        site.write("public/index.html", "<p>the last good build</p>");
        site.write("public/manual/old.html", "<p>an older page</p>");
        let before = snapshot_tree(&site.path().join("public"));
        let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
        if run.code != 1 || run.stderr.contains("panicked") {
            failures.push(format!("{name}: exit {}\n{}", run.code, run.stderr));
        }
        if !run.stderr.contains("was left untouched") {
            failures.push(format!(
                "{name}: no word on the previous output\n{}",
                run.stderr
            ));
        }
        if snapshot_tree(&site.path().join("public")) != before {
            failures.push(format!("{name}: public/ changed"));
        }
        let left: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".pedon-"))
            .collect();
        if !left.is_empty() {
            failures.push(format!("{name}: left behind {left:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn many_mistakes_in_many_files_are_all_reported_in_one_run() {
    let run = run_in(
        &fixture("invalid/many-errors"),
        &["check", "--message-format", "short", "--root", "."],
    );
    assert_eq!(run.code, 1);
    let files: std::collections::BTreeSet<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error["))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(files.len(), 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("check found 5 errors"),
        "{}",
        run.stderr
    );
}

#[test]
fn human_format_shows_the_source_line_with_a_caret_and_help() {
    let run = run_in(&fixture("invalid/broken-anchor"), &["check", "--root", "."]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn json_format_is_one_object_per_line_with_location() {
    let run = run_in(
        &fixture("invalid/unknown-key"),
        &["check", "--message-format", "json", "--root", "."],
    );
    assert_eq!(run.code, 1);
    // Data on stdout, the summary for people on stderr, as cargo does.
    assert!(
        run.stderr.starts_with("error: check found 1 error"),
        "{}",
        run.stderr
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let value: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(value["reason"], "diagnostic");
    assert_eq!(value["schema"], 1);
    assert_eq!(value["severity"], "error");
    assert_eq!(value["code"], "E0103");
    assert_eq!(value["file"], "content/_index.md");
    assert_eq!(value["line"], 3);
    assert_eq!(value["column"], 1);
    assert_eq!(value["help"], "did you mean `weight`?");
    // The fix as data: the misspelt key's bytes and what to write instead.
    let suggestion = &value["suggestions"][0];
    assert_eq!(suggestion["replacement"], "weight");
    assert_eq!(suggestion["applicability"], "maybe-incorrect");
    assert_eq!(suggestion["span"]["line_start"], 3);
    assert_eq!(suggestion["span"]["column_start"], 1);
    let text = std::fs::read_to_string(fixture("invalid/unknown-key/content/_index.md")).unwrap();
    let (start, end) = (
        suggestion["span"]["byte_start"].as_u64().unwrap() as usize,
        suggestion["span"]["byte_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "weigth");
}

/// A mistake in two places keeps both in JSON, each with its label.
#[test]
fn json_format_keeps_every_span_with_its_label() {
    let run = run_in(
        &fixture("invalid/duplicate-sop-code"),
        &["check", "--message-format", "json", "--root", "."],
    );
    assert_eq!(run.code, 1);
    let value: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let spans = value["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 2, "{value}");
    assert_eq!(spans[0]["is_primary"], true);
    assert_eq!(spans[1]["is_primary"], false);
    assert_ne!(spans[0]["file"], spans[1]["file"], "{value}");
    assert!(
        spans
            .iter()
            .all(|s| !s["label"].as_str().unwrap().is_empty())
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = fixture("invalid/missing-alt");
    assert_eq!(run_in(&dir, &["check", "--root", "."]).code, 0);
    let denied = run_in(&dir, &["check", "--root", ".", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    assert!(
        denied.stderr.contains("1 warning (denied)"),
        "{}",
        denied.stderr
    );
}

/// One mistake in `pedon.toml` of a site in three languages, whatever it makes unreadable (a
/// language's code, the default, a table's name, the rest of a line), is one message at the
/// mistake: not also a warning for every translation and file of names of a language that seems
/// undeclared because of it.
#[test]
fn a_mistake_in_pedon_toml_is_its_only_message_whatever_it_makes_unreadable() {
    let fixture_name = "invalid/config-typo-in-multilingual-site";
    let good = std::fs::read_to_string(fixture(fixture_name).join("pedon.toml"))
        .unwrap()
        .replace("nmae = ", "name = ");
    let mistakes = [
        ("code = \"fr\"", "code = \"French\""),
        ("code = \"fr\"\n", ""),
        ("default_language = \"en\"", "defualt_language = \"en\""),
        (
            "[[languages]]\ncode = \"ar\"",
            "[[language]]\ncode = \"ar\"",
        ),
        ("title = \"Manuel\"", "title = \"Manuel"),
        ("direction = \"rtl\"", "direction = rtl"),
    ];
    let mut failures = Vec::new();
    for (right, wrong) in mistakes {
        assert!(good.contains(right), "{right}");
        let site = SiteTest::from_fixture(fixture_name);
        site.write("pedon.toml", &good.replacen(right, wrong, 1));
        let run = site.run(&["check", "--message-format", "short", "--root", "."]);
        let lines = diagnostic_lines(&run.stderr);
        if run.code != 1 || lines.lines().count() != 1 || !lines.starts_with("pedon.toml:") {
            failures.push(format!("`{wrong}` for `{right}`:\n{}", run.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What can be read of a `pedon.toml` with a mistake is what the rest is checked against, not
/// the defaults: an out-of-date French translation is reported beside a misspelt key of the
/// French `[[languages]]` entry, rather than after it is fixed.
#[test]
fn a_mistake_in_pedon_toml_hides_no_other_mistake_it_can_be_read_around() {
    let site = SiteTest::from_fixture("invalid/config-typo-in-multilingual-site");
    let page = site.read("content/_index.fr.md").replace(
        "translated_from: 5c6cbf5886ef",
        "translated_from: 000000000000",
    );
    site.write("content/_index.fr.md", &page);
    let run = site.run(&["check", "--message-format", "short", "--root", "."]);
    let lines = diagnostic_lines(&run.stderr);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(lines[0].starts_with("pedon.toml:11:1: error[E0100]: unknown field `nmae`"));
    assert!(
        lines[1].starts_with(
            "content/_index.fr.md:3:18: warning[W0602]: translation of `_index.md` is out of date"
        ),
        "{}",
        lines[1]
    );
}

/// A chapter renamed in Git (a plain `mv` not yet committed, or a committed `git mv`): a link
/// still pointing at the old name suggests the new one, not the closest spelling.
#[test]
fn a_link_to_a_renamed_file_suggests_its_new_name_from_git() {
    let site = SiteTest::empty();
    site.write("pedon.toml", "title = \"Manual\"\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [sampling](manual/02-sampling.md).\n",
    );
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\nTake ten cores.\n",
    );
    site.write(
        "content/manual/03-sampling-plans.md",
        "---\ntitle: Sampling plans\n---\nA plan.\n",
    );
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=Editor",
                "-c",
                "user.email=editor@example.org",
            ])
            .args(args)
            .current_dir(site.path())
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);

    // A plain `mv`: found by its text.
    std::fs::rename(
        site.path().join("content/manual/02-sampling.md"),
        site.path().join("content/manual/04-field-work.md"),
    )
    .unwrap();
    let run = site.run(&["check", "--message-format", "short"]);
    assert_eq!(
        diagnostic_lines(&run.stderr),
        "content/_index.md:4:16: error[E0201]: broken link: `manual/02-sampling.md` does not exist (help: did you mean `manual/04-field-work.md`?)\n",
        "{}",
        run.stderr
    );

    // Committed, then renamed once more with `git mv`: followed to today's name.
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "rename"]);
    git(&[
        "mv",
        "content/manual/04-field-work.md",
        "content/manual/05-in-the-field.md",
    ]);
    let run = site.run(&["check", "--message-format", "short"]);
    assert_eq!(
        diagnostic_lines(&run.stderr),
        "content/_index.md:4:16: error[E0201]: broken link: `manual/02-sampling.md` does not exist (help: did you mean `manual/05-in-the-field.md`?)\n",
        "{}",
        run.stderr
    );
}
