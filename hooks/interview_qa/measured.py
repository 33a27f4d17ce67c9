"""Fill each question's `measured` sentence with numbers its demo notebook recorded.

A notebook records its key numbers with `trainlab.results.record`; the notebook
runner writes them to `notebooks/results/<notebook>.json`. A `measured` text
quotes them as `{{ path }}` or `{{ path:format }}`, for example
`{{ runs.adam.best_val_loss:.3f }}`: dots step into mappings, integers index
lists, and the format is Python's format spec. Without a format, true/false
read as yes/no and a list of numbers as [1, 28, 28]. Single braces (LaTeX)
are left alone.

One format is ours: a spec ending in `pp` shows a fraction in percentage
points, i.e. times 100 with the rest of the spec as a float format and no unit
(the author writes "percentage points" after it). `{{ acc_diff.mean:+.2pp }}`
of 0.0043 shows +0.43; a bare `pp` means `.2pp`. A difference or spread of
accuracies is not a percent of anything, so `%` would misread it.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import Question, Source, SourceError

RESULTS_DIR = "notebooks/results"  # relative to the project root
PLACEHOLDER = re.compile(r"\{\{\s*([^{}:\s]+)\s*(?::\s*([^{}]*?))?\s*\}\}")


def results_file(demo: str) -> str:
    """The results file of the notebook a `demo` link points to, relative to the project root."""
    notebook = demo.partition("#")[0]
    stem = posixpath.splitext(posixpath.basename(notebook))[0]
    return f"{RESULTS_DIR}/{stem}.json"


def load_results(source: Source, root: Path) -> dict[str, Mapping[str, Any]]:
    """Every results file the source's questions quote, keyed by its path relative to `root`."""
    loaded: dict[str, Mapping[str, Any]] = {}
    for q in source.questions:
        name = results_file(q.demo)
        if name in loaded:
            continue
        line = q.field_lines.get("measured", q.line)
        try:
            text = (root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            notebook = q.demo.partition("#")[0]
            if not (root / notebook).is_file():
                # A typo in `demo` is not fixed by running notebooks: name the line and the notebooks there are.
                there = sorted(p.relative_to(root).as_posix() for p in (root / posixpath.dirname(notebook)).glob("*.ipynb"))
                close = difflib.get_close_matches(notebook, there, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise SourceError(
                    source.path, q.field_lines.get("demo", q.line), f"`demo` points to {notebook}, which does not exist",
                    f"{hint}notebooks: {', '.join(there) or 'none'}",
                    question_id=q.id,
                ) from None
            raise SourceError(
                source.path, line,
                f"`measured` needs the results of {q.demo.partition('#')[0]}, but {name} does not exist",
                "run `make notebooks` to execute the notebook (it writes the results file), then commit both",
                question_id=q.id,
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                source.path, line,
                f"{name} is not valid JSON ({exc.msg} at its line {exc.lineno})",
                "restore it with `git checkout -- " + name + "` or re-run the notebook with `make notebooks`",
                question_id=q.id,
            ) from None
        if not isinstance(data, dict):
            raise SourceError(
                source.path, line, f"{name} holds a {type(data).__name__}, not a mapping of results",
                "re-run the notebook with `make notebooks --force`; its record(...) call takes a dict",
                question_id=q.id,
            )
        loaded[name] = data
    return loaded


def fill_all(source: Source, results: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Each question's `measured` text with its placeholders replaced, keyed by question id."""
    return {q.id: fill(q, results[results_file(q.demo)], source.path) for q in source.questions}


def fill(q: Question, values: Mapping[str, Any], path: str) -> str:
    line = q.field_lines.get("measured", q.line)
    name = results_file(q.demo)
    # Braces no placeholder consumed were meant as one: `{{ name:,` or `{{ a b }}`.
    blanked = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), q.measured)
    stray = re.search(r"\{\{|\}\}", blanked)
    if stray:
        raise SourceError(
            path, line + q.measured.count("\n", 0, stray.start()),
            f"`measured` has an unclosed or malformed placeholder near '{_near(q.measured, stray.start())}'",
            "write each placeholder as {{ name }} or {{ name:format }}, with both pairs of braces",
            question_id=q.id,
        )
    if not PLACEHOLDER.search(q.measured):
        raise SourceError(
            path, line, "`measured` quotes no recorded number",
            f"quote at least one result from {name} as {{{{ name }}}}, e.g. {{{{ {_example(values)} }}}}; "
            "numbers typed by hand go stale when the notebook is re-run",
            question_id=q.id,
        )

    def replace(match: re.Match[str]) -> str:
        key, spec = match.group(1), match.group(2) or ""
        at = line + q.measured.count("\n", 0, match.start())
        value = _lookup(values, key, lambda problem, fix: SourceError(
            path, at, f"`measured` quotes {{{{ {key} }}}}, but {problem} in {name}", fix, question_id=q.id,
        ))
        if not spec and isinstance(value, bool):
            return "yes" if value else "no"
        if not spec and isinstance(value, list):
            return "[" + ", ".join(map(str, value)) + "]"
        points = spec.endswith("pp")
        try:
            return _percentage_points(value, spec[:-2]) if points else format(value, spec)
        except (ValueError, TypeError) as exc:
            fix = (
                "':...pp' takes a fraction such as 0.0043 and a float spec without its type letter, "
                "e.g. ':.2pp' or ':+.1pp'"
            ) if points else "use a format that fits the value, e.g. ':.3f' or ':.1%' for numbers and none for text"
            raise SourceError(
                path, at, f"`measured` formats {{{{ {key} }}}} (= {value!r}) with ':{spec}', which fails: {exc}",
                fix, question_id=q.id,
            ) from None

    return PLACEHOLDER.sub(replace, q.measured)


def _near(text: str, at: int) -> str:
    return " ".join(text[max(at - 10, 0) : at + 20].split())


def _percentage_points(value: Any, spec: str) -> str:
    """A fraction in percentage points: `spec` is a float format without its `f` ('+.2' -> '+0.43')."""
    # Checked by hand: a string or list times 100 would repeat rather than fail.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"percentage points need a number, not {type(value).__name__}")
    if "." not in spec:
        spec += ".2"  # a bare `pp` (or `+pp`) shows two decimals, like `.2pp`
    try:
        return format(value * 100, spec + "f")
    except ValueError:
        # Name what the author wrote, not the '.2ff' we built from it.
        raise ValueError(f"'{spec}' before 'pp' is not a float format without its type letter") from None


def _lookup(values: Mapping[str, Any], key: str, error: Any) -> Any:
    node: Any = values
    walked: list[str] = []
    for part in key.split("."):
        where = f"'{'.'.join(walked)}'" if walked else "the top level"
        if isinstance(node, Mapping):
            if part not in node:
                close = difflib.get_close_matches(part, [str(k) for k in node], n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise error(f"there is no '{part}' at {where}",
                            f"{hint}names there: {', '.join(sorted(map(str, node)))}")
            node = node[part]
        elif isinstance(node, list):
            if not re.fullmatch(r"-?\d+", part) or not -len(node) <= int(part) < len(node):
                raise error(f"{where} is a list of {len(node)} and '{part}' is not an index into it",
                            f"use an index from 0 to {len(node) - 1}, or -1 for the last")
            node = node[int(part)]
        else:
            raise error(f"{where} is the value {node!r}, which has no '{part}'",
                        f"quote {{{{ {'.'.join(walked)} }}}} itself")
        walked.append(part)
    if node is None:
        raise error("the notebook recorded null for it",
                    "quote a value the notebook always records (a run that diverged records null for its loss)")
    if isinstance(node, list) and all(isinstance(v, (int, float, str)) for v in node):
        return node  # shown whole, e.g. a shape
    if isinstance(node, (Mapping, list)):
        raise error(f"it is a {'mapping' if isinstance(node, Mapping) else 'list'}, not a single value",
                    "quote one of its entries with a dot, e.g. "
                    + (f"'{key}.{next(iter(node))}'" if isinstance(node, Mapping) and node else f"'{key}.0'"))
    return node


def _example(values: Mapping[str, Any]) -> str:
    node: Any = values
    parts = []
    while isinstance(node, Mapping) and node:
        key = sorted(node)[0]
        parts.append(str(key))
        node = node[key]
    return ".".join(parts) or "name"
