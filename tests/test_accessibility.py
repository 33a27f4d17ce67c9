"""axe-core (from npm) on every page of the built site, in the light and the dark scheme: zero violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import AXE, SCHEMES, axe, describe, visit

pytestmark = pytest.mark.browser



def site_pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))



def phone_pages(site: Path) -> list[str]:
    """One page of each generated or hand-written kind, and every notebook: a phone makes code and tables
    scroll, and notebooks are where they are widest."""
    kinds = [".", "questions", "questions/learning-rate", "practice", "practice/learning-rate", "playground"]
    return kinds + [p for p in site_pages(site) if p.startswith("notebooks/")]


def axe_violations(browser: object, site_url: str, paths: list[str], scheme: str, **context_options: object) -> dict[str, list[str]]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} not found: run `npm ci` (make test does) to install axe-core")
    context = browser.new_context(color_scheme=scheme, **context_options)  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in paths:
        visit(page, site_url + ("" if path == "." else f"{path}/"))
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        violations = axe(page)
        if violations:
            found[path] = describe(violations)
    context.close()
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_has_no_axe_violations(browser: object, site: Path, site_url: str, scheme: str) -> None:
    pages = site_pages(site)
    assert len(pages) > 10
    found = axe_violations(browser, site_url, pages, scheme)
    assert not found, report(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_on_a_phone_have_no_axe_violations(browser: object, site: Path, site_url: str, scheme: str) -> None:
    pages = phone_pages(site)
    assert all((site / p / "index.html").is_file() for p in pages), pages
    found = axe_violations(browser, site_url, pages, scheme, viewport={"width": 390, "height": 844},
                           is_mobile=True, has_touch=True)
    assert not found, report(found)
