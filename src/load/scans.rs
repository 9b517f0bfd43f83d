//! The scans of the last `pedon build`, kept in `.pedon/scans/` so that the next build scans only
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
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The folder of the part files, in `.pedon/`.
const FOLDER: &str = "scans";
/// The first word of each part file and the version of its layout.
const MAGIC: &str = "pedon-scans 4";
/// The scans are kept in this many files, by digest (`00` to `3f`), so that a build that
/// changed a few scans writes a few small files: as one file, the 34 MB of the site-shaped
/// corpus's scans were written whole after any edit (0.15–0.3 s).
const PARTS: usize = 64;

/// A file's text digest and its body's byte range.
type Key = (u64, usize, usize);

/// A part file's scans, or why they cannot be used ([`read`]).
type Part = Result<Vec<(Key, Document)>, Option<String>>;

/// The part file a scan is kept in: the digest's top bits, its best mixed.
fn part_of(key: &Key) -> usize {
    (key.0 >> 58) as usize
}

/// The scans a build may take, and those it made or took, to be saved for the next.
#[derive(Debug, Default)]
pub struct Scans {
    folder: PathBuf,
    binary: u64,
    last: FxHashMap<Key, Arc<Document>>,
    /// The parts whose file was read and trusted: the others are written by [`Scans::save`].
    trusted: Vec<bool>,
    now: Mutex<FxHashMap<Key, Arc<Document>>>,
}

/// A part file's contents.
#[derive(Serialize, Deserialize)]
struct Record<D> {
    binary: u64,
    scans: Vec<(u64, usize, usize, D)>,
}

impl Scans {
    /// The scans the last build of the site at `root` left, if they can be trusted; none
    /// otherwise, with a note for the editor when a file is there but cannot be used (the build
    /// then scans those pages, as a first build does).
    pub fn open(root: &Path) -> (Scans, Option<String>) {
        Scans::open_as(root, binary_key())
    }

    fn open_as(root: &Path, binary: u64) -> (Scans, Option<String>) {
        let folder = root.join(DIR).join(FOLDER);
        let parts: Vec<Part> = (0..PARTS)
            .into_par_iter()
            .map(|n| read(&part_file(&folder, n), binary))
            .collect();
        let trusted = parts.iter().map(Result::is_ok).collect();
        let mut last = FxHashMap::default();
        let mut note = None;
        for part in parts {
            match part {
                Ok(scans) => last.extend(scans.into_iter().map(|(key, doc)| (key, Arc::new(doc)))),
                Err(why) => {
                    note = note.or(why.map(|why| {
                        format!(
                            "the saved scans in `{}` {why}: they were ignored, and the pages they \
                             held were scanned",
                            folder.display()
                        )
                    }))
                }
            }
        }
        let scans = Scans {
            folder,
            binary,
            last,
            trusted,
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

    /// Saves the scans this build used, for the next: each part file whose scans changed is
    /// written again (beside and renamed, so that a build stopped meanwhile leaves the old file
    /// or none), and the others are left as they are.
    pub fn save(self) -> std::io::Result<()> {
        let now = self.now.into_inner().expect("scans lock");
        let mut parts: Vec<Vec<(u64, usize, usize, &Document)>> = vec![Vec::new(); PARTS];
        for (&key @ (digest, start, end), doc) in &now {
            parts[part_of(&key)].push((digest, start, end, doc));
        }
        let mut last = vec![0; PARTS];
        for key in self.last.keys() {
            last[part_of(key)] += 1;
        }
        // An earlier pedon kept the scans in one file of this name.
        if self.folder.is_file() {
            std::fs::remove_file(&self.folder)?;
        }
        // One after another: the save runs beside the removal of the last output, which keeps
        // rayon's threads; waiting for one of them took longer than writing the parts.
        (parts.into_iter().enumerate()).try_for_each(|(n, mut scans)| {
            // The same scans as the last build's: the file already holds them (it was read
            // whole and checked when opened).
            let same = (scans.iter()).all(|(d, s, e, _)| self.last.contains_key(&(*d, *s, *e)));
            if self.trusted[n] && same && scans.len() == last[n] {
                return Ok(());
            }
            let file = part_file(&self.folder, n);
            if scans.is_empty() {
                return match std::fs::remove_file(&file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                };
            }
            // The same scans give the same file.
            scans.sort_unstable_by_key(|(digest, start, end, _)| (*digest, *start, *end));
            // Binary: as JSON, the scans of the site-shaped corpus were 49 MB, and reading them
            // took a third of what they saved.
            let record = Record {
                binary: self.binary,
                scans,
            };
            let body = bincode::serialize(&record).map_err(std::io::Error::other)?;
            write_checked(&file, MAGIC, &body)
        })
    }
}

fn part_file(folder: &Path, n: usize) -> PathBuf {
    folder.join(format!("{n:02x}"))
}

/// The scans in the part file `file`, when it is whole, of this layout and of the binary
/// `binary`; else why not (`None` when there is no file, which needs no note).
fn read(file: &Path, binary: u64) -> Part {
    let damaged = || Some("are damaged (their checksum does not match)".to_string());
    let body = read_checked(file, MAGIC).map_err(|why| match why {
        Unusable::Missing => None,
        Unusable::Unreadable(e) if e.kind() == std::io::ErrorKind::NotADirectory => None,
        Unusable::Unreadable(e) => Some(format!("could not be read ({e})")),
        Unusable::Damaged => damaged(),
        Unusable::OtherLayout => Some("are not of this version of pedon".into()),
    })?;
    let record: Record<Document> = bincode::deserialize(&body).map_err(|_| damaged())?;
    if record.binary != binary {
        return Err(Some("were made by another build of pedon".into()));
    }
    Ok((record.scans.into_iter())
        .map(|(digest, start, end, doc)| ((digest, start, end), doc))
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
        let file = part_file(&root.path().join(DIR).join(FOLDER), 0);
        let mut damaged = std::fs::read(&file).unwrap();
        *damaged.last_mut().unwrap() ^= 1;
        std::fs::write(&file, damaged).unwrap();
        let (damaged, note) = Scans::open_as(root.path(), 1);
        assert!(damaged.last.is_empty());
        assert!(note.unwrap().contains("damaged"));
    }

    /// A build that used exactly the last build's scans leaves the files as they are; one that
    /// made a scan or stopped using one writes the part that holds it, and only that part.
    #[test]
    fn a_part_is_written_again_only_when_its_scans_change() {
        use std::os::unix::fs::MetadataExt;
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join(DIR).join(FOLDER);
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
        let inode = |n| std::fs::metadata(part_file(&folder, n)).unwrap().ino();
        // Digests in parts 0 and 1.
        let (a, b, c) = (7, (1 << 58) | 8, 9);
        assert_eq!(use_scans(&[a, b]), 0);
        let first = (inode(0), inode(1));
        assert_eq!(use_scans(&[a, b]), 2);
        assert_eq!(
            (inode(0), inode(1)),
            first,
            "the same scans: the files are kept"
        );
        assert_eq!(use_scans(&[a, b, c]), 2);
        assert_ne!(inode(0), first.0, "a new scan: its part is written again");
        assert_eq!(inode(1), first.1, "the other part is kept");
        assert_eq!(use_scans(&[a, b, c]), 3);
        // Scans no longer used: saved without them, and a part left empty removed.
        assert_eq!(use_scans(&[a, c]), 2);
        assert!(!part_file(&folder, 1).exists());
        let (last, _) = Scans::open_as(root.path(), 1);
        assert_eq!(last.last.len(), 2);
    }

    /// The single file an earlier pedon kept its scans in is not read (it is of another
    /// layout), quietly, and is replaced by the folder.
    #[test]
    fn the_file_of_an_earlier_layout_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join(DIR).join(FOLDER);
        std::fs::create_dir_all(root.path().join(DIR)).unwrap();
        std::fs::write(&folder, "pedon-scans 3 0\n").unwrap();
        let (scans, note) = Scans::open_as(root.path(), 1);
        assert_eq!(note, None);
        let body = 17..TEXT.len();
        scans.get(7, &body, || scan(TEXT, body.clone()));
        scans.save().unwrap();
        let (next, _) = Scans::open_as(root.path(), 1);
        assert_eq!(next.taken(), 0);
        next.get(7, &body, || panic!("scanned again"));
    }
}
