//! The rendered site in memory: output path to bytes. `write` puts it on disk; the preview server
//! serves it straight from memory.

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
}

/// The whole output of a build, keyed by path relative to the output root (`/` separated).
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, OutputFile>,
}

impl Output {
    pub fn add(&mut self, path: String, bytes: Vec<u8>) {
        self.add_shared(path, Arc::new(bytes));
    }

    pub fn add_shared(&mut self, path: String, bytes: Arc<Vec<u8>>) {
        self.files.insert(path, OutputFile::Bytes(bytes));
    }

    pub fn copy(&mut self, path: String, from: PathBuf) {
        self.files.insert(path, OutputFile::Copy(from));
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

    /// Copies the files of `other` under `dir/` that this output does not have.
    pub fn keep(&mut self, other: &Output, dir: &str) {
        let prefix = format!("{dir}/");
        for (path, file) in other.files.range(prefix.clone()..) {
            if !path.starts_with(&prefix) {
                break;
            }
            self.files
                .entry(path.clone())
                .or_insert_with(|| file.clone());
        }
    }

    /// Paths that differ between two outputs: added, removed or with other contents.
    pub fn changed_paths<'a>(&'a self, other: &'a Output) -> Vec<&'a str> {
        let same = |a: &OutputFile, b: &OutputFile| match (a, b) {
            (OutputFile::Bytes(x), OutputFile::Bytes(y)) => Arc::ptr_eq(x, y) || x == y,
            // The same source file: what is served is read from it on each request.
            (OutputFile::Copy(x), OutputFile::Copy(y)) => x == y,
            _ => false,
        };
        let mut changed: Vec<&str> = self
            .files
            .iter()
            .filter(|(path, file)| other.files.get(*path).is_none_or(|o| !same(file, o)))
            .map(|(path, _)| path.as_str())
            .collect();
        changed.extend(
            other
                .files
                .keys()
                .filter(|path| !self.files.contains_key(*path))
                .map(String::as_str),
        );
        changed
    }
}
