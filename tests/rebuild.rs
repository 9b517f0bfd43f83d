//! Incremental rebuilds (`pedon serve`) against full builds: after each kind of edit an editor
//! makes, the output rebuilt from the cache must be byte for byte what a fresh build writes. This
//! is what keeps the render cache's keys honest: a dependency they miss shows up here as a stale
//! page.

use pedon::output::{Output, OutputFile};
use pedon::{BuildOptions, Cache, build, build_pages};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The bundled INSOP site (content, data, theme), copied so it can be edited.
fn bundled_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["content", "data", "themes", "pedon.toml"] {
        copy(&repo.join(name), &dir.path().join(name));
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

fn contents(output: &Output) -> BTreeMap<String, Vec<u8>> {
    output
        .iter()
        .map(|(path, file)| {
            let bytes = match file {
                OutputFile::Bytes(bytes) => bytes.to_vec(),
                OutputFile::Copy(from) => std::fs::read(from).unwrap(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// A preview session: one cache across edits, as `pedon serve` keeps it.
struct Session {
    root: PathBuf,
    cache: Cache,
}

impl Session {
    fn start(root: &Path) -> Session {
        let mut session = Session {
            root: root.canonicalize().unwrap(),
            cache: Cache::default(),
        };
        session.check_against_full_build(&[], "the first build");
        session
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            ..BuildOptions::default()
        }
    }

    /// Rebuilds after `changed` (paths relative to the root, as the watcher reports them) and
    /// compares with a fresh build. Returns how many pages were rendered again.
    fn check_against_full_build(&mut self, changed: &[&str], what: &str) -> usize {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        self.cache.load.invalidate(&self.root, &changed);
        let rendered = AtomicUsize::new(0);
        let mut incremental = build_pages(&self.options(), &mut self.cache, &rendered);
        incremental.index();
        let full = build(&self.options(), &AtomicUsize::new(0));
        assert_eq!(
            incremental.has_errors(),
            full.has_errors(),
            "after {what}: the rebuild and a fresh build disagree on errors"
        );
        let messages: Vec<&str> = full
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            full.has_errors(),
            what.starts_with("broken"),
            "after {what}: {messages:?}"
        );
        if full.has_errors() {
            return rendered.load(Ordering::Relaxed);
        }
        let (ours, theirs) = (contents(&incremental.output), contents(&full.output));
        let differ: std::collections::BTreeSet<&String> = ours
            .keys()
            .chain(theirs.keys())
            .filter(|path| ours.get(*path) != theirs.get(*path))
            .collect();
        assert!(
            differ.is_empty(),
            "after {what}, the rebuild differs from a fresh build in: {differ:?}"
        );
        rendered.load(Ordering::Relaxed)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "`{rel}` has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

#[test]
fn every_kind_of_edit_rebuilds_to_what_a_fresh_build_writes() {
    let site = bundled_site();
    let mut s = Session::start(site.path());
    let pages = build(&s.options(), &AtomicUsize::new(0)).stats.pages;

    // A paragraph: only that page is rendered again, in each of the six languages, where
    // untranslated chapters show the original's text.
    let chapter = "content/manual/03-sample-preparation.md";
    s.edit(
        chapter,
        "## Key points",
        "A new first sentence.\n\n## Key points",
    );
    assert_eq!(s.check_against_full_build(&[chapter], "a body edit"), 6);

    // A translation's paragraph: only the translated page.
    let translation = "content/manual/01-introduction.fr.md";
    s.edit(
        translation,
        "## Points clés",
        "Une phrase.\n\n## Points clés",
    );
    assert_eq!(
        s.check_against_full_build(&[translation], "a translation edit"),
        1
    );
    // Its original changed: the translation is stale, and says so; the original's fallbacks in
    // the other languages show the new text.
    let original = "content/manual/01-introduction.md";
    s.edit(
        original,
        "## Key points",
        "A new sentence.\n\n## Key points",
    );
    s.check_against_full_build(&[original], "an original edit");

    // Nothing changed (an editor saving twice): nothing is rendered.
    assert_eq!(
        s.check_against_full_build(&[chapter], "a save without change"),
        0
    );

    // A title shows in the sidebar, breadcrumbs, neighbours and the section's list.
    s.edit(
        chapter,
        "title: Sample preparation",
        "title: Preparing samples",
    );
    let rendered = s.check_against_full_build(&[chapter], "a title change");
    assert!(
        rendered > 1 && rendered < pages,
        "{rendered} of {pages} pages rendered"
    );

    // A heading: the page's own table of contents.
    s.edit(
        chapter,
        "## Receiving and registering samples",
        "## Registering samples",
    );
    s.check_against_full_build(&[chapter], "a heading change");
    // A heading other pages link to: their links break, and the build says so.
    s.edit(chapter, "## Key points", "## Points to remember");
    s.check_against_full_build(&[chapter], "broken anchors");
    s.edit(chapter, "## Points to remember", "## Key points");
    s.check_against_full_build(&[chapter], "the anchors restored");

    // A new page, then its removal.
    let new = "content/manual/11-new-chapter.md";
    std::fs::write(
        s.root.join(new),
        "---\ntitle: A new chapter\n---\n\nSee [sample preparation](03-sample-preparation.md).\n",
    )
    .unwrap();
    s.check_against_full_build(&[new], "a new page");
    // A renamed page: the watcher reports both names.
    let renamed = "content/manual/12-renamed-chapter.md";
    std::fs::rename(s.root.join(new), s.root.join(renamed)).unwrap();
    s.check_against_full_build(&[new, renamed], "a renamed page");
    std::fs::remove_file(s.root.join(renamed)).unwrap();
    s.check_against_full_build(&[renamed], "a removed page");
    // Renaming a page others link to breaks their links.
    let moved = "content/manual/03-preparing-samples.md";
    std::fs::rename(s.root.join(chapter), s.root.join(moved)).unwrap();
    s.check_against_full_build(&[chapter, moved], "broken links");
    std::fs::rename(s.root.join(moved), s.root.join(chapter)).unwrap();
    s.check_against_full_build(&[chapter, moved], "the page renamed back");

    // Broken front matter fails the build; fixing it builds what a fresh build does.
    s.edit(chapter, "title: Preparing samples", "title: [unclosed");
    s.check_against_full_build(&[chapter], "broken front matter");
    s.edit(chapter, "title: [unclosed", "title: Sample preparation");
    s.check_against_full_build(&[chapter], "the front matter fixed");

    // Data: the country's notes show on its page.
    let data = "data/thresholds/aus.yaml";
    s.edit(data, "(NEPM), Schedule B1.", "(NEPM), Schedule B1. Edited.");
    s.check_against_full_build(&[data], "a data file edit");

    // A template: every page.
    let template = "themes/insop/templates/base.html";
    if s.root.join(template).exists() {
        s.edit(template, "<main", "<!-- edited -->\n  <main");
        assert_eq!(
            s.check_against_full_build(&[template], "a template edit"),
            pages
        );
    }

    // The configuration: every page.
    s.edit(
        "pedon.toml",
        "title = \"INSOP Assessment Working Group\"",
        "title = \"INSOP\"",
    );
    assert_eq!(
        s.check_against_full_build(&["pedon.toml"], "a configuration edit"),
        pages
    );
}
