// The threshold explorer: facets with counts, an order, a page of rows at a time, and a download
// of exactly the rows the filter shows. The records come from records.js (window.PEDON_EXPLORER,
// written by Pedon in the page's language). This script is loaded synchronously right after its
// container, so that a shared link's first paint already shows its filtered rows.
//
// The filter lives in the query string (?c=cd,pb&lu=agricultural&sort=v&p=2): fragments are for
// ids. Each facet's values are ORed, facets are ANDed; a land-use class selects the values that
// apply to it (a value for all land counts under agricultural land).
(function () {
  "use strict";
  var D = window.PEDON_EXPLORER;
  var root = document.getElementById("explorer");
  if (!D || !root) return;
  var S = D.s, R = D.r, PAGE = 50;

  function one(i) { return [i]; }
  var facets = [
    { key: "c", label: S.contaminant, opts: D.c, of: function (r) { return [r[1]]; } },
    { key: "g", label: S.facet_group, opts: D.g, of: function (r) { return [D.c[r[1]][3]]; } },
    { key: "k", label: S.jurisdiction, opts: D.k, of: function (r) { return [r[2]]; }, byName: true },
    { key: "lu", label: S.land_use, opts: D.lu, of: function (r) { return D.lu[r[3]][2]; }, note: S.applies_note },
    { key: "t", label: S.value_type, opts: D.t, of: function (r) { return [r[5]]; } },
    { key: "m", label: S.facet_measurand, opts: D.m, of: function (r) { return [r[10]]; } },
    { key: "d", label: S.facet_depends, opts: D.d, of: function (r) {
      var d = r[11], out = [];
      if (d & 1) out.push(0);
      if (d & 2) out.push(1);
      return out.length ? out : one(2);
    } },
    { key: "s", label: S.facet_status, opts: D.st, of: function (r) { return [D.src[r[12]][2]]; } },
    { key: "tier", label: S.facet_tier, opts: D.tier, of: function (r) { return [D.src[r[12]][3]]; } }
  ];
  var SORTS = [["", S.sort_data], ["v", S.sort_value_up], ["-v", S.sort_value_down],
    ["c", S.sort_contaminant], ["k", S.sort_jurisdiction]];
  var state = { sel: {}, sort: "", page: 0 };

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
    });
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function int(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, D.group == null ? "," : D.group); }
  function el(name, attrs, html) {
    var e = document.createElement(name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (html != null) e.innerHTML = html;
    return e;
  }

  // ---- State and the query string ----
  function read() {
    var q = new URLSearchParams(location.search);
    state.sel = {};
    facets.forEach(function (f) {
      var v = q.get(f.key);
      if (!v) return;
      var set = {};
      v.split(",").forEach(function (id) {
        id = id.toLowerCase();
        f.opts.forEach(function (o, i) { if (String(o[0]).toLowerCase() === id) set[i] = true; });
      });
      if (Object.keys(set).length) state.sel[f.key] = set;
    });
    var sort = q.get("sort") || "";
    state.sort = SORTS.some(function (s) { return s[0] === sort; }) ? sort : "";
    state.page = Math.max(0, (parseInt(q.get("p"), 10) || 1) - 1);
  }
  function write() {
    var q = new URLSearchParams(location.search);
    facets.forEach(function (f) {
      var set = state.sel[f.key];
      if (set && Object.keys(set).length) {
        q.set(f.key, Object.keys(set).map(function (i) { return String(f.opts[i][0]).toLowerCase(); }).join(","));
      } else q.delete(f.key);
    });
    if (state.sort) q.set("sort", state.sort); else q.delete("sort");
    if (state.page) q.set("p", state.page + 1); else q.delete("p");
    var qs = q.toString().replace(/%2C/g, ",");
    try { history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash); } catch (e) { /* file:// */ }
  }

  // ---- Filtering ----
  function matches(r, except) {
    for (var i = 0; i < facets.length; i++) {
      var f = facets[i], set = state.sel[f.key];
      if (!set || f.key === except) continue;
      var vals = f.of(r), hit = false;
      for (var j = 0; j < vals.length; j++) if (set[vals[j]]) { hit = true; break; }
      if (!hit) return false;
    }
    return true;
  }
  function shown() {
    var rows = [];
    for (var i = 0; i < R.length; i++) if (matches(R[i])) rows.push(i);
    var by = state.sort;
    if (by) {
      var key = {
        v: function (r) { return r[7] == null ? Infinity : r[7]; },
        c: function (r) { return D.c[r[1]][1]; },
        k: function (r) { return D.k[r[2]][1]; }
      }[by.replace("-", "")];
      var sign = by.charAt(0) === "-" ? -1 : 1;
      rows.sort(function (a, b) {
        var ra = R[a], rb = R[b];
        // Values of different measurands are never ordered on one scale.
        if (by !== "c" && by !== "k" && ra[10] !== rb[10]) return ra[10] - rb[10];
        var x = key(ra), y = key(rb);
        if (x === y) return a - b;
        if (x === Infinity) return 1;
        if (y === Infinity) return -1;
        var d = typeof x === "string" ? x.localeCompare(y, D.lang) : x - y;
        return sign * d || a - b;
      });
    }
    return rows;
  }
  function counts(f) {
    var n = f.opts.map(function () { return 0; });
    for (var i = 0; i < R.length; i++) {
      if (!matches(R[i], f.key)) continue;
      f.of(R[i]).forEach(function (v) { n[v]++; });
    }
    return n;
  }

  // ---- The view ----
  var form = el("form", { "class": "facets", "aria-label": S.filter_table });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  facets.forEach(function (f) {
    var details = el("details", { "class": "facet", "data-key": f.key });
    var summary = el("summary", {}, esc(f.label) + " <span class=\"facet-sel\"></span>");
    var box = el("fieldset");
    details.appendChild(summary);
    details.appendChild(box);
    details.addEventListener("toggle", function () { if (details.open) options(f, box); });
    f.details = details;
    f.box = box;
    form.appendChild(details);
  });
  var clear = el("button", { type: "button", "class": "clear" }, esc(S.clear));
  form.appendChild(clear);
  var bar = el("div", { "class": "results-bar" });
  var count = el("p", { "class": "filter-count", role: "status", "aria-live": "polite" });
  var sortLabel = el("label", {}, esc(S.sort_by) + " ");
  var sortSelect = el("select", { name: "sort" }, SORTS.map(function (s) {
    return "<option value=\"" + s[0] + "\">" + esc(s[1]) + "</option>";
  }).join(""));
  sortLabel.appendChild(sortSelect);
  var downloads = el("p", { "class": "download-shown" }, esc(S.download_shown) +
    " <button type=\"button\" data-format=\"csv\">CSV</button> <button type=\"button\" data-format=\"json\">JSON</button>");
  bar.appendChild(count);
  bar.appendChild(sortLabel);
  bar.appendChild(downloads);
  var wrap = el("div", { "class": "table-wrap", role: "region", tabindex: "0", "aria-label": S.threshold_values });
  var heads = ["contaminant", "jurisdiction", "value_unit", "conditions", "land_use", "value_type", "source"];
  var table = el("table", { "class": "thresholds explorer-table" },
    "<caption>" + esc(S.threshold_values) + "</caption><thead><tr>" + heads.map(function (h) {
      return "<th scope=\"col\"" + (h === "value_unit" ? " class=\"num\"" : "") + ">" + esc(S[h]) + "</th>";
    }).join("") + "</tr></thead><tbody></tbody>");
  wrap.appendChild(table);
  var body = table.tBodies[0];
  var empty = el("p", { "class": "thresholds-empty", hidden: "" }, esc(S.no_match));
  var pager = el("nav", { "class": "pager-rows", "aria-label": S.threshold_values });
  var prev = el("button", { type: "button" }, esc(S.previous_rows));
  var range = el("span");
  var next = el("button", { type: "button" }, esc(S.next_rows));
  pager.appendChild(prev);
  pager.appendChild(range);
  pager.appendChild(next);
  [form, bar, wrap, empty, pager].forEach(function (n) { root.appendChild(n); });

  function options(f, box) {
    var n = counts(f), set = state.sel[f.key] || {};
    var order = f.opts.map(function (o, i) { return i; });
    if (f.byName) order.sort(function (a, b) { return f.opts[a][1].localeCompare(f.opts[b][1], D.lang); });
    box.innerHTML = "<legend>" + esc(f.label) + "</legend>" + (f.note ? "<p class=\"facet-note\">" + esc(f.note) + "</p>" : "") +
      order.map(function (i) {
        return "<label" + (n[i] ? "" : " class=\"zero\"") + "><input type=\"checkbox\" name=\"" + f.key + "\" value=\"" + i + "\"" +
          (set[i] ? " checked" : "") + "> <bdi>" + esc(f.opts[i][1]) + "</bdi> <span class=\"n\">" + int(n[i]) + "</span></label>";
      }).join("");
  }

  // The record's id: the file holds its hash, after the country's and contaminant's ids.
  function rid(r) {
    return r[0].indexOf("-") === -1 ? D.k[r[2]][3] + "-" + D.c[r[1]][0] + "-" + r[0] : r[0];
  }
  function cell(label, cls, html, extra) {
    return "<td data-label=\"" + esc(label) + "\"" + (cls ? " class=\"" + cls + "\"" : "") + (extra || "") + ">" + html + "</td>";
  }
  function rowHtml(i) {
    var r = R[i], c = D.c[r[1]], k = D.k[r[2]], src = D.src[r[12]];
    var conditions = r[9].map(function (p) {
      return "<bdi" + (p[1] ? " dir=\"ltr\"" : "") + ">" + esc(p[0]) + "</bdi>";
    }).join("; ");
    var tier = D.tier[src[3]];
    return "<tr data-i=\"" + i + "\">" +
      cell(S.contaminant, "who", "<a href=\"" + esc(c[2] + "#" + rid(r)) + "\">" + esc(c[1]) + "</a>") +
      cell(S.jurisdiction, "who", "<a href=\"" + esc(k[2]) + "\">" + esc(k[1]) + "</a>") +
      cell(S.value_unit, r[7] == null ? "num none" : "num", "<bdi dir=\"ltr\">" + esc(r[8]) + "</bdi>",
        " data-v=\"" + (r[7] == null ? "" : r[7]) + "\"") +
      cell(S.conditions, "", conditions) +
      cell(S.land_use, "", esc(D.lu[r[3]][1]) + "<bdi class=\"term\">" + esc(D.n[r[4]]) + "</bdi>") +
      cell(S.value_type, "", esc(D.t[r[5]][1]) + "<bdi class=\"term\">" + esc(D.n[r[6]]) + "</bdi>") +
      cell(S.source, "", "<a href=\"" + esc(src[1]) + "\"><bdi>" + esc(src[0]) + "</bdi></a>" +
        (src[2] ? " <span class=\"flag\">" + esc(D.st[src[2]][1]) + "</span>" : "") +
        " <span class=\"tier tier-" + tier[0] + "\">" + esc(tier[1]) + "</span>") +
      "</tr>";
  }

  var current = [];
  function render() {
    current = shown();
    var pages = Math.max(1, Math.ceil(current.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, to = Math.min(current.length, from + PAGE);
    body.innerHTML = current.slice(from, to).map(rowHtml).join("");
    wrap.hidden = !current.length;
    empty.hidden = !!current.length;
    count.textContent = fill(S.filter_count, { shown: int(current.length), total: int(R.length) });
    range.textContent = current.length ? fill(S.rows_shown, { from: int(from + 1), to: int(to), n: int(current.length) }) : "";
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    pager.hidden = pages < 2;
    facets.forEach(function (f) {
      var n = Object.keys(state.sel[f.key] || {}).length;
      f.details.querySelector(".facet-sel").textContent = n ? fill(S.selected, { n: n }) : "";
      f.details.classList.toggle("active", n > 0);
      if (f.details.open) options(f, f.box);
    });
    sortSelect.value = state.sort;
    downloads.hidden = !current.length;
  }

  form.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.name || box.type !== "checkbox") return;
    var set = state.sel[box.name] || (state.sel[box.name] = {});
    if (box.checked) set[box.value] = true; else delete set[box.value];
    if (!Object.keys(set).length) delete state.sel[box.name];
    state.page = 0;
    write();
    render();
    var again = form.querySelector("input[name=\"" + box.name + "\"][value=\"" + box.value + "\"]");
    if (again) again.focus();
  });
  clear.addEventListener("click", function () {
    state.sel = {};
    state.page = 0;
    write();
    render();
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    state.page = 0;
    write();
    render();
  });
  function turn(by) {
    state.page += by;
    write();
    render();
    wrap.scrollIntoView({ block: "start" });
  }
  prev.addEventListener("click", function () { turn(-1); });
  next.addEventListener("click", function () { turn(1); });

  // ---- Download what is shown ----
  function records() {
    return current.map(function (i) {
      var r = R[i], c = D.c[r[1]], k = D.k[r[2]], src = D.src[r[12]];
      return {
        record: rid(r),
        contaminant_id: c[0],
        contaminant: c[1],
        country_code: k[0],
        country: k[1],
        value_mg_per_kg: r[7],
        value: r[8],
        conditions: r[9].map(function (p) { return p[0]; }).join("; "),
        measurand: D.m[r[10]][0],
        land_use: D.lu[r[3]][0],
        land_use_national: D.n[r[4]],
        value_type: D.t[r[5]][0],
        value_type_national: D.n[r[6]],
        instrument: src[0],
        instrument_status: D.st[src[2]][0],
        source_tier: D.tier[src[3]][0]
      };
    });
  }
  function csv(rows) {
    var cols = Object.keys(records.template);
    var q = function (v) {
      v = v == null ? "" : String(v);
      return /[",\n\r]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
    };
    return cols.join(",") + "\r\n" + rows.map(function (r) {
      return cols.map(function (c) { return q(r[c]); }).join(",");
    }).join("\r\n") + "\r\n";
  }
  records.template = {
    record: 0, contaminant_id: 0, contaminant: 0, country_code: 0, country: 0, value_mg_per_kg: 0,
    value: 0, conditions: 0, measurand: 0, land_use: 0, land_use_national: 0, value_type: 0,
    value_type_national: 0, instrument: 0, instrument_status: 0, source_tier: 0
  };
  downloads.addEventListener("click", function (e) {
    var format = e.target.getAttribute && e.target.getAttribute("data-format");
    if (!format) return;
    var rows = records();
    var blob = format === "csv"
      ? new Blob(["\ufeff" + csv(rows)], { type: "text/csv;charset=utf-8" })
      : new Blob([JSON.stringify({ query: location.search, records: rows }, null, 1)], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "thresholds-shown." + format });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  });

  read();
  render();
})();
