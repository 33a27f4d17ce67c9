"""Live editing: `mkdocs serve` as the README runs it, on a copy of the project."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from interview_qa import load
from support import DevServer, ServeError, copy_project, dev_server, question_entry

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


def wait_for(page: object, selector: str, what: str, server: DevServer, timeout: float = 30) -> None:
    """Wait until `selector` shows in the open page; else fail naming `what` and showing the server's log."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator(selector).wait_for(timeout=timeout * 1000)  # type: ignore[attr-defined]
    except PlaywrightTimeout:
        raise ServeError(f"waited {timeout:g} s for {what} ({selector}) in the open page; server log:\n"
                         f"{server.log.tail()}") from None


def test_editing_the_source_reloads_the_open_page(server: DevServer, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    # "load", not "networkidle": the live-reload script keeps a request open.
    page.goto(f"{server.url}questions/{TOPIC.id}/", wait_until="load")
    assert page.locator("#live-edit-check").count() == 0
    source = server.project / "docs" / "questions.yml"
    source.write_text(source.read_text(encoding="utf-8") + new_question(server), encoding="utf-8")
    # No reload from the test: live reload must bring the new question in by itself.
    wait_for(page, "h2#live-edit-check", "the new question, brought in by live reload", server)
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
    wait_for(page, "#build-error", "the error banner over the reloaded page", server)
    text = page.locator("#build-error").inner_text()
    assert f"docs/questions.yml:{line} (question 'live-edit-check'): unknown field `simpel`" in text, text
    assert "Fix: did you mean `simple`?" in text
    assert page.locator(f"h1#{TOPIC.id}").count() == 1, "the last good page is still there under the banner"
    # Every page answers at once (MkDocs alone holds requests until a build succeeds) and carries the banner.
    for path in ("", "practice/", f"questions/{SOURCE.topics[-1].id}/"):
        assert 'id="build-error"' in server.get(path), path
    assert "unknown field `simpel`" in server.log.text() and server.proc.poll() is None
    source.write_text(good + entry, encoding="utf-8")
    wait_for(page, "h2#live-edit-check", "the fixed page, without the banner", server)
    assert page.locator("#build-error").count() == 0
    assert 'id="build-error"' not in server.get("")
    page.close()


def test_editing_the_hook_rebuilds_with_the_new_code(server: DevServer) -> None:
    labels = server.project / "hooks" / "interview_qa" / "markup.py"
    code = labels.read_text(encoding="utf-8")
    labels.write_text(code.replace('MISTAKE_TITLE = "⚡ Common mistake"', 'MISTAKE_TITLE = "⚡ Watch out"'))
    server.wait_until(lambda: "⚡ Watch out" in server.get(f"questions/{TOPIC.id}/"), "the page built by the edited hook")


def test_a_site_rebuilt_after_edits_equals_a_clean_build(server: DevServer, tmp_path: Path) -> None:
    """Under `mkdocs serve` a rebuild reuses what did not change (hooks/rebuilds.py); it must not show."""
    source = server.project / "docs" / "questions.yml"
    last = SOURCE.topics[-1]  # the new question goes to the last topic, whose page has room for it
    reworded = SOURCE.questions_in(TOPIC.id)[0].simple.splitlines()[0]
    markup = server.project / "hooks" / "interview_qa" / "markup.py"
    # Code first, which starts afresh; then two saves of the source, each rebuilt from what the last build kept.
    edits = [  # (file, text to replace or None to append, new text, what the served page then shows, page)
        (markup, 'MISTAKE_TITLE = "⚡ Common mistake"', 'MISTAKE_TITLE = "⚡ Watch out"', "⚡ Watch out",
         f"questions/{TOPIC.id}/"),
        (source, None, question_entry(server.project, "live-edit-check", last.id, QUESTION), QUESTION,
         f"questions/{last.id}/"),
        (source, reworded, "Reworded while the server runs.", "Reworded while the server runs.", f"questions/{TOPIC.id}/"),
    ]
    for path, old, new, shown, page in edits:
        text = path.read_text(encoding="utf-8")
        assert old is None or old in text, old
        start = time.monotonic()
        path.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")
        server.wait_until(lambda: shown in server.get(page), f"/{page} rebuilt with '{shown}'")
        server.wait_until(lambda: server.log.first("Reloading browsers", start) is not None, "the rebuild to finish")
    served = next((server.project.parent / "serve-tmp").glob("mkdocs_*"))
    clean = tmp_path / "clean-site"
    # At the server's address, which mkdocs serve puts in every page's canonical link.
    env = {**os.environ, "SITE_URL": server.url, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(clean)],
                           cwd=server.project, env=env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-3000:]
    rebuilt, fresh = tree(served), tree(clean)
    assert sorted(rebuilt) == sorted(fresh), "the rebuilt site has other files than a clean build"
    differing = [name for name in fresh if rebuilt[name] != fresh[name]]
    assert not differing, f"{len(differing)} files differ from a clean build: {differing}\n" + first_difference(
        rebuilt[differing[0]], fresh[differing[0]])


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"rebuilt: ...{a[max(0, at - 150):at + 150]!r}...\nclean:   ...{b[max(0, at - 150):at + 150]!r}..."


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site by path; the sitemap unzipped, since gzip records when it was written."""
    files = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files
