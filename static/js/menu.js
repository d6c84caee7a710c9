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
