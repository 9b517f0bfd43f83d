//! Broken and hostile input that a fixture folder cannot hold (generated files: CRLF, a BOM, 50 MB,
//! permissions, symlinks, files deleted mid-build) and builds killed with SIGKILL. What a user
//! would notice: the exit code, the first error with its file:line:col and help, no panic, and the
//! previous `public/` byte for byte, with no staging folder left behind by the next run.

mod common;
#[path = "../bench/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use common::{Run, SiteTest, assert_no_leftovers, snapshot_tree};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Builds the site once so there is a previous output, applies `mutate`, builds again and
/// checks that the failed build left that output exactly as it was.
fn build_fails_leaving_output(site: &SiteTest, mutate: impl FnOnce(&SiteTest)) -> Run {
    site.build_ok(&[]);
    let before = snapshot_tree(&site.path().join("public"));
    mutate(site);
    let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("was left untouched"), "{}", run.stderr);
    assert!(
        before == snapshot_tree(&site.path().join("public")),
        "public/ changed"
    );
    assert_no_leftovers(site.path());
    run
}

fn first_error(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.contains(": error["))
        .unwrap_or_else(|| panic!("no error line in\n{}", run.stderr))
}

#[test]
fn bom_and_crlf_files_build_like_any_other() {
    let site = SiteTest::from_fixture("data-site");
    let bom = |text: &str| format!("\u{feff}{text}");
    let crlf = |text: &str| text.replace('\n', "\r\n");
    site.write(
        "content/windows.md",
        &bom(&crlf(
            "---\ntitle: Saved on Windows\nweight: 9\n---\n## Composite samples\r\n\nText.\n",
        )),
    );
    for file in ["data/thresholds/deu.yaml", "data/contaminants.yaml"] {
        let text = site.read(file);
        site.write(file, &bom(&crlf(&text)));
    }
    let config = site.read("pedon.toml");
    site.write("pedon.toml", &bom(&crlf(&config)));
    site.build_ok(&[]);
    let html = site.read("public/windows.html");
    assert!(html.contains("<title>Saved on Windows"), "{html}");
    assert!(html.contains(r#"<h2 id="composite-samples">"#), "{html}");
    assert!(!html.contains('\u{feff}'), "the BOM reached the page");
    assert!(site.exists("public/thresholds/countries/deu.html"));
}

#[test]
fn an_error_in_a_crlf_file_is_located_by_line_and_column() {
    let site = SiteTest::from_fixture("manual");
    let run = build_fails_leaving_output(&site, |s| {
        s.write(
            "content/crlf.md",
            "\u{feff}---\r\ntitle: Crlf\r\n---\r\n## Head one\r\n\r\nSee [x](nosuch.md).\r\n",
        )
    });
    assert!(
        first_error(&run)
            .starts_with("content/crlf.md:6:9: error[E0201]: broken link: `nosuch.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_50_mb_page_is_refused_without_reading_it() {
    let site = SiteTest::from_fixture("manual");
    let started = Instant::now();
    let run = build_fails_leaving_output(&site, |s| {
        let line = "Soil sampling text with *emphasis* and a [link](manual/01-intro.md).\n\n";
        let mut text = String::from("---\ntitle: Big\n---\n");
        text.push_str(&line.repeat(50 * 1024 * 1024 / line.len() + 1));
        s.write("content/big.md", &text);
    });
    assert_eq!(
        first_error(&run),
        "content/big.md:1:1: error[E0004]: file is too large: 50.0 MB, and Pedon reads text files up to 10 MB (help: split it into several pages, or put it under `static/` to publish it as a download)"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// chmod 000 does not stop root (nor a process with CAP_DAC_OVERRIDE): then the case is skipped
/// with its reason, and the dangling-symlink test in cli.rs covers the same "cannot read" path.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_error_at_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    let path = site.path().join("content/manual/02-sampling.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "skipped: this test runs with the right to read any file (root), so chmod 000 cannot make one unreadable"
        );
        return;
    }
    let run = build_fails_leaving_output(&site, |_| {});
    assert!(
        first_error(&run).starts_with(
            "content/manual/02-sampling.md:1:1: error[E0001]: cannot read `content/manual/02-sampling.md`: permission denied (help: check the file's permissions)"
        ),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_fail_the_build_and_publish_nothing() {
    let site = SiteTest::from_fixture("manual");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nprivate key\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    let run = build_fails_leaving_output(&site, |s| {
        std::os::unix::fs::symlink("..", s.path().join("content/manual/loop")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            s.path().join("content/secret.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), s.path().join("static/outside")).unwrap();
    });
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error["))
        .collect();
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("content/manual/loop:1:1: error[E0003]: symlink loop")),
        "{}",
        run.stderr
    );
    assert!(errors.iter().any(|l| l.starts_with("content/secret.md:1:1: error[E0003]: symlink `content/secret.md` points outside the site")), "{}", run.stderr);
    assert!(
        errors.iter().any(|l| l.contains("static/outside")),
        "{}",
        run.stderr
    );
    assert!(
        errors.iter().all(|l| l.contains("(help: ")),
        "{}",
        run.stderr
    );
}

/// Deleting pages and images while a build runs: whenever the deletion lands (before the walk,
/// between the walk and the read, during rendering or writing), the build ends with an exit
/// code, never a panic, and `public/` is either the previous output or a complete new one.
#[test]
fn files_deleted_while_the_build_runs() {
    let corpus = neutral_corpus(100);
    let site = corpus.path().join("neutral");
    run_ok(&site);
    let original = snapshot_tree(&site.join("public"));
    for delay_ms in [0u64, 100, 300, 600] {
        let copy = tempfile::tempdir().unwrap();
        common::copy_dir(&site, copy.path());
        let child = pedon_build(copy.path());
        std::thread::sleep(Duration::from_millis(delay_ms));
        let victims = delete_some(copy.path());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code().unwrap_or(-1);
        eprintln!(
            "deleted {victims} files after {delay_ms} ms: exit {code}: {}",
            stderr
                .lines()
                .find(|l| l.starts_with("error") || l.contains("error["))
                .unwrap_or("(no error)")
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(matches!(code, 0..=2), "{stderr}");
        let now = snapshot_tree(&copy.path().join("public"));
        match code {
            0 => assert!(!now.is_empty()),
            // 1: a page or image was gone when read or linked (a located error); 2: an image
            // vanished between the walk and its copy (an environment error naming the file).
            1 => assert!(stderr.contains("error["), "{stderr}"),
            _ => assert!(stderr.contains("failed to write"), "{stderr}"),
        }
        if code != 0 {
            assert!(now == original, "a failed build changed public/: {stderr}");
        }
        run_any(copy.path());
        assert_no_leftovers(copy.path());
    }
}

/// Removes every fifth Markdown page and every image of the corpus.
fn delete_some(root: &Path) -> usize {
    let mut n = 0;
    let files: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root.join("static")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    for (i, path) in files.iter().enumerate() {
        let is_page = path.extension().is_some_and(|e| e == "md");
        let name = path.file_name().unwrap().to_string_lossy();
        let victim = !is_page || (i % 5 == 0 && name != "_index.md");
        if victim && std::fs::remove_file(path).is_ok() {
            n += 1;
        }
    }
    n
}

/// SIGKILL at several moments of a build that takes about a second: the previous output stays
/// exactly as it was (or, if the kill came after the swap, is the complete new site), and the
/// next build removes whatever staging folder the killed one left.
#[test]
fn a_build_killed_at_any_moment_loses_nothing_and_leaves_nothing() {
    let corpus = neutral_corpus(120);
    let site = corpus.path().join("neutral");
    run_ok(&site);
    let previous = snapshot_tree(&site.join("public"));
    // An edit, so that the new output differs from the previous one.
    let page = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .unwrap()
        .into_path();
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n\nEdited before the kill.\n")).unwrap();
    let expected_new = {
        let out = tempfile::tempdir().unwrap();
        let run = common::run_in(
            &site,
            &[
                "build",
                "--output",
                out.path().join("public").to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        snapshot_tree(&out.path().join("public"))
    };
    assert!(expected_new != previous);

    // Kills while reading and rendering (after a delay), and while writing (after the staging
    // folder appears, then a little later): the write is the short end of a build that a delay
    // alone rarely hits on a busy machine.
    let mut killed = 0;
    let moments = [
        Moment::After(30),
        Moment::After(250),
        Moment::After(600),
        Moment::Staging(0),
        Moment::Staging(10),
        Moment::Staging(40),
    ];
    for moment in moments {
        // Every round starts from the previous output.
        let copy = tempfile::tempdir().unwrap();
        common::copy_dir(&site, copy.path());
        std::fs::remove_dir_all(copy.path().join("public")).unwrap();
        common::copy_dir(&site.join("public"), &copy.path().join("public"));
        let mut child = pedon_build(copy.path());
        moment.wait(&mut child, copy.path());
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        let staging = std::fs::read_dir(copy.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".pedon-"))
            .count();
        let now = snapshot_tree(&copy.path().join("public"));
        let state = if now == previous {
            "previous output intact"
        } else if now == expected_new {
            "complete new output"
        } else {
            panic!("after a kill {moment:?} public/ is neither the previous nor the new site")
        };
        if !finished {
            killed += 1;
        }
        eprintln!(
            "SIGKILL {moment:?}: {} ({status}), {state}, {staging} staging folder(s) left",
            if finished { "had finished" } else { "killed" }
        );
        let run = run_any(copy.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_no_leftovers(copy.path());
        assert!(snapshot_tree(&copy.path().join("public")) == expected_new);
    }
    assert!(
        killed >= 3,
        "the corpus builds too fast to be killed mid-way"
    );
}

/// When to send SIGKILL to a build.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// This many milliseconds after the start.
    After(u64),
    /// This many milliseconds after the staging folder appears (the write has begun).
    Staging(u64),
}

impl Moment {
    fn wait(self, child: &mut std::process::Child, dir: &Path) {
        match self {
            Moment::After(ms) => std::thread::sleep(Duration::from_millis(ms)),
            Moment::Staging(ms) => {
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                    let staging = std::fs::read_dir(dir)
                        .unwrap()
                        .filter_map(Result::ok)
                        .any(|e| {
                            e.file_name()
                                .to_string_lossy()
                                .starts_with(".pedon-staging-")
                        });
                    if staging {
                        std::thread::sleep(Duration::from_millis(ms));
                        return;
                    }
                    std::thread::sleep(Duration::from_micros(500));
                }
            }
        }
    }
}

/// The benchmark corpus's neutral layout (`bench/corpus.rs`): pages of 800–3,000 words, with
/// links, a table and an image each, so that a build takes long enough to be interrupted.
fn neutral_corpus(pages: usize) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        pages,
        layouts: vec![corpus::Layout::Neutral],
        ..corpus::Options::default()
    };
    corpus::generate(out.path(), &options).unwrap();
    out
}

fn pedon_build(dir: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_pedon"))
        .args(["build", "--message-format", "short"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run_ok(dir: &Path) {
    let run = run_any(dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn run_any(dir: &Path) -> Run {
    common::run_in(dir, &["build", "--message-format", "short"])
}
