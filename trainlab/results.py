"""Numbers a notebook measured, recorded in a form the site and the tests can read.

A notebook calls `record({...})` in a cell. The output shows a table to the
reader and carries the same numbers as JSON under `MIME`; the notebook runner
collects them into `notebooks/results/<notebook>.json` once the whole notebook
has run, so a failed run never leaves half-updated results.

Everything recorded must come out the same when the notebook runs again
(the test suite re-executes every notebook and compares), except what sits
under a key named "timing": wall-clock measurements vary from run to run.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

MIME = "application/vnd.trainlab.results+json"


class Results(dict[str, Any]):
    """A mapping of result names to plain values, shown as a two-column table."""

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        rows = "\n".join(f"| `{key}` | {_fmt(value)} |" for key, value in _flatten(self).items())
        table = f"| recorded result | value |\n|---|---|\n{rows}\n"
        return {"text/markdown": table, "text/plain": json.dumps(self, indent=1), MIME: dict(self)}


def record(values: Mapping[str, Any]) -> Results:
    """Check that `values` is plain JSON (finite floats, no tensors) and return it for display."""
    checked = Results(_plain(values, "results"))
    json.dumps(checked, allow_nan=False)  # raises on NaN/inf, which JSON cannot carry faithfully
    return checked


def _plain(value: Any, where: str) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}; record a finite number or a string such as 'diverged'")
        return float(value)
    if hasattr(value, "item"):  # numpy or torch scalars
        return _plain(value.item(), where)
    raise TypeError(f"{where} is a {type(value).__name__}; record plain numbers, strings, lists or dicts")


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and _is_spread(value):
            flat[name] = _Spread(value)  # one row, not one per statistic: keeps the page light
        elif isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _is_spread(value: Mapping[str, Any]) -> bool:
    """A `trainlab.stats` record: a metric over seeds, or a paired difference."""
    return {"mean", "std", "low", "high", "seeds"} <= value.keys()


class _Spread:
    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record

    def __str__(self) -> str:
        r = self.record
        text = f"{_fmt(r['mean'])} ± {_fmt(r['std'])} (95% interval {_fmt(r['low'])} to {_fmt(r['high'])}, {r['seeds']} seeds)"
        if "verdict" in r:
            text += f"; {' minus '.join(r['names'])}: {r['verdict']}"
        return text


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list) and len(value) > 8:
        return "[" + ", ".join(_fmt(v) for v in value[:4]) + f", … ({len(value)} values)]"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


class Table:
    """Rows of dicts shown as a Markdown table (mkdocs-jupyter renders it as a real <table>)."""

    def __init__(self, rows: list[Mapping[str, Any]], headers: Mapping[str, str] | None = None) -> None:
        self.rows = rows
        # Default columns: every key of every row, in first-seen order.
        self.headers = dict(headers) if headers else {k: k for row in rows for k in row}

    def _repr_markdown_(self) -> str:
        head = "| " + " | ".join(self.headers.values()) + " |"
        rule = "|" + "---|" * len(self.headers)
        # Rows may leave columns out (networks of different depth): those cells show a dash.
        body = ["| " + " | ".join(_fmt(row.get(k, "–")) for k in self.headers) + " |" for row in self.rows]
        return "\n".join([head, rule, *body]) + "\n"
