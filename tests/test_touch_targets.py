"""On a phone, every control the site adds can be hit with a finger: at least 44×44 CSS px (WCAG 2.5.5).

Each control is scrolled into view and `document.elementFromPoint` is asked what lies at its centre and at
the edges of the 44×44 px square around it: hit testing works in whole pixels, so those are the pixels 22
before the centre pixel and 21 after it, across and down. Every probe must land on the control (or inside
it). That is what a finger hits, whether the area comes from the control's box or from an invisible
pseudo-element around it. Every other control in the page's content is probed at its centre, so an
enlarged area never covers a neighbour.

Links inside a sentence are exempt (WCAG 2.5.8's inline exception): the notebook pages' list of the
questions they back and their download link are sentences, and the test holds them to that.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ROOT
from interview_qa import load
from interview_qa.practice import PRACTICE_DIR
from interview_qa.render import PAGES_DIR
from support import RecordingTab, visit

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
TOPIC = SOURCE.topics[0]
QUESTIONS = SOURCE.questions_in(TOPIC.id)
NOTEBOOK = QUESTIONS[0].demo.partition("#")[0].removesuffix(".ipynb")  # notebooks/<name>
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
MIN = 44  # CSS px, WCAG 2.5.5
# Controls drawn smaller than their hit area, an invisible pseudo-element around them (the start point) or
# over their row (the entry page's topic links): only the probe counts.
HIT_AREA_ONLY = {"#pg-handle", ".pq-topics a[data-topic]"}

# In document order: scroll into view (only ever down, so Material's "Back to top" button, which shows
# while scrolling up, stays away), let the browser render what content-visibility skipped, then probe.
PROBE = """async ([ours, size]) => {
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    // Not hidden, not in a closed fold or an unselected tab, not of zero size (the tabs' radio buttons,
    // worked through their labels).
    const shown = el => {
        const box = el.getBoundingClientRect();
        return el.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0;
    };
    const mine = new Map();
    for (const [selector] of ours)
        for (const el of document.querySelectorAll(selector)) if (shown(el)) mine.set(el, selector);
    const focusable = 'a[href], button, input, select, textarea, summary, label[for], [tabindex]:not([tabindex="-1"])';
    const others = [...document.querySelectorAll(`.md-content :is(${focusable})`)]
        // A link broken over two lines has no one centre to probe.
        .filter(el => !mine.has(el) && shown(el) && el.getClientRects().length === 1);
    const all = [...mine.keys(), ...others].sort(
        (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    const name = el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}` +
        ` "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30)}"`;
    const out = [];
    for (const el of all) {
        el.scrollIntoView({block: "center", inline: "nearest", behavior: "instant"});
        await frame();
        const box = el.getBoundingClientRect();
        const [x, y] = [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
        const [before, after] = [size / 2, size / 2 - 1];
        const probes = mine.has(el) ? [[0, 0], [-before, 0], [after, 0], [0, -before], [0, after]] : [[0, 0]];
        const missed = probes.flatMap(([dx, dy]) => {
            const hit = document.elementFromPoint(x + dx, y + dy);
            return hit && el.contains(hit) ? [] : [`(${dx}, ${dy}) hits ${hit ? name(hit) : "nothing"}`];
        });
        out.push({selector: mine.get(el) || null, name: name(el), width: box.width, height: box.height, missed});
    }
    return out;
}"""

LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 100);
})"""


@pytest.fixture
def phone(browser: object) -> Iterator[RecordingTab]:
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    tab = RecordingTab(context)
    yield tab
    context.close()
    assert not tab.problems(), tab.problems()


def open_page(tab: RecordingTab, url: str, ready: str = "body") -> None:
    """Load a page and wait for `ready`; nothing the enlargements add may have moved the page meanwhile."""
    visit(tab.page, url)
    tab.page.locator(ready).wait_for()
    tab.page.wait_for_timeout(300)
    shift = tab.page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.01, f"cumulative layout shift {shift:.3f}"


def check(tab: RecordingTab, ours: dict[str, int]) -> None:
    """Every control matched by a selector of `ours` (selector -> how many it must match) is a 44 px target,
    and every other control of the content is still hit at its centre."""
    results = tab.page.evaluate(PROBE, [list(ours.items()), MIN])
    found = {s: sum(r["selector"] == s for r in results) for s in ours}
    assert found == ours, "each selector matches the controls it is meant to"
    small = [
        f"{r['name']}: {r['width']:.1f}×{r['height']:.1f}"
        for r in results
        if r["selector"] and r["selector"] not in HIT_AREA_ONLY and min(r["width"], r["height"]) < MIN
    ]
    missed = [f"{r['name']} ({r['width']:.1f}×{r['height']:.1f}): " + "; ".join(r["missed"]) for r in results if r["missed"]]
    assert not small and not missed, "\n".join(["smaller than 44×44:", *small, "hit area short or covered:", *missed])


def test_topic_page(phone: RecordingTab, site_url: str) -> None:
    open_page(phone, f"{site_url}{PAGES_DIR}/{TOPIC.id}/")
    check(phone, {"a.qa-demo": len(QUESTIONS), ".tabbed-labels > label": 2 * len(QUESTIONS)})


@pytest.mark.parametrize("where", ["entry", "topic"])
def test_practice_page(phone: RecordingTab, site_url: str, where: str) -> None:
    open_page(phone, f"{site_url}{PRACTICE_DIR}/" + ("" if where == "entry" else f"{TOPIC.id}/"), "article.pq-ready")
    # Reset shows a button the quiz hides at first, and a revealed part the four grades: measure them too.
    phone.page.locator('.pq-ui [data-act="reset"]').click()
    phone.page.locator('.pq-ui [data-act="undo"]').wait_for()
    phone.page.locator('.pq-ui [data-act="reveal"]').click()
    ours = {
        # Shuffle, reset, reveal, again, hard, good, easy, previous, next, undo, export, import.
        ".pq-ui button": 12,
        # The four parts; the question's own summary is a title in the quiz, not a control.
        ".pq-stage details.pq > details > summary": 4,
        # On a line of its own, not in a sentence: no inline exception.
        ".pq-stage a.pq-full": 1,
    }
    if where == "entry":
        ours |= {".pq-ui select.pq-topic": 1, ".pq-topics a[data-topic]": len(SOURCE.topics)}
    check(phone, ours)


def test_playground(phone: RecordingTab, site_url: str) -> None:
    open_page(phone, f"{site_url}playground/", "#lr-playground[data-ready]")
    ours = {"#lr-playground select": 2, '#lr-playground input[type="range"]': 2, "#pg-handle": 1, "a.pg-preset": 4,
            "#pg-noise": 1, "#pg-hold": 1}
    # Nothing else in the playground takes input: a new control must be added here.
    assert phone.page.locator("#lr-playground :is(a, button, input, select, textarea, [tabindex])").count() == 11
    check(phone, ours)


def test_notebook_page(phone: RecordingTab, site_url: str) -> None:
    open_page(phone, f"{site_url}{NOTEBOOK}/")
    # The backed questions and the download link are links in sentences, each paragraph with words of
    # its own around them, laid out inline: WCAG's inline exception. Set apart as a list or as buttons,
    # they would need 44 px like the rest.
    inline = phone.page.evaluate(
        """() => [...document.querySelectorAll('article p.nb-backs, article p.nb-download')].map(p => {
            const links = [...p.querySelectorAll('a')];
            const own = links.reduce((text, a) => text.replace(a.textContent, ''), p.textContent);
            return {links: links.length, words: /[a-z]{3}/i.test(own),
                    display: links.map(a => getComputedStyle(a).display)};
        })"""
    )
    assert [(p["links"] > 0, p["words"], set(p["display"])) for p in inline] == [(True, True, {"inline"})] * 2, inline
    check(phone, {})
