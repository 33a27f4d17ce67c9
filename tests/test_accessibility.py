"""axe-core (from npm) on every page of the built site, in the light and the dark scheme: zero violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme


def site_pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))


def describe(violations: list[dict[str, object]]) -> list[str]:
    lines = []
    for v in violations:
        nodes = v["nodes"]  # type: ignore[index]
        targets = ", ".join(str(n["target"]) for n in nodes[:3])  # type: ignore[index]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {len(nodes)} element(s), e.g. {targets}")
    return lines


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_has_no_axe_violations(browser: object, site: Path, site_url: str, scheme: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} not found: run `npm ci` (make test does) to install axe-core")
    context = browser.new_context(color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, list[str]] = {}
    pages = site_pages(site)
    for path in pages:
        page.goto(site_url + ("" if path == "." else f"{path}/"), wait_until="networkidle")
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        page.add_script_tag(path=str(AXE))
        # The WCAG 2.1 A and AA rules plus axe's best practices, on the whole document.
        violations = page.evaluate(
            """async () => (await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            })).violations"""
        )
        if violations:
            found[path] = describe(violations)
    context.close()
    assert len(pages) > 10
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())
