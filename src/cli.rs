//! The command line: clap types (low level) resolved into [`BuildOptions`] (high level) before
//! any work starts, so library code never sees clap. Exit codes: 0 success, 1 the site has errors,
//! 2 usage or environment error.

use crate::diagnostics::{MessageFormat, render_all};
use crate::{BuildOptions, Built, Cache, build_pages, new_site};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "pedon",
    version,
    about = "Publish a technical manual with data as a static website"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: `public/` under the root].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override `base_url` from pedon.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Also write the whole site as one zip for offline use (opened from file://, search
        /// included) [default path: the output folder's name + `.zip`, beside it].
        #[arg(long, value_name = "ZIP")]
        #[allow(clippy::option_option)]
        bundle: Option<Option<PathBuf>>,
        /// Build everything from nothing: neither read nor write the build cache
        /// (`.pedon/build-cache` under the root), which lets a build take the pages, search
        /// index and data files that nothing changed from the previous output.
        #[arg(long)]
        no_cache: bool,
    },
    /// Check everything `build` validates; write nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Build into memory, serve on 127.0.0.1 and rebuild when a source changes.
    Serve {
        /// Site root (the folder with pedon.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Open files from the browser's error panel in your editor: a command with `{file}`,
        /// `{line}` and `{col}` (`code --goto {file}:{line}:{col}`), or a URL template
        /// (`vscode://file/{file}:{line}:{col}`).
        #[arg(long, value_name = "TEMPLATE")]
        editor: Option<String>,
    },
    /// Create a minimal working site in DIR.
    New {
        /// Folder to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Work with the threshold data under `data/`.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
}

#[derive(Subcommand, Debug)]
enum DataCommand {
    /// Merge a CSV, XLSX or ODS file with the columns of the site's thresholds.csv download into
    /// `data/thresholds/*.yaml`: a dry run that prints the changes, unless `--write`.
    Import {
        /// The file to import (`.csv` in UTF-8, `.xlsx`, `.ods`: its first sheet).
        file: PathBuf,
        /// Site root (the folder with pedon.toml and data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the merge into the YAML files (never deletes a record).
        #[arg(long)]
        write: bool,
    },
}

#[derive(Args, Debug)]
struct SiteArgs {
    /// Site root (the folder with pedon.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Fail the build on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {e}");
            for cause in e.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Data {
            command: DataCommand::Import { file, root, write },
        } => {
            let root = check_root(&root)?;
            if !file.is_file() {
                bail!("`{}` is not a file", file.display());
            }
            let shown = file.display().to_string();
            match crate::import::import(&root, &file, write) {
                Ok(summary) => {
                    print!("{}", summary.report(write));
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    let mut stderr = std::io::stderr().lock();
                    for p in &problems {
                        let _ = writeln!(stderr, "{}", p.render(&shown));
                    }
                    let _ = writeln!(
                        stderr,
                        "error: {} problem(s) in {shown}; nothing was written",
                        problems.len()
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Build {
            site,
            output,
            base_url,
            timings,
            bundle,
            no_cache,
        } => {
            let started = std::time::Instant::now();
            let root = check_root(&site.root)?;
            let output_dir = output.unwrap_or_else(|| root.join(configured_output(&root)));
            check_output_dir(&root, &output_dir)?;
            let options = BuildOptions {
                root: root.clone(),
                base_url,
                drafts: site.drafts,
                now: None,
                staging: None,
            };
            let writing = std::time::Instant::now();
            let folder = with_progress(|progress| {
                crate::build_into(
                    &options,
                    &output_dir,
                    !no_cache,
                    site.deny_warnings,
                    progress,
                )
            })?;
            for note in &folder.notes {
                eprintln!("note: {note}");
            }
            let built = folder.built;
            report(&built, &site);
            if !folder.written {
                eprintln!(
                    "error: build failed with {}; `{}` was left untouched",
                    counts(&built),
                    output_dir.display()
                );
                return Ok(ExitCode::from(1));
            }
            let reused = folder.reused;
            let bundled = match bundle {
                None => None,
                Some(path) => {
                    let path = path.unwrap_or_else(|| output_dir.with_extension("zip"));
                    let folder = path
                        .file_stem()
                        .map_or("site".into(), |s| s.to_string_lossy().into_owned());
                    let b = crate::bundle::write(&built.output, &output_dir, &path, &folder)?;
                    Some((path, b))
                }
            };
            if timings {
                let stages = built.stats.stages.iter().copied();
                let write = writing.elapsed().saturating_sub(built.stats.elapsed);
                for (stage, took) in stages.chain([("write", write)]) {
                    eprintln!("{stage:>8} {:8.1} ms", took.as_secs_f64() * 1e3);
                }
            }
            let reused = match reused {
                0 => String::new(),
                n => format!(", {n} unchanged files taken from the last build"),
            };
            eprintln!(
                "Built {} pages ({} sections), {} data records ({} files{reused}) in {:.2} s into `{}`{}",
                built.stats.pages,
                built.stats.sections,
                built.stats.data_records,
                built.stats.files,
                started.elapsed().as_secs_f64(),
                output_dir.display(),
                warnings_suffix(&built),
            );
            if let Some((path, b)) = bundled {
                eprintln!(
                    "Bundled {} files ({:.1} MB) into `{}`: unzip it and open index.html, no network needed",
                    b.files,
                    b.bytes as f64 / 1e6,
                    path.display()
                );
            }
            // The process ends here: freeing the model and what was written (tens of thousands of
            // pages, strings and maps) one allocation at a time took 60 ms at 10,000 pages, after
            // the build was done. The system takes the memory back at once.
            std::mem::forget(built);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { site } => {
            let root = check_root(&site.root)?;
            let options = BuildOptions {
                root,
                drafts: site.drafts,
                ..BuildOptions::default()
            };
            // Everything but the search index, which cannot fail.
            let built = build_pages(&options, &mut Cache::one_off(), &AtomicUsize::new(0));
            if report(&built, &site) {
                eprintln!("error: check found {}", counts(&built));
                return Ok(ExitCode::from(1));
            }
            eprintln!(
                "Checked {} pages ({} sections), {} data records in {:.2} s: no errors{}",
                built.stats.pages,
                built.stats.sections,
                built.stats.data_records,
                built.stats.elapsed.as_secs_f64(),
                warnings_suffix(&built),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            editor,
        } => {
            let root = check_root(&root)?;
            crate::serve::serve(&crate::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
                editor,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New { dir } => {
            new_site::create(&dir)?;
            let shown = dir.display();
            let mut message = format!("Created a new site in `{shown}`:\n");
            for rel in new_site::files() {
                message.push_str(&format!("  {shown}/{rel}\n"));
            }
            message.push_str(&format!(
                "Next:\n  cd {shown}\n  pedon serve --open    preview it at http://127.0.0.1:1111/, rebuilt each time you save\n  pedon build           write it to public/, for any static host\n"
            ));
            eprint!("{message}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check_root(root: &Path) -> Result<PathBuf> {
    if !root.is_dir() {
        bail!("site root `{}` is not a readable folder", root.display());
    }
    std::fs::read_dir(root)
        .with_context(|| format!("cannot read site root `{}`", root.display()))?;
    Ok(root.to_path_buf())
}

/// Refuses an output folder that is the root or contains it: the swap would replace the sources.
/// The output folder `pedon.toml` names (`[build] output`), read before the build so that pages
/// can be written as they are rendered. A `pedon.toml` the build refuses fails the build, so what
/// is read here of a broken one is never used.
fn configured_output(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("pedon.toml")).unwrap_or_default();
    crate::config::Config::salvage(&text).build.output
}

fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out = absolute(output);
    if root.starts_with(&out) {
        bail!(
            "output folder `{}` contains the site root; choose a folder inside it, like `public`",
            output.display()
        );
    }
    for source in ["content", "data", "themes", "static"] {
        if out.starts_with(root.join(source)) {
            bail!(
                "output folder `{}` is inside `{source}/`; choose another",
                output.display()
            );
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalise the existing part so `..` and symlinks compare correctly.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// Prints the diagnostics; true when the build must fail.
fn report(built: &Built, site: &SiteArgs) -> bool {
    let text = render_all(
        built.diagnostics.iter(),
        built.sources(),
        site.message_format,
    );
    // As cargo does: data for tools on stdout, words for people (the summary) on stderr.
    let _ = match site.message_format {
        MessageFormat::Json => std::io::stdout().lock().write_all(text.as_bytes()),
        _ => std::io::stderr().lock().write_all(text.as_bytes()),
    };
    let deny = site.deny_warnings || built.config().build.deny_warnings;
    built.has_errors() || (deny && built.diagnostics.warnings() > 0)
}

fn counts(built: &Built) -> String {
    let e = built.diagnostics.errors();
    let w = built.diagnostics.warnings();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (e, w) {
        (_, 0) => plural(e, "error"),
        (0, _) => plural(w, "warning") + " (denied)",
        _ => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn warnings_suffix(built: &Built) -> String {
    match built.diagnostics.warnings() {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

/// Builds, showing `Rendering N/M pages` on a terminal when the build takes more than a second.
fn with_progress<T>(run: impl FnOnce(&AtomicUsize) -> T) -> T {
    let progress = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let ticker = std::io::stderr().is_terminal().then(|| {
        let (progress, done) = (Arc::clone(&progress), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut waited = Duration::ZERO;
            let mut shown = false;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                waited += Duration::from_millis(100);
                if waited >= Duration::from_secs(1) {
                    eprint!("\rRendering… {} pages", progress.load(Ordering::Relaxed));
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        })
    });
    let result = run(&progress);
    done.store(true, Ordering::Relaxed);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    result
}
