//! `pedon build --bundle`: the whole site in one zip, for field laboratories without a network.
//! Unzipped and opened from `file://`, it reads, navigates and searches like the published site:
//! links between pages are relative and name `index.html`, and the search index is loaded with
//! `<script>` tags rather than `fetch` (see [`crate::index`]). So the bundle is the output as it
//! is, under one folder, written atomically beside the output.

use crate::output::{Output, OutputFile};
use crate::time::Timestamp;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// What a bundle holds, for the summary line.
pub struct Bundled {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `output` into the zip file `target`, every entry under `folder/`; files the build
/// already wrote ([`OutputFile::Staged`]) are read from `written`, the output folder. The zip is
/// written to a temporary name and renamed, so a failed run keeps the previous bundle.
pub fn write(output: &Output, written: &Path, target: &Path, folder: &str) -> Result<Bundled> {
    let temporary = target.with_extension(format!("zip.partial-{}", std::process::id()));
    let result = fill(output, written, &temporary, folder).and_then(|files| {
        std::fs::rename(&temporary, target)
            .with_context(|| format!("failed to move the bundle to `{}`", target.display()))?;
        let bytes = std::fs::metadata(target).map_or(0, |m| m.len());
        Ok(Bundled { files, bytes })
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn fill(output: &Output, written: &Path, path: &Path, folder: &str) -> Result<usize> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("failed to create `{}`", path.display()))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    // Every entry carries the build's time: the same sources and SOURCE_DATE_EPOCH give the same
    // bytes. Zip dates cannot precede 1980.
    let (y, mo, d, h, mi, s) = Timestamp::now().civil();
    let stamp = zip::DateTime::from_date_and_time(
        y.clamp(1980, 2107) as u16,
        mo as u8,
        d as u8,
        h as u8,
        mi as u8,
        s as u8,
    )
    .unwrap_or_default();
    let mut count = 0;
    for (rel, entry) in output.iter() {
        let bytes;
        let data: &[u8] = match entry {
            OutputFile::Bytes(b) => b,
            OutputFile::Staged => {
                let from = written.join(rel);
                bytes = std::fs::read(&from)
                    .with_context(|| format!("failed to read `{}`", from.display()))?;
                &bytes
            }
            OutputFile::Copy(from) => {
                bytes = std::fs::read(from)
                    .with_context(|| format!("failed to read `{}`", from.display()))?;
                &bytes
            }
        };
        let method = if already_compressed(rel) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(stamp)
            .unix_permissions(0o644);
        zip.start_file(format!("{folder}/{rel}"), options)
            .with_context(|| format!("failed to add `{rel}` to the bundle"))?;
        zip.write_all(data)
            .with_context(|| format!("failed to write `{rel}` into the bundle"))?;
        count += 1;
    }
    let mut writer = zip.finish().context("failed to finish the bundle")?;
    writer.flush().context("failed to write the bundle")?;
    Ok(count)
}

/// Images and archives gain nothing from deflate; storing them keeps the bundle quick to open.
fn already_compressed(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "woff" | "woff2" | "zip" | "gz" | "pdf"
    )
}
