"""The notebook runner, and the committed notebooks: fresh, error-free, reproducible."""

from __future__ import annotations

import io
import json
import math
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from support import make_notebook
from interview_qa.measured import RESULTS_DIR, results_file
from test_notebook_claims import CLAIMS
from trainlab import runner

COMMITTED = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMING = "timing"  # see trainlab.results


def seconds_it_ran(notebook: Path) -> float:
    """How long the committed run's cells took, from the timestamps Jupyter recorded on each."""
    total = 0.0
    for cell in nbformat.read(notebook, as_version=4).cells:
        if stamps := cell.get("metadata", {}).get("execution"):
            start, end = (datetime.fromisoformat(stamps[k]) for k in ("iopub.execute_input", "shell.execute_reply"))
            total += (end - start).total_seconds()
    return total


# Longest first: the workers of `make test` take the re-runs in this order, and the last to start should be short,
# or one worker finishes a minute-long notebook alone at the end (34 s of a fresh-clone run here).
LONGEST_FIRST = sorted(COMMITTED, key=seconds_it_ran, reverse=True)


def test_runner_executes_then_skips_an_unchanged_notebook(tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "demo.ipynb", "x = 6 * 7\nx", "from trainlab.results import record\nrecord({'answer': x})")
    out = io.StringIO()
    assert runner.run([nb], results_dir=tmp_path / "results", out=out) == 1
    executed = nbformat.read(nb, as_version=4)
    assert executed.cells[0].outputs[0]["data"]["text/plain"] == "42"
    assert json.loads((tmp_path / "results" / "demo.json").read_text()) == {"answer": 42}
    assert runner.stored_fingerprint(executed) == runner.fingerprint(executed)
    before = nb.read_bytes()
    assert runner.run([nb], results_dir=tmp_path / "results", out=out) == 0
    assert nb.read_bytes() == before
    assert "demo.ipynb: unchanged, skipped" in out.getvalue()


def test_fingerprint_follows_code_not_prose(tmp_path: Path) -> None:
    nb = nbformat.read(make_notebook(tmp_path / "a.ipynb", "1 + 1"), as_version=4)
    original = runner.fingerprint(nb)
    nb.cells.append(nbformat.v4.new_markdown_cell("Some explanation."))
    assert runner.fingerprint(nb) == original, "editing the narrative must not force a re-run"
    nb.cells[0].source = "1 + 2"
    assert runner.fingerprint(nb) != original
    assert runner.fingerprint(nb, sources={"training.py": "changed"}) != runner.fingerprint(nb)


def test_failing_cell_stops_names_the_cell_and_leaves_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = make_notebook(tmp_path / "broken.ipynb", "a = 1", "a / 0", "never = True")
    before = nb.read_bytes()
    assert runner.main([str(nb)]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "broken.ipynb, cell 2: ZeroDivisionError: division by zero" in err
    assert "left as it was" in err
    assert nb.read_bytes() == before
    assert not list(tmp_path.glob(".broken*")), "no temporary file left behind"


@pytest.mark.parametrize("notebook", COMMITTED, ids=lambda p: p.name)
def test_committed_notebook_is_fresh_and_error_free(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    assert runner.stored_fingerprint(nb) == runner.fingerprint(nb), (
        f"{notebook.relative_to(ROOT)} is stale: its code or the trainlab package changed since it ran. "
        "Run `make notebooks` and commit the result."
    )
    assert not runner.error_outputs(nb), f"{notebook.name} has error outputs: {runner.error_outputs(nb)}"
    committed = json.loads(runner.results_path(notebook).read_text(encoding="utf-8"))
    assert committed == runner.collect_results(nb), "results file and notebook outputs disagree"


def differences(a: object, b: object, leaf: Callable[[object, object], bool], path: str = "") -> list[str]:
    """Where two result trees differ: other keys or lengths, or leaves that `leaf` calls different."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        # Wall-clock times are recorded under "timing" and differ on every run.
        return [d for k in a if k != TIMING for d in differences(a[k], b[k], leaf, f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, leaf, f"{path}[{i}]")]
    return [] if leaf(a, b) else [f"{path}: {a!r} != {b!r}"]


def close(a: object, b: object) -> bool:
    """The same run on the same kind of CPU: numbers within 0.1%, everything else equal."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-6)
    return a == b


def same_kind(a: object, b: object) -> bool:
    """Structure only: a number where there was a number, a string where there was a string."""
    def kind(v: object) -> str:
        return "number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__

    return kind(a) == kind(b)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", LONGEST_FIRST, ids=lambda p: p.name)
def test_notebook_reproduces_its_committed_numbers(notebook: Path, tmp_path: Path) -> None:
    """Run again from scratch: the same numbers on the same kind of CPU, the same claims on any.

    Another CPU picks other kernels that sum in another order; over thousands
    of training steps the last-bit differences grow into different accuracies
    in the third digit, so there only the structure and the claims can be held.
    One notebook per test, on the runner's thread count as under `make notebooks`:
    `make test` spreads them over its workers with the rest of the suite.
    """
    copy = Path(shutil.copy(notebook, tmp_path / notebook.name))
    runner.run([copy], force=True, results_dir=tmp_path, out=io.StringIO(), workers=1)
    fresh = json.loads((tmp_path / f"{notebook.stem}.json").read_text(encoding="utf-8"))
    committed = json.loads(runner.results_path(notebook).read_text(encoding="utf-8"))
    ran_on = runner.stored_machine(nbformat.read(notebook, as_version=4))
    leaf = close if ran_on == runner.machine() else same_kind
    assert not (found := differences(fresh, committed, leaf)), found
    for check in CLAIMS[notebook.stem]:
        check(fresh)


def test_notebooks_run_side_by_side_each_on_its_own_thread_count(tmp_path: Path) -> None:
    cell = ("import os, torch\nfrom trainlab.results import record\n"
            "record({'threads': torch.get_num_threads(), 'pid': os.getpid()})")
    paths = [make_notebook(tmp_path / f"n{i}.ipynb", cell) for i in range(3)]
    assert runner.run(paths, results_dir=tmp_path / "results", out=io.StringIO(), workers=2) == 3
    recorded = [json.loads((tmp_path / "results" / f"n{i}.json").read_text()) for i in range(3)]
    assert {r["threads"] for r in recorded} == {runner.THREADS}, "the thread count is the runner's, not the machine's"
    assert len({r["pid"] for r in recorded}) == 3, "a kernel of its own per notebook"
    assert nbformat.read(paths[0], as_version=4).metadata[runner.META_KEY]["machine"]["threads"] == runner.THREADS


def test_a_failure_starts_no_waiting_notebook(tmp_path: Path) -> None:
    broken = make_notebook(tmp_path / "a.ipynb", "1 / 0")
    waiting = make_notebook(tmp_path / "b.ipynb", "x = 1")
    before = waiting.read_bytes()
    with pytest.raises(runner.CellFailure, match="a.ipynb, cell 1: ZeroDivisionError"):
        runner.run([broken, waiting], results_dir=tmp_path / "results", out=io.StringIO(), workers=1)
    assert waiting.read_bytes() == before and not (tmp_path / "results" / "b.json").exists()


def test_the_runner_writes_results_where_the_hooks_read_them() -> None:
    # The two halves of the project meet in this folder: trainlab.runner writes a notebook's numbers, the
    # Q&A hook fills them into the answers. One name, or answers would quote nothing.
    assert runner.RESULTS == ROOT / RESULTS_DIR
    notebook = ROOT / "notebooks" / "optimizers.ipynb"
    assert runner.results_path(notebook) == ROOT / results_file("notebooks/optimizers.ipynb#adam")
