"""Live editing: `mkdocs serve` as the README runs it, on a copy of the project."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, free_port
from interview_qa import load

pytestmark = pytest.mark.browser

SOURCE = load(ROOT / "docs" / "questions.yml")
TOPIC = SOURCE.topics[0]
# A new question may borrow an existing one's demonstration and measured sentence.
BORROWED = SOURCE.questions_in(TOPIC.id)[0]
MEASURED = "\n".join("      " + line for line in BORROWED.measured.splitlines())
NEW_QUESTION = f"""
  - id: live-edit-check
    topic: {TOPIC.id}
    question: Does the page follow my edits?
    simple: |
      Yes, it reloads by itself.
    technical: |
      The dev server rebuilds and tells the browser to reload.
    mistake: |
      Restarting the server after every edit.
    demo: {BORROWED.demo}
    measured: |
{MEASURED}
"""


class Server:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = project / "serve.log"
        self.proc = subprocess.Popen(
            # The documented command (make serve) runs exactly this.
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.read().decode("utf-8")

    def wait_until(self, check: object, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"mkdocs serve exited:\n{self.log.read_text()}"
            try:
                if check():  # type: ignore[operator]
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; server log:\n{self.log.read_text()}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(copy_project(tmp_path / "project"))
    s.wait_until(lambda: "<h1" in s.get(f"questions/{TOPIC.id}/"), "the first build")
    yield s
    # Ctrl+C, not SIGTERM: only then does mkdocs serve delete its temporary site folder.
    s.proc.send_signal(signal.SIGINT)
    s.proc.wait(timeout=10)


def test_editing_the_source_reloads_the_open_page(server: Server, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    # "load", not "networkidle": the live-reload script keeps a request open.
    page.goto(f"{server.url}questions/{TOPIC.id}/", wait_until="load")
    assert page.locator("#live-edit-check").count() == 0
    source = server.project / "docs" / "questions.yml"
    source.write_text(source.read_text(encoding="utf-8") + NEW_QUESTION, encoding="utf-8")
    # No reload from the test: live reload must bring the new question in by itself.
    page.locator("h2#live-edit-check").wait_for(timeout=30_000)
    assert "Does the page follow my edits?" in page.locator("h2#live-edit-check").inner_text()
    page.close()


def test_a_broken_edit_is_reported_and_the_server_keeps_running(server: Server) -> None:
    source = server.project / "docs" / "questions.yml"
    good = source.read_text(encoding="utf-8")
    source.write_text(good + NEW_QUESTION.replace("simple:", "simpel:"), encoding="utf-8")
    server.wait_until(lambda: "unknown field `simpel`" in server.log.read_text(), "the error in the log")
    assert "Fix: did you mean `simple`?" in server.log.read_text()
    assert server.proc.poll() is None
    source.write_text(good + NEW_QUESTION, encoding="utf-8")
    server.wait_until(lambda: 'id="live-edit-check"' in server.get(f"questions/{TOPIC.id}/"), "the fixed page")


def test_editing_the_hook_rebuilds_with_the_new_code(server: Server) -> None:
    render = server.project / "hooks" / "interview_qa" / "render.py"
    code = render.read_text(encoding="utf-8")
    render.write_text(code.replace('MISTAKE_TITLE = "⚡ Common mistake"', 'MISTAKE_TITLE = "⚡ Watch out"'))
    server.wait_until(lambda: "⚡ Watch out" in server.get(f"questions/{TOPIC.id}/"), "the page built by the edited hook")
