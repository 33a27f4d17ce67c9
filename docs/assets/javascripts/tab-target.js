// Opens the content tab that holds a search hit or a deep-link target, so the
// reader lands on the text they asked for (squidfunk/mkdocs-material#4125).
//
// A search result links to `page/?h=word+word#section-id`. Material then wraps
// the matches in <mark data-md-highlight>, but only in text that is visible at
// that moment: a hit inside an inactive tab (here mostly the Technical tab)
// gets no mark and stays hidden. This script selects that tab, makes sure the
// hit is marked and scrolls it to the middle of the screen.
//
// Which tab: the one whose text the result showed. Material's result for a
// section is its heading and, of its text, the first two blocks (paragraphs,
// lists, code) holding a searched word at the start of a word; on a question
// the heading, the tags and the synonyms come before both tabs. So the tab is
// the first one, in reading order, with a searched word at a word's start;
// words in the heading or elsewhere outside the tabs do not choose it.
(() => {
  "use strict";

  // For each content element, the `h` Material's highlighter last marked it
  // for. Before it runs, opening the tab is enough (it then marks the revealed
  // text itself); after it, the text of a tab we open has to be marked here.
  const highlighted = new WeakMap();
  let runs = 0; // lets a run that is still waiting notice it is stale

  const content = () => document.querySelector("[data-md-component=content]");
  const query = () => new URLSearchParams(location.search).get("h") || "";

  // The searched words, escaped for a pattern; the split mirrors Material's
  // query clean-up and this site's search separator (mkdocs.yml).
  function terms() {
    const words = query().split(/[\s*+\-:~^_,;!=[\]()"'`/]+|\.(?!\d)/).filter(Boolean);
    return words.map((t) => t.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&"));
  }

  // The searched words as one case-insensitive pattern, or null. Material's
  // highlighter marks a term anywhere in the text.
  function pattern() {
    const words = terms();
    return words.length ? new RegExp(words.join("|"), "i") : null;
  }

  // The search index splits text into words at this separator (mkdocs.yml)
  // and a term finds the words it begins: no `nn` in "channels".
  const SEPARATOR = `[\\s\\-_,:;!=[\\]()"'\`/]|\\.(?!\\d)`;
  // The words the index leaves out (lunr's English stop words, kept out by
  // Material's default pipeline): "to" in a query finds "torch", not "to".
  const STOP = new Set(
    ("a able about across after all almost also am among an and any are as at be because been but by can cannot " +
      "could dear did do does either else ever every for from get got had has have he her hers him his how however " +
      "i if in into is it its just least let like likely may me might most must my neither no nor not of off often " +
      "on only or other our own rather said say says she should since so some than that the their them then there " +
      "these they this tis to too twas us wants was we were what when where which while who whom why will with " +
      "would yet you your").split(" "),
  );

  // Each word of `text` that a searched term begins, as its first group.
  function wordPattern() {
    return new RegExp(`(?:^|${SEPARATOR})((?:${terms().join("|")})(?:(?!${SEPARATOR}).)*)`, "gi");
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
  // visible or, with `hidden`, sits in an unselected tab.
  function firstHit(roots, re, hidden) {
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode()); ) {
        if (!re.test(node.data)) continue;
        const mark = node.parentElement.closest("mark[data-md-highlight]");
        if (mark) return mark;
        if (hidden ? revealable(node.parentElement) : node.parentElement.offsetHeight) return node;
      }
    }
    return null;
  }

  // Elements the search index keeps as markup (Material's search plugin): a
  // word ends at their edges, while the text around any other tag (a mark
  // too) runs on.
  const KEPT = "p, code, pre, li, ol, ul, sub, sup";

  // The node in `run` (text nodes read as one text) holding the first word
  // there that the search index would find for the query, or null.
  function indexedIn(run, words) {
    const text = run.map((node) => node.data).join("");
    for (const m of text.matchAll(words)) {
      if (STOP.has(m[1].toLowerCase())) continue;
      let at = m.index + m[0].length - m[1].length;
      for (const node of run) {
        if (at < node.data.length) return node;
        at -= node.data.length;
      }
    }
    return null;
  }

  // The first word of the search inside a tab of `roots`, in reading order (a
  // mark, or its text node), whether or not the tab is open: the text of the
  // tab Material's result showed.
  function firstInTab(roots, words) {
    let run = [];
    let key = [];
    const flush = () => {
      const node = run.length ? indexedIn(run, words) : null;
      run = [];
      return node && (node.parentElement.closest("mark[data-md-highlight]") || node);
    };
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode()); ) {
        const el = node.parentElement;
        const block = el.closest(".tabbed-block");
        if (!block || el.closest("script, style")) continue;
        const kept = el.closest(KEPT);
        if (kept !== key[0] || block !== key[1]) {
          const hit = flush();
          if (hit) return hit;
          key = [kept, block];
        }
        run.push(node);
      }
    }
    return flush();
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
    // On a question, the tab whose text the result showed; without one (the
    // words are in its heading or notes only) no tab changes and the first
    // visible hit is shown.
    const words = byId && wordPattern();
    const inTab = byId && firstInTab(roots.slice(1), words);
    let hit = inTab || firstHit(roots, re, !byId);
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
      hit = (inTab ? firstInTab(roots.slice(1), words) : firstHit(roots, re, !byId)) || hit;
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
