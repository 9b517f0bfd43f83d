//! What the reader's site offers beyond the pages themselves, in the built files: webinars split
//! by date with their feed and calendar, SOP revision history, "cite this page", "last updated"
//! from Git, the print edition of a section, and robots.txt.

mod common;

use common::{SiteTest, run_in_env};
use std::process::Command;

/// 2025-01-01T00:00:00Z, the build's "now" in these tests.
const NOW: &str = "1735689600";

fn site_with_events() -> SiteTest {
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/events/_index.md",
        "---\ntitle: Events\ndescription: Meetings.\n---\n\nAll meetings.\n",
    );
    site.write(
        "content/events/past.md",
        "---\ntitle: Past meeting\ndescription: It happened.\nwebinar:\n  date: \"2024-06-01T09:00:00-04:00\"\n---\n\nDone.\n",
    );
    site.write(
        "content/events/later.md",
        "---\ntitle: \"Workshop on sampling, QA; and <reporting>\"\ndescription: Still to come.\nwebinar:\n  date: \"2025-03-10T14:30:00+01:00\"\n  end: \"2025-03-10T16:00:00+01:00\"\n---\n\nSoon.\n",
    );
    site.write(
        "content/events/symposium.md",
        "---\ntitle: Symposium\nwebinar:\n  date: \"2025-05-02\"\n  end: \"2025-05-04\"\n---\n\nThree days.\n",
    );
    site.write(
        "content/events/draft.md",
        "---\ntitle: Draft event\ndraft: true\nwebinar:\n  date: \"2025-02-01T10:00:00Z\"\n---\n\nNot yet.\n",
    );
    site
}

fn build_at(site: &SiteTest, now: &str, extra: &[&str]) {
    let mut args = vec!["build", "--root", "."];
    args.extend_from_slice(extra);
    let run = run_in_env(site.path(), &args, &[("SOURCE_DATE_EPOCH", now)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn webinars_are_split_into_upcoming_and_past_by_the_build_date() {
    let site = site_with_events();
    build_at(&site, NOW, &[]);
    let html = site.read("public/events/index.html");
    let upcoming =
        &html[html.find("id=\"upcoming-title\"").unwrap()..html.find("id=\"past-title\"").unwrap()];
    let past = &html[html.find("id=\"past-title\"").unwrap()..];
    // Soonest first; the escaped title shows the data is escaped.
    let later = upcoming
        .find("Workshop on sampling, QA; and &lt;reporting&gt;")
        .unwrap();
    let symposium = upcoming.find("Symposium").unwrap();
    assert!(later < symposium, "{upcoming}");
    assert!(past.contains("Past meeting") && !upcoming.contains("Past meeting"));
    assert!(!html.contains("Draft event"), "drafts are not listed");
    assert!(html.contains("href=\"atom.xml\"") && html.contains("href=\"upcoming.ics\""));

    // A year later, everything is past: the same sources give another split.
    build_at(&site, "1767225600", &[]);
    let html = site.read("public/events/index.html");
    assert!(html.contains("No upcoming events are announced yet."));
    let past = &html[html.find("id=\"past-title\"").unwrap()..];
    let order: Vec<usize> = ["Symposium", "Workshop", "Past meeting"]
        .iter()
        .map(|t| past.find(t).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "latest first: {past}"
    );
}

#[test]
fn the_calendar_holds_upcoming_events_in_utc_and_the_feed_holds_all() {
    let site = site_with_events();
    build_at(&site, NOW, &[]);
    let ics = site.read("public/events/upcoming.ics");
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{ics}"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    // 14:30 at UTC+01:00 is 13:30 UTC; a multi-day event ends the day after its last day.
    assert!(
        ics.contains("DTSTART:20250310T133000Z\r\nDTEND:20250310T150000Z\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20250502\r\nDTEND;VALUE=DATE:20250505\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("SUMMARY:Workshop on sampling\\, QA\\; and <reporting>\r\n"),
        "{ics}"
    );
    assert!(ics.contains("URL:https://example.org/insop/events/later.html\r\n"));
    assert!(!ics.contains("Past meeting") && !ics.contains("Draft event"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "unfolded line: {line:?}");
    }

    let atom = site.read("public/events/atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert_eq!(atom.matches("<entry>").count(), 3, "{atom}");
    assert!(atom.contains("<id>https://example.org/insop/events/past.html</id>"));
    assert!(
        atom.contains("<published>2024-06-01T13:00:00Z</published>"),
        "{atom}"
    );
    assert!(atom.contains("Workshop on sampling, QA; and &lt;reporting&gt;"));
    let page = site.read("public/events/index.html");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));

    // With --drafts the editor's draft is in the preview's calendar too.
    build_at(&site, NOW, &["--drafts"]);
    assert!(
        site.read("public/events/upcoming.ics")
            .contains("SUMMARY:Draft event")
    );
}

#[test]
fn an_sop_shows_its_revision_history_and_a_print_button() {
    let site = SiteTest::from_fixture("manual");
    let sop = site.read("content/sops/digestion.md");
    let sop = sop.replacen(
        "sop:\n",
        "sop:\n  revisions:\n    - version: \"1.1\"\n      date: 2025-02-01\n      changes: \"Digestion time now cites clause 7 & 8\"\n    - version: \"1.0\"\n      date: 2024-09-15\n      changes: First approved version.\n",
        1,
    );
    assert!(sop.contains("revisions:"), "the fixture has an sop: block");
    site.write("content/sops/digestion.md", &sop);
    site.build_ok(&[]);
    let html = site.read("public/sops/digestion.html");
    let history = &html[html.find("Revision history").expect("a revision history")..];
    let newer = history.find("<td>1.1</td>").unwrap();
    let older = history.find("<td>1.0</td>").unwrap();
    assert!(newer < older);
    assert!(history.contains("Digestion time now cites clause 7 &amp; 8"));
    assert!(
        html.contains("data-print hidden>Print this SOP</button>"),
        "shown by the script only"
    );
    assert!(html.contains("<body class=\"kind-page sop\">"));
}

#[test]
fn cite_this_page_gives_version_date_and_address() {
    let site = SiteTest::from_fixture("manual");
    let config = site.read("pedon.toml");
    site.write("pedon.toml", &format!("{config}version = \"2025.1\"\n"));
    site.write(
        "content/manual/04-cite.md",
        "---\ntitle: \"Metals {and} 50% of $ cases\"\nupdated: 2025-03-04\nauthors: [A. Author, B. Author]\n---\n\nText.\n",
    );
    site.build_ok(&[]);
    let html = site.read("public/manual/04-cite.html");
    assert!(html.contains("<summary>Cite this page</summary>"));
    assert!(html.contains(
        "<p>A. Author, B. Author (2025). Metals {and} 50% of $ cases. In: Fixture manual, version 2025.1. Updated 2025-03-04. https://example.org/insop/manual/04-cite.html</p>"
    ), "{html}");
    assert!(html.contains("@misc{fixture-manual-04-cite,"), "{html}");
    assert!(
        html.contains("title        = {{Metals \\{and\\} 50\\% of \\$ cases}},"),
        "{html}"
    );
    assert!(html.contains("version      = {2025.1},"));
    assert!(html.contains("date         = {2025-03-04},"));
}

#[test]
fn last_updated_comes_from_git_when_the_front_matter_has_none() {
    let site = SiteTest::from_fixture("manual");
    let git = |args: &[&str], date: &str| {
        let status = Command::new("git")
            .args(args)
            .current_dir(site.path())
            .env("GIT_AUTHOR_NAME", "Editor")
            .env("GIT_AUTHOR_EMAIL", "editor@example.org")
            .env("GIT_COMMITTER_NAME", "Editor")
            .env("GIT_COMMITTER_EMAIL", "editor@example.org")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"], "2024-01-01T00:00:00Z");
    git(&["add", "."], "2024-01-01T00:00:00Z");
    git(&["commit", "-q", "-m", "first"], "2024-05-06T10:00:00Z");
    let intro = site.read("content/manual/01-intro.md");
    site.write("content/manual/01-intro.md", &format!("{intro}\nMore.\n"));
    git(&["commit", "-q", "-am", "second"], "2025-02-03T10:00:00Z");
    site.build_ok(&[]);

    let intro = site.read("public/manual/01-intro.html");
    assert!(
        intro.contains("Last updated <time datetime=\"2025-02-03\">"),
        "{intro}"
    );
    let sampling = site.read("public/manual/02-sampling.html");
    let front = site.read("content/manual/02-sampling.md");
    if !front.contains("updated:") {
        assert!(
            sampling.contains("Last updated <time datetime=\"2024-05-06\">"),
            "{sampling}"
        );
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("manual/01-intro.html</loc><lastmod>2025-02-03</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn a_print_edition_holds_every_page_of_the_section_with_unique_ids() {
    let site = SiteTest::from_fixture("manual");
    let config = site.read("pedon.toml");
    site.write(
        "pedon.toml",
        &format!("{config}\n[print]\nsections = [\"manual\"]\n"),
    );
    site.write(
        "content/manual/05-links.md",
        "---\ntitle: Links\n---\n\n## Sources\n\nSee [sampling](02-sampling.md) and [the same page](#sources), and [SOPs](../sops/_index.md).\n",
    );
    site.write(
        "content/manual/04-more.md",
        "---\ntitle: More\n---\n\n## Sources\n\nAlso sources.\n",
    );
    site.build_ok(&[]);
    let html = site.read("public/manual/print.html");
    let mut ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(i, _)| {
            let rest = &html[i + 5..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids in the print edition");
    assert!(
        ids.contains(&"p-manual-05-links-sources") && ids.contains(&"p-manual-04-more-sources")
    );
    // Pages in reading order, links between them inside the edition, others still working.
    let intro = html.find("id=\"p-manual-01-intro\"").unwrap();
    let links = html.find("id=\"p-manual-05-links\"").unwrap();
    assert!(intro < links);
    assert!(
        html.contains("href=\"#p-manual-02-sampling\">sampling</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"#p-manual-05-links-sources\">the same page</a>"));
    assert!(html.contains("href=\"../sops/index.html\">SOPs</a>"));
    assert!(!html.contains("Draft"), "drafts are not printed");
    // The section page leads to it.
    assert!(
        site.read("public/manual/index.html")
            .contains("href=\"print.html\"")
    );

    // A section that does not exist is an error naming it.
    site.write(
        "pedon.toml",
        &format!("{config}\n[print]\nsections = [\"manaul\"]\n"),
    );
    let run = site.run(&["build", "--root", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[E0100]: `[print] sections` names `manaul`")
            && run.stderr.contains("--> pedon.toml:5:14"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `manual`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("sections: manual, sops"),
        "{}",
        run.stderr
    );
}

#[test]
fn robots_txt_points_to_the_sitemap() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/insop/sitemap.xml\n"
    );
}

/// A reader on a metered connection: each chapter and SOP of the bundled site, with the
/// stylesheets and scripts it links, is under 100 KB before compression and at most 25 KiB as a
/// static host sends it (gzip -9).
#[test]
fn every_chapter_with_its_css_and_js_is_under_100_kb() {
    let gzipped = |bytes: &[u8]| -> u64 {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap().len() as u64
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = common::run_in(
        root,
        &["build", "--no-cache", "--output", public.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut checked = 0;
    for dir in ["manual", "sops", "webinars"] {
        for entry in std::fs::read_dir(public.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".html") || name == "print.html" {
                continue;
            }
            let html = std::fs::read_to_string(&path).unwrap();
            let mut total = html.len() as u64;
            let mut compressed = gzipped(html.as_bytes());
            let mut parts = vec![format!("{name} {}", html.len())];
            for attr in ["<link rel=\"stylesheet\" href=\"", "<script src=\""] {
                for (at, _) in html.match_indices(attr) {
                    let rest = &html[at + attr.len()..];
                    let href = &rest[..rest.find('"').unwrap()];
                    let bytes = std::fs::read(path.parent().unwrap().join(href))
                        .unwrap_or_else(|e| panic!("{name} links {href}: {e}"));
                    let size = bytes.len() as u64;
                    compressed += gzipped(&bytes);
                    parts.push(format!("{href} {size}"));
                    total += size;
                }
            }
            assert!(
                total < 100_000,
                "{dir}/{name} weighs {total} bytes: {parts:?}"
            );
            assert!(
                compressed <= 25 * 1024,
                "{dir}/{name} weighs {compressed} bytes gzipped: {parts:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} pages checked");
}
