//! Stage 1: read the site from disk. Walks `content/`, `static/`, `data/` and the theme, puts every
//! text file into the [`SourceMap`], splits and types front matter, and reports unreadable files,
//! non-UTF-8 text and bad symlinks as diagnostics. It resolves nothing: that is the model's job.

pub mod document;
mod front_matter;
mod history;
mod scans;
pub use history::Moves;
pub mod slug;
mod theme;
pub(crate) mod yaml;

pub(crate) use front_matter::parse as parse_front_matter;
pub(crate) use front_matter::split as split_front_matter;
pub use front_matter::{
    Date, DateTime, EventDate, FrontMatter, Revision, SopMeta, SopStatus, WebinarMeta,
};
pub use theme::{Theme, ThemeFile};

pub use scans::Scans;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceFile, SourceMap, Span};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What loading keeps between the builds of `pedon serve`: the files found by the last walk and
/// the Markdown files read and parsed, so that saving one page re-reads one file and the others
/// are taken as they were, in walk order, with no lookup. A full build starts from an empty cache.
#[derive(Debug, Default)]
pub struct Cache {
    walk: Option<Walk>,
    /// Last-commit dates from Git, read once a session: commits are not made by saving a file.
    history: Option<Arc<HashMap<String, Date>>>,
    /// For a build that is not followed by another: how many bytes of Markdown text to hold;
    /// past them, each file's text is dropped once it is parsed and scanned, and later stages read
    /// it again from disk ([`SourceFile::release`]), so that memory does not grow with the site.
    /// Reading a page again costs about 4 % of building a 10,000-page site whose texts fit, so
    /// the texts of a site that fits are held. `None` (`pedon serve`) holds them all.
    pub hold_text: Option<usize>,
    /// The last `pedon build`'s scans ([`Scans`]), for a build with the build cache: files
    /// whose text is unchanged are not scanned again.
    pub scans: Option<Scans>,
}

/// The last walk of `content/` and `static/`.
#[derive(Debug)]
struct Walk {
    /// Markdown files in walk order, each with what was parsed of it while it is unchanged.
    markdown: Vec<(Walked, Option<CachedPage>)>,
    assets: Vec<Asset>,
    /// Every file found, by path from the root: its place in `markdown`, `None` for an asset.
    known: HashMap<PathBuf, Option<usize>>,
    /// Walk again before the next build: a file was added, removed or renamed, or the walk found
    /// problems (so that fixing them is seen). The pages parsed are kept either way.
    stale: bool,
}

/// A Markdown file read and parsed, with the Git date already filled in.
#[derive(Debug)]
struct CachedPage {
    source: Arc<SourceFile>,
    front: Arc<FrontMatter>,
    body: std::ops::Range<usize>,
    doc: Arc<document::Document>,
}

impl Cache {
    /// Markdown text a single build holds at most ([`Cache::hold_text`]).
    pub const HELD_TEXT: usize = 64 << 20;

    /// For a single build: the texts past [`Cache::HELD_TEXT`] are released.
    pub fn one_off() -> Cache {
        Cache {
            hold_text: Some(Self::HELD_TEXT),
            ..Cache::default()
        }
    }

    /// Forgets what is known of `paths` (relative to the site root), as the watcher reports them
    /// changed. A path that is not a file the last walk found (a new file, a folder, a deleted or
    /// renamed file) means the folders are walked again.
    pub fn invalidate(&mut self, root: &Path, paths: &[PathBuf]) {
        let Some(walk) = &mut self.walk else {
            return;
        };
        for path in paths {
            match walk.known.get(path) {
                Some(&place) if root.join(path).is_file() => {
                    if let Some(i) = place {
                        walk.markdown[i].1 = None;
                    }
                }
                // Not a file of the walk: it matters only if it is in a folder the walk covers,
                // but a new folder or a rename can be anywhere, so walk again.
                _ => walk.stale = true,
            }
        }
    }
}

/// A Markdown file with its typed front matter.
#[derive(Debug)]
pub struct PageSource {
    pub file: FileId,
    /// Path relative to `content/`, with `/` separators (`manual/03-sampling.md`).
    pub rel: String,
    pub front: Arc<FrontMatter>,
    /// Byte range of the Markdown body in the file.
    pub body: std::ops::Range<usize>,
    /// What the body holds: headings, links, data blocks.
    pub doc: Arc<document::Document>,
}

/// A file copied to the output as it is (an image beside a chapter, a file under `static/`).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path relative to the site root, `/` separated.
    pub rel: String,
    pub path: PathBuf,
}

/// A YAML file under `data/`, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub file: FileId,
    /// Path relative to `data/` (`thresholds/nld.yaml`).
    pub rel: String,
}

/// Everything read from disk for one build.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub sources: SourceMap,
    pub pages: Vec<PageSource>,
    pub assets: Vec<Asset>,
    pub theme: Theme,
    /// Data files (`data/**/*.yaml`), parsed by the model.
    pub data_files: Vec<DataFile>,
    /// Content paths of Markdown files that could not be loaded (already reported), so that links
    /// to them are not reported a second time.
    pub failed: Vec<String>,
    /// SOP codes declared by pages that could not be loaded, as far as their text could be read:
    /// links to them are not reported as unknown SOPs on top of the page's own error.
    pub failed_sops: Vec<String>,
    /// Where Git says missing Markdown files went, asked only if a link needs it.
    pub moves: Arc<Moves>,
}

/// Reads the site at `root`. Problems an editor can fix are returned as diagnostics beside what
/// could be loaded; the caller decides whether to go on.
pub fn load(root: &Path, cache: &mut Cache) -> (Loaded, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut sources = SourceMap::default();

    let config = load_config(root, &mut sources, &mut diagnostics);

    if cache.walk.as_ref().is_none_or(|w| w.stale) {
        let previous = cache.walk.take();
        cache.walk = Some(walk_site(root, previous, &mut sources, &mut diagnostics));
    }
    let found = cache.walk.as_mut().expect("walked");
    let history = cache
        .history
        .get_or_insert_with(|| Arc::new(history::last_commits(root)));

    // Reading, parsing and scanning is the bulk of loading a large site: each file not cached is
    // read, parsed and scanned in one parallel pass (so that, when texts are released, only the
    // few being worked on are held at once), then added to the source map in walk order so that
    // file ids are deterministic. Every Markdown file of the walk adds exactly one file to the
    // map (cached, read, or reported unreadable): that is how each knows its id beforehand.
    let cwd = std::env::current_dir().ok();
    let first = sources.len();
    let held = std::sync::atomic::AtomicUsize::new(0);
    let release = |len: usize| {
        cache.hold_text.is_some_and(|most| {
            let before = held.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
            before + len > most
        })
    };
    let unread: Vec<usize> = (found.markdown.iter().enumerate())
        .filter_map(|(i, (_, cached))| cached.is_none().then_some(i))
        .collect();
    type Parsed = Result<CachedPage, Box<Diagnostic>>;
    let read: Vec<Result<(Arc<SourceFile>, Parsed), ReadError>> = unread
        .par_iter()
        .map(|&i| {
            let walked = &found.markdown[i].0;
            let text = read_text(&walked.path)?;
            let display = display_path_from(cwd.as_deref(), root, &walked.path);
            let mut file = SourceFile::new(display, walked.path.clone(), text);
            let parsed =
                front_matter::parse(&file, sources.id_at(first + i)).map(|(mut front, body)| {
                    if front.updated.is_none() {
                        front.updated = history.get(&walked.rel).cloned();
                    }
                    let scan = || document::scan(file.text(), body.clone());
                    let doc = match &cache.scans {
                        Some(scans) => scans.get(file.digest, &body, scan),
                        None => Arc::new(scan()),
                    };
                    (Arc::new(front), body, doc)
                });
            // A file that failed to parse keeps its text: its diagnostic quotes it.
            if parsed.is_ok() && release(file.text().len()) {
                file.release();
            }
            let file = Arc::new(file);
            let parsed = parsed.map(|(front, body, doc)| CachedPage {
                source: Arc::clone(&file),
                front,
                body,
                doc,
            });
            Ok((file, parsed))
        })
        .collect();
    let mut read = unread.iter().copied().zip(read).peekable();
    let mut ids = Vec::with_capacity(found.markdown.len());
    let mut failed = Vec::new();
    let mut failed_sops = Vec::new();
    for (i, (walked, cached)) in found.markdown.iter_mut().enumerate() {
        let id = match cached {
            Some(cached) => Some(sources.add_shared(Arc::clone(&cached.source))),
            None => match read.next_if(|(j, _)| *j == i).expect("read in order").1 {
                Ok((file, Ok(page))) => {
                    *cached = Some(page);
                    Some(sources.add_shared(file))
                }
                Ok((file, Err(d))) => {
                    let id = sources.add_shared(file);
                    failed_sops.extend(front_matter::declared_sop_code(sources.get(id).text()));
                    diagnostics.push(*d);
                    None
                }
                Err(error) => {
                    report_unreadable(&mut sources, root, walked, error, &mut diagnostics);
                    None
                }
            },
        };
        debug_assert_eq!(sources.len(), first + i + 1, "one file per Markdown file");
        match id {
            Some(id) => ids.push((i, id)),
            None => failed.push(walked.rel.clone()),
        }
    }
    // Ten thousand copies of front matter: in parallel too.
    let markdown = &found.markdown;
    let pages: Vec<PageSource> = ids
        .par_iter()
        .map(|&(i, file)| {
            let (walked, cached) = &markdown[i];
            let cached = cached.as_ref().expect("parsed");
            PageSource {
                file,
                rel: walked.rel.clone(),
                front: Arc::clone(&cached.front),
                body: cached.body.clone(),
                doc: Arc::clone(&cached.doc),
            }
        })
        .collect();
    let assets = found.assets.clone();

    let mut data_files = Vec::new();
    for walked in walk(root, &root.join("data"), &mut sources, &mut diagnostics) {
        // YAML, and the published JSON of earlier releases (`data/releases/`), for the change log.
        let release = walked.rel.starts_with("releases/") && walked.rel.ends_with(".json");
        if walked.rel.ends_with(".yaml") || walked.rel.ends_with(".yml") || release {
            let text = read_text(&walked.path);
            if let Some((file, rel)) = add_text(&mut sources, root, walked, text, &mut diagnostics)
            {
                data_files.push(DataFile { file, rel });
            }
        }
    }

    let theme = theme::load(root, &config.theme, &mut sources, &mut diagnostics);

    (
        Loaded {
            config,
            sources,
            pages,
            assets,
            theme,
            data_files,
            failed,
            failed_sops,
            moves: Arc::new(Moves::new(root)),
        },
        diagnostics,
    )
}

/// Walks `content/` and `static/`, keeping what `previous` had parsed of the files still there.
fn walk_site(
    root: &Path,
    previous: Option<Walk>,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Walk {
    let mut problems = Diagnostics::default();
    let content = walk(root, &root.join("content"), sources, &mut problems);
    let statics = walk(root, &root.join("static"), sources, &mut problems);
    let mut parsed: HashMap<PathBuf, CachedPage> = previous
        .into_iter()
        .flat_map(|w| w.markdown)
        .filter_map(|(walked, cached)| Some((walked.from_root, cached?)))
        .collect();
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut known = HashMap::new();
    for mut entry in content {
        match ContentFile::of(&entry.rel) {
            ContentFile::Page(rel) => {
                entry.rel = rel;
                known.insert(entry.from_root.clone(), Some(markdown.len()));
                let cached = parsed.remove(&entry.from_root);
                markdown.push((entry, cached));
            }
            kind => {
                if kind == ContentFile::Unknown {
                    problems.push(unknown_content_file(root, &entry, sources));
                }
                known.insert(entry.from_root, None);
                assets.push(Asset {
                    rel: entry.rel,
                    path: entry.path,
                });
            }
        }
    }
    for entry in statics {
        known.insert(entry.from_root, None);
        assets.push(Asset {
            rel: entry.rel,
            path: entry.path,
        });
    }
    let stale = !problems.is_empty();
    diagnostics.extend(problems);
    Walk {
        markdown,
        assets,
        known,
        stale,
    }
}

fn load_config(root: &Path, sources: &mut SourceMap, diagnostics: &mut Diagnostics) -> Config {
    let path = root.join("pedon.toml");
    if !path.exists() {
        return Config::default();
    }
    let text = match read_text(&path) {
        Ok(text) => text,
        Err(e) => {
            let id = sources.add(&path, display_path(root, &path), String::new());
            diagnostics.push(e.into_diagnostic(id, &path));
            // Nothing could be read, which is not the same as a site with the defaults.
            return Config::salvage("");
        }
    };
    let id = sources.add(&path, display_path(root, &path), text);
    match Config::parse(sources.get(id).text()) {
        Ok(mut config) => {
            config.file = Some(id);
            config
        }
        Err(e) => {
            let span = Span::new(id, e.range.unwrap_or(0..0));
            diagnostics.push(
                Diagnostic::error(Code::Config, e.message)
                    .at(span, "here")
                    .help(e.help),
            );
            // Checked against what the editor meant, not against the defaults: falling back to
            // one language would report every translation and file of names on top of this.
            Config {
                file: Some(id),
                ..Config::salvage(sources.get(id).text())
            }
        }
    }
}

/// What a file under `content/` is, by its extension, compared without regard to case: an
/// editor's `Chapter.MD` is a page like `chapter.md`, not a raw file published beside it.
#[derive(Debug, PartialEq, Eq)]
enum ContentFile {
    /// A Markdown page, with its content path (the extension written `.md`).
    Page(String),
    /// A file readers open or download as it is: a figure, a document, a data file.
    Asset,
    /// Anything else: published as it is, with a warning naming it.
    Unknown,
}

/// Extensions of files that are published as they are under `content/`, in lower case.
const ASSET_EXTENSIONS: &[&str] = &[
    // Figures and icons.
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico",
    // Documents and data a page links to for download.
    "pdf", "csv", "tsv", "json", "geojson", "kml", "xml", "txt", "bib", "ris", "xlsx", "xls", "ods",
    "docx", "doc", "odt", "pptx", "odp", "zip", // Recordings, their captions, fonts.
    "mp3", "mp4", "webm", "ogg", "vtt", "woff2", "woff",
];

impl ContentFile {
    fn of(rel: &str) -> ContentFile {
        let Some((stem, extension)) = rel
            .rsplit_once('.')
            .filter(|(stem, _)| !stem.is_empty() && !stem.ends_with('/'))
        else {
            return ContentFile::Unknown;
        };
        let lower = extension.to_ascii_lowercase();
        if lower == "md" {
            ContentFile::Page(format!("{stem}.md"))
        } else if ASSET_EXTENSIONS.contains(&lower.as_str()) {
            ContentFile::Asset
        } else {
            ContentFile::Unknown
        }
    }
}

/// The warning for a file under `content/` that is neither a page nor a kind of file readers
/// open: most often a page with the wrong extension (`chapter.markdown`, `chapter.txt.bak`) or a
/// working file left in the folder.
fn unknown_content_file(root: &Path, entry: &Walked, sources: &mut SourceMap) -> Diagnostic {
    let shown = display_path(root, &entry.path);
    let id = sources.add(&entry.path, shown.clone(), String::new());
    let page_hint = match entry.rel.rsplit_once('.') {
        Some((stem, "markdown" | "mdown" | "mkd" | "txt")) => {
            format!(
                "if it is a page, rename it to `{}.md`; ",
                stem.rsplit('/').next().unwrap_or(stem)
            )
        }
        _ => String::new(),
    };
    Diagnostic::warning(
        Code::UnknownContentFile,
        format!("`{shown}` is neither a page nor a kind of file Pedon knows; it is published as it is"),
    )
    .at(Span::file_start(id), "published as a raw file")
    .help(format!(
        "{page_hint}pages end in `.md`; if readers should not get this file, move it out of content/"
    ))
}

/// A regular file found under one of the site's folders.
#[derive(Debug, Clone)]
struct Walked {
    path: PathBuf,
    /// Path relative to the walked folder, `/` separated.
    rel: String,
    /// Path relative to the site root: how the cache and the watcher name it.
    from_root: PathBuf,
}

/// Walks `dir` (which may not exist), following symlinks but refusing loops and links that leave
/// the site root. Hidden files and editor backups are skipped.
fn walk(
    root: &Path,
    dir: &Path,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Vec<Walked> {
    if !dir.exists() {
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut found = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                // A link that cannot be followed fails before `filter_entry` sees its name: an
                // editor's lock file (`.#chapter.md` points nowhere) is litter, not a mistake.
                if path
                    .file_name()
                    .is_some_and(|name| is_ignored(&name.to_string_lossy()))
                {
                    continue;
                }
                let id = sources.add(&path, display_path(root, &path), String::new());
                let message = if e.loop_ancestor().is_some() {
                    format!("symlink loop at `{}`", display_path(root, &path))
                } else {
                    format!(
                        "cannot read `{}`: {}",
                        display_path(root, &path),
                        io_reason(&e)
                    )
                };
                let code = if e.loop_ancestor().is_some() {
                    Code::BadSymlink
                } else {
                    Code::Unreadable
                };
                diagnostics.push(
                    Diagnostic::error(code, message)
                        .at(Span::file_start(id), "here")
                        .help("remove the link or make it point to a file inside the site"),
                );
                continue;
            }
        };
        // A link to a folder counts as much as a link to a file: the files below a linked
        // folder are not links themselves, so the folder is checked (and skipped) here.
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().unwrap_or_default();
            if !target.starts_with(&canonical_root) {
                let id = sources.add(
                    entry.path(),
                    display_path(root, entry.path()),
                    String::new(),
                );
                diagnostics.push(
                    Diagnostic::error(
                        Code::BadSymlink,
                        format!(
                            "symlink `{}` points outside the site",
                            display_path(root, entry.path())
                        ),
                    )
                    .at(Span::file_start(id), "here")
                    .help(format!(
                        "it points to `{}`: copy the {} into the site instead",
                        target.display(),
                        if entry.file_type().is_dir() {
                            "folder"
                        } else {
                            "file"
                        }
                    )),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let from_root = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        found.push(Walked {
            path: entry.into_path(),
            rel,
            from_root,
        });
    }
    found
}

/// Hidden files and the litter of editors and file managers: never part of the site, for the
/// walk and the preview's watcher alike. Among them Emacs's lock (`.#chapter.md`, a symlink to
/// nowhere while a buffer is modified) and autosave (`#chapter.md#`), Vim's swap (`.chapter.md.swp`)
/// and write test (`4913`), backups (`chapter.md~`), LibreOffice's lock (`.~lock.x.ods#`), and the
/// folder files of macOS (`.DS_Store`) and Windows (`Thumbs.db`, `desktop.ini`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == "4913"
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// The largest Markdown, YAML, TOML or template file Pedon reads. Real chapters and per-country
/// threshold files are well under 1 MB; a 50 MB page (a pasted dump, a generated file in the
/// wrong folder) took 30 s and 1.1 GB to build and would make a 50 MB HTML page no reader can
/// open. Files under `static/` are copied, not read, and have no limit.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug)]
enum ReadError {
    Io(std::io::Error),
    NotUtf8 { text: String, valid_up_to: usize },
    TooLarge { bytes: u64 },
}

impl ReadError {
    fn into_diagnostic(self, id: FileId, path: &Path) -> Diagnostic {
        match self {
            ReadError::Io(e) => Diagnostic::error(
                Code::Unreadable,
                format!("cannot read `{}`: {}", path.display(), strip_os_error(&e)),
            )
            .at(Span::file_start(id), "here")
            .help("check the file's permissions"),
            ReadError::TooLarge { bytes } => Diagnostic::error(
                Code::TooLarge,
                format!(
                    "file is too large: {:.1} MB, and Pedon reads text files up to {} MB",
                    bytes as f64 / 1024.0 / 1024.0,
                    MAX_TEXT_BYTES / 1024 / 1024
                ),
            )
            .at(Span::file_start(id), "this file")
            .help("split it into several pages, or put it under `static/` to publish it as a download"),
            ReadError::NotUtf8 { valid_up_to, .. } => {
                Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8")
                    .at(
                        Span::new(id, valid_up_to..valid_up_to + 1),
                        "invalid byte here",
                    )
                    .help("save the file as UTF-8 (most editors have an \"encoding\" option)")
            }
        }
    }
}

/// The text of a page as [`load`] reads it, or `None` where it would report the file.
pub(crate) fn read_page(path: &Path) -> Option<String> {
    read_text(path).ok()
}

/// Reads a text source: at most [`MAX_TEXT_BYTES`], UTF-8, without the byte-order mark some
/// Windows editors write (YAML and TOML parsers would take it as part of the first key).
fn read_text(path: &Path) -> Result<String, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge { bytes: len });
    }
    // `take` holds the limit even if the file grows between the size check and the read.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    // Validated with SIMD: a large multilingual site is mostly multi-byte text, which the
    // standard library checks a byte at a time (7.7 % of a one-edit build's CPU time on the
    // site-shaped corpus, whose 282 MB are read every build to find what changed).
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was just checked to be UTF-8.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    // Not UTF-8: the standard library's check says where, for the message.
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        ReadError::NotUtf8 {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            valid_up_to,
        }
    })
}

/// Adds a read file to the source map, or reports why it could not be read.
fn add_text(
    sources: &mut SourceMap,
    root: &Path,
    walked: Walked,
    text: Result<String, ReadError>,
    diagnostics: &mut Diagnostics,
) -> Option<(FileId, String)> {
    let display = display_path(root, &walked.path);
    match text {
        Ok(text) => Some((sources.add(&walked.path, display, text), walked.rel)),
        Err(error) => {
            report_unreadable(sources, root, &walked, error, diagnostics);
            None
        }
    }
}

/// Reports a file that could not be read, adding what there is of it to the source map.
fn report_unreadable(
    sources: &mut SourceMap,
    root: &Path,
    walked: &Walked,
    mut error: ReadError,
    diagnostics: &mut Diagnostics,
) {
    // Non-UTF-8 text is kept (lossily) so the caret can point at the first bad byte.
    let shown = match &mut error {
        ReadError::NotUtf8 { text, .. } => std::mem::take(text),
        ReadError::Io(_) | ReadError::TooLarge { .. } => String::new(),
    };
    let id = sources.add(&walked.path, display_path(root, &walked.path), shown);
    diagnostics.push(error.into_diagnostic(id, &walked.path));
}

/// How a path is shown in messages: relative to the working directory when it is below it
/// (as cargo does), otherwise as given.
pub fn display_path(root: &Path, path: &Path) -> String {
    display_path_from(std::env::current_dir().ok().as_deref(), root, path)
}

/// [`display_path`] with the working directory given.
fn display_path_from(cwd: Option<&Path>, root: &Path, path: &Path) -> String {
    let shown = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .or_else(|| path.strip_prefix(root).ok().filter(|_| root.is_relative()))
        .unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn io_reason(e: &walkdir::Error) -> String {
    e.io_error().map_or_else(|| e.to_string(), strip_os_error)
}

/// "Permission denied (os error 13)" reads better without the errno.
fn strip_os_error(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s.to_lowercase(),
    }
}
