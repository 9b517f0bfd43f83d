// Search, as an enhancement of the header's search box. The index is a set of small script files
// under search/ (see src/index/mod.rs): this file loads the few a query needs with <script> tags,
// which work from file:// and under any sub-path, where fetch() of JSON would not.
//
// Word rules (fold, split, stem, stop words) repeat src/index/text.rs exactly: a query word must
// become the same term the index holds.
(function () {
  "use strict";

  // ---- Words -------------------------------------------------------------------------------

  // The page's interface strings for messages, from the search box's data attributes.
  function message(name, fallback) {
    var box = document.querySelector("[data-search]");
    return (box && box.getAttribute("data-" + name)) || fallback;
  }

  var SPELLED = { "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i" };
  var DEFAULT_STOP = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "with"];

  // Russian й keeps its mark (a letter of its own); Arabic folds its letter variants and digits.
  var KEPT = { "й": "й", "Й": "й", "ة": "ه", "ى": "ي", "ـ": "", "ٱ": "ا" };

  function fold(text) {
    if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
    return Array.from(text).map(function (c) {
      if (KEPT[c] !== undefined) return KEPT[c];
      var code = c.charCodeAt(0);
      if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
      if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
      return c.normalize("NFKD").replace(/\p{M}/gu, "")
        .replace(/[ßæÆœŒøØłŁđĐı]/g, function (s) { return SPELLED[s]; });
    }).join("").toLowerCase();
  }

  // Runs of Chinese or Japanese characters become their overlapping pairs (src/index/text.rs).
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]/u;
  var ARABIC_PREFIXES = ["وال", "بال", "كال", "فال", "لل", "ال"];

  function arabic(word) {
    for (var i = 0; i < ARABIC_PREFIXES.length; i++) {
      var p = ARABIC_PREFIXES[i];
      if (word.startsWith(p) && Array.from(word.slice(p.length)).length >= 2) return word.slice(p.length);
    }
    return word;
  }

  function ends(word, suffixes) {
    return suffixes.some(function (s) { return word.endsWith(s); });
  }

  // Harman's "S" stemmer: the first rule whose ending matches applies, or its exception stops it.
  function stem(word) {
    if (word.length <= 3 || /[^\x00-\x7f]/.test(word)) return word;
    if (word.endsWith("ies")) return ends(word, ["eies", "aies"]) ? word : word.slice(0, -3) + "y";
    if (word.endsWith("es")) return ends(word, ["aes", "ees", "oes"]) ? word : word.slice(0, -1);
    if (word.endsWith("s")) return ends(word, ["us", "ss", "is"]) ? word : word.slice(0, -1);
    return word;
  }

  var stop = DEFAULT_STOP;

  // Folded words of `text`, stop words kept (the caller decides).
  function words(text) {
    return fold(text).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
  }

  // Numbers without leading zeros: "SOP 3" finds INSOP-SOP-03.
  function number(word) {
    return /^[0-9]+$/.test(word) ? word.replace(/^0+(?=.)/, "") : word;
  }

  var CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+/gu;

  // The pieces of one folded word that are looked up: the word; Arabic without its article;
  // a run of Chinese or Japanese characters as its overlapping pairs.
  function pieces(w) {
    if (!/[^\x00-\x7f]/.test(w)) return [w];
    if (!CJK.test(w)) return [arabic(w)];
    var out = [];
    w.match(CJK_RUN).forEach(function (run) {
      if (!CJK.test(run)) {
        if (stop.indexOf(run) < 0) out.push(run);
        return;
      }
      var chars = Array.from(run);
      if (chars.length === 1) out.push(run);
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    });
    return out;
  }

  // Query words as the index holds them, before stemming (which `expand` does).
  function queryWords(text) {
    var out = [];
    words(text).forEach(function (w) {
      if (stop.indexOf(w) < 0) out.push.apply(out, pieces(w));
    });
    return out;
  }

  function terms(text) {
    return queryWords(text).map(function (w) { return number(stem(w)); });
  }

  // Damerau–Levenshtein distance at most one: one letter wrong, missing, extra or swapped.
  function withinOne(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // ---- Index files -------------------------------------------------------------------------

  var script = document.currentScript;
  var root = script ? script.src.replace(/search\.js([?#].*)?$/, "") : "";
  // Each language has its index: `search/` for the default, `fr/search/` for French.
  var searchBox = document.querySelector("[data-search]");
  var indexDir = root + (searchBox ? searchBox.getAttribute("data-index") || "" : "") + "search/";
  var files = {};
  var waiting = {};

  window.pedonSearch = function (name, data) {
    if (waiting[name]) {
      waiting[name](data);
      delete waiting[name];
    }
  };

  function load(name) {
    if (!files[name]) {
      files[name] = new Promise(function (resolve, reject) {
        waiting[name] = resolve;
        var s = document.createElement("script");
        s.src = indexDir + name + ".js";
        s.async = true;
        s.onerror = function () {
          delete files[name];
          reject(new Error(message("error", "could not load the search index") + " (" + name + ")"));
        };
        document.head.appendChild(s);
      });
    }
    return files[name];
  }

  function manifest() {
    return load("index").then(function (m) {
      stop = m.stop;
      return m;
    });
  }

  // The shard that holds `term`: the last whose first term sorts at or before it.
  function shardOf(m, term) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // Shard `n`'s file, named for its first term: FNV-1a (32 bits) of its UTF-8 bytes, in hex,
  // and its place too where the manifest lists it in `clash` (src/index/shards.rs, `Layout`).
  function shard(m, n) {
    var bytes = new TextEncoder().encode(m.shards[n]);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    }
    var name = ("0000000" + h.toString(16)).slice(-8);
    if (m.clash && m.clash.indexOf(n) >= 0) name += "-" + n;
    return load("i/" + name);
  }

  // ---- Matching and ranking ----------------------------------------------------------------

  var EXACT = 1, PREFIX = 0.8, TYPO = 0.6;
  var MAX_PREFIX_TERMS = 24;

  // Index terms a query word stands for, each with how much a match counts: the word itself;
  // words it begins, for the word being typed; else words one typo away, for longer words.
  function expand(m, word, typing) {
    var term = stem(word);
    var n = shardOf(m, term);
    var wanted = [shard(m, n)];
    // Words that begin with a prefix can run on into the next shards.
    if (typing) {
      for (var k = n + 1; k < m.shards.length && k <= n + 2 && m.shards[k].startsWith(word); k++) {
        wanted.push(shard(m, k));
      }
    }
    return Promise.all(wanted).then(function (loaded) {
      var found = [];
      var own = loaded[0];
      if (own[term]) found.push([term, own[term], EXACT]);
      if (typing && word.length >= 2) {
        var prefixed = [];
        loaded.forEach(function (terms) {
          for (var t in terms) {
            if (t !== term && t.startsWith(word)) prefixed.push([t, terms[t], PREFIX]);
          }
        });
        // The most common completions first: they are the likeliest meant.
        prefixed.sort(function (a, b) { return b[1].length - a[1].length; });
        found = found.concat(prefixed.slice(0, MAX_PREFIX_TERMS));
      }
      if (!found.length && term.length >= 5) {
        for (var t in own) {
          if (withinOne(term, t)) found.push([t, own[t], TYPO]);
        }
      }
      return found;
    });
  }

  // How much a posting's weight counts: the best field it is in, title over heading over body
  // (src/index/docs.rs), plus a little for how often the body repeats it.
  function fieldScore(w) {
    return (w & 8 ? 10 : w & 4 ? 4 : 0) + [0, 1, 1.5, 2][w & 3];
  }

  // A record that matches one word only counts less than a page: "cadmium" should open the
  // cadmium page before one of its 65 values, while "cadmium netherlands" wants the values.
  var LONE_RECORD_FACTOR = 0.45;

  // Ranks documents for `query`. Documents with every query word come first, then by score.
  function rank(query) {
    var typing = !/\s$/.test(query);
    return manifest().then(function (m) {
      var qwords = queryWords(query);
      var unique = qwords.filter(function (w, i) { return qwords.indexOf(w) === i; });
      var total = m.pages + m.records;
      return Promise.all(unique.map(function (w, i) {
        return expand(m, w, typing && i === unique.length - 1 && w === qwords[qwords.length - 1]);
      })).then(function (expansions) {
        var scores = new Map();
        var matched = [];
        expansions.forEach(function (found) {
          var best = new Map();
          found.forEach(function (f) {
            matched.push(f[0]);
            var postings = f[1];
            var idf = Math.log(1 + total / (postings.length || 1));
            var doc = 0;
            for (var p = 0; p < postings.length; p++) {
              doc += Math.floor(postings[p] / 16);
              var s = f[2] * idf * fieldScore(postings[p] & 15);
              if (!(best.get(doc) >= s)) best.set(doc, s);
            }
          });
          best.forEach(function (s, doc) {
            var e = scores.get(doc);
            if (!e) scores.set(doc, (e = { doc: doc, record: doc >= m.pages, words: 0, score: 0 }));
            e.words += 1;
            e.score += s;
          });
        });
        scores.forEach(function (e) {
          if (e.record && e.words < 2) e.score *= LONE_RECORD_FACTOR;
        });
        var ranked = Array.from(scores.values()).sort(function (a, b) {
          return b.words - a.words || b.score - a.score || a.doc - b.doc;
        });
        return { manifest: m, ranked: ranked, terms: matched, words: unique.length };
      });
    });
  }

  // ---- Results -----------------------------------------------------------------------------

  function pageEntry(doc) {
    return load("p/" + doc);
  }

  function recordEntry(m, doc) {
    var r = doc - m.pages;
    return load("r/" + Math.floor(r / m.record_chunk)).then(function (chunk) {
      return chunk[r % m.record_chunk];
    });
  }

  function isMatch(word, matched) {
    return terms(word).some(function (t) { return matched.has(t); });
  }

  // Appends `text` to `el`, with the matching words in <mark>. Text only: never HTML.
  function appendMarked(el, text, matched) {
    var parts = text.split(/([^\p{Alphabetic}\p{N}]+)/u);
    var plain = "";
    parts.forEach(function (part) {
      if (part && matched.size && isMatch(part, matched)) {
        if (plain) el.appendChild(document.createTextNode(plain));
        plain = "";
        var mark = document.createElement("mark");
        mark.textContent = part;
        el.appendChild(mark);
      } else {
        plain += part;
      }
    });
    if (plain) el.appendChild(document.createTextNode(plain));
  }

  // The section to land on: most matching words, a heading match counting three.
  function bestSection(entry, matched) {
    var best = 0, bestScore = -1;
    entry.s.forEach(function (s, i) {
      var score = 0;
      words(s[1]).forEach(function (w) { if (isMatch(w, matched)) score += 3; });
      var seen = new Set();
      words(s[2]).forEach(function (w) {
        if (!seen.has(w) && isMatch(w, matched)) { seen.add(w); score += 1; }
      });
      if (score > bestScore) { best = i; bestScore = score; }
    });
    return entry.s[best];
  }

  var EXCERPT_WORDS = 28;

  function excerpt(text, matched) {
    var ws = text.split(/\s+/);
    var first = ws.findIndex(function (w) { return isMatch(w, matched); });
    var start = Math.max(0, (first < 0 ? 0 : first) - 8);
    var end = Math.min(ws.length, start + EXCERPT_WORDS);
    return (start > 0 ? "… " : "") + ws.slice(start, end).join(" ") + (end < ws.length ? " …" : "");
  }

  function withHighlight(url, matched) {
    var hash = url.indexOf("#");
    var path = hash < 0 ? url : url.slice(0, hash);
    var fragment = hash < 0 ? "" : url.slice(hash);
    var words = Array.from(matched).join(" ");
    return root + path + (words ? "?highlight=" + encodeURIComponent(words) : "") + fragment;
  }

  function line(className, text, matched) {
    var el = document.createElement("span");
    el.className = className;
    appendMarked(el, text, matched);
    return el;
  }

  function pageOption(entry, matched) {
    var section = bestSection(entry, matched);
    var a = document.createElement("a");
    a.href = withHighlight(entry.u + (section[0] ? "#" + section[0] : ""), matched);
    a.tabIndex = -1;
    a.appendChild(line("result-title", entry.t, matched));
    var where = [entry.c, section[1]].filter(Boolean).join(" › ");
    if (where) a.appendChild(line("result-where", where, matched));
    if (section[2]) a.appendChild(line("result-excerpt", excerpt(section[2], matched), matched));
    return a;
  }

  // A record reads value first: what a reader looked it up for.
  function recordOption(r, matched) {
    var a = document.createElement("a");
    a.href = withHighlight(r.u, new Set());
    a.tabIndex = -1;
    a.className = "result-record";
    a.appendChild(line("result-title", r.c + " · " + r.k, matched));
    var value = document.createElement("span");
    value.className = "result-value";
    // Each part isolated, so that in Arabic "13 mg/kg" and "5.5 < pH ≤ 6.5" keep their order and
    // a national term keeps its brackets.
    var strong = document.createElement("strong");
    strong.dir = "ltr";
    strong.textContent = r.v;
    value.appendChild(strong);
    [r.w, r.t, r.l].forEach(function (part) {
      if (!part) return;
      value.appendChild(document.createTextNode(" · "));
      var bdi = document.createElement("bdi");
      appendMarked(bdi, part, matched);
      value.appendChild(bdi);
    });
    a.appendChild(value);
    a.appendChild(line("result-where", r.s, matched));
    return a;
  }

  // ---- The page a result opened: mark the words searched for -------------------------------

  function highlightPage() {
    var param = new URLSearchParams(window.location.search).get("highlight");
    var main = document.querySelector("main article");
    if (!param || !main) return;
    var matched = new Set(param.split(/\s+/).filter(Boolean));
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var p = node.parentNode;
        return p && /^(SCRIPT|STYLE|MARK)$/.test(p.nodeName)
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var hit = words(text).some(function (w) { return isMatch(w, matched); });
      if (!hit) return;
      var frag = document.createDocumentFragment();
      appendMarked(frag, text, matched);
      node.parentNode.replaceChild(frag, node);
    });
  }

  highlightPage();

  // For the unit tests in the browser (tests/browser.rs): the word rules and the ranking.
  window.pedonSearchTest = { fold: fold, stem: stem, terms: terms, withinOne: withinOne, rank: rank, pick: pick };

  // ---- The search box ----------------------------------------------------------------------

  var MAX_RESULTS = 10;
  var MAX_RECORDS = 5;

  // The first results, with at most MAX_RECORDS records among those that match as many words,
  // so that values do not push every page out of sight. Never reorders across word counts.
  function pick(ranked) {
    var top = [], held = [], records = 0, tier = ranked.length ? ranked[0].words : 0;
    function flush() {
      while (held.length && top.length < MAX_RESULTS) top.push(held.shift());
      held = [];
    }
    for (var i = 0; i < ranked.length && top.length < MAX_RESULTS; i++) {
      var hit = ranked[i];
      if (hit.words !== tier) { flush(); tier = hit.words; records = 0; }
      if (top.length >= MAX_RESULTS) break;
      if (hit.record && records >= MAX_RECORDS) { held.push(hit); continue; }
      if (hit.record) records++;
      top.push(hit);
    }
    flush();
    return top;
  }
  var DEBOUNCE_MS = 120;

  var box = document.querySelector("[data-search]");
  if (!box) return;
  var input = box.querySelector("input");
  var list = box.querySelector("[role=listbox]");
  var panel = box.querySelector(".search-panel");
  var status = box.querySelector("[role=status]");
  var count = box.querySelector(".search-count");
  box.hidden = false;

  var active = -1;
  var generation = 0;
  var timer = 0;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function open(yes) {
    panel.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) setActive(-1);
  }

  function setActive(n) {
    var opts = options();
    active = n;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === n ? "true" : "false"); });
    if (n >= 0 && opts[n]) {
      input.setAttribute("aria-activedescendant", opts[n].id);
      opts[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Announced to screen readers by the live region, and shown under the results.
  function say(text) {
    status.textContent = text;
    count.textContent = text;
  }

  function run() {
    var query = input.value;
    var mine = ++generation;
    if (!terms(query).length) {
      list.textContent = "";
      say("");
      open(false);
      return;
    }
    rank(query).then(function (result) {
      if (mine !== generation) return null;
      var top = pick(result.ranked);
      var matched = new Set(result.terms);
      return Promise.all(top.map(function (hit) {
        return hit.doc < result.manifest.pages
          ? pageEntry(hit.doc).then(function (e) { return pageOption(e, matched); })
          : recordEntry(result.manifest, hit.doc).then(function (r) { return recordOption(r, matched); });
      })).then(function (links) {
        if (mine !== generation) return;
        list.textContent = "";
        links.forEach(function (a, i) {
          var li = document.createElement("li");
          li.id = "search_option_" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.appendChild(a);
          list.appendChild(li);
        });
        var n = result.ranked.length;
        list.setAttribute("data-query", query);
        say(n === 0 ? message("none", "No results") : n > MAX_RESULTS
          ? message("capped", "Showing {shown} of {n} results").replace("{shown}", MAX_RESULTS).replace("{n}", n)
          : n === 1 ? message("one", "1 result") : message("many", "{n} results").replace("{n}", n));
        open(true);
        setActive(-1);
      });
    }).catch(function (e) {
      if (mine !== generation) return;
      list.textContent = "";
      say(e.message);
      open(true);
    });
  }

  input.addEventListener("focus", function () {
    manifest().catch(function () {});
    if (list.children.length) open(true);
  });

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (e) {
    var opts = options();
    if (e.key === "ArrowDown" && opts.length) {
      e.preventDefault();
      open(true);
      setActive(Math.min(active + 1, opts.length - 1));
    } else if (e.key === "ArrowUp" && opts.length) {
      e.preventDefault();
      setActive(Math.max(active - 1, -1));
    } else if (e.key === "Enter") {
      var target = opts[active >= 0 ? active : 0];
      if (target && !panel.hidden) {
        e.preventDefault();
        window.location.href = target.querySelector("a").href;
      }
    } else if (e.key === "Escape") {
      if (!panel.hidden) {
        open(false);
      } else {
        input.value = "";
        say("");
      }
    }
  });

  box.addEventListener("focusout", function (e) {
    if (!box.contains(e.relatedTarget)) open(false);
  });

  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
    if ((e.key === "k" && (e.ctrlKey || e.metaKey)) || (e.key === "/" && !typing)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

})();
