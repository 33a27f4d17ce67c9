// Accessible names and keyboard access for what Material adds at runtime,
// after the page (or an instant-navigation swap) renders; hence the observer.
(function () {
  "use strict";

  function fix() {
    // Each code block's copy button sits in a <nav>: several unnamed navigation
    // landmarks on one page are indistinguishable to screen-reader users.
    document.querySelectorAll(".md-code__nav").forEach(function (nav, i) {
      var name = "Code block " + (i + 1) + " actions";
      if (nav.getAttribute("aria-label") !== name) nav.setAttribute("aria-label", name);
    });
    // A table wider than the page scrolls inside its wrapper; keyboard users
    // can only scroll what they can focus.
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Scrollable table");
      }
    });
  }

  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", fix);
  fix();
})();
