//! `pedon new DIR`: the smallest site that shows every convention an editor needs (front matter,
//! a section, a checked link with an anchor) and builds with zero errors. It uses the built-in
//! theme, so there is nothing else to copy.

use anyhow::{Context, Result, bail};
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        // The built site and the build cache are made from the sources, never edited.
        ".gitignore",
        "/public/\n/.pedon/\n",
    ),
    (
        "pedon.toml",
        r#"title = "My technical manual"
description = "A manual published with Pedon."
# Where the site will be published; pages link to each other relatively, so any sub-path works.
base_url = "https://example.org/"
default_language = "en"
"#,
    ),
    (
        "content/_index.md",
        r#"---
title: My technical manual
description: A manual published with Pedon.
---

Welcome. Start with the [first chapter](manual/01-getting-started.md).
"#,
    ),
    (
        "content/manual/_index.md",
        r#"---
title: Manual
weight: 1
description: The chapters of the manual, in reading order.
---

The chapters below are ordered by their `weight`.
"#,
    ),
    (
        "content/manual/01-getting-started.md",
        r#"---
title: Getting started
weight: 1
description: How pages, links and errors work in Pedon.
---

## Writing pages

Every page starts with front matter between `---` lines; `title` is required.

## Linking

Link to another page by its Markdown file, as GitHub shows it:
[back to writing pages](#writing-pages), or [the manual](_index.md).
Pedon checks every link and anchor when it builds.
"#,
    ),
];

/// What a new site holds, for the message that tells its editor where things are.
pub fn files() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(rel, _)| *rel)
}

/// Writes the new site into `dir`, which must be new or empty: nothing of the editor's is
/// overwritten.
pub fn create(dir: &Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| format!("cannot read `{}`", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "`{}` already exists and is not empty, and `pedon new` never writes over files\n\
             help: choose a new folder (`pedon new my-manual`); to publish Markdown you already \
             have, create a site elsewhere, copy its pedon.toml into your folder and put your \
             pages under content/ (each starting with front matter: `---`, `title: …`, `---`)",
            dir.display()
        );
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create `{}`", parent.display()))?;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("failed to write `{}`", path.display()))?;
    }
    Ok(())
}
