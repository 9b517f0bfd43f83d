//! The preview in a real browser: `pedon serve` on 127.0.0.1, driven through chromedriver in
//! headless Chromium. Part of the browser tier: skipped, with the reason printed, where Chromium
//! or chromedriver is missing (`scripts/test.sh` installs them).

mod common;

use common::SiteTest;
use common::server::start;
use common::tools::{Tool, available};
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
    assert_eq!(
        browser.eval("return window.pedonTest === undefined;"),
        true,
        "the page was reloaded"
    );
    browser.wait_for(live, wait);

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
    assert_eq!(
        browser.eval("return document.querySelectorAll('#pedon-errors *').length;"),
        0,
        "the errors are text, not markup"
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
