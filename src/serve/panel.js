// The preview's live script, served by `pedon serve` only (never part of a built site):
// reloads the page after an edit (keeping the reader's scroll position), swaps stylesheets
// in place, and shows the build's diagnostics in a panel over the last good page.
//
// The server injects `window.__pedon = { events, failed, diagnostics, editor }` before this
// script; `diagnostics` are the objects of `--message-format json` (schema 1). All text from
// diagnostics goes through textContent: it is the editor's text, never markup.
(function () {
  "use strict";
  var cfg = window.__pedon || {};
  var SCROLL = "pedon-scroll:" + location.pathname;

  // Back where the reader was before the reload.
  var saved = sessionStorage.getItem(SCROLL);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL);
    var y = Number(saved);
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(SCROLL, String(window.scrollY));
    location.reload();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var STYLE =
    "#pedon-errors{position:fixed;inset:auto 0 0 0;max-height:65vh;overflow:auto;z-index:2147483647;" +
    "background:#fff;color:#1a1a1a;border-top:4px solid #b3261e;box-shadow:0 -4px 24px rgba(0,0,0,.25);" +
    "font:15px/1.45 system-ui,sans-serif;padding:.75rem 1rem 1rem;text-align:start}" +
    "#pedon-errors.only-warnings{border-top-color:#8a5a00;max-height:40vh}" +
    "#pedon-errors header{display:flex;gap:1rem;align-items:center;justify-content:space-between}" +
    "#pedon-errors h1{font-size:1rem;margin:0}" +
    "#pedon-errors h2{font:600 .95rem/1.3 ui-monospace,monospace;margin:1rem 0 .25rem;overflow-wrap:anywhere}" +
    "#pedon-errors button{font:inherit;padding:.25rem .6rem;border:1px solid #888;border-radius:4px;background:#f4f4f4;color:#1a1a1a;cursor:pointer}" +
    "#pedon-errors article{border:1px solid #ddd;border-inline-start:4px solid #b3261e;border-radius:4px;padding:.5rem .75rem;margin:.5rem 0;background:#fffafa}" +
    "#pedon-errors article.warning{border-inline-start-color:#8a5a00;background:#fffdf5}" +
    "#pedon-errors .sev{font-weight:700;color:#b3261e}#pedon-errors .warning .sev{color:#7a4f00}" +
    "#pedon-errors .loc{font:13px ui-monospace,monospace;color:#1a4e8a}" +
    "#pedon-errors pre{margin:.4rem 0;padding:.4rem .5rem;background:#f6f6f6;border-radius:3px;overflow-x:auto;white-space:pre;font:13px/1.5 ui-monospace,monospace}" +
    "#pedon-errors pre code{unicode-bidi:plaintext;display:block}" +
    "#pedon-errors .ln{color:#6b6b6b;user-select:none;unicode-bidi:isolate;direction:ltr;display:inline-block;min-width:3ch;text-align:end;margin-inline-end:1ch}" +
    "#pedon-errors mark{background:#ffd8d3;color:inherit;text-decoration:underline wavy #b3261e;text-underline-offset:3px}" +
    "#pedon-errors .warning mark{background:#fff0c2;text-decoration-color:#8a5a00}" +
    "#pedon-errors .label,#pedon-errors .help,#pedon-errors .note,#pedon-errors .also{margin:.2rem 0}" +
    "#pedon-errors .label{font-style:italic}" +
    "#pedon-errors details>summary{cursor:pointer;font-weight:600;margin-top:.75rem}" +
    "@media (prefers-color-scheme:dark){#pedon-errors{background:#1d1d1f;color:#eee}" +
    "#pedon-errors article{background:#2a1c1c;border-color:#444}#pedon-errors article.warning{background:#2a2617}" +
    "#pedon-errors pre{background:#111}#pedon-errors .loc{color:#8ab8ff}#pedon-errors mark{background:#5c1f1a}" +
    "#pedon-errors .warning mark{background:#4d3d00}#pedon-errors button{background:#333;color:#eee}" +
    "#pedon-errors .sev{color:#ff8a80}#pedon-errors .warning .sev{color:#ffd166}}";

  // `chapter.fr.md` and `chapter.md` are the same page in two languages.
  var TRANSLATED = /\.([a-z]{2,3}(?:-[a-z0-9]+)?)\.md$/i;
  function language(file) {
    var m = TRANSLATED.exec(file || "");
    return m ? m[1] : null;
  }
  function original(file) {
    return (file || "").replace(TRANSLATED, ".md");
  }

  // One card for diagnostics that say the same thing of a page and its translations.
  function fold(diagnostics) {
    var cards = [];
    var byKey = {};
    diagnostics.forEach(function (d) {
      var key = [d.severity, d.code, d.message, original(d.file), d.help].join("\u0000");
      var card = byKey[key];
      if (card && language(card.first.file) && !language(d.file)) {
        // The original's own diagnostic leads; its translations are named under it.
        card.also.push(card.first);
        card.first = d;
      } else if (card) {
        card.also.push(d);
      } else {
        byKey[key] = { first: d, also: [] };
        cards.push(byKey[key]);
      }
    });
    return cards;
  }

  function editorLink(span) {
    var text = span.file + ":" + span.line_start + ":" + span.column_start;
    var editor = cfg.editor;
    if (!editor) return el("span", { class: "loc", dir: "ltr" }, [text]);
    var path = span.file.charAt(0) === "/" ? span.file : cfg.cwd + "/" + span.file;
    var fill = function (t) {
      return t.split("{file}").join(path).split("{line}").join(String(span.line_start))
        .split("{col}").join(String(span.column_start));
    };
    var href = editor.url
      ? fill(editor.url)
      : cfg.base + "__pedon/open?token=" + encodeURIComponent(editor.token) +
        "&file=" + encodeURIComponent(span.file) + "&line=" + span.line_start +
        "&col=" + span.column_start;
    var a = el("a", { class: "loc", dir: "ltr", href: href, title: "Open in the editor" }, [text]);
    if (!editor.url) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        fetch(href, { cache: "no-store" });
      });
    }
    return a;
  }

  function source(span) {
    var chars = Array.from(span.line_text || "");
    var start = Math.max(0, span.highlight_start - 1);
    var end = Math.max(start + 1, span.highlight_end - 1);
    var mark = el("mark", {}, [chars.slice(start, end).join("") || " "]);
    var code = el("code", {}, [
      el("span", { class: "ln", "aria-hidden": "true" }, [String(span.line_start)]),
      chars.slice(0, start).join(""), mark, chars.slice(end).join(""),
    ]);
    return el("pre", {}, [code]);
  }

  function card(c) {
    var d = c.first;
    var article = el("article", { class: d.severity }, [
      el("p", {}, [el("span", { class: "sev" }, [d.severity + "[" + d.code + "]"]), " ",
        el("span", { dir: "auto" }, [d.message])]),
    ]);
    (d.spans || []).forEach(function (span) {
      article.appendChild(el("p", {}, [editorLink(span)]));
      article.appendChild(source(span));
      if (span.label) article.appendChild(el("p", { class: "label", dir: "auto" }, [span.label]));
    });
    if (d.help) {
      article.appendChild(el("p", { class: "help" }, [el("b", {}, ["help: "]), el("span", { dir: "auto" }, [d.help])]));
    }
    (d.notes || []).forEach(function (n) {
      article.appendChild(el("p", { class: "note" }, [el("b", {}, ["note: "]), el("span", { dir: "auto" }, [n])]));
    });
    if (c.also.length) {
      var langs = c.also.map(function (a) { return language(a.file) || "the original"; }).sort();
      article.appendChild(el("p", { class: "also" }, ["The same in " + langs.join(", ") + "."]));
    }
    return article;
  }

  // Cards under one heading per file, in the order the build gave them (causes first).
  function byFile(cards, into) {
    var groups = [];
    var seen = {};
    cards.forEach(function (c) {
      var file = c.first.file || "(no file)";
      if (!seen[file]) {
        seen[file] = [];
        groups.push([file, seen[file]]);
      }
      seen[file].push(c);
    });
    groups.forEach(function (g) {
      into.appendChild(el("h2", { dir: "ltr" }, [g[0]]));
      g[1].forEach(function (c) { into.appendChild(card(c)); });
    });
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function show(diagnostics, failed) {
    var old = document.getElementById("pedon-errors");
    if (old) old.remove();
    if (!diagnostics || !diagnostics.length || !document.body) return;
    if (!document.getElementById("pedon-style")) {
      document.head.appendChild(el("style", { id: "pedon-style" }, [STYLE]));
    }
    var errors = diagnostics.filter(function (d) { return d.severity === "error"; });
    var warnings = diagnostics.filter(function (d) { return d.severity !== "error"; });
    var summary = failed
      ? plural(errors.length, "error") + (warnings.length ? " and " + plural(warnings.length, "warning") : "") +
        ": the page below is the last good build, and updates when they are fixed"
      : plural(warnings.length, "warning");
    var close = el("button", { type: "button", "aria-label": "Hide (Escape)" }, ["Hide"]);
    var panel = el("section", {
      id: "pedon-errors", class: errors.length ? "" : "only-warnings",
      "aria-label": "Pedon preview: problems in the site", lang: "en", dir: "ltr",
    }, [el("header", {}, [el("h1", { role: failed ? "alert" : "status" }, [summary]), close])]);
    byFile(fold(errors), panel);
    if (warnings.length) {
      // Collapsed: warnings never stand in the way of the page or of the errors.
      var details = el("details", {}, [el("summary", {}, [plural(warnings.length, "warning")])]);
      byFile(fold(warnings), details);
      panel.appendChild(details);
    }
    var hide = function () { panel.remove(); document.removeEventListener("keydown", onKey); };
    var onKey = function (e) { if (e.key === "Escape") hide(); };
    close.addEventListener("click", hide);
    document.addEventListener("keydown", onKey);
    document.body.appendChild(panel);
  }

  show(cfg.diagnostics, cfg.failed);

  if (!cfg.events || typeof EventSource === "undefined") return;
  var stream = new EventSource(cfg.events);
  stream.onopen = function () { document.documentElement.setAttribute("data-pedon-live", ""); };
  function fresh(url) {
    var u = new URL(url, location.href);
    u.searchParams.set("pedon", Date.now());
    return u.href;
  }
  function swapStylesheets() {
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (l) { l.href = fresh(l.href); });
  }
  // Files copied as they are (an image saved under the same name): fetched again where the page
  // uses them, and the stylesheets too, for backgrounds.
  function swapFiles(files) {
    var wanted = files.map(function (f) { return new URL(cfg.base + f, location.href).pathname; });
    var uses = function (url) {
      return url && wanted.indexOf(new URL(url, location.href).pathname) !== -1;
    };
    document.querySelectorAll("img[src],source[src],video[src],audio[src],object[data],link[rel~=icon]").forEach(function (node) {
      var attr = node.hasAttribute("src") ? "src" : node.tagName === "OBJECT" ? "data" : "href";
      if (uses(node.getAttribute(attr))) node.setAttribute(attr, fresh(node.getAttribute(attr)));
    });
    document.querySelectorAll("img[srcset],source[srcset]").forEach(function (node) {
      var set = node.getAttribute("srcset").split(",").map(function (part) {
        var bits = part.trim().split(/\s+/);
        if (uses(bits[0])) bits[0] = fresh(bits[0]);
        return bits.join(" ");
      });
      node.setAttribute("srcset", set.join(", "));
    });
    swapStylesheets();
  }
  stream.onmessage = function (e) {
    if (e.data === "reload") return reload();
    if (e.data === "css") return swapStylesheets();
    var message = JSON.parse(e.data);
    if (message.files) return swapFiles(message.files);
    show(message.diagnostics, message.failed);
  };
})();
