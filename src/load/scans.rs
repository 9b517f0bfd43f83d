//! The scans of the last `pedon build`, kept in `.pedon/scans` so that the next build scans only
//! the Markdown files that changed.
//!
//! Scanning every page's Markdown for headings, links and data blocks was the largest part of a
//! build after a one-page edit (28 % of its CPU time on the site-shaped corpus of
//! `bench/site.sh`): everything else it does is taken from the last output. A scan depends on
//! nothing but the file's text and where its body starts and ends ([`super::document::scan`]), so
//! it is kept by the text's digest and the body's range; a file saved back as it was is found
//! again, whatever its name or modification time.
//!
//! As with the build cache, nothing is trusted on its word: the file carries a checksum and the
//! key of the binary that wrote it, and one that fails either is ignored (a build then scans
//! every file, which is what it did before).

use super::document::Document;
use crate::build_cache::{DIR, Unusable, binary_key, read_checked, write_checked};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const FILE: &str = "scans";
/// The first word of the file and the version of its layout.
const MAGIC: &str = "pedon-scans 3";

/// A file's text digest and its body's byte range.
type Key = (u64, usize, usize);

/// The scans a build may take, and those it made or took, to be saved for the next.
#[derive(Debug, Default)]
pub struct Scans {
    file: PathBuf,
    binary: u64,
    last: FxHashMap<Key, Arc<Document>>,
    now: Mutex<FxHashMap<Key, Arc<Document>>>,
}

/// The file's contents.
#[derive(Serialize, Deserialize)]
struct Record {
    binary: u64,
    scans: Vec<(u64, usize, usize, Document)>,
}

impl Scans {
    /// The scans the last build of the site at `root` left, if they can be trusted; none
    /// otherwise, with a note for the editor when a file is there but cannot be used (the build
    /// then scans everything, as a first build does).
    pub fn open(root: &Path) -> (Scans, Option<String>) {
        Scans::open_as(root, binary_key())
    }

    fn open_as(root: &Path, binary: u64) -> (Scans, Option<String>) {
        let file = root.join(DIR).join(FILE);
        let (last, note) = match read(&file, binary) {
            Ok(last) => (last, None),
            Err(why) => (
                FxHashMap::default(),
                why.map(|why| {
                    format!(
                        "the saved scans `{}` {why}: they were ignored, and every page was scanned",
                        file.display()
                    )
                }),
            ),
        };
        let scans = Scans {
            file,
            binary,
            last,
            now: Mutex::default(),
        };
        (scans, note)
    }

    /// The scan of the body `body` of a file whose text has the digest `digest`: the last
    /// build's, or made now by `scan`.
    pub fn get(
        &self,
        digest: u64,
        body: &Range<usize>,
        scan: impl FnOnce() -> Document,
    ) -> Arc<Document> {
        let key = (digest, body.start, body.end);
        let doc = match self.last.get(&key) {
            Some(doc) => Arc::clone(doc),
            None => Arc::new(scan()),
        };
        let mut now = self.now.lock().expect("scans lock");
        now.insert(key, Arc::clone(&doc));
        doc
    }

    /// How many scans were taken from the last build rather than made.
    pub fn taken(&self) -> usize {
        let now = self.now.lock().expect("scans lock");
        now.keys().filter(|key| self.last.contains_key(key)).count()
    }

    /// Saves the scans this build used, for the next (written beside and renamed, so that a
    /// build stopped meanwhile leaves the old file or none).
    pub fn save(self) -> std::io::Result<()> {
        let now = self.now.into_inner().expect("scans lock");
        // The same scans as the last build's: the file on disk already holds them (it was read
        // whole and checked when opened).
        if now.len() == self.last.len() && now.keys().all(|key| self.last.contains_key(key)) {
            return Ok(());
        }
        let mut scans: Vec<(u64, usize, usize, Document)> = now
            .into_iter()
            .map(|((digest, start, end), doc)| (digest, start, end, Arc::unwrap_or_clone(doc)))
            .collect();
        // The same scans give the same file.
        scans.sort_unstable_by_key(|(digest, start, end, _)| (*digest, *start, *end));
        let record = Record {
            binary: self.binary,
            scans,
        };
        // Binary: as JSON, the scans of the site-shaped corpus were 49 MB, and reading them took
        // a third of what they saved.
        let body = bincode::serialize(&record).map_err(std::io::Error::other)?;
        write_checked(&self.file, MAGIC, &body)
    }
}

/// The scans in `file`, when it is whole, of this layout and of the binary `binary`; else why
/// not (`None` when there is no file, which needs no note).
fn read(file: &Path, binary: u64) -> Result<FxHashMap<Key, Arc<Document>>, Option<String>> {
    let damaged = || Some("are damaged (their checksum does not match)".to_string());
    let body = read_checked(file, MAGIC).map_err(|why| match why {
        Unusable::Missing => None,
        Unusable::Unreadable(e) => Some(format!("could not be read ({e})")),
        Unusable::Damaged => damaged(),
        Unusable::OtherLayout => Some("are not of this version of pedon".into()),
    })?;
    let record: Record = bincode::deserialize(&body).map_err(|_| damaged())?;
    if record.binary != binary {
        return Err(Some("were made by another build of pedon".into()));
    }
    Ok((record.scans.into_iter())
        .map(|(digest, start, end, doc)| ((digest, start, end), Arc::new(doc)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::document::scan;

    const TEXT: &str = "---\ntitle: A\n---\n## Scope\n\nSee [the method](b.md#steps).\n";

    /// A scan saved by one build is taken by the next of the same binary, for the same text
    /// only; another binary's, or a damaged file, gives nothing to take.
    #[test]
    fn a_scan_is_taken_only_for_the_same_text_and_binary() {
        let root = tempfile::tempdir().unwrap();
        let body = 17..TEXT.len();
        let (made, note) = Scans::open_as(root.path(), 1);
        assert_eq!(note, None, "no file yet: nothing to say");
        let doc = made.get(7, &body, || scan(TEXT, body.clone()));
        assert_eq!(doc.headings[0].id, "scope");
        assert_eq!(made.taken(), 0);
        made.save().unwrap();

        let (next, note) = Scans::open_as(root.path(), 1);
        assert_eq!(note, None);
        let taken = next.get(7, &body, || panic!("scanned again"));
        assert_eq!(taken.headings[0].id, "scope");
        assert_eq!(taken.links[0].dest, "b.md#steps");
        assert_eq!(next.taken(), 1);
        // Another text (digest) or body: scanned.
        let mut scanned = false;
        next.get(8, &body, || {
            scanned = true;
            Document::default()
        });
        assert!(scanned);

        let (other, note) = Scans::open_as(root.path(), 2);
        assert!(other.last.is_empty());
        assert!(note.unwrap().contains("another build of pedon"));
        let file = root.path().join(DIR).join(FILE);
        let mut damaged = std::fs::read(&file).unwrap();
        *damaged.last_mut().unwrap() ^= 1;
        std::fs::write(&file, damaged).unwrap();
        let (damaged, note) = Scans::open_as(root.path(), 1);
        assert!(damaged.last.is_empty());
        assert!(note.unwrap().contains("damaged"));
    }

    /// A build that used exactly the last build's scans leaves the file as it is; one that made
    /// a scan or stopped using one saves its own set.
    #[test]
    fn the_file_is_written_again_only_when_the_scans_used_change() {
        use std::os::unix::fs::MetadataExt;
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(DIR).join(FILE);
        let body = 17..TEXT.len();
        let use_scans = |digests: &[u64]| {
            let (scans, _) = Scans::open_as(root.path(), 1);
            for &digest in digests {
                scans.get(digest, &body, || scan(TEXT, body.clone()));
            }
            let taken = scans.taken();
            scans.save().unwrap();
            taken
        };
        let inode = || std::fs::metadata(&file).unwrap().ino();
        assert_eq!(use_scans(&[7]), 0);
        let first = inode();
        assert_eq!(use_scans(&[7]), 1);
        assert_eq!(inode(), first, "the same scans: the file is kept");
        assert_eq!(use_scans(&[7, 8]), 1);
        assert_ne!(inode(), first, "a new scan: the file is written again");
        assert_eq!(use_scans(&[7, 8]), 2);
        // One scan no longer used: saved without it.
        assert_eq!(use_scans(&[8]), 1);
        let (last, _) = Scans::open_as(root.path(), 1);
        assert_eq!(last.last.len(), 1);
    }
}
