"""Spreads over seeds and the decision rule behind every verdict."""

from __future__ import annotations

import statistics

import pytest
from trainlab.stats import PP, paired, percentage_points, spread


def test_spread_gives_the_t_interval_of_the_mean() -> None:
    s = spread([1.0, 2.0, 3.0, 4.0, 5.0])
    assert s.mean == 3.0 and s.std == pytest.approx(statistics.stdev([1, 2, 3, 4, 5]))
    # t(0.975, 4) = 2.776: the interval is mean ± 2.776 * std / sqrt(5).
    assert s.half_width == pytest.approx(2.7764451 * s.std / 5**0.5, rel=1e-6)
    assert (s.low, s.high) == pytest.approx((3 - s.half_width, 3 + s.half_width))
    assert s.record()["seeds"] == 5
    with pytest.raises(ValueError, match="at least two seeds"):
        spread([1.0])
    with pytest.raises(ValueError, match="finite"):
        spread([1.0, float("nan")])


def test_pairing_removes_what_the_seeds_share() -> None:
    # Seeds move both options together; B is always 0.01 worse. Unpaired, the spread of each
    # side (0.03) would swamp a 0.01 difference; paired, the difference is clear.
    shared = [0.30, 0.35, 0.28, 0.33, 0.31]
    a = [v + 0.001 * i for i, v in enumerate(shared)]
    b = [v + 0.01 + 0.001 * ((i * 3) % 5) for i, v in enumerate(shared)]
    p = paired(a, b, metric="best validation loss", names=("A", "B"), lower_is_better=True)
    assert p.better == "A" and p.verdict == "A is better" and p.diff.high < 0
    acc = paired(a, b, metric="accuracy", names=("A", "B"), lower_is_better=False)
    assert acc.better == "B", "for accuracy, higher wins"


def test_an_interval_that_includes_zero_is_no_measurable_difference() -> None:
    p = paired([0.31, 0.33, 0.30], [0.32, 0.31, 0.31], metric="best validation loss", names=("lr=0.001", "lr=0.0005"),
               lower_is_better=True)
    assert p.diff.low < 0 < p.diff.high
    assert p.better is None and p.verdict == "no measurable difference"
    text = p.sentence(lambda v: f"{v:.3f}")
    assert text.startswith("Best validation loss was 0.313 with lr=0.001 and 0.313 with lr=0.0005; seed by seed")
    assert text.endswith("3 seeds), so there is no measurable difference at this budget.")
    acc = paired([0.80, 0.82, 0.81], [0.79, 0.80, 0.80], metric="accuracy", names=("A", "B"), lower_is_better=False)
    assert "averages +1.33 percentage points (95% interval" in acc.sentence(lambda v: f"{v:.1%}", percentage_points, PP)
    assert p.record()["better"] is None and p.record()["seeds"] == 3
    with pytest.raises(ValueError, match="one per seed"):
        paired([1.0, 2.0], [1.0], metric="x", names=("A", "B"), lower_is_better=True)


def test_percentage_points() -> None:
    assert percentage_points(0.0043) == "+0.43"
    assert percentage_points(-0.012, 1) == "-1.2"
