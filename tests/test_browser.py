"""End to end in headless Chromium: what a reader clicks, sees and sends over the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from interview_qa import load
from interview_qa.markup import TECHNICAL_LABEL
from support import RecordingTab, reload, visit

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
FIRST, SECOND = SOURCE.topics[0], SOURCE.topics[1]


class Reader(RecordingTab):
    """A browser tab plus everything it requested and complained about."""

    def goto(self, url: str) -> None:
        visit(self.page, url, idle=True)

    def checked_labels(self) -> list[str]:
        """The label of the selected tab in every tab set on the page."""
        return self.page.eval_on_selector_all(
            ".tabbed-set",
            """sets => sets.map(set => {
                const input = set.querySelector(':scope > input:checked');
                return set.querySelector(`label[for="${input.id}"]`).textContent.trim();
            })""",
        )


@pytest.fixture
def reader(browser: object, site_url: str) -> Iterator[Reader]:
    context = browser.new_context(color_scheme="light")  # type: ignore[attr-defined]
    r = Reader(context)
    yield r
    context.close()
    assert not r.problems(), r.problems()


def test_tabs_switch(reader: Reader, site_url: str) -> None:
    reader.goto(f"{site_url}questions/{FIRST.id}/")
    first_set = reader.page.locator(".tabbed-set").first
    blocks = first_set.locator(".tabbed-block")
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    first_set.get_by_text(TECHNICAL_LABEL, exact=True).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()


def test_linked_tab_choice_follows_across_pages_and_reloads(reader: Reader, site_url: str) -> None:
    reader.goto(f"{site_url}questions/{FIRST.id}/")
    reader.page.locator(".tabbed-set").first.get_by_text(TECHNICAL_LABEL, exact=True).click()
    # Linked tabs: every question on this page follows the one click.
    assert set(reader.checked_labels()) == {TECHNICAL_LABEL}
    # Instant navigation to another topic page via the sidebar.
    reader.page.locator(f'nav.md-nav--primary a[href$="{SECOND.id}/"]').first.click()
    reader.page.wait_for_url(f"**/questions/{SECOND.id}/")
    reader.page.wait_for_load_state("networkidle")
    assert reader.checked_labels() and set(reader.checked_labels()) == {TECHNICAL_LABEL}
    reload(reader.page)
    assert set(reader.checked_labels()) == {TECHNICAL_LABEL}


def test_search_for_zero_grad_lands_on_the_question(reader: Reader, site_url: str) -> None:
    reader.goto(site_url)
    reader.page.keyboard.press("/")
    reader.page.keyboard.type("zero_grad")
    # Material groups results by page: the first group is the best match's page,
    # its first section link the question itself.
    group = reader.page.locator(".md-search-result__list > li").first
    group.wait_for(timeout=10_000)
    links = [a.get_attribute("href") or "" for a in group.locator("a").all()]
    assert "/questions/training-loop/" in links[0], links
    sections = [href for href in links if "#" in href]
    assert sections and "#zero-grad" in sections[0], links
    group.locator("a").nth(links.index(sections[0])).click()
    reader.page.wait_for_url(lambda url: url.endswith("#zero-grad"))
    heading = reader.page.locator("h2#zero-grad")
    heading.wait_for()
    box = heading.bounding_box()
    viewport = reader.page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"], "the question is scrolled into view"
    # search.highlight marks the searched words on the landing page.
    assert reader.page.locator("article mark").count() > 0


def test_theme_toggle_switches_and_remembers(reader: Reader, site_url: str) -> None:
    reader.goto(site_url)
    body = reader.page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"  # follows the light system theme
    reader.page.get_by_title("Switch to light mode").click()
    reader.page.get_by_title("Switch to dark mode").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    background = reader.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]) < 3 * 80, background
    reload(reader.page)
    assert body.get_attribute("data-md-color-scheme") == "slate"


def test_every_page_loads_without_errors_or_foreign_requests(reader: Reader, site: Path, site_url: str) -> None:
    # Every page of the built site, notebooks included; the fixture checks hosts and console.
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert len(pages) >= 2 + len(SOURCE.topics)
    for path in pages:
        reader.goto(site_url + ("" if path == "." else f"{path}/"))
        assert reader.page.title()
