// The threshold explorer: filters, sorting and a shareable URL of the filter state, added to a
// table that is complete and readable without this file. The state lives in the URL fragment
// (#c=cd&k=NLD), which works from file:// and on any static host.
(function () {
  "use strict";
  var form = document.querySelector("form[data-explorer]");
  var table = document.querySelector("table.thresholds");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var names = ["c", "k", "l", "t"];
  var count = form.querySelector(".filter-count");
  form.hidden = false;

  function state() {
    var s = {};
    names.forEach(function (n) {
      var v = form.elements[n].value;
      if (v) s[n] = v;
    });
    return s;
  }

  function apply() {
    var s = state();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = true;
      for (var n in s) {
        if (r.getAttribute("data-" + n) !== s[n]) { ok = false; break; }
      }
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = (form.getAttribute("data-count") || "{shown} of {total} values shown")
      .replace("{shown}", shown).replace("{total}", rows.length);
    var hash = Object.keys(s).map(function (n) { return n + "=" + encodeURIComponent(s[n]); }).join("&");
    var url = location.pathname + location.search + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (e) { location.hash = hash; }
  }

  function load() {
    form.reset();
    location.hash.slice(1).split("&").forEach(function (part) {
      var kv = part.split("=");
      var field = form.elements[kv[0]];
      if (field && names.indexOf(kv[0]) >= 0) field.value = decodeURIComponent(kv[1] || "");
    });
    apply();
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", load);

  // Sorting: each header becomes a button; numbers sort by their canonical value.
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.classList.contains("num");
      var key = function (r) {
        var cell = r.cells[col];
        if (numeric) {
          var v = cell.getAttribute("data-v");
          return v === "" ? Infinity : parseFloat(v);
        }
        return cell.textContent.toLowerCase();
      };
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        var d = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? d : -d;
      });
      sorted.forEach(function (r) { body.appendChild(r); });
    });
  });
  load();
})();
