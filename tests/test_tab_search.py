"""Search hits and deep links into an inactive content tab open that tab (mkdocs-material#4125)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from interview_qa import load
from interview_qa.render import SIMPLE_LABEL, TECHNICAL_LABEL
from playwright.sync_api import Browser, Page, Route, expect
from support import RecordingTab, visit

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
WORD = re.compile(r"[A-Za-z]{6,}")
# Words inside math or code may not come out as plain text on the page.
MATH_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|```.*?```|`[^`]*`", re.S)
FIELDS = ("question", "simple", "technical", "mistake", "measured")

# The id of the question (its h2) whose tab set holds `el`.
QUESTION_OF = """el => {
    let h = el.closest(".tabbed-set");
    while (h && h.tagName !== "H2") h = h.previousElementSibling;
    return h ? h.id : "";
}"""
# For every tab set on the page: its question's id and the checked tab's label.
TABS = f"""() => [...document.querySelectorAll("article .tabbed-set")].map(set => {{
    const input = set.querySelector(":scope > input:checked");
    return [({QUESTION_OF})(set), set.querySelector(`label[for="${{input.id}}"]`).textContent.trim()];
}})"""
# True once Material's underline sits under the checked tab of the question's set.
UNDERLINE = """id => {
    let set = document.getElementById(id);
    while (!set.matches(".tabbed-set")) set = set.nextElementSibling;
    const checked = set.querySelector(":scope > input:checked").id;
    const border = (l) => getComputedStyle(l).borderBottomColor;
    const labels = [...set.querySelectorAll(":scope > .tabbed-labels > label")];
    const chosen = labels.find((l) => l.htmlFor === checked);
    // The chosen tab's label is underlined (its border), no other is.
    return labels.every((l) => (l === chosen) === (border(l) !== "rgba(0, 0, 0, 0)"));
}"""


@dataclass(frozen=True)
class Hit:
    """A word that occurs on the whole site only in one tab of one question."""

    topic: str
    question: str
    word: str
    position: int  # the question's place on its topic page

    @property
    def page(self) -> str:
        return f"questions/{self.topic}/"


def tab_only_hits(site: Path, tab: str) -> list[Hit]:
    """Per question, its longest word found only in its `tab` text; questions further down first."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    hits = []
    for topic in SOURCE.topics:
        for position, q in enumerate(SOURCE.questions_in(topic.id)):
            section = f"questions/{topic.id}/#{q.id}"
            elsewhere = [d["title"] + " " + d["text"] for d in docs if d["location"] != section]
            text = " ".join([*elsewhere, *q.tags, *(getattr(q, f) for f in FIELDS if f != tab)]).lower()
            # Search matches word stems and highlights any substring: keep words
            # whose stem-like prefix is found nowhere else either.
            words = {w.lower() for w in WORD.findall(MATH_OR_CODE.sub(" ", getattr(q, tab)))}
            unique = sorted((w for w in words if w[: max(6, len(w) - 3)] not in text), key=lambda w: (-len(w), w))
            if unique:
                hits.append(Hit(topic.id, q.id, unique[0], position))
    assert len({h.topic for h in hits}) >= 2, f"too few words of a {tab} tab are unique to it on the site"
    return sorted(hits, key=lambda h: (-h.position, -len(h.word), h.word))


@pytest.fixture(scope="session")
def technical(site: Path) -> list[Hit]:
    return tab_only_hits(site, "technical")


@pytest.fixture(scope="session")
def simple(site: Path) -> list[Hit]:
    return tab_only_hits(site, "simple")


@pytest.fixture
def page(browser: Browser, site: Path, site_url: str) -> Iterator[Page]:
    """A fresh browser tab that must stay on the site and log no errors."""
    # The site fixture is built for site_url, so sitemap.xml lists this server's
    # pages and Material navigates instantly, as on the real site.
    context = browser.new_context(color_scheme="light")
    tab = RecordingTab(context)
    yield tab.page
    context.close()
    assert not tab.problems(), tab.problems()


def tabs(page: Page) -> dict[str, str]:
    return dict(page.evaluate(TABS))


def tab_choice(page: Page) -> str | None:
    """The reader's linked-tab choice as linked-tabs.js keeps it in localStorage."""
    return page.evaluate("() => localStorage.getItem('qa-tabs.label')")


def choose_tab(page: Page, label: str) -> None:
    """The reader clicks `label` once; linked tabs then follow it everywhere."""
    page.locator(".tabbed-set").first.get_by_text(label, exact=True).click()
    page.wait_for_function("() => localStorage.getItem('qa-tabs.label') !== null")


def search_and_follow(page: Page, hit: Hit) -> str:
    """Type the word into Material's search box and click its first result; returns the link."""
    # Material closes the search 125 ms after every navigation: opened sooner, it would close again.
    page.wait_for_timeout(250)
    page.keyboard.press("/")
    page.keyboard.type(hit.word)
    # Results are redrawn per keystroke; the final ones carry the whole word in `h`.
    link = page.locator(f'.md-search-result__list a[href*="h={hit.word}#{hit.question}"]').first
    link.wait_for(timeout=10_000)
    groups = page.locator(".md-search-result__list > li")
    expect(groups, f"{hit.word!r} should be found on one page only").to_have_count(1)
    hrefs = [a.get_attribute("href") or "" for a in groups.first.locator("a").all()]
    href = link.get_attribute("href") or ""
    assert [h for h in hrefs if "#" in h][0] == href, f"the question is not the first section found: {hrefs}"
    link.click()
    page.wait_for_url(href)
    return href


def assert_landed(page: Page, hit: Hit, label: str, others: str | dict[str, str], stored: str | None) -> None:
    """The hit's tab is open and its marked word on screen; other tab sets and the stored choice unchanged."""
    marks = page.locator("mark[data-md-highlight]", has_text=re.compile(re.escape(hit.word), re.I))
    marks.first.wait_for(state="visible", timeout=10_000)
    # Let the browser finish its own scrolling to the hash before measuring.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert {marks.nth(i).evaluate(QUESTION_OF) for i in range(marks.count())} == {hit.question}
    box, viewport = marks.first.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], f"mark off screen: {box}"
    state = tabs(page)
    expected = {q: others if isinstance(others, str) else others[q] for q in state}
    assert state == {**expected, hit.question: label}, "only the hit's own tab set may switch"
    assert tab_choice(page) == stored, "a search hit must not be saved as the reader's tab choice"
    page.wait_for_function(UNDERLINE, arg=hit.question)


def test_search_results_on_the_same_page_open_the_technical_tab(
    page: Page, site_url: str, technical: list[Hit]
) -> None:
    # Two hits on one page: Material reloads the page for the first, not for the second.
    first = technical[0]
    second = next(h for h in technical if h.topic == first.topic and h != first)
    visit(page, site_url + first.page)
    stored = tab_choice(page)
    href = search_and_follow(page, first)
    # Material's result links: absolute, the matched terms in `h`, the section as hash.
    assert href == f"{site_url}{first.page}?h={first.word}#{first.question}"
    assert_landed(page, first, TECHNICAL_LABEL, SIMPLE_LABEL, stored)
    before = tabs(page)
    search_and_follow(page, second)
    assert_landed(page, second, TECHNICAL_LABEL, before, stored)


@pytest.mark.parametrize("index", ["fast", "slow", "never"])
def test_deep_link_with_highlight_opens_the_technical_tab(
    page: Page, site_url: str, technical: list[Hit], index: str
) -> None:
    # Material highlights once the search index has loaded: served as usual,
    # late (well after this page's own scripts ran), or never.
    held: list[Route] = []

    def slow(route: Route) -> None:
        time.sleep(1.5)
        route.continue_()

    hold: dict[str, Callable[[Route], None]] = {"slow": slow, "never": held.append}
    if index in hold:
        page.route("**/search/search_index.json", lambda route: hold[index](route))
    hit = technical[0]
    page.goto(f"{site_url}{hit.page}?h={hit.word}#{hit.question}")
    assert_landed(page, hit, TECHNICAL_LABEL, SIMPLE_LABEL, None)


def test_instant_navigation_from_home_opens_the_technical_tab(page: Page, site_url: str, technical: list[Hit]) -> None:
    first = technical[0]
    second = next(h for h in technical if h.topic != first.topic)
    visit(page, site_url)
    page.evaluate("() => { window.notReloaded = true }")
    for hit in (first, second):
        search_and_follow(page, hit)
        assert_landed(page, hit, TECHNICAL_LABEL, SIMPLE_LABEL, None)
    assert page.evaluate("() => window.notReloaded"), "instant navigation should have swapped the pages"


def test_hit_in_the_simple_tab_keeps_the_readers_technical_choice(
    page: Page, site_url: str, simple: list[Hit]
) -> None:
    hit = simple[0]
    visit(page, site_url + next(h for h in simple if h.topic != hit.topic).page)
    choose_tab(page, TECHNICAL_LABEL)
    stored = tab_choice(page)
    search_and_follow(page, hit)
    assert_landed(page, hit, SIMPLE_LABEL, TECHNICAL_LABEL, stored)


@pytest.mark.parametrize("choice", [None, TECHNICAL_LABEL], ids=["no-choice", "technical-chosen"])
def test_plain_link_to_a_question_keeps_the_readers_choice(
    page: Page, site_url: str, technical: list[Hit], choice: str | None
) -> None:
    hit = technical[0]
    page.goto(f"{site_url}questions/{next(t.id for t in SOURCE.topics if t.id != hit.topic)}/")
    if choice:
        choose_tab(page, choice)
    stored = tab_choice(page)
    # The overview lists every question as a plain link to its heading.
    visit(page, f"{site_url}questions/")
    page.locator(f'article a[href$="{hit.topic}/#{hit.question}"]').first.click()
    page.wait_for_url(f"**/{hit.page}#{hit.question}")
    page.locator(f"h2#{hit.question}").wait_for()  # instant navigation swaps the page after the URL
    page.wait_for_load_state("networkidle")
    for fresh in (False, True):  # followed in the site, then loaded afresh
        if fresh:
            visit(page, f"{site_url}{hit.page}#{hit.question}")  # through about:blank: only the fragment differs
        assert set(tabs(page).values()) == {choice or SIMPLE_LABEL}
        assert tab_choice(page) == stored
        assert page.locator("mark[data-md-highlight]").count() == 0
        box, viewport = page.locator(f"h2#{hit.question}").bounding_box(), page.viewport_size
        assert box is not None and viewport is not None and 0 <= box["y"] < viewport["height"]


def test_deep_link_to_an_element_inside_a_technical_tab_opens_it(page: Page, site_url: str) -> None:
    # The first element with an id in a Technical tab, e.g. a code line's anchor.
    for topic in SOURCE.topics:
        url = f"{site_url}questions/{topic.id}/"
        visit(page, url)
        target = page.evaluate('() => document.querySelector(".tabbed-block:nth-child(2) [id]")?.id ?? null')
        if target:
            break
    assert target, "no element with an id inside a Technical tab on any topic page"
    question = page.locator(f'[id="{target}"]').evaluate(QUESTION_OF)
    visit(page, f"{url}#{target}")  # loaded afresh: visit() leaves the page when only the fragment differs
    element = page.locator(f'[id="{target}"]')
    element.wait_for(state="visible", timeout=5_000)
    state = tabs(page)
    assert state == {**{q: SIMPLE_LABEL for q in state}, question: TECHNICAL_LABEL}
    assert tab_choice(page) is None
    box, viewport = element.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None and 0 <= box["y"] < viewport["height"]


# What a search result's snippet shows: for each element of its text (Material
# renders the section's first two blocks that hold a searched word), the text
# without white space, and whether it has a marked word.
SNIPPET = """a => [...a.querySelector("article").children]
    .filter(el => !el.matches("h1, h2, nav, .md-search-result__terms"))
    .map(el => [el.textContent.replace(/\\s+/g, ""), !!el.querySelector("mark")])"""
# For a snippet's elements: the label of the tab of question `id` that holds each one's text, or "".
TAB_OF_TEXT = """([id, texts]) => {
    let set = document.getElementById(id);
    while (!set.matches(".tabbed-set")) set = set.nextElementSibling;
    const blocks = [...set.querySelectorAll(":scope > .tabbed-content > .tabbed-block")];
    const labels = [...set.querySelectorAll(":scope > .tabbed-labels > label")];
    return texts.map(text => {
        const i = blocks.findIndex(b => b.textContent.replace(/\\s+/g, "").includes(text.slice(0, 60)));
        return i < 0 ? "" : labels[i].textContent.trim();
    });
}"""
# Resolves once Material has stopped redrawing the results (it redraws per keystroke).
SETTLED = """() => new Promise(resolve => {
    const list = document.querySelector(".md-search-result__list");
    let timer = setTimeout(done, 500);
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 500); });
    function done() { observer.disconnect(); resolve(); }
    observer.observe(list, { childList: true, subtree: true });
})"""


@pytest.mark.parametrize(
    ("query", "question"),
    # Each question's heading holds a searched word and so does its Technical answer, but not its
    # Simple one; for "why warmup" the question's tags, above the tabs, hold it too.
    [("why relu", "relu"), ("why warmup", "learning-rate-schedules"), ("loss.backward()", "backward")],
)
def test_a_search_result_opens_the_tab_its_snippet_shows(page: Page, site_url: str, query: str, question: str) -> None:
    visit(page, site_url)
    page.wait_for_timeout(250)  # Material closes the search 125 ms after a navigation
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.evaluate(SETTLED)
    link = page.locator(f'.md-search-result__list a[href*="#{question}"]').first
    expect(link).to_be_attached()
    assert link.locator("h2 mark").count(), f"the premise: {query!r} is in the heading of {question}"
    snippet = link.evaluate(SNIPPET)
    link.click()
    page.wait_for_url(f"**#{question}")
    page.locator(f"h2#{question}").wait_for()  # instant navigation swaps the page after the URL
    shown = [label for label in page.evaluate(TAB_OF_TEXT, [question, [text for text, _ in snippet]]) if label]
    assert shown and shown[0] == TECHNICAL_LABEL, f"the premise: the snippet shows the Technical answer ({snippet})"
    assert all(marked for (_, marked) in snippet), "every block Material shows holds a marked word"
    # Material has highlighted the page (the heading holds a searched word) and tab-target.js has run.
    page.locator(f"h2#{question} mark[data-md-highlight]").first.wait_for(timeout=10_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    # The tab the snippet showed is open, with a marked word on screen in it.
    assert tabs(page)[question] == shown[0]
    page.wait_for_function(UNDERLINE, arg=question)
    block = page.locator(f"h2#{question} ~ .tabbed-set").first.locator(":scope > .tabbed-content > .tabbed-block")
    marks = block.nth(1).locator("mark[data-md-highlight]")  # the Technical tab's
    marks.first.wait_for(state="visible", timeout=10_000)
    box, viewport = marks.first.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], f"mark off screen: {box}"
    assert tab_choice(page) is None, "a search hit must not be saved as the reader's tab choice"
