// Progressive enhancement only: every page reads and navigates without this file.
(function () {
  "use strict";
  // On narrow screens the contents menu starts closed; on wide screens it is always shown.
  var menu = document.querySelector(".nav-menu");
  if (menu && window.matchMedia("(max-width: 55rem)").matches) {
    menu.removeAttribute("open");
  }
})();
