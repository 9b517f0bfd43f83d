//! The preview in a real browser: `pedon serve` on 127.0.0.1, driven through chromedriver in
//! headless Chromium. Part of the browser tier: skipped, with the reason printed, where Chromium
//! or chromedriver is missing (`scripts/test.sh` installs them).

mod common;

use common::SiteTest;
use common::server::start;
use common::tools::{Tool, available, one_browser_at_a_time};
use common::webdriver::Browser;
use std::time::Duration;

/// In a real browser: an edit appears without a manual reload; a broken page shows the error
/// over the last good page; fixing it takes the error away; a stylesheet change restyles the
/// page without reloading it.
#[test]
fn the_browser_follows_edits_errors_and_stylesheet_changes() {
    if !available(
        "browser_preview::the_browser_follows_edits_errors_and_stylesheet_changes",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let browser = Browser::start();
    let wait = Duration::from_secs(15);
    let live = "document.documentElement.hasAttribute('data-pedon-live')";
    browser.goto(&format!(
        "http://127.0.0.1:{}/insop/manual/02-sampling.html",
        server.port
    ));
    browser.wait_for(live, wait);
    browser.eval("window.pedonTest = 'first load'; return 1;");

    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n\nEdited in the editor.\n",
    );
    browser.wait_for(
        "document.body.innerText.includes('Edited in the editor.')",
        wait,
    );
    // Only the article changed: it is swapped in place, the document stays.
    assert_eq!(
        browser.eval("return window.pedonTest;"),
        "first load",
        "the page was reloaded for a change of its text"
    );

    // A broken front matter: the overlay names the file and line, over the last good page.
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: [Sampling <script>\n---\nBroken.\n",
    );
    let overlay = browser.wait_for(
        "document.getElementById('pedon-errors') && document.getElementById('pedon-errors').innerText",
        wait,
    );
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("content/manual/02-sampling.md:2:"),
        "{overlay}"
    );
    assert!(overlay.contains("help"), "{overlay}");
    assert!(
        overlay.contains("<script>"),
        "the editor's text, shown as text: {overlay}"
    );
    assert_eq!(
        browser.eval("return document.querySelectorAll('#pedon-errors script').length;"),
        0,
        "the errors are text, not markup"
    );
    // The caret's place: the span is marked inside a source line that does not wrap.
    assert_eq!(
        browser.eval("var p = document.querySelector('#pedon-errors pre'); return getComputedStyle(p).whiteSpace + ' ' + !!p.querySelector('mark');"),
        "pre true"
    );
    assert_eq!(
        browser.eval("return document.body.innerText.includes('Edited in the editor.');"),
        true,
        "the last good page stays"
    );

    // Fixed: the overlay goes and the new text comes.
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n\nFixed again.\n",
    );
    browser.wait_for(
        "!document.getElementById('pedon-errors') && document.body.innerText.includes('Fixed again.')",
        wait,
    );
    browser.wait_for(live, wait);

    // A stylesheet edit restyles the open page, which is not reloaded.
    browser.eval("window.pedonTest = 'kept'; return 1;");
    site.write(
        "themes/insop/static/style.css",
        "body { color: rgb(102, 51, 153); }\n",
    );
    browser.wait_for(
        "getComputedStyle(document.body).color === 'rgb(102, 51, 153)'",
        wait,
    );
    assert_eq!(browser.eval("return window.pedonTest;"), "kept");
}

/// `pedon serve` started on a site that already has an error: the browser shows the panel over a
/// placeholder (not a blank page), and the fix turns it into the site without pressing F5.
#[test]
fn an_error_at_start_up_is_shown_and_the_fix_recovers_without_a_manual_reload() {
    if !available(
        "browser_preview::an_error_at_start_up_is_shown_and_the_fix_recovers_without_a_manual_reload",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: \"Sampling\nweight: 2\n---\nText.\n",
    );
    let server = start(&site, &[]);
    let browser = Browser::start();
    let wait = Duration::from_secs(15);
    browser.goto(&format!(
        "http://127.0.0.1:{}/insop/manual/02-sampling.html",
        server.port
    ));
    let panel = browser.wait_for(
        "document.getElementById('pedon-errors') && document.getElementById('pedon-errors').innerText",
        wait,
    );
    let panel = panel.as_str().unwrap();
    assert!(panel.contains("1 error"), "{panel}");
    assert!(
        panel.contains("content/manual/02-sampling.md:2:8"),
        "{panel}"
    );
    assert!(panel.contains("never closed"), "{panel}");
    assert_eq!(
        browser.eval("return document.querySelector('h1').innerText;"),
        "The site has errors"
    );
    browser.wait_for(
        "document.documentElement.hasAttribute('data-pedon-live')",
        wait,
    );
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: \"Sampling\"\nweight: 2\n---\n## Composite samples\n\nText that is fixed.\n",
    );
    browser.wait_for(
        "!document.getElementById('pedon-errors') && document.body.innerText.includes('Text that is fixed.')",
        wait,
    );
}

/// Started after a `pedon build`, with a mistake made since: the browser shows the last build's
/// page with a note saying so and the error over it, never the placeholder; the fix brings the
/// preview's own page, and the note goes.
#[test]
fn the_last_build_is_shown_while_the_site_has_errors_and_the_fix_replaces_it() {
    if !available(
        "browser_preview::the_last_build_is_shown_while_the_site_has_errors_and_the_fix_replaces_it",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: \"Sampling\nweight: 2\n---\nText.\n",
    );
    let server = start(&site, &[]);
    let browser = Browser::start();
    let wait = Duration::from_secs(15);
    browser.goto(&format!(
        "http://127.0.0.1:{}/insop/manual/02-sampling.html",
        server.port
    ));
    browser.wait_for(
        "document.getElementById('pedon-errors') && document.getElementById('pedon-errors').innerText.includes('never closed')",
        wait,
    );
    let note = browser.eval("return document.getElementById('pedon-warm').innerText;");
    assert!(note.as_str().unwrap().contains("last build"), "{note}");
    assert_eq!(
        browser.eval("return document.querySelector('h1').innerText;"),
        "Sampling",
        "the last build's page, not the placeholder"
    );
    browser.wait_for(
        "document.documentElement.hasAttribute('data-pedon-live')",
        wait,
    );
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: \"Sampling\"\nweight: 2\n---\n## Composite samples\n\nText that is fixed.\n",
    );
    browser.wait_for(
        "!document.getElementById('pedon-errors') && !document.getElementById('pedon-warm') && document.body.innerText.includes('Text that is fixed.')",
        wait,
    );
}

/// A reload after an edit keeps the reader where they were in a long page; the same mistake in
/// a page and its translations is one card; an Arabic line in the panel reads right to left.
#[test]
fn reloads_keep_the_scroll_position_and_the_panel_folds_translations() {
    if !available(
        "browser_preview::reloads_keep_the_scroll_position_and_the_panel_folds_translations",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let site = SiteTest::from_fixture("manual");
    let config = site.read("pedon.toml");
    site.write(
        "pedon.toml",
        &format!("{config}\n[[languages]]\ncode = \"en\"\nname = \"English\"\n[[languages]]\ncode = \"fr\"\nname = \"Français\"\n[[languages]]\ncode = \"ar\"\nname = \"العربية\"\ndirection = \"rtl\"\n"),
    );
    let long: String = (1..=120)
        .map(|i| format!("Paragraph {i} of a long chapter.\n\n"))
        .collect();
    site.write(
        "content/manual/02-sampling.md",
        &format!("---\ntitle: Sampling\n---\n## Composite samples\n\n{long}"),
    );
    let server = start(&site, &[]);
    let browser = Browser::start();
    browser.set_size(1280, 800);
    let wait = Duration::from_secs(15);
    let url = format!(
        "http://127.0.0.1:{}/insop/manual/02-sampling.html",
        server.port
    );
    browser.goto(&url);
    browser.wait_for(
        "document.documentElement.hasAttribute('data-pedon-live')",
        wait,
    );
    browser.eval("window.scrollTo(0, 1500); window.pedonTest = 1; return 1;");
    site.write(
        "content/manual/02-sampling.md",
        &format!("---\ntitle: Sampling\n---\n## Composite samples\n\nEdited at the top.\n\n{long}"),
    );
    // A paragraph more: swapped in place, so the page is the same document and has not moved.
    browser.wait_for(
        "document.body.innerText.includes('Edited at the top.')",
        wait,
    );
    let state = browser.eval("return [window.pedonTest === 1, window.scrollY];");
    assert_eq!(state[0], true, "the page reloaded for a paragraph: {state}");
    assert!(
        (1400.0..=1600.0).contains(&state[1].as_f64().unwrap()),
        "scrolled to {state}"
    );
    // A description changes the page's head: a real reload, back at the same place.
    site.write(
        "content/manual/02-sampling.md",
        &format!("---\ntitle: Sampling\ndescription: How to sample.\n---\n## Composite samples\n\nEdited at the top.\n\n{long}"),
    );
    browser.wait_for(
        "window.pedonTest === undefined && !!document.querySelector('meta[name=description]') && document.readyState === 'complete'",
        wait,
    );
    let y = browser.wait_for("window.scrollY > 1000 && window.scrollY", wait);
    assert!(
        (1400.0..=1600.0).contains(&y.as_f64().unwrap()),
        "scrolled to {y}"
    );

    // The same broken link in the English page and two translations: one card, folded.
    browser.wait_for(
        "document.documentElement.hasAttribute('data-pedon-live')",
        wait,
    );
    let broken = "---\ntitle: {title}\n---\n## Composite samples {#composite-samples}\n\nSee [the annex](annexe-perdue.md).\n";
    site.write(
        "content/manual/02-sampling.fr.md",
        &broken.replace("{title}", "Échantillonnage"),
    );
    site.write(
        "content/manual/02-sampling.ar.md",
        "---\ntitle: أخذ العينات\n---\n## العينات المركبة {#composite-samples}\n\nانظر [الملحق](annexe-perdue.md) في التربة.\n",
    );
    site.write(
        "content/manual/02-sampling.md",
        &broken.replace("{title}", "Sampling"),
    );
    browser.wait_for(
        "document.querySelectorAll('#pedon-errors article.error').length > 0",
        wait,
    );
    // Let every file's change land in one build before counting.
    std::thread::sleep(Duration::from_millis(800));
    let cards =
        browser.eval("return document.querySelectorAll('#pedon-errors article.error').length;");
    let text = browser.eval("return document.getElementById('pedon-errors').innerText;");
    assert_eq!(cards, 1, "{text}");
    let text = text.as_str().unwrap();
    assert!(
        text.contains("The same in ar, fr.") && text.contains("content/manual/02-sampling.md:6:17"),
        "the original's card, its translations named: {text}"
    );
    // The Arabic source line is laid out right to left.
    site.write(
        "content/manual/02-sampling.md",
        &format!("---\ntitle: Sampling\n---\n## Composite samples\n\n{long}"),
    );
    site.write(
        "content/manual/02-sampling.fr.md",
        "---\ntitle: Échantillonnage\n---\n## Composite samples {#composite-samples}\n\nTexte.\n",
    );
    browser.wait_for(
        "document.getElementById('pedon-errors') && document.getElementById('pedon-errors').innerText.includes('02-sampling.ar.md')",
        wait,
    );
    // Laid out by its own first strong letter: an Arabic line reads right to left.
    let bidi = browser.eval(
        "return getComputedStyle(document.querySelector('#pedon-errors pre code')).unicodeBidi;",
    );
    assert_eq!(bidi, "plaintext");
    std::fs::create_dir_all(screenshot_dir()).unwrap();
    std::fs::write(
        screenshot_dir().join("preview-panel-arabic-1280.png"),
        browser.screenshot(),
    )
    .unwrap();
    browser.set_size(360, 740);
    std::fs::write(
        screenshot_dir().join("preview-panel-arabic-360.png"),
        browser.screenshot(),
    )
    .unwrap();
}

fn screenshot_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// An 8 × 6 red PNG: the fixture's figure is 4 × 3.
const BIGGER_PNG: [u8; 75] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 6, 8, 2, 0,
    0, 0, 113, 103, 72, 172, 0, 0, 0, 18, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 128, 21, 97,
    23, 165, 147, 4, 0, 51, 40, 47, 209, 236, 193, 5, 249, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
    130,
];

/// A figure saved again under the same name shows at once, without reloading the page.
#[test]
fn an_image_replaced_under_the_same_name_is_swapped_in_place() {
    if !available(
        "browser_preview::an_image_replaced_under_the_same_name_is_swapped_in_place",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let browser = Browser::start();
    let wait = Duration::from_secs(15);
    browser.goto(&format!(
        "http://127.0.0.1:{}/insop/manual/01-intro.html",
        server.port
    ));
    browser.wait_for(
        "document.documentElement.hasAttribute('data-pedon-live')",
        wait,
    );
    let figure = "document.querySelector('img[alt=\"A soil profile\"]')";
    browser.wait_for(
        &format!("{figure}.complete && {figure}.naturalWidth === 4"),
        wait,
    );
    browser.eval("window.pedonTest = 'kept'; return 1;");
    std::fs::write(site.path().join("static/images/profile.png"), BIGGER_PNG).unwrap();
    browser.wait_for(&format!("{figure}.naturalWidth === 8"), wait);
    assert_eq!(
        browser.eval("return window.pedonTest;"),
        "kept",
        "not reloaded"
    );
}
