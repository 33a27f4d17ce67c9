"""The practice pages: their Markdown, the built pages, and the quiz in headless Chromium.

The golden files for the pages' Markdown are tests/fixtures/golden/practice__*.md,
checked with the others by tests/test_render.py.
"""

from __future__ import annotations

import json

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit


import pytest
from bs4 import BeautifulSoup, Tag
from conftest import FIXTURES, ROOT, copy_project, mkdocs
from interview_qa import load, load_text
from interview_qa.model import Source
from interview_qa.markup import rebase_links
from interview_qa.practice import ENTRY, PARTS, practice_page_path, practice_paths, render_practice
from interview_qa.render import page_paths, topic_page_path
from support import ENTRY_QUIZ, SCHEMES, TOPIC_QUIZ, PracticeTab as Tab, axe, describe, reload, visit

SOURCE = load(ROOT / "docs" / "questions.yml")
SMALL = load_text((FIXTURES / "small_questions.yml").read_bytes(), "small_questions.yml")
IDS = [q.id for q in SOURCE.questions]
# Card order across the topic pages: topic by topic, source order within each.
PAGE_ORDER = [q.id for t in SOURCE.topics for q in SOURCE.questions_in(t.id)]
COUNT = len(SOURCE.questions)
TOPIC = SOURCE.topics[1]  # the topic page the browser tests use
TOPIC_ORDER = [q.id for q in SOURCE.questions_in(TOPIC.id)]
KB = 1024


# --- The Markdown ------------------------------------------------------------------------------------------------


def test_practice_pages_follow_the_topic_pages_entry_first() -> None:
    assert practice_paths(SMALL) == ["practice/index.md", "practice/basics.md", "practice/loop.md"]
    assert page_paths(SMALL)[-4:-1] == practice_paths(SMALL) and ENTRY == "practice/index.md"


def small_practice(source: Source = SMALL) -> dict[str, str]:
    return render_practice(source, {t.id: topic_page_path(t) for t in source.topics}, {q.id: q.measured for q in source.questions})


def test_a_new_question_appears_with_no_extra_work() -> None:
    extra = dataclasses.replace(SMALL.questions[0], id="brand-new", question="Is this new?", simple="Yes.")
    pages = small_practice(dataclasses.replace(SMALL, questions=(*SMALL.questions, extra)))
    assert '<details class="pq" id="brand-new" data-topic="basics" markdown>' in pages["practice/basics.md"]
    assert "brand-new" not in pages["practice/loop.md"]
    assert "    - [Is this new?](basics.md#brand-new)\n" in pages[ENTRY]
    assert "Test yourself on the 3 questions" in pages[ENTRY]
    assert '- [Basics](basics.md){ data-topic="basics" } · 2 questions' in pages[ENTRY]


def test_a_new_topic_gets_its_practice_page_and_a_link_on_the_entry_page() -> None:
    topic = dataclasses.replace(SMALL.topics[0], id="new-topic", title="New topic")
    moved = dataclasses.replace(SMALL.questions[0], topic="new-topic")
    pages = small_practice(dataclasses.replace(SMALL, topics=(*SMALL.topics, topic), questions=(moved, *SMALL.questions[1:])))
    assert list(pages)[-1] == "practice/new-topic.md"
    assert f'id="{moved.id}" data-topic="new-topic"' in pages["practice/new-topic.md"]
    assert '- [New topic](new-topic.md){ data-topic="new-topic" } · 1 question\n' in pages[ENTRY]


def test_the_entry_page_holds_no_answers_and_each_topic_page_only_its_own() -> None:
    pages = small_practice()
    assert "<details" not in pages[ENTRY] and "???" not in pages[ENTRY]
    for topic in SMALL.topics:
        markdown = pages[practice_page_path(topic)]
        assert re.findall(r'<details class="pq" id="([^"]+)"', markdown) == [q.id for q in SMALL.questions_in(topic.id)]
        assert "[all topics](index.md){ .pq-all }" in markdown


def test_each_page_loads_the_script_relative_to_its_url() -> None:
    pages = small_practice()
    assert pages[ENTRY].endswith('<script src="../assets/javascripts/practice.js" defer></script>\n')
    assert pages["practice/loop.md"].endswith('<script src="../../assets/javascripts/practice.js" defer></script>\n')


def test_each_card_has_four_folds_in_reveal_order_then_its_full_question() -> None:
    pages = small_practice()
    for q in SMALL.questions:
        markdown = pages[f"practice/{q.topic}.md"]
        card = markdown[markdown.index(f'id="{q.id}"') :].split("</details>", 1)[0]
        titles = re.findall(r'^\?\?\? (\w+) "([^"]+)"$', card, re.MULTILINE)
        assert titles == list(PARTS) and titles[-1][1] == "🔬 Measured", q.id
        assert q.measured.splitlines()[0] in card.split('"🔬 Measured"')[1], q.id
        assert card.rstrip().endswith(f"[The full question, with a link to its experiment](../questions/{q.topic}.md#{q.id}){{ .pq-full }}"), q.id


@pytest.mark.parametrize(
    ("written", "rebased"),
    [
        # Answers are written for questions/<topic>.md; practice/<topic>.md is at the same depth.
        ("the [playground](../playground.md).", "the [playground](../playground.md)."),
        ("[a sibling](loop.md#zero-grad \"title\")", "[a sibling](../questions/loop.md#zero-grad \"title\")"),
        ("[this page](#what-is-lr)", "[this page](../questions/basics.md#what-is-lr)"),
        ("![plot](img/a.png)", "![plot](../questions/img/a.png)"),
        ("[run](<../notebooks/seeds.ipynb#same-seed>)", "[run](<../notebooks/seeds.ipynb#same-seed>)"),
        ("[r]: ../notebooks/seeds.ipynb\n", "[r]: ../notebooks/seeds.ipynb\n"),
        ('<a href="../playground.md">p</a>', '<a href="../playground.md">p</a>'),
        # Elsewhere, absolute, or code: as written.
        ("[w](https://pytorch.org/) [m](mailto:a@b.c) [s](/x/)", "[w](https://pytorch.org/) [m](mailto:a@b.c) [s](/x/)"),
        ("`[x](y.md)` and\n```md\n[x](y.md)\n```\n", "`[x](y.md)` and\n```md\n[x](y.md)\n```\n"),
        ("$f(x)$ [no link] (here)", "$f(x)$ [no link] (here)"),
    ],
)
def test_relative_links_are_rebased_from_the_topic_page(written: str, rebased: str) -> None:
    assert rebase_links(written, "questions/basics.md", "practice/basics.md") == rebased


def test_links_rebased_to_another_depth() -> None:
    assert rebase_links("[p](../playground.md) [s](loop.md#x)", "questions/basics.md", "practice.md") == (
        "[p](playground.md) [s](questions/loop.md#x)"
    )


# --- The built pages ---------------------------------------------------------------------------------------------


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article_of(path: Path) -> Tag:
    article = soup(path).find("article")
    assert isinstance(article, Tag)
    return article


def test_entry_page_links_to_every_topic_practice_page_in_source_order(site: Path) -> None:
    article = article_of(site / "practice" / "index.html")
    links = article.select(".pq-topics a[data-topic]")
    assert [(a["data-topic"], a["href"], a.get_text()) for a in links] == [
        (t.id, f"{t.id}/", t.title) for t in SOURCE.topics
    ]
    assert not article.select("details"), "the answers are on the topic pages only"
    # Every question is listed under its topic and links to its fold there.
    listed = [(a["href"], a.get_text()) for a in article.select(".pq-topics li > ul a")]
    assert listed == [(f"{q.topic}/#{q.id}", q.question.replace("`", "")) for q in (
        q for t in SOURCE.topics for q in SOURCE.questions_in(t.id))]


@pytest.mark.parametrize("topic", [t.id for t in SOURCE.topics])
def test_topic_practice_page_holds_its_questions_with_their_three_answers(site: Path, topic: str) -> None:
    page = site / "practice" / topic / "index.html"
    assert page.stat().st_size <= 40 * KB, f"{page.stat().st_size / KB:.1f} KB"
    article = article_of(page)
    cards = article.select("details.pq")
    assert [c["id"] for c in cards] == [q.id for q in SOURCE.questions_in(topic)]
    by_id = {q.id: q for q in SOURCE.questions}
    for card in cards:
        q = by_id[str(card["id"])]
        assert card["data-topic"] == topic and not card.has_attr("open"), q.id
        summary = card.find("summary", recursive=False)
        assert summary is not None and " ".join(summary.get_text().split()) == q.question.replace("`", ""), q.id
        parts = card.find_all("details", recursive=False)
        assert [p.summary.get_text(strip=True) for p in parts] == [title for _, title in PARTS], q.id
        for part in parts:
            body = part.get_text(strip=True).removeprefix(part.summary.get_text(strip=True))
            assert len(body) > 10, (q.id, part.summary.get_text())
    all_topics = article.select_one("a.pq-all")
    assert all_topics is not None and all_topics["href"] == "../"
    # Links in answers were written for the Q&A pages; here they must still land on a page.
    for a in article.find_all("a", href=True):
        href = str(a["href"]).split("#", 1)[0]
        if href and not re.match(r"[a-z]+:|/", href):
            target = (page.parent / href).resolve()
            assert (target / "index.html" if target.is_dir() else target).is_file(), href


def test_every_question_is_on_exactly_one_topic_practice_page(site: Path) -> None:
    found = [c["id"] for t in SOURCE.topics for c in article_of(site / "practice" / t.id / "index.html").select("details.pq")]
    assert found == PAGE_ORDER and sorted(found) == sorted(IDS)


def primary_nav(page: Path) -> list[str]:
    nav = soup(page).select_one("nav.md-nav--primary")
    assert nav is not None
    return [str(a["href"]) for a in nav.select("a.md-nav__link[href]")]


def test_practice_section_sits_right_after_the_questions_in_the_navigation(site: Path) -> None:
    hrefs = primary_nav(site / "index.html")
    assert hrefs.index("practice/") == hrefs.index("questions/") + 1, hrefs
    # Inside the section (navigation.prune renders the open one): the entry page, then topics in source order.
    hrefs = primary_nav(site / "practice" / "index.html")
    start = hrefs.index("./")
    assert hrefs[start : start + 1 + len(SOURCE.topics)] == ["./", *(f"{t.id}/" for t in SOURCE.topics)], hrefs
    assert hrefs[start - 1] == "../questions/", hrefs
    # Previous/next follow: last Q&A topic page -> entry page -> first topic's practice page.
    footer = soup(site / "practice" / "index.html")
    prev, nxt = footer.select_one("a.md-footer__link--prev"), footer.select_one("a.md-footer__link--next")
    assert prev is not None and prev["href"] == f"../questions/{SOURCE.topics[-1].id}/"
    assert nxt is not None and nxt["href"] == f"{SOURCE.topics[0].id}/"


def test_practice_section_stays_after_the_questions_when_another_page_sorts_between(tmp_path: Path) -> None:
    # MkDocs lists top-level pages alphabetically; "about" would land between the questions and practice.
    project = copy_project(tmp_path / "project")
    (project / "docs" / "about.md").write_text("# About\n\nA page.\n", encoding="utf-8")
    mkdocs("build", "--site-dir", str(project / "out"), cwd=project)
    hrefs = primary_nav(project / "out" / "index.html")
    assert hrefs.index("practice/") == hrefs.index("questions/") + 1 and "about/" in hrefs, hrefs


def test_only_the_practice_pages_load_the_script_and_search_skips_them(site: Path) -> None:
    pages = sorted(p for p in site.rglob("*.html") if "practice.js" in p.read_text(encoding="utf-8"))
    assert pages == sorted([site / "practice" / "index.html", *(site / "practice" / t.id / "index.html" for t in SOURCE.topics)])
    assert (site / "assets" / "javascripts" / "practice.js").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("practice/")]


# --- In the browser ----------------------------------------------------------------------------------------------


def for_today(n: int, graded: int, where: str = "in all topics") -> str:
    """The counter: one scope, today's session, for both numbers."""
    return f"Question 1 of {n} for today {where} · {graded} of {n} graded"


DAY_MS = 86_400_000


def seed(t: Tab, reviews: list[tuple[str, int, int]], **extra: object) -> None:
    """Store a history with reviews made `days ago` ([id, grade, days ago]), then reload the page."""
    t.page.evaluate(
        """([reviews, extra]) => __md_set("practice.v2", {topic: "", order: null, ...extra,
              reviews: reviews.map(([id, g, ago]) => [id, g, Date.now() - ago * 86400000]).sort((a, b) => a[2] - b[2])})""",
        [reviews, extra],
    )
    t.open()


def open_tab(browser: object, url: str) -> Iterator[Tab]:
    """A tab on a practice page, closed afterwards with no stray request or console error allowed."""
    context = browser.new_context(color_scheme="light")  # type: ignore[attr-defined]
    t = Tab(context, url)
    t.open()
    yield t
    context.close()
    t.check()


@pytest.fixture
def tab(browser: object, site_url: str) -> Iterator[Tab]:
    """A tab on the entry page, /practice/: the quiz across all topics."""
    yield from open_tab(browser, f"{site_url}practice/")


@pytest.fixture
def topic_tab(browser: object, site_url: str) -> Iterator[Tab]:
    """A tab on TOPIC's practice page: the quiz on one topic."""
    yield from open_tab(browser, f"{site_url}practice/{TOPIC.id}/")


@pytest.mark.browser
def test_entry_page_builds_the_all_topics_quiz_from_the_topic_pages(tab: Tab, site_url: str) -> None:
    # The questions came from the topic pages, fetched from the entry page's own links.
    fetched = {u for u in tab.requests if urlsplit(u).path.startswith("/practice/") and urlsplit(u).path != "/practice/"}
    assert {f"{site_url}practice/{t.id}/" for t in SOURCE.topics} <= fetched, tab.requests
    assert tab.page.locator(".pq-ui").count() == 1
    assert tab.count() == for_today(COUNT, 0)
    assert tab.today().startswith(f"0 due today, {COUNT} new in all topics · Readiness 0%")
    # The list of questions for readers without the quiz would give the session away.
    assert tab.page.locator("article .pq-topics a[data-topic]").first.is_visible()
    assert tab.page.locator("article .pq-topics li > ul a:visible").count() == 0
    assert tab.deck() == PAGE_ORDER
    options = tab.page.locator(".pq-topic option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    assert options == [["", "All topics"], *([t.id, t.title] for t in SOURCE.topics)]
    # Answers' links were written for their topic page: on the entry page they still lead where they did.
    tab.page.locator(".pq-topic").select_option(SOURCE.topics[0].id)
    hrefs: list[str] = []
    for _ in SOURCE.questions_in(SOURCE.topics[0].id):
        hrefs += tab.page.locator(".pq-stage a[href]").evaluate_all("as => as.map(a => a.href)")
        tab.click("next")
    assert f"{site_url}playground/" in hrefs, hrefs
    assert all(not h.startswith(site_url) or h.startswith((f"{site_url}playground/", f"{site_url}notebooks/", f"{site_url}questions/"))
               for h in hrefs), hrefs
    # Each card links to its full question on its Q&A page.
    for q in SOURCE.questions_in(SOURCE.topics[0].id):
        assert f"{site_url}questions/{q.topic}/#{q.id}" in hrefs, q.id


@pytest.mark.browser
def test_one_question_at_a_time_revealed_part_by_part(tab: Tab) -> None:
    visible = tab.page.locator("article details.pq:visible")
    assert visible.count() == 1 and tab.current() == PAGE_ORDER[0]
    assert tab.open_parts() == [False] * 4
    reveal = tab.page.locator('.pq-ui [data-act="reveal"]')
    grades = tab.page.locator(".pq-ui .pq-grades")
    assert not grades.is_visible(), "nothing to grade before an answer is shown"
    labels = ["Show simple answer", "Show technical answer", "Show common mistake", "Show measured evidence"]
    for shown, label in enumerate(labels):
        assert reveal.inner_text() == label
        reveal.click()
        assert tab.open_parts() == [i <= shown for i in range(4)]
        assert tab.page.locator(".pq-stage > details.pq > details").nth(shown).locator("p").first.is_visible()
        assert grades.is_visible()
    assert "Measured evidence shown" in tab.status()
    assert reveal.inner_text() == "All parts shown" and reveal.get_attribute("aria-disabled") == "true"
    # The question's own summary is a title here: clicking it does not fold the card.
    tab.page.locator(".pq-stage > details.pq > summary").click()
    assert tab.page.locator(".pq-stage > details.pq").evaluate("d => d.open")
    tab.click("next")
    assert tab.current() == PAGE_ORDER[1] and tab.open_parts() == [False] * 4
    assert tab.page.locator("article details.pq:visible").count() == 1
    assert "Question 2 of" in tab.status()
    # Opening a part by its own summary: the button offers the first part still folded.
    tab.page.locator(".pq-stage > details.pq > details").nth(1).locator("summary").click()
    assert tab.open_parts() == [False, True, False, False] and reveal.inner_text() == "Show simple answer"
    reveal.click()  # (Space would fold the part again: the focused summary keeps its own key)
    assert tab.open_parts() == [True, True, False, False] and reveal.inner_text() == "Show common mistake"


@pytest.mark.browser
def test_each_grade_shows_the_interval_it_gives_and_gives_it(tab: Tab) -> None:
    tab.click("reveal")
    intervals = tab.page.locator(".pq-grades [data-grade]").evaluate_all(
        "bs => bs.map(b => [b.dataset.act, b.querySelector('.pq-ivl').textContent])"
    )
    # A question never reviewed: FSRS-6's first intervals, kept increasing from Again to Easy.
    assert [a for a, _ in intervals] == ["again", "hard", "good", "easy"]
    days = [int(re.fullmatch(r"(\d+) days?", i).group(1)) for _, i in intervals]  # type: ignore[union-attr]
    assert days[0] >= 1 and days == sorted(set(days)), intervals
    tab.click("good")
    assert tab.status().startswith(f"Good: next review in {days[2]} days")
    assert tab.count() == f"Question 2 of {COUNT} for today in all topics · 1 of {COUNT} graded"
    (review,) = tab.stored()
    assert review[:2] == [PAGE_ORDER[0], 3]
    # Graded again in the same session (back with Previous): the new grade replaces the first.
    tab.click("prev")
    tab.click("reveal")
    assert tab.page.locator('.pq-grades [data-act="good"]').get_attribute("aria-pressed") == "true"
    assert tab.page.locator(".pq-grades [data-grade] .pq-ivl").all_inner_texts() == [i for _, i in intervals]
    tab.click("again")
    assert [r[:2] for r in tab.stored()] == [[PAGE_ORDER[0], 1]] and tab.stored()[0][2] == review[2]
    assert tab.status().startswith("Again: next review tomorrow")


@pytest.mark.browser
def test_topic_page_quiz_runs_on_its_questions_and_shares_the_history(topic_tab: Tab, site_url: str) -> None:
    t = topic_tab
    n = len(TOPIC_ORDER)
    assert t.count() == for_today(n, 0, "in this topic")
    # No filter here: a select that left the page when changed would move keyboard users away (WCAG 3.2.2).
    assert t.page.locator(".pq-topic").count() == 0
    assert t.deck() == TOPIC_ORDER
    others = [f"/practice/{x.id}/" for x in SOURCE.topics if x != TOPIC]
    assert not [u for u in t.requests if any(o in u for o in others)], "a topic page fetches no other page"
    t.open()
    t.grade("good")  # TOPIC_ORDER[0]
    t.grade("again")  # TOPIC_ORDER[1]
    assert t.count() == f"Question 3 of {n} for today in this topic · 2 of {n} graded"
    # "All topics" leads to the entry page, where the grades count with the rest: neither is due today.
    t.page.evaluate("window.__sameDocument = true")
    t.page.locator("article a.pq-all").click()
    t.page.wait_for_url(f"{site_url}practice/")
    t.page.locator(ENTRY_QUIZ).wait_for()
    assert t.page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    assert t.today().startswith(f"0 due today, {COUNT - 2} new in all topics")
    assert t.count() == for_today(COUNT - 2, 0)
    assert t.page.locator(".pq-topic").input_value() == ""
    assert TOPIC_ORDER[0] not in t.deck() and TOPIC_ORDER[1] not in t.deck()
    # The topic's line on the entry page shows its readiness: 2 of its questions just reviewed.
    line = t.page.locator(f'article .pq-topics a[data-topic="{TOPIC.id}"]').locator("xpath=..")
    assert f"readiness {round(200 / n)}%" in line.inner_text()
    # Grades made on the entry page show on the topic page.
    t.page.locator(".pq-topic").select_option(TOPIC.id)
    t.grade("easy")  # TOPIC_ORDER[2]
    t.open(f"{site_url}practice/{TOPIC.id}/")
    assert t.count() == for_today(n - 3, 0, "in this topic")
    # A reset on a topic page clears that topic's reviews only.
    other = next(q.id for q in SOURCE.questions if q.topic != TOPIC.id)
    t.page.evaluate("id => { const s = __md_get('practice.v2'); s.reviews.push([id, 3, Date.now()]); __md_set('practice.v2', s) }", other)
    t.click("reset")
    assert t.count() == for_today(n, 0, "in this topic")
    assert [r[0] for r in t.stored()] == [other]


@pytest.mark.browser
def test_history_survives_a_reload_and_an_instant_navigation_away_and_back(tab: Tab) -> None:
    page = tab.page
    tab.grade("good")  # the first question; the quiz moves on to the second
    tab.grade("hard")
    expected = tab.today()
    assert expected.startswith(f"0 due today, {COUNT - 2} new")
    reload(page)
    page.locator(".pq-ui").wait_for()
    assert tab.today() == expected and tab.count() == for_today(COUNT - 2, 0)
    # A flag on window survives only if Material swaps the page instead of loading it.
    page.evaluate("window.__sameDocument = true")
    page.locator('nav.md-nav--primary a[href$="/questions/"]').first.click()
    page.wait_for_url("**/questions/")
    page.locator("article h1").wait_for()
    page.keyboard.press("3")  # elsewhere the keys are not the quiz's
    page.locator('nav.md-nav--primary a[href$="/practice/"]').first.click()
    page.wait_for_url("**/practice/")
    page.locator(ENTRY_QUIZ).wait_for()
    assert page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    assert tab.today() == expected
    assert page.locator(".pq-ui").count() == 1
    assert tab.current() == PAGE_ORDER[2]
    # One key press, one action: the listeners were not added twice.
    page.keyboard.press("Space")
    assert tab.open_parts() == [True, False, False, False]
    page.keyboard.press("ArrowRight")
    assert tab.count().startswith("Question 2 of")
    # On to a topic page by instant navigation, and back: still one quiz, same history.
    page.locator(f'article .pq-topics a[data-topic="{SOURCE.topics[0].id}"]').click()
    page.wait_for_url(f"**/practice/{SOURCE.topics[0].id}/")
    page.locator(TOPIC_QUIZ).wait_for()
    n = len(SOURCE.questions_in(SOURCE.topics[0].id))
    assert tab.count() == for_today(n - 2, 0, "in this topic")
    page.keyboard.press("ArrowRight")
    assert tab.count().startswith("Question 2 of")
    page.locator("a.pq-all").click()
    page.wait_for_url("**/practice/")
    page.locator(ENTRY_QUIZ).wait_for()
    assert page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    assert page.locator(".pq-ui").count() == 1 and tab.today() == expected
    assert len(tab.stored()) == 2


@pytest.mark.browser
def test_arriving_by_instant_navigation_starts_the_quiz(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    t = Tab(context, site_url)
    visit(t.page, site_url)
    t.page.evaluate("window.__sameDocument = true")
    t.page.locator('nav.md-nav--primary a[href$="/practice/"]').first.click()
    t.page.wait_for_url("**/practice/")
    t.page.locator(ENTRY_QUIZ).wait_for()
    assert t.page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    t.page.keyboard.press("Space")
    assert t.current() == PAGE_ORDER[0] and t.open_parts() == [True, False, False, False]
    t.page.keyboard.press("3")
    assert t.stored()[0][:2] == [PAGE_ORDER[0], 3], "the scheduler loaded after an instant navigation"
    context.close()
    t.check()


@pytest.mark.browser
@pytest.mark.parametrize("where", ["entry", "topic"])
def test_keyboard_shortcuts(browser: object, site_url: str, where: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = Tab(context, f"{site_url}practice/" + ("" if where == "entry" else f"{TOPIC.id}/"))
    tab.open()
    order, total = (PAGE_ORDER, COUNT) if where == "entry" else (TOPIC_ORDER, len(TOPIC_ORDER))
    scope = "in all topics" if where == "entry" else "in this topic"
    page = tab.page
    keys = page.locator(".pq-keys")
    assert keys.is_visible() and all(k in keys.inner_text() for k in ("Space", "←", "→", "1 Again", "2 Hard", "3 Good", "4 Easy"))
    page.keyboard.press("3")  # nothing shown yet: nothing to grade
    assert tab.current() == order[0] and tab.stored() == []
    assert "Show an answer first" in tab.status()
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    assert tab.open_parts() == [True, True, False, False]
    page.keyboard.press("ArrowRight")
    assert tab.current() == order[1]
    page.keyboard.press("ArrowLeft")
    assert tab.current() == order[0]
    page.keyboard.press("Space")
    page.keyboard.press("4")
    assert tab.current() == order[1] and tab.count().endswith(f"1 of {total} graded")
    page.keyboard.press("Space")
    page.keyboard.press("1")
    assert [r[1] for r in tab.stored()] == [4, 1] and tab.count().endswith(f"2 of {total} graded")
    # Held modifiers and form controls keep their keys.
    before = tab.current()
    page.keyboard.press("Space")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Control+2")
    assert tab.current() == before and tab.count().endswith(f"2 of {total} graded")
    if where == "entry":  # the topic filter is the entry page's only form control
        page.locator(".pq-topic").focus()
        page.keyboard.press("2")
        assert tab.current() == before and tab.count().endswith(f"2 of {total} graded")
        page.locator(".pq-topic").evaluate("el => el.blur()")
    # Material's own shortcut still opens search, and typing there grades or moves nothing.
    page.keyboard.press("/")
    search = page.locator("input[data-md-component=search-query]")
    assert search.evaluate("el => el === document.activeElement")
    page.keyboard.type("1 2")
    page.keyboard.press("ArrowLeft")
    assert search.input_value() == "1 2"
    assert tab.current() == before and tab.count().endswith(f"2 of {total} graded")
    page.keyboard.press("Escape")
    # Keyboard only: every control is reachable with Tab and shows its focus; the grades follow the reveal button.
    page.locator('.pq-ui [data-act="reveal"]').focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.act") == "again"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert scope in tab.count()
    context.close()
    tab.check()


@pytest.mark.browser
def test_filter_by_topic(tab: Tab) -> None:
    tab.page.locator(".pq-topic").select_option(TOPIC.id)
    assert tab.count() == for_today(len(TOPIC_ORDER), 0, f"in {TOPIC.title}")
    assert tab.deck() == TOPIC_ORDER
    # The filter is remembered too.
    tab.open()
    assert tab.page.locator(".pq-topic").input_value() == TOPIC.id
    assert tab.deck() == TOPIC_ORDER
    tab.page.locator(".pq-topic").select_option("")
    assert tab.count() == for_today(COUNT, 0)


@pytest.mark.browser
def test_due_questions_come_first_most_overdue_first_then_new_ones(tab: Tab) -> None:
    # Good on a new question schedules it days ahead: reviewed 10 and 20 days ago, both are due; one reviewed
    # today is not, and stays out of today's session.
    seed(tab, [(PAGE_ORDER[4], 3, 10), (PAGE_ORDER[6], 3, 20), (PAGE_ORDER[0], 3, 0)])
    assert tab.deck() == [PAGE_ORDER[6], PAGE_ORDER[4], *(i for i in PAGE_ORDER if i not in {PAGE_ORDER[0], PAGE_ORDER[4], PAGE_ORDER[6]})]
    # After a reload the order is explained.
    tab.open()
    assert tab.status().startswith(f"2 due, {COUNT - 3} new in all topics: due questions first, then new ones.")
    assert tab.today().startswith(f"2 due today, {COUNT - 3} new in all topics")


@pytest.mark.browser
def test_shuffle_mixes_the_new_questions_and_keeps_due_ones_first(tab: Tab) -> None:
    seed(tab, [(PAGE_ORDER[1], 3, 10)])
    tab.click("shuffle")
    assert tab.page.locator('.pq-ui [data-act="shuffle"]').get_attribute("aria-pressed") == "true"
    order = tab.deck()
    assert order[0] == PAGE_ORDER[1] and sorted(order) == sorted(PAGE_ORDER)
    # 24! orders: the chance that a shuffle leaves the rest in page order is negligible.
    assert order[1:] != [i for i in PAGE_ORDER if i != PAGE_ORDER[1]]
    tab.open()
    assert tab.deck() == order, "the shuffled order is remembered"
    tab.click("shuffle")
    assert tab.deck() == [PAGE_ORDER[1], *(i for i in PAGE_ORDER if i != PAGE_ORDER[1])]


@pytest.mark.browser
def test_reset_clears_progress_and_can_be_undone(tab: Tab) -> None:
    tab.grade("good")
    tab.grade("again")
    tab.click("reset")
    assert tab.count() == for_today(COUNT, 0) and tab.stored() == []
    assert "Progress cleared: 2 reviews removed" in tab.status()
    undo = tab.page.locator('.pq-ui [data-act="undo"]')
    assert undo.is_visible()
    undo.click()
    assert tab.count() == for_today(COUNT - 2, 0) and not undo.is_visible() and len(tab.stored()) == 2
    tab.click("reset")
    tab.open()
    assert tab.count() == for_today(COUNT, 0), "the reset is stored"
    assert not undo.is_visible()


@pytest.mark.browser
def test_stored_ids_no_longer_in_the_source_are_ignored(tab: Tab) -> None:
    tab.page.evaluate(
        """ids => __md_set("practice.v2", {reviews: [[ids[0], 3, Date.now()], ["a-removed-question", 1, Date.now()],
                                                   [ids[1], 9, Date.now()], "bogus", [ids[2], 3, "yesterday"]],
                                         topic: "a-removed-topic", order: "bogus"})""",
        PAGE_ORDER,
    )
    tab.open()
    assert tab.count() == for_today(COUNT - 1, 0)
    assert tab.page.locator(".pq-topic").input_value() == ""
    assert tab.page.locator('.pq-ui [data-act="shuffle"]').get_attribute("aria-pressed") == "false"
    # Reviews of a question removed from the source are kept: it may come back.
    tab.grade("good")
    assert sorted(r[0] for r in tab.stored()) == sorted([PAGE_ORDER[0], "a-removed-question", PAGE_ORDER[1]])


@pytest.mark.browser
def test_a_session_ends_with_a_summary_not_a_wrap_to_the_first_question(topic_tab: Tab) -> None:
    t = topic_tab
    n = len(TOPIC_ORDER)
    for name in ["again", "good", *["easy"] * (n - 2)]:
        t.grade(name)
    summary = t.page.locator(".pq-summary")
    assert summary.is_visible() and t.page.locator(".pq-stage details.pq").count() == 0
    text = summary.inner_text()
    assert f"Session done: {n} of {n} graded (1 Again, 1 Good, {n - 2} Easy)" in text, text
    assert f"Readiness in this topic: 0% → 100%" in text, text
    assert "Next review tomorrow: 1 question." in text, text
    assert t.count() == f"Session done for today in this topic · {n} of {n} graded"
    # Next day's session is empty until then; the reader may practise ahead.
    t.open()
    assert "Nothing is due today in this topic." in summary.inner_text()
    t.click("ahead")
    assert t.count() == f"Question 1 of {n} in this topic · 0 of {n} graded"
    assert t.current() == TOPIC_ORDER[0], "soonest due first: the one graded Again"


@pytest.mark.browser
def test_earlier_marks_carry_over_as_grades(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    t = Tab(context, f"{site_url}practice/")
    t.open()
    t.page.evaluate(
        "ids => { localStorage.clear(); __md_set('practice.v1', {marks: {[ids[0]]: 'known', [ids[1]]: 'review'}, topic: '', order: null}) }",
        PAGE_ORDER,
    )
    t.open()
    assert "Your earlier marks are kept: 1 “knew it” became Good, 1 “review again” became Again." in t.status()
    assert sorted(r[:2] for r in t.stored()) == sorted([[PAGE_ORDER[0], 3], [PAGE_ORDER[1], 1]])
    assert t.page.evaluate("() => __md_get('practice.v1').marks") == {PAGE_ORDER[0]: "known", PAGE_ORDER[1]: "review"}
    # Once only: a reset afterwards is not undone by the old marks.
    t.click("reset")
    t.open()
    assert t.stored() == [] and "earlier marks" not in t.status()
    context.close()
    t.check()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("where", ["entry", "topic"])
def test_quiz_states_have_no_axe_violations(browser: object, site_url: str, scheme: str, where: str) -> None:
    # tests/test_accessibility.py sees the page as loaded; here: every part open with the grades showing one
    # pressed, shuffle pressed, keyboard focus on a grade; then the import dialog with its error; then the summary.
    context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
    t = Tab(context, f"{site_url}practice/" + ("" if where == "entry" else f"{TOPIC.id}/"))
    t.open()
    t.click("shuffle")
    t.grade("hard")
    t.click("prev")
    for _ in range(4):
        t.click("reveal")
    t.page.locator('.pq-ui [data-act="again"]').focus()
    t.page.keyboard.press("Tab")
    pressed = t.page.locator('.pq-ui [aria-pressed="true"]').evaluate_all("bs => bs.map(b => b.dataset.act)")
    assert pressed == ["shuffle", "hard"] and t.open_parts() == [True] * 4
    states = {"grading": axe(t.page)}
    t.click("import")
    t.page.locator('.pq-dialog [data-dlg="import"]').click()
    assert "Choose a file first" in t.page.locator(".pq-error").inner_text()
    states["import dialog"] = axe(t.page)
    t.page.keyboard.press("Escape")
    while t.page.locator(".pq-summary").count() == 0:
        t.click("next")
    states["summary"] = axe(t.page)
    context.close()
    assert not any(states.values()), {k: describe(v) for k, v in states.items() if v}
    t.check()



@pytest.mark.browser
def test_on_a_phone_the_grades_are_in_view_after_a_reveal_and_the_key_hint_is_gone(browser: object, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    t = Tab(context, f"{site_url}practice/{TOPIC.id}/")
    t.open()
    assert not t.page.locator(".pq-keys").is_visible(), "keys mean nothing on a touch screen"
    # The longest card: every part open reaches far below the screen.
    for _ in range(4):
        t.page.locator('.pq-ui [data-act="reveal"]').tap()
        for name in ["reveal", "again", "hard", "good", "easy"]:
            box = t.page.locator(f'.pq-ui [data-act="{name}"]').bounding_box()
            assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844, (name, box)
    assert t.page.evaluate("document.documentElement.scrollHeight") > 844 * 1.5
    t.page.locator('.pq-ui [data-act="good"]').tap()
    assert t.count() == f"Question 2 of {len(TOPIC_ORDER)} for today in this topic · 1 of {len(TOPIC_ORDER)} graded"
    context.close()
    t.check()


@pytest.mark.browser
def test_without_javascript_the_entry_page_links_every_topic_page_and_those_hold_every_answer(
    browser: object, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{site_url}practice/")
    links = page.locator("article .pq-topics a[data-topic]")
    assert links.evaluate_all("as => as.map(a => a.href)") == [f"{site_url}practice/{t.id}/" for t in SOURCE.topics]
    assert page.locator(".pq-ui").count() == 0
    # Every question is on the entry page too, as a link to its fold on the topic page.
    questions = page.locator("article .pq-topics li > ul a")
    assert questions.evaluate_all("as => as.map(a => a.href)") == [
        f"{site_url}practice/{t.id}/#{q.id}" for t in SOURCE.topics for q in SOURCE.questions_in(t.id)
    ]
    assert questions.first.is_visible()
    seen = []
    for i, topic in enumerate(SOURCE.topics):
        page.goto(f"{site_url}practice/")
        page.locator("article .pq-topics a[data-topic]").nth(i).click()
        page.wait_for_url(f"{site_url}practice/{topic.id}/")
        assert page.locator(".pq-ui").count() == 0
        cards = page.locator("article details.pq")
        seen += cards.evaluate_all("cs => cs.map(c => c.id)")
        # Folded, all of them; a click opens a question, then each of its parts.
        assert cards.evaluate_all("cs => cs.every(c => !c.open && c.offsetHeight > 0)")
        first = cards.first
        assert not first.locator("details").first.is_visible()
        first.locator("summary").first.click()
        parts = first.locator(":scope > details")
        assert parts.count() == 4
        for j in range(4):
            parts.nth(j).locator("summary").click()
            assert parts.nth(j).locator("p").first.is_visible()
        assert first.locator("a.pq-full").is_visible()
        texts = cards.evaluate_all("cs => cs.map(c => [...c.querySelectorAll(':scope > details')].map(d => d.textContent.length))")
        assert all(len(t) == 4 and min(t) > 20 for t in texts), texts
        # And back to all topics.
        assert page.locator("article a.pq-all").get_attribute("href") == "../"
    assert seen == PAGE_ORDER
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 412, 1100])
@pytest.mark.parametrize("where", ["entry", "topic"])
def test_the_quiz_appears_without_shifting_the_page(browser: object, site_url: str, where: str, width: int) -> None:
    # The slot keeps the quiz's room while the page loads (practice.css); without it Lighthouse measured a
    # cumulative layout shift of 0.39 on the entry page.
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    t = Tab(context, f"{site_url}practice/" + ("" if where == "entry" else f"{TOPIC.id}/"))
    t.open()
    t.page.wait_for_timeout(300)
    shift = t.page.evaluate(
        """() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
                .observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(total), 100);
        })"""
    )
    context.close()
    assert shift < 0.01, f"cumulative layout shift {shift:.3f}"
    t.check()


@pytest.mark.browser
def test_if_the_quiz_cannot_start_the_entry_page_shows_its_question_list(browser: object, site_url: str) -> None:
    # While loading, practice.css hides the list the quiz replaces; a failed fetch must bring it back.
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.route(f"{site_url}practice/{SOURCE.topics[0].id}/", lambda route: route.fulfill(status=503, body="down"))
    visit(page, f"{site_url}practice/")
    assert page.locator("article.pq-off").count() == 1
    assert page.locator(".pq-ui").count() == 0
    listed = page.locator("article .pq-topics li > ul a:visible")
    assert listed.count() == COUNT
    assert page.locator(".pq-slot").evaluate("el => el.offsetHeight") == 0
    context.close()


@pytest.mark.browser
def test_if_the_scheduler_cannot_load_the_topic_page_shows_every_question(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("**/ts-fsrs.umd.js", lambda route: route.abort())
    visit(page, f"{site_url}practice/{TOPIC.id}/")
    assert page.locator("article.pq-off").count() == 1
    assert page.locator(".pq-ui").count() == 0
    assert page.locator("article details.pq:visible").count() == len(TOPIC_ORDER)
    context.close()


@pytest.mark.browser
def test_a_held_key_grades_or_reveals_once_but_keeps_moving(tab: Tab) -> None:
    page = tab.page
    page.keyboard.down(" ")
    page.keyboard.down(" ")  # auto-repeat: Playwright sends repeat=true while the key is held
    page.keyboard.up(" ")
    assert tab.open_parts() == [True, False, False, False]
    assert page.evaluate("window.scrollY") == 0, "a held Space does not scroll the page either"
    page.keyboard.down("3")
    page.keyboard.down("3")
    page.keyboard.up("3")
    assert tab.count() == f"Question 2 of {COUNT} for today in all topics · 1 of {COUNT} graded"
    page.keyboard.down("ArrowRight")
    page.keyboard.down("ArrowRight")
    page.keyboard.up("ArrowRight")
    assert tab.count().startswith(f"Question 4 of {COUNT}")


@pytest.mark.browser
def test_focus_stays_on_the_quiz_when_the_question_changes(tab: Tab) -> None:
    page = tab.page
    page.locator(".pq-stage > details.pq > details").nth(0).locator("summary").click()
    assert page.evaluate("document.activeElement.closest('.pq-stage') !== null")
    page.keyboard.press("2")  # grades and moves on: the focused summary leaves the page
    assert tab.current() == PAGE_ORDER[1]
    assert page.evaluate("document.activeElement.dataset.act") == "reveal"
    # Focus on a grade, which hides on the next question, lands on the reveal button too.
    tab.click("reveal")
    page.locator('.pq-ui [data-act="good"]').focus()
    page.keyboard.press("Enter")
    assert tab.current() == PAGE_ORDER[2]
    assert page.evaluate("document.activeElement.dataset.act") == "reveal"


@pytest.mark.browser
def test_grades_from_two_tabs_are_both_kept(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    first, second = Tab(context, f"{site_url}practice/"), Tab(context, f"{site_url}practice/{TOPIC.id}/")
    first.open()
    second.open()  # both pages loaded before either grades anything
    first.grade("good")  # PAGE_ORDER[0]
    second.click("next")
    second.grade("again")  # TOPIC_ORDER[1]
    first.click("next")
    first.grade("easy")  # PAGE_ORDER[2], graded by the page that had not seen the other tab's grade
    first.open()
    stored = [r[:2] for r in first.stored()]
    context.close()
    assert stored == [[PAGE_ORDER[0], 3], [TOPIC_ORDER[1], 1], [PAGE_ORDER[2], 4]], stored
    first.check()
    second.check()


@pytest.mark.browser
def test_if_the_script_never_arrives_the_topic_page_shows_every_question(browser: object, site_url: str) -> None:
    # The page's inline script hides the list the quiz replaces; when the quiz does not start within a few
    # seconds (here its script is blocked), the page shows itself whole again.
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.clock.install()  # the page's timers, so that its few seconds pass without waiting them out
    page.route("**/practice.js", lambda route: route.abort())
    page.goto(f"{site_url}practice/{TOPIC.id}/")
    assert page.locator("article.pq-js").count() == 1
    page.clock.fast_forward(5_000)
    assert page.locator("article.pq-off").count() == 0, "shown whole before its time"
    page.clock.fast_forward(1_500)
    page.locator("article.pq-off").wait_for(timeout=2_000)
    assert page.locator("article details.pq:visible").count() == len(TOPIC_ORDER)
    assert page.locator(".pq-slot").evaluate("el => el.offsetHeight") == 0
    context.close()


@pytest.mark.browser
def test_a_reset_undone_brings_back_the_reviews_another_tab_made(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    first, second = Tab(context, f"{site_url}practice/{TOPIC.id}/"), Tab(context, f"{site_url}practice/{TOPIC.id}/")
    first.open()
    first.grade("good")  # TOPIC_ORDER[0]
    second.open()
    second.grade("easy")  # TOPIC_ORDER[1], the first of its session, unseen by the first tab
    first.click("reset")
    assert "2 reviews removed" in first.status() and first.stored() == []
    first.click("undo")
    assert sorted(r[:2] for r in first.stored()) == sorted([[TOPIC_ORDER[0], 3], [TOPIC_ORDER[1], 4]])
    context.close()
    first.check()
    second.check()


@pytest.mark.browser
def test_a_review_dated_ahead_of_the_clock_does_not_break_the_grades(tab: Tab) -> None:
    # A clock set back after grading, or a history from a device whose clock runs ahead.
    seed(tab, [(PAGE_ORDER[0], 3, -0.5)])
    tab.open(f"{tab.url}#{PAGE_ORDER[0]}")
    assert tab.current() == PAGE_ORDER[0]
    tab.click("reveal")
    intervals = tab.page.locator(".pq-grades .pq-ivl").all_inner_texts()
    assert all(re.fullmatch(r"\d+ days?|[\d.]+ (months?|years?)", i) for i in intervals), intervals
    tab.click("good")
    assert len(tab.stored()) == 2
