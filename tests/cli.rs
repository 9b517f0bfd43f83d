//! The command line as a user meets it: exit codes, `new`, `check`, atomic output, the bundled
//! site and the benchmark corpus.

mod common;
#[path = "../bench/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use common::{SiteTest, assert_no_leftovers, run_in, snapshot_tree};
use std::path::Path;

#[test]
fn new_site_builds_with_zero_errors_and_warnings() {
    let tmp = SiteTest::empty();
    let run = tmp.run(&["new", "mysite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What to do next, and where the files are.
    assert!(
        run.stderr
            .contains("Next:\n  cd mysite\n  pedon serve --open"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("  mysite/content/_index.md\n"),
        "{}",
        run.stderr
    );
    let build = run_in(&tmp.path().join("mysite"), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    assert!(
        tmp.path()
            .join("mysite/public/manual/01-getting-started.html")
            .is_file()
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = SiteTest::empty();
    tmp.write("taken/file.txt", "x");
    let run = tmp.run(&["new", "taken"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("already exists and is not empty"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("copy its pedon.toml into your folder"),
        "how to use a folder that has files: {}",
        run.stderr
    );
    assert_eq!(tmp.read("taken/file.txt"), "x");
}

#[test]
fn usage_and_environment_errors_exit_2() {
    let tmp = SiteTest::empty();
    assert_eq!(tmp.run(&["build", "--no-such-flag"]).code, 2);
    let missing = tmp.run(&["build", "--root", "does-not-exist"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("is not a readable folder"),
        "{}",
        missing.stderr
    );
}

#[test]
fn output_folder_may_not_swallow_the_sources() {
    let site = SiteTest::from_fixture("manual");
    let run = site.run(&["build", "--root", ".", "--output", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(site.exists("content/_index.md"));
    let inside = site.run(&["build", "--root", ".", "--output", "content/out"]);
    assert_eq!(inside.code, 2);
}

#[test]
fn check_writes_nothing() {
    let site = SiteTest::from_fixture("manual");
    let run = site.run(&["check", "--root", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.exists("public"));
    assert!(run.stderr.contains("no errors"));
}

#[test]
fn build_ends_with_a_summary_line() {
    let site = SiteTest::from_fixture("manual");
    let run = site.build_ok(&[]);
    let last = run.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("Built 6 pages (3 sections), 0 data records"),
        "{last}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    let before = snapshot_tree(&site.path().join("public"));
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let run = site.run(&["build", "--root", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("was left untouched"));
    assert_eq!(before, snapshot_tree(&site.path().join("public")));
    assert_no_leftovers(site.path());
}

#[test]
fn a_successful_build_replaces_the_output_and_removes_stale_files() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    site.write("public/stale.html", "old");
    std::fs::remove_file(site.path().join("content/manual/02-sampling.md")).unwrap();
    site.write("content/_index.md", "---\ntitle: Home\n---\nNo links.\n");
    std::fs::write(
        site.path().join("content/manual/01-intro.md"),
        "---\ntitle: Introduction\n---\nNew text.\n",
    )
    .unwrap();
    site.build_ok(&[]);
    assert!(!site.exists("public/stale.html"));
    assert!(!site.exists("public/manual/02-sampling.html"));
    assert!(
        site.read("public/manual/01-intro.html")
            .contains("New text.")
    );
    assert_no_leftovers(site.path());
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_and_a_lost_output_restored() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    // A build killed between moving the old output aside and moving the new one in.
    std::fs::rename(
        site.path().join("public"),
        site.path().join(".pedon-retired-public-99999"),
    )
    .unwrap();
    std::fs::create_dir(site.path().join(".pedon-staging-public-99998")).unwrap();
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: [broken\n---\n",
    );
    assert_eq!(site.run(&["build", "--root", "."]).code, 1);
    // The failed build did not touch anything, so repair happens on the next write.
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n",
    );
    site.build_ok(&[]);
    assert!(site.exists("public/index.html"));
    assert_no_leftovers(site.path());
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_errors() {
    let site = SiteTest::from_fixture("manual");
    std::os::unix::fs::symlink("..", site.path().join("content/manual/loop")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/secret.md"),
    )
    .unwrap();
    let run = site.run(&["check", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E0003]: symlink loop at `content/manual/loop`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error[E0003]: symlink `content/secret.md` points outside the site"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_an_error_not_a_panic() {
    let site = SiteTest::from_fixture("manual");
    std::os::unix::fs::symlink("gone.md", site.path().join("content/manual/04-moved.md")).unwrap();
    let run = site.run(&["check", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/manual/04-moved.md:1:1: error[E0001]: cannot read `content/manual/04-moved.md`"
        ),
        "{}",
        run.stderr
    );
}

/// The site this repository publishes builds with no error and no warning.
#[test]
fn the_bundled_site_builds_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("public");
    let run = run_in(
        root,
        &["build", "--no-cache", "--output", out_dir.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    for chapter in [
        "01-introduction",
        "02-sampling-design",
        "03-sample-preparation",
        "04-heavy-metals",
        "05-pesticide-residues",
        "06-quality-assurance",
        "07-mapping",
        "08-monitoring",
        "09-risk-assessment",
        "10-reporting",
    ] {
        assert!(
            out_dir.join(format!("manual/{chapter}.html")).is_file(),
            "{chapter}"
        );
    }
    assert!(out_dir.join("about.html").is_file());
    let sops = std::fs::read_dir(out_dir.join("sops")).unwrap().count();
    assert!(sops >= 5, "{sops} SOP files");
}

/// The benchmark corpus's neutral layout (`bench/corpus.rs`, which `bench/compare.sh` builds):
/// no pedon.toml, no data/, relative `.md` links between pages and root-relative images. It must
/// build with no error or warning, every page with the title its front matter gives.
#[test]
fn the_benchmark_corpus_builds_with_defaults() {
    let out = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        pages: 60,
        layouts: vec![corpus::Layout::Neutral],
        ..corpus::Options::default()
    };
    let manifest = corpus::generate(out.path(), &options).unwrap();
    let site = out.path().join("neutral");
    let run = run_in(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // 60 pages, 10 section pages and the home page.
    assert!(
        run.stderr.contains("Built 71 pages (11 sections)"),
        "{}",
        run.stderr
    );
    let touched = &manifest.touch_page;
    let html = site
        .join("public")
        .join(&touched.section_dir)
        .join(Path::new(&touched.file).with_extension("html"));
    let html = std::fs::read_to_string(&html).unwrap_or_else(|e| panic!("{}: {e}", html.display()));
    assert!(
        html.contains(&format!("<h1>{}</h1>", touched.title)),
        "{} has no <h1> with its title",
        touched.file
    );
    assert!(
        site.join("public")
            .join(&touched.section_dir)
            .join("index.html")
            .is_file()
    );
}

/// The site-shaped benchmark corpus (`bench/site.rs`, which `bench/site.sh` builds): six
/// languages, translations (some stale), SOP and event pages, typed links, thresholds blocks and
/// a generated database. It must build with no error; its only warnings are the stale
/// translations it was made with, one at each, and every language has every page.
#[test]
fn the_site_shaped_benchmark_corpus_builds_without_errors() {
    let out = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        pages: 60,
        min_words: 100,
        max_words: 200,
        ..corpus::Options::default()
    };
    let site_options = corpus::site::SiteOptions {
        translated: 0.5,
        stale: 0.3,
        records: 600,
        jurisdictions: 12,
        contaminants: 10,
    };
    let manifest = corpus::site::generate_site(out.path(), &options, &site_options).unwrap();
    assert!(manifest.stale_translations > 0 && manifest.thresholds_blocks > 0);
    assert!(manifest.sop_pages > 0 && manifest.webinar_pages > 0);
    let site = out.path().join("site");
    let run = run_in(&site, &["build", "--message-format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning["))
        .collect();
    assert_eq!(
        warnings.len(),
        manifest.stale_translations,
        "{}",
        run.stderr
    );
    assert!(
        warnings.iter().all(|w| w.contains("is out of date")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(", 600 data records"), "{}", run.stderr);
    let public = site.join("public");
    for lang in ["", "fr/", "es/", "ar/", "zh/", "ru/"] {
        for page in ["index.html", "sops/index.html", "thresholds/index.html"] {
            let path = public.join(format!("{lang}{page}"));
            assert!(path.is_file(), "{} missing", path.display());
        }
    }
    let arabic = std::fs::read_to_string(public.join("ar/index.html")).unwrap();
    assert!(
        arabic.contains("dir=\"rtl\""),
        "Arabic home is not right to left"
    );
}
