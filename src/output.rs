//! The rendered site in memory: output path to bytes. `write` puts it on disk; the preview server
//! serves it straight from memory.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// One output file.
#[derive(Debug, Clone)]
pub enum OutputFile {
    Bytes(Vec<u8>),
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
}
