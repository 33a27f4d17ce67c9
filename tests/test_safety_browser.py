"""What the sanitizer would serve runs nothing in a real browser.

Each XSS vector of tests/xss_corpus.py is a build error (tests/test_safety.py);
here the HTML the sanitizer keeps of it is put into a real page of the built
site, with all of the site's scripts, and opened in Chromium with a listener
on dialogs, on requests to other hosts and on navigation away. As a control,
the same page with the unsanitized HTML must fire, so the listener is known
to work.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import mkdocs
from page_html.sanitize import clean
from support import copy_project, serve
from support import RENDER
from xss_corpus import VECTORS

pytestmark = pytest.mark.browser

ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.DOTALL)
# Vectors that fire on their own when not sanitized (no click or hover needed).
FIRES_UNSANITIZED = ["svg onload", "quoted > in src", "details ontoggle", "autofocus onfocus", "input image onerror"]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="module")
def pages(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the built site with one page per vector (sanitized) and per control (raw)."""
    out = tmp_path_factory.mktemp("xss-site")
    shutil.copytree(site, out, dirs_exist_ok=True)
    template = next((site / "questions").glob("*/index.html")).read_text(encoding="utf-8")
    for name, vector in VECTORS.items():
        for kind, html in (("clean", clean(RENDER(vector))), ("raw", RENDER(vector))):
            page = out / "xss" / f"{kind}-{slug(name)}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(ARTICLE.sub(lambda m: m[1] + f"<h1>{name}</h1>" + html + m[3], template, count=1))
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def reader(browser: object) -> Iterator[object]:
    """One tab for every sanitized vector. A new tab costs about half a second of CPU, 70 times over; a page
    that runs nothing leaves nothing behind for the next one, and one that does fails its own test."""
    context = browser.new_context()  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def watch(page: object, url: str) -> tuple[list[str], list[str], str]:
    """Open `url` in `page`: the dialogs it opened, its requests to other hosts, and the URL it ends on."""
    dialogs: list[str] = []
    foreign: list[str] = []
    on_dialog = lambda d: (dialogs.append(d.message), d.dismiss())  # noqa: E731
    on_request = lambda r: urlsplit(r.url).hostname not in ("127.0.0.1", None) and foreign.append(r.url)  # noqa: E731
    page.on("dialog", on_dialog)  # type: ignore[attr-defined]
    page.on("request", on_request)  # type: ignore[attr-defined]
    try:
        page.goto(url, wait_until="load")  # type: ignore[attr-defined]
        # Give load, error, toggle, focus and animation handlers their chance; tab through the page.
        page.wait_for_timeout(150)  # type: ignore[attr-defined]
        for _ in range(5):
            page.keyboard.press("Tab")  # type: ignore[attr-defined]
        page.mouse.move(300, 300)  # type: ignore[attr-defined]
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
        return dialogs, foreign, page.url  # type: ignore[attr-defined]
    finally:
        page.remove_listener("dialog", on_dialog)  # type: ignore[attr-defined]
        page.remove_listener("request", on_request)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_sanitized_vector_runs_nothing_loads_nothing_and_stays(name: str, pages: str, reader: object) -> None:
    url = f"{pages}xss/clean-{slug(name)}/"
    dialogs, foreign, final = watch(reader, url)
    assert not dialogs, f"{name}: a dialog fired: {dialogs}"
    assert not foreign, f"{name}: requests left the site: {foreign}"
    assert final == url, f"{name}: the page navigated to {final}"


@pytest.mark.parametrize("name", FIRES_UNSANITIZED)
def test_control_the_unsanitized_vector_does_fire(name: str, pages: str, browser: object) -> None:
    # A tab of its own: this page does run its vector.
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        dialogs, _, _ = watch(context.new_page(), f"{pages}xss/raw-{slug(name)}/")
    finally:
        context.close()
    assert dialogs, f"{name}: the listener saw nothing, so the test above would prove nothing"


def test_html_shown_as_code_stays_text_in_search_results(tmp_path: Path, browser: object) -> None:
    """Material renders search results as HTML: code that shows a vector must stay text there too."""
    project = copy_project(tmp_path / "project")
    source = project / "docs" / "questions.yml"
    text = source.read_text(encoding="utf-8")
    first_simple = re.search(r"^    simple: \|\n", text, re.MULTILINE)
    assert first_simple
    shown = "      Never write `<img src=x onerror=alert(1)>` or `<svg/onload=alert(1)>` in a quizzical page.\n\n"
    source.write_text(text[: first_simple.end()] + shown + text[first_simple.end() :], encoding="utf-8")
    with serve(project / "site") as url:
        mkdocs("build", "--strict", cwd=project, env={"SITE_URL": url})
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("quizzical")
        result = page.locator(".md-search-result__list > li").first
        result.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        assert "onerror" in page.locator(".md-search-result").inner_text()
        result.locator("a").first.click()
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        context.close()
    assert not dialogs, dialogs
