// Progressive enhancement only: every page reads and navigates without this file.
(function () {
  "use strict";
  // The contents menu is closed in the HTML and a wide screen shows it through the stylesheet
  // (::details-content); a browser without that selector gets it opened here, on wide screens only.
  // The sidebar is its own column there, so opening it moves nothing else.
  var menu = document.querySelector(".nav-menu");
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (menu && !styled && window.matchMedia("(min-width: 55.01rem)").matches) {
    menu.open = true;
  }
  // "Print this SOP": printing needs no script (the print stylesheet does the layout), the
  // button only saves a trip to the browser's menu, so it is shown only when it can work.
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
