//! Writes the benchmark corpus (`bench/corpus.rs`) in the layouts of Pedon, Hugo, Zola and mdBook,
//! or with `--shape site` the same manual laid out as the real site is (`bench/site.rs`: six
//! languages, translations, SOPs, events, a threshold database), and prints its manifest as one
//! line of JSON.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/bench/corpus-1000 --pages 1000
//! cargo run --release --example gen_corpus -- --out /tmp/bench/peers-10000 --pages 10000 \
//!     --min-words 300 --max-words 1200 --layouts neutral,hugo --force
//! cargo run --release --example gen_corpus -- --out /tmp/bench/site-10000 --shape site
//! ```

#[path = "../bench/corpus.rs"]
mod corpus;

use clap::{CommandFactory, Parser, ValueEnum, error::ErrorKind};
use corpus::site::SiteOptions;
use corpus::{Layout, Options};
use std::path::PathBuf;

/// Deterministic benchmark corpus for static site generators: same arguments, same bytes.
#[derive(Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// Output directory (created; must be empty or absent unless --force)
    #[arg(long)]
    out: PathBuf,
    /// `manual`: one language, in every layout; `site`: the real site's shape, for Pedon only
    /// (written to OUT/site)
    #[arg(long, value_enum, default_value_t = Shape::Manual)]
    shape: Shape,
    /// [default: 1000; 10000 with --shape site]
    #[arg(long)]
    pages: Option<usize>,
    #[arg(long, default_value_t = Options::default().sections)]
    sections: usize,
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    /// [default: 800; 300 with --shape site, as the 10,000-page corpus of bench/compare.sh]
    #[arg(long)]
    min_words: Option<usize>,
    /// [default: 3000; 1200 with --shape site]
    #[arg(long)]
    max_words: Option<usize>,
    /// Comma-separated: mdbook, zola, hugo, neutral (manual shape only)
    #[arg(long, value_delimiter = ',', default_value = "mdbook,zola,hugo,neutral", value_parser = parse_layout)]
    layouts: Vec<Layout>,
    /// Site shape: share of pages translated into the five other languages
    #[arg(long, default_value_t = SiteOptions::default().translated)]
    translated: f64,
    /// Site shape: share of translated pages whose translations are partly out of date
    #[arg(long, default_value_t = SiteOptions::default().stale)]
    stale: f64,
    /// Site shape: threshold records in the database
    #[arg(long, default_value_t = SiteOptions::default().records)]
    records: usize,
    /// Site shape: jurisdictions the records are spread over
    #[arg(long, default_value_t = SiteOptions::default().jurisdictions)]
    jurisdictions: usize,
    /// Site shape: contaminants of the database
    #[arg(long, default_value_t = SiteOptions::default().contaminants)]
    contaminants: usize,
    /// Delete the output directory first if it holds anything
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Shape {
    Manual,
    Site,
}

fn parse_layout(name: &str) -> Result<Layout, String> {
    Layout::from_name(name).ok_or_else(|| format!("unknown layout {name:?}"))
}

fn main() {
    let args = Args::parse();
    let site = args.shape == Shape::Site;
    let defaults = Options::default();
    let options = Options {
        pages: args
            .pages
            .unwrap_or(if site { 10_000 } else { defaults.pages }),
        sections: args.sections,
        seed: args.seed,
        min_words: args
            .min_words
            .unwrap_or(if site { 300 } else { defaults.min_words }),
        max_words: args
            .max_words
            .unwrap_or(if site { 1200 } else { defaults.max_words }),
        layouts: args.layouts,
        force: args.force,
    };
    let site_options = SiteOptions {
        translated: args.translated,
        stale: args.stale,
        records: args.records,
        jurisdictions: args.jurisdictions,
        contaminants: args.contaminants,
    };
    let problem = match site {
        true => options.problem().or_else(|| site_options.problem(&options)),
        false => options.problem(),
    };
    if let Some(problem) = problem {
        Args::command()
            .error(ErrorKind::ValueValidation, problem)
            .exit();
    }
    let manifest = match site {
        true => corpus::site::generate_site(&args.out, &options, &site_options)
            .map(|m| serde_json::to_string(&m)),
        false => corpus::generate(&args.out, &options).map(|m| serde_json::to_string(&m)),
    };
    match manifest {
        Ok(json) => println!("{}", json.expect("a manifest serialises")),
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", args.out.display());
            std::process::exit(1);
        }
    }
}
