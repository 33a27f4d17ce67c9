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


def test_a_broken_edit_is_reported_and_the_server_keeps_running(server: DevServer) -> None:
    source = server.project / "docs" / "questions.yml"
    good, entry = source.read_text(encoding="utf-8"), new_question(server)  # the entry reads the source: before breaking it
    source.write_text(good + entry.replace("simple:", "simpel:"), encoding="utf-8")
    server.wait_until(lambda: "unknown field `simpel`" in server.log.text(), "the error in the log")
    assert "Fix: did you mean `simple`?" in server.log.text()
    assert server.proc.poll() is None
    source.write_text(good + entry, encoding="utf-8")
    server.wait_until(lambda: 'id="live-edit-check"' in server.get(f"questions/{TOPIC.id}/"), "the fixed page")


def test_editing_the_hook_rebuilds_with_the_new_code(server: DevServer) -> None:
    render = server.project / "hooks" / "interview_qa" / "render.py"
    code = render.read_text(encoding="utf-8")
    render.write_text(code.replace('MISTAKE_TITLE = "⚡ Common mistake"', 'MISTAKE_TITLE = "⚡ Watch out"'))
    server.wait_until(lambda: "⚡ Watch out" in server.get(f"questions/{TOPIC.id}/"), "the page built by the edited hook")
