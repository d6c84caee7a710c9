// The site menu on a narrow screen: a button opens and closes it (Escape closes it too and gives
// the focus back to the button). Without this script the menu simply stays open.
(function () {
  "use strict";

  var button = document.querySelector(".menu-button");
  var header = document.querySelector(".site-header");
  if (!button || !header) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  var setOpen = function (open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  };

  header.classList.add("has-menu-button");
  button.hidden = false;
  setOpen(false);

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();

// The team's pages sit in a disclosure (<details>): a click elsewhere or Escape closes it, as
// people expect of a menu; the focus goes back to its summary.
(function () {
  "use strict";

  var groups = document.querySelectorAll(".nav-group details");
  if (!groups.length) return;
  var closeAll = function (except, refocus) {
    groups.forEach(function (details) {
      if (details === except || !details.open) return;
      details.open = false;
      if (refocus) details.querySelector("summary").focus();
    });
  };
  document.addEventListener("click", function (event) {
    closeAll(event.target.closest(".nav-group details"), false);
  });
  document.addEventListener("keydown", function (event) {
    var inside = document.activeElement && document.activeElement.closest(".nav-group details");
    if (event.key === "Escape" && inside && inside.open) {
      closeAll(null, true);
      event.stopPropagation(); // the phone menu stays open: only the disclosure closes
    }
  }, true);
})();
