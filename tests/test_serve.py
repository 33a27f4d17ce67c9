"""Live editing: `mkdocs serve` as the README runs it, on a copy of the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from interview_qa import load
from support import DevServer, copy_project, dev_server, question_entry

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
TOPIC = SOURCE.topics[0]
QUESTION = "Does the page follow my edits?"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    with dev_server(copy_project(tmp_path / "project"), tmp_path) as s:
        s.wait_until(lambda: "<h1" in s.get(f"questions/{TOPIC.id}/"), "the first build")
        yield s


def new_question(server: DevServer) -> str:
    return question_entry(server.project, "live-edit-check", TOPIC.id, QUESTION)


def test_editing_the_source_reloads_the_open_page(server: DevServer, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    # "load", not "networkidle": the live-reload script keeps a request open.
    page.goto(f"{server.url}questions/{TOPIC.id}/", wait_until="load")
    assert page.locator("#live-edit-check").count() == 0
    source = server.project / "docs" / "questions.yml"
    source.write_text(source.read_text(encoding="utf-8") + new_question(server), encoding="utf-8")
    # No reload from the test: live reload must bring the new question in by itself.
    page.locator("h2#live-edit-check").wait_for(timeout=30_000)
    assert QUESTION in page.locator("h2#live-edit-check").inner_text()
    page.close()


def test_a_broken_edit_shows_on_every_page_of_the_last_good_site_until_fixed(server: DevServer, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server.url}questions/{TOPIC.id}/", wait_until="load")
    source = server.project / "docs" / "questions.yml"
    good, entry = source.read_text(encoding="utf-8"), new_question(server)  # the entry reads the source: before breaking it
    broken = good + entry.replace("simple:", "simpel:")
    source.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("simpel:")].count("\n") + 1
    # The open page reloads by itself and shows the error over the last good version.
    banner = page.locator("#build-error")
    banner.wait_for(timeout=30_000)
    text = banner.inner_text()
    assert f"docs/questions.yml:{line} (question 'live-edit-check'): unknown field `simpel`" in text, text
    assert "Fix: did you mean `simple`?" in text
    assert page.locator(f"h1#{TOPIC.id}").count() == 1, "the last good page is still there under the banner"
    # Every page answers at once (MkDocs alone holds requests until a build succeeds) and carries the banner.
    for path in ("", "practice/", f"questions/{SOURCE.topics[-1].id}/"):
        assert 'id="build-error"' in server.get(path), path
    assert "unknown field `simpel`" in server.log.text() and server.proc.poll() is None
    source.write_text(good + entry, encoding="utf-8")
    page.locator("h2#live-edit-check").wait_for(timeout=30_000)
    assert page.locator("#build-error").count() == 0
    assert 'id="build-error"' not in server.get("")
    page.close()


def test_editing_the_hook_rebuilds_with_the_new_code(server: DevServer) -> None:
    labels = server.project / "hooks" / "interview_qa" / "markup.py"
    code = labels.read_text(encoding="utf-8")
    labels.write_text(code.replace('MISTAKE_TITLE = "⚡ Common mistake"', 'MISTAKE_TITLE = "⚡ Watch out"'))
    server.wait_until(lambda: "⚡ Watch out" in server.get(f"questions/{TOPIC.id}/"), "the page built by the edited hook")
