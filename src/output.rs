//! The rendered site in memory: output path to bytes. `write` puts it on disk; the preview server
//! serves it straight from memory. `pedon build` makes it [`Output::staged`]: each file goes to
//! disk as it is added and only its path is kept.

use crate::write::Staging;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// One output file.
#[derive(Debug, Clone)]
pub enum OutputFile {
    /// Shared, so that the preview server's cache and the output hold one copy of a page.
    Bytes(Arc<Vec<u8>>),
    /// A file copied as it is (images, downloads): read when written or served, not held in memory.
    Copy(PathBuf),
    /// Already written into the build's staging folder ([`Output::staged`]): read it from the
    /// output folder once the build is written.
    Staged,
}

/// The whole output of a build, keyed by path relative to the output root (`/` separated).
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, OutputFile>,
    /// Where files go as they are added, when they are not held.
    staging: Option<Arc<Staging>>,
}

impl Output {
    /// An output that writes every file into `staging` as it is added and keeps only its path:
    /// a build's memory then does not grow with what it writes.
    pub fn staged(staging: Arc<Staging>) -> Output {
        Output {
            files: BTreeMap::new(),
            staging: Some(staging),
        }
    }

    /// The staging folder files are written into, for a stage that writes its files from many
    /// threads before adding them with [`Output::add_staged`].
    pub fn staging(&self) -> Option<Arc<Staging>> {
        self.staging.clone()
    }

    pub fn add(&mut self, path: String, bytes: Vec<u8>) {
        self.add_shared(path, Arc::new(bytes));
    }

    pub fn add_shared(&mut self, path: String, bytes: Arc<Vec<u8>>) {
        let file = match &self.staging {
            Some(staging) => {
                staging.put(&path, &bytes);
                OutputFile::Staged
            }
            None => OutputFile::Bytes(bytes),
        };
        self.files.insert(path, file);
    }

    /// A file already written into [`Output::staging`].
    pub fn add_staged(&mut self, path: String) {
        self.files.insert(path, OutputFile::Staged);
    }

    /// Adds many files at once: the pages of a 10,000-page site are sorted and put in the map in
    /// one pass rather than inserted one by one (on every rebuild of `pedon serve`), or written
    /// in parallel when staged.
    pub fn add_all(&mut self, files: Vec<(String, Arc<Vec<u8>>)>) {
        let files: Vec<(String, OutputFile)> = match &self.staging {
            Some(staging) => files
                .into_par_iter()
                .map(|(p, b)| {
                    staging.put(&p, &b);
                    (p, OutputFile::Staged)
                })
                .collect(),
            None => files
                .into_iter()
                .map(|(p, b)| (p, OutputFile::Bytes(b)))
                .collect(),
        };
        if self.files.is_empty() {
            self.files = files.into_iter().collect();
        } else {
            self.files.extend(files);
        }
    }

    pub fn copy(&mut self, path: String, from: PathBuf) {
        let file = match &self.staging {
            Some(staging) => {
                staging.copy(&path, &from);
                OutputFile::Staged
            }
            None => OutputFile::Copy(from),
        };
        self.files.insert(path, file);
    }

    /// Gives up the staging folder: the caller commits it ([`Staging::commit`]) once no one
    /// else holds it.
    pub fn take_staging(&mut self) -> Option<Arc<Staging>> {
        self.staging.take()
    }

    /// Keeps only the files whose path `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    /// Adds every file of `other`, sharing its bytes.
    pub fn extend_from(&mut self, other: &Output) {
        debug_assert!(self.staging.is_none(), "an output in memory only");
        (self.files).extend(other.files.iter().map(|(p, f)| (p.clone(), f.clone())));
    }

    /// The paths that start with `prefix` (a folder, ending in `/`), in order.
    pub fn paths_under(&self, prefix: &str) -> Vec<String> {
        use std::ops::Bound;
        (self
            .files
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded)))
        .take_while(|(path, _)| path.starts_with(prefix))
        .map(|(path, _)| path.clone())
        .collect()
    }

    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &OutputFile)> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Paths that differ between two outputs: added, removed or with other contents, in order.
    /// One pass over both (the maps are sorted), so a rebuild of a large site compares in
    /// microseconds the pages it shares with the last one.
    pub fn changed_paths<'a>(&'a self, other: &'a Output) -> impl Iterator<Item = &'a str> + 'a {
        let same = |a: &OutputFile, b: &OutputFile| match (a, b) {
            (OutputFile::Bytes(x), OutputFile::Bytes(y)) => Arc::ptr_eq(x, y) || x == y,
            // The same source file: what is served is read from it on each request.
            (OutputFile::Copy(x), OutputFile::Copy(y)) => x == y,
            _ => false,
        };
        let mut ours = self.files.iter().peekable();
        let mut theirs = other.files.iter().peekable();
        std::iter::from_fn(move || {
            loop {
                let path = match (ours.peek(), theirs.peek()) {
                    (None, None) => return None,
                    (Some(_), None) => ours.next()?.0,
                    (None, Some(_)) => theirs.next()?.0,
                    (Some((a, _)), Some((b, _))) => match a.cmp(b) {
                        std::cmp::Ordering::Less => ours.next()?.0,
                        std::cmp::Ordering::Greater => theirs.next()?.0,
                        std::cmp::Ordering::Equal => {
                            let (path, a) = ours.next()?;
                            let (_, b) = theirs.next()?;
                            if same(a, b) {
                                continue;
                            }
                            path
                        }
                    },
                };
                return Some(path.as_str());
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Output;

    #[test]
    fn changed_paths_are_the_added_removed_and_different_files() {
        let mut a = Output::default();
        let mut b = Output::default();
        let shared = std::sync::Arc::new(b"same".to_vec());
        a.add_shared("a.html".into(), shared.clone());
        b.add_shared("a.html".into(), shared);
        a.add("b.html".into(), b"equal".to_vec());
        b.add("b.html".into(), b"equal".to_vec());
        a.add("c.css".into(), b"old".to_vec());
        b.add("c.css".into(), b"new".to_vec());
        a.add("d.html".into(), Vec::new());
        b.add("e.html".into(), Vec::new());
        a.copy("f.png".into(), "x.png".into());
        b.copy("f.png".into(), "x.png".into());
        b.copy("g.png".into(), "y.png".into());
        let changed: Vec<&str> = a.changed_paths(&b).collect();
        assert_eq!(changed, ["c.css", "d.html", "e.html", "g.png"]);
        assert_eq!(b.changed_paths(&a).count(), 4);
        assert_eq!(a.changed_paths(&a).count(), 0);
    }
}
