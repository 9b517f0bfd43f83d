// The preview's live script, served by `pedon serve` only (never part of a built site):
// swaps the changed parts of the page in place after an edit (or reloads it, keeping the
// reader's scroll position, when the change is more than text), swaps stylesheets and images in
// place, and shows the build's diagnostics in a panel over the last good page.
//
// The server injects `window.__pedon = { events, failed, warm, diagnostics, editor }` before this
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

  // ---- Updating the page in place ----
  // A reload repaints the whole page (~100 ms in Chromium after the new HTML is served). Most
  // edits change a paragraph or two: those parts are swapped in place instead, and the reader
  // keeps their place without a flash. The page as last served (`served`) is what is compared
  // with the new one, never the live page, which the theme's scripts may have changed; a part is
  // swapped only where the live page still equals what was served and neither side holds
  // anything a script may have bound (buttons, forms, scripts). Anything else reloads.
  var LIVE = "script,button,input,select,textarea,form,iframe,object,embed,video,audio,canvas," +
    "[data-print],[data-search],[data-explorer]";
  var served = null;

  function ours(node) {
    if (node.nodeType !== 1) return false;
    if (node.id === "pedon-errors" || node.id === "pedon-style" || node.id === "pedon-warm") return true;
    return node.tagName === "SCRIPT" &&
      ((node.getAttribute("src") || "").indexOf("__pedon/") !== -1 ||
       node.textContent.indexOf("window.__pedon=") !== -1);
  }
  function kids(node) {
    return Array.prototype.filter.call(node.childNodes, function (n) { return !ours(n); });
  }
  function holdsLive(node) {
    return node.nodeType === 1 && (node.matches(LIVE) || node.querySelector(LIVE) !== null);
  }
  function sameShell(a, b) {
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
    if (a.nodeType !== 1) return false;
    if (a.attributes.length !== b.attributes.length) return false;
    return Array.prototype.every.call(a.attributes, function (at) {
      return b.getAttribute(at.name) === at.value;
    });
  }
  // The smallest runs of children that differ between `a` and `b`, each as
  // { path, from, removed, added }: `removed` children of the node at `path`, from index `from`,
  // become `added`. Null when the difference reaches a node that cannot be patched.
  function changes(a, b, path, out) {
    var x = kids(a), y = kids(b);
    if (x.length === y.length) {
      for (var i = 0; i < x.length; i++) {
        if (x[i].isEqualNode(y[i])) continue;
        if (sameShell(x[i], y[i])) {
          if (!changes(x[i], y[i], path.concat(i), out)) return null;
        } else {
          out.push({ path: path, from: i, removed: [x[i]], added: [y[i]] });
        }
      }
      return out;
    }
    var head = 0, tail = 0;
    while (head < x.length && head < y.length && x[head].isEqualNode(y[head])) head++;
    while (tail < x.length - head && tail < y.length - head &&
           x[x.length - 1 - tail].isEqualNode(y[y.length - 1 - tail])) tail++;
    out.push({ path: path, from: head, removed: x.slice(head, x.length - tail),
               added: y.slice(head, y.length - tail) });
    return out;
  }
  function headOf(doc) {
    return kids(doc.head).filter(function (n) { return n.nodeName !== "TITLE"; })
      .map(function (n) { return n.nodeType === 1 ? n.outerHTML : n.textContent; }).join("");
  }
  // The page's own copy of the preview's data (diagnostics of the build it came from).
  function dataOf(doc) {
    var found = null;
    doc.querySelectorAll("script:not([src])").forEach(function (s) {
      var m = /var d=(\{[\s\S]*\});window\.__pedon=/.exec(s.textContent);
      if (m) found = JSON.parse(m[1]);
    });
    return found;
  }
  function patch(next) {
    if (!served || !sameShell(served.documentElement, next.documentElement) ||
        !sameShell(served.body, next.body) || headOf(served) !== headOf(next)) return false;
    var diff = changes(served.body, next.body, [], []);
    if (!diff) return false;
    // Check every run first: the page is changed whole or not at all.
    var plans = [];
    for (var i = 0; i < diff.length; i++) {
      var d = diff[i], live = document.body, old = served.body;
      for (var j = 0; j < d.path.length; j++) {
        live = kids(live)[d.path[j]];
        old = kids(old)[d.path[j]];
        if (!live || !live.isEqualNode || live.nodeName !== old.nodeName) return false;
      }
      var liveKids = kids(live);
      if (liveKids.length !== kids(old).length) return false;
      var gone = liveKids.slice(d.from, d.from + d.removed.length);
      var pristine = gone.every(function (n, k) { return n.isEqualNode(d.removed[k]); });
      if (!pristine || d.removed.some(holdsLive) || d.added.some(holdsLive)) return false;
      plans.push({ parent: live, gone: gone, before: liveKids[d.from + d.removed.length] || null,
                   added: d.added });
    }
    plans.forEach(function (p) {
      p.gone.forEach(function (n) { n.remove(); });
      p.added.forEach(function (n) {
        var copy = document.importNode(n, true);
        if (p.before) p.parent.insertBefore(copy, p.before);
        else p.parent.appendChild(copy);
      });
    });
    if (document.title !== next.title) document.title = next.title;
    served = next;
    var data = dataOf(next);
    if (data) show(data.diagnostics, data.config && data.config.failed);
    warmNotice(data && data.config && data.config.warm);
    // For the save-to-visible bench: the frame after this one has the change painted.
    requestAnimationFrame(function () {
      setTimeout(function () { performance.mark("pedon-updated"); }, 0);
    });
    return true;
  }
  function fetchPage() {
    return fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok || r.redirected) throw r; return r.text(); })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }
  function update() {
    fetchPage().then(function (next) {
      if (!patch(next)) reload();
    }).catch(reload);
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
    "#pedon-errors .sev{color:#ff8a80}#pedon-errors .warning .sev{color:#ffd166}}" +
    "#pedon-warm{position:fixed;inset:0 0 auto auto;z-index:2147483647;margin:.5rem;padding:.3rem .7rem;" +
    "border-radius:4px;background:#1a4e8a;color:#fff;font:14px/1.4 system-ui,sans-serif;max-width:calc(100% - 1rem)}";

  // While `pedon serve` builds the site, it shows the last `pedon build`'s pages: a note says
  // so, and goes when the first build replaces the page.
  function warmNotice(on) {
    var old = document.getElementById("pedon-warm");
    if (old) old.remove();
    if (!on || !document.body) return;
    if (!document.getElementById("pedon-style")) {
      document.head.appendChild(el("style", { id: "pedon-style" }, [STYLE]));
    }
    document.body.appendChild(el("p", { id: "pedon-warm", role: "status", lang: "en", dir: "ltr" },
      ["Preview: this is the last build's page; it updates when the preview is built"]));
  }

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
  warmNotice(cfg.warm);
  // The page is live (`data-pedon-live`) once the event stream is open and the page as served is
  // at hand to compare the next build's with (see `patch`): an edit made from then on is swapped
  // in place, not taken by a reload for want of it.
  var opened = false;
  var fetched = !(typeof fetch === "function" && typeof DOMParser === "function");
  function markLive() {
    if (opened && fetched) document.documentElement.setAttribute("data-pedon-live", "");
  }
  if (!fetched) {
    fetchPage().then(function (doc) { served = doc; }).catch(function () {})
      .then(function () { fetched = true; markLive(); });
  }

  if (!cfg.events || typeof EventSource === "undefined") return;
  var stream = new EventSource(cfg.events);
  stream.onopen = function () { opened = true; markLive(); };
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
    if (e.data === "reload") return served ? update() : reload();
    if (e.data === "css") return swapStylesheets();
    var message = JSON.parse(e.data);
    if (message.files) return swapFiles(message.files);
    show(message.diagnostics, message.failed);
  };
})();
