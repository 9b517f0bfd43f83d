//! The build cache: what one `pedon build` leaves on disk so that the next one redoes only the
//! work an edit touched.
//!
//! A page's HTML is not copied into the cache (a 10,000-page site in six languages writes 3 GB):
//! the previous output folder already holds it. The cache records, for each unit of output (a
//! page, each language's search index, the database's files), the key of everything it was made
//! from and a [`Stamp`] of each file it wrote. The next build computes the same keys; where a
//! unit's key is unchanged and its files still carry their stamps, they are hard-linked from the
//! old output into the staging folder instead of being made again. The swap stays atomic: the
//! staging folder is a whole site either way.
//!
//! Keys are content hashes, never modification times (a file saved without a change, a `git
//! checkout` that resets times, a clock that moved): a page's key covers its file's bytes, its
//! place and its Git date; the site's key covers the templates, configuration, data, what every
//! page shows of the others, the day of the build and the `pedon` binary itself. A page is
//! reused only when the site's key is the same, the rule `pedon serve` follows between edits
//! (`tests/rebuild.rs` compares both with clean builds after random edits).
//!
//! Nothing in the cache is trusted on its word. The file carries a checksum of its contents; one
//! made by another `pedon` binary, for another output folder, or damaged, is ignored with a note
//! and the build starts from nothing. An output file whose stamp changed (someone edited
//! `public/`) is made again.

use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Where the cache lives under the site's root. `pedon new` and the bundled site ignore it in Git.
pub const DIR: &str = ".pedon";
const FILE: &str = "build-cache";
/// The first word of the file and the version of its layout.
const MAGIC: &str = "pedon-build-cache 4";

/// What identifies a file as the one a build wrote: its length, modification time and inode.
/// A hard link keeps all three, an edit changes at least the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    secs: i64,
    nanos: u32,
    inode: u64,
}

impl Stamp {
    /// Whether the file at `path` is still the one this stamp was taken of.
    pub fn matches(self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && Stamp::of(&m) == self)
    }

    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                len: metadata.len(),
                secs: metadata.mtime(),
                nanos: metadata.mtime_nsec() as u32,
                inode: metadata.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let since = metadata
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            Stamp {
                len: metadata.len(),
                secs: since.as_secs() as i64,
                nanos: since.subsec_nanos(),
                inode: 0,
            }
        }
    }
}

/// The file's contents.
#[derive(Serialize, Deserialize)]
struct Record {
    /// The hash of the `pedon` binary that wrote it: another version may render differently.
    binary: u64,
    /// The output folder its stamps describe, canonical.
    output: PathBuf,
    /// The path the site's links start with (`/insop/`): `pedon serve` shows the output
    /// while it builds only at the same one ([`last_build`]).
    base_path: String,
    /// See [`BuildCache::site_key`].
    site: u64,
    /// Each page: its URL (its output path), its keys and its file's stamp.
    pages: Vec<(String, StoredPage)>,
    /// Each other unit of output.
    units: Vec<StoredUnit>,
}

/// A unit of output other than a page (a language's search index, the database's files).
#[derive(Serialize, Deserialize)]
struct StoredUnit {
    name: String,
    /// The key of what the unit was made from as a whole.
    key: u64,
    /// The keys of its parts, where it can be brought up to date part by part (a search
    /// index's pages): see [`BuildCache::partial_unit`].
    parts: Vec<u64>,
    /// Each file's path and stamp.
    files: Vec<(String, Stamp)>,
}

/// A page of the last build.
#[derive(Serialize, Deserialize)]
struct StoredPage {
    /// Its own inputs ([`crate::render`]'s `stored_key`): enough when the site's key is the same.
    own: u64,
    /// Everything it was rendered from ([`BuildCache::full_key`]).
    full: u64,
    stamp: Stamp,
}

/// The previous build, as far as it can be trusted.
struct Previous {
    output: PathBuf,
    site: u64,
    pages: FxHashMap<String, StoredPage>,
    units: FxHashMap<String, StoredUnit>,
}

/// One `pedon build`'s view of the cache: what the last build left, and what this one makes,
/// to be saved once its output is swapped in.
pub struct BuildCache {
    file: PathBuf,
    binary: u64,
    output: PathBuf,
    previous: Option<Previous>,
    /// This build's site key, set by the render stage.
    site: u64,
    /// This build's base path, set by the render stage.
    base_path: String,
    /// The day of the build, which pages may show (citations, the dataset's edition).
    day: (i64, u32, u32),
    /// The keys of the templates and configuration, and of the data.
    shared: (u64, u64),
    /// This build's pages and their keys (own, full), in `site.pages` order, set by the render
    /// stage.
    pages: Vec<(String, u64, u64)>,
    units: Vec<(String, u64, Vec<u64>, Vec<String>)>,
    /// Files taken from the last output rather than made.
    reused: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for BuildCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildCache")
            .field("file", &self.file)
            .field("warm", &self.previous.is_some())
            .finish_non_exhaustive()
    }
}

impl BuildCache {
    /// The cache of the site at `root` for a build into `output`, and a note for the editor
    /// when there was one that cannot be used. A missing cache is no note: the first build
    /// starts from nothing, as always.
    pub fn open(root: &Path, output: &Path) -> (BuildCache, Option<String>) {
        BuildCache::open_as(root, output, binary_key())
    }

    /// [`BuildCache::open`] for the binary whose key is `binary`.
    fn open_as(root: &Path, output: &Path, binary: u64) -> (BuildCache, Option<String>) {
        let file = root.join(DIR).join(FILE);
        let output = output
            .canonicalize()
            .unwrap_or_else(|_| output.to_path_buf());
        let mut cache = BuildCache {
            file,
            binary,
            output,
            previous: None,
            site: 0,
            base_path: String::new(),
            day: (0, 0, 0),
            shared: (0, 0),
            pages: Vec::new(),
            units: Vec::new(),
            reused: Default::default(),
        };
        let note = match cache.read() {
            Ok(previous) => {
                cache.previous = previous;
                None
            }
            Err(why) => Some(format!(
                "the build cache `{}` {why}: it was ignored, and this build starts from nothing",
                cache.file.display()
            )),
        };
        (cache, note)
    }

    /// The last build's record, `None` when there is none or it is for another output folder;
    /// an error says why a cache that exists cannot be trusted.
    fn read(&self) -> Result<Option<Previous>, String> {
        let Some(record) = read_record::<Record>(&self.file, self.binary)? else {
            return Ok(None);
        };
        if record.output != self.output {
            // Not a problem: the folder built into last time is elsewhere.
            return Ok(None);
        }
        Ok(Some(Previous {
            output: record.output,
            site: record.site,
            pages: record.pages.into_iter().collect(),
            units: (record.units.into_iter())
                .map(|unit| (unit.name.clone(), unit))
                .collect(),
        }))
    }

    /// Sets this build's site key from the render stage's keys (templates and configuration,
    /// what pages show of each other, the data) and what else a page may show that no file
    /// holds: the day it is built (citations, the dataset's edition) and the binary.
    /// The base path is recorded with it, for [`last_build`].
    pub fn set_site_key(
        &mut self,
        (setup, structure, data): (u64, u64, u64),
        day: (i64, u32, u32),
        base_path: String,
    ) {
        self.base_path = base_path;
        let mut h = FxHasher::default();
        (self.binary, setup, structure, data, day).hash(&mut h);
        self.site = h.finish();
        self.day = day;
        self.shared = (setup, data);
    }

    fn same_site(&self) -> Option<&Previous> {
        self.previous.as_ref().filter(|p| p.site == self.site)
    }

    /// Takes the page at `url` from the last output into `staging` when its own key and the
    /// site's are unchanged and its file is as that build wrote it; returns the full key it was
    /// rendered with, which is then this build's too.
    pub fn reuse_page(&self, url: &str, own: u64, staging: &crate::write::Staging) -> Option<u64> {
        let previous = self.same_site()?;
        let page = previous.pages.get(url).filter(|p| p.own == own)?;
        self.link(previous, url, page.stamp, staging)
            .then_some(page.full)
    }

    /// The key of everything a page is rendered from, with what no file holds (see
    /// [`BuildCache::set_site_key`]).
    pub fn full_key(&self, full: u64) -> u64 {
        let mut h = FxHasher::default();
        (self.binary, self.day, full).hash(&mut h);
        h.finish()
    }

    /// Takes the page at `url` from the last output when everything it was rendered from (its
    /// template context and Markdown's inputs, [`BuildCache::full_key`]) is unchanged: a page
    /// that another page's edit did not reach, when that edit changed the site's key.
    pub fn reuse_rendered(&self, url: &str, full: u64, staging: &crate::write::Staging) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        match previous.pages.get(url) {
            Some(page) if page.full == full => self.link(previous, url, page.stamp, staging),
            _ => false,
        }
    }

    /// Records the pages of this build and their keys (own, full).
    pub fn set_pages(&mut self, pages: Vec<(String, u64, u64)>) {
        self.pages = pages;
    }

    /// The own key of the page at `index` in `site.pages`, as set by [`BuildCache::set_pages`].
    pub fn page_key(&self, index: usize) -> u64 {
        self.pages.get(index).map_or(0, |p| p.1)
    }

    /// Takes every file of unit `name` from the last output into `staging` when its key and
    /// its parts' keys are unchanged and all its files are as that build wrote them; returns
    /// their paths. A unit is taken whole or not at all.
    pub fn reuse_unit(
        &self,
        name: &str,
        key: u64,
        parts: &[u64],
        staging: &crate::write::Staging,
    ) -> Option<Vec<String>> {
        let previous = self.previous.as_ref()?;
        let unit = previous.units.get(name)?;
        if unit.key != self.unit_key(key) || unit.parts != parts {
            return None;
        }
        self.link_all(previous, &unit.files, staging)
            .then(|| unit.files.iter().map(|(rel, _)| rel.clone()).collect())
    }

    /// The last build's unit `name`, when it was made for the same `key` as a whole but some
    /// of its parts may have changed since: what is needed to bring it up to date part by
    /// part. Its files are checked against their stamps as they are read or taken.
    pub fn partial_unit(&self, name: &str, key: u64) -> Option<PartialUnit<'_>> {
        let previous = self.previous.as_ref()?;
        let unit = previous.units.get(name)?;
        (unit.key == self.unit_key(key)).then_some(PartialUnit {
            cache: self,
            previous,
            unit,
        })
    }

    /// Links each of `files` from the last output into `staging` (each checked against its
    /// stamp by [`crate::write::Staging::link`]), or none: a file linked before one that could
    /// not be is removed again, since the caller then writes them all, and a write into a
    /// linked file would change the last output's too.
    fn link_all(
        &self,
        previous: &Previous,
        files: &[(String, Stamp)],
        staging: &crate::write::Staging,
    ) -> bool {
        use rayon::prelude::*;
        // In parallel: a search index's unit is about ten thousand files, and each link is
        // a stat and a link of two paths (40 ms a language, one after another).
        let linked: Vec<bool> = (files.par_iter())
            .map(|(rel, stamp)| self.link(previous, rel, *stamp, staging))
            .collect();
        if linked.iter().all(|&l| l) {
            return true;
        }
        let mut undone = 0;
        for ((rel, _), _) in files.iter().zip(&linked).filter(|(_, l)| **l) {
            staging.remove(rel);
            undone += 1;
        }
        self.reused
            .fetch_sub(undone, std::sync::atomic::Ordering::Relaxed);
        false
    }

    /// Records a unit this build made, or took, with the key it was made for and its parts'.
    pub fn set_unit(&mut self, name: String, key: u64, parts: Vec<u64>, files: Vec<String>) {
        let key = self.unit_key(key);
        self.units.push((name, key, parts, files));
    }

    /// A unit's key with the binary's: the same inputs made by another `pedon` are another
    /// unit.
    fn unit_key(&self, key: u64) -> u64 {
        let mut h = FxHasher::default();
        (self.binary, key).hash(&mut h);
        h.finish()
    }

    /// The key of a unit made from `parts`, the templates, configuration and data, and the day
    /// of the build (the binary is added by [`BuildCache::reuse_unit`]).
    pub fn key_of(&self, parts: impl Hash) -> u64 {
        let mut h = FxHasher::default();
        (self.day, self.shared, parts).hash(&mut h);
        h.finish()
    }

    /// How many files were taken from the last output.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn link(
        &self,
        previous: &Previous,
        rel: &str,
        stamp: Stamp,
        staging: &crate::write::Staging,
    ) -> bool {
        let linked = staging.link(rel, &previous.output.join(rel), stamp);
        if linked {
            self.reused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        linked
    }

    /// Saves what this build made, with the stamps its files were given in the output folder
    /// (`stamps`, from [`crate::write::Staging::take_stamps`]). Written beside and renamed, so a
    /// build killed meanwhile leaves the old cache or none, never half of one. A page or unit
    /// whose file has no stamp is left out: the next build makes it again.
    pub fn save(self, stamps: &FxHashMap<String, Stamp>) -> std::io::Result<()> {
        let pages = (self.pages.into_iter())
            .filter_map(|(url, own, full)| {
                let stamp = *stamps.get(&url)?;
                Some((url, StoredPage { own, full, stamp }))
            })
            .collect();
        let units = (self.units.into_iter())
            .filter_map(|(name, key, parts, files)| {
                let files = (files.into_iter())
                    .map(|rel| Some((rel.clone(), *stamps.get(&rel)?)))
                    .collect::<Option<Vec<_>>>()?;
                Some(StoredUnit {
                    name,
                    key,
                    parts,
                    files,
                })
            })
            .collect();
        // Canonical now that it exists: the first build into a new folder opened the cache
        // before there was one to resolve.
        let output = self.output.canonicalize().unwrap_or(self.output);
        let record = Record {
            binary: self.binary,
            output,
            base_path: self.base_path,
            site: self.site,
            pages,
            units,
        };
        // Binary, as the scans are: as JSON, the 20 MB record of the site-shaped corpus took
        // 70–110 ms to read and 70–300 ms to write, on every build.
        let body = bincode::serialize(&record).map_err(std::io::Error::other)?;
        write_checked(&self.file, MAGIC, &body)
    }
}

/// A unit of the last build to be brought up to date part by part
/// ([`BuildCache::partial_unit`]).
pub struct PartialUnit<'a> {
    cache: &'a BuildCache,
    previous: &'a Previous,
    unit: &'a StoredUnit,
}

impl PartialUnit<'_> {
    /// The keys of the parts it was made from.
    pub fn parts(&self) -> &[u64] {
        &self.unit.parts
    }

    /// Those of its files that `pick` picks, read from the last output in parallel; `None` when
    /// one is no longer as written.
    pub fn read_picked(&self, pick: impl Fn(&str) -> bool) -> Option<Vec<(&str, Vec<u8>)>> {
        use rayon::prelude::*;
        let picked: Vec<&(String, Stamp)> = (self.unit.files.iter())
            .filter(|(rel, _)| pick(rel))
            .collect();
        (picked.into_par_iter())
            .map(|(rel, stamp)| {
                let path = self.previous.output.join(rel);
                let bytes = std::fs::read(&path).ok()?;
                stamp.matches(&path).then_some((rel.as_str(), bytes))
            })
            .collect()
    }

    /// Takes those of its files that `keep` picks from the last output into `staging`, all or
    /// none; returns their paths.
    pub fn take(
        &self,
        keep: impl Fn(&str) -> bool,
        staging: &crate::write::Staging,
    ) -> Option<Vec<String>> {
        let files: Vec<(String, Stamp)> = (self.unit.files.iter())
            .filter(|(rel, _)| keep(rel))
            .cloned()
            .collect();
        (self.cache.link_all(self.previous, &files, staging))
            .then(|| files.into_iter().map(|(rel, _)| rel).collect())
    }
}

/// What the last `pedon build` of a site left, for `pedon serve` to show while it builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastBuild {
    /// The output folder, as it was swapped in.
    pub output: PathBuf,
    /// The path its links start with.
    pub base_path: String,
}

/// The first fields of a [`Record`], read without the rest: the record of a 60,000-page site is
/// megabytes of pages that `pedon serve`'s start does not need.
#[derive(Deserialize)]
struct Head {
    binary: u64,
    output: PathBuf,
    base_path: String,
}

/// The output folder of the last `pedon build` of the site at `root`, when its build cache is
/// sound, was written by this binary (another may render differently) and its folder is still
/// there. `None` otherwise, quietly: `pedon serve` then starts as it always has.
pub fn last_build(root: &Path) -> Option<LastBuild> {
    last_build_as(root, binary_key())
}

/// [`last_build`] for the binary whose key is `binary`.
fn last_build_as(root: &Path, binary: u64) -> Option<LastBuild> {
    let head = read_record::<Head>(&root.join(DIR).join(FILE), binary).ok()??;
    head.output.is_dir().then_some(LastBuild {
        output: head.output,
        base_path: head.base_path,
    })
}

/// The record in `file`, read as `T` (all of it, or its first fields), `None` when there is no
/// file; an error says why a file that exists cannot be trusted.
fn read_record<T: serde::de::DeserializeOwned>(
    file: &Path,
    binary: u64,
) -> Result<Option<T>, String> {
    let damaged = || "is damaged (its checksum does not match its contents)".to_string();
    let body = match read_checked(file, MAGIC) {
        Ok(body) => body,
        Err(Unusable::Missing) => return Ok(None),
        Err(Unusable::Unreadable(e)) => return Err(format!("could not be read ({e})")),
        Err(Unusable::Damaged) => return Err(damaged()),
        Err(Unusable::OtherLayout) => {
            return Err("is not a build cache of this version of pedon".into());
        }
    };
    let body = body.as_slice();
    // `bincode::deserialize` reads the fields `T` has and leaves the rest.
    let head: Head = bincode::deserialize(body).map_err(|_| damaged())?;
    if head.binary != binary {
        return Err("was made by another build of pedon".into());
    }
    bincode::deserialize(body).map_err(|_| damaged()).map(Some)
}

/// Why a file written by [`write_checked`] cannot be used.
#[derive(Debug)]
pub(crate) enum Unusable {
    /// There is none.
    Missing,
    Unreadable(std::io::Error),
    /// Its checksum does not match its contents.
    Damaged,
    /// Another layout's (another version of `pedon`).
    OtherLayout,
}

/// Writes `body` to `file` after a line of `magic` and its checksum; beside it first, then
/// renamed, so that a build stopped meanwhile leaves the old file or none, never half of one.
pub(crate) fn write_checked(file: &Path, magic: &str, body: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!("{name}.{}", std::process::id()));
    let mut bytes = format!("{magic} {:016x}\n", checksum(body)).into_bytes();
    bytes.extend_from_slice(body);
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// The body of a file [`write_checked`] wrote with `magic`, when its checksum holds.
pub(crate) fn read_checked(file: &Path, magic: &str) -> Result<Vec<u8>, Unusable> {
    let mut bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Unreadable(e)),
    };
    let (head, body) = split_line(&bytes).ok_or(Unusable::Damaged)?;
    let head = std::str::from_utf8(head).map_err(|_| Unusable::Damaged)?;
    let (found, sum) = head.rsplit_once(' ').ok_or(Unusable::Damaged)?;
    if found != magic {
        return Err(Unusable::OtherLayout);
    }
    if u64::from_str_radix(sum, 16).ok() != Some(checksum(body)) {
        return Err(Unusable::Damaged);
    }
    let at = bytes.len() - body.len();
    bytes.drain(..at);
    Ok(bytes)
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|&b| b == b'\n')?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

/// The hash of the running binary's bytes: a rebuilt `pedon` may render the same sources
/// differently, and its version number does not change between commits. Reading and hashing the
/// 15 MB binary takes a few milliseconds; where it cannot be read, a key no cache has.
pub(crate) fn binary_key() -> u64 {
    let bytes = std::env::current_exe().and_then(std::fs::read);
    match bytes {
        Ok(bytes) => checksum(&bytes),
        Err(_) => {
            let mut h = FxHasher::default();
            std::process::id().hash(&mut h);
            std::time::SystemTime::now().hash(&mut h);
            h.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache saved by one binary, opened by another.
    #[test]
    fn a_cache_of_another_binary_is_ignored_with_a_note() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        std::fs::create_dir(&output).unwrap();
        let (cache, note) = BuildCache::open_as(root.path(), &output, 1);
        assert_eq!(note, None);
        cache.save(&FxHashMap::default()).unwrap();

        let (cache, note) = BuildCache::open_as(root.path(), &output, 1);
        assert_eq!(note, None);
        assert!(cache.previous.is_some(), "the same binary trusts its cache");

        let (cache, note) = BuildCache::open_as(root.path(), &output, 2);
        assert!(cache.previous.is_none());
        let note = note.expect("a note");
        assert!(
            note.contains("was made by another build of pedon"),
            "{note}"
        );
        assert!(note.contains("starts from nothing"), "{note}");
    }

    /// A build into another folder neither trusts the cache nor complains about it: the files
    /// its stamps describe are elsewhere.
    #[test]
    fn a_cache_of_another_output_folder_is_left_quietly() {
        let root = tempfile::tempdir().unwrap();
        let (one, two) = (root.path().join("one"), root.path().join("two"));
        std::fs::create_dir(&one).unwrap();
        std::fs::create_dir(&two).unwrap();
        let (cache, _) = BuildCache::open_as(root.path(), &one, 1);
        cache.save(&FxHashMap::default()).unwrap();
        let (cache, note) = BuildCache::open_as(root.path(), &two, 1);
        assert_eq!(note, None);
        assert!(cache.previous.is_none());
    }

    /// `pedon serve` shows the last build's folder only when the cache is sound, this binary's,
    /// and the folder is still there.
    #[test]
    fn the_last_build_is_found_only_where_it_can_be_trusted() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        std::fs::create_dir(&output).unwrap();
        let (mut cache, _) = BuildCache::open_as(root.path(), &output, 1);
        cache.set_site_key((1, 2, 3), (2026, 12, 5), "/insop/".into());
        cache.save(&FxHashMap::default()).unwrap();
        let last = LastBuild {
            output: output.canonicalize().unwrap(),
            base_path: "/insop/".into(),
        };
        assert_eq!(last_build_as(root.path(), 1), Some(last));
        assert_eq!(last_build_as(root.path(), 2), None, "another binary's");
        let file = root.path().join(DIR).join(FILE);
        let sound = std::fs::read(&file).unwrap();
        let mut damaged = sound.clone();
        *damaged.last_mut().unwrap() ^= 1;
        std::fs::write(&file, damaged).unwrap();
        assert_eq!(last_build_as(root.path(), 1), None, "a damaged cache");
        std::fs::write(&file, sound).unwrap();
        std::fs::remove_dir(&output).unwrap();
        assert_eq!(last_build_as(root.path(), 1), None, "its folder is gone");
    }
}
