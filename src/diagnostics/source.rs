//! Every file Pedon reads lives in one [`SourceMap`], so that any stage can point at a byte range of
//! any file and the diagnostics renderer can turn it into `file:line:col` with the source line.
//!
//! Spans are byte ranges, kept from the first read: the front-matter splitter and the YAML loader
//! shift their offsets into file coordinates instead of reporting positions relative to a fragment.

use std::borrow::Cow;
use std::hash::Hasher;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Index of a file in the [`SourceMap`]. Cheap to copy, meaningless outside its map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

/// A byte range in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }

    /// An empty span at the start of a file: for errors about a file as a whole.
    pub fn file_start(file: FileId) -> Self {
        Span { file, range: 0..0 }
    }
}

/// One source file: the path shown to the user, its text and where each line starts.
///
/// A Markdown page's text can be *released* once it has been parsed and scanned (`pedon build`
/// does, so that memory does not grow with the site: the sources of 100,000 pages are 680 MB).
/// A released file is read again from disk when a later stage needs it: [`SourceFile::text`]
/// keeps what it read (a diagnostic's line and column, a data block's YAML), [`SourceFile::read`]
/// does not (rendering and indexing, once a page). What is read again must be what was read
/// first: a file whose digest changed in between is marked, and [`SourceMap::changed`] makes the
/// build fail rather than show a page made of two versions of it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to the working directory where possible).
    pub display: String,
    /// Path on disk.
    pub path: PathBuf,
    /// Empty while the text is released and not yet read again.
    text: OnceLock<String>,
    /// The text's length in bytes, kept when it is released.
    len: usize,
    /// A hash of the text: what later stages cache their work on, so that an unchanged file is
    /// never parsed, scanned or rendered twice by `pedon serve`.
    pub digest: u64,
    /// Set when the text read again from disk was not the text first read.
    changed: AtomicBool,
    /// Where each line starts: made on first use, which is a diagnostic's, so that the files of a
    /// site without problems do not carry one (80 MB at 100,000 pages).
    line_starts: OnceLock<Vec<usize>>,
}

/// The digest of a file's text: fast, as a released file's text is hashed again at each read.
fn digest_of(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.write_usize(text.len());
    hasher.finish()
}

impl SourceFile {
    pub(crate) fn new(display: String, path: PathBuf, text: String) -> Self {
        SourceFile {
            display,
            path,
            digest: digest_of(&text),
            len: text.len(),
            text: OnceLock::from(text),
            changed: AtomicBool::new(false),
            line_starts: OnceLock::new(),
        }
    }

    /// Drops the text, to be read again from [`SourceFile::path`] if it is needed.
    pub(crate) fn release(&mut self) {
        self.text = OnceLock::new();
    }

    /// The text, read again and kept if it was released.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.read_again())
    }

    /// The text, read again but not kept if it was released: for a stage that reads each page
    /// once.
    pub fn read(&self) -> Cow<'_, str> {
        match self.text.get() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.read_again()),
        }
    }

    /// The part `range` of the text, read again but not kept if it was released: a page's body
    /// for rendering or indexing.
    pub fn read_range(&self, range: Range<usize>) -> Cow<'_, str> {
        match self.read() {
            Cow::Borrowed(text) => Cow::Borrowed(text.get(range).unwrap_or_default()),
            Cow::Owned(mut text) => {
                if text.get(range.clone()).is_none() {
                    return Cow::Borrowed("");
                }
                text.truncate(range.end);
                text.drain(..range.start);
                Cow::Owned(text)
            }
        }
    }

    /// Whether the file was found changed on disk when its text was read again.
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// The released text from disk. A file changed or gone since it was first read stands in as
    /// blanks of the first length, so that every span taken from the first reading stays in
    /// bounds until the build fails with the file's one error ([`SourceMap::changed`]).
    fn read_again(&self) -> String {
        // As loading reads it: without a byte-order mark.
        let read =
            std::fs::read_to_string(&self.path).map(|text| match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            });
        match read {
            Ok(text) if digest_of(&text) == self.digest => text,
            _ => {
                self.changed.store(true, Ordering::Relaxed);
                " ".repeat(self.len)
            }
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Zero-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.line_starts().binary_search(&byte) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of a zero-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts().get(line)?;
        let end = self
            .line_starts()
            .get(line + 1)
            .map_or(self.text().len(), |next| next - 1);
        let end = if end > start && self.text().as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Some(start..end.max(start))
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text().len());
        let line = self.line_index(byte);
        let start = self.line_starts()[line];
        let col = self
            .text()
            .get(start..byte)
            .map_or(byte - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of a one-based line and column (as serde_yaml reports them).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text().len();
        };
        let rest = &self.text()[start..];
        rest.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(self.text().len(), |(i, _)| start + i)
    }
}

/// All files read by one build.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// Shared, so that a rebuild reuses the files that did not change without copying them.
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, path: &Path, display: String, text: String) -> FileId {
        self.add_shared(Arc::new(SourceFile::new(display, path.to_path_buf(), text)))
    }

    /// Adds a file read by an earlier build.
    pub fn add_shared(&mut self, file: Arc<SourceFile>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 4 billion files"));
        self.files.push(file);
        id
    }

    /// The id of the file that will be added at place `index` (from 0, in the order of adding):
    /// for files read in parallel that must point at themselves before they are added in order.
    pub fn id_at(&self, index: usize) -> FileId {
        FileId(u32::try_from(index).expect("fewer than 4 billion files"))
    }

    /// The shared file, for a cache to keep.
    pub fn shared(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every file's id, in the order they were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len() as u32).map(FileId)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files found changed on disk when their released text was read again.
    pub fn changed(&self) -> impl Iterator<Item = FileId> + '_ {
        self.ids().filter(|&id| self.get(id).changed())
    }
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id).display)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.get(id).text())
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.get(id).line_index(byte))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self.get(id);
        match file.line_range(line) {
            Some(range) => Ok(range),
            // codespan asks for the line after the last one when a span ends at EOF.
            None if line == file.line_starts().len() => Ok(file.text().len()..file.text().len()),
            None => Err(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: file.line_starts().len() - 1,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.md".into(), PathBuf::from("t.md"), text.into())
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = file("ab\nµg/kg x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'x' is after "µg/kg " (µ is two bytes).
        assert_eq!(f.line_col(3 + "µg/kg ".len()), (2, 7));
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let f = file("---\ntitle: é x\n---\n");
        let off = f.offset_of(2, 10);
        assert_eq!(&f.text()[off..off + 1], "x");
        assert_eq!(f.line_col(off), (2, 10));
    }

    fn on_disk(text: &str) -> (tempfile::TempDir, SourceFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
        let mut file = SourceFile::new("page.md".into(), path, text.into());
        file.release();
        (dir, file)
    }

    #[test]
    fn a_released_text_is_read_again_from_disk() {
        let (_dir, file) = on_disk("# Depth\n\nµg/kg\n");
        assert_eq!(file.read_range(9..15), "µg/kg");
        assert_eq!(file.line_col(9), (3, 1));
        assert!(!file.changed());
    }

    #[test]
    fn a_file_changed_since_its_first_reading_is_marked_and_keeps_its_spans() {
        let (_dir, file) = on_disk("# Depth\n\nµg/kg\n");
        std::fs::write(&file.path, "# Depth\n").unwrap();
        // Blanks of the first length: a span of the first reading still slices.
        assert_eq!(file.read_range(9..15), "      ");
        assert!(file.changed());
        assert_eq!(file.text().len(), "# Depth\n\nµg/kg\n".len());
    }

    #[test]
    fn crlf_line_range_excludes_carriage_return() {
        let f = file("a\r\nbc\r\n");
        assert_eq!(&f.text()[f.line_range(1).unwrap()], "bc");
    }
}
