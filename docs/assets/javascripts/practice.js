// Practice mode: one question at a time, its parts revealed one by one, then
// graded Again, Hard, Good or Easy; FSRS (npm's ts-fsrs) schedules the next
// review from the grades.
//
// Each topic's practice page, /practice/<topic>/ (hooks/interview_qa/practice.py),
// holds that topic's questions as <details class="pq"> folds with one fold per
// part; the quiz there runs on them. The entry page, /practice/, links to
// every topic page: the quiz there runs on all their questions, fetched from
// those links (same site only). Every practice page shares one review history.
(() => {
  "use strict";

  // Material runs the page's scripts again after each instant navigation to
  // a practice page; the first run's listeners are enough.
  if (window.__practiceStarted) return;
  window.__practiceStarted = true;

  // Stored through Material's helpers, scoped to the site's base URL like its
  // own settings: { reviews: [[question id, grade 1–4, time in ms]] oldest
  // first, topic: "" | id (the entry page's filter), order: null | seed of
  // the shuffled order }. Cards are not stored: they are the reviews replayed
  // through FSRS, so a history merged from another browser schedules alike.
  const KEY = "practice.v2";
  const V1_KEY = "practice.v1"; // { marks: {id: "known" | "review"} }, before scheduling
  // Loaded by this script, so only practice pages fetch it.
  const FSRS_URL = new URL("vendor/ts-fsrs.umd.js", document.currentScript.src).href;
  const FORMAT = "dl-interview-prep practice history"; // an exported file's "format"
  const MAX_FILE = 5 * 2 ** 20; // bytes: years of daily reviews are far less
  const GRADES = ["Again", "Hard", "Good", "Easy"]; // FSRS's ratings 1–4
  const PARTS = ["simple answer", "technical answer", "common mistake", "measured evidence"];
  const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/; // a question id, as validate.py allows
  const ACTIONS = { " ": "reveal", ArrowLeft: "prev", ArrowRight: "next", 1: "again", 2: "hard", 3: "good", 4: "easy" };
  const KEYS_HTML =
    "Keyboard: <kbd>Space</kbd> reveal the next part, <kbd>1</kbd> Again, <kbd>2</kbd> Hard, " +
    "<kbd>3</kbd> Good, <kbd>4</kbd> Easy, <kbd>←</kbd> previous question, <kbd>→</kbd> next question.";
  const DAY = 864e5;

  const apps = new WeakMap(); // article element -> its quiz, so one page is set up once
  let app = null; // the quiz on the current page, or null on other pages

  // ---- Scheduling -----------------------------------------------------------

  let fsrsLoading = null;
  function loadFsrs() {
    if (window.FSRS) return Promise.resolve(window.FSRS);
    fsrsLoading ||= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = FSRS_URL;
      script.onload = () => (window.FSRS ? resolve(window.FSRS) : reject(new Error(`practice: ${FSRS_URL} defined no FSRS`)));
      script.onerror = () => {
        fsrsLoading = null; // the next practice page tries again
        script.remove();
        reject(new Error(`practice: could not load ${FSRS_URL}`));
      };
      document.head.append(script);
    });
    return fsrsLoading;
  }

  // FSRS counts days from one UTC midnight to the next. Given the reader's
  // wall-clock time as if it were UTC, it counts the reader's own days: an
  // evening review and the next morning's are a day apart in any time zone,
  // as "due today" says. Cards hold wall-clock times; `due` gives the instant.
  const offset = (t) => new Date(t).getTimezoneOffset() * 6e4;
  const wall = (t) => new Date(t - offset(t));
  const instant = (w) => +w + offset(+w + offset(+w)); // the offset at the instant, not at its wall time

  // FSRS's long-term scheduler alone: interview preparation is planned in
  // days, so a grade schedules whole days (no reviews minutes apart), and
  // without fuzz the interval a button shows is the one it gives.
  const SETTINGS = { enable_fuzz: false, enable_short_term: false };
  function scheduler(F) {
    const f = F.fsrs(F.generatorParameters(SETTINGS));
    return {
      // What an exported history says it was scheduled with: the library and the settings it was given.
      about: { library: `ts-fsrs ${F.FSRSVersion}`, ...SETTINGS, request_retention: f.parameters.request_retention },
      // Each question's card after its reviews, oldest first.
      replay(reviews) {
        const cards = new Map();
        for (const [id, grade, time] of reviews) {
          const at = wall(time);
          cards.set(id, f.next(cards.get(id) || F.createEmptyCard(at), at, grade).card);
        }
        return cards;
      },
      // The card each grade would give, for a card not reviewed yet too. Not
      // before its last review: a clock set back, or a history from a clock
      // ahead, would give FSRS a negative interval.
      next(card, now, grade) {
        const at = new Date(Math.max(+wall(now), card ? +card.last_review : 0));
        return f.next(card || F.createEmptyCard(at), at, grade).card;
      },
      // When a card is due, in ms.
      due: (card) => instant(card.due),
      // The chance of recalling it now; 0 for a question never reviewed.
      recall: (card, now) => (card ? f.get_retrievability(card, wall(now), false) : 0),
    };
  }

  // ---- Dates and words ----------------------------------------------------

  const startOfDay = (time) => new Date(time).setHours(0, 0, 0, 0);
  const endOfDay = (time) => new Date(time).setHours(24, 0, 0, 0);
  const calendarDays = (from, to) => Math.round((startOfDay(to) - startOfDay(from)) / DAY); // DST-proof
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  // An interval as Anki writes it on its buttons: days, then months, then years.
  function span(days) {
    if (days < 31) return plural(Math.max(days, 0), "day");
    const [n, unit] = days < 365 ? [days / 30.4, "month"] : [days / 365, "year"];
    const r = Math.round(n * 10) / 10;
    return `${r} ${unit}${r === 1 ? "" : "s"}`;
  }

  function when(time, now) {
    const d = calendarDays(now, time);
    if (d <= 0) return "today";
    if (d === 1) return "tomorrow";
    const date = new Date(time).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
    return `in ${span(d)} (${date})`;
  }

  const percent = (r) => `${Math.round(r * 100)}%`;
  const iso = (time) => new Date(time).toISOString();

  // ---- The stored history ---------------------------------------------------

  const validReview = (r) =>
    Array.isArray(r) && r.length === 3 && typeof r[0] === "string" && ID.test(r[0]) &&
    [1, 2, 3, 4].includes(r[1]) && Number.isFinite(r[2]);
  const byTime = (a, b) => a[2] - b[2];
  const sameReview = (a, b) => Boolean(a && b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);

  function read(key) {
    try {
      return window.__md_get(key);
    } catch {
      return null; // storage blocked or malformed: start afresh
    }
  }

  function load() {
    const saved = read(KEY);
    const reviews = (Array.isArray(saved?.reviews) ? saved.reviews.filter(validReview) : []).sort(byTime);
    const topic = typeof saved?.topic === "string" ? saved.topic : "";
    const order = Number.isInteger(saved?.order) ? saved.order : null;
    return { reviews, topic, order, stored: Boolean(saved) };
  }

  // The marks of the quiz before scheduling, as one review each, made now:
  // "knew it" is Good, "review again" is Again. Read once, when no history is
  // stored yet; the old entry stays, so nothing is lost.
  function migrate(state, now) {
    const saved = state.stored ? null : read(V1_KEY);
    const marks = saved?.marks;
    if (!marks || typeof marks !== "object") return "";
    const grades = { known: 3, review: 1 };
    const reviews = Object.entries(marks).filter(([id, m]) => ID.test(id) && grades[m]).map(([id, m]) => [id, grades[m], now]);
    if (Number.isInteger(saved.order)) state.order = saved.order;
    if (typeof saved.topic === "string") state.topic = saved.topic;
    state.reviews = reviews;
    window.__md_set(KEY, { reviews, topic: state.topic, order: state.order });
    if (!reviews.length) return "";
    const known = reviews.filter((r) => r[1] === 3).length;
    return `Your earlier marks are kept: ${known} “knew it” became Good, ${reviews.length - known} “review again” became Again.`;
  }

  // An exported file's reviews, or a Refusal saying what is wrong with it.
  class Refusal extends Error {}
  function parseHistory(text, now) {
    const fix = "Choose a file saved by “Export history” on a practice page of this site.";
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Refusal(`This file is not JSON, so it is not a practice history. ${fix}`);
    }
    if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== FORMAT)
      throw new Refusal(`This file is JSON but not a practice history from this site: its "format" is not "${FORMAT}". ${fix}`);
    if (data.version !== 1)
      throw new Refusal(`This history is version ${String(data.version).slice(0, 20)}; this page reads version 1. ${fix}`);
    if (!Array.isArray(data.reviews)) throw new Refusal(`This history has no "reviews" list. ${fix}`);
    return data.reviews.map((r, i) => {
      const where = `Review ${i + 1} of ${data.reviews.length}`;
      if (!r || typeof r !== "object") throw new Refusal(`${where} is not an object with "question", "grade" and "at". ${fix}`);
      const id = typeof r.question === "string" && ID.test(r.question) ? r.question : null;
      if (!id) throw new Refusal(`${where} has no valid "question" id (lower-case words joined by hyphens). ${fix}`);
      const grade = GRADES.findIndex((g) => g.toLowerCase() === r.grade) + 1;
      if (!grade) throw new Refusal(`${where} (${id}) has no valid "grade": it must be again, hard, good or easy. ${fix}`);
      const time = typeof r.at === "string" && /^\d{4}-\d\d-\d\dT/.test(r.at) ? Date.parse(r.at) : NaN;
      if (!Number.isFinite(time)) throw new Refusal(`${where} (${id}) has no valid "at": it must be a date and time such as 2026-11-30T09:00:00Z. ${fix}`);
      if (time > now + DAY) throw new Refusal(`${where} (${id}) is dated ${r.at}, in the future. ${fix}`);
      return [id, grade, time];
    });
  }

  // ---- The page -------------------------------------------------------------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  // The shuffled order is a seed, so every page sorts its questions the same
  // way: a topic page's order is the entry page's, filtered.
  function rank(seed, id) {
    let h = 2166136261 ^ seed;
    for (const ch of id) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
    return h >>> 0;
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

  const UI_HTML =
    '<p class="pq-today"></p>' +
    '<div class="pq-bar">%FILTER%' +
    '<button type="button" class="pq-btn" data-act="shuffle" aria-pressed="false">Shuffle new questions</button>' +
    '<button type="button" class="pq-btn" data-act="reset">Reset progress</button></div>' +
    '<p class="pq-count"></p><div class="pq-stage"></div>' +
    // Sticky: on a phone the answer runs past the screen, and the grades must stay at hand.
    '<div class="pq-actions"><div class="pq-bar">' +
    '<button type="button" class="pq-btn" data-act="reveal"></button>' +
    '<span class="pq-grades" role="group" aria-label="How well did you know it? Each grade shows when the question comes back." hidden>' +
    GRADES.map((g, i) => `<button type="button" class="pq-btn pq-grade" data-act="${g.toLowerCase()}" data-grade="${i + 1}" aria-pressed="false">${g} <span class="pq-ivl"></span></button>`).join("") +
    "</span>" +
    '<button type="button" class="pq-btn" data-act="prev">Previous</button>' +
    '<button type="button" class="pq-btn" data-act="next">Next</button></div></div>' +
    '<p class="pq-status" role="status"></p><button type="button" class="pq-btn" data-act="undo" hidden>Undo reset</button>' +
    `<p class="pq-keys">${KEYS_HTML}</p>` +
    '<div class="pq-bar pq-files"><button type="button" class="pq-btn" data-act="export">Export history</button>' +
    '<button type="button" class="pq-btn" data-act="import" aria-haspopup="dialog">Import history</button></div>' +
    '<dialog class="pq-dialog" aria-labelledby="pq-import-title" aria-describedby="pq-import-help">' +
    '<h2 id="pq-import-title">Import review history</h2>' +
    '<p id="pq-import-help">Choose a file saved by “Export history”, in this browser or another. Its reviews are ' +
    "added to the ones here; none are removed, and a file that is not a history changes nothing.</p>" +
    '<p><label for="pq-file">History file</label> <input type="file" id="pq-file" accept=".json,application/json"></p>' +
    '<p class="pq-error" role="alert"></p>' +
    '<div class="pq-bar"><button type="button" class="pq-btn" data-dlg="import">Import</button>' +
    '<button type="button" class="pq-btn" data-dlg="cancel">Cancel</button></div></dialog>';

  // A question's parts, in order: its folds inside its own fold.
  const partsOf = (c) => [...c.querySelectorAll(":scope > details")];

  // The quiz's state and scheduling, apart from the page: the review history
  // (stored, and replayed through FSRS into the schedule) and this session's
  // deck, position and grades. Of the cards it reads only ids and topics.
  function session(cards, topics, home, S) {
    const ids = cards.map((c) => c.id);
    const topicOf = new Map(cards.map((c) => [c.id, c.dataset.topic]));
    const state = load();
    const migrated = migrate(state, Date.now());
    if (!home && !topics.some((t) => t.id === state.topic)) state.topic = ""; // a topic no longer in the source
    let schedule = S.replay(state.reviews); // id -> card

    const save = () => window.__md_set(KEY, { reviews: state.reviews, topic: state.topic, order: state.order });

    // Change the stored state, starting from what is stored now: another
    // practice page in another tab may have graded or shuffled since, and
    // this page's copy must not write over that.
    function remember(change) {
      const stored = load();
      state.reviews = stored.reviews;
      state.order = stored.order;
      if (home) state.topic = stored.topic; // only the entry page has the filter
      change();
      state.reviews.sort(byTime);
      save();
      schedule = S.replay(state.reviews);
    }

    const sess = {
      migrated, // what became of the marks from before scheduling, or ""
      topic: home || state.topic, // the filter
      deck: [], // this session's questions
      at: 0, // the question on screen, or deck.length for the session's end
      graded: new Map(), // id -> its review in this session
      ahead: false, // practising questions not due yet, by the reader's choice
      startReady: 0, // readiness when the session began
      undo: null, // the reviews the last reset removed, until the next change

      has: (id) => topicOf.has(id),
      inScope: (id, t = sess.topic) => !t || topicOf.get(id) === t,
      dueAt: (id) => S.due(schedule.get(id)), // ms; only for a question reviewed before
      shuffled: () => state.order !== null,
      where: () => (home ? "in this topic" : sess.topic ? `in ${topics.find((t) => t.id === sess.topic).title}` : "in all topics"),
      readiness(now, t = sess.topic) {
        const scope = ids.filter((id) => sess.inScope(id, t));
        return scope.reduce((sum, id) => sum + S.recall(schedule.get(id), now), 0) / (scope.length || 1);
      },

      // The scope's questions: due today (most overdue first), new ones (page
      // or shuffled order), and those due later (soonest first).
      sort(now) {
        const base = state.order === null ? ids : [...ids].sort((a, b) => rank(state.order, a) - rank(state.order, b));
        const end = endOfDay(now);
        const due = [], fresh = [], later = [];
        for (const id of base.filter((id) => sess.inScope(id))) {
          const c = schedule.get(id);
          (!c ? fresh : S.due(c) < end ? due : later).push(id);
        }
        const soonest = (a, b) => sess.dueAt(a) - sess.dueAt(b);
        return { due: due.sort(soonest), fresh, later: later.sort(soonest) };
      },

      // A new session: what is due, then what is new; everything when practising
      // ahead. Returns what it holds, in words.
      build() {
        const now = Date.now();
        const { due, fresh, later } = sess.sort(now);
        sess.deck = sess.ahead ? [...due, ...fresh, ...later] : [...due, ...fresh];
        sess.at = 0;
        sess.graded = new Map();
        sess.startReady = sess.readiness(now);
        if (sess.ahead) return `Practising ahead ${sess.where()}: ${sess.deck.length} questions, soonest due first.`;
        if (!sess.deck.length) return "";
        const reason = [due.length && `${due.length} due`, fresh.length && `${fresh.length} new`].filter(Boolean).join(", ");
        return `${reason} ${sess.where()}: ${due.length && fresh.length ? "due questions first, then new ones" : due.length ? "most overdue first" : "in page order"}.`;
      },

      // Each grade's interval in days, from before this session's own review of the question.
      intervals(id, now) {
        const review = sess.graded.get(id)?.review;
        const before = S.replay(state.reviews.filter((r) => !sameReview(r, review))).get(id);
        const reviewNow = review?.[2] ?? now;
        return GRADES.map((g, i) => calendarDays(reviewNow, S.due(S.next(before, reviewNow, i + 1))));
      },

      grade(id, value, now) {
        // A second grade in one session replaces the first: the reader changed their mind.
        const earlier = sess.graded.get(id)?.review;
        const review = [id, value, earlier ? earlier[2] : now];
        sess.undo = null;
        remember(() => {
          state.reviews = state.reviews.filter((r) => !sameReview(r, earlier));
          state.reviews.push(review);
        });
        sess.graded.set(id, { grade: value, review });
      },

      setTopic(t) {
        sess.topic = t;
        remember(() => (state.topic = t));
      },

      shuffle() {
        remember(() => (state.order = state.order === null ? Math.floor(Math.random() * 2 ** 31) : null));
      },

      // The scope's reviews removed, kept for undo; returns how many.
      reset() {
        // From the stored history: another tab may have graded since this page loaded.
        let removed = [];
        remember(() => {
          removed = state.reviews.filter((r) => ids.includes(r[0]));
          state.reviews = state.reviews.filter((r) => !ids.includes(r[0]));
        });
        sess.undo = removed;
        return removed.length;
      },

      // The last reset's reviews put back; returns how many.
      restore() {
        const back = sess.undo;
        sess.undo = null;
        remember(() => state.reviews.push(...back.filter((r) => !state.reviews.some((s) => sameReview(r, s)))));
        return back.length;
      },

      // Throws if the stored history with these reviews cannot be scheduled; stores nothing.
      check(incoming) {
        S.replay([...load().reviews, ...incoming].sort(byTime));
      },

      // Reviews from a file added to the history; returns how many were new.
      merge(incoming) {
        let added = 0;
        sess.undo = null;
        remember(() => {
          const seen = new Set(state.reviews.map(String));
          const fresh = incoming.filter((r) => !seen.has(String(r)) && seen.add(String(r)));
          added = fresh.length;
          state.reviews.push(...fresh);
        });
        return added;
      },

      // An exported file's content: the stored history, and its schedule.
      history(now) {
        const { reviews } = load();
        const cardsNow = S.replay(reviews);
        return {
          format: FORMAT,
          version: 1,
          exported: iso(now),
          // For reading only: importing replays the reviews.
          scheduler: S.about,
          reviews: reviews.map(([id, g, t]) => ({ question: id, grade: GRADES[g - 1].toLowerCase(), at: iso(t) })),
          schedule: Object.fromEntries(
            [...cardsNow].map(([id, c]) => [id, { due: iso(S.due(c)), stability: c.stability, difficulty: c.difficulty, reviews: c.reps, lapses: c.lapses }]),
          ),
        };
      },
    };
    return sess;
  }

  // The quiz on the page for session `sess`: built into `slot`, then brought
  // in line with the session by render, show and finish.
  function view(cards, topics, home, slot, sess) {
    const byId = new Map(cards.map((c) => [c.id, c]));

    for (const c of cards) {
      c.hidden = true; // the static list gives way to the quiz
      // In the quiz a question's summary is its title, not a control to tab to.
      c.querySelector(":scope > summary").tabIndex = -1;
    }

    const ui = el("div", { class: "pq-ui" });
    // The topic filter is the entry page's: a topic page holds one topic, and
    // its "all topics" link leads to the entry page (a select that left the
    // page on a change would move keyboard users away as they browse it).
    ui.innerHTML = UI_HTML.replace(
      "%FILTER%",
      home ? "" : '<label>Topic <select class="pq-topic"><option value="">All topics</option></select></label>',
    );
    const $ = (selector) => ui.querySelector(selector);
    const select = $(".pq-topic");
    if (select) {
      for (const t of topics) select.append(el("option", { value: t.id }, t.title));
      select.value = sess.topic;
    }
    const dialog = $(".pq-dialog");
    slot.replaceChildren(ui);
    // Readiness at the end of each topic's line on the entry page.
    const meters = new Map(
      topics.map((t) => {
        const meter = el("span", { class: "pq-ready" });
        t.link.parentElement.append(meter);
        return [t.id, meter];
      }),
    );

    const card = () => byId.get(sess.deck[sess.at]);
    const question = (c) => c.querySelector(":scope > summary").textContent.trim();

    function today(now) {
      const { due, fresh } = sess.sort(now);
      const ready = sess.readiness(now);
      const line = $(".pq-today");
      line.replaceChildren(
        el("strong", {}, `${due.length} due today`),
        `, ${fresh.length} new ${sess.where()} · Readiness ${percent(ready)} `,
        bar(ready),
      );
      line.title = "Readiness: the chance, by FSRS, that you recall a question now, averaged over the questions (0 for one never reviewed).";
      for (const t of topics) {
        const r = sess.readiness(now, t.id);
        meters.get(t.id).replaceChildren(` · readiness ${percent(r)} `, bar(r));
      }
    }

    function bar(r) {
      const outer = el("span", { class: "pq-meter", "aria-hidden": "true" });
      const inner = el("span");
      inner.style.width = percent(r);
      outer.append(inner);
      return outer;
    }

    // Bring the controls in line with the current question and the history.
    function render() {
      const now = Date.now();
      today(now);
      const { deck, at, graded } = sess;
      const done = at >= deck.length;
      const scope = `${sess.ahead ? "" : "for today "}${sess.where()}`;
      $(".pq-count").textContent = done
        ? `Session ${deck.length ? "done" : "empty"} ${scope} · ${graded.size} of ${deck.length} graded`
        : `Question ${at + 1} of ${deck.length} ${scope} · ${graded.size} of ${deck.length} graded`;
      $(".pq-actions").hidden = done && !deck.length;
      $('[data-act="shuffle"]').setAttribute("aria-pressed", String(sess.shuffled()));
      $('[data-act="undo"]').hidden = !sess.undo;
      const reveal = $('[data-act="reveal"]');
      const grades = $(".pq-grades");
      reveal.hidden = done;
      $('[data-act="next"]').hidden = done;
      if (done) {
        grades.hidden = true;
        return;
      }
      const c = card();
      const parts = partsOf(c);
      // The first part still folded (the reader may open parts out of order).
      const next = parts.findIndex((d) => !d.open);
      reveal.textContent = next < 0 ? "All parts shown" : `Show ${PARTS[next]}`;
      reveal.setAttribute("aria-disabled", String(next < 0));
      // Grades once something is shown: a grade is for what the reader recalled.
      grades.hidden = !parts.some((d) => d.open);
      const days = sess.intervals(c.id, now);
      for (const button of grades.querySelectorAll("[data-grade]")) {
        const grade = Number(button.dataset.grade);
        button.querySelector(".pq-ivl").textContent = span(days[grade - 1]);
        button.setAttribute("aria-pressed", String(graded.get(c.id)?.grade === grade));
      }
    }

    function say(message) {
      $(".pq-status").textContent = message;
    }

    // Focus on a control that has just been hidden or taken away (a part's
    // summary, a grade) would fall back to the top of the page: keep it on
    // the quiz. `had`: whether focus was on the quiz before the change.
    function keepFocus(had, target) {
      const active = document.activeElement;
      if (had && (!ui.contains(active) || !active.checkVisibility())) target.focus();
    }

    // Show deck[i] with every part folded.
    function show(i, message) {
      sess.at = Math.max(0, Math.min(i, sess.deck.length - 1));
      if (!sess.deck.length) return finish(message);
      const c = card();
      const had = ui.contains(document.activeElement);
      for (const d of partsOf(c)) d.open = false;
      c.open = true;
      c.hidden = false;
      $(".pq-stage").replaceChildren(c);
      render();
      keepFocus(had, $('[data-act="reveal"]'));
      say(`${message ? message + " " : ""}Question ${sess.at + 1} of ${sess.deck.length}: ${question(c)}`);
    }

    // The end of a session, or a scope with nothing due: what was done, what comes next.
    function finish(message) {
      const now = Date.now();
      const { deck, graded } = sess;
      sess.at = deck.length;
      const box = el("div", { class: "pq-summary", tabindex: "-1" });
      const lines = [];
      if (deck.length) {
        const counts = GRADES.map((g, i) => [g, [...graded.values()].filter((r) => r.grade === i + 1).length]).filter(([, n]) => n);
        lines.push(
          `Session done: ${graded.size} of ${deck.length} graded` +
            (counts.length ? ` (${counts.map(([g, n]) => `${n} ${g}`).join(", ")})` : "") +
            `. Readiness ${sess.where()}: ${percent(sess.startReady)} → ${percent(sess.readiness(now))}.`,
        );
        if (graded.size < deck.length) lines.push(`${deck.length - graded.size} not graded: they stay where they were in the schedule.`);
      } else lines.push(`Nothing is due today ${sess.where()}.`);
      const upcoming = sess.sort(now).later.map((id) => sess.dueAt(id)); // after today, by definition
      if (upcoming.length) {
        const first = Math.min(...upcoming);
        const same = upcoming.filter((t) => calendarDays(first, t) === 0).length;
        lines.push(`Next review ${when(first, now)}: ${plural(same, "question")}.`);
      }
      for (const line of lines) box.append(el("p", {}, line));
      const again = el("button", { type: "button", class: "pq-btn", "data-act": "restart" }, "Start a new session");
      const early = el("button", { type: "button", class: "pq-btn", "data-act": "ahead" }, "Practise ahead: every question here");
      const had = ui.contains(document.activeElement);
      const buttons = el("div", { class: "pq-bar" });
      buttons.append(again, early);
      box.append(buttons);
      $(".pq-stage").replaceChildren(box);
      render();
      keepFocus(had, again);
      say(`${message ? message + " " : ""}${lines.join(" ")}`);
    }

    return { ui, $, select, dialog, card, render, say, show, finish };
  }

  // The quiz: its session, its view, and the actions of its buttons, import
  // dialog, topic filter and keys, each of which changes the session and
  // then shows the result.
  // topics: [{id, title, link}] for the entry page (empty on a topic page);
  // home: the topic of a topic page (null on the entry page, which holds
  // every topic); slot: the quiz's place; S: the scheduler.
  function setup(article, cards, topics, home, slot, S) {
    const sess = session(cards, topics, home, S);
    const { ui, $, select, dialog, card, render, say, show, finish } = view(cards, topics, home, slot, sess);

    function grade(value) {
      if (sess.at >= sess.deck.length) return say("The session is over: start a new one to grade again.");
      const c = card();
      if (!partsOf(c).some((d) => d.open)) return say("Show an answer first, then grade how well you knew it.");
      const now = Date.now();
      sess.grade(c.id, value, now);
      const message = `${GRADES[value - 1]}: next review ${when(sess.dueAt(c.id), now)}.`;
      if (sess.at < sess.deck.length - 1) show(sess.at + 1, message);
      else finish(message);
    }

    function begin(message) {
      const reason = sess.build();
      show(0, [message, reason].filter(Boolean).join(" "));
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
        if (sess.at === 0) return say("This is the first question.");
        show(sess.at - 1);
      },
      next() {
        if (sess.at < sess.deck.length - 1) return show(sess.at + 1);
        finish();
      },
      again: () => grade(1),
      hard: () => grade(2),
      good: () => grade(3),
      easy: () => grade(4),
      restart() {
        sess.ahead = false;
        begin("New session.");
      },
      ahead() {
        sess.ahead = true;
        begin("");
      },
      shuffle() {
        sess.shuffle();
        begin(sess.shuffled() ? "New questions shuffled." : "New questions in page order.");
      },
      reset() {
        const removed = sess.reset();
        sess.ahead = false;
        begin(`Progress cleared: ${plural(removed, "review")} removed. Undo is available.`);
      },
      undo() {
        if (!sess.undo) return;
        const back = sess.restore();
        begin(`Progress restored: ${plural(back, "review")}.`);
        $('[data-act="reveal"]').focus(); // the undo button just disappeared
      },
      export() {
        const now = Date.now();
        const data = sess.history(now);
        const name = `practice-history-${new Date(now).toLocaleDateString("sv")}.json`; // sv: YYYY-MM-DD
        const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" }));
        const a = el("a", { href: url, download: name });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        say(`Exported ${plural(data.reviews.length, "review")} to ${name}.`);
      },
      import() {
        $(".pq-error").textContent = "";
        $("#pq-file").value = "";
        dialog.showModal();
      },
    };

    async function importFile() {
      const error = $(".pq-error");
      const file = $("#pq-file").files[0];
      const refuse = (message) => {
        error.textContent = `Nothing was imported. ${message}`;
        $("#pq-file").focus();
      };
      if (!file) return refuse("Choose a file first.");
      if (file.size > MAX_FILE) return refuse(`${file.name} is ${Math.round(file.size / 2 ** 20)} MB; a history is far smaller.`);
      let incoming;
      try {
        incoming = parseHistory(await file.text(), Date.now());
        sess.check(incoming);
      } catch (e) {
        return refuse(e instanceof Refusal ? `${file.name}: ${e.message}` : `${file.name} could not be scheduled (${e.message}).`);
      }
      const added = sess.merge(incoming);
      dialog.close();
      sess.ahead = false;
      begin(`Imported ${file.name}: ${plural(incoming.length, "review")}, ${added} of them new to this browser.`);
      $('[data-act="import"]').focus();
    }

    ui.addEventListener("click", (event) => {
      const button = event.target.closest("[data-act]");
      if (button && !button.matches('[aria-disabled="true"]')) act[button.dataset.act]();
      // The question's own summary would fold the card away: here it is a title.
      else if (event.target.closest("details.pq > summary")?.parentElement === card()) event.preventDefault();
    });
    dialog.addEventListener("click", (event) => {
      const button = event.target.closest("[data-dlg]");
      if (button?.dataset.dlg === "import") importFile();
      else if (button?.dataset.dlg === "cancel") dialog.close();
    });
    select?.addEventListener("change", () => {
      sess.setTopic(select.value);
      sess.ahead = false;
      begin(`${select.selectedOptions[0].textContent}.`);
    });
    // A part opened or closed by its own summary: keep the reveal button right.
    // (toggle does not bubble, so listen while it goes down.)
    ui.addEventListener("toggle", () => sess.at < sess.deck.length && render(), true);

    const reason = sess.build();
    // A link to a practice page's #question-id starts at that question, due or not.
    let linked = "";
    try {
      linked = decodeURIComponent(location.hash.slice(1));
    } catch {} // a malformed hash names no question
    if (sess.has(linked) && sess.inScope(linked) && !sess.deck.includes(linked)) sess.deck.unshift(linked);
    show(Math.max(0, sess.deck.indexOf(linked)), [sess.migrated, reason].filter(Boolean).join(" "));
    return { article, run: (name) => act[name](), busy: () => dialog.open };
  }

  // The quiz for the page in `article`: a topic page's from its folds, the
  // entry page's from the topic pages it links to. null if the page holds
  // no quiz after all; practice.css shows the plain page again then.
  async function create(article) {
    const slot = article.querySelector(".pq-slot");
    if (!slot) return null;
    const links = [...article.querySelectorAll(".pq-topics a[data-topic]")];
    if (links.length) {
      const topics = links.map((a) => ({ id: a.dataset.topic, title: a.textContent.trim(), link: a }));
      const [cards, F] = await Promise.all([fetchCards(links), loadFsrs()]);
      if (!cards.length) return null;
      // The questions listed under each topic are for readers without the
      // quiz; with it they would only give the round away. (practice.css
      // hides them while the page loads.)
      for (const sub of article.querySelectorAll(".pq-topics li > ul")) sub.hidden = true;
      return setup(article, cards, topics, null, slot, scheduler(F));
    }
    const cards = [...article.querySelectorAll("details.pq")];
    if (!cards.length) return null;
    const F = await loadFsrs();
    return setup(article, cards, [], cards[0].dataset.topic, slot, scheduler(F));
  }

  // Keys act on the quiz unless the reader is typing, holds a modifier (so
  // browser and Material shortcuts such as / s f keep working), focuses a
  // control that Space already activates, or has the import dialog open.
  document.addEventListener("keydown", (event) => {
    if (!app || !app.article.isConnected || app.busy()) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.isComposing || event.defaultPrevented) return;
    const name = ACTIONS[event.key];
    const target = event.target instanceof Element ? event.target : document.body;
    if (!name || target.closest("input, select, textarea, [contenteditable], pre")) return;
    if (name === "reveal" && target.closest("button, a, summary")) return;
    event.preventDefault();
    // A held key repeats: moving on is fine, grading or revealing a run of questions is not.
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
  // This script comes before Material's in the page, and both are deferred: on
  // the first load Material's document$ exists once the page's DOMContentLoaded
  // fires (without Material, as in a plain copy of the page, start once then).
  const boot = () => (window.document$ ? window.document$.subscribe(start) : start());
  if (window.document$ || document.readyState === "complete") boot();
  else document.addEventListener("DOMContentLoaded", boot, { once: true });
})();
