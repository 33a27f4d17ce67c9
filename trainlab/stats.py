"""Spreads over seeds, paired comparisons, and the decision rule every verdict on the site follows.

The rule: two options are trained under the same seeds (same initial weights
where the options allow it, same batches in the same order), and the
difference of a metric is taken seed by seed. Its mean gets a 95% interval
from Student's t distribution with n - 1 degrees of freedom. An option is
called better only when that interval excludes zero; otherwise the verdict is
"no measurable difference at this budget", and the choice between the two
rests on something else (cost, steadiness, headroom), said as such.

Pairing matters: seeds shift both options' numbers together, so the
per-seed differences vary much less than either option's numbers do.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy import stats as scipy_stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Spread:
    """One number measured under several seeds."""

    values: tuple[float, ...]

    @property
    def seeds(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)

    @property
    def std(self) -> float:
        """Sample standard deviation (n - 1 in the denominator)."""
        return statistics.stdev(self.values)

    @property
    def half_width(self) -> float:
        """Half the width of the 95% t interval of the mean."""
        t = float(scipy_stats.t.ppf(0.5 + CONFIDENCE / 2, self.seeds - 1))
        return t * self.std / math.sqrt(self.seeds)

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def record(self) -> dict[str, object]:
        return {"mean": self.mean, "std": self.std, "low": self.low, "high": self.high, "seeds": self.seeds,
                "values": list(self.values)}


def spread(values: Sequence[float]) -> Spread:
    values = tuple(float(v) for v in values)
    if len(values) < 2:
        raise ValueError(f"a spread needs at least two seeds, got {len(values)}")
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"a spread needs finite values, got {values}; leave diverged runs out and say so")
    return Spread(values)


@dataclass(frozen=True)
class Paired:
    """Option A against option B on one metric, seed by seed."""

    metric: str  # what was measured, in words: "best validation loss"
    names: tuple[str, str]  # how the prose names A and B: ("lr=0.001", "lr=0.0005")
    a: Spread
    b: Spread
    diff: Spread  # A minus B, per seed
    lower_is_better: bool

    @property
    def better(self) -> str | None:
        """The name of the better option under the decision rule, or None: no measurable difference."""
        if self.diff.low <= 0 <= self.diff.high:
            return None
        a_lower = self.diff.mean < 0
        return self.names[0] if a_lower == self.lower_is_better else self.names[1]

    @property
    def verdict(self) -> str:
        if self.better is None:
            return "no measurable difference"
        return f"{self.better} is better"

    def record(self) -> dict[str, object]:
        return {**self.diff.record(), "a": self.a.mean, "b": self.b.mean, "a_std": self.a.std, "b_std": self.b.std,
                "names": list(self.names), "better": self.better, "verdict": self.verdict}

    def sentence(self, number: Callable[[float], str], difference: Callable[[float], str] | None = None,
                 unit: str = "") -> str:
        """The comparison in one sentence: both means, the paired difference with its interval, the verdict.

        `number` formats a metric value and `difference` a difference (it
        defaults to `number` with a sign); `unit` follows the mean difference,
        e.g. " percentage points" for accuracies.
        """
        difference = difference or (lambda v: ("+" if v > 0 else "") + number(v))
        a_name, b_name = self.names
        verdict = (f"{self.better} is better" if self.better is not None
                   else "there is no measurable difference at this budget")
        return (
            f"{self.metric[0].upper()}{self.metric[1:]} was {number(self.a.mean)} with {a_name} and "
            f"{number(self.b.mean)} with {b_name}; seed by seed the difference averages "
            f"{difference(self.diff.mean)}{unit} (95% interval {difference(self.diff.low)} to "
            f"{difference(self.diff.high)}, {self.diff.seeds} seeds), so {verdict}."
        )


def paired(
    a: Sequence[float],
    b: Sequence[float],
    *,
    metric: str,
    names: tuple[str, str],
    lower_is_better: bool,
) -> Paired:
    """Compare A and B measured under the same seeds, in the same seed order."""
    if len(a) != len(b):
        raise ValueError(f"paired values need one per seed on both sides, got {len(a)} and {len(b)}")
    return Paired(metric, names, spread(a), spread(b), spread([x - y for x, y in zip(a, b)]), lower_is_better)


def percentage_points(value: float, digits: int = 2) -> str:
    """An accuracy difference (a fraction) as signed percentage points, without the unit: 0.0043 -> '+0.43'."""
    return f"{100 * value:+.{digits}f}"


PP = " percentage points"  # the unit after a difference of accuracies
