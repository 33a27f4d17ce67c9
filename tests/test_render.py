"""Golden-file tests: the Markdown the hook generates from a small fixture.

After an intended change to the renderer, regenerate the golden files with
`UPDATE_GOLDEN=1 make test-fast` and review the diff like any other change.
"""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES
from interview_qa import fill_all, load_results, load_text, render_pages
from interview_qa.render import render_question

GOLDEN = FIXTURES / "golden"
SOURCE = load_text((FIXTURES / "small_questions.yml").read_bytes(), "small_questions.yml")
# The fixture's "project root" holds notebooks/results/*.json like the real one.
MEASURED = fill_all(SOURCE, load_results(SOURCE, FIXTURES))
PAGES = render_pages(SOURCE, MEASURED)


def test_pages_are_the_overview_and_topics_then_practice_entry_and_topics_then_the_cheat_sheet() -> None:
    assert list(PAGES) == [
        "questions/index.md",
        "questions/basics.md",
        "questions/loop.md",
        "practice/index.md",
        "practice/basics.md",
        "practice/loop.md",
        "cheat-sheet.md",
    ]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matches_golden_file(page: str) -> None:
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(PAGES[page], encoding="utf-8")
    assert PAGES[page] == golden.read_text(encoding="utf-8"), f"{page} differs from {golden.name}"


def test_demo_link_is_relative_to_the_generated_page() -> None:
    zero_grad = SOURCE.questions[1]
    rendered = render_question(zero_grad, "questions/loop.md", MEASURED[zero_grad.id])
    assert "[▶ See it run](../notebooks/training-step.ipynb#accumulation)" in rendered


def test_measured_text_quotes_the_recorded_results() -> None:
    assert MEASURED == {
        "what-is-lr": "At lr = 0.3 the loss fell to 0.532 in 391 steps.",
        # Booleans read as yes/no; single braces (LaTeX) pass through.
        "zero-grad": "Without clearing, the gradient grew 2-fold\n(yes, ${x}^2$ left alone).",
    }
    assert '!!! example measured "🔬 Measured"\n\n    Without clearing' in PAGES["questions/loop.md"]


def test_answers_keep_fenced_code_intact_inside_tabs() -> None:
    loop = PAGES["questions/loop.md"]
    # Indented by four spaces for the tab, blank line inside the fence stays blank.
    assert "    ```python\n    optimizer.zero_grad()\n    loss.backward()\n\n    optimizer.step()\n    ```" in loop


def test_page_paths_name_the_rendered_pages_in_order() -> None:
    from interview_qa.render import page_paths

    assert page_paths(SOURCE) == list(PAGES)


def test_synonyms_are_shown_under_the_question_escaped_like_it() -> None:
    from dataclasses import replace

    lr = replace(SOURCE.questions[0], synonyms=("step size", "`lr`", "η {#x}"))
    rendered = render_question(lr, "questions/basics.md", MEASURED[lr.id])
    assert "Also called: step size, `lr`, η \\{\\#x\\}\n{ .qa-synonyms }\n" in rendered
