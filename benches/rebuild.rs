//! The incremental rebuild of `pedon serve` without the server: one page of a site edited and the
//! pages rebuilt, twenty times, with the median time of each stage, and the preview of the same
//! edit that `pedon serve` shows before the rebuild ([`pedon::preview_edit`]). The whole edit-to-served path,
//! watcher and HTTP included, is measured by `bench/serve.sh`; this isolates the pipeline so that
//! it can be profiled.
//!
//! Usage: `PEDON_BENCH_SITE=DIR PEDON_BENCH_PAGE=content/x.md cargo bench --bench rebuild`
//! (`PEDON_BENCH_EDITS=N` for more than twenty edits, e.g. under a profiler).

use pedon::{BuildOptions, Cache, build_pages, preview_edit};
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

/// The binary's allocator (src/main.rs), so that the figures are those of `pedon serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let (Ok(site), Ok(page)) = (
        std::env::var("PEDON_BENCH_SITE"),
        std::env::var("PEDON_BENCH_PAGE"),
    ) else {
        eprintln!("set PEDON_BENCH_SITE (a site root) and PEDON_BENCH_PAGE (a page under it)");
        return;
    };
    let root = PathBuf::from(&site).canonicalize().expect("site root");
    let options = BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    };
    let mut cache = Cache::default();
    let started = Instant::now();
    let first = build_pages(&options, &mut cache, &AtomicUsize::new(0));
    assert!(!first.has_errors(), "the site has errors");
    println!(
        "first build: {} pages in {:.2} s",
        first.stats.pages,
        started.elapsed().as_secs_f64()
    );
    let mut last = first;

    let path = root.join(&page);
    let original = std::fs::read_to_string(&path).expect("page");
    let mut stages: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut totals = Vec::new();
    let mut previews = Vec::new();
    let edits: usize = std::env::var("PEDON_BENCH_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    for i in 0..edits {
        std::fs::write(&path, format!("{original}\n\nEdit {i}.\n")).expect("write");
        let started = Instant::now();
        let preview = preview_edit(&last.site, &cache, page.as_ref());
        previews.push((started.elapsed(), preview.map_or(0, |p| p.len())));
        let started = Instant::now();
        cache.load.invalidate(&root, &[PathBuf::from(&page)]);
        let rendered = AtomicUsize::new(0);
        let built = build_pages(&options, &mut cache, &rendered);
        drop(built);
        totals.push(started.elapsed());
        // Stage figures come from a second, identical build's stats.
        cache.load.invalidate(&root, &[PathBuf::from(&page)]);
        let built = build_pages(&options, &mut cache, &AtomicUsize::new(0));
        for (n, (stage, took)) in built.stats.stages.iter().enumerate() {
            if stages.len() <= n {
                stages.push((stage, Vec::new()));
            }
            stages[n].1.push(*took);
        }
        last = built;
    }
    std::fs::write(&path, original).expect("restore");
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    println!(
        "rebuild after editing {page}: median {:.1} ms (build and drop)",
        median(&mut totals)
    );
    for (stage, mut took) in stages {
        println!("  {stage:>8} {:6.1} ms", median(&mut took));
    }
    let shown: Vec<usize> = previews.iter().map(|(_, pages)| *pages).collect();
    let mut took: Vec<Duration> = previews.into_iter().map(|(took, _)| took).collect();
    println!(
        "preview before the rebuild: median {:.1} ms, pages shown per edit {shown:?}",
        median(&mut took)
    );
}
