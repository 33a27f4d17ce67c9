"""Execute the notebooks in place, skipping those whose inputs have not changed.

    python -m trainlab.runner              # run stale notebooks (make notebooks)
    python -m trainlab.runner --force      # run them all
    python -m trainlab.runner --check      # only report stale ones; exit 1 if any

A notebook's fingerprint hashes what its outputs depend on: its code cells,
the package's source, the data set's checksum and the torch version. It is
stored in the notebook's metadata after a successful run. A failing cell stops
the run, names the notebook and the cell, and leaves the file untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .data import dataset_checksum
from .results import MIME

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS = NOTEBOOKS / "results"
META_KEY = "trainlab"
# The runner decides when to execute, not what a notebook computes: leaving it
# out means improving it does not force every notebook to run again.
NOT_FINGERPRINTED = {"runner.py"}
CELL_TIMEOUT = 900  # seconds; the slowest cell trains for a few minutes at most
# Each kernel computes on one thread and the runner executes one notebook per core.
# Small models leave a second thread mostly waiting, so two notebooks side by side
# get through about a fifth more work than one on two threads; and the numbers,
# which depend on the thread count, then do not depend on the machine's core count.
THREADS = 1


@dataclass(frozen=True)
class CellFailure(Exception):
    notebook: Path
    cell: int  # 1-based among all cells, as Jupyter shows them
    error: str

    def __str__(self) -> str:
        return f"{_rel(self.notebook)}, cell {self.cell}: {self.error}"


def package_sources() -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(PACKAGE.glob("*.py"))
        if p.name not in NOT_FINGERPRINTED
    }


def fingerprint(nb: nbformat.NotebookNode, *, sources: dict[str, str] | None = None) -> str:
    import torch

    parts = {
        "code_cells": [c.source for c in nb.cells if c.cell_type == "code"],
        "package": sources if sources is not None else package_sources(),
        "dataset": dataset_checksum(),
        "torch": torch.__version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def stored_fingerprint(nb: nbformat.NotebookNode) -> str | None:
    return nb.metadata.get(META_KEY, {}).get("fingerprint")


def machine() -> dict[str, object]:
    """What the numbers depend on besides the fingerprint: the CPU and the kernels torch picks for it.

    The same code, data and seed give the same numbers on the same kind of CPU,
    but another CPU (or SIMD level, or thread count) sums in another order, and
    a long training run amplifies the last-bit differences.
    """
    import torch

    return {
        "cpu": _cpu_model(),
        "simd": torch.backends.cpu.get_cpu_capability(),
        "threads": THREADS,
    }


def stored_machine(nb: nbformat.NotebookNode) -> dict[str, object] | None:
    return nb.metadata.get(META_KEY, {}).get("machine")


def collect_results(nb: nbformat.NotebookNode) -> dict[str, object]:
    """Every `trainlab.results.record` output of the notebook, merged in cell order."""
    merged: dict[str, object] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                merged.update(data[MIME])
    return merged


def error_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Cells whose saved outputs include an error, as "cell N: Name: message"."""
    found = []
    for i, cell in enumerate(nb.cells, 1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {i}: {output.get('ename')}: {output.get('evalue')}")
    return found


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run the notebook from its own folder on THREADS threads; raise CellFailure on the first failing cell."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    threads = str(THREADS)
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        cell = next((i for i, c in enumerate(nb.cells, 1) if _has_error(c)), 0)
        raise CellFailure(path, cell, _describe(exc)) from None
    return nb, time.perf_counter() - start


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def results_path(notebook: Path, results_dir: Path = RESULTS) -> Path:
    return results_dir / f"{notebook.stem}.json"


def jobs() -> int:
    """How many notebooks to execute at once: one per core."""
    return max(1, (os.cpu_count() or 1) // THREADS)


def run(paths: list[Path], *, force: bool = False, results_dir: Path = RESULTS, out=sys.stdout,
        workers: int | None = None) -> int:
    """Execute stale notebooks, `workers` at a time (default: `jobs()`); returns how many ran.

    Raises CellFailure for the first notebook that fails, once the notebooks
    already running have finished; none that was waiting is started.
    """
    import torch

    sources = package_sources()
    todo: list[tuple[str, Path, str]] = []
    for n, path in enumerate(paths, 1):
        prefix = f"[{n}/{len(paths)}] {_rel(path)}"
        nb = nbformat.read(path, as_version=4)
        current = fingerprint(nb, sources=sources)
        if not force and stored_fingerprint(nb) == current:
            print(f"{prefix}: unchanged, skipped", file=out, flush=True)
        else:
            todo.append((prefix, path, current))

    failed = threading.Event()

    def one(prefix: str, path: Path, current: str) -> None:
        if failed.is_set():
            return
        print(f"{prefix}: executing...", file=out, flush=True)
        try:
            executed, seconds = execute(path)
        except CellFailure:
            failed.set()
            raise
        executed.metadata[META_KEY] = {"fingerprint": current, "torch": torch.__version__, "machine": machine()}
        write_atomic(results_path(path, results_dir), json.dumps(collect_results(executed), indent=2, sort_keys=True) + "\n")
        write_atomic(path, nbformat.writes(executed))
        print(f"{prefix}: executed in {seconds:.1f} s", file=out, flush=True)

    with ThreadPoolExecutor(max_workers=workers or jobs()) as pool:
        futures = [pool.submit(one, *job) for job in todo]
        for future in futures:
            future.result()
    return len(todo)


def stale(paths: list[Path]) -> list[Path]:
    sources = package_sources()
    return [p for p in paths if stored_fingerprint(nb := nbformat.read(p, as_version=4)) != fingerprint(nb, sources=sources)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainlab.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--force", action="store_true", help="run even if the fingerprint is unchanged")
    parser.add_argument("--check", action="store_true", help="run nothing; exit 1 if any notebook is stale")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if missing := [p for p in paths if not p.is_file()]:
        print(f"error: no such notebook: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if args.check:
        old = stale(paths)
        for p in old:
            print(f"stale: {_rel(p)} (run `make notebooks`)")
        return 1 if old else 0
    start = time.perf_counter()
    try:
        ran = run(paths, force=args.force)
    except CellFailure as failure:
        print(f"FAILED {failure}\nThe notebook file was left as it was. Fix the cell and run `make notebooks` again.",
              file=sys.stderr)
        return 1
    print(f"{ran} of {len(paths)} notebooks executed in {time.perf_counter() - start:.1f} s")
    return 0


def _describe(exc: Exception) -> str:
    """'Name: message' of a cell's error.

    An exception raised while *displaying* a result (in a `_repr_*_` method)
    reaches nbclient without a name; its traceback's last line still says what
    went wrong.
    """
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename and ename != "NoneType":
        return f"{ename}: {evalue}"
    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
    return lines[-1] if lines else "the cell failed without an error message"


def _cpu_model() -> str:
    # /proc/cpuinfo names the model on Linux; platform.processor() is often empty there.
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _has_error(cell: nbformat.NotebookNode) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
