"""Benchmark: how well the site's search finds the question a candidate means.

    python tests/benchmarks/bench_search.py [SITE_DIR]

Builds the site with `mkdocs build --strict` into a temporary folder, or uses
SITE_DIR if given (a site built from this checkout), runs every query of
tests/search_queries.py through Material's own search worker under Node, and
prints the number of queries, precision at 1 (the first section shown is the
expected question) and at 3 (it is among the first three), the size of
search/search_index.json, each query whose question did not come first, and
where the known misses (KNOWN_MISSES in tests/search_queries.py) land.
The budgets, checked by tests/test_search.py: precision at 1 >= 98%, at 3 = 100%,
index <= 500 KB.

A benchmark, not a test: it reports figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The hook's package is imported the way MkDocs imports it: from hooks/ (for
# support.search_precision), before bytecode is allowed again: a new .pyc in
# hooks/ would make a running `make serve` rebuild.
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))
_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
import interview_qa  # noqa: E402,F401
from page_html.budgets import KB  # noqa: E402
from search_queries import EXPECTED_FIRST, KNOWN_MISSES  # noqa: E402
from support import search_precision  # noqa: E402

sys.dont_write_bytecode = _write_bytecode


def build(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")


def report(site: Path) -> None:
    score = search_precision(site, EXPECTED_FIRST)
    index = site / "search" / "search_index.json"
    print(f"mkdocs-material {version('mkdocs-material')}, its search worker under Node, on {site}\n")
    print("| queries | precision at 1 | precision at 3 | search index |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| {score.queries} | {score.at_1:.1%} | {score.at_3:.1%} | {index.stat().st_size / KB:.1f} KB |")
    print(f"\nA notebook listed above the question ({len(score.notebook_first)}): {', '.join(map(repr, score.notebook_first)) or 'none'}")
    print(f"\nNot first ({len(score.misses)}):")
    for query, (expected, shown) in score.misses.items():
        print(f"- {query!r}: expected {expected}; first three shown: {', '.join(shown) or 'nothing'}")
    known = search_precision(site, KNOWN_MISSES)
    print(f"\nKnown misses, not counted above ({known.queries}; first at {known.at_1:.0%}, in the first three at {known.at_3:.0%}):")
    for query, qid in KNOWN_MISSES.items():
        expected, shown = known.misses.get(query, (qid, ["(now first)"]))
        print(f"- {query!r}: expected {expected}; first three shown: {', '.join(shown) or 'nothing'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site to use instead of building one")
    args = parser.parse_args()
    if args.site:
        report(args.site.resolve())
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        build(Path(tmp) / "site")
        report(Path(tmp) / "site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
