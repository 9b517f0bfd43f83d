//! The benchmark corpus: one technical-manual-like book of Markdown pages (headings, lists, a
//! table, code blocks, cross links, emphasis and an image per page), written in the layout of each
//! generator we compare ourselves with, so that Pedon, Hugo, Zola and mdBook are timed side by side
//! on the same text:
//!
//! ```text
//! OUT/mdbook/   book.toml (search on) + src/SUMMARY.md + src/<section>/...
//! OUT/zola/     config.toml (build_search_index = true) + content/ + templates/
//! OUT/hugo/     config.toml + content/ + layouts/ (JSON search index output)
//! OUT/neutral/  content/<section>/<page>.md with YAML front matter (title, weight),
//!               content/<section>/_index.md, static/images/   (what Pedon builds)
//! OUT/manifest.json
//! ```
//!
//! Only link and image syntax differ between layouts (each tool's idiomatic, checked form where it
//! has one) and the front matter (TOML for Zola; none for mdBook, whose pages start with an
//! `# Title` line instead); the prose, headings, lists, tables and code are byte-identical.
//!
//! It is the Rust port of the team's former `gen_corpus.py` and keeps its shape: the same
//! vocabulary and word weights, page sizes, block mix and proportions (a table on every page, a
//! code block on every third page, three to five cross links), so that timings taken with either
//! remain comparable. The bytes differ from the Python's (its Mersenne Twister is not reproduced),
//! but are fixed by the arguments: the one random stream is ChaCha8 keyed by the seed, whose output
//! is defined by the cipher, and every draw from it is mapped to a value by the small functions of
//! [`Draw`], not by a library whose sampling may change between versions.
//!
//! Used by `examples/gen_corpus.rs` (the command line) and, in-process, by the tests. The same
//! manual laid out as the real site is (six languages, SOPs, events, a threshold database) is
//! [`site`]'s, which only Pedon builds.

#[path = "site.rs"]
pub mod site;

use chacha20::ChaCha8Rng;
use chacha20::rand_core::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// What to generate. [`Options::default`] is the 1,000-page corpus of the benchmarks.
#[derive(Clone, Debug)]
pub struct Options {
    pub pages: usize,
    pub sections: usize,
    pub seed: u64,
    /// Each page's length is drawn between these (words of prose, tables and lists; code excluded).
    pub min_words: usize,
    pub max_words: usize,
    pub layouts: Vec<Layout>,
    /// Delete the output folder first if it holds anything.
    pub force: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            pages: 1000,
            sections: 10,
            seed: 20240611,
            min_words: 800,
            max_words: 3000,
            layouts: Layout::ALL.to_vec(),
            force: false,
        }
    }
}

impl Options {
    /// Why these options cannot make a corpus, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if self.pages < 1 || self.sections < 1 || self.sections > self.pages {
            Some("need 1 <= sections <= pages".into())
        } else if self.min_words > self.max_words {
            Some("need min-words <= max-words".into())
        } else if self.layouts.is_empty() {
            Some("need at least one layout".into())
        } else {
            None
        }
    }
}

/// One generator's folder layout and Markdown dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Mdbook,
    Zola,
    Hugo,
    Neutral,
}

impl Layout {
    pub const ALL: [Layout; 4] = [Layout::Mdbook, Layout::Zola, Layout::Hugo, Layout::Neutral];

    pub fn name(self) -> &'static str {
        match self {
            Layout::Mdbook => "mdbook",
            Layout::Zola => "zola",
            Layout::Hugo => "hugo",
            Layout::Neutral => "neutral",
        }
    }

    pub fn from_name(name: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Where the Markdown goes, under the layout's folder.
    fn content_root(self) -> &'static str {
        match self {
            Layout::Mdbook => "src",
            _ => "content",
        }
    }

    /// Where the images go: mdBook copies everything under `src/`, the others serve `static/`.
    fn static_root(self) -> &'static str {
        match self {
            Layout::Mdbook => "src",
            _ => "static",
        }
    }

    /// A cross link in the form each tool checks: a relative `.md` path for mdBook and Pedon,
    /// Zola's `@/` internal link, Hugo's `relref` shortcode.
    fn link(self, out: &mut String, target: &Page, text: &str) {
        let (dir, file) = (&target.dir, &target.file);
        match self {
            Layout::Mdbook | Layout::Neutral => write!(out, "[{text}](../{dir}/{file})"),
            Layout::Zola => write!(out, "[{text}](@/{dir}/{file})"),
            Layout::Hugo => write!(out, "[{text}]({{{{< relref \"/{dir}/{file}\" >}}}})"),
        }
        .expect("writing to a String");
    }

    /// An image reference: root-relative where the tool serves `static/` at the root.
    fn image(self, out: &mut String, number: usize, alt: &str) {
        let prefix = match self {
            Layout::Mdbook => "../images",
            _ => "/images",
        };
        write!(out, "![{alt}]({prefix}/fig-{number:02}.png)").expect("writing to a String");
    }

    /// The start of a page: front matter with title and weight, or mdBook's `# Title`.
    fn page_header(self, title: &str, weight: usize) -> String {
        let title_str = quoted(title);
        match self {
            Layout::Mdbook => format!("# {title}\n\n"),
            Layout::Zola => format!("+++\ntitle = {title_str}\nweight = {weight}\n+++\n\n"),
            Layout::Hugo | Layout::Neutral => {
                format!("---\ntitle: {title_str}\nweight: {weight}\n---\n\n")
            }
        }
    }

    /// A section's own page (its title, order and introduction), relative to the content root.
    fn section_index(self, section: &Section, weight: usize) -> (String, String) {
        let (name, intro) = (&section.name, &section.intro);
        let title = quoted(name);
        match self {
            Layout::Mdbook => ("index.md".into(), format!("# {name}\n\n{intro}\n")),
            Layout::Zola => (
                "_index.md".into(),
                format!(
                    "+++\ntitle = {title}\nweight = {weight}\nsort_by = \"weight\"\n+++\n\n{intro}\n"
                ),
            ),
            Layout::Hugo | Layout::Neutral => (
                "_index.md".into(),
                format!("---\ntitle: {title}\nweight: {weight}\n---\n\n{intro}\n"),
            ),
        }
    }
}

/// What was generated, also written to `OUT/manifest.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub generator: &'static str,
    pub seed: u64,
    pub pages: usize,
    pub sections: usize,
    pub words_min: usize,
    pub words_max: usize,
    pub total_words: usize,
    pub pages_with_code: usize,
    /// Bytes of every page of the neutral layout, front matter included (section indexes not).
    pub neutral_markdown_bytes: usize,
    /// CRC-32 of every page body as the neutral layout writes it, whichever layouts were written:
    /// tells two corpora apart without a diff (an identity, not a security property, hence no
    /// cryptographic hash).
    pub body_crc32: String,
    pub layouts: Vec<&'static str>,
    /// The page the incremental (watch/serve) benchmark edits: the middle one.
    pub touch_page: TouchPage,
}

#[derive(Clone, Debug, Serialize)]
pub struct TouchPage {
    pub section_dir: String,
    pub file: String,
    pub title: String,
}

/// Writes the corpus under `out` (absent or empty, or anything with `force`) and returns its
/// manifest. Same options, same bytes.
pub fn generate(out: &Path, options: &Options) -> io::Result<Manifest> {
    if let Some(problem) = options.problem() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, problem));
    }
    prepare_output(out, options.force)?;
    let vocabulary = Vocabulary::new(options.seed ^ 0x5EED);
    let mut g = Gen::new(options.seed, &vocabulary);
    let (mut sections, pages) = plan(&mut g, options);
    let files = Files {
        out,
        layouts: &options.layouts,
    };
    write_sections(&files, &mut g, &mut sections)?;
    let totals = write_pages(&files, &mut g, &pages, options)?;
    write_images(&files)?;
    for &layout in files.layouts {
        write_scaffolding(&files, layout, &sections, &pages)?;
    }
    let manifest = Manifest::new(options, &totals, &pages[options.pages / 2]);
    let json = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
    std::fs::write(out.join("manifest.json"), json + "\n")?;
    Ok(manifest)
}

impl Manifest {
    fn new(options: &Options, totals: &Totals, touched: &Page) -> Manifest {
        Manifest {
            generator: "bench/corpus.rs",
            seed: options.seed,
            pages: options.pages,
            sections: options.sections,
            words_min: options.min_words,
            words_max: options.max_words,
            total_words: totals.words,
            pages_with_code: totals.code_pages,
            neutral_markdown_bytes: totals.neutral_bytes,
            body_crc32: format!("{:08x}", totals.crc.sum()),
            layouts: options.layouts.iter().map(|l| l.name()).collect(),
            touch_page: TouchPage {
                section_dir: touched.dir.clone(),
                file: touched.file.clone(),
                title: touched.title.clone(),
            },
        }
    }
}

/// What the manifest says of the pages, summed as they are written.
struct Totals {
    words: usize,
    code_pages: usize,
    neutral_bytes: usize,
    crc: flate2::Crc,
}

/// Each section's introduction (drawn from the same stream, before the pages) and its own page.
fn write_sections(files: &Files, g: &mut Gen, sections: &mut [Section]) -> io::Result<()> {
    for (si, section) in sections.iter_mut().enumerate() {
        section.intro = g.paragraph(3, 6).0;
        for &layout in files.layouts {
            let (file, text) = layout.section_index(section, si + 1);
            files.write(layout, layout.content_root(), &[&section.dir, &file], text)?;
        }
    }
    Ok(())
}

/// Every page, drawn once and written in each layout.
fn write_pages(
    files: &Files,
    g: &mut Gen,
    pages: &[Page],
    options: &Options,
) -> io::Result<Totals> {
    let mut totals = Totals {
        words: 0,
        code_pages: 0,
        neutral_bytes: 0,
        crc: flate2::Crc::new(),
    };
    for page in pages {
        let links = g.link_targets(page, options);
        let target_words = g.rng.int(options.min_words, options.max_words);
        let (body, words) = page_body(g, page.index, target_words, links, pages);
        totals.words += words;
        totals.code_pages += usize::from(wants_code(page.index));
        let neutral = body.render(Layout::Neutral, pages);
        totals.crc.update(neutral.as_bytes());
        for &layout in files.layouts {
            let rendered = match layout {
                Layout::Neutral => neutral.clone(),
                _ => body.render(layout, pages),
            };
            let text = layout.page_header(&page.title, page.weight) + &rendered;
            if layout == Layout::Neutral {
                totals.neutral_bytes += text.len();
            }
            let parts = [page.dir.as_str(), page.file.as_str()];
            files.write(layout, layout.content_root(), &parts, text)?;
        }
    }
    Ok(totals)
}

/// Refuses to write into a folder that holds something, unless told to delete it first: a
/// mistyped `--out` must not mix a corpus into other files.
fn prepare_output(out: &Path, force: bool) -> io::Result<()> {
    let occupied = match std::fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    if occupied {
        if !force {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the folder is not empty (--force replaces it)",
            ));
        }
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)
}

/// Where files go: `out/<layout>/<root>/<parts...>`.
struct Files<'a> {
    out: &'a Path,
    layouts: &'a [Layout],
}

impl Files<'_> {
    fn path(&self, layout: Layout, root: &str, parts: &[&str]) -> PathBuf {
        let mut path = self.out.join(layout.name());
        if !root.is_empty() {
            path.push(root);
        }
        path.extend(parts);
        path
    }

    fn write(
        &self,
        layout: Layout,
        root: &str,
        parts: &[&str],
        data: impl AsRef<[u8]>,
    ) -> io::Result<()> {
        let path = self.path(layout, root, parts);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, data)
    }
}

// --------------------------------------------------------------------------------------------
// Random draws
// --------------------------------------------------------------------------------------------

/// The corpus's one source of randomness and the only place a random word becomes a value, so
/// that the output is fixed by ChaCha8's definition and these few lines.
struct Draw(ChaCha8Rng);

impl Draw {
    /// ChaCha8 keyed by the seed's little-endian bytes (rest of the key zero), stream 0: defined
    /// by the cipher, unlike a seed expansion a library may change.
    fn new(seed: u64) -> Draw {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        Draw(ChaCha8Rng::from_seed(key))
    }

    /// Uniform in [0, 1), from the top 53 bits of one output word.
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n) by the high half of a 64×64-bit product; the bias, under n / 2^64, is
    /// far below anything a corpus of words could show.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in [lo, hi], both included (Python's `randint`).
    fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

// --------------------------------------------------------------------------------------------
// Vocabulary
// --------------------------------------------------------------------------------------------

const FUNCTION_WORDS: &str = "
the of and in to a is for with by on are be as from that this which at or
should may each an it not can into its all these when than must between
per under after before during their other where both such only also been
has have was were more most shall within without through across over using
";

/// Soil-science, contaminant and laboratory terms: the words a reader of a soil-pollution manual
/// actually searches for.
const SOIL_TERMS: &str = "
soil soils pedon horizon topsoil subsoil bedrock regolith parent material
clay silt sand loam loamy sandy clayey texture structure aggregate aggregates
porosity bulk density infiltration permeability drainage leaching runoff
erosion sediment sediments groundwater porewater rhizosphere humus organic
carbon nitrogen phosphorus potassium sulfur calcium magnesium sodium
cation anion exchange capacity CEC pH redox salinity sodicity alkalinity
acidity liming gypsum carbonate oxide oxides hydroxide iron manganese
aluminium sorption desorption adsorption partitioning speciation mobility
bioavailability bioaccessibility uptake accumulation bioaccumulation
contaminant contaminants pollutant pollutants pollution polluted
contamination hotspot background baseline threshold thresholds guideline
screening intervention limit limits value values trigger
cadmium lead arsenic mercury chromium copper nickel zinc cobalt antimony
selenium thallium vanadium molybdenum barium beryllium tin uranium
pesticide pesticides herbicide insecticide fungicide glyphosate atrazine
chlorpyrifos DDT DDE lindane endosulfan dieldrin aldrin heptachlor
PFAS PFOS PFOA PAH PAHs PCB PCBs dioxins furans hydrocarbons microplastics
antibiotics residues obsolete stockpiles
sampling sample samples composite increment auger corer core cores grid
transect stratified random systematic depth profile plot field site
sieving drying grinding homogenization subsample subsampling splitting
digestion extraction aqua regia nitric hydrochloric hydrofluoric acid
EDTA DTPA CaCl2 leachate leachates filtrate microwave hotplate
ICP-MS ICP-OES AAS XRF GC-MS LC-MS chromatography spectrometry
spectroscopy calibration standard standards reagent reagents blank blanks
replicate replicates duplicate spike recovery certified reference CRM
detection quantification LOD LOQ uncertainty accuracy precision bias
validation proficiency laboratory laboratories SOP SOPs GLOSOLAN INSOP
assessment mapping monitoring reporting remediation phytoremediation
stabilization immobilization excavation washing amendment biochar compost
risk exposure receptor pathway ingestion inhalation dermal ecotoxicity
toxicity human health ecosystem ecosystems food chain crop crops
agricultural cropland grassland forest urban industrial mining residential
land use geostatistics kriging variogram interpolation raster GIS
database inventory indicator indicators legislation regulation country
region national global harmonized harmonization survey dataset metadata
";

/// Syllables of the made-up long tail (the repeated `ru` is in the original list too).
const SYLLABLES: &str = "
ka lo mi ne ru ta so ve pi do ga le mu ri sa no te bi fa ho ze lu ma di
ko re ni va pu se to la fe gi mo na ru ti bo ce du ha pe qui ro ste
tra pli gro ven lar mor sil ped hum ox nit ter cal
";

/// How many made-up words follow the real ones: a long tail of rare terms, as a search index of a
/// real manual has.
const SYNTHETIC_WORDS: usize = 6000;

/// Words with Zipf-like weights: frequent function words, then the domain terms, then the tail.
struct Vocabulary {
    words: Vec<String>,
    /// Running sums of the weights, for a draw by bisection.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// Its own stream, so that the vocabulary does not depend on the length of anything drawn
    /// before it.
    fn new(seed: u64) -> Vocabulary {
        let mut rng = Draw::new(seed);
        let mut words = Vec::new();
        let mut weights = Vec::new();
        for (rank, w) in FUNCTION_WORDS.split_whitespace().enumerate() {
            words.push(w.to_string());
            weights.push(60.0 / (1.0 + rank as f64 * 0.15));
        }
        for (rank, w) in SOIL_TERMS.split_whitespace().enumerate() {
            words.push(w.to_string());
            weights.push(6.0 / (1.0 + rank as f64 * 0.01));
        }
        let syllables: Vec<&str> = SYLLABLES.split_whitespace().collect();
        let mut seen: HashSet<String> = words.iter().cloned().collect();
        let mut made = 0;
        while made < SYNTHETIC_WORDS {
            let n = *rng.pick(&[2, 2, 3, 3, 3, 4]);
            let word: String = (0..n).map(|_| *rng.pick(&syllables)).collect();
            if seen.insert(word.clone()) {
                words.push(word);
                // powf is the only libm call behind the output; its last-bit differences between
                // platforms could move a word boundary by one ulp, which no draw is likely to hit.
                weights.push(8.0 / (made as f64 + 20.0).powf(0.9));
                made += 1;
            }
        }
        let cumulative = weights
            .iter()
            .scan(0.0, |total, w| {
                *total += w;
                Some(*total)
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    /// One word, by weight (Python's `random.choices` with cumulative weights).
    fn draw(&self, rng: &mut Draw) -> &str {
        let total = *self.cumulative.last().expect("a vocabulary");
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

// --------------------------------------------------------------------------------------------
// Manual structure
// --------------------------------------------------------------------------------------------

const SECTION_NAMES: [&str; 10] = [
    "Sampling design",
    "Sample preparation",
    "Heavy metals",
    "Pesticide residues",
    "Organic pollutants",
    "Quality control",
    "Mapping and geostatistics",
    "Monitoring programmes",
    "Risk assessment",
    "Remediation and reporting",
];

/// Page titles: `{a}` an analyte, `{A}` the same capitalised, `{m}` a matrix, `{t}` a technique.
const TITLE_PATTERNS: [&str; 10] = [
    "Determination of {a} in {m} by {t}",
    "{A} extraction from {m}",
    "Sampling {m} for {a} assessment",
    "Quality control for {a} analysis",
    "Mapping {a} in {m}",
    "Threshold values for {a} in {m}",
    "Monitoring {a} in {m}",
    "Remediation of {m} polluted with {a}",
    "Reporting {a} results",
    "{A} speciation and bioavailability",
];

const ANALYTES: [&str; 20] = [
    "cadmium",
    "lead",
    "arsenic",
    "mercury",
    "chromium",
    "copper",
    "nickel",
    "zinc",
    "glyphosate",
    "atrazine",
    "DDT",
    "lindane",
    "PFAS",
    "PAHs",
    "PCBs",
    "antimony",
    "selenium",
    "thallium",
    "microplastics",
    "dioxins",
];

const MATRICES: [&str; 10] = [
    "agricultural topsoil",
    "urban soils",
    "mining soils",
    "grassland soils",
    "forest soils",
    "sediments",
    "subsoil",
    "paddy soils",
    "industrial sites",
    "cropland",
];

const TECHNIQUES: [&str; 9] = [
    "ICP-MS",
    "ICP-OES",
    "AAS",
    "XRF",
    "GC-MS",
    "LC-MS",
    "cold vapour AAS",
    "aqua regia digestion",
    "microwave digestion",
];

const LAND_USES: [&str; 5] = [
    "agricultural",
    "residential",
    "industrial",
    "grassland",
    "forest",
];

/// Code blocks cycle through these, so that highlighting costs what a real manual's mix costs.
const CODE_LANGS: [&str; 8] = ["python", "yaml", "bash", "json", "toml", "sql", "r", "rust"];
/// A fenced code block on every third page.
const CODE_EVERY: usize = 3;
/// `static/images/fig-01.png` .. `fig-08.png`, one referenced per page.
const N_IMAGES: usize = 8;

fn wants_code(page: usize) -> bool {
    page.is_multiple_of(CODE_EVERY)
}

struct Section {
    name: String,
    /// `01-sampling-design`: numbered so that folders sort in reading order.
    dir: String,
    intro: String,
}

struct Page {
    index: usize,
    section: usize,
    title: String,
    /// `00042-mapping-lead-in-urban-soils.md`
    file: String,
    dir: String,
    /// Order within its section.
    weight: usize,
}

/// Sections and page identities, drawn before any text because pages link to each other's titles.
fn plan(g: &mut Gen, options: &Options) -> (Vec<Section>, Vec<Page>) {
    let sections: Vec<Section> = (0..options.sections)
        .map(|s| {
            let name = match SECTION_NAMES.get(s) {
                Some(name) => name.to_string(),
                None => format!("Part {}: {}", s + 1, g.heading_text()),
            };
            let slug = slugify(&name);
            let dir = format!(
                "{:02}-{}",
                s + 1,
                slug[..slug.len().min(40)].trim_matches('-')
            );
            Section {
                name,
                dir,
                intro: String::new(),
            }
        })
        .collect();
    let pages = (0..options.pages)
        .map(|i| {
            let s = i * options.sections / options.pages;
            let title = g.title();
            let slug: Vec<String> = slugify(&title)
                .split('-')
                .take(5)
                .map(String::from)
                .collect();
            Page {
                index: i,
                section: s,
                file: format!("{:05}-{}.md", i + 1, slug.join("-")),
                dir: sections[s].dir.clone(),
                weight: i - section_start(s, options) + 1,
                title,
            }
        })
        .collect();
    (sections, pages)
}

/// The first page index of section `s` by the plan's arithmetic (for weights and nearby links).
fn section_start(s: usize, options: &Options) -> usize {
    s * options.pages / options.sections
}

/// Lower-case ASCII letters and digits, every other run replaced by one `-`.
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "x".into()
    } else {
        slug.into()
    }
}

/// A double-quoted string, valid both as YAML and as TOML.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

// --------------------------------------------------------------------------------------------
// Text
// --------------------------------------------------------------------------------------------

/// Draws text from the vocabulary; every method returns its text and its count of words.
struct Gen<'v> {
    rng: Draw,
    vocabulary: &'v Vocabulary,
}

impl<'v> Gen<'v> {
    fn new(seed: u64, vocabulary: &'v Vocabulary) -> Gen<'v> {
        Gen {
            rng: Draw::new(seed),
            vocabulary,
        }
    }

    fn words(&mut self, k: usize) -> Vec<&'v str> {
        let vocabulary = self.vocabulary;
        (0..k).map(|_| vocabulary.draw(&mut self.rng)).collect()
    }

    /// A sentence of `lo..=hi` words; one in six has a bold, italic or code span, one in ten ends
    /// in `;` or `:` and a short clause.
    fn sentence(&mut self, out: &mut String, lo: usize, hi: usize) -> usize {
        let k = self.rng.int(lo, hi);
        let words = self.words(k);
        let n = words.len();
        let r = self.rng.unit();
        // (before, after) the word at each position.
        let mut marks = vec![("", ""); n];
        if r < 0.07 && n > 4 {
            let i = self.rng.below(n - 2);
            marks[i].0 = "**";
            marks[i + 1].1 = "**";
        } else if r < 0.13 {
            marks[self.rng.below(n)] = ("*", "*");
        } else if r < 0.16 {
            marks[self.rng.below(n)] = ("`", "`");
        }
        let start = out.len();
        for (i, (word, (before, after))) in words.iter().zip(&marks).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(before);
            out.push_str(word);
            out.push_str(after);
        }
        if let Some(first) = out.get_mut(start..start + 1) {
            first.make_ascii_uppercase();
        }
        let end = if self.rng.chance(0.9) {
            "."
        } else if self.rng.chance(0.5) {
            ";"
        } else {
            ":"
        };
        if end == "." {
            out.push('.');
            return n;
        }
        out.push_str(end);
        let k = self.rng.int(3, 8);
        for word in self.words(k) {
            out.push(' ');
            out.push_str(word);
        }
        out.push('.');
        n + k
    }

    fn paragraph(&mut self, lo: usize, hi: usize) -> (String, usize) {
        let mut out = String::with_capacity(800);
        let mut n = 0;
        for i in 0..self.rng.int(lo, hi) {
            if i > 0 {
                out.push(' ');
            }
            n += self.sentence(&mut out, 8, 22);
        }
        (out, n)
    }

    fn heading_text(&mut self) -> String {
        let k = self.rng.int(2, 5);
        let mut text = self.words(k).join(" ");
        text[..1].make_ascii_uppercase();
        text
    }

    fn title(&mut self) -> String {
        let a = *self.rng.pick(&ANALYTES);
        let pattern = *self.rng.pick(&TITLE_PATTERNS);
        let m = *self.rng.pick(&MATRICES);
        let t = *self.rng.pick(&TECHNIQUES);
        let mut capital = a.to_string();
        capital[..1].make_ascii_uppercase();
        pattern
            .replace("{a}", a)
            .replace("{A}", &capital)
            .replace("{m}", m)
            .replace("{t}", t)
    }

    /// A table of threshold values, 5–14 rows of five to seven columns.
    fn table(&mut self) -> (String, usize) {
        let mut cols = vec![
            "Contaminant",
            "Land use",
            "Country",
            "Threshold (mg/kg)",
            "Method",
        ];
        let extra = self.rng.int(0, 2);
        cols.extend(["Note", "Reference"].iter().take(extra));
        let mut n = cols.len();
        let mut out = format!(
            "| {} |\n|{}|",
            cols.join(" | "),
            vec!["---"; cols.len()].join("|")
        );
        for _ in 0..self.rng.int(5, 14) {
            let mut row = vec![
                self.rng.pick(&ANALYTES).to_string(),
                self.rng.pick(&LAND_USES).to_string(),
                capitalize(self.words(1)[0]),
                format!("{:.2}", self.rng.uniform(0.01, 500.0)),
                self.rng.pick(&TECHNIQUES).to_string(),
            ];
            if extra >= 1 {
                let k = self.rng.int(1, 4);
                row.push(self.words(k).join(" "));
            }
            if extra >= 2 {
                row.push(format!("SOP-{:03}", self.rng.int(1, 60)));
            }
            n += row
                .iter()
                .map(|cell| cell.split_whitespace().count())
                .sum::<usize>();
            write!(out, "\n| {} |", row.join(" | ")).expect("writing to a String");
        }
        (out, n)
    }

    /// A fenced block of 6–24 plausible lines in `lang`.
    fn code(&mut self, lang: &str) -> String {
        let mut lines = Vec::new();
        for _ in 0..self.rng.int(6, 24) {
            let k = self.rng.int(2, 6);
            let ws = self.words(k);
            lines.push(self.code_line(lang, &ws));
        }
        if lang == "json" {
            lines.insert(0, "{".into());
            lines.push("  \"end\": true".into());
            lines.push("}".into());
        }
        format!("```{lang}\n{}\n```", lines.join("\n"))
    }

    fn code_line(&mut self, lang: &str, ws: &[&str]) -> String {
        let ident: Vec<String> = ws[..2]
            .iter()
            .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
            .map(|w| w.to_lowercase())
            .collect();
        let ident = if ident.is_empty() {
            "value".to_string()
        } else {
            ident.join("_")
        };
        let (last, all) = (ws[ws.len() - 1], ws.join(" "));
        let rng = &mut self.rng;
        match lang {
            "python" => format!("{ident} = compute('{last}', depth={})", rng.int(0, 100)),
            "yaml" => format!("{ident}: {:.3}  # {all}", rng.uniform(0.0, 100.0)),
            "bash" => format!(
                "soil-tool --{} {} samples/{last}.csv",
                ident.replace('_', "-"),
                rng.int(1, 9)
            ),
            "json" => format!("  \"{ident}\": {:.2},", rng.uniform(0.0, 100.0)),
            "toml" => format!("{ident} = \"{all}\""),
            "sql" => format!(
                "SELECT {ident} FROM samples WHERE depth_cm < {};",
                rng.int(5, 90)
            ),
            "r" => format!("{ident} <- mean(df${}, na.rm = TRUE)", last.to_lowercase()),
            _ => format!(
                "let {ident}: f64 = {:.2}; // {all}",
                rng.uniform(0.0, 100.0)
            ),
        }
    }

    /// 3–7 items, numbered two times in five.
    fn list(&mut self) -> (String, usize) {
        let ordered = self.rng.chance(0.4);
        let mut out = String::new();
        let mut n = 0;
        for i in 0..self.rng.int(3, 7) {
            if i > 0 {
                out.push('\n');
            }
            if ordered {
                write!(out, "{}. ", i + 1).expect("writing to a String");
            } else {
                out.push_str("- ");
            }
            n += self.sentence(&mut out, 4, 14);
        }
        (out, n)
    }

    /// Three to five other pages (capped for tiny corpora), three in five from the same section.
    fn link_targets(&mut self, page: &Page, options: &Options) -> Vec<usize> {
        let wanted = self.rng.int(3, 5).min(options.pages - 1);
        let mut targets = Vec::with_capacity(wanted);
        while targets.len() < wanted {
            let t = if self.rng.chance(0.6) {
                let lo = section_start(page.section, options);
                let hi = section_start(page.section + 1, options);
                lo + self.rng.below(hi - lo)
            } else {
                self.rng.below(options.pages)
            };
            if t != page.index && !targets.contains(&t) {
                targets.push(t);
            }
        }
        targets
    }
}

/// First letter upper case, the rest lower (Python's `str.capitalize`).
fn capitalize(word: &str) -> String {
    let mut s = word.to_lowercase();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

// --------------------------------------------------------------------------------------------
// Pages
// --------------------------------------------------------------------------------------------

/// A page body before it is written in a layout: text, with cross links and the image left open,
/// since only they differ between layouts.
#[derive(Default)]
struct Body {
    pieces: Vec<Piece>,
}

enum Piece {
    Text(String),
    /// A link to the page of that index, with its title as text.
    Link(usize),
    Image {
        number: usize,
        alt: String,
    },
}

impl Body {
    /// Starts a block: blocks are separated by a blank line.
    fn block(&mut self, text: &str) {
        if !self.pieces.is_empty() {
            self.text("\n\n");
        }
        self.text(text);
    }

    /// Continues the current block.
    fn text(&mut self, text: &str) {
        match self.pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(text),
            _ => self.pieces.push(Piece::Text(text.to_string())),
        }
    }

    fn render(&self, layout: Layout, pages: &[Page]) -> String {
        let mut out = String::with_capacity(16 * 1024);
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Link(t) => layout.link(&mut out, &pages[*t], &pages[*t].title),
                Piece::Image { number, alt } => layout.image(&mut out, *number, alt),
            }
        }
        out.push('\n');
        out
    }
}

/// One page: an opening paragraph, then `##` sections (some with a `###`, a list or a note) until
/// the page has `target_words` words and holds its table, image, links and, on every third page,
/// its code block.
fn page_body(
    g: &mut Gen,
    index: usize,
    target_words: usize,
    links: Vec<usize>,
    pages: &[Page],
) -> (Body, usize) {
    let mut body = Body::default();
    let (p, mut n) = g.paragraph(2, 4);
    body.block(&p);
    let mut pending = links;
    let (mut table_done, mut code_done, mut image_done) = (false, false, false);
    let want_code = wants_code(index);
    let mut h2 = 0;
    while n < target_words
        || !(table_done && image_done && pending.is_empty() && (code_done || !want_code))
    {
        h2 += 1;
        body.block(&format!("## {}", g.heading_text()));
        for _ in 0..g.rng.int(1, 3) {
            let (p, k) = g.paragraph(2, 6);
            body.block(&p);
            n += k;
            if !pending.is_empty() && g.rng.chance(0.6) {
                let t = pending.pop().expect("a pending link");
                body.text(" See ");
                body.pieces.push(Piece::Link(t));
                body.text(" for details.");
                n += 3 + pages[t].title.split_whitespace().count();
            }
        }
        if g.rng.chance(0.55) {
            body.block(&format!("### {}", g.heading_text()));
            let (p, k) = g.paragraph(2, 6);
            body.block(&p);
            n += k;
        }
        if g.rng.chance(0.35) {
            let (list, k) = g.list();
            body.block(&list);
            n += k;
        }
        if !table_done && h2 >= 2 {
            let (table, k) = g.table();
            body.block(&table);
            n += k;
            table_done = true;
        } else if want_code && !code_done && h2 >= 3 {
            body.block(&g.code(CODE_LANGS[(index / CODE_EVERY) % CODE_LANGS.len()]));
            code_done = true;
        } else if !image_done && h2 >= 2 {
            let alt = format!("Figure: {}", g.heading_text().to_lowercase());
            n += alt.split_whitespace().count();
            body.block("");
            body.pieces.push(Piece::Image {
                number: 1 + index % N_IMAGES,
                alt,
            });
            image_done = true;
        }
        if g.rng.chance(0.12) {
            let (p, k) = g.paragraph(1, 2);
            body.block(&format!("> **Note:** {p}"));
            n += k + 1;
        }
    }
    (body, n)
}

// --------------------------------------------------------------------------------------------
// Images and scaffolding
// --------------------------------------------------------------------------------------------

/// Eight small, distinct PNGs (64×48, one colour each), in every layout's static folder.
fn write_images(files: &Files) -> io::Result<()> {
    for number in 1..=N_IMAGES {
        let rgb = [
            (number * 53) % 256,
            (number * 97) % 256,
            (number * 151) % 256,
        ]
        .map(|c| c as u8);
        let data = png(64, 48, rgb)?;
        for &layout in files.layouts {
            let name = format!("fig-{number:02}.png");
            files.write(layout, layout.static_root(), &["images", &name], &data)?;
        }
    }
    Ok(())
}

/// A truecolour PNG of one colour: signature, IHDR, one zlib-compressed IDAT, IEND.
fn png(width: u32, height: u32, rgb: [u8; 3]) -> io::Result<Vec<u8>> {
    use std::io::Write as _;
    let row: Vec<u8> = std::iter::once(0) // filter type: none
        .chain(rgb.iter().copied().cycle().take(3 * width as usize))
        .collect();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..height {
        zlib.write_all(&row)?;
    }
    let mut header = Vec::with_capacity(13);
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]); // 8 bits, truecolour, deflate, adaptive filtering, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &header);
    png_chunk(&mut out, b"IDAT", &zlib.finish()?);
    png_chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(kind);
    out.extend(data);
    out.extend(crc.sum().to_be_bytes());
}

/// Each tool's configuration, templates and table of contents: the least that builds the corpus
/// into a comparable site (pages, section lists, previous/next links, a search index).
fn write_scaffolding(
    files: &Files,
    layout: Layout,
    sections: &[Section],
    pages: &[Page],
) -> io::Result<()> {
    let write = |parts: &[&str], text: &str| files.write(layout, "", parts, text);
    match layout {
        Layout::Mdbook => {
            write(&["src", "SUMMARY.md"], &mdbook_summary(sections, pages))?;
            write(&["book.toml"], MDBOOK_TOML)?;
        }
        Layout::Zola => {
            write(&["config.toml"], ZOLA_CONFIG)?;
            write(
                &["content", "_index.md"],
                "+++\ntitle = \"Home\"\nsort_by = \"weight\"\n+++\n",
            )?;
            write(&["templates", "base.html"], ZOLA_BASE)?;
            write(&["templates", "index.html"], ZOLA_INDEX)?;
            write(&["templates", "section.html"], ZOLA_SECTION)?;
            write(&["templates", "page.html"], ZOLA_PAGE)?;
            write(&["static", "style.css"], STYLE_CSS)?;
        }
        Layout::Hugo => {
            write(&["config.toml"], HUGO_CONFIG)?;
            write(&["content", "_index.md"], "---\ntitle: \"Home\"\n---\n")?;
            write(&["layouts", "_default", "baseof.html"], HUGO_BASEOF)?;
            write(&["layouts", "index.html"], HUGO_INDEX)?;
            write(&["layouts", "_default", "list.html"], HUGO_LIST)?;
            write(&["layouts", "_default", "single.html"], HUGO_SINGLE)?;
            write(&["layouts", "index.json"], HUGO_INDEX_JSON)?;
            write(&["static", "style.css"], STYLE_CSS)?;
        }
        Layout::Neutral => write(
            &["content", "_index.md"],
            "---\ntitle: \"Soil pollution technical manual (benchmark corpus)\"\nweight: 0\n---\n",
        )?,
    }
    Ok(())
}

/// mdBook's table of contents: each section's index, its pages nested under it.
fn mdbook_summary(sections: &[Section], pages: &[Page]) -> String {
    let mut out = String::from("# Summary\n\n");
    for (s, section) in sections.iter().enumerate() {
        writeln!(out, "- [{}]({}/index.md)", section.name, section.dir).expect("String");
        for page in pages.iter().filter(|p| p.section == s) {
            writeln!(out, "  - [{}]({}/{})", page.title, page.dir, page.file).expect("String");
        }
    }
    out
}

const ZOLA_CONFIG: &str = r#"base_url = "http://127.0.0.1:1111"
title = "Soil pollution technical manual (benchmark corpus)"
build_search_index = true
generate_sitemap = true

[markdown.highlighting]
theme = "github-light"

[search]
index_format = "elasticlunr_javascript"
include_title = true
include_content = true
"#;

const ZOLA_BASE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path='style.css') }}">
</head>
<body>
<header><a href="{{ config.base_url }}/">{{ config.title }}</a>
<input id="search" type="search" placeholder="Search"></header>
<main>{% block content %}{% endblock content %}</main>
<script src="{{ get_url(path='elasticlunr.min.js') }}"></script>
<script src="{{ get_url(path='search_index.en.js') }}"></script>
</body>
</html>
"#;

const ZOLA_INDEX: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ config.title }}</h1>
<ul>
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}
<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>
{% endfor %}
</ul>
{% endblock content %}
"#;

const ZOLA_SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ol>
{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>
{% endfor %}
</ol>
{% endblock content %}
"#;

const ZOLA_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
</article>
<nav>
{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}
</nav>
{% endblock content %}
"#;

const HUGO_CONFIG: &str = r#"baseURL = "http://127.0.0.1:1313/"
languageCode = "en"
title = "Soil pollution technical manual (benchmark corpus)"
disableKinds = ["taxonomy", "term", "RSS"]

[outputs]
home = ["HTML", "JSON"]
section = ["HTML"]

[markup.highlight]
codeFences = true
style = "github"
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<input id="search" type="search" placeholder="Search"></header>
<main>{{ block "main" . }}{{ end }}</main>
<script src="{{ "search.js" | relURL }}" defer></script>
</body>
</html>
"#;

const HUGO_INDEX: &str = r#"{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul>
{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ol>
{{ end }}
"#;

const HUGO_SINGLE: &str = r#"{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
<nav>
{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
"#;

/// The usual Hugo client-side search recipe (Fuse.js / lunr): one JSON file with title, URL and
/// plain-text content of every regular page.
const HUGO_INDEX_JSON: &str = r#"{{- $pages := slice -}}
{{- range .Site.RegularPages -}}
{{- $pages = $pages | append (dict "title" .Title "url" .RelPermalink "content" .Plain) -}}
{{- end -}}
{{- $pages | jsonify -}}
"#;

const STYLE_CSS: &str = "body{max-width:50rem;margin:auto;font-family:sans-serif;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem}\n";

const MDBOOK_TOML: &str = r#"[book]
title = "Soil pollution technical manual (benchmark corpus)"
authors = ["bench"]
language = "en"
src = "src"

[output.html]

[output.html.search]
enable = true
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A corpus small enough for a debug build: 24 pages in 3 sections, every layout.
    fn small(seed: u64) -> Options {
        Options {
            pages: 24,
            sections: 3,
            seed,
            min_words: 150,
            max_words: 400,
            ..Options::default()
        }
    }

    fn generated(options: &Options) -> (tempfile::TempDir, Manifest) {
        let out = tempfile::tempdir().unwrap();
        let manifest = generate(out.path(), options).unwrap();
        (out, manifest)
    }

    /// Every file under `root`, by its path relative to `root`.
    fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(root).unwrap().to_path_buf();
                (relative, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// The pages of one layout (section indexes and mdBook's SUMMARY.md left out).
    fn pages(root: &Path) -> Vec<(PathBuf, String)> {
        files(root)
            .into_iter()
            .filter(|(path, _)| {
                let name = path.file_name().unwrap().to_string_lossy();
                name.ends_with(".md")
                    && name.starts_with(|c: char| c.is_ascii_digit())
                    && path.components().count() > 2
            })
            .map(|(path, bytes)| (root.join(path), String::from_utf8(bytes).unwrap()))
            .collect()
    }

    /// The destinations of every `[text](destination)` and `![alt](destination)` in `text`.
    fn destinations(text: &str) -> Vec<&str> {
        text.match_indices("](")
            .map(|(at, _)| {
                let rest = &text[at + 2..];
                &rest[..rest.find(')').unwrap()]
            })
            .collect()
    }

    /// The file a destination names, in the way `layout` resolves it.
    fn resolve(layout: Layout, root: &Path, page: &Path, destination: &str) -> PathBuf {
        let content = root.join(layout.content_root());
        if let Some(image) = destination.strip_prefix("/images/") {
            return root.join(layout.static_root()).join("images").join(image);
        }
        match layout {
            Layout::Mdbook | Layout::Neutral => page.parent().unwrap().join(destination),
            Layout::Zola => content.join(destination.strip_prefix("@/").unwrap()),
            Layout::Hugo => {
                let inner = destination.strip_prefix("{{< relref \"/").unwrap();
                content.join(inner.strip_suffix("\" >}}").unwrap())
            }
        }
    }

    #[test]
    fn the_same_options_write_the_same_bytes_and_another_seed_does_not() {
        let (first, first_manifest) = generated(&small(7));
        let (second, second_manifest) = generated(&small(7));
        let (other, other_manifest) = generated(&small(8));
        let first_files = files(first.path());
        assert!(first_files.len() > 4 * 24, "{} files", first_files.len());
        assert!(first_files == files(second.path()), "two runs differ");
        assert_eq!(first_manifest.body_crc32, second_manifest.body_crc32);
        assert!(first_files != files(other.path()));
        assert_ne!(first_manifest.body_crc32, other_manifest.body_crc32);
    }

    #[test]
    fn neutral_pages_open_with_a_title_and_their_order_in_the_section() {
        let (out, manifest) = generated(&small(1));
        let pages = pages(&out.path().join("neutral"));
        assert_eq!(pages.len(), 24);
        let mut weights: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (path, text) in &pages {
            let rest = text.strip_prefix("---\ntitle: \"").expect("front matter");
            let (title, rest) = rest.split_once("\"\nweight: ").expect("title, then weight");
            let (weight, _) = rest.split_once("\n---\n\n").expect("end of front matter");
            assert!(!title.is_empty(), "{}", path.display());
            let dir = path.parent().unwrap().to_path_buf();
            weights
                .entry(dir)
                .or_default()
                .push(weight.parse().unwrap());
        }
        assert_eq!(weights.len(), 3);
        for (dir, weights) in weights {
            let expected: Vec<usize> = (1..=weights.len()).collect();
            assert_eq!(weights, expected, "{}", dir.display());
        }
        let touched = out
            .path()
            .join("neutral/content")
            .join(&manifest.touch_page.section_dir)
            .join(&manifest.touch_page.file);
        let text = std::fs::read_to_string(touched).unwrap();
        assert!(text.starts_with(&format!("---\ntitle: \"{}\"", manifest.touch_page.title)));
    }

    #[test]
    fn every_link_and_image_resolves_in_every_layout() {
        let (out, _) = generated(&small(2));
        for layout in Layout::ALL {
            let root = out.path().join(layout.name());
            for (page, text) in pages(&root) {
                let all = destinations(&text);
                let (images, links): (Vec<&str>, Vec<&str>) =
                    all.iter().partition(|d| d.contains("images/"));
                assert_eq!(images.len(), 1, "{}", page.display());
                assert!((3..=5).contains(&links.len()), "{}", page.display());
                for destination in all {
                    let file = resolve(layout, &root, &page, destination);
                    assert!(file.is_file(), "{} -> {destination}", page.display());
                }
            }
        }
    }

    #[test]
    fn every_page_has_one_table_and_every_third_a_code_block() {
        let (out, manifest) = generated(&small(3));
        let pages = pages(&out.path().join("neutral"));
        for (path, text) in &pages {
            let number: usize = path.file_name().unwrap().to_string_lossy()[..5]
                .parse()
                .unwrap();
            let tables = text.lines().filter(|l| l.starts_with("|---|")).count();
            let fences = text.lines().filter(|l| l.starts_with("```")).count();
            assert_eq!(tables, 1, "{}", path.display());
            let code = if wants_code(number - 1) { 2 } else { 0 };
            assert_eq!(fences, code, "{}", path.display());
        }
        assert_eq!(manifest.pages_with_code, 8);
        let words: usize = pages
            .iter()
            .map(|(_, t)| t.split_whitespace().count())
            .sum();
        assert!(manifest.total_words >= 24 * 150 && manifest.total_words <= words);
    }

    #[test]
    fn corpora_of_fewer_pages_than_links_wanted_still_finish() {
        for pages in 1..=5 {
            let options = Options {
                pages,
                sections: 1,
                min_words: 50,
                max_words: 60,
                layouts: vec![Layout::Neutral],
                ..Options::default()
            };
            let (out, manifest) = generated(&options);
            assert_eq!(manifest.pages, pages);
            let written = self::pages(&out.path().join("neutral"));
            assert_eq!(written.len(), pages);
        }
    }

    #[test]
    fn a_folder_with_something_in_it_is_replaced_only_when_forced() {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
        let mut options = small(4);
        options.layouts = vec![Layout::Neutral];
        let refused = generate(out.path(), &options).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        assert!(out.path().join("notes.txt").is_file());
        options.force = true;
        generate(out.path(), &options).unwrap();
        assert!(!out.path().join("notes.txt").exists());
        assert!(out.path().join("neutral/content/_index.md").is_file());
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(slugify("Part 11: Lead in ICP-MS"), "part-11-lead-in-icp-ms");
        assert_eq!(slugify("--  "), "x");
    }
}
