"""Benchmark: Lighthouse scores of six pages of the built site, mobile preset.

    make lighthouse        (or: python tests/benchmarks/bench_lighthouse.py [--site DIR])

Builds the site (unless --site names a built one), serves it the way a static
host does (gzip, tests/support.py), and runs the npm `lighthouse`
package (pinned in package-lock.json; 12.x runs on Node 20) against Debian's
headless Chromium for the home page, the largest Q&A topic page, the largest
notebook page, and the two interactive pages: the learning-rate playground and
the practice quiz across all topics (which fetches every topic's practice page)
and on one topic. Audits each page three times (--runs) and prints one table:
the median score (0-100) per category, the lowest and highest performance
score, and the goals. A benchmark, not a test: it reports and asserts nothing;
scores move from run to run on a loaded machine, so compare figures from one
run of the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from support import serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3  # audits of each page; the spread shows how much one run can be trusted
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
                   cwd=ROOT, env=env, check=True)


def pages(site: Path) -> dict[str, str]:
    """The pages to audit: label -> path under the site root."""
    notebooks = [p for p in (site / "notebooks").glob("*/index.html")]
    largest = max(notebooks, key=lambda p: p.stat().st_size)
    topic = max((site / "questions").glob("*/index.html"), key=lambda p: p.stat().st_size)
    return {
        "home": "",
        f"largest Q&A topic ({topic.parent.name}, {topic.stat().st_size // 1024} KB)": f"questions/{topic.parent.name}/",
        f"largest notebook ({largest.parent.name}, {largest.stat().st_size // 1024} KB)": f"notebooks/{largest.parent.name}/",
        "learning-rate playground": "playground/",
        "practice, all topics": "practice/",
        "practice, one topic (learning-rate)": "practice/learning-rate/",
    }


def audit(url: str, report: Path) -> dict[str, int]:  # scores per category, plus "transfer" in KB
    """Scores of one page; Lighthouse's default form factor is mobile (emulated phone, slow 4G, 4x CPU slowdown)."""
    flags = "--headless=new --no-sandbox --disable-background-networking --disable-gpu"
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": CHROME}, check=True, timeout=300,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    failed = [a["id"] for a in result["audits"].values() if a.get("score") is not None and a["score"] < 1
              and a.get("scoreDisplayMode") == "binary"]
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    # Bytes transferred by the page load, compressed as served: the first-visit weight.
    scores["transfer"] = round(result["audits"]["total-byte-weight"]["numericValue"] / 1024)
    if failed:
        print(f"  {url}: audits not passed: {', '.join(sorted(failed))}", file=sys.stderr)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"audits of each page (default {RUNS})")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} not found: run `npm ci` first (make lighthouse does)")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        with serve(site) as root:
            # Page after page, then again: a slow minute of the machine does not fall on one page's runs.
            runs: dict[str, list[dict[str, int]]] = {label: [] for label in pages(site)}
            for _ in range(args.runs):
                for label, path in pages(site).items():
                    runs[label].append(audit(root + path, Path(tmp) / "report.json"))
    width = max(len(label) for label in runs)
    print(f"Lighthouse {subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"mobile preset, Debian Chromium; each page audited {args.runs} times: the median, and for performance "
          "the lowest and highest run")
    print(f"| {'page':<{width}} | " + " | ".join(f"{c:>14}" for c in CATEGORIES) + " | first visit |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * 16 for _ in CATEGORIES) + "|-------------|")
    for label, results in runs.items():
        cells = []
        for c in CATEGORIES:
            values = [r[c] for r in results]
            spread = f" ({min(values)}–{max(values)})" if c == "performance" and len(values) > 1 else ""
            cells.append(f"{round(statistics.median(values))}{spread}")
        transfer = round(statistics.median(r["transfer"] for r in results))
        print(f"| {label:<{width}} | " + " | ".join(f"{cell:>14}" for cell in cells) + f" | {transfer:>8} KB |")
    print(f"| {'goal':<{width}} | " + " | ".join(f"{('≥ ' if GOALS[c] < 100 else '') + str(GOALS[c]):>14}" for c in CATEGORIES)
          + " |  ≤ 500 KB |")


if __name__ == "__main__":
    main()
