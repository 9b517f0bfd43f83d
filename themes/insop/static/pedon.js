// Progressive enhancement only: every page reads and navigates without this file.
(function () {
  "use strict";
  // On narrow screens the contents menu starts closed; on wide screens it is always shown.
  var menu = document.querySelector(".nav-menu");
  if (menu && window.matchMedia("(max-width: 55rem)").matches) {
    menu.removeAttribute("open");
  }
  // "Print this SOP": printing needs no script (the print stylesheet does the layout), the
  // button only saves a trip to the browser's menu, so it is shown only when it can work.
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
