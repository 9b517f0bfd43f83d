//! A site in several languages: translated pages beside their originals, fallbacks with a notice,
//! `lang`/`dir`/`hreflang`, the switcher, the sitemap, stale translations, and the interface
//! strings, numbers and dates of each language.

mod common;

use common::SiteTest;
use pedon::model::fingerprint;

const CONFIG: &str = "title = \"Manual\"\nbase_url = \"https://example.org/docs/\"\n\
[[languages]]\ncode = \"en\"\nname = \"English\"\n\
[[languages]]\ncode = \"fr\"\nname = \"Français\"\n\
[[languages]]\ncode = \"ar\"\nname = \"العربية\"\ndirection = \"rtl\"\n";

const HOME: &str = "---\ntitle: Home\n---\nWelcome. Read the [guide](guide.md#start).\n";
const GUIDE: &str =
    "---\ntitle: Guide\nweight: 1\n---\n## Start\n\nSee [the other page](other.md).\n";
const OTHER: &str = "---\ntitle: Other\nweight: 2\n---\nOther text.\n";

/// English home, guide and other page; French home and guide, made from the current originals.
fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("pedon.toml", CONFIG);
    site.write("content/_index.md", HOME);
    site.write("content/guide.md", GUIDE);
    site.write("content/other.md", OTHER);
    site.write(
        "content/_index.fr.md",
        &format!(
            "---\ntitle: Accueil\ntranslated_from: {}\n---\nBienvenue. Lisez le [guide](guide.md#start).\n",
            fingerprint(HOME)
        ),
    );
    site.write(
        "content/guide.fr.md",
        &format!(
            "---\ntitle: Guide pratique\ntranslated_from: {}\n---\n## Commencer {{#start}}\n\nVoir [l'autre page](other.md).\n",
            fingerprint(GUIDE)
        ),
    );
    site
}

#[test]
fn every_page_exists_in_every_language_with_lang_dir_and_alternates() {
    let site = site();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    // The translation, at the original's place under fr/, its links kept in French.
    let guide = site.read("public/fr/guide.html");
    assert!(guide.contains("<html lang=\"fr\" dir=\"ltr\">"), "{guide}");
    assert!(guide.contains("<h1>Guide pratique</h1>"));
    assert!(
        guide.contains("href=\"other.html\""),
        "French link stays in French"
    );
    assert!(
        !guide.contains("class=\"notice"),
        "an up-to-date translation has no notice"
    );
    assert!(
        site.read("public/fr/index.html")
            .contains("href=\"guide.html#start\"")
    );
    // French interface strings.
    assert!(
        guide.contains(">Sur cette page<") || guide.contains("Aller au contenu"),
        "{guide}"
    );

    // Not translated: the original's text in the French site, marked as English, with a notice.
    let other = site.read("public/fr/other.html");
    assert!(other.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(
        other.contains("class=\"notice notice-fallback\""),
        "{other}"
    );
    assert!(other.contains("<div class=\"content\" lang=\"en\" dir=\"auto\"><p>Other text.</p>"));
    // Its title too: an English title in a right-to-left or other-language page keeps its own
    // direction and pronunciation. A translation's title is the page's language.
    assert!(
        other.contains("<h1 lang=\"en\" dir=\"auto\">Other</h1>"),
        "{other}"
    );
    assert!(guide.contains("<h1>Guide pratique</h1>"), "{guide}");
    assert!(
        other.contains("href=\"../other.html\" hreflang=\"en\""),
        "notice links the original"
    );
    // Links to it from French pages say its title is English.
    assert!(
        guide.contains("<span lang=\"en\" dir=\"auto\">Other</span>"),
        "pager: {guide}"
    );
    // Its canonical address is the original's: one text, one address.
    assert!(
        other.contains("<link rel=\"canonical\" href=\"https://example.org/docs/other.html\">")
    );

    // Arabic: right to left, every page there.
    for page in ["index.html", "guide.html", "other.html"] {
        let html = site.read(&format!("public/ar/{page}"));
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    }

    // hreflang alternates name the real translations only, and the default as x-default.
    let en = site.read("public/guide.html");
    assert!(en.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/docs/fr/guide.html\">"
    ));
    assert!(en.contains(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/docs/guide.html\">"
    ));
    assert!(
        !en.contains("hreflang=\"ar\" href="),
        "Arabic is a fallback"
    );

    // The switcher keeps the reader on the same page, and says what is not translated.
    assert!(en.contains(
        "<a href=\"fr/guide.html\" lang=\"fr\" hreflang=\"fr\" dir=\"ltr\">Français</a>"
    ));
    assert!(en.contains(
        "<a href=\"ar/guide.html\" lang=\"ar\" hreflang=\"ar\" dir=\"rtl\" class=\"untranslated\""
    ));
    assert!(en.contains("aria-current=\"page\""));

    // The sitemap: translations as alternates, fallbacks left out.
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/docs/fr/guide.html\"/>"
    ));
    assert!(!sitemap.contains("<loc>https://example.org/docs/fr/other.html</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/docs/fr/guide.html</loc>"));

    // One search index per language.
    for dir in ["search", "fr/search", "ar/search"] {
        assert!(site.exists(&format!("public/{dir}/index.js")), "{dir}");
    }
    assert!(
        site.read("public/fr/search/p/1.js")
            .contains("Guide pratique")
    );
}

#[test]
fn a_changed_original_marks_its_translation_stale() {
    let site = site();
    site.write(
        "content/guide.md",
        &GUIDE.replace("See [the other", "First, see [the other"),
    );
    let check = site.run(&["check"]);
    assert_eq!(
        check.code, 0,
        "a stale translation is a warning: {}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("warning[W0602]: translation of `guide.md` is out of date"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("content/guide.fr.md:3:18"),
        "{}",
        check.stderr
    );
    let current = fingerprint(&site.read("content/guide.md"));
    assert!(
        check
            .stderr
            .contains(&format!("then set `translated_from: {current}`")),
        "{}",
        check.stderr
    );
    site.build_ok(&[]);
    let guide = site.read("public/fr/guide.html");
    assert!(guide.contains("class=\"notice notice-stale\""), "{guide}");
    assert!(guide.contains("href=\"../guide.html\" hreflang=\"en\""));

    // Bringing it up to date removes the notice and the warning.
    let fr = site.read("content/guide.fr.md");
    let old = fingerprint(GUIDE);
    site.write("content/guide.fr.md", &fr.replace(&old, &current));
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("W0602"), "{}", run.stderr);
    assert!(!site.read("public/fr/guide.html").contains("notice-stale"));
}

#[test]
fn translation_mistakes_are_located() {
    let site = site();
    // No record of the original's version; a translation of nothing; a heading that lost the
    // original's anchor, which a French link needs.
    site.write(
        "content/other.fr.md",
        "---\ntitle: Autre\n---\nAutre texte.\n",
    );
    site.write("content/lost.fr.md", "---\ntitle: Perdu\n---\nRien.\n");
    let guide = site.read("content/guide.fr.md");
    site.write("content/guide.fr.md", &guide.replace(" {#start}", ""));
    let run = site.run(&["build", "--root", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains(
            "warning[W0602]: translation of `other.md` does not say which version it was made from"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("add `translated_from: {}`", fingerprint(OTHER))),
        "{err}"
    );
    assert!(
        err.contains("warning[W0603]: `lost.fr.md` translates `lost.md`, which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("error[E0202]: broken anchor: `#start` is not a heading in `guide.fr.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/_index.fr.md:5:29"),
        "located in the French home: {err}"
    );
}

#[test]
fn missing_interface_strings_warn_and_fall_back() {
    let site = site();
    site.write(
        "themes/insop/i18n/fr.toml",
        "[format]\ndecimal = \",\"\ngroup = \" \"\ndate = \"{day} {month} {year}\"\n\
         months = [\"janvier\", \"février\", \"mars\", \"avril\", \"mai\", \"juin\", \"juillet\", \"août\", \"septembre\", \"octobre\", \"novembre\", \"décembre\"]\n\
         [strings]\non_this_page = \"Sur cette page\"\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("warning[W0601]: interface strings `i18n/fr.toml` lack keys: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`skip_to_content`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("themes/insop/i18n/fr.toml"),
        "{}",
        run.stderr
    );
    let guide = site.read("public/fr/guide.html");
    assert!(
        guide.contains(">Skip to content</a>"),
        "English where French lacks it"
    );

    // A malformed file is an error located in it.
    site.write("themes/insop/i18n/fr.toml", "[strings]\non_this_page = \n");
    let run = site.run(&["build", "--root", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[E0601]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("themes/insop/i18n/fr.toml:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn language_declarations_are_checked() {
    let site = site();
    site.write(
        "pedon.toml",
        "default_language = \"es\"\n[[languages]]\ncode = \"en\"\n[[languages]]\ncode = \"fr\"\n",
    );
    let run = site.run(&["build", "--root", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the default language `es` is not among `[[languages]]` (`en`, `fr`)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pedon.toml:1:1"), "{}", run.stderr);

    // A code that is not a declared language is part of the page's name; one that looks like a
    // translation of an existing page is built too, with a warning.
    site.write("pedon.toml", "title = \"x\"\n");
    site.write("content/notes.v2.md", "---\ntitle: Notes\n---\nText.\n");
    let run = site.build_ok(&[]);
    assert!(site.exists("public/notes-v2.html"));
    assert!(
        run.stderr.contains(
            "warning[W0603]: `guide.fr.md` looks like a translation of `guide.md` into `fr`, which is not a language of the site"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("notes.v2.md"), "{}", run.stderr);
}

/// The bundled site, built once for the checks of its data in other languages.
fn bundled() -> &'static std::path::Path {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let repo = env!("CARGO_MANIFEST_DIR");
            let out = tmp.path().join("public");
            let run = common::run_in_env(
                std::path::Path::new(repo),
                &[
                    "build",
                    "--no-cache",
                    "--root",
                    repo,
                    "--output",
                    out.to_str().unwrap(),
                ],
                &[("SOURCE_DATE_EPOCH", "1795000000")],
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert!(!run.stderr.contains("warning"), "{}", run.stderr);
            tmp
        })
        .path()
}

fn read_bundled(rel: &str) -> String {
    std::fs::read_to_string(bundled().join("public").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn threshold_pages_speak_each_language_with_its_numbers() {
    // French: translated names, headers and decimal commas; the value still sorts by number.
    let cd = read_bundled("fr/thresholds/contaminants/cd.html");
    assert!(cd.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(
        cd.contains(">Utilisation des terres</th>"),
        "French headers"
    );
    assert!(
        cd.contains("data-v=\"0.8\"><bdi dir=\"ltr\">0,8 mg/kg</bdi>"),
        "French decimal comma"
    );
    let nl = read_bundled("fr/thresholds/countries/nld.html");
    assert!(nl.contains("<h1>Pays-Bas</h1>"), "French country name");

    // Arabic: right to left, Arabic names and headers, numbers left to right.
    let explorer = read_bundled("ar/thresholds/index.html");
    assert!(explorer.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let records = read_bundled("ar/thresholds/records.js");
    assert!(
        records.contains("[\"cd\",\"الكادميوم\","),
        "Arabic names in the explorer's records"
    );
    // Labels written by Pedon are in the page's language too, and a value and a pH band are
    // isolated left to right.
    let cd = read_bundled("ar/thresholds/contaminants/cd.html");
    assert!(cd.contains("<bdi dir=\"ltr\">0.8 mg/kg</bdi>"));
    assert!(
        cd.contains("<bdi dir=\"ltr\">pH ≤ 5.5</bdi>") || cd.contains("<bdi dir=\"ltr\">pH &lt;")
    );
    for (arabic, english) in [
        ("الماء الملكي", ">aqua regia<"),
        (">ثانوي</span>", ">secondary</span>"),
        (">قديم</span>", ">dated</span>"),
        ("ملغم/كغم وزن جاف (مقياس لوغاريتمي)", "logarithmic scale"),
    ] {
        assert!(
            cd.contains(arabic),
            "no `{arabic}` on the Arabic cadmium page"
        );
        assert!(
            !cd.contains(english),
            "`{english}` on the Arabic cadmium page"
        );
    }
    // Chinese and Russian have no page translations, but their data pages are in their
    // language: nothing to fall back from.
    let ru = read_bundled("ru/thresholds/contaminants/cd.html");
    assert!(ru.contains("<h1>Кадмий</h1>"), "Russian name");
    assert!(!ru.contains("notice-fallback"));
    // Every English data page has its French and Arabic twin.
    for rel in ["thresholds/index.html", "thresholds/countries/chn.html"] {
        assert!(bundled().join("public/fr").join(rel).is_file(), "{rel}");
        assert!(bundled().join("public/ar").join(rel).is_file(), "{rel}");
    }
}

#[test]
fn the_bundled_translations_are_complete_and_current() {
    // Translated home, about, chapter 1 and explorer introduction in French, Spanish and Arabic;
    // the home page in Chinese (every translation file is checked against its original in
    // `bundled_translations_keep_…`). The build of the bundled site has no warning (see
    // `bundled`), so none is stale and every one records its original.
    for lang in ["fr", "es", "ar"] {
        for rel in [
            "index.html",
            "about.html",
            "manual/01-introduction.html",
            "thresholds/index.html",
        ] {
            let html = read_bundled(&format!("{lang}/{rel}"));
            assert!(
                !html.contains("notice-fallback"),
                "{lang}/{rel} is translated"
            );
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{lang}/{rel}"
            );
        }
    }
    assert!(!read_bundled("zh/index.html").contains("notice-fallback"));
    assert!(read_bundled("zh/manual/02-sampling-design.html").contains("notice-fallback"));
    // Dates in the reader's language.
    assert!(read_bundled("fr/about.html").contains("21 novembre 2026"));
    assert!(read_bundled("es/about.html").contains("21 de noviembre de 2026"));
}

/// Reordering chapters, dating them or crediting an author changes no text to translate: the
/// translations stay current. Only the title, description and body count.
#[test]
fn metadata_edits_in_an_original_leave_its_translations_current() {
    let site = site();
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\nweight: 5\nupdated: 2026-11-21\nauthors: [INSOP Assessment Working Group]\ndraft: false\n---\n## Start\n\nSee [the other page](other.md).\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("W0602"), "{}", run.stderr);
    assert!(!site.read("public/fr/guide.html").contains("notice-stale"));

    site.write(
        "content/guide.md",
        "---\ntitle: Guide\nweight: 5\ndescription: A new summary.\n---\n## Start\n\nSee [the other page](other.md).\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("warning[W0602]: translation of `guide.md` is out of date"),
        "a new description is text to translate: {}",
        run.stderr
    );
}

/// Every translation file of the bundled site (`content/**/name.<lang>.md`) keeps what readers
/// and other pages rely on: the original's heading ids (links from other pages and languages, and
/// the contents, land on them), its link destinations (a translator translates text, never where a
/// link goes) and, for an SOP, the code, version and status in its header. Compared in the built
/// pages, English against each translation.
#[test]
fn bundled_translations_keep_the_originals_heading_ids_links_and_sop_header() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let public = bundled().join("public");
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&content).unwrap();
        let rel = rel.to_str().unwrap().replace('\\', "/");
        let Some((stem, lang)) = rel
            .strip_suffix(".md")
            .and_then(|s| s.rsplit_once('.'))
            .filter(|(_, lang)| ["fr", "es", "ar", "zh", "ru"].contains(lang))
        else {
            continue;
        };
        // `_index` is its section's index page; any other file is a page named after it.
        let page = match stem.strip_suffix("_index") {
            Some(dir) => format!("{dir}index.html"),
            None => format!("{stem}.html"),
        };
        let read = |path: std::path::PathBuf| {
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let original = read(public.join(&page));
        let translated = read(public.join(lang).join(&page));
        let what = format!("{lang}/{page} (from content/{rel})");
        assert!(
            !translated.contains("notice-fallback"),
            "{what} is shown as a fallback"
        );
        if heading_ids(&translated) != heading_ids(&original) {
            problems.push(format!(
                "{what}: heading ids {:?}, the original has {:?}",
                heading_ids(&translated),
                heading_ids(&original)
            ));
        }
        let (mut ours, mut theirs) = (content_links(&translated), content_links(&original));
        // A sentence may put its links in another order in another language.
        ours.sort();
        theirs.sort();
        if ours != theirs {
            let missing: Vec<_> = theirs.iter().filter(|l| !ours.contains(l)).collect();
            let extra: Vec<_> = ours.iter().filter(|l| !theirs.contains(l)).collect();
            problems.push(format!(
                "{what}: links differ from the original's: missing {missing:?}, extra {extra:?}"
            ));
        }
        if sop_header(&translated) != sop_header(&original) {
            problems.push(format!(
                "{what}: SOP header {:?}, the original has {:?}",
                sop_header(&translated),
                sop_header(&original)
            ));
        }
        checked += 1;
    }
    // The five SOPs in French, Spanish and Arabic, and the home and section pages besides.
    assert!(checked >= 40, "only {checked} translations checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The ids of a page's section headings (`<h2 id="…">` to `<h6>`), in order.
fn heading_ids(html: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for level in [
        "<h2 id=\"",
        "<h3 id=\"",
        "<h4 id=\"",
        "<h5 id=\"",
        "<h6 id=\"",
    ] {
        for (at, _) in html.match_indices(level) {
            let start = at + level.len();
            let end = start + html[start..].find('"').unwrap();
            ids.push((at, &html[start..end]));
        }
    }
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}

/// The destinations of the links in a page's text (its `<div class="content">`), not those of
/// the navigation, switcher or footer around it.
fn content_links(html: &str) -> Vec<&str> {
    const OPEN: &str = "<div class=\"content\">";
    let start = html.find(OPEN).expect("a page has its content") + OPEN.len();
    let (mut depth, mut end, mut at) = (1, html.len(), start);
    while let Some(next) = html[at..].find("div") {
        let i = at + next;
        if html[..i].ends_with('<') {
            depth += 1;
        } else if html[..i].ends_with("</") {
            depth -= 1;
            if depth == 0 {
                end = i;
                break;
            }
        }
        at = i + 3;
    }
    html[start..end]
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// What an SOP page's header says about the procedure regardless of language: its code, its
/// version and its status (`status-draft`, `status-final`).
fn sop_header(html: &str) -> Option<Vec<&str>> {
    let start = html.find("<dl class=\"sop-header\">")?;
    let dl = &html[start..start + html[start..].find("</dl>").unwrap()];
    let mut header: Vec<&str> = dl
        .split("<dd")
        .skip(1)
        .take(2)
        .map(|dd| &dd[dd.find('>').unwrap() + 1..dd.find("</dd>").unwrap()])
        .collect();
    header.extend(
        dl.split("class=\"status ")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()]),
    );
    Some(header)
}
