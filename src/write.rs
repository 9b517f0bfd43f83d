//! Stage 5: put the [`Output`] on disk atomically. Everything is written into a staging folder
//! beside the output, then swapped in with renames, so a failed or killed build leaves the previous
//! output exactly as it was. Staging folders left by a killed build are removed on the next run.

use crate::output::{Output, OutputFile};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

const STAGING: &str = ".pedon-staging-";
const RETIRED: &str = ".pedon-retired-";

/// Writes `output` to `target` as one swap.
pub fn write(output: &Output, target: &Path) -> Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .with_context(|| format!("output path `{}` has no folder name", target.display()))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("failed to create `{}`", parent.display()))?;
    clean_leftovers(&parent, &name);

    let staging = parent.join(format!("{STAGING}{name}-{}", std::process::id()));
    let result = fill(output, &staging).and_then(|()| swap(&staging, target, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(output: &Output, staging: &Path) -> Result<()> {
    std::fs::create_dir_all(staging)
        .with_context(|| format!("failed to create `{}`", staging.display()))?;
    // Folders first, each once: thousands of files share a few dozen.
    let dirs: std::collections::BTreeSet<&str> = output
        .iter()
        .filter_map(|(rel, _)| rel.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in dirs {
        let dir = staging.join(dir);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
    }
    let files: Vec<_> = output.iter().collect();
    files.par_iter().try_for_each(|(rel, file)| -> Result<()> {
        let path = staging.join(rel.as_str());
        match file {
            OutputFile::Bytes(bytes) => std::fs::write(&path, bytes.as_slice()),
            OutputFile::Copy(from) => std::fs::copy(from, &path).map(|_| ()),
        }
        .with_context(|| format!("failed to write `{}`", path.display()))
    })
}

/// Swaps the staging folder in. On Linux one `renameat2(RENAME_EXCHANGE)` replaces the old
/// output in a single step; elsewhere the old output is renamed away first.
fn swap(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<()> {
    if target.exists() && !target.is_dir() {
        bail!(
            "output path `{}` exists and is not a folder",
            target.display()
        );
    }
    if !target.exists() {
        return std::fs::rename(staging, target)
            .with_context(|| format!("failed to move the new site into `{}`", target.display()));
    }
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous output.
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
    let retired = parent.join(format!("{RETIRED}{name}-{}", std::process::id()));
    std::fs::rename(target, &retired)
        .with_context(|| format!("failed to move the old `{}` aside", target.display()))?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&retired, target);
        return Err(e)
            .with_context(|| format!("failed to move the new site into `{}`", target.display()));
    }
    let _ = std::fs::remove_dir_all(&retired);
    Ok(())
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
