//! The site-shaped corpus: the benchmark manual (same pages, same text as the `neutral` layout of
//! [`super::generate`]) laid out as the INSOP site is, which only Pedon builds:
//!
//! ```text
//! OUT/site/pedon.toml          six languages (en, fr, es, ar right to left, zh, ru)
//! OUT/site/content/            sections of chapters, an `sops/` section of SOP pages (`sop:`
//!                              block), a `webinars/` section of event pages (`webinar:` block),
//!                              `thresholds/_index.md`; a share of pages (and every section page)
//!                              translated into the five other languages as `page.fr.md` … with
//!                              `translated_from`, a few of them stale
//! OUT/site/data/               contaminants, land uses, value types and one thresholds file per
//!                              jurisdiction (ISO 3166-1), M records in all
//! OUT/site/static/images/
//! OUT/manifest.json
//! ```
//!
//! Every page also gets, from a second random stream (so the manual's text stays byte-identical to
//! the one-language corpus), a paragraph of typed links (`contaminant:`, `country:`, `sop:`) and,
//! on one page in five, a ```` ```thresholds ```` block. Translations are the original with every
//! word of prose spelled in the language's script (links, code and blocks left as they are): text
//! of the same length and structure, with the word segmentation and the right-to-left text a real
//! translation has, which is what the build and the search index spend their time on.
//!
//! The numbers in the database are random: this corpus measures the generator and is never
//! published.

use super::{
    Draw, Files, Gen, Layout, Options, Page, SYNTHETIC_WORDS, Section, Vocabulary, page_body, plan,
    quoted,
};
use serde::Serialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What the site shape adds to [`Options`].
#[derive(Clone, Debug)]
pub struct SiteOptions {
    /// Share of pages translated into every other language (the rest fall back to English).
    pub translated: f64,
    /// Share of translations made from an older original (`translated_from` not current).
    pub stale: f64,
    /// Threshold records in the database.
    pub records: usize,
    /// Jurisdictions (ISO 3166-1 countries) the records are spread over.
    pub jurisdictions: usize,
    pub contaminants: usize,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            translated: 0.3,
            stale: 0.02,
            records: 50_000,
            jurisdictions: 200,
            contaminants: 80,
        }
    }
}

impl SiteOptions {
    /// Why these options cannot make a site, if they cannot.
    pub fn problem(&self, options: &Options) -> Option<String> {
        let combos = self.contaminants * INSTRUMENTS * LOCAL_LAND_USES * LOCAL_VALUE_TYPES;
        if options.sections < 3 {
            Some("the site shape needs at least 3 sections (chapters, SOPs, webinars)".into())
        } else if !(0.0..=1.0).contains(&self.translated) || !(0.0..=1.0).contains(&self.stale) {
            Some("need 0 <= translated, stale <= 1".into())
        } else if self.jurisdictions < 1 || self.jurisdictions > countries().len() {
            Some(format!("need 1 <= jurisdictions <= {}", countries().len()))
        } else if self.contaminants < 1 || self.records.div_ceil(self.jurisdictions) > combos {
            Some(format!(
                "{} contaminants allow at most {combos} records per jurisdiction",
                self.contaminants
            ))
        } else {
            None
        }
    }
}

/// The languages of the site, default first, as the bundled site's `pedon.toml` declares them.
const LANGUAGES: [(&str, &str, &str); 6] = [
    ("en", "English", ""),
    ("fr", "Français", ""),
    ("es", "Español", ""),
    ("ar", "العربية", "rtl"),
    ("zh", "中文", ""),
    ("ru", "Русский", ""),
];

const INSTRUMENTS: usize = 2;
const LOCAL_LAND_USES: usize = 4;
const LOCAL_VALUE_TYPES: usize = 2;

/// The common vocabularies, as the bundled site names them (names of classes, not facts).
const LAND_USE_CLASSES: [&str; 11] = [
    "agricultural",
    "residential_sensitive",
    "residential",
    "residential_parkland",
    "parkland",
    "commercial",
    "industrial",
    "commercial_industrial",
    "forestry",
    "all_land",
    "mixed",
];
const VALUE_TYPE_CLASSES: [&str; 6] = [
    "background",
    "precautionary",
    "screening",
    "intervention",
    "regulatory_limit",
    "classification",
];
const GROUPS: [&str; 9] = [
    "heavy_metal",
    "metalloid",
    "other_inorganic",
    "pesticide",
    "pop",
    "pah",
    "petroleum",
    "voc",
    "other_organic",
];

/// What was generated, written to `OUT/manifest.json`.
#[derive(Clone, Debug, Serialize)]
pub struct SiteManifest {
    pub generator: &'static str,
    pub shape: &'static str,
    pub seed: u64,
    /// Pages of the default language (sections and home not counted), as in the manual shape.
    pub pages: usize,
    pub sections: usize,
    pub languages: usize,
    pub sop_pages: usize,
    pub webinar_pages: usize,
    /// Translation files written (pages and section pages, all languages).
    pub translation_files: usize,
    pub stale_translations: usize,
    pub thresholds_blocks: usize,
    pub records: usize,
    pub jurisdictions: usize,
    pub contaminants: usize,
    /// Bytes of every Markdown file under `content/`.
    pub markdown_bytes: usize,
    /// CRC-32 of every file written under `content/` and `data/`, in the order written.
    pub crc32: String,
}

/// Writes the site-shaped corpus under `out` (absent or empty, or anything with `force`).
pub fn generate_site(
    out: &Path,
    options: &Options,
    site: &SiteOptions,
) -> io::Result<SiteManifest> {
    if let Some(problem) = options.problem().or_else(|| site.problem(options)) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, problem));
    }
    super::prepare_output(out, options.force)?;
    let vocabulary = Vocabulary::new(options.seed ^ 0x5EED);
    let mut g = Gen::new(options.seed, &vocabulary);
    // The extras' own stream: the manual's text is drawn exactly as in the manual shape.
    let mut extra = Draw::new(options.seed ^ 0x517E);
    let (mut sections, mut pages) = plan(&mut g, options);
    rename_special_sections(&mut sections, &mut pages);
    let data = Data::new(site, &vocabulary);
    let root = out.join("site");
    let mut w = Writer {
        root: &root,
        manifest: SiteManifest {
            generator: "bench/site.rs",
            shape: "site",
            seed: options.seed,
            pages: options.pages,
            sections: options.sections,
            languages: LANGUAGES.len(),
            sop_pages: 0,
            webinar_pages: 0,
            translation_files: 0,
            stale_translations: 0,
            thresholds_blocks: 0,
            records: site.records,
            jurisdictions: site.jurisdictions,
            contaminants: site.contaminants,
            markdown_bytes: 0,
            crc32: String::new(),
        },
        crc: flate2::Crc::new(),
    };
    w.file(&["pedon.toml"], &pedon_toml())?;
    data.write(&mut w, &mut extra)?;

    // Home, sections and the explorer's introduction: translated into every language.
    let home = "---\ntitle: \"Soil pollution site (benchmark corpus)\"\ndescription: \"Chapters, SOPs, events and threshold values, generated.\"\n---\n\nThe [manual](01-sampling-design/_index.md), the [SOPs](sops/_index.md) and the [threshold values](thresholds/_index.md).\n".replace("01-sampling-design", &sections[0].dir);
    w.page(&["_index.md"], &home, true, false, &mut extra)?;
    for (si, section) in sections.iter_mut().enumerate() {
        section.intro = g.paragraph(3, 6).0;
        let (_, text) = Layout::Neutral.section_index(section, si + 1);
        w.page(&[&section.dir, "_index.md"], &text, true, false, &mut extra)?;
    }
    let explorer = format!(
        "---\ntitle: \"Threshold values\"\nweight: {}\ndescription: \"Generated threshold values of {} jurisdictions.\"\n---\n\nEvery value of the database, to filter, compare and download.\n",
        sections.len() + 1,
        site.jurisdictions
    );
    w.page(
        &["thresholds", "_index.md"],
        &explorer,
        true,
        false,
        &mut extra,
    )?;

    let sop_section = sections.len() - 2;
    let webinar_section = sections.len() - 1;
    let sop_codes: Vec<String> = pages
        .iter()
        .filter(|p| p.section == sop_section)
        .map(|p| sop_code(p.index))
        .collect();
    let chapters: Vec<String> = pages
        .iter()
        .filter(|p| p.section < sop_section)
        .take(50)
        .map(|p| format!("{}/{}", p.dir, p.file))
        .collect();
    for page in &pages {
        let links = g.link_targets(page, options);
        let target_words = g.rng.int(options.min_words, options.max_words);
        let (body, _) = page_body(&mut g, page.index, target_words, links, &pages);
        let mut text = body.render(Layout::Neutral, &pages);
        let mut front = format!(
            "---\ntitle: {}\nweight: {}\ndescription: {}\n",
            quoted(&page.title),
            page.weight,
            quoted(&sentence(&mut extra, &vocabulary, 12, 24)),
        );
        if page.section == sop_section {
            w.manifest.sop_pages += 1;
            sop_block(&mut front, page, &data, &mut extra, &vocabulary);
        } else if page.section == webinar_section {
            w.manifest.webinar_pages += 1;
            webinar_block(&mut front, page, &chapters, &mut extra);
        }
        front.push_str("---\n\n");
        w.manifest.thresholds_blocks += usize::from(typed_links(
            &mut text,
            &data,
            &sop_codes,
            &mut extra,
            &vocabulary,
        ));
        let translate = extra.chance(site.translated);
        let stale = translate && extra.chance(site.stale);
        w.page(
            &[&page.dir, &page.file],
            &(front + &text),
            translate,
            stale,
            &mut extra,
        )?;
    }
    super::write_images(&Files {
        out,
        layouts: &[Layout::Neutral],
    })?;
    std::fs::rename(out.join("neutral/static"), root.join("static"))?;
    std::fs::remove_dir_all(out.join("neutral"))?;
    let mut manifest = w.manifest;
    manifest.crc32 = format!("{:08x}", w.crc.sum());
    let json = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
    std::fs::write(out.join("manifest.json"), json + "\n")?;
    Ok(manifest)
}

/// The last two sections hold the SOPs and the events, at the paths the site gives them.
fn rename_special_sections(sections: &mut [Section], pages: &mut [Page]) {
    let n = sections.len();
    sections[n - 2].name = "Standard operating procedures".into();
    sections[n - 2].dir = "sops".into();
    sections[n - 1].name = "Webinars and events".into();
    sections[n - 1].dir = "webinars".into();
    for page in pages {
        page.dir = sections[page.section].dir.clone();
    }
}

fn sop_code(index: usize) -> String {
    format!("BENCH-SOP-{:05}", index + 1)
}

struct Writer<'a> {
    root: &'a Path,
    manifest: SiteManifest,
    crc: flate2::Crc,
}

impl Writer<'_> {
    fn file(&mut self, parts: &[&str], text: &str) -> io::Result<()> {
        let mut path = self.root.to_path_buf();
        path.extend(parts);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.crc.update(text.as_bytes());
        std::fs::write(path, text)
    }

    /// A page under `content/` and, when `translate`, its five translations beside it.
    fn page(
        &mut self,
        parts: &[&str],
        text: &str,
        translate: bool,
        stale: bool,
        rng: &mut Draw,
    ) -> io::Result<()> {
        let mut path = vec!["content"];
        path.extend(parts);
        self.manifest.markdown_bytes += text.len();
        self.file(&path, text)?;
        if !translate {
            return Ok(());
        }
        let fingerprint = pedon::model::fingerprint(text);
        let stale_fingerprint = pedon::model::fingerprint(&format!("{text}\nAn older version.\n"));
        let file = parts[parts.len() - 1];
        let stem = file.strip_suffix(".md").unwrap_or(file);
        for (code, _, _) in &LANGUAGES[1..] {
            // About half the languages of a stale page are behind: translators catch up unevenly.
            let behind = stale && rng.chance(0.5);
            let from = if behind {
                &stale_fingerprint
            } else {
                &fingerprint
            };
            self.manifest.stale_translations += usize::from(behind);
            let translated = translate_page(text, code, from);
            let name = format!("{stem}.{code}.md");
            let mut path = path.clone();
            *path.last_mut().expect("a file name") = &name;
            self.manifest.markdown_bytes += translated.len();
            self.manifest.translation_files += 1;
            self.file(&path, &translated)?;
        }
        Ok(())
    }
}

/// The translation of a page file: its title, description and body in `code`'s script, with
/// `translated_from` and nothing else of the original's front matter (structure is inherited).
fn translate_page(text: &str, code: &str, from: &str) -> String {
    let body_start = text[4..].find("\n---\n").map_or(0, |i| i + 4 + 5);
    let front = &text[..body_start];
    let mut out = String::from("---\n");
    for line in front.lines() {
        for key in ["title: ", "description: "] {
            if let Some(value) = line.strip_prefix(key) {
                let inner = value.trim_matches('"');
                writeln!(out, "{key}{}", quoted(&translate_line(inner, code))).expect("String");
            }
        }
    }
    writeln!(out, "translated_from: {from}\n---").expect("String");
    let mut fenced = false;
    for line in text[body_start..].lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            out.push_str(line);
        } else if fenced {
            out.push_str(line);
        } else {
            out.push_str(&translate_line(line, code));
        }
        out.push('\n');
    }
    out
}

/// Every word of a Markdown line in `code`'s script; link destinations and code spans kept.
fn translate_line(line: &str, code: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut rest = line;
    let mut last_was_word = false;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("](") {
            let end = rest.find(')').map_or(rest.len(), |i| i + 1);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            last_was_word = false;
        } else if c == '`' {
            let end = rest[1..].find('`').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            last_was_word = false;
        } else if c.is_ascii_alphabetic() {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            // Chinese runs words together; a space between two words is dropped.
            if code == "zh" && last_was_word && out.ends_with(' ') {
                out.pop();
            }
            spell(&mut out, &rest[..end], code);
            rest = &rest[end..];
            last_was_word = true;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            if c != ' ' {
                last_was_word = false;
            }
        }
    }
    out
}

/// One word in the language's script: letters mapped one to one (Cyrillic, Arabic), accents added
/// (French, Spanish), or Chinese characters chosen by the word's hash (one per two letters).
fn spell(out: &mut String, word: &str, code: &str) {
    const CYRILLIC: [&str; 26] = [
        "а", "б", "ц", "д", "е", "ф", "г", "х", "и", "й", "к", "л", "м", "н", "о", "п", "к", "р",
        "с", "т", "у", "в", "в", "кс", "ы", "з",
    ];
    const ARABIC: [&str; 26] = [
        "ا", "ب", "ك", "د", "ي", "ف", "غ", "ه", "ي", "ج", "ك", "ل", "م", "ن", "و", "ب", "ق", "ر",
        "س", "ت", "و", "ف", "و", "كس", "ي", "ز",
    ];
    let letters = word
        .bytes()
        .map(|b| (b.to_ascii_lowercase().wrapping_sub(b'a')) as usize);
    match code {
        "ru" => letters.for_each(|i| out.push_str(CYRILLIC.get(i).copied().unwrap_or("ъ"))),
        "ar" => letters.for_each(|i| out.push_str(ARABIC.get(i).copied().unwrap_or("ء"))),
        "zh" => {
            let mut h: u32 = 0x811c_9dc5;
            for (n, b) in word.bytes().enumerate() {
                h = (h ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193);
                if n % 2 == 1 || n + 1 == word.len() {
                    out.push(char::from_u32(0x4E00 + h % 0x4000).expect("a CJK character"));
                }
            }
        }
        _ => {
            let (from, to) = if code == "fr" {
                ('e', 'é')
            } else {
                ('n', 'ñ')
            };
            out.extend(word.chars().map(|c| if c == from { to } else { c }));
        }
    }
}

/// The `sop:` block of an SOP page.
fn sop_block(front: &mut String, page: &Page, data: &Data, rng: &mut Draw, v: &Vocabulary) {
    let analytes: Vec<&str> = (0..rng.int(1, 3))
        .map(|_| {
            data.contaminants[rng.below(data.contaminants.len())]
                .0
                .as_str()
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let list = |rng: &mut Draw, n: usize| -> String {
        let items: Vec<String> = (0..n).map(|_| quoted(&sentence(rng, v, 3, 8))).collect();
        format!("[{}]", items.join(", "))
    };
    write!(
        front,
        "sop:\n  code: {}\n  version: \"1.{}\"\n  status: {}\n  analytes: [{}]\n  method: {}\n  equipment: {}\n  reagents: {}\n  safety: {}\n",
        sop_code(page.index),
        rng.int(0, 9),
        if rng.chance(0.5) { "draft" } else { "final" },
        analytes.join(", "),
        quoted(&sentence(rng, v, 6, 14)),
        list(rng, 4),
        list(rng, 5),
        list(rng, 3),
    )
    .expect("String");
}

/// The `date:` and `webinar:` block of an event page.
fn webinar_block(front: &mut String, page: &Page, chapters: &[String], rng: &mut Draw) {
    let (year, month, day) = (2018 + page.index % 9, 1 + rng.below(12), 1 + rng.below(28));
    let hour = 8 + rng.below(9);
    let related: Vec<&str> = (0..rng.int(1, 3).min(chapters.len()))
        .map(|_| chapters[rng.below(chapters.len())].as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    write!(
        front,
        "date: {year}-{month:02}-{day:02}\nwebinar:\n  date: \"{year}-{month:02}-{day:02}T{hour:02}:00:00+02:00\"\n  end: \"{year}-{month:02}-{day:02}T{:02}:00:00+02:00\"\n  speakers: [\"Speaker {}\", \"Speaker {}\"]\n  language: {}\n  chapters: [{}]\n",
        hour + 2,
        rng.int(1, 500),
        rng.int(1, 500),
        LANGUAGES[rng.below(LANGUAGES.len())].0,
        related.join(", "),
    )
    .expect("String");
}

/// Appends a paragraph of typed links and, on one page in five, a thresholds block; says whether
/// it added the block.
fn typed_links(
    text: &mut String,
    data: &Data,
    sops: &[String],
    rng: &mut Draw,
    v: &Vocabulary,
) -> bool {
    let (c_id, c_name) = &data.contaminants[rng.below(data.contaminants.len())];
    let country = data.countries[rng.below(data.countries.len())];
    write!(
        text,
        "\n{} [{c_name}](contaminant:{c_id}) in [{}](country:{})",
        sentence(rng, v, 4, 10).trim_end_matches('.'),
        country.1,
        country.0,
    )
    .expect("String");
    if !sops.is_empty() && rng.chance(0.5) {
        let code = &sops[rng.below(sops.len())];
        write!(text, ", measured as [{code}](sop:{code})").expect("String");
    }
    text.push_str(".\n");
    if !rng.chance(0.2) {
        return false;
    }
    if rng.chance(0.5) {
        let c = data.countries[rng.below(data.countries.len())].0;
        write!(
            text,
            "\n```thresholds\ncontaminant: {c_id}\ncountry: {c}\n```\n"
        )
    } else {
        let lu = LAND_USE_CLASSES[rng.below(LAND_USE_CLASSES.len())];
        write!(
            text,
            "\n```thresholds\ncontaminant: {c_id}\nland_use: {lu}\n```\n"
        )
    }
    .expect("String");
    true
}

/// A sentence of `lo..=hi` words with a capital and a full stop.
fn sentence(rng: &mut Draw, v: &Vocabulary, lo: usize, hi: usize) -> String {
    let n = rng.int(lo, hi);
    let words: Vec<&str> = (0..n).map(|_| v.draw(rng)).collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

/// ISO 3166-1 alpha-3 codes and names, sorted by code (celes, which Pedon checks codes with).
fn countries() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = celes::Country::get_countries()
        .iter()
        .map(|c| (c.alpha3, c.long_name))
        .collect();
    all.sort_unstable();
    all.dedup_by_key(|c| c.0);
    all
}

/// The database: its contaminants and the jurisdictions that have values.
struct Data {
    /// (id, name)
    contaminants: Vec<(String, String)>,
    countries: Vec<(&'static str, &'static str)>,
    records: usize,
}

impl Data {
    fn new(site: &SiteOptions, v: &Vocabulary) -> Data {
        // Made-up names from the vocabulary's long tail: distinct, and searchable like real ones.
        let tail = &v.words[v.words.len() - SYNTHETIC_WORDS..];
        let contaminants = (0..site.contaminants)
            .map(|i| {
                (
                    format!("bc{:03}", i + 1),
                    super::capitalize(&tail[i % tail.len()]),
                )
            })
            .collect();
        let all = countries();
        let step = all.len() as f64 / site.jurisdictions as f64;
        let countries = (0..site.jurisdictions)
            .map(|j| all[(j as f64 * step) as usize])
            .collect();
        Data {
            contaminants,
            countries,
            records: site.records,
        }
    }

    fn write(&self, w: &mut Writer, rng: &mut Draw) -> io::Result<()> {
        let mut text =
            String::from("# Generated by bench/site.rs: a benchmark corpus, not data.\n");
        for (i, (id, name)) in self.contaminants.iter().enumerate() {
            write!(
                text,
                "- id: {id}\n  name: {}\n  group: {}\n",
                quoted(name),
                GROUPS[i % GROUPS.len()]
            )
            .expect("String");
        }
        w.file(&["data", "contaminants.yaml"], &text)?;
        let vocabulary = |ids: &[&str]| {
            ids.iter().fold(String::new(), |mut s, id| {
                write!(s, "- id: {id}\n  name: {}\n", quoted(&id.replace('_', " ")))
                    .expect("String");
                s
            })
        };
        w.file(&["data", "land-uses.yaml"], &vocabulary(&LAND_USE_CLASSES))?;
        w.file(
            &["data", "value-types.yaml"],
            &vocabulary(&VALUE_TYPE_CLASSES),
        )?;
        let per = self.records / self.countries.len();
        for (j, (code, name)) in self.countries.iter().enumerate() {
            let n = per + usize::from(j < self.records % self.countries.len());
            let text = self.jurisdiction(code, name, n, rng);
            w.file(
                &[
                    "data",
                    "thresholds",
                    &format!("{}.yaml", code.to_ascii_lowercase()),
                ],
                &text,
            )?;
        }
        Ok(())
    }

    /// One jurisdiction's file: two instruments, four local land uses and two value types each,
    /// `n` records on distinct (instrument, contaminant, land use, value type).
    fn jurisdiction(&self, code: &str, name: &str, n: usize, rng: &mut Draw) -> String {
        let mut out = format!(
            "country: {code}\nname: {}\nnotes: \"Generated for the benchmark: not real values.\"\ninstruments:\n",
            quoted(name)
        );
        let total = self.contaminants.len() * LOCAL_LAND_USES * LOCAL_VALUE_TYPES;
        let mut chosen: Vec<HashSet<usize>> = vec![HashSet::new(); INSTRUMENTS];
        let mut left = n;
        for (i, taken) in chosen.iter_mut().enumerate() {
            let want = if i + 1 == INSTRUMENTS {
                left
            } else {
                n / INSTRUMENTS
            };
            left -= want;
            while taken.len() < want {
                taken.insert(rng.below(total));
            }
        }
        for (i, taken) in chosen.into_iter().enumerate() {
            let year = 1990 + rng.below(35);
            write!(
                out,
                "  - id: act-{i}\n    title: \"Soil Protection Act {year} of {code}, schedule {i}\"\n    short: \"SPA {year}/{i}\"\n    year: \"{year}\"\n    status: in_force\n    basis: \"dry weight (total)\"\n    sources:\n      - {{ id: gazette-{i}, title: \"Official gazette, {year}\", where: \"generated\", tier: primary }}\n    land_uses:\n"
            )
            .expect("String");
            for l in 0..LOCAL_LAND_USES {
                let class = LAND_USE_CLASSES[(i * 3 + l * 2 + code.len()) % LAND_USE_CLASSES.len()];
                writeln!(
                    out,
                    "      lu{l}: {{ term: \"land use {l} of {code}\", class: {class} }}"
                )
                .expect("String");
            }
            out.push_str("    value_types:\n");
            for t in 0..LOCAL_VALUE_TYPES {
                let class = VALUE_TYPE_CLASSES[(i + t * 3) % VALUE_TYPE_CLASSES.len()];
                writeln!(
                    out,
                    "      vt{t}: {{ term: \"value {t} of {code}\", class: {class} }}"
                )
                .expect("String");
            }
            out.push_str("    values:\n");
            let mut taken: Vec<usize> = taken.into_iter().collect();
            taken.sort_unstable();
            for k in taken {
                let c = k / (LOCAL_LAND_USES * LOCAL_VALUE_TYPES);
                let l = k / LOCAL_VALUE_TYPES % LOCAL_LAND_USES;
                let t = k % LOCAL_VALUE_TYPES;
                let value = (rng.uniform(0.01, 5000.0) * 100.0).round() / 100.0;
                let unit = if rng.chance(0.1) { "µg/kg" } else { "mg/kg" };
                writeln!(
                    out,
                    "      - {{ contaminant: {}, land_use: lu{l}, value_type: vt{t}, value: {value}, unit: {unit}, source: gazette-{i} }}",
                    self.contaminants[c].0
                )
                .expect("String");
            }
        }
        out
    }
}

/// The site's configuration: six languages as the bundled site declares them.
fn pedon_toml() -> String {
    let mut out = String::from(
        "title = \"Soil pollution site (benchmark corpus)\"\ndescription = \"Generated by bench/site.rs.\"\nbase_url = \"https://example.org/bench/\"\ndefault_language = \"en\"\n",
    );
    for (code, name, direction) in LANGUAGES {
        write!(
            out,
            "\n[[languages]]\ncode = \"{code}\"\nname = \"{name}\"\n"
        )
        .expect("String");
        if !direction.is_empty() {
            writeln!(out, "direction = \"{direction}\"").expect("String");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> (Options, SiteOptions) {
        let options = Options {
            pages: 30,
            sections: 4,
            min_words: 60,
            max_words: 120,
            ..Options::default()
        };
        let site = SiteOptions {
            records: 300,
            jurisdictions: 6,
            contaminants: 8,
            ..SiteOptions::default()
        };
        (options, site)
    }

    /// Every file under `root`, by its path relative to `root`.
    fn files(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(root).unwrap().to_path_buf();
                (relative, std::fs::read(e.path()).unwrap())
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn the_same_options_write_the_same_site_and_another_seed_does_not() {
        let (options, site) = small();
        let [a, b, c] = [(); 3].map(|_| tempfile::tempdir().unwrap());
        let first = generate_site(a.path(), &options, &site).unwrap();
        let second = generate_site(b.path(), &options, &site).unwrap();
        let other = Options { seed: 7, ..options };
        generate_site(c.path(), &other, &site).unwrap();
        assert_eq!(first.crc32, second.crc32);
        assert!(files(a.path()) == files(b.path()), "two runs differ");
        assert!(files(a.path()) != files(c.path()));
        let records: usize = std::fs::read_dir(a.path().join("site/data/thresholds"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .map(|text| text.matches("- { contaminant: ").count())
            .sum();
        assert_eq!(records, 300);
    }

    #[test]
    fn translations_keep_links_code_and_blocks_and_change_the_words() {
        let line = "Lead in [soil](../a/b.md) and `pH` of [Chad](country:TCD) kept.";
        let zh = translate_line(line, "zh");
        assert!(zh.contains("](../a/b.md)") && zh.contains("`pH`"), "{zh}");
        assert!(
            zh.contains("](country:TCD)") && !zh.contains("Lead"),
            "{zh}"
        );
        let ar = translate_line(line, "ar");
        assert!(ar.starts_with("لياد"), "{ar}");
        let page = "---\ntitle: \"Soil\"\nweight: 2\n---\n\nSoil text.\n\n```thresholds\ncontaminant: cd\n```\n";
        let fr = translate_page(page, "fr", "0123456789ab");
        assert!(
            fr.starts_with("---\ntitle: \"Soil\"\ntranslated_from: 0123456789ab\n---\n"),
            "{fr}"
        );
        assert!(
            fr.contains("Soil téxt.") && fr.contains("```thresholds\ncontaminant: cd\n```"),
            "{fr}"
        );
    }
}
