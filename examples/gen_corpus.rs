//! Writes the benchmark corpus (`bench/corpus.rs`) in the layouts of Pedon, Hugo, Zola and mdBook,
//! and prints its manifest as one line of JSON.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/bench/corpus-1000 --pages 1000
//! cargo run --release --example gen_corpus -- --out /tmp/bench/peers-10000 --pages 10000 \
//!     --min-words 300 --max-words 1200 --layouts neutral,hugo --force
//! ```

#[path = "../bench/corpus.rs"]
mod corpus;

use clap::{CommandFactory, Parser, error::ErrorKind};
use corpus::{Layout, Options};
use std::path::PathBuf;

/// Deterministic benchmark corpus for static site generators: same arguments, same bytes.
#[derive(Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// Output directory (created; must be empty or absent unless --force)
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = Options::default().pages)]
    pages: usize,
    #[arg(long, default_value_t = Options::default().sections)]
    sections: usize,
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    #[arg(long, default_value_t = Options::default().min_words)]
    min_words: usize,
    #[arg(long, default_value_t = Options::default().max_words)]
    max_words: usize,
    /// Comma-separated: mdbook, zola, hugo, neutral
    #[arg(long, value_delimiter = ',', default_value = "mdbook,zola,hugo,neutral", value_parser = parse_layout)]
    layouts: Vec<Layout>,
    /// Delete the output directory first if it holds anything
    #[arg(long)]
    force: bool,
}

fn parse_layout(name: &str) -> Result<Layout, String> {
    Layout::from_name(name).ok_or_else(|| format!("unknown layout {name:?}"))
}

fn main() {
    let args = Args::parse();
    let options = Options {
        pages: args.pages,
        sections: args.sections,
        seed: args.seed,
        min_words: args.min_words,
        max_words: args.max_words,
        layouts: args.layouts,
        force: args.force,
    };
    if let Some(problem) = options.problem() {
        Args::command()
            .error(ErrorKind::ValueValidation, problem)
            .exit();
    }
    match corpus::generate(&args.out, &options) {
        Ok(manifest) => println!(
            "{}",
            serde_json::to_string(&manifest).expect("a manifest serialises")
        ),
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", args.out.display());
            std::process::exit(1);
        }
    }
}
