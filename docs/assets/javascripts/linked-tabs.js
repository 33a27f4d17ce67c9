// Linked content tabs: pick "Technical" once and every question on every page
// shows its technical answer, now and after a reload.
//
// Material's own linked tabs (the content.tabs.link feature) switch the other
// tab sets one at a time, each reading the layout the previous one just
// changed, and its tab component reads every set's layout on each scroll: on
// a topic with 250 questions a click froze the page for over half a second.
// Here the sets are left to CSS (hooks/page_html/tabs.py drops their
// `data-tabs` mark, so Material does not take them over; extra.css draws the
// underline), and this script switches every set by setting its radio button.
(() => {
  "use strict";

  const KEY = "qa-tabs.label"; // the label of the tab the reader picked last
  const sets = () => document.querySelectorAll("[data-md-component=content] .tabbed-set");
  const labelsOf = (set) => set.querySelectorAll(":scope > .tabbed-labels > label");
  const inputsOf = (set) => set.querySelectorAll(":scope > input");
  // textContent, not innerText: it needs no layout.
  const text = (label) => label.textContent.trim();

  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null; // storage blocked: tabs still link within the page
    }
  }

  // Selects the tab labelled `label` in every set that has one.
  function select(label) {
    for (const set of sets()) {
      const i = [...labelsOf(set)].map(text).indexOf(label);
      if (i >= 0) inputsOf(set)[i].checked = true;
    }
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    const set = input instanceof HTMLInputElement && input.parentElement;
    if (!set || !set.classList.contains("tabbed-set")) return;
    const label = set.querySelector(`:scope > .tabbed-labels > label[for="${CSS.escape(input.id)}"]`);
    // A tab opened for the reader (tab-target.js: a search hit) links nothing.
    if (!label || label.hasAttribute("data-md-switching")) return;
    // Sets above the clicked one change height: keep the clicked one where it is on screen.
    const before = set.getBoundingClientRect().top;
    select(text(label));
    window.scrollBy(0, set.getBoundingClientRect().top - before);
    try {
      localStorage.setItem(KEY, text(label));
    } catch {} // not stored: the choice lasts for this page
  });

  function restore() {
    const label = stored();
    if (label) select(label);
  }

  // document$ emits on the first load and after every instant navigation.
  if (window.document$) window.document$.subscribe(restore);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
