// Practice mode: one question at a time, its answer revealed part by part,
// each question marked "knew it" or "review again".
//
// Each topic's practice page, /practice/<topic>/ (hooks/interview_qa/practice.py),
// holds that topic's questions as <details class="pq"> folds with one fold per
// answer part; the quiz there runs on them. The entry page, /practice/, links
// to every topic page: the quiz there runs on all their questions, fetched from
// those links (same site only). Marks are shared by every practice page.
(() => {
  "use strict";

  // Material runs the page's scripts again after each instant navigation to
  // a practice page; the first run's listeners are enough.
  if (window.__practiceStarted) return;
  window.__practiceStarted = true;

  // Stored through Material's helpers, scoped to the site's base URL like its
  // own settings: { marks: {id: "known"|"review"}, topic: "" | id (the entry
  // page's filter), order: null | seed of the shuffled order }. Bump the
  // version if the stored shape ever changes.
  const KEY = "practice.v1";
  const PARTS = ["simple answer", "technical answer", "common mistake"];
  const ACTIONS = { " ": "reveal", ArrowLeft: "prev", ArrowRight: "next", 1: "known", 2: "review" };
  const KEYS_HTML =
    "Keyboard: <kbd>Space</kbd> reveal the next part, <kbd>←</kbd> previous question, " +
    "<kbd>→</kbd> next question, <kbd>1</kbd> knew it, <kbd>2</kbd> review again.";

  const apps = new WeakMap(); // article element -> its quiz, so one page is set up once
  let app = null; // the quiz on the current page, or null on other pages

  function load() {
    let saved = null;
    try {
      saved = window.__md_get(KEY);
    } catch {} // storage blocked or malformed: start afresh
    const marks = {};
    for (const [id, mark] of Object.entries(saved?.marks || {}))
      if (mark === "known" || mark === "review") marks[id] = mark;
    const topic = typeof saved?.topic === "string" ? saved.topic : "";
    const order = Number.isInteger(saved?.order) ? saved.order : null;
    return { marks, topic, order };
  }

  // The shuffled order is a seed, so every page sorts its questions the same
  // way: a topic page's order is the entry page's, filtered.
  function rank(seed, id) {
    let h = 2166136261 ^ seed;
    for (const ch of id) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
    return h >>> 0;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  // The entry page: every topic page's question folds, fetched from the
  // page's own links. Their links and images were written for the topic page:
  // resolve them against it.
  async function fetchCards(links) {
    const pages = await Promise.all(
      links.map(async (a) => {
        const url = new URL(a.getAttribute("href"), location.href);
        if (url.origin !== location.origin) throw new Error(`practice: ${url} is not on this site`);
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error(`practice: ${url} answered ${response.status}`);
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const cards = [...doc.querySelectorAll("article details.pq")];
        for (const card of cards) {
          for (const node of card.querySelectorAll("[href]")) node.setAttribute("href", new URL(node.getAttribute("href"), url).href);
          for (const node of card.querySelectorAll("[src]")) node.setAttribute("src", new URL(node.getAttribute("src"), url).href);
        }
        return cards.map((card) => document.adoptNode(card));
      }),
    );
    return pages.flat();
  }

  // topics: [{id, title}] for the entry page's filter (empty on a topic
  // page); home: the topic of a topic page (null on the entry page, which
  // holds every topic); slot: the quiz's place.
  function setup(article, cards, topics, home, slot) {
    const ids = cards.map((c) => c.id);
    const byId = new Map(cards.map((c) => [c.id, c]));
    const state = load();
    if (!home && !topics.some((t) => t.id === state.topic)) state.topic = ""; // a topic no longer in the source
    let topic = home || state.topic; // the filter
    let deck = [];
    let at = 0;
    let undo = null; // this page's marks before the last reset, until the next change

    // The static list gives way to the quiz.
    for (const card of cards) card.hidden = true;

    const ui = el("div", { class: "pq-ui" });
    // The topic filter is the entry page's: a topic page holds one topic, and
    // its "all topics" link leads to the entry page (a select that left the
    // page on a change would move keyboard users away as they browse it).
    ui.innerHTML =
      '<div class="pq-bar">' +
      (home ? "" : '<label>Topic <select class="pq-topic"><option value="">All topics</option></select></label>') +
      '<button type="button" class="pq-btn" data-act="shuffle" aria-pressed="false">Shuffle</button>' +
      '<button type="button" class="pq-btn" data-act="reset">Reset progress</button></div>' +
      '<p class="pq-count"></p><div class="pq-stage"></div><div class="pq-bar">' +
      '<button type="button" class="pq-btn" data-act="reveal"></button>' +
      '<button type="button" class="pq-btn" data-act="known" aria-pressed="false">Knew it</button>' +
      '<button type="button" class="pq-btn" data-act="review" aria-pressed="false">Review again</button>' +
      '<button type="button" class="pq-btn" data-act="prev">Previous</button>' +
      '<button type="button" class="pq-btn" data-act="next">Next</button></div>' +
      '<p class="pq-status" role="status"></p><button type="button" class="pq-btn" data-act="undo" hidden>Undo reset</button>' +
      `<p class="pq-keys">${KEYS_HTML}</p>`;
    const $ = (selector) => ui.querySelector(selector);
    const select = $(".pq-topic");
    if (select) {
      for (const t of topics) select.append(el("option", { value: t.id }, t.title));
      select.value = topic;
    }
    slot.replaceChildren(ui);

    const card = () => byId.get(deck[at]);
    const partsOf = (c) => [...c.querySelectorAll(":scope > details")];
    const question = (c) => c.querySelector(":scope > summary").textContent.trim();
    const save = () => window.__md_set(KEY, state);

    // The round's questions: the topic's (or all), "review again" first, then
    // the unmarked, then the known; page or shuffled order within each.
    function build() {
      const base = state.order === null ? ids : [...ids].sort((a, b) => rank(state.order, a) - rank(state.order, b));
      const level = (id) => ({ review: 0, known: 2 })[state.marks[id]] ?? 1;
      const inTopic = base.filter((id) => !topic || byId.get(id).dataset.topic === topic);
      deck = inTopic.map((id, i) => [level(id), i, id]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
      at = 0;
    }

    // Marks of questions this page does not hold (other topics, or removed
    // from the source) are kept in storage but not counted.
    function counts() {
      const marks = ids.map((id) => state.marks[id]);
      const known = marks.filter((m) => m === "known").length;
      const review = marks.filter((m) => m === "review").length;
      return `${known} of ${ids.length} known, ${review} to review`;
    }

    // Bring the controls in line with the current question and the marks.
    function render() {
      const c = card();
      // The first part still folded (the reader may open parts out of order).
      const next = partsOf(c).findIndex((d) => !d.open);
      $(".pq-count").textContent = `Question ${at + 1} of ${deck.length} · ${counts()}`;
      const reveal = $('[data-act="reveal"]');
      reveal.textContent = next < 0 ? "All parts shown" : `Show ${PARTS[next]}`;
      reveal.setAttribute("aria-disabled", String(next < 0));
      for (const mark of ["known", "review"])
        $(`[data-act="${mark}"]`).setAttribute("aria-pressed", String(state.marks[c.id] === mark));
      $('[data-act="shuffle"]').setAttribute("aria-pressed", String(state.order !== null));
      $('[data-act="undo"]').hidden = !undo;
    }

    function say(message) {
      $(".pq-status").textContent = message;
    }

    // Show deck[i] with every part folded.
    function show(i, message) {
      at = Math.max(0, Math.min(i, deck.length - 1));
      const c = card();
      for (const d of partsOf(c)) d.open = false;
      c.open = true;
      c.hidden = false;
      const stage = $(".pq-stage");
      // Focus inside the card going away (a part's summary, a link) would
      // fall back to the top of the page: keep it on the quiz.
      const refocus = stage.contains(document.activeElement);
      stage.replaceChildren(c);
      if (refocus) $('[data-act="reveal"]').focus();
      render();
      say(`${message ? message + " " : ""}Question ${at + 1} of ${deck.length}: ${question(c)}`);
    }

    // Change the stored state, starting from what is stored now: another
    // practice page in another tab may have marked or shuffled since, and
    // this page's copy must not write over that.
    function remember(change) {
      const stored = load();
      state.marks = stored.marks;
      state.order = stored.order;
      if (home) state.topic = stored.topic; // only the entry page has the filter
      change();
      // The entry page holds every question: marks for removed ones go.
      if (!home) for (const id of Object.keys(state.marks)) if (!ids.includes(id)) delete state.marks[id];
      save();
    }

    const act = {
      reveal() {
        const next = partsOf(card()).find((d) => !d.open);
        if (!next) return say("All parts are shown.");
        next.open = true;
        render();
        say(`${PARTS[partsOf(card()).indexOf(next)].replace(/^./, (s) => s.toUpperCase())} shown.`);
      },
      prev() {
        if (at === 0) return say("This is the first question.");
        show(at - 1);
      },
      next() {
        if (at < deck.length - 1) return show(at + 1);
        // A new round brings the questions to review back first.
        build();
        show(0, "New round: questions to review come first.");
      },
      known() {
        mark("known", "Marked as known.");
      },
      review() {
        mark("review", "Marked to review again.");
      },
      shuffle() {
        remember(() => (state.order = state.order === null ? Math.floor(Math.random() * 2 ** 31) : null));
        build();
        show(0, state.order === null ? "Back in page order." : "Shuffled.");
      },
      reset() {
        undo = Object.fromEntries(ids.filter((id) => state.marks[id]).map((id) => [id, state.marks[id]]));
        remember(() => ids.forEach((id) => delete state.marks[id]));
        build();
        show(0, `Progress cleared: ${counts()}. Undo is available.`);
      },
      undo() {
        if (!undo) return;
        const marks = undo;
        undo = null;
        remember(() => Object.assign(state.marks, marks));
        build();
        show(0, `Progress restored: ${counts()}.`);
        $('[data-act="next"]').focus(); // the undo button just disappeared
      },
    };

    function mark(value, message) {
      undo = null;
      remember(() => (state.marks[card().id] = value));
      if (at < deck.length - 1) show(at + 1, `${message} ${counts()}.`);
      else {
        build();
        show(0, `${message} ${counts()}. New round: questions to review come first.`);
      }
    }

    ui.addEventListener("click", (event) => {
      const button = event.target.closest("[data-act]");
      if (button && !button.matches('[aria-disabled="true"]')) act[button.dataset.act]();
      // The question's own summary would fold the card away: here it is a title.
      else if (event.target.closest("details.pq > summary")?.parentElement === card()) event.preventDefault();
    });
    select?.addEventListener("change", () => {
      topic = select.value;
      remember(() => (state.topic = topic));
      build();
      show(0, `${select.selectedOptions[0].textContent}.`);
    });
    // A part opened or closed by its own summary: keep the reveal button right.
    // (toggle does not bubble, so listen while it goes down.)
    ui.addEventListener("toggle", () => render(), true);

    // In the quiz a question's summary is its title, not a control to tab to.
    for (const c of cards) c.querySelector(":scope > summary").tabIndex = -1;
    build();
    // A link to a practice page's #question-id starts at that question.
    let linked = "";
    try {
      linked = decodeURIComponent(location.hash.slice(1));
    } catch {} // a malformed hash names no question
    show(Math.max(0, deck.indexOf(linked)));
    return { article, run: (name) => act[name]() };
  }

  // The quiz for the page in `article`: a topic page's from its folds, the
  // entry page's from the topic pages it links to. null if the page holds
  // no quiz after all; practice.css shows the plain page again then.
  async function create(article) {
    const slot = article.querySelector(".pq-slot");
    if (!slot) return null;
    const links = [...article.querySelectorAll(".pq-topics a[data-topic]")];
    if (links.length) {
      const topics = links.map((a) => ({ id: a.dataset.topic, title: a.textContent.trim() }));
      const cards = await fetchCards(links);
      if (!cards.length) return null;
      // The questions listed under each topic are for readers without the
      // quiz; with it they would only give the round away. (practice.css
      // hides them while the page loads.)
      for (const sub of article.querySelectorAll(".pq-topics li > ul")) sub.hidden = true;
      return setup(article, cards, topics, null, slot);
    }
    const cards = [...article.querySelectorAll("details.pq")];
    if (!cards.length) return null;
    const home = cards[0].dataset.topic;
    return setup(article, cards, [], home, slot);
  }

  // Keys act on the quiz unless the reader is typing, holds a modifier (so
  // browser and Material shortcuts such as / s f keep working), or focuses a
  // control that Space already activates.
  document.addEventListener("keydown", (event) => {
    if (!app || !app.article.isConnected) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.isComposing || event.defaultPrevented) return;
    const name = ACTIONS[event.key];
    const target = event.target instanceof Element ? event.target : document.body;
    if (!name || target.closest("input, select, textarea, [contenteditable], pre")) return;
    if (name === "reveal" && target.closest("button, a, summary")) return;
    event.preventDefault();
    // A held key repeats: moving on is fine, marking or revealing a run of questions is not.
    if (event.repeat && name !== "prev" && name !== "next") return;
    app.run(name);
  });

  // document$ emits on the first load and after every instant navigation; the
  // page is new each time, so its quiz is built again from localStorage.
  function start() {
    const article = document.querySelector("article");
    app = null;
    if (!article || !article.querySelector(".pq-topics, details.pq")) return;
    // In a task of its own: Material and the site's other scripts handle the
    // same page event, and one long task for all would hold up the first input.
    if (!apps.has(article)) apps.set(article, new Promise((resolve) => setTimeout(resolve)).then(() => create(article)));
    // Without a quiz the page shows what it shows without JavaScript.
    const off = () => article.classList.add("pq-off");
    apps.get(article).then(
      (quiz) => {
        if (!quiz) return off();
        // The quiz is up: the page's inline script's fallback must not undo it.
        article.classList.remove("pq-off");
        article.classList.add("pq-ready");
        // Still the page on screen (the reader may have moved on while fetching).
        if (document.querySelector("article") === article) app = quiz;
      },
      (error) => {
        off();
        console.warn(error); // the links still lead to every question
      },
    );
  }
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
