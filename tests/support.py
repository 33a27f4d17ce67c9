"""Helpers shared by the tests and the benchmarks: a static server like the real host, a project copy, a port,
`mkdocs serve` on that copy, a new question for it, a browser tab that records what leaves the site, and
Material's own search run on a built index, scored against a query set."""

from __future__ import annotations

import fcntl
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import nbformat
import torch
from mkdocs.config import load_config
from trainlab.data import Split
from trainlab.training import TrainConfig

ROOT = Path(__file__).resolve().parent.parent
# The hooks' pure packages, imported the way MkDocs imports them: from hooks/.
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))
from interview_qa.safety import markdown_renderer  # noqa: E402
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files from the site folder; text compressed with gzip when the browser accepts it."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not (path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)):
            super().do_GET()
            return
        stat = path.stat()
        body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int, size: int) -> bytes:
    """A file's gzip body, compressed once per version of the file: every page view fetches the same
    stylesheets, scripts and search index again (a fresh browser context has no cache), and compressing
    them anew cost the browser tests about 18 s of CPU here. `mtime_ns` and `size` key the version."""
    return gzip.compress(path.read_bytes())


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1; yields the root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def copy_project(dest: Path) -> Path:
    """A copy of what the build reads, so a test may break it without touching the real one.

    The notebook caches come along as hard links: without them each copy's first build converts and slims
    every notebook again (about 12 s). Their entries are named by what they hold and replaced, never
    rewritten, so a copy's build cannot change the real ones.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "docs", "hooks", "notebooks"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    warm_caches()
    shutil.copytree(ROOT / ".cache", dest / ".cache", copy_function=_link_or_copy, ignore=shutil.ignore_patterns("*.lock"))
    return dest


def warm_caches() -> None:
    """Build the real project once if it has no notebook caches yet, so that every copy starts with them.

    A fresh clone has none: each copy made before the first build would convert every notebook again. One
    process builds while the others (pytest-xdist's workers) wait for it; a failed build is the tests' to
    report, not this one's.
    """
    cache = ROOT / ".cache"
    cache.mkdir(exist_ok=True)
    with open(cache / "warm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if any((cache / "notebook-pages").glob("*.json")):
            return
        with tempfile.TemporaryDirectory() as site:
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", site], cwd=ROOT,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, timeout=600)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copy2(src, dst)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeError(Exception):
    """`mkdocs serve` did not do what was waited for; the message says what and shows its log."""


@dataclass
class ServeLog:
    """The server's output, each line with the monotonic time it arrived."""

    path: Path
    lines: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def follow(self, stream: IO[str]) -> None:
        with self.path.open("w", encoding="utf-8") as copy:
            for line in stream:
                stamp = time.monotonic()
                with self.lock:
                    self.lines.append((stamp, line.rstrip("\n")))
                copy.write(line)
                copy.flush()

    def text(self) -> str:
        with self.lock:
            return "\n".join(line for _, line in self.lines)

    def since(self, start: float) -> list[tuple[float, str]]:
        with self.lock:
            return [(t, line) for t, line in self.lines if t >= start]

    def first(self, text: str, start: float) -> tuple[float, str] | None:
        return next(((t, line) for t, line in self.since(start) if text in line), None)

    def tail(self, n: int = 30) -> str:
        with self.lock:
            return "\n".join(line for _, line in self.lines[-n:])


class DevServer:
    """`mkdocs serve --livereload` in a project copy, exactly as `make serve` runs it."""

    def __init__(self, project: Path, tmp: Path) -> None:
        self.project = project
        self.url = f"http://127.0.0.1:{free_port()}/"
        self.log = ServeLog(tmp / "serve.log")
        # mkdocs serve builds into a fresh folder from tempfile.mkdtemp(); inside
        # our temporary folder it is removed with it even if the server is killed.
        server_tmp = tmp / "serve-tmp"
        server_tmp.mkdir()
        # Unbuffered, so each log line is timed when it is written; without
        # NO_MKDOCS_2_WARNING MkDocs 1.6 prints a long notice on every run.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1", "TMPDIR": str(server_tmp)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", self.url[7:-1]],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            preexec_fn=_hears_ctrl_c,
        )
        assert self.proc.stdout is not None
        threading.Thread(target=self.log.follow, args=(self.proc.stdout,), daemon=True).start()

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.read().decode("utf-8")

    def wait_until(self, check: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServeError(f"mkdocs serve exited (code {self.proc.returncode}) while waiting for {what}:\n"
                                 f"{self.log.tail()}")
            try:
                if check():
                    return
            except OSError:
                pass  # not listening yet, or answering 404 during the first build
            time.sleep(0.2)
        raise ServeError(f"timed out after {timeout:g} s waiting for {what}; server log:\n{self.log.tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            # Ctrl+C, as a person stops it: only then does mkdocs serve delete its build folder.
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _hears_ctrl_c() -> None:
    # A job that a shell starts in the background (`make test &`, some CI runners) ignores SIGINT, and so does
    # every process it starts: mkdocs serve would sit out stop()'s Ctrl+C until killed 10 s later.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def dev_server(project: Path, tmp: Path) -> Iterator[DevServer]:
    server = DevServer(project, tmp)
    try:
        yield server
    finally:
        server.stop()


def question_entry(project: Path, qid: str, topic: str, question: str) -> str:
    """A complete entry to append to the project's docs/questions.yml.

    The build checks every question's demo link and measured numbers, so it
    borrows those of the topic's first question.
    """
    from interview_qa import load  # hooks/ is on sys.path in the tests and the benchmarks

    borrowed = load(project / "docs" / "questions.yml").questions_in(topic)[0]
    measured = "\n".join("      " + line for line in borrowed.measured.splitlines())
    return f"""
  - id: {qid}
    topic: {topic}
    question: {question}
    simple: |
      As soon as the dev server has rebuilt, the open page reloads by itself.
    technical: |
      The server notices the saved file, rebuilds the site and answers the page's live-reload request.
    mistake: |
      Reloading the page by hand, or restarting the server after every edit.
    demo: {borrowed.demo}
    measured: |
{measured}
"""


def add_copies(project: Path, count: int, topic: str | None = None) -> None:
    """Append `count` copies of the project's own questions (full answers, math and code) to its source.

    Each gets a new id and question text; all go into `topic` if given, else
    into their original's. For builds at the scale of a real question bank.
    """
    import yaml

    path = project / "docs" / "questions.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    originals = list(data["questions"])
    for k in range(count):
        copy = dict(originals[k % len(originals)])
        copy["id"] = f"{copy['id']}-copy-{k}"
        copy["question"] = f"{copy['question']} (copy {k})"
        if topic:
            copy["topic"] = topic
        data["questions"].append(copy)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")


# The site's own scripts build part of some pages after the load event, and say when they are done: a practice
# page's article gets pq-ready (or pq-off when it shows its no-script fallback), the playground data-ready.
SITE_READY = """() => {
    const article = document.querySelector("article");
    if (article && article.querySelector(".pq-topics, details.pq") && !article.matches(".pq-ready, .pq-off")) return false;
    const playground = document.getElementById("lr-playground");
    return !playground || playground.hasAttribute("data-ready");
}"""


def visit(page: object, url: str, *, idle: bool = False) -> object:
    """Open `url` and wait until the page is built as a reader sees it: loaded, and the site's scripts done;
    with `idle`, also until no request has been in flight for 500 ms, for tests of what a page requests.

    Playwright's "networkidle" alone is not enough: it does not wait for the load event. Its 500 ms of quiet
    can pass while the parser is still inside a long page (a 250-question page under a loaded CPU showed 178
    of its tab sets). Nor is it needed for the page itself: the site's own marks say when it is built.
    Returns the page's response.
    """
    # As a reader opens a page: in the tab in front. A tab behind gets no animation frames (see PracticeTab.click).
    page.bring_to_front()  # type: ignore[attr-defined]
    if "#" in url and page.url.partition("#")[0] == url.partition("#")[0]:  # type: ignore[attr-defined]
        # Only the fragment differs: the browser would stay on the page, already built and marked ready
        # for the old fragment, and that mark would pass for the new one.
        page.goto("about:blank")  # type: ignore[attr-defined]
    response = _built(page, lambda: page.goto(url, wait_until="load"))  # type: ignore[attr-defined]
    if idle:
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    return response


def reload(page: object) -> None:
    """Reload the page as a reader does, and wait for it as `visit` does."""
    _built(page, lambda: page.reload(wait_until="load"))  # type: ignore[attr-defined]


INSTANT = """() => {
    const config = document.getElementById("__config");
    return !!config && JSON.parse(config.textContent).features.includes("navigation.instant");
}"""


def _is_sitemap(request: object) -> bool:
    return urlsplit(request.url).path.endswith("/sitemap.xml")  # type: ignore[attr-defined]


def _built(page: object, load: Callable[[], object]) -> object:
    """`load()`, then wait for the site's marks and, where Material navigates in place, for its sitemap.

    Material swaps pages in place only for links in its sitemap, which it fetches after the load event: a click
    before the sitemap has arrived loads the next page in full (once in eight full runs here). Watched from
    Playwright, not the page, whose clock a test may have replaced.
    """
    arrived: list[object] = []
    on_finished = lambda request: _is_sitemap(request) and arrived.append(request)  # noqa: E731
    page.on("requestfinished", on_finished)  # type: ignore[attr-defined]
    try:
        response = load()
        page.wait_for_function(SITE_READY)  # type: ignore[attr-defined]
        # No event is handled between the check and the wait: both run without yielding to Playwright.
        if page.evaluate(INSTANT) and not arrived:  # type: ignore[attr-defined]
            page.wait_for_event("requestfinished", _is_sitemap)  # type: ignore[attr-defined]
    finally:
        page.remove_listener("requestfinished", on_finished)  # type: ignore[attr-defined]
    return response


class RecordingTab:
    """A browser tab that records every request it makes and every console error it logs."""

    def __init__(self, context: object) -> None:
        self.context = context
        self.page = context.new_page()  # type: ignore[attr-defined]
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def problems(self) -> list[str]:
        """Requests that left the site (127.0.0.1) and console errors; empty when all is well."""
        foreign = [u for u in self.requests
                   if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != "127.0.0.1"]
        return [f"request left the site: {u}" for u in foreign] + [f"console error: {e}" for e in self.errors]


def material_search(site: Path, queries: Iterable[str]) -> dict[str, list[list[str]]]:
    """Each query run through the built site's own search worker under Node: query -> result groups.

    A group is one page's results as Material shows them, best group first;
    each is a list of locations in the worker's order (tests/js/material_search.js).
    """
    node = shutil.which("node")
    if not node:
        raise RuntimeError("Node.js is needed to run the site's search code: apt-get install nodejs")
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise RuntimeError(f"expected one search worker in the built site, found {workers}")
    result = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "material_search.js"), str(workers[0]),
         str(site / "search" / "search_index.json"), *queries],
        capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the search worker failed:\n{result.stderr}")
    return json.loads(result.stdout)


def sections_shown(groups: list[list[str]]) -> list[str]:
    """The sections a reader sees, in order: group after group, each group's sections best first.

    Material heads each group with its page (a location without '#') and lists
    the page's matching sections under it; the page headers are left out here.
    Sections that score below a group's best are folded under "N more on this
    page"; they count here in their place, as the list has them.
    """
    return [loc for group in groups for loc in group if loc and "#" in loc]


@dataclass(frozen=True)
class SearchScore:
    """How a query set fared: precision at 1 and at 3, and what was shown where the expected question was not first."""

    queries: int
    at_1: float
    at_3: float
    misses: dict[str, tuple[str, list[str]]]  # query -> (expected location, the first three sections shown)
    # Queries whose results show a notebook page's group above the expected question's group (or without it).
    notebook_first: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{query!r}: expected {expected}, shown {shown}" for query, (expected, shown) in self.misses.items()]
        return "\n".join(lines) or "none"


def search_precision(site: Path, expected_first: Mapping[str, str], project: Path = ROOT) -> SearchScore:
    """Precision at 1 and at 3 of `expected_first` (query -> question id) on the site built from `project`.

    At 1: the first section shown is the question. At 3: the question is among
    the first three sections shown, whatever page they belong to.
    """
    from interview_qa import load  # hooks/ is on sys.path in the tests and the benchmarks
    from interview_qa.search import question_location

    source = load(project / "docs" / "questions.yml")
    unknown = sorted(set(expected_first.values()) - {q.id for q in source.questions})
    if unknown:
        raise ValueError(f"the query set names questions that docs/questions.yml does not have: {unknown}")
    wanted = {query: question_location(source, qid) for query, qid in expected_first.items()}
    ranked = material_search(site, wanted)
    first_three = {query: sections_shown(ranked[query])[:3] for query in wanted}
    at_1 = [q for q in wanted if first_three[q][:1] == [wanted[q]]]
    at_3 = [q for q in wanted if wanted[q] in first_three[q]]
    misses = {q: (wanted[q], first_three[q]) for q in wanted if q not in at_1}
    # A notebook whose page entry alone matched heads a group with no section, so it never shows up in
    # `sections_shown`: the groups' order is compared instead.
    notebook_first = [q for q in wanted if _group_of(ranked[q], "notebooks/") < _group_of(ranked[q], wanted[q])]
    return SearchScore(len(wanted), len(at_1) / len(wanted), len(at_3) / len(wanted), misses, notebook_first)


def _group_of(groups: list[list[str]], location: str) -> int:
    """The place of the first group holding `location` (or, ending in "/", a location under it); len(groups) if none."""
    prefix = location.endswith("/")
    return next((i for i, group in enumerate(groups)
                 if any(loc.startswith(location) if prefix else loc == location for loc in group)), len(groups))


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG 2 contrast ratio of two opaque sRGB colours, each (r, g, b) in 0..255 (more items are ignored)."""
    def luminance(rgb: Sequence[float]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- axe-core --------------------------------------------------------------------------------------------------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme


def axe(page: object) -> list[dict[str, object]]:
    """axe-core's violations on the page as it is now: the WCAG 2.1 A and AA rules plus axe's best practices,
    on the whole document."""
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE} not found: run `npm ci` (make test does) to install axe-core")
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    return page.evaluate(  # type: ignore[attr-defined]
        """async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        })).violations"""
    )


def describe(violations: list[dict[str, object]]) -> list[str]:
    """Each violation in a line: rule, impact, what it asks, and a few of the elements."""
    lines = []
    for v in violations:
        nodes = v["nodes"]  # type: ignore[index]
        targets = ", ".join(str(n["target"]) for n in nodes[:3])  # type: ignore[index]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {len(nodes)} element(s), e.g. {targets}")
    return lines


# --- Practice mode ----------------------------------------------------------------------------------------------

# The quiz on the entry page, and on a topic page. After an instant navigation the URL changes before Material
# swaps the page in, so a bare ".pq-ui" may still match the quiz of the page being left.
ENTRY_QUIZ = "article:has(.pq-topics) .pq-ui"
TOPIC_QUIZ = "article:has(a.pq-all) .pq-ui"


class PracticeTab(RecordingTab):
    """A browser tab on a practice page, recording requests and console errors."""

    def __init__(self, context: object, url: str) -> None:
        super().__init__(context)
        self.url = url

    def open(self, url: str | None = None) -> None:
        """Load the page afresh and wait for its quiz."""
        visit(self.page, url or self.url)
        self.page.locator(".pq-ui").wait_for()

    def current(self) -> str:
        return self.page.locator(".pq-stage > details.pq").get_attribute("id") or ""

    def count(self) -> str:
        return self.page.locator(".pq-count").inner_text()

    def today(self) -> str:
        return self.page.locator(".pq-today").inner_text().strip()

    def status(self) -> str:
        return self.page.locator(".pq-ui [role=status]").inner_text()

    def open_parts(self) -> list[bool]:
        return self.page.eval_on_selector_all(".pq-stage > details.pq > details", "ds => ds.map(d => d.open)")

    def click(self, act: str) -> None:
        # A reader clicks in the tab in front. A tab behind another gets no animation frames, and Playwright
        # waits for two of them before each click (a second or more, where tests use two tabs).
        self.page.bring_to_front()
        self.page.locator(f'.pq-ui [data-act="{act}"]').click()

    def grade(self, name: str) -> None:
        """Show the first part if nothing is shown yet, then grade the question (the quiz moves on)."""
        if not any(self.open_parts()):
            self.click("reveal")
        self.click(name)

    def stored(self) -> list[list[object]]:
        return self.page.evaluate("() => __md_get('practice.v2')?.reviews ?? []")

    def deck(self) -> list[str]:
        """Every question of the session, from the first, by pressing Next (which ends on the summary)."""
        while not self.count().startswith("Question 1 of"):
            self.click("prev")
        total = int(re.match(r"Question 1 of (\d+)", self.count()).group(1))  # type: ignore[union-attr]
        seen = []
        for _ in range(total):
            seen.append(self.current())
            self.click("next")
        return seen

    def check(self) -> None:
        assert not self.problems(), self.problems()


# --- Training and notebooks ------------------------------------------------------------------------------------


def synthetic(n: int, seed: int) -> Split:
    """Images whose class is readable from a few pixels, plus noise: learnable, but easy to overfit when small."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=g)
    images = torch.rand(n, 1, 28, 28, generator=g) * 0.5
    images[torch.arange(n), 0, labels, 0] += 0.5
    return Split(images=images, labels=labels)


TRAIN, VAL = synthetic(512, 1), synthetic(256, 2)
SMALL = TrainConfig(epochs=3, batch_size=64, lr=1e-3)  # a few seconds of training on TRAIN


def make_notebook(path: Path, *sources: str) -> Path:
    """A notebook of code cells at `path`, with the kernel the runner executes it with."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


# --- The site's Markdown ---------------------------------------------------------------------------------------

# Author Markdown rendered with the site's own extensions and settings (mkdocs.yml).
_CONFIG = load_config(str(ROOT / "mkdocs.yml"))
RENDER = markdown_renderer(_CONFIG.markdown_extensions, _CONFIG.mdx_configs)
