//! Stage 5: put the output on disk atomically. Everything is written into a staging folder beside
//! the output, then swapped in with renames, so a failed or killed build leaves the previous output
//! exactly as it was. Staging folders left by a killed build are removed on the next run.
//!
//! `pedon build` writes each file into the staging folder as soon as it is made ([`Staging`],
//! through [`Output::staged`]) instead of holding the whole site until the end: the memory of a
//! build then does not grow with the site's output (2.9 GB at 50,000 pages when it was held).

use crate::build_cache::Stamp;
use crate::output::{Output, OutputFile};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const STAGING: &str = ".pedon-staging-";
const RETIRED: &str = ".pedon-retired-";

/// Writes `output` (held in memory) to `target` as one swap.
pub fn write(output: &Output, target: &Path) -> Result<()> {
    let staging = Staging::begin(target)?;
    let files: Vec<_> = output.iter().collect();
    files.par_iter().for_each(|(rel, file)| match file {
        OutputFile::Bytes(bytes) => staging.put(rel, bytes),
        OutputFile::Copy(from) => staging.copy(rel, from),
        OutputFile::Staged => {}
    });
    staging.commit()?.remove();
    Ok(())
}

/// A build's staging folder, beside the output: files go in as they are made, and
/// [`Staging::commit`] swaps it in. Dropped without a commit (a build that failed), it is removed.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    /// Folders made so far, each made once: thousands of files share a few dozen.
    made: Mutex<FxHashSet<String>>,
    /// The first write that failed (a full disk, a read-only folder): the commit reports it
    /// rather than swap in an incomplete site.
    failed: Mutex<Option<anyhow::Error>>,
    /// Whether the parent folder was made for this build, to be removed again if it fails.
    made_parent: bool,
    /// The stamp of each file put in, for the build cache: it tells the next build that the
    /// file is still the one written now.
    stamps: Mutex<Vec<(String, Stamp)>>,
}

impl Staging {
    /// Makes the staging folder for `target`, after removing what killed builds left beside it.
    pub fn begin(target: &Path) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .with_context(|| format!("output path `{}` has no folder name", target.display()))?
            .to_string_lossy()
            .into_owned();
        let made_parent = !parent.exists();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("failed to create `{}`", parent.display()))?;
        clean_leftovers(&parent, &name);
        let dir = parent.join(format!("{STAGING}{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            parent,
            name,
            made: Mutex::default(),
            failed: Mutex::default(),
            made_parent,
            stamps: Mutex::default(),
        })
    }

    /// Writes one file, `rel` being `/`-separated under the output root. A failure is kept for
    /// [`Staging::commit`].
    pub fn put(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        let written = std::fs::File::create(&path).and_then(|mut file| {
            file.write_all(bytes)?;
            file.metadata()
        });
        match written {
            Ok(metadata) => self.stamp(rel, &metadata),
            Err(e) => self.fail(
                anyhow::Error::new(e).context(format!("failed to write `{}`", path.display())),
            ),
        }
    }

    /// Copies a file as it is (an image, a download).
    pub fn copy(&self, rel: &str, from: &Path) {
        let path = self.path(rel);
        if let Err(e) = std::fs::copy(from, &path) {
            self.fail(
                anyhow::Error::new(e).context(format!("failed to write `{}`", path.display())),
            );
        }
    }

    /// Puts the file at `from` (in the previous output) in as `rel`, if it still has the stamp
    /// the build cache recorded: a hard link, or a copy where links are refused. Returns false,
    /// writing nothing, when it has changed or cannot be taken; the caller then makes it.
    pub fn link(&self, rel: &str, from: &Path, stamp: Stamp) -> bool {
        if !stamp.matches(from) {
            return false;
        }
        let path = self.path(rel);
        if std::fs::hard_link(from, &path).is_ok() {
            if let Ok(mut stamps) = self.stamps.lock() {
                stamps.push((rel.to_string(), stamp));
            }
            return true;
        }
        match std::fs::read(from) {
            Ok(bytes) => {
                self.put(rel, &bytes);
                true
            }
            Err(_) => false,
        }
    }

    /// Removes `rel`, put in or linked, from the staging folder.
    pub fn remove(&self, rel: &str) {
        let _ = std::fs::remove_file(self.path(rel));
    }

    fn stamp(&self, rel: &str, metadata: &std::fs::Metadata) {
        if let Ok(mut stamps) = self.stamps.lock() {
            stamps.push((rel.to_string(), Stamp::of(metadata)));
        }
    }

    /// The stamps of the files put in so far, by path, for the build cache.
    pub fn take_stamps(&self) -> FxHashMap<String, Stamp> {
        let stamps = self.stamps.lock().map(|mut s| std::mem::take(&mut *s));
        stamps.unwrap_or_default().into_iter().collect()
    }

    /// Where `rel` goes, its folder made.
    fn path(&self, rel: &str) -> PathBuf {
        if let Some((dir, _)) = rel.rsplit_once('/') {
            let made = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !made {
                let path = self.dir.join(dir);
                match std::fs::create_dir_all(&path) {
                    Ok(()) => {
                        if let Ok(mut m) = self.made.lock() {
                            m.insert(dir.to_string());
                        }
                    }
                    Err(e) => self.fail(
                        anyhow::Error::new(e)
                            .context(format!("failed to create `{}`", path.display())),
                    ),
                }
            }
        }
        self.dir.join(rel)
    }

    fn fail(&self, error: anyhow::Error) {
        if let Ok(mut failed) = self.failed.lock() {
            failed.get_or_insert(error);
        }
    }

    /// Swaps the staging folder in for the output, unless a write failed. The previous output is
    /// handed back for the caller to remove, at a time of its choosing: at 130,000 files that
    /// removal is a third of a second, which `pedon build` spends while it saves its caches.
    pub fn commit(mut self) -> Result<Retired> {
        if let Some(error) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(error);
        }
        let retired = swap(&self.dir, &self.target, &self.parent, &self.name)?;
        // The staging folder is the output now (or, after an exchange, the previous output,
        // which `Retired` removes): nothing is left for Drop to remove.
        self.dir = PathBuf::new();
        Ok(Retired(retired))
    }
}

/// The previous output after a swap, moved out of the way: removed by [`Retired::remove`], or
/// when dropped.
#[derive(Debug)]
#[must_use = "the previous output is removed when this is dropped"]
pub struct Retired(Option<PathBuf>);

impl Retired {
    /// Removes the previous output, its top-level folders in parallel (one per language, the
    /// search index, the data pages).
    pub fn remove(mut self) {
        if let Some(dir) = self.0.take() {
            remove_tree(&dir);
        }
    }
}

impl Drop for Retired {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            remove_tree(&dir);
        }
    }
}

/// `remove_dir_all`, the folder's entries in parallel. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<_> = entries.flatten().collect();
        entries.par_iter().for_each(|entry| {
            let path = entry.path();
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() && self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
            if self.made_parent {
                // Only if nothing else was put there meanwhile.
                let _ = std::fs::remove_dir(&self.parent);
            }
        }
    }
}

/// Swaps the staging folder in. On Linux one `renameat2(RENAME_EXCHANGE)` replaces the old
/// output in a single step (`staging` then holds the previous output); elsewhere the old output
/// is renamed away first. Returns where the previous output now is, for the caller to remove.
fn swap(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<Option<PathBuf>> {
    if target.exists() && !target.is_dir() {
        bail!(
            "output path `{}` exists and is not a folder",
            target.display()
        );
    }
    if !target.exists() {
        return std::fs::rename(staging, target)
            .map(|()| None)
            .with_context(|| format!("failed to move the new site into `{}`", target.display()));
    }
    if exchange(staging, target).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    let retired = parent.join(format!("{RETIRED}{name}-{}", std::process::id()));
    std::fs::rename(target, &retired)
        .with_context(|| format!("failed to move the old `{}` aside", target.display()))?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&retired, target);
        return Err(e)
            .with_context(|| format!("failed to move the new site into `{}`", target.display()));
    }
    Ok(Some(retired))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Removes staging and retired folders of builds that were killed, and restores the output if a
/// build died between moving it aside and moving the new one in.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let target = parent.join(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = |prefix: &str| {
            file_name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with('-'))
        };
        if ours(RETIRED) && !target.exists() {
            let _ = std::fs::rename(entry.path(), &target);
        } else if ours(STAGING) || ours(RETIRED) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
