//! Incremental rebuilds (`pedon serve`) against full builds: after each kind of edit an editor
//! makes, the output rebuilt from the cache must be byte for byte what a fresh build writes. This
//! is what keeps the render cache's keys honest: a dependency they miss shows up here as a stale
//! page. The search index of the preview, kept between edits and brought up to date page by
//! page, is compared with a fresh build's the same way.

use pedon::output::{Output, OutputFile};
use pedon::{
    BuildOptions, Built, Cache, build, build_pages, build_with, index, preview_edit, search_index,
};
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
                OutputFile::Staged => unreachable!("a build in memory stages nothing"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// A one-off build that holds no page's text, as `pedon build` does past its budget on a large
/// site: render and index read each page again from disk. The fresh builds the rebuilds are
/// compared with are these, so that the comparison covers the texts read again too.
fn holding_no_text() -> Cache {
    let mut cache = Cache::one_off();
    cache.load.hold_text = Some(0);
    cache
}

/// A preview session: one cache across edits, and one for the search index, as `pedon serve`
/// keeps them, and the last good build, which an edit of a page's text is previewed against.
struct Session {
    root: PathBuf,
    cache: Cache,
    index: index::Cache,
    last: Option<Built>,
    /// How many pages the preview of the last edit made before its rebuild, if it made them.
    previewed: Option<usize>,
}

impl Session {
    fn start(root: &Path) -> Session {
        let mut session = Session {
            root: root.canonicalize().unwrap(),
            cache: Cache::default(),
            index: index::Cache::default(),
            last: None,
            previewed: None,
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
    /// compares with a fresh build, and so the pages the preview showed before the rebuild, if
    /// it did. Returns how many pages were rendered again.
    fn check_against_full_build(&mut self, changed: &[&str], what: &str) -> usize {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let preview = match (&self.last, changed.as_slice()) {
            (Some(last), [one]) => preview_edit(&last.site, &self.cache, one),
            _ => None,
        };
        self.previewed = preview.as_ref().map(Vec::len);
        self.cache.load.invalidate(&self.root, &changed);
        let rendered = AtomicUsize::new(0);
        let incremental = build_pages(&self.options(), &mut self.cache, &rendered);
        let full = build_with(
            &self.options(),
            &mut holding_no_text(),
            &AtomicUsize::new(0),
        );
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
            assert!(
                preview.is_none(),
                "after {what}: a preview of a broken site"
            );
            self.last = None;
            return rendered.load(Ordering::Relaxed);
        }
        let mut ours = contents(&incremental.output);
        ours.extend(contents(&search_index(&incremental.site, &mut self.index)));
        let theirs = contents(&full.output);
        let differ: std::collections::BTreeSet<&String> = ours
            .keys()
            .chain(theirs.keys())
            .filter(|path| ours.get(*path) != theirs.get(*path))
            .collect();
        assert!(
            differ.is_empty(),
            "after {what}, the rebuild differs from a fresh build in: {differ:?}"
        );
        for (path, html) in preview.iter().flatten() {
            assert!(
                theirs.get(path) == Some(html),
                "after {what}, the preview of `{path}` differs from a fresh build's"
            );
        }
        self.last = Some(incremental);
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
    // The preview showed the six before the rebuild, as the rebuild made them.
    assert_eq!(s.previewed, Some(6));
    // The preview's search index takes the same six pages' entries again, and keeps the rest.
    assert_eq!(s.index.indexed(), 6);

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
    assert_eq!(s.previewed, Some(1));
    assert_eq!(s.index.indexed(), 1);
    // Its original changed: the translation is stale, and says so; the original's fallbacks in
    // the other languages show the new text.
    let original = "content/manual/01-introduction.md";
    s.edit(
        original,
        "## Key points",
        "A new sentence.\n\n## Key points",
    );
    s.check_against_full_build(&[original], "an original edit");
    // The original and its two fallbacks (Chinese, Russian); its translations (Arabic, French,
    // Spanish) going stale are for the rebuild to show.
    assert_eq!(s.previewed, Some(3));

    // Nothing changed (an editor saving twice): nothing is rendered.
    assert_eq!(
        s.check_against_full_build(&[chapter], "a save without change"),
        0
    );
    assert_eq!(s.index.indexed(), 0);

    // An `updated` date: the page's `lastmod` in the sitemap, which is kept between rebuilds.
    s.edit(chapter, "weight: 3\n", "weight: 3\nupdated: 2026-11-30\n");
    s.check_against_full_build(&[chapter], "an updated date");
    // The front matter: what other pages show of this one may have changed.
    assert_eq!(s.previewed, None);

    // A thresholds block's filter: the table drawn from it, whose resolved filter is kept
    // between rebuilds by the file's digest.
    let risk = "content/manual/09-risk-assessment.md";
    s.edit(
        risk,
        "contaminant: cd\nland_use: agricultural",
        "contaminant: pb\nland_use: agricultural",
    );
    s.check_against_full_build(&[risk], "a thresholds block's filter");
    assert_eq!(s.previewed, Some(6));

    // An upcoming event, then its end: the section's iCalendar feed lists it, and is kept
    // between rebuilds only while none of the section's events changes.
    let event = "content/webinars/2099-05-04-upcoming.md";
    std::fs::write(
        s.root.join(event),
        "---\ntitle: An upcoming webinar\nwebinar:\n  date: \"2099-05-04T12:00:00+02:00\"\n  end: \"2099-05-04T13:00:00+02:00\"\n---\n\nText.\n",
    )
    .unwrap();
    s.check_against_full_build(&[event], "an upcoming event");
    s.edit(event, "end: \"2099-05-04T13:00", "end: \"2099-05-04T14:00");
    s.check_against_full_build(&[event], "an event's end");
    std::fs::remove_file(s.root.join(event)).unwrap();
    s.check_against_full_build(&[event], "the event removed");

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
    // Links into the page may have named it.
    assert_eq!(s.previewed, None);
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

/// Random sequences of the edits an editor makes, on a copy of the bundled site; after each, the
/// rebuild from the kept cache must be byte for byte a clean build. This is what proves the
/// render cache's structure key (everything one page shows of another) complete: a field a
/// context takes from another page without the key holding it shows up here as a stale page.
mod edits {
    use super::{bundled_site, contents, holding_no_text};
    use pedon::time::Timestamp;
    use pedon::{
        BuildOptions, Built, Cache, Written, build_into, build_pages, index, preview_edit,
        search_index,
    };
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::AtomicUsize;

    /// Text with what must be escaped and what YAML quotes (`'` is doubled in [`yaml`]).
    const TEXT: &str = "[A-Za-z<>&\"' ]{1,10}";

    /// Which page (or name) an edit picks: its position, modulo how many there are then, since
    /// pages come and go as the edits run.
    type Pick = usize;

    #[derive(Debug, Clone)]
    enum Edit {
        Title(Pick, String),
        Description(Pick, String),
        Weight(Pick, i64),
        /// The page's first `##` heading.
        Heading(Pick, String),
        /// A paragraph added at the end of the page: the preview shows it before the rebuild.
        Paragraph(Pick, String),
        /// A contaminant's `name` in `data/contaminants.yaml`.
        DataName(Pick, String),
        /// An SOP's analytes, all but the first dropped: contaminant pages list their SOPs.
        Analytes(Pick),
        Rename(Pick),
        Delete(Pick),
        Add(Pick, String, i64),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<Pick>(), TEXT).prop_map(|(i, t)| Edit::Title(i, t)),
            (any::<Pick>(), TEXT).prop_map(|(i, t)| Edit::Description(i, t)),
            (any::<Pick>(), -3i64..30).prop_map(|(i, w)| Edit::Weight(i, w)),
            (any::<Pick>(), TEXT).prop_map(|(i, t)| Edit::Heading(i, t)),
            (any::<Pick>(), TEXT).prop_map(|(i, t)| Edit::Paragraph(i, t)),
            (any::<Pick>(), TEXT).prop_map(|(i, t)| Edit::DataName(i, t)),
            any::<Pick>().prop_map(Edit::Analytes),
            any::<Pick>().prop_map(Edit::Rename),
            any::<Pick>().prop_map(Edit::Delete),
            (any::<Pick>(), TEXT, -3i64..30).prop_map(|(i, t, w)| Edit::Add(i, t, w)),
        ]
    }

    /// A YAML scalar holding `text` as it is.
    fn yaml(text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// What `of` says of every file under `dir`, by the file's path from there, `/`-separated.
    fn files_under<T>(dir: &Path, of: impl Fn(&walkdir::DirEntry) -> T) -> BTreeMap<String, T> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (rel.to_string_lossy().replace('\\', "/"), of(&e))
            })
            .collect()
    }

    /// Every file under `dir` and its bytes.
    fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        files_under(dir, |e| std::fs::read(e.path()).unwrap())
    }

    /// The inode of every file under `dir`: a file the build cache took from the last output
    /// keeps its inode (it is hard-linked), a file made again has a new one.
    #[cfg(unix)]
    fn inodes(dir: &Path) -> BTreeMap<String, u64> {
        use std::os::unix::fs::MetadataExt;
        files_under(dir, |e| e.metadata().unwrap().ino())
    }

    /// Asserts two outputs have the same paths and bytes, naming those that differ.
    fn assert_same(
        ours: &BTreeMap<String, Vec<u8>>,
        theirs: &BTreeMap<String, Vec<u8>>,
        what: &str,
    ) {
        let differ: Vec<&String> = ours
            .keys()
            .chain(theirs.keys().filter(|p| !ours.contains_key(*p)))
            .filter(|path| ours.get(*path) != theirs.get(*path))
            .collect();
        assert!(
            differ.is_empty(),
            "{what} differs from a clean build in: {differ:?}"
        );
    }

    /// The languages kept in the copy. Every one of the bundled site's six doubles the work of a
    /// build (each page is built in each), and two are enough to show the switcher, the notices
    /// and fallbacks going stale; six made a debug run of the default cases take minutes.
    const LANGUAGES: [&str; 2] = ["en", "fr"];

    /// The bundled site with only [`LANGUAGES`]: the other `[[languages]]` and their files gone.
    fn site() -> tempfile::TempDir {
        let dir = bundled_site();
        let toml = dir.path().join("pedon.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let mut kept = String::new();
        for block in text.split("\n[[languages]]\n") {
            let code = block.lines().find_map(|l| l.strip_prefix("code = "));
            let rest = block.find("\n[").map_or("", |at| &block[at..]);
            match code {
                None => kept.push_str(block),
                Some(code) if LANGUAGES.contains(&code.trim_matches('"')) => {
                    kept.push_str("\n[[languages]]\n");
                    kept.push_str(block);
                }
                // A dropped language's block; a table after it (`[print]`) stays.
                Some(_) => kept.push_str(rest),
            }
        }
        std::fs::write(&toml, kept).unwrap();
        for entry in walkdir::WalkDir::new(dir.path()) {
            let path = entry.unwrap().into_path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let parts: Vec<&str> = name.split('.').collect();
            let in_site = path.starts_with(dir.path().join("content"))
                || path.starts_with(dir.path().join("data"));
            if in_site && parts.len() >= 3 && !LANGUAGES.contains(&parts[parts.len() - 2]) {
                std::fs::remove_file(&path).unwrap();
            }
        }
        dir
    }

    /// What an edit changed, to put back when it broke the build.
    struct Undo(Vec<(String, Option<Vec<u8>>)>);

    struct Preview {
        root: PathBuf,
        cache: Cache,
        index: index::Cache,
        added: usize,
        /// The last good rebuild, which an edit of a page's text is previewed against.
        last: Option<Built>,
    }

    impl Preview {
        fn options(&self) -> BuildOptions {
            BuildOptions {
                root: self.root.clone(),
                now: Some(Timestamp(1_764_720_000)),
                ..BuildOptions::default()
            }
        }

        /// The Markdown files of the site, sorted: edits pick among them.
        fn pages(&self) -> Vec<String> {
            let content = self.root.join("content");
            let mut pages: Vec<String> = walkdir::WalkDir::new(&content)
                .into_iter()
                .map(|e| e.unwrap().into_path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .map(|p| {
                    let rel = p.strip_prefix(&self.root).unwrap();
                    rel.to_string_lossy().replace('\\', "/")
                })
                .collect();
            pages.sort();
            pages
        }

        fn read(&self, rel: &str) -> Option<Vec<u8>> {
            std::fs::read(self.root.join(rel)).ok()
        }

        /// Rebuilds after `changed` with the kept cache, and a clean build beside it; they must
        /// agree on errors and, without errors, on every output path and byte, and so must the
        /// pages the preview showed before the rebuild, if it did. Returns whether the site has
        /// errors.
        fn rebuild(&mut self, changed: &[String], what: &str) -> bool {
            let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
            let preview = match (self.last.take(), changed.as_slice()) {
                (Some(last), [one]) => preview_edit(&last.site, &self.cache, one),
                _ => None,
            };
            self.cache.load.invalidate(&self.root, &changed);
            let options = self.options();
            let incremental = build_pages(&options, &mut self.cache, &AtomicUsize::new(0));
            let full = build_pages(&options, &mut holding_no_text(), &AtomicUsize::new(0));
            assert_eq!(
                incremental.has_errors(),
                full.has_errors(),
                "after {what}: the rebuild and a clean build disagree on errors"
            );
            if full.has_errors() {
                assert!(
                    preview.is_none(),
                    "after {what}: a preview of a broken site"
                );
                return true;
            }
            let (ours, theirs) = (contents(&incremental.output), contents(&full.output));
            assert_same(&ours, &theirs, &format!("after {what}, the rebuild"));
            for (path, html) in preview.iter().flatten() {
                assert!(
                    theirs.get(path) == Some(html),
                    "after {what}, the preview of `{path}` differs from a clean build's"
                );
            }
            // The preview's search index, kept since the first build, and `pedon build` with
            // the build cache the last one left, against the clean build with its index.
            let mut full = full;
            full.index();
            let theirs = contents(&full.output);
            let mut served = ours;
            served.extend(contents(&search_index(&incremental.site, &mut self.index)));
            assert_same(
                &served,
                &theirs,
                &format!("after {what}, the preview's index"),
            );
            let written = self.build_into();
            assert!(written.written, "after {what}: {:?}", written.notes);
            assert_same(
                &folder(&self.output()),
                &theirs,
                &format!("after {what}, pedon build"),
            );
            self.last = Some(incremental);
            false
        }

        /// Where `pedon build` writes: inside the root, as `public/` is.
        fn output(&self) -> PathBuf {
            self.root.join("public")
        }

        /// `pedon build`, with the build cache.
        fn build_into(&self) -> Written {
            build_into(
                &self.options(),
                &self.output(),
                true,
                false,
                &AtomicUsize::new(0),
            )
            .expect("the build writes its output")
        }

        /// Replaces the first line of `rel` that `is_line` picks, or inserts `line` after the
        /// opening `---` when none does.
        fn set_line(&self, rel: &str, is_line: impl Fn(&str) -> bool, line: &str) -> Undo {
            let before = self.read(rel);
            let text = String::from_utf8(before.clone().unwrap()).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            match lines.iter().position(|l| is_line(l)) {
                Some(at) => lines[at] = line.to_string(),
                None => lines.insert(1, line.to_string()),
            }
            std::fs::write(self.root.join(rel), lines.join("\n") + "\n").unwrap();
            Undo(vec![(rel.to_string(), before)])
        }

        fn apply(&mut self, edit: &Edit) -> Undo {
            let pages = self.pages();
            let page = |i: &Pick| pages[i % pages.len()].clone();
            let front = |key: &'static str| move |l: &str| l.starts_with(key);
            match edit {
                Edit::Title(i, t) => {
                    self.set_line(&page(i), front("title:"), &format!("title: {}", yaml(t)))
                }
                Edit::Description(i, t) => self.set_line(
                    &page(i),
                    front("description:"),
                    &format!("description: {}", yaml(t)),
                ),
                Edit::Weight(i, w) => {
                    self.set_line(&page(i), front("weight:"), &format!("weight: {w}"))
                }
                Edit::Heading(i, t) => {
                    let rel = page(i);
                    let text = String::from_utf8(self.read(&rel).unwrap()).unwrap();
                    if text.lines().any(|l| l.starts_with("## ")) {
                        self.set_line(&rel, front("## "), &format!("## {t}"))
                    } else {
                        let before = Some(text.clone().into_bytes());
                        let text = format!("{text}\n## {t}\n\nText.\n");
                        std::fs::write(self.root.join(&rel), text).unwrap();
                        Undo(vec![(rel, before)])
                    }
                }
                Edit::Paragraph(i, t) => {
                    let rel = page(i);
                    let before = self.read(&rel);
                    let text = String::from_utf8(before.clone().unwrap()).unwrap();
                    std::fs::write(self.root.join(&rel), format!("{text}\n{t}\n")).unwrap();
                    Undo(vec![(rel, before)])
                }
                Edit::DataName(i, t) => {
                    let rel = "data/contaminants.yaml";
                    let text = String::from_utf8(self.read(rel).unwrap()).unwrap();
                    let names: Vec<usize> = (text.lines().enumerate())
                        .filter(|(_, l)| l.starts_with("  name:"))
                        .map(|(n, _)| n)
                        .collect();
                    let at = names[i % names.len()];
                    let mut lines: Vec<&str> = text.lines().collect();
                    let line = format!("  name: {}", yaml(t));
                    lines[at] = &line;
                    std::fs::write(self.root.join(rel), lines.join("\n") + "\n").unwrap();
                    Undo(vec![(rel.to_string(), Some(text.into_bytes()))])
                }
                Edit::Analytes(i) => {
                    let sops: Vec<&String> = pages
                        .iter()
                        .filter(|p| p.starts_with("content/sops/") && !p.contains("_index"))
                        .collect();
                    let rel = sops[i % sops.len()].clone();
                    let text = String::from_utf8(self.read(&rel).unwrap()).unwrap();
                    let Some(line) = text.lines().find(|l| l.trim().starts_with("analytes: ["))
                    else {
                        return Undo(Vec::new());
                    };
                    let first = line.split(['[', ',', ']']).nth(1).unwrap_or("").trim();
                    let fewer = format!("  analytes: [{first}]");
                    let new = text.replacen(line, &fewer, 1);
                    std::fs::write(self.root.join(&rel), new).unwrap();
                    Undo(vec![(rel, Some(text.into_bytes()))])
                }
                Edit::Rename(i) => {
                    let from = page(i);
                    let to = from.replacen(".md", "-moved.md", 1);
                    let content = self.read(&from);
                    std::fs::rename(self.root.join(&from), self.root.join(&to)).unwrap();
                    Undo(vec![(from, content), (to, None)])
                }
                Edit::Delete(i) => {
                    let rel = page(i);
                    let content = self.read(&rel);
                    std::fs::remove_file(self.root.join(&rel)).unwrap();
                    Undo(vec![(rel, content)])
                }
                Edit::Add(i, t, w) => {
                    let dir = Path::new(&page(i)).parent().unwrap().to_path_buf();
                    self.added += 1;
                    let rel = format!("{}/added-{}.md", dir.display(), self.added);
                    let text = format!(
                        "---\ntitle: {}\nweight: {w}\ndescription: {}\n---\n\n## {t}\n\nA new page.\n",
                        yaml(t),
                        yaml(t)
                    );
                    std::fs::write(self.root.join(&rel), text).unwrap();
                    Undo(vec![(rel, None)])
                }
            }
        }

        fn undo(&self, undo: &Undo) {
            for (rel, before) in &undo.0 {
                let path = self.root.join(rel);
                match before {
                    Some(bytes) => std::fs::write(path, bytes).unwrap(),
                    None => std::fs::remove_file(path).unwrap(),
                }
            }
        }
    }

    fn config() -> ProptestConfig {
        let scale: u32 = std::env::var("PEDON_FUZZ_SCALE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        ProptestConfig {
            cases: 4u32.saturating_mul(scale),
            // Each case is a dozen builds: a few shrinking steps, not proptest's thousands.
            max_shrink_iters: 16,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    impl Preview {
        fn start(site: &tempfile::TempDir) -> Preview {
            let mut preview = Preview {
                root: site.path().canonicalize().unwrap(),
                cache: Cache::default(),
                index: index::Cache::default(),
                added: 0,
                last: None,
            };
            assert!(
                !preview.rebuild(&[], "the first build"),
                "the site has errors"
            );
            preview
        }

        /// Applies `edit` and checks the rebuild; an edit that breaks the build is undone, and
        /// the rebuild after the undo is checked too.
        fn check(&mut self, n: usize, edit: &Edit) {
            let undo = self.apply(edit);
            let changed: Vec<String> = undo.0.iter().map(|(rel, _)| rel.clone()).collect();
            if self.rebuild(&changed, &format!("edit {n}, {edit:?}")) {
                self.undo(&undo);
                let what = format!("edit {n} undone, {edit:?}");
                assert!(!self.rebuild(&changed, &what), "errors after {what}");
            }
        }
    }

    /// An SOP's analytes are not shown on its own list entries, only on the contaminant pages
    /// that list the SOPs measuring them: the cache once reused those pages after the edit.
    #[test]
    fn a_contaminant_page_lists_the_sops_that_measure_it() {
        let site = site();
        let mut preview = Preview::start(&site);
        // The first SOP, aqua regia, measures fourteen contaminants: all but one lose it.
        preview.check(0, &Edit::Analytes(0));
    }

    /// The files every build makes: small, and made from the whole site (feeds, the sitemap,
    /// the print pages, the theme's assets), they are not worth a key.
    fn made_every_time(path: &str) -> bool {
        let site_wide = [
            ".css",
            ".js",
            ".svg",
            ".txt",
            ".xml",
            ".ics",
            "404.html",
            "print.html",
        ];
        !path.contains("search/") && site_wide.iter().any(|end| path.ends_with(end))
    }

    /// The files of the output whose inode changed since `before`: made again, not taken.
    #[cfg(unix)]
    fn made_again(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
        (after.iter())
            .filter(|(path, inode)| before.get(*path) != Some(inode))
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// A second `pedon build` with nothing changed takes every page, search index and data
    /// file from the first (each keeps its inode: it is hard-linked, not written again), and
    /// says nothing about the cache.
    #[cfg(unix)]
    #[test]
    fn a_second_build_takes_every_file_from_the_first() {
        let site = site();
        let preview = Preview::start(&site);
        let before = inodes(&preview.output());
        let written = preview.build_into();
        assert_eq!(written.notes, Vec::<String>::new());
        let after = inodes(&preview.output());
        let made = made_again(&before, &after);
        let unexpected: Vec<&String> = made.iter().filter(|p| !made_every_time(p)).collect();
        assert!(
            unexpected.is_empty(),
            "made again with nothing changed: {unexpected:?}"
        );
        assert_eq!(written.reused, after.len() - made.len());
        assert!(written.reused > 500, "{} files taken", written.reused);
    }

    /// A paragraph edited in one English chapter: the build makes again that chapter, the
    /// other languages' fallbacks that show it, the print pages and the search indexes that
    /// hold its text, and takes the rest: other chapters, translations, the database's files.
    /// The output is still a clean build's ([`Preview::rebuild`]).
    #[cfg(unix)]
    #[test]
    fn a_paragraph_edit_makes_again_only_what_shows_that_paragraph() {
        let site = site();
        let mut preview = Preview::start(&site);
        let before = inodes(&preview.output());
        let rel = "content/manual/07-mapping.md";
        let path = preview.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let from = "This chapter is about the chain from sample to map.";
        assert!(text.contains(from));
        let edited = text.replacen(from, "This chapter follows a sample to its map.", 1);
        std::fs::write(&path, edited).unwrap();
        assert!(!preview.rebuild(&[rel.to_string()], "a paragraph edit"));
        let after = inodes(&preview.output());
        let made = made_again(&before, &after);
        for page in ["manual/07-mapping.html", "fr/manual/07-mapping.html"] {
            assert!(
                made.iter().any(|p| p == page),
                "{page} was not made again: {made:?}"
            );
        }
        let unexpected: Vec<&String> = (made.iter())
            .filter(|p| {
                !(p.ends_with("manual/07-mapping.html")
                    || p.contains("search/")
                    || made_every_time(p))
            })
            .collect();
        assert!(
            unexpected.is_empty(),
            "made again though the edit does not reach them: {unexpected:?}"
        );
        // The search indexes are brought up to date, not made again: the chapter's entry in
        // each language is written anew, the other pages' entries are taken.
        let entries: Vec<&String> = made.iter().filter(|p| p.contains("search/p/")).collect();
        assert_eq!(entries.len(), 2, "search entries made again: {entries:?}");
        // Of the term shards, those holding the words the edit took away or added.
        let is_shard = |p: &&String| p.contains("search/") && p.contains("/i/");
        let shards = after.keys().filter(is_shard).count();
        let remade: Vec<&String> = made.iter().filter(is_shard).collect();
        assert!(
            !remade.is_empty() && remade.len() * 2 <= shards,
            "{} of {shards} term shards made again: {remade:?}",
            remade.len()
        );
        for kept in [
            "manual/02-sampling-design.html",
            "fr/manual/01-introduction.html",
            "thresholds/records.js",
            "thresholds/dataset.html",
        ] {
            assert!(after.contains_key(kept), "no {kept}");
            assert!(!made.iter().any(|p| p == kept), "{kept} was made again");
        }
    }

    /// Words enough for term shards of their own, early in the alphabet, added to one
    /// chapter: the shards after them keep their files, since a shard is named for its first
    /// term, not its place. Numbered by place, every later shard was written again.
    #[cfg(unix)]
    #[test]
    fn new_shards_leave_the_later_shards_files_as_they_were() {
        let site = site();
        let mut preview = Preview::start(&site);
        let before = inodes(&preview.output());
        let rel = "content/manual/07-mapping.md";
        let path = preview.root.join(rel);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push('\n');
        for n in 0..1500u32 {
            let letters: String = [n / 676, n / 26 % 26, n % 26]
                .iter()
                .map(|&d| char::from(b'a' + d as u8))
                .collect();
            text.push_str(&format!("aaq{letters}x "));
        }
        std::fs::write(&path, text).unwrap();
        assert!(!preview.rebuild(&[rel.to_string()], "a shard's worth of new words"));
        let after = inodes(&preview.output());
        let shards = |files: &BTreeMap<String, u64>| {
            (files.keys())
                .filter(|p| p.starts_with("search/i/"))
                .count()
        };
        let added = shards(&after) - shards(&before);
        assert!(added > 0, "the new words made no shard");
        let made = made_again(&before, &after);
        let remade: Vec<&String> = (made.iter())
            .filter(|p| p.starts_with("search/i/"))
            .collect();
        assert!(
            remade.len() <= added + 2,
            "{} of {} shards made again for {added} new: {remade:?}",
            remade.len(),
            shards(&after)
        );
    }

    /// A cache file damaged on disk is not trusted: the build says so, starts from nothing and
    /// writes a clean build; the next build trusts the cache it saved.
    #[test]
    fn a_damaged_cache_is_ignored_with_a_note() {
        let site = site();
        let mut preview = Preview::start(&site);
        let file = preview.root.join(".pedon/build-cache");
        let mut bytes = std::fs::read(&file).expect("the first build saved its cache");
        let at = bytes.len() / 2;
        bytes[at] ^= 0x20;
        std::fs::write(&file, &bytes).unwrap();
        let written = preview.build_into();
        assert_eq!(written.reused, 0);
        assert_eq!(written.notes.len(), 1, "{:?}", written.notes);
        let note = &written.notes[0];
        assert!(
            note.contains("build-cache` is damaged") && note.contains("starts from nothing"),
            "{note}"
        );
        assert!(!preview.rebuild(&[], "a build after a damaged cache"));

        std::fs::write(&file, "not a cache\n").unwrap();
        let written = preview.build_into();
        assert_eq!(written.reused, 0);
        assert!(
            written.notes[0].contains("is not a build cache of this version of pedon"),
            "{:?}",
            written.notes
        );
        let written = preview.build_into();
        assert!(
            written.notes.is_empty() && written.reused > 0,
            "{:?}",
            written.notes
        );
    }

    /// A file of the output edited by hand since the last build (appended to, so its inode
    /// stays) is made again rather than taken: the build writes what the sources say.
    #[test]
    fn an_output_file_edited_since_is_made_again() {
        let site = site();
        let mut preview = Preview::start(&site);
        let page = preview.output().join("manual/07-mapping.html");
        let mut text = std::fs::read_to_string(&page).unwrap();
        text.push_str("<!-- edited by hand -->");
        std::fs::write(&page, &text).unwrap();
        // Compared with a clean build, which has no such comment.
        assert!(!preview.rebuild(&[], "an output file edited by hand"));
        let written = std::fs::read_to_string(&page).unwrap();
        assert!(!written.contains("edited by hand"));
    }

    /// Likewise a file of the search index, whose language's files are taken all or none.
    #[test]
    fn a_search_file_edited_since_is_made_again() {
        let site = site();
        let mut preview = Preview::start(&site);
        let file = preview.output().join("search/p/3.js");
        let mut text = std::fs::read(&file).unwrap();
        text.extend_from_slice(b"// edited by hand\n");
        std::fs::write(&file, &text).unwrap();
        assert!(!preview.rebuild(&[], "a search file edited by hand"));
        let written = std::fs::read(preview.output().join("search/p/3.js")).unwrap();
        assert!(!String::from_utf8_lossy(&written).contains("edited by hand"));
    }

    proptest! {
        #![proptest_config(config())]

        /// An edit that breaks the build (a page others link to renamed or deleted, a heading
        /// they link to changed) is undone ([`Preview::check`]).
        #[test]
        fn every_rebuild_after_random_edits_is_a_clean_build(edits in prop::collection::vec(edit(), 3..=5)) {
            let site = site();
            let mut preview = Preview::start(&site);
            for (n, edit) in edits.iter().enumerate() {
                preview.check(n, edit);
            }
        }
    }
}
