//! Property tests (proptest) over the code that meets editors' text first: front matter splitting,
//! YAML loading and the helpers that locate values in it, slugs, link normalisation and relative
//! URLs, and whole pages with Pedon's link and block extensions built in memory. The properties:
//! no panic, every diagnostic renders (its span lies in its file), text from the input is escaped
//! wherever Pedon writes it (titles, descriptions, code, thresholds blocks, links), and every link
//! and image the model scanned is written with its own target, however they nest.
//! Raw HTML written in a page body is the editor's own and passes through, as CommonMark says.
//!
//! A fixed budget runs with `cargo test` (about 10 s); `PEDON_FUZZ_SCALE=N` multiplies every
//! property's cases (`bench/fuzz.sh` runs a long session and prints executions and time).

use crate::diagnostics::{Diagnostic, MessageFormat, SourceMap, render_all};
use crate::load::slug::slugify;
use crate::load::yaml;
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `default_cases` for `cargo test`, times `PEDON_FUZZ_SCALE` for a longer session.
fn config(default_cases: u32) -> ProptestConfig {
    let scale: u32 = std::env::var("PEDON_FUZZ_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let cases = default_cases.saturating_mul(scale);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Counts executions per property, printed at the end (visible with `--nocapture`).
struct Counter(&'static str, AtomicUsize, std::time::Instant);

impl Counter {
    fn new(name: &'static str) -> Counter {
        Counter(name, AtomicUsize::new(0), std::time::Instant::now())
    }
    fn tick(&self) {
        self.1.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        eprintln!(
            "fuzz {}: {} executions in {:.2} s",
            self.0,
            self.1.load(Ordering::Relaxed),
            self.2.elapsed().as_secs_f64()
        );
    }
}

/// Text made of the pieces that matter to YAML and front matter, so that random cases reach the
/// parser's corners (fences, indentation, tabs, quotes, flow collections, BOM, CRLF) and not only
/// its first error.
fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just(": ".to_string()),
        Just("title".to_string()),
        Just("weight".to_string()),
        Just("sop".to_string()),
        Just("code".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("#".to_string()),
        Just("\u{feff}".to_string()),
        Just("<script>".to_string()),
        Just("&".to_string()),
        Just("*a".to_string()),
        Just("&a ".to_string()),
        Just("!!str ".to_string()),
        Just("é漢".to_string()),
        "[a-z0-9]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

fn front_matter_text() -> impl Strategy<Value = String> {
    (prop::bool::ANY, yamlish(), prop::bool::ANY, ".{0,40}").prop_map(
        |(bom, yaml, closed, body)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str("---\n");
            text.push_str(&yaml);
            if closed {
                text.push_str("\n---\n");
            }
            text.push_str(&body);
            text
        },
    )
}

/// Renders the diagnostics in both formats: codespan panics on a span outside its file.
fn renders(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for format in [MessageFormat::Human, MessageFormat::Short] {
        let _ = render_all(diagnostics.iter(), sources, format);
    }
}

#[test]
fn front_matter_splitting_and_parsing() {
    let counter = Counter::new("front matter");
    proptest!(config(600), |(text in prop_oneof![front_matter_text(), ".*"])| {
        counter.tick();
        if let Ok(split) = crate::load::split_front_matter(&text) {
            prop_assert_eq!(split.body.end, text.len());
            prop_assert!(text.is_char_boundary(split.body.start));
            if let Some(yaml) = split.yaml {
                prop_assert!(yaml.end <= split.body.start);
                prop_assert!(text.is_char_boundary(yaml.start) && text.is_char_boundary(yaml.end));
            }
        }
        let mut sources = SourceMap::default();
        let id = sources.add(std::path::Path::new("p.md"), "p.md".into(), text.clone());
        if let Err(d) = crate::load::parse_front_matter(sources.get(id), id) {
            renders(&[*d], &sources);
        }
    });
}

#[test]
fn yaml_loading_and_locating() {
    let counter = Counter::new("yaml");
    proptest!(config(600), |(text in yamlish(), key in "[a-z]{1,6}")| {
        counter.tick();
        let mut sources = SourceMap::default();
        let id = sources.add(std::path::Path::new("d.yaml"), "d.yaml".into(), text.clone());
        let file = sources.get(id);
        let mut found = Vec::new();
        if let Err(d) = yaml::parse_data::<Vec<serde_yaml::Value>>(file, id, "data file") {
            found.push(*d);
        }
        if let Err(d) = yaml::parse::<crate::load::FrontMatter>(file, id, 0..text.len(), "front matter") {
            found.push(*d);
        }
        renders(&found, &sources);
        let all = 0..text.len();
        for item in yaml::sequence_items(&text, all.clone(), Some(&key)) {
            prop_assert!(item.start <= item.end && item.end <= text.len());
            let _ = yaml::value_span(&text, item, &key);
        }
        let _ = yaml::sequence_items(&text, all.clone(), None);
        if let Some(span) = yaml::value_span(&text, all, &key) {
            prop_assert!(text.get(span).is_some());
        }
    });
}

#[test]
fn slugs_are_safe_ids() {
    let counter = Counter::new("slug");
    proptest!(config(3000), |(text in ".*")| {
        counter.tick();
        let slug = slugify(&text);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert!(slug.chars().all(|c| c == '-' || c.is_alphanumeric()));
        prop_assert_eq!(slugify(&slug), slug.clone(), "a slug is its own slug");
    });
}

/// Folder paths as output paths are written (`a/b/page.html`).
fn output_path() -> impl Strategy<Value = String> {
    (prop::collection::vec("[a-c]{1,2}", 0..4), "[a-c]{1,2}").prop_map(|(dirs, name)| {
        let mut parts = dirs;
        parts.push(format!("{name}.html"));
        parts.join("/")
    })
}

/// Where a relative URL written on page `from` leads, as a browser resolves it.
fn follow(from: &str, url: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in url.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[test]
fn link_paths_and_relative_urls() {
    let counter = Counter::new("urls");
    proptest!(config(3000), |(from in output_path(), to in output_path(), raw in "[a./%_\\-]{0,30}")| {
        counter.tick();
        let url = crate::render::markdown::relative_url(&from, &to);
        prop_assert_eq!(follow(&from, &url), to);
        if let Some(normal) = crate::model::normalize_link_path(&raw) {
            prop_assert!(!normal.split('/').any(|p| p == ".." || p == "."), "{}", normal);
        }
        prop_assert!(crate::serve::site_path_for_tests(&raw, "/").is_none_or(|p| !p.split('/').any(|s| s == "..")));
    });
}

/// A page body built from Pedon's constructs, with hostile text in the places Pedon escapes.
fn page_body() -> impl Strategy<Value = String> {
    let hostile = prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("\"><script>x</script>".to_string()),
        Just("</code><script>".to_string()),
        Just("&amp;<".to_string()),
        "[a-z ]{0,8}",
    ];
    let block = (hostile, "[a-z]{0,5}", 0..9u8).prop_map(|(h, word, kind)| match kind {
        0 => format!("## {word} heading\n\nText `{h}` here.\n"),
        1 => format!("```{word}\n{h}\n```\n"),
        2 => format!("[see]({word}.md#{word})\n"),
        3 => format!("[cadmium](contaminant:{word}) and [sop](sop:{word})\n"),
        4 => format!(
            "```thresholds\ncontaminant: {word}\nland_use: \"{}\"\n```\n",
            h.replace('"', "")
        ),
        5 => format!("| a | b |\n|---|---|\n| `{h}` | {word} |\n"),
        6 => format!("![{word}](/images/{word}.png)\n"),
        7 => format!("[x](../../../{word}.md) [y](<{word} {word}.md>)\n"),
        _ => format!("## {word} {{#{word}}}\n\n[back](#{word})\n"),
    });
    prop::collection::vec(block, 0..8).prop_map(|b| b.join("\n"))
}

#[test]
fn pages_with_extensions_build_without_panic_and_escape_their_text() {
    let counter = Counter::new("pages");
    let built_ok = Counter::new("pages that built without error");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/manual")).unwrap();
    std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\n").unwrap();
    std::fs::write(
        root.join("content/manual/_index.md"),
        "---\ntitle: Manual\n---\n",
    )
    .unwrap();
    proptest!(config(80), |(title in ".{0,12}", body in page_body(), nested in prop::bool::ANY)| {
        counter.tick();
        let rel = if nested { "content/manual/page.md" } else { "content/page.md" };
        let _ = std::fs::remove_file(root.join("content/manual/page.md"));
        let _ = std::fs::remove_file(root.join("content/page.md"));
        let title_yaml = serde_json::to_string(&format!("<script>alert({title})")).unwrap();
        std::fs::write(root.join(rel), format!("---\ntitle: {title_yaml}\ndescription: \"</p><script>\"\n---\n{body}")).unwrap();
        let options = crate::BuildOptions { root: root.to_path_buf(), ..Default::default() };
        let built = crate::build(&options, &AtomicUsize::new(0));
        let diagnostics: Vec<_> = built.diagnostics.iter().cloned().collect();
        renders(&diagnostics, built.sources());
        if !built.has_errors() {
            built_ok.tick();
        }
        for (path, file) in built.output.iter() {
            if let crate::output::OutputFile::Bytes(bytes) = file
                && path.ends_with(".html")
            {
                let html = String::from_utf8_lossy(bytes);
                prop_assert!(!html.contains("<script>alert") && !html.contains("<script>x"), "{}", path);
                prop_assert!(!html.contains("\"><script"), "{}", path);
            }
        }
    });
    assert!(
        built_ok.1.load(Ordering::Relaxed) > 0,
        "no generated page built: the escaping was never checked"
    );
}

/// A link's destination: pages of the site (written `p1.md`, resolved to `p1.html`), their
/// headings, and another host (written as it is).
fn link_dest() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..4u8).prop_map(|n| format!("p{n}.md")),
        (0..4u8).prop_map(|n| format!("p{n}.md#part")),
        (0..4u8).prop_map(|n| format!("https://example.org/{n}")),
    ]
}

/// An image of the site, root-relative (`/images/i1.png`, resolved to `../images/i1.png`).
fn image_dest() -> impl Strategy<Value = String> {
    (0..4u8).prop_map(|n| format!("/images/i{n}.png"))
}

/// Inline Markdown with links and images nested in each other's text, reference links (the
/// definitions are in [`linked_body`]), autolinks, code spans that look like links, emphasis,
/// and stray brackets that make CommonMark choose.
fn linked_inline() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z]{1,6}",
        Just(" ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("!".to_string()),
        Just("*".to_string()),
        Just("`".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        link_dest().prop_map(|d| format!("[t]({d})")),
        link_dest().prop_map(|d| format!("[t]({d} \"title\")")),
        image_dest().prop_map(|d| format!("![i]({d})")),
        link_dest().prop_map(|d| format!("`[c]({d})`")),
        (0..4u8).prop_map(|n| format!("<https://example.org/a{n}>")),
        (0..4u8).prop_map(|n| format!("[r{n}]")),
        (0..4u8).prop_map(|n| format!("![r{n}]")),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let text = prop::collection::vec(inner, 1..4).prop_map(|v| v.concat());
        prop_oneof![
            (text.clone(), link_dest()).prop_map(|(t, d)| format!("[{t}]({d})")),
            (text.clone(), image_dest()).prop_map(|(t, d)| format!("![{t}]({d})")),
            (text.clone(), 0..4u8).prop_map(|(t, n)| format!("[{t}][r{n}]")),
            (text.clone(), 0..4u8).prop_map(|(t, n)| format!("![{t}][r{n}]")),
            text.clone().prop_map(|t| format!("*{t}*")),
            text.prop_map(|t| format!("**{t}**")),
        ]
    })
}

/// Paragraphs of [`linked_inline`], then the reference definitions they use.
fn linked_body() -> impl Strategy<Value = String> {
    prop::collection::vec(linked_inline(), 1..6).prop_map(|paragraphs| {
        let mut body = paragraphs.join("\n\n");
        body.push_str(
            "\n\n[r0]: p0.md\n[r1]: /images/i1.png\n[r2]: https://example.org/r2\n[r3]: p3.md#part \"t\"\n",
        );
        body
    })
}

/// The elements with a destination in rendered HTML, in order: (is an image, `src` or `href`).
fn destinations(html: &str) -> Vec<(bool, &str)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let attribute = [("<a href=\"", false), ("<img src=\"", true)]
            .into_iter()
            .find(|(start, _)| rest.starts_with(start));
        if let Some((start, is_image)) = attribute {
            let value = &rest[start.len()..];
            found.push((is_image, &value[..value.find('"').unwrap_or(value.len())]));
        }
        rest = &rest[1..];
    }
    found
}

/// The model's scan and the renderer walk a page's Markdown separately; every link and image
/// the scan found must be written with its own resolved target on the element it belongs to,
/// and every element the renderer writes must be one the scan found (none falls back to its
/// destination as written, none is left open).
#[test]
fn every_scanned_link_is_written_on_its_own_element() {
    let counter = Counter::new("links");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/manual")).unwrap();
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    for n in 0..4 {
        let page = format!("---\ntitle: P{n}\n---\n## Part\n");
        std::fs::write(root.join(format!("content/manual/p{n}.md")), page).unwrap();
        std::fs::write(root.join(format!("static/images/i{n}.png")), b"").unwrap();
    }
    proptest!(config(150), |(body in linked_body())| {
        counter.tick();
        std::fs::write(root.join("content/manual/page.md"), format!("---\ntitle: Page\n---\n{body}")).unwrap();
        let site = crate::model::build_for_tests(root);
        let page = site.page(site.by_rel["manual/page.md"]);
        let html = crate::render::markdown::render(&site, &crate::render::View::of(&site), page);

        prop_assert_eq!(page.links().count(), page.doc.links.len(), "a link without a target");
        let expected: Vec<(bool, String)> = page
            .links()
            .map(|(link, target)| {
                let url = crate::render::markdown::target_url(&site, page, target, &link.dest);
                let mut escaped = String::new();
                pulldown_cmark_escape::escape_href(&mut escaped, &url).unwrap();
                (link.is_image, escaped)
            })
            .collect();
        let written = destinations(&html);
        let written_owned: Vec<(bool, String)> =
            written.iter().map(|&(i, d)| (i, d.to_string())).collect();
        prop_assert_eq!(&written_owned, &expected, "{}", html);
        // A broken link (an error of the build) is written as it stands: pulldown-cmark can
        // read `![](][r0]](p0.md#part)[` as an image whose destination holds `.md#`.
        let resolved = page.links().map(|(_, target)| target).zip(&written);
        for (_, (_, dest)) in resolved.filter(|(t, _)| !matches!(t, crate::model::Target::Broken)) {
            prop_assert!(
                !dest.ends_with(".md") && !dest.contains(".md#") && !dest.starts_with("/images/"),
                "written as in the Markdown, not resolved: {}\n{}", dest, html
            );
        }
        prop_assert_eq!(html.matches("<a ").count(), html.matches("</a>").count(), "{}", html);
    });
}
