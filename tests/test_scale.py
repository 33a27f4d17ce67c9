"""A question bank's worth of questions: 250 on one topic page still switch tabs together and keep the reader's place.

How long the switch takes is a figure, printed by tests/benchmarks/bench_scale.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs
from interview_qa import load
from interview_qa.render import SIMPLE_LABEL, TECHNICAL_LABEL
from support import add_copies, copy_project, reload, serve, visit

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
TOPIC = SOURCE.topics[0]
QUESTIONS = 250
CHECKED = """sets => sets.map(set => {
    const input = set.querySelector(':scope > input:checked');
    return set.querySelector(`label[for="${input.id}"]`).textContent.trim();
})"""


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("scale") / "project")
    add_copies(project, QUESTIONS - len(SOURCE.questions_in(TOPIC.id)), topic=TOPIC.id)
    with serve(project / "site") as url:
        # Not --strict: this page is over its weight budget on purpose (tests/test_build.py checks that warning).
        mkdocs("build", cwd=project, env={"SITE_URL": url})
        yield url


def test_one_click_switches_all_250_sets_keeps_the_clicked_one_in_place_and_is_remembered(
    big_site: str, browser: object
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    visit(page, f"{big_site}questions/{TOPIC.id}/")
    sets = page.locator(".tabbed-set")
    assert sets.count() == QUESTIONS
    assert set(sets.evaluate_all(CHECKED)) == {SIMPLE_LABEL}
    target = sets.nth(QUESTIONS // 2)
    target.scroll_into_view_if_needed()
    label = target.locator(".tabbed-labels > label").get_by_text(TECHNICAL_LABEL, exact=True)
    before = target.bounding_box()
    label.click()
    assert set(sets.evaluate_all(CHECKED)) == {TECHNICAL_LABEL}
    after = target.bounding_box()
    assert before and after and abs(after["y"] - before["y"]) < 2, (before, after)
    # The selected label is underlined (its border), the other is not, in every set.
    borders = sets.evaluate_all(
        "sets => sets.map(s => [...s.querySelectorAll('.tabbed-labels > label')].map(l => getComputedStyle(l).borderBottomColor))"
    )
    assert all(simple != technical for simple, technical in borders), borders[:3]
    assert len({tuple(b) for b in borders}) == 1, "every set underlines the same tab"
    # Remembered: after a reload and on another page.
    reload(page)
    assert set(sets.evaluate_all(CHECKED)) == {TECHNICAL_LABEL}
    visit(page, f"{big_site}questions/{SOURCE.topics[1].id}/")
    assert set(page.locator(".tabbed-set").evaluate_all(CHECKED)) == {TECHNICAL_LABEL}
    context.close()
