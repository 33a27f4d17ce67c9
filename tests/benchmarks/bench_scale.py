"""Benchmark: the site at the scale of a real question bank, and how fast bad input is rejected.

    python tests/benchmarks/bench_scale.py [--sizes 15,150,1000] [--clicks N]

On temporary copies of the project (never the real files), prints as Markdown tables:

- for each size, a source holding that many questions (the real ones and copies
  of them, full answers with math and code, spread over the real topics):
  the time of `mkdocs build` (warnings allowed: large pages go over budget on
  purpose), the largest Q&A and practice pages, all HTML, and how many pages
  the build warned about;
- one topic page with 250 questions in headless Chromium: the time from a
  click on a tab until every tab set shows it and the next frame is drawn,
  over several clicks, against the 100 ms goal;
- each pathological source of tests/test_safety.py: the time until its error,
  against the 1-second goal.

A benchmark, not a test: it reports figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))
_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
from interview_qa import load  # noqa: E402
from support import add_copies, copy_project, serve  # noqa: E402

sys.dont_write_bytecode = _write_bytecode

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SIZES = (15, 150, 1000)
TAB_QUESTIONS = 250
TAB_GOAL_MS = 100
REJECT_GOAL_S = 1.0
CLICKS = 10
WARNING = re.compile(r"^WARNING .*weighs ([\d.]+) KB of HTML, over its", re.MULTILINE)
# One click, then until every set shows the clicked tab and a frame has been drawn.
CLICK = """async (i) => {
    const sets = document.querySelectorAll('.tabbed-set');
    const label = sets[Math.floor(sets.length / 2)].querySelectorAll(':scope > .tabbed-labels > label')[i];
    const start = performance.now();
    label.click();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const took = performance.now() - start;
    const all = [...sets].every(s => s.querySelectorAll(':scope > input')[i].checked);
    return [took, all];
}"""


def build(project: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    return took, result.stderr


def kb(path: Path) -> float:
    return path.stat().st_size / 1024


def bench_sizes(sizes: list[int], tmp: Path) -> None:
    real = len(load(ROOT / "docs" / "questions.yml").questions)
    print("\n## Build time and page weight by number of questions\n")
    print("`python -m mkdocs build` on a copy; copies of the real questions spread over the real topics.\n")
    print("| questions | build | per question beyond the first 15 | largest Q&A page | largest practice page "
          "| all HTML | pages over budget |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = None
    for n in sizes:
        project = copy_project(tmp / f"size-{n}")
        add_copies(project, max(0, n - real))
        took, log = build(project)
        site = project / "site"
        qa = max(kb(p) for p in (site / "questions").glob("*/index.html"))
        practice = max(kb(p) for p in (site / "practice").glob("*/index.html"))
        html = sum(p.stat().st_size for p in site.rglob("*.html")) / 1e6
        base = base if base is not None else (n, took)
        marginal = f"{(took - base[1]) / (n - base[0]) * 1000:.1f} ms" if n > base[0] else "–"
        print(f"| {n:,} | {took:.1f} s | {marginal} | {qa:.0f} KB | {practice:.0f} KB | {html:.1f} MB "
              f"| {len(WARNING.findall(log))} |")


def bench_tabs(clicks: int, tmp: Path) -> None:
    from playwright.sync_api import sync_playwright

    source = load(ROOT / "docs" / "questions.yml")
    topic = source.topics[0]
    project = copy_project(tmp / "tabs")
    add_copies(project, TAB_QUESTIONS - len(source.questions_in(topic.id)), topic=topic.id)
    with serve(project / "site") as url:
        build(project)
        page_kb = kb(project / "site" / "questions" / topic.id / "index.html")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{url}questions/{topic.id}/", wait_until="networkidle")
            page.wait_for_timeout(500)
            page.evaluate(CLICK, 1)  # the first click also lays out what it reveals for the first time
            times, complete = [], True
            for k in range(clicks):
                took, all_switched = page.evaluate(CLICK, k % 2)
                times.append(took)
                complete &= all_switched
            sets = page.locator(".tabbed-set").count()
            browser.close()
    print(f"\n## Linked tab switch on a {TAB_QUESTIONS}-question topic page\n")
    print(f"{sets} tab sets, page {page_kb:.0f} KB; click on a tab in the middle set, until every set shows it "
          f"and the next frame is drawn; {clicks} clicks after a first one.\n")
    print("| median | min | max | goal | every set switched |")
    print("| ---: | ---: | ---: | ---: | --- |")
    print(f"| {statistics.median(times):.0f} ms | {min(times):.0f} ms | {max(times):.0f} ms | ≤ {TAB_GOAL_MS} ms "
          f"| {'yes' if complete else 'NO'} |")


def bench_rejects() -> None:
    import test_safety  # builds its renderer from mkdocs.yml, which reloads the hook's package

    SourceError = test_safety.SourceError  # noqa: N806 - the class its check raises

    print("\n## Pathological sources: time until the error\n")
    print("| source | time | goal | outcome |")
    print("| --- | ---: | ---: | --- |")
    for name, (text, _problem) in test_safety.PATHOLOGICAL.items():
        start = time.perf_counter()
        try:
            test_safety.check(text)
            outcome = "no error (shown as text)"
        except SourceError as exc:
            outcome = exc.problem[:60]
        took = time.perf_counter() - start
        print(f"| {name} | {took * 1000:.0f} ms | {REJECT_GOAL_S * 1000:.0f} ms | {outcome} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of questions, comma-separated")
    parser.add_argument("--clicks", type=int, default=CLICKS, help="tab clicks to time")
    args = parser.parse_args()
    print(f"# Scale benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        bench_sizes([int(s) for s in args.sizes.split(",")], Path(tmp))
        bench_tabs(args.clicks, Path(tmp))
    bench_rejects()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
