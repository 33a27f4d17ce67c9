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
    // A table or code block wider than the page scrolls inside its box (on a
    // phone, most notebook code does); keyboard users can only scroll what they
    // can focus. Tables become named regions, numbered: landmarks sharing a
    // name cannot be told apart.
    var tables = 0;
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      tables += 1;
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var name = "Scrollable table " + tables;
      if (wrap.getAttribute("aria-label") !== name) wrap.setAttribute("aria-label", name);
    });
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      if (code.scrollWidth > code.clientWidth && !code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
  }

  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", fix);
  fix();
})();
