// Measures one search as a reader on a fresh visit would see it: bytes downloaded in all (the
// page included) and the time from the last keystroke to results on screen. Appended to a built
// page by bench/search.sh; QUERY is measured cold, then WARM in the same page. Headless Chromium
// dumps the page at its load event, so an image the bench server answers slowly (/__hold) keeps
// the page open, in real time, while the searches run.
(function () {
  "use strict";
  function bytes() {
    var nav = performance.getEntriesByType("navigation")[0];
    return resources().reduce(function (sum, e) {
      return sum + e.decodedBodySize;
    }, nav ? nav.decodedBodySize : 0);
  }
  function resources() {
    return performance.getEntriesByType("resource").filter(function (e) {
      return e.name.indexOf("__hold") < 0;
    });
  }
  function files() {
    return resources().length + 1;
  }
  function search(q) {
    var box = document.querySelector("[data-search]");
    var input = box.querySelector("input");
    var list = box.querySelector("[role=listbox]");
    var start = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return new Promise(function (resolve) {
      (function poll() {
        if (list.getAttribute("data-query") === q) {
          resolve({ ms: performance.now() - start, results: list.children.length,
            status: box.querySelector("[role=status]").textContent });
        } else {
          setTimeout(poll, 2);
        }
      })();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var hold = new Image();
    hold.src = "/__hold";
    document.body.appendChild(hold);
    setTimeout(function () {
      var before = bytes(), beforeFiles = files();
      search(window.QUERY).then(function (cold) {
        cold.bytes = bytes();
        cold.page_bytes = before;
        cold.files = files() - beforeFiles;
        var mid = bytes(), midFiles = files();
        return search(window.WARM).then(function (warm) {
          warm.bytes = bytes() - mid;
          warm.files = files() - midFiles;
          var pre = document.createElement("pre");
          pre.id = "out";
          pre.textContent = JSON.stringify({ cold: cold, warm: warm });
          document.body.appendChild(pre);
        });
      });
    }, 50);
  });
})();
