// Opens the content tab that holds a search hit or a deep-link target, so the
// reader lands on the text they asked for (squidfunk/mkdocs-material#4125).
//
// A search result links to `page/?h=word+word#section-id`. Material then wraps
// the matches in <mark data-md-highlight>, but only in text that is visible at
// that moment: a hit inside an inactive tab (here mostly the Technical tab)
// gets no mark and stays hidden. This script selects that tab, makes sure the
// hit is marked and scrolls it to the middle of the screen.
(() => {
  "use strict";

  // For each content element, the `h` Material's highlighter last marked it
  // for. Before it runs, opening the tab is enough (it then marks the revealed
  // text itself); after it, the text of a tab we open has to be marked here.
  const highlighted = new WeakMap();
  let runs = 0; // lets a run that is still waiting notice it is stale

  const content = () => document.querySelector("[data-md-component=content]");
  const query = () => new URLSearchParams(location.search).get("h") || "";

  // The searched words as one case-insensitive pattern, or null. Material
  // matches each term anywhere in the text; the split mirrors its query
  // clean-up and this site's search separator (mkdocs.yml).
  function pattern() {
    const terms = query().split(/[\s*+\-:~^_,;!=[\]()"'`/]+|\.(?!\d)/).filter(Boolean);
    if (!terms.length) return null;
    return new RegExp(terms.map((t) => t.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&")).join("|"), "i");
  }

  // Hidden only because an enclosing tab is not selected (not a <script>, a
  // closed <details> or anything else that stays hidden after the switch).
  function revealable(el) {
    for (; el && el !== document.body; el = el.parentElement)
      if (getComputedStyle(el).display === "none" && !el.classList.contains("tabbed-block")) return false;
    return true;
  }

  // The first hit in `roots`, in reading order: a mark of this search (an
  // earlier search on the same page leaves its marks), or matching text that is
  // visible or sits in an unselected tab.
  function firstHit(roots, re) {
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode()); ) {
        if (!re.test(node.data)) continue;
        const mark = node.parentElement.closest("mark[data-md-highlight]");
        if (mark) return mark;
        if (revealable(node.parentElement)) return node;
      }
    }
    return null;
  }

  // Selects every unselected tab around `el`, walking outwards through nested
  // tab sets; returns the outermost block it opened, or null.
  function reveal(el) {
    let opened = null;
    for (let block = el.closest(".tabbed-block"); block; block = block.parentElement.closest(".tabbed-block")) {
      const set = block.closest(".tabbed-set");
      const blocks = [...set.querySelectorAll(":scope > .tabbed-content > .tabbed-block")];
      const input = set.querySelectorAll(":scope > input")[blocks.indexOf(block)];
      if (!input || input.checked) continue;
      // Checked directly, never by clicking the label: with linked tabs a click
      // switches every question on every page and saves that as the reader's
      // choice in localStorage, which a search hit must not do. A change event
      // still goes out for anything that follows the tabs; linked-tabs.js
      // treats one whose label carries data-md-switching as passive.
      input.checked = true;
      const label = set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`);
      label?.setAttribute("data-md-switching", "");
      input.dispatchEvent(new Event("change", { bubbles: true }));
      label?.removeAttribute("data-md-switching");
      opened = block;
    }
    return opened;
  }

  // Wraps matches in visible, unmarked text under `root` the way Material does.
  function mark(root, re) {
    const all = new RegExp(re.source, "gi");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let node; (node = walker.nextNode()); ) {
      const el = node.parentElement;
      if (el.offsetHeight && !el.closest("mark") && re.test(node.data)) nodes.push(node);
    }
    for (const node of nodes) {
      const parts = [];
      let last = 0;
      for (const m of node.data.matchAll(all)) {
        const el = document.createElement("mark");
        el.setAttribute("data-md-highlight", "");
        el.textContent = m[0];
        parts.push(node.data.slice(last, m.index), el);
        last = m.index + m[0].length;
      }
      node.replaceWith(...parts, node.data.slice(last));
    }
  }

  function apply() {
    const run = ++runs;
    const root = content();
    if (!root) return;
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {} // a malformed hash names no element anyway
    const byId = id ? document.getElementById(id) : null;
    const re = pattern();

    // (b) No search, or the hash names something other than a question: open
    // the tab holding the element the hash names, if any.
    if (!re || (byId && byId.tagName !== "H2")) {
      if (byId && byId.closest(".tabbed-block") && reveal(byId)) byId.scrollIntoView({ block: "center" });
      return;
    }

    // (a) A search hit: the question's section (its h2 up to the next h2), or
    // the whole page when there is no hash.
    const roots = [byId || root];
    for (let el = byId && byId.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) roots.push(el);
    let hit = firstHit(roots, re);
    if (!hit) return;
    const opened = reveal(hit.nodeType === Node.TEXT_NODE ? hit.parentElement : hit);

    if (window.component$ && highlighted.get(root) !== query()) {
      // Material has not highlighted yet (the search index is still loading):
      // it will mark the tab just opened and we run again then. Bounded, in
      // case the index never arrives.
      setTimeout(() => {
        if (run === runs && root.isConnected) {
          highlighted.set(root, query());
          apply();
        }
      }, 3000);
      return;
    }
    if (hit.nodeType === Node.TEXT_NODE) {
      mark(opened || hit.parentElement, re);
      hit = firstHit(roots, re) || hit;
    }
    const target = hit.nodeType === Node.TEXT_NODE ? hit.parentElement : hit;
    target.scrollIntoView({ block: "center" });
  }

  // Material reports each component it mounts on component$; the highlighter's
  // report (`nodes`: the text it replaced) comes right after it marked the page.
  window.component$?.subscribe((c) => {
    if (c && c.nodes instanceof Map && c.ref) {
      highlighted.set(c.ref, query());
      if (c.ref === content()) apply();
    }
  });

  // document$ emits on the first load and after every instant navigation.
  if (window.document$) window.document$.subscribe(apply);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
  else apply();
  window.addEventListener("hashchange", apply);
})();
