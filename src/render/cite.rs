//! "Cite this page": a reference a regulator can paste into a report, as plain text and as BibTeX,
//! naming the version of what was read (the SOP's version, the site's edition) and its date, since
//! a manual's pages change after they are cited.

use super::shown::View;
use super::templates::CiteView;
use crate::model::Page;

pub fn cite(view: &View, page: &Page) -> CiteView {
    let config = view.config();
    let front = &page.front;
    let organisation = config.title.as_str();
    let authors = if front.authors.is_empty() {
        organisation.to_string()
    } else {
        front.authors.join(", ")
    };
    let date = front
        .updated
        .as_ref()
        .or(front.date.as_ref())
        .map(|d| d.as_str().to_string());
    let year = match &date {
        Some(d) => d[..4].to_string(),
        None => view.now().civil().0.to_string(),
    };
    let url = super::context::canonical_url(config, &page.url);
    let sop = front.sop.as_ref();
    let version = sop
        .map(|s| s.version.as_str())
        .or(config.version.as_deref());

    let mut text = format!("{authors} ({year}). {}", front.title);
    if let Some(s) = sop {
        text.push_str(&format!(" ({}, version {})", s.code, s.version));
    }
    text.push_str(&format!(". In: {organisation}"));
    if let (Some(v), None) = (config.version.as_deref(), sop) {
        text.push_str(&format!(", version {v}"));
    }
    text.push('.');
    if let Some(d) = &date {
        text.push_str(&format!(" Updated {d}."));
    }
    text.push_str(&format!(" {url}"));

    let key = citation_key(organisation, &page.url);
    let mut fields = vec![
        ("author", format!("{{{}}}", bibtex_text(&authors))),
        ("title", format!("{{{}}}", bibtex_text(&front.title))),
        ("howpublished", bibtex_text(organisation)),
        ("year", year),
    ];
    if let Some(v) = version {
        fields.push(("version", bibtex_text(v)));
    }
    if let Some(d) = &date {
        fields.push(("date", d.clone()));
    }
    if let Some(s) = sop {
        fields.push(("number", bibtex_text(&s.code)));
    }
    fields.push(("url", url));
    let mut bibtex = format!("@misc{{{key},\n");
    for (name, value) in fields {
        bibtex.push_str(&format!("  {name:<12} = {{{value}}},\n"));
    }
    bibtex.push('}');
    CiteView { text, bibtex }
}

/// `insop-sops-aqua-regia`: the site's first word and the page's path, ASCII only.
fn citation_key(organisation: &str, url: &str) -> String {
    let prefix: String = organisation
        .split_whitespace()
        .next()
        .unwrap_or("site")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let path = url
        .trim_end_matches("index.html")
        .trim_end_matches(".html")
        .trim_end_matches('/');
    let path: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let path = if path.is_empty() {
        "home".to_string()
    } else {
        path
    };
    format!(
        "{}-{path}",
        if prefix.is_empty() { "site" } else { &prefix }
    )
}

/// Escapes what TeX reads as commands; braces are escaped too, so a title cannot unbalance the
/// entry.
fn bibtex_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ascii_paths() {
        assert_eq!(
            citation_key("INSOP Assessment Working Group", "sops/aqua-regia.html"),
            "insop-sops-aqua-regia"
        );
        assert_eq!(citation_key("INSOP", "index.html"), "insop-home");
        assert_eq!(citation_key("INSOP", "manual/index.html"), "insop-manual");
    }

    #[test]
    fn tex_specials_are_escaped() {
        assert_eq!(
            bibtex_text("50% of Cd & Pb {x}"),
            "50\\% of Cd \\& Pb \\{x\\}"
        );
    }
}
