"""Notebook plots as a reader's Chromium draws them: text size on a phone, and contrast in both schemes.

Measured on the real pages, not on the figures' settings: the text a reader
sees is the SVG's font size times the scale the page shrinks the figure by, and
its colour is what the stylesheet resolves in the scheme shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from support import RecordingTab, contrast, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCHEMES = {"light": "default", "dark": "slate"}
MIN_TEXT_PX = 11
TEXT_CONTRAST = 4.5
LINE_CONTRAST = 3.0
# Grid lines are drawn faint on purpose (decoration, not data): stroke opacity under this is not a series.
DECORATION_OPACITY = 0.5
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))

# Every figure's text and stroked paths, with the page background, as the browser resolves them.
MEASURE = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const bg = parse(getComputedStyle(document.body).backgroundColor);
  return {bg, figures: [...document.querySelectorAll('svg.nb-figure')].map(svg => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
      const m = t.getScreenCTM();
      const style = getComputedStyle(t);
      return {text: t.textContent.trim(), px: parseFloat(style.fontSize) * Math.hypot(m.a, m.b),
              fill: parse(style.fill), opacity: parseFloat(style.fillOpacity) * parseFloat(style.opacity)};
    });
    const lines = [...svg.querySelectorAll('path, line, polyline')].map(p => getComputedStyle(p))
      .filter(s => s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0)
      .map(s => ({stroke: parse(s.stroke), opacity: parseFloat(s.strokeOpacity) * parseFloat(s.opacity)}));
    return {label: svg.getAttribute('aria-label'), width: box.width, right: box.right, texts, lines};
  }), column: document.querySelector('.md-content__inner').getBoundingClientRect().right};
}"""


def over(color: list[float], opacity: float, background: list[float]) -> list[float]:
    """`color` at its alpha times `opacity`, composited over an opaque `background`."""
    alpha = color[3] * opacity
    return [alpha * c + (1 - alpha) * b for c, b in zip(color[:3], background[:3])]


def measure(browser: object, site_url: str, names: list[str], viewport: dict[str, int], scheme: str) -> dict[str, dict]:
    """Each notebook's figures, measured in one tab: a new tab per page would cost half a second of CPU each."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        found = {}
        for name in names:
            page.goto(f"{site_url}notebooks/{name}/", wait_until="load")
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            found[name] = page.evaluate(MEASURE)
        return found
    finally:
        context.close()


def test_every_notebook_with_output_plots_inline_svg(site: Path) -> None:
    """The checks below would pass vacuously on pages whose plots were images: every plot is inline SVG."""
    for name in NOTEBOOKS:
        html = (site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
        assert 'class="nb-figure"' in html, f"{name}: no inline SVG figure"
        assert "data:image/" not in html, f"{name}: an embedded image is left in the page"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_plot_text_and_lines_are_legible_on_a_phone(browser: object, site: Path, site_url: str, scheme: str) -> None:
    problems: list[str] = []
    for name, found in measure(browser, site_url, NOTEBOOKS, PHONE, scheme).items():
        bg = found["bg"]
        assert found["figures"], f"{name}: no figure found"
        for figure in found["figures"]:
            where = f"{name} ({figure['label']})"
            if figure["right"] > found["column"] + 0.5:
                problems.append(f"{where}: {figure['width']:.0f} px wide, past the content column")
            assert figure["texts"], f"{where}: no text in the figure"
            for text in figure["texts"]:
                if text["px"] < MIN_TEXT_PX:
                    problems.append(f"{where}: '{text['text']}' drawn at {text['px']:.1f} px")
                ratio = contrast(over(text["fill"], text["opacity"], bg), bg)
                if ratio < TEXT_CONTRAST:
                    problems.append(f"{where}: '{text['text']}' at {ratio:.2f}:1")
            series = [line for line in figure["lines"] if line["opacity"] * line["stroke"][3] >= DECORATION_OPACITY]
            assert series, f"{where}: no line found"
            for line in series:
                ratio = contrast(over(line["stroke"], line["opacity"], bg), bg)
                if ratio < LINE_CONTRAST:
                    problems.append(f"{where}: a line in rgb{tuple(line['stroke'][:3])} at {ratio:.2f}:1")
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_plots_are_not_blown_up_on_a_desktop(browser: object, site: Path, site_url: str) -> None:
    """Shown at their own size at most: text near the body size, not stretched to the column's width."""
    found = measure(browser, site_url, ["learning-rate-sweep"], DESKTOP, "light")["learning-rate-sweep"]
    sizes = [text["px"] for figure in found["figures"] for text in figure["texts"]]
    assert sizes and max(sizes) <= 20, max(sizes)


def test_instant_navigation_to_a_notebook_draws_its_figures_without_errors(browser: object, site_url: str) -> None:
    """Material swaps the page in place and rewrites its links first: the figures' references must survive it."""
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = RecordingTab(context)
    try:
        visit(tab.page, f"{site_url}notebooks/seeds/")
        with tab.page.expect_response(lambda r: "/notebooks/fashion-mnist-data/fig-" in r.url) as raster:
            tab.page.locator('.md-nav a[href$="fashion-mnist-data/"]').first.click()
        assert raster.value.status == 200
        tab.page.wait_for_url("**/notebooks/fashion-mnist-data/")
        assert tab.page.evaluate("() => document.querySelector('svg.nb-figure image').getBBox().width") > 0
    finally:
        context.close()
    assert not tab.problems(), tab.problems()
