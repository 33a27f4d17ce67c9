"""Benchmark: building the site cold and warm, save-to-reload under `mkdocs serve`, and the site's size.

    python tests/benchmarks/bench_build.py [--builds N] [--edits N] [--skip-serve]

Works on a temporary copy of the project (mkdocs.yml, docs/, hooks/,
notebooks/), never on the real files. Prints, as Markdown tables that can be
pasted into a README:

- the time of `mkdocs build --strict` from a clean state (no site, no
  mkdocs-jupyter conversion cache) and again with the cache present, the
  median of a few runs each;
- under `mkdocs serve --livereload` (the README's command) with a topic page
  open in headless Chromium: the time from saving a new question into
  docs/questions.yml until its heading is visible in that page, reloaded by
  live reload alone, split into the phases the server logs, against the
  1-second goal;
- the built site's size by kind of file, and its largest files.

A benchmark, not a test: it reports figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The hook's package is imported the way MkDocs imports it: from hooks/ (for
# support.question_entry), and here, before bytecode is allowed again: a new
# .pyc in hooks/ would make a running `make serve` rebuild.
sys.path.insert(0, str(ROOT / "hooks"))
_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
import interview_qa  # noqa: E402,F401

sys.path.insert(0, str(ROOT / "tests"))
from support import DevServer, ServeError, ServeLog, copy_project, dev_server, question_entry  # noqa: E402

sys.dont_write_bytecode = _write_bytecode

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BUILDS = 3  # per kind of build (cold, warm); the median is reported
EDITS = 5  # saves under mkdocs serve; the median is reported
RELOAD_GOAL = 1.0  # seconds from saving docs/questions.yml to the new question on screen
REBUILD_GOAL = 0.5  # seconds for the rebuild itself, under mkdocs serve (what it keeps from the last build reused)
RELOAD_TIMEOUT = 60.0  # seconds before a save that never shows up is reported as a failure
START_TIMEOUT = 120.0  # seconds for mkdocs serve's first build
TOPIC = "learning-rate"  # the page kept open; the new questions join this topic
# mkdocs-jupyter's default `cache_dir` and the notebook hook's slimmed pages,
# both relative to the working directory of mkdocs.
JUPYTER_CACHE = Path(".cache", "mkdocs-jupyter")
BUILD_CACHES = Path(".cache")
BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")
KINDS = {  # kind of file in the site -> suffixes; the search index is counted on its own
    "HTML": (".html",),
    "CSS": (".css",),
    "JS": (".js",),
    "images": (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico"),
}
SEARCH_INDEX = "search/search_index.json"


class BenchError(Exception):
    """Something the benchmark waited for did not happen; the message says what and shows the log."""


def mkdocs_env() -> dict[str, str]:
    # MkDocs 1.6 prints a long notice about MkDocs 2 on every run otherwise.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def seconds(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def size(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


# --- builds ---------------------------------------------------------------


@dataclass(frozen=True)
class BuildRun:
    wall: float  # seconds, including Python start-up and imports: what a person waits for
    reported: float  # MkDocs's own "Documentation built in" figure


def make_cold(project: Path, site: Path) -> None:
    """Remove everything an earlier build left behind that a later one could reuse."""
    shutil.rmtree(project / BUILD_CACHES, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    for cache in project.glob("hooks/**/__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def build(project: Path, site: Path) -> BuildRun:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=mkdocs_env(), capture_output=True, text=True, timeout=600,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchError(f"mkdocs build failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    match = BUILT_IN.search(result.stderr + result.stdout)
    return BuildRun(wall, float(match.group(1)) if match else float("nan"))


def bench_builds(project: Path, site: Path, runs: int) -> None:
    cold = []
    for _ in range(runs):
        make_cold(project, site)
        cold.append(build(project, site))
    if not any((project / JUPYTER_CACHE).glob("*.json")):
        print(f"note: no {JUPYTER_CACHE} after the build: mkdocs-jupyter's cache seems off, so 'warm' is not warmer")
    # The cache of the last cold run stays: each warm run reuses every converted notebook.
    warm = [build(project, site) for _ in range(runs)]
    print(f"\nBuild: `python -m mkdocs build --strict`, median of {runs} runs each. Wall clock includes Python")
    print("start-up and imports; MkDocs's own figure (\"Documentation built in\") covers the build itself.")
    print("Cold: no site, no mkdocs-jupyter cache (.cache/mkdocs-jupyter), no hooks' __pycache__.\n")
    print("| build | wall clock | MkDocs reports | runs (wall clock, s) |")
    print("| --- | ---: | ---: | --- |")
    for name, results in (("cold", cold), ("warm (notebook cache present)", warm)):
        walls = [r.wall for r in results]
        print(f"| {name} | {statistics.median(walls):.2f} s | "
              f"{statistics.median(r.reported for r in results):.2f} s | {seconds(walls)} |")


# --- mkdocs serve ---------------------------------------------------------


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright, as in tests/conftest.py."""
    if not Path(CHROMIUM).exists():
        raise BenchError(f"{CHROMIUM} not found: install Debian's chromium or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass(frozen=True)
class Reload:
    total: float  # file written -> new heading visible in the open page
    detect: float  # -> "Detected file changes": the file watcher polls every 0.1 s (hooks/dev_server.py)
    debounce: float  # -> "Building documentation...": the server waits 0.05 s for more changes
    rebuild: float  # -> "Reloading browsers": config, hooks and plugins loaded again, full build
    # MkDocs's "Documentation built in" figure, part of rebuild. None when not
    # logged: MkDocs drops a log message it has logged before, so a build time
    # equal to an earlier one to the hundredth of a second never shows up.
    reported: float | None
    browser: float  # -> visible: the live-reload request returns, the page loads and renders


def phase(log: ServeLog, text: str, start: float) -> float:
    hit = log.first(text, start)
    return hit[0] if hit else float("nan")


def measure_reload(server: DevServer, page: object, qid: str) -> Reload:
    source = server.project / "docs" / "questions.yml"
    text = source.read_text(encoding="utf-8") + question_entry(
        server.project, qid, TOPIC, f"How fast does the page show this question ({qid})?"
    )
    heading = page.locator(f"h2#{qid}")  # type: ignore[attr-defined]
    start = time.monotonic()
    source.write_text(text, encoding="utf-8")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        # No reload from here: live reload alone must bring the new question in.
        heading.wait_for(state="visible", timeout=RELOAD_TIMEOUT * 1000)
    except PlaywrightTimeout:
        raise BenchError(
            f"the open page never showed the new question '{qid}' within {RELOAD_TIMEOUT:g} s of saving "
            "docs/questions.yml: live reload did not happen. Server log since the save:\n"
            + "\n".join(line for _, line in server.log.since(start))
        ) from None
    end = time.monotonic()
    # The server logs "Reloading browsers" a moment before the page shows the
    # heading; give the log reader a moment to catch up on the last lines.
    server.wait_until(lambda: server.log.first("Reloading browsers", start) is not None, "the reload in the log", 5)
    detected = phase(server.log, "Detected file changes", start)
    building = phase(server.log, "Building documentation", start)
    reloading = phase(server.log, "Reloading browsers", start)
    built = server.log.first("Documentation built in", start)
    match = BUILT_IN.search(built[1]) if built else None
    return Reload(
        total=end - start, detect=detected - start, debounce=building - detected, rebuild=reloading - building,
        reported=float(match.group(1)) if match else None, browser=end - reloading,
    )


def optional(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def bench_serve(project: Path, tmp: Path, edits: int) -> None:
    path = f"questions/{TOPIC}/"
    reloads = []
    with dev_server(project, tmp) as server, chromium() as browser:
        server.wait_until(lambda: "<h1" in server.get(path), "the first build of mkdocs serve", START_TIMEOUT)
        page = browser.new_page()  # type: ignore[attr-defined]
        # "load", not "networkidle": the live-reload script keeps a request open.
        page.goto(server.url + path, wait_until="load")
        for n in range(1, edits + 1):
            # Let the reloaded page settle and the watcher finish its sweep, so
            # each save starts from an idle server.
            time.sleep(1.5)
            reloads.append(measure_reload(server, page, f"bench-reload-{n}"))
    totals = [r.total for r in reloads]
    median = statistics.median(totals)
    print(f"\nSave to reload: `mkdocs serve --livereload`, /{path} open in headless Chromium; each save appends one")
    print("question to docs/questions.yml; time until its heading is visible, reloaded by live reload alone.")
    print("Phases from the server's log: detect = until \"Detected file changes\" (the watcher polls every 0.1 s),")
    print("debounce = until \"Building documentation...\", rebuild = until \"Reloading browsers\" (MkDocs's own")
    print("\"built in\" figure in brackets; – when it repeats an earlier figure, since MkDocs logs a message")
    print("only once), browser = until the new heading is visible.\n")
    print("| save | save to visible | detect | debounce | rebuild (MkDocs reports) | browser |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for n, r in enumerate(reloads, 1):
        print(f"| {n} | {r.total:.2f} s | {r.detect:.2f} s | {r.debounce:.2f} s | "
              f"{r.rebuild:.2f} s ({optional(r.reported)}) | {r.browser:.2f} s |")
    med = {name: statistics.median(getattr(r, name) for r in reloads)
           for name in ("detect", "debounce", "rebuild", "browser")}
    reported = [r.reported for r in reloads if r.reported is not None]
    print(f"| median | **{median:.2f} s** | {med['detect']:.2f} s | {med['debounce']:.2f} s | "
          f"{med['rebuild']:.2f} s ({optional(statistics.median(reported) if reported else None)}) | "
          f"{med['browser']:.2f} s |")
    verdict = "met" if median < RELOAD_GOAL else f"missed, {median / RELOAD_GOAL:.1f}x the goal"
    print(f"\nsave to reload: median {median:.2f} s (min {min(totals):.2f} s, max {max(totals):.2f} s) "
          f"over {edits} saves; goal < {RELOAD_GOAL:.0f} s: {verdict}")
    rebuild = med["rebuild"]
    verdict = "met" if rebuild <= REBUILD_GOAL else f"missed, {rebuild / REBUILD_GOAL:.1f}x the goal"
    print(f"rebuild under mkdocs serve: median {rebuild:.2f} s; goal ≤ {REBUILD_GOAL} s: {verdict}")


# --- site size ------------------------------------------------------------


def kind_of(rel: str) -> str:
    if rel == SEARCH_INDEX:
        return "search index"
    known = next((kind for kind, suffixes in KINDS.items() if rel.lower().endswith(suffixes)), None)
    # The rest by suffix: notebook downloads and source maps weigh more than the pages.
    return known or f"other: {Path(rel).suffix or Path(rel).name}"


def report_size(site: Path, top: int = 5) -> None:
    files = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    by_kind: dict[str, list[int]] = {kind: [] for kind in (*KINDS, "search index")}
    for rel, n in files.items():
        by_kind.setdefault(kind_of(rel), []).append(n)
    print("\nSite size: the built site (`mkdocs build --strict`), uncompressed bytes on disk.\n")
    print("| kind | files | size |")
    print("| --- | ---: | ---: |")
    # The named kinds first, then the rest, largest first.
    rest = sorted((item for item in by_kind.items() if item[0].startswith("other")), key=lambda item: -sum(item[1]))
    for kind, sizes in [item for item in by_kind.items() if not item[0].startswith("other")] + rest:
        print(f"| {kind} | {len(sizes)} | {size(sum(sizes))} |")
    print(f"| **total** | **{len(files)}** | **{size(sum(files.values()))}** ({sum(files.values()):,} bytes) |")
    print(f"\nLargest {top} files:\n")
    print("| file | size |")
    print("| --- | ---: |")
    for rel, n in sorted(files.items(), key=lambda item: -item[1])[:top]:
        print(f"| {rel} | {size(n)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=int, default=BUILDS, help=f"runs per kind of build (default {BUILDS})")
    parser.add_argument("--edits", type=int, default=EDITS, help=f"saves under mkdocs serve (default {EDITS})")
    parser.add_argument("--skip-serve", action="store_true", help="only the builds and the site size")
    args = parser.parse_args()
    print(f"mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, "
          f"mkdocs-jupyter {version('mkdocs-jupyter')}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; on a temporary copy of the project")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp_name:
        tmp = Path(tmp_name)
        project = copy_project(tmp / "project")
        site = tmp / "site"
        try:
            bench_builds(project, site, args.builds)
            if not args.skip_serve:
                bench_serve(project, tmp, args.edits)
            report_size(site)
        except (BenchError, ServeError) as exc:
            print(f"\nbenchmark stopped: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
