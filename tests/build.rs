//! The HTML a reader gets: built from `tests/fixtures/manual` and read back.

mod common;

use common::SiteTest;

fn built() -> SiteTest {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    site
}

/// Every `<h2>`–`<h6>` element of `html`, whole, one a line.
fn headings(html: &str) -> String {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let level = rest.as_bytes().get(at + 2).copied().unwrap_or(b'x');
        rest = &rest[at + 2..];
        if !(b'2'..=b'6').contains(&level) {
            continue;
        }
        let close = format!("</h{}>", level as char);
        if let Some(end) = rest.find(&close) {
            out.push(format!("<h{}", &rest[..end + close.len()]));
            rest = &rest[end..];
        }
    }
    out.join("\n")
}

/// The headings a reader and a link see: ids from the text, `-1` for a repeat, `{#custom}` kept,
/// each with its anchor link. The whole set is a snapshot, so a change to any of them shows.
#[test]
fn headings_get_stable_unique_ids_and_custom_ids() {
    let html = built().read("public/manual/01-intro.html");
    insta::assert_snapshot!(headings(&html));
}

#[test]
fn links_to_markdown_files_become_relative_page_urls() {
    let site = built();
    let intro = site.read("public/manual/01-intro.html");
    assert!(intro.contains(r#"href="02-sampling.html#composite-samples""#));
    assert!(
        intro.contains(r#"href="../sops/digestion.html""#),
        "sop: reference"
    );
    // Images keep their place before they load: the size is read from the file.
    assert!(
        intro.contains(r#"<img src="../images/profile.png" alt="A soil profile" width="4" height="3" loading="lazy""#),
        "{intro}"
    );
    let sampling = site.read("public/manual/02-sampling.html");
    assert!(sampling.contains(r#"href="01-intro.html#scope-1""#));
    assert!(sampling.contains(r#"href="../index.html""#));
    let home = site.read("public/index.html");
    assert!(home.contains(r#"href="manual/02-sampling.html""#));
}

#[test]
fn markdown_extensions_are_rendered() {
    let html = built().read("public/manual/01-intro.html");
    assert!(
        html.contains("“quotes”") && html.contains("–"),
        "smart punctuation"
    );
    // Wide tables scroll in a region keyboard users can reach, named after the section.
    assert!(
        html.contains(r#"<div class="table-wrap" role="region" tabindex="0" aria-label="Table: "#)
            && html.contains("<table>"),
        "tables"
    );
    assert!(html.contains("<del>struck</del>"), "strikethrough");
    assert!(html.contains(r#"type="checkbox""#), "task lists");
    assert!(html.contains("footnote-definition"), "footnotes");
}

#[test]
fn code_is_highlighted_with_classes_and_escaped() {
    let site = built();
    let html = site.read("public/manual/01-intro.html");
    assert!(html.contains(r#"data-lang="json""#));
    assert!(html.contains(r#"<span class="hl-"#), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert"));
    let code = html
        .split("<pre")
        .skip(1)
        .map(|p| p.split("</pre>").next().unwrap())
        .collect::<String>();
    assert!(!code.contains("style="), "no inline styles in code");
    let css = site.read("public/highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn navigation_breadcrumbs_pager_and_toc() {
    let html = built().read("public/manual/01-intro.html");
    // Sidebar lists both sections, the current page is marked.
    assert!(html.contains(r#"<a href="../sops/index.html">SOPs</a>"#));
    assert!(html.contains(r#"<a href="01-intro.html" aria-current="page">Introduction</a>"#));
    // Breadcrumbs: home › Manual › page.
    let crumbs = html
        .split(r#"class="breadcrumbs""#)
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(
        crumbs.contains(r#"href="../index.html">Fixture manual"#)
            && crumbs.contains(r#"href="index.html">Manual"#)
    );
    // Reading order: Manual section, then 01, then 02 (weight), the draft left out.
    assert!(html.contains(r#"rel="prev" href="index.html""#));
    assert!(html.contains(r#"rel="next" href="02-sampling.html""#));
    // Table of contents of h2 and h3.
    let toc = html
        .split(r#"class="toc""#)
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(toc.contains("#scope") && toc.contains("#scope-1") && toc.contains("#soil-depth"));
}

#[test]
fn sections_list_children_by_weight_then_title() {
    let html = built().read("public/manual/index.html");
    let intro = html
        .find(r#"<li><a href="01-intro.html">"#)
        .expect("intro listed");
    let sampling = html
        .find(r#"<li><a href="02-sampling.html">"#)
        .expect("sampling listed");
    assert!(intro < sampling);
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = built();
    assert!(!site.exists("public/manual/03-draft.html"));
    site.build_ok(&["--drafts"]);
    assert!(site.exists("public/manual/03-draft.html"));
}

#[test]
fn sop_pages_show_their_header_and_blocks() {
    let html = built().read("public/sops/digestion.html");
    assert!(html.contains("<dd>TEST-SOP-01</dd>"));
    assert!(html.contains(r#"class="status status-draft""#));
    assert!(html.contains("Work in a fume hood") && html.contains("Nitric acid"));
}

#[test]
fn output_works_under_any_sub_path() {
    let site = built();
    for page in [
        "public/index.html",
        "public/manual/01-intro.html",
        "public/sops/digestion.html",
    ] {
        let html = site.read(page);
        for attr in [r#"href="/"#, r#"src="/"#] {
            assert!(
                !html.contains(attr),
                "{page} has a root-absolute URL ({attr})"
            );
        }
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/insop/manual/01-intro.html</loc>"));
    let not_found = site.read("public/404.html");
    assert!(
        not_found.contains(r#"href="/insop/style.css""#),
        "404 works at any depth"
    );
    let canonical = site.read("public/manual/index.html");
    assert!(
        canonical.contains(r#"<link rel="canonical" href="https://example.org/insop/manual/">"#)
    );
}

#[test]
fn base_url_flag_overrides_config() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&["--base-url", "https://mirror.example.net/soil/"]);
    assert!(
        site.read("public/sitemap.xml")
            .contains("https://mirror.example.net/soil/manual/")
    );
}

#[test]
fn front_matter_text_is_escaped() {
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/manual/04-escape.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndescription: \"a & b\"\n---\nBody.\n",
    );
    site.build_ok(&[]);
    let html = site.read("public/manual/04-escape.html");
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{html}"
    );
}

#[test]
fn crlf_and_bom_files_build() {
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/manual/05-crlf.md",
        "\u{feff}---\r\ntitle: Windows file\r\n---\r\n## A heading\r\n\r\nText.\r\n",
    );
    site.build_ok(&[]);
    assert!(
        site.read("public/manual/05-crlf.html")
            .contains(r#"<h2 id="a-heading">"#)
    );
}

/// A section of up to fifty entries is in the sidebar whole: an 11-chapter manual showed
/// "… 1 more" instead of its new chapter.
#[test]
fn the_sidebar_lists_a_section_of_fifty_whole() {
    let site = SiteTest::from_fixture("manual");
    for n in 1..=50 {
        site.write(
            &format!("content/long/p{n:02}.md"),
            &format!("---\ntitle: Page {n:02}\nweight: {n}\n---\nText.\n"),
        );
    }
    site.build_ok(&[]);
    let html = site.read("public/long/p01.html");
    let sidebar = html.split(r#"class="sidebar""#).nth(1).unwrap();
    let sidebar = sidebar.split("</nav>").next().unwrap();
    assert_eq!(sidebar.matches(">Page ").count(), 50, "{sidebar}");
    assert!(!sidebar.contains(" more</a>"), "{sidebar}");
}

/// A page's size must not grow with its section: past fifty entries the sidebar lists a window
/// around the current page and links to the section page for the rest.
#[test]
fn the_sidebar_of_a_long_section_lists_a_window_and_links_to_the_rest() {
    let site = SiteTest::from_fixture("manual");
    for n in 1..=51 {
        site.write(
            &format!("content/long/p{n:02}.md"),
            &format!("---\ntitle: Page {n:02}\nweight: {n}\n---\nText.\n"),
        );
    }
    site.build_ok(&[]);
    let html = site.read("public/long/p20.html");
    let sidebar = html
        .split(r#"class="sidebar""#)
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    let listed = sidebar.matches(">Page ").count();
    assert_eq!(listed, 17, "{sidebar}");
    assert!(
        sidebar.contains(r#"<a href="index.html">… 11 more</a>"#),
        "{sidebar}"
    );
    assert!(
        sidebar.contains(r#"<a href="index.html">… 23 more</a>"#),
        "{sidebar}"
    );
    // The section page itself lists all of them.
    let section = site.read("public/long/index.html");
    let children = section
        .split(r#"class="children""#)
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(children.matches("<li><a href=").count(), 51);
}

/// A page is a page whatever the case of its extension, and a file under `content/` that is
/// neither a page nor a kind of file readers open is named in a warning, not published silently.
#[test]
fn file_kinds_are_told_apart_without_regard_to_case() {
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/manual/Annex.MD",
        "---\ntitle: Annex\n---\nBack to [the intro](01-intro.md).\n",
    );
    site.write(
        "content/manual/03-links.md",
        "---\ntitle: Links\n---\nSee [the annex](Annex.MD).\n",
    );
    site.write("content/manual/notes.markdown", "# Draft notes\n");
    site.write("content/manual/Figure.PNG", "not really a PNG");
    let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let annex = site.read("public/manual/annex.html");
    assert!(annex.contains("<title>Annex"), "{annex}");
    assert!(annex.contains(r#"href="01-intro.html""#), "{annex}");
    assert!(!site.exists("public/manual/Annex.MD"), "not a raw copy");
    assert!(
        site.read("public/manual/03-links.html")
            .contains(r#"href="annex.html""#)
    );
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.contains("warning["))
            .collect::<Vec<_>>(),
        [
            "content/manual/notes.markdown:1:1: warning[W0302]: `content/manual/notes.markdown` is neither a page nor a kind of file Pedon knows; it is published as it is (help: if it is a page, rename it to `notes.md`; pages end in `.md`; if readers should not get this file, move it out of content/)"
        ],
        "{}",
        run.stderr
    );
    // An image with a capitalised extension is an ordinary asset.
    assert!(site.exists("public/manual/Figure.PNG"));
}

/// What editors and file managers leave beside the files is never part of the site, and never
/// fails the build: Emacs's lock file is a symlink to nowhere while the buffer is modified.
#[test]
fn editor_and_system_litter_is_ignored() {
    let site = SiteTest::from_fixture("manual");
    let manual = site.path().join("content/manual");
    std::os::unix::fs::symlink("user@host.1234:1764720000", manual.join(".#01-intro.md")).unwrap();
    for litter in [
        "#01-intro.md#",
        "01-intro.md~",
        ".01-intro.md.swp",
        "4913",
        ".~lock.data.ods#",
        ".DS_Store",
        "Thumbs.db",
    ] {
        std::fs::write(manual.join(litter), "---\ntitle: [broken\n").unwrap();
    }
    let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let mut published: Vec<String> = std::fs::read_dir(site.path().join("public/manual"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    published.sort();
    assert!(
        published.iter().all(|name| name.ends_with(".html")),
        "{published:?}"
    );
}

/// A renamed page keeps its old address: `aliases:` writes a page there that sends readers on,
/// kept out of the sitemap; a link still written to the old file is told the new one.
#[test]
fn aliases_keep_old_addresses_and_links_learn_the_new_name() {
    let site = SiteTest::from_fixture("manual");
    let old = site.read("content/manual/02-sampling.md");
    std::fs::remove_file(site.path().join("content/manual/02-sampling.md")).unwrap();
    site.write(
        "content/manual/05-collecting-soil.md",
        &old.replacen(
            "weight: 2\n",
            "weight: 2\naliases: [manual/02-sampling.md, old/sampling.html]\n",
            1,
        ),
    );
    // Links to the old file are fixed first (the build checks them), then built.
    let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/manual/01-intro.md:7:25: error[E0201]: broken link: `02-sampling.md` does not exist (help: did you mean `05-collecting-soil.md`?)"
        ),
        "{}",
        run.stderr
    );
    for file in ["content/manual/01-intro.md", "content/_index.md"] {
        let text = site.read(file);
        site.write(
            file,
            &text.replace("02-sampling.md", "05-collecting-soil.md"),
        );
    }
    site.build_ok(&[]);
    let redirect = site.read("public/manual/02-sampling.html");
    assert!(
        redirect
            .contains(r#"<meta http-equiv="refresh" content="0; url=05-collecting-soil.html">"#),
        "{redirect}"
    );
    assert!(redirect.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(redirect.contains(r#"<a href="05-collecting-soil.html">Sampling</a>"#));
    let other = site.read("public/old/sampling.html");
    assert!(
        other.contains("url=../manual/05-collecting-soil.html"),
        "{other}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("manual/05-collecting-soil.html"));
    assert!(!sitemap.contains("manual/02-sampling.html"), "{sitemap}");

    // An alias that is a page's address is a mistake, located in the front matter.
    let text = site.read("content/manual/05-collecting-soil.md");
    site.write(
        "content/manual/05-collecting-soil.md",
        &text.replace("old/sampling.html", "manual/01-intro.md"),
    );
    let run = site.run(&["build", "--root", ".", "--message-format", "short"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/manual/05-collecting-soil.md:4:34: error[E0301]: alias `manual/01-intro.md` is the address of `manual/01-intro.md`"),
        "{}",
        run.stderr
    );
}
