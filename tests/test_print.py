"""Printing in Chromium: the cheat sheet's page count and every question on it; a Q&A page's tabs on paper.

Material's print stylesheet does the interleaving (labels and panels as one column, ordered); the site's
own tab CSS (CSS-only tabs, `content-visibility`) must not undo it, whatever the reader chose on screen.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT
from interview_qa import load
from support import visit

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")

# Per tab set: each label's and each panel's top edge and height, in document order of the source.
LAYOUT = """() => [...document.querySelectorAll('.tabbed-set')].map(set => ({
  labels: [...set.querySelectorAll(':scope > .tabbed-labels > label')].map(e => {
    const r = e.getBoundingClientRect(); return {top: r.top, height: r.height, text: e.textContent.trim()}; }),
  panels: [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')].map(e => {
    const r = e.getBoundingClientRect(); return {top: r.top, height: r.height}; }),
}))"""

CHROME = """() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-search', '.md-footer']
  .filter(s => { const e = document.querySelector(s); return e && getComputedStyle(e).display !== 'none'
                 && e.getBoundingClientRect().height > 0; })"""


@pytest.mark.parametrize("topic", [t.id for t in SOURCE.topics[:2]])
def test_a_printed_topic_page_shows_every_tab_under_its_label(browser: object, site: Path, site_url: str, topic: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    # A reader who chose Technical on screen still gets both answers on paper.
    visit(page, site_url)
    page.evaluate("() => localStorage.clear()")
    visit(page, f"{site_url}questions/{topic}/")
    page.locator(".tabbed-labels > label").nth(1).click()
    page.emulate_media(media="print")
    sets = page.evaluate(LAYOUT)
    chrome = page.evaluate(CHROME)
    pdf = page.pdf(format="A4")
    context.close()
    assert len(sets) == len(SOURCE.questions_in(topic))
    for i, tab_set in enumerate(sets):
        order = [item for pair in zip(tab_set["labels"], tab_set["panels"]) for item in pair]
        assert len(order) == 4, f"set {i}: {tab_set}"
        assert all(item["height"] > 0 for item in order), f"set {i}: a label or an answer is not printed"
        tops = [item["top"] for item in order]
        assert tops == sorted(tops), f"set {i}: labels and answers are not interleaved: {tops}"
    assert not chrome, f"printed with the site's {chrome}"
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_cheat_sheet_prints_every_question_at_six_or_more_a_page(browser: object, site: Path, site_url: str,
                                                                     paper: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    visit(page, f"{site_url}cheat-sheet/")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    context.close()
    count = len(SOURCE.questions)
    assert len(pdf.pages) * 6 <= count, f"{len(pdf.pages)} {paper} pages for {count} questions"
    # Compared without white space: text extraction puts spaces around code spans and where lines wrap.
    text = "".join("".join(p.extract_text() or "" for p in pdf.pages).split())
    missing = [q.question for q in SOURCE.questions if _plain(q.question) not in text]
    assert not missing, missing


def _plain(question: str) -> str:
    """A question as printed, without white space: Markdown code and emphasis marks gone."""
    return "".join(re.sub(r"[`*]", "", question).split())
