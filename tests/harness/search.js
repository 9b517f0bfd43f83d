// Drives the search box of a built page the way a keyboard user would, and writes what it saw
// as JSON into <pre id="out">. Runs either in a parent page that holds the site page in an
// iframe (http: can follow a result and look at the page it opens) or inside the site page
// itself (file:, where a parent may not reach into a frame).
// Set by the test: window.QUERIES (list of queries), window.FOLLOW (query whose first result
// is opened with Enter, iframe mode only), window.WORDS (strings for the word rules).
(function () {
  "use strict";
  var out = { queries: {} };
  var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };

  function finish() {
    var pre = document.createElement("pre");
    pre.id = "out";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }

  async function until(test, what) {
    for (var i = 0; i < 400; i++) {
      if (test()) return;
      await sleep(25);
    }
    throw new Error("timed out waiting for " + what);
  }

  function key(win, target, name, extra) {
    var init = Object.assign({ key: name, bubbles: true, cancelable: true }, extra || {});
    target.dispatchEvent(new win.KeyboardEvent("keydown", init));
  }

  async function run(win) {
    var doc = win.document;
    var box = doc.querySelector("[data-search]");
    var input = box.querySelector("input");
    var list = box.querySelector("[role=listbox]");
    out.shown = !box.hidden;
    out.combobox = input.getAttribute("role") + " " + input.getAttribute("aria-controls");

    key(win, doc.body, "/");
    out.slash_focuses = doc.activeElement === input;
    input.blur();
    key(win, doc.body, "k", { ctrlKey: true });
    out.ctrl_k_focuses = doc.activeElement === input;

    async function search(q) {
      input.value = q;
      input.dispatchEvent(new win.Event("input", { bubbles: true }));
      await until(function () { return list.getAttribute("data-query") === q; }, q);
      return {
        status: box.querySelector("[role=status]").textContent,
        expanded: input.getAttribute("aria-expanded"),
        results: Array.prototype.map.call(list.querySelectorAll("[role=option]"), function (li) {
          var part = function (sel) { var e = li.querySelector(sel); return e ? e.textContent : ""; };
          return {
            title: part(".result-title"),
            where: part(".result-where"),
            text: part(".result-excerpt") || part(".result-value"),
            href: li.querySelector("a").href,
            marks: Array.prototype.map.call(li.querySelectorAll("mark"), function (m) { return m.textContent; })
          };
        })
      };
    }

    for (var i = 0; i < (window.QUERIES || []).length; i++) {
      var q = window.QUERIES[i];
      out.queries[q] = await search(q);
    }

    if (win.pedonSearchTest && window.WORDS) {
      var t = win.pedonSearchTest;
      out.words = window.WORDS.map(function (w) { return t.terms(w); });
      var ranked = await t.rank("cadmium netherlands agricultural");
      out.rank_words = ranked.ranked.map(function (e) { return e.words; });
      // Seven records and two pages match two words, three pages one word.
      var synthetic = [];
      for (var n = 0; n < 12; n++) {
        synthetic.push({ doc: n, record: n < 7, words: n < 9 ? 2 : 1, score: 100 - n });
      }
      out.picked = t.pick(synthetic).map(function (e) { return e.doc; });
    }

    if (window.FOLLOW) {
      var follow = await search(window.FOLLOW);
      key(win, input, "ArrowDown");
      var first = input.getAttribute("aria-activedescendant");
      key(win, input, "ArrowDown");
      var second = input.getAttribute("aria-activedescendant");
      key(win, input, "ArrowUp");
      out.keys = {
        down: first, down_again: second, up: input.getAttribute("aria-activedescendant"),
        selected: Array.prototype.map.call(list.querySelectorAll("[aria-selected=true]"), function (o) { return o.id; })
      };
      key(win, input, "Escape");
      out.keys.escape_expanded = input.getAttribute("aria-expanded");
      key(win, input, "ArrowDown");
      out.keys.reopened = input.getAttribute("aria-expanded");
      out.followed = follow.results[0].href;
      var frame = document.getElementById("site");
      var landed = new Promise(function (r) { frame.addEventListener("load", r, { once: true }); });
      key(win, input, "Enter");
      await landed;
      await sleep(100);
      var w2 = frame.contentWindow, d2 = w2.document;
      var id = decodeURIComponent(w2.location.hash.slice(1));
      out.landed = {
        url: w2.location.href,
        target: id && d2.getElementById(id) ? d2.getElementById(id).tagName + " " + d2.getElementById(id).textContent.trim() : null,
        marks: Array.prototype.map.call(d2.querySelectorAll("main mark"), function (m) { return m.textContent; })
      };
    }
  }

  window.addEventListener("load", function () {
    var frame = document.getElementById("site");
    var win = frame ? frame.contentWindow : window;
    // The site page's deferred scripts have run once its load event has fired.
    run(win).catch(function (e) { out.error = String(e); }).then(finish);
  });
})();
