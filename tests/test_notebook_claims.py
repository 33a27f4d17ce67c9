"""Each notebook's claims, checked against the numbers it recorded when it ran.

The numbers come from execution (notebooks/results/*.json, which
test_notebooks.py ties to the notebooks' outputs). A claim is a function of
one notebook's results, registered with `@claim(notebook)`: the tests here
check the committed numbers, and the slow re-execution in test_notebooks.py
checks the fresh ones, so the site's statements are shown to hold on the CPU
that runs the tests, not only on the one that ran the notebooks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROOT

Results = dict[str, Any]
Claim = Callable[[Results], None]
CLAIMS: dict[str, list[Claim]] = {}  # notebook stem -> its claims, in file order


def claim(notebook: str) -> Callable[[Claim], Claim]:
    def register(check: Claim) -> Claim:
        CLAIMS.setdefault(notebook, []).append(check)
        return check

    return register


def results(name: str) -> Results:
    return json.loads((ROOT / "notebooks" / "results" / f"{name}.json").read_text(encoding="utf-8"))


@claim("learning-rate-sweep")
def learning_rate_sweep_too_high_ends_worse_and_far_too_high_diverges(r: Results) -> None:
    finished = [v for v in r["val_loss"] if v is not None]
    assert r["best"]["val_loss"] == min(finished)
    assert r["lrs"][0] < r["best"]["lr"] < r["lrs"][-1], "the best learning rate is inside the sweep: a U shape"
    assert r["unstable"]["lr"] > r["best"]["lr"] and r["unstable"]["val_loss"] > 2 * r["best"]["val_loss"]
    assert r["unstable"]["peak_loss"] > r["too_low"]["first_loss"], "too high: the loss climbs above where it started"
    assert r["diverged"]["at_step"] is not None and r["diverged"]["at_step"] <= 10
    assert r["diverged"]["losses"][-1] == "nan" or r["diverged"]["losses"][-1] > 100


@claim("learning-rate-sweep")
def learning_rate_sweep_too_low_barely_moves(r: Results) -> None:
    low = r["too_low"]
    assert abs(low["last_loss"] - low["first_loss"]) < 0.05
    assert low["val_acc"] < 0.2 < 0.7 < r["best"]["val_acc"]


@claim("learning-rate-finder")
def range_test_suggests_the_right_order_of_magnitude(r: Results) -> None:
    test = r["range_test"]
    assert math.isclose(test["suggestion"], test["min_lr"] / 10)
    assert test["diverged_at"] is not None and test["stop_lr"] > test["min_lr"]
    assert abs(math.log10(test["suggestion"] / r["grid_best"]["lr"])) <= 1
    assert r["suggested_run"]["best_val_loss"] < max(r["grid"]["best_val_loss"])


@claim("optimizers")
def adam_learns_fastest_and_gives_each_parameter_its_own_step(r: Results) -> None:
    runs = r["runs"]
    assert runs["adam"]["val_loss_epoch1"] < runs["sgd"]["val_loss_epoch1"]
    assert r["adam_steps"]["spread"] > 100, "effective learning rates spread over orders of magnitude"
    assert r["adam_steps"]["p1"] < r["adam_steps"]["median"] < r["adam_steps"]["p99"]


@claim("training-step")
def backward_without_zero_grad_doubles_the_gradient_exactly(r: Results) -> None:
    assert r["double_backward"] == {"ratio_min": 2.0, "ratio_max": 2.0, "exactly_twice": True}
    assert r["grad_before_backward"] == "None" and r["grad_after_zero_grad"] == "None"
    assert r["backward_changed_weights"] is False
    assert r["chain_rule_max_error"] < 1e-12
    assert r["forgot_zero_grad"]["final_val_acc"] < r["normal"]["final_val_acc"] - 0.3


@claim("training-step")
def an_epoch_is_ceil_n_over_b_steps(r: Results) -> None:
    e = r["epoch"]
    assert e["steps"] == math.ceil(e["train_size"] / e["batch_size"])
    assert e["last_batch"] == e["train_size"] - (e["steps"] - 1) * e["batch_size"]


@claim("activations")
def sigmoid_gradient_vanishes_and_relu_units_die_at_high_learning_rate(r: Results) -> None:
    assert r["grad_norms"]["relu"][0] / r["grad_norms"]["sigmoid"][0] == pytest.approx(r["first_layer_ratio_relu_over_sigmoid"])
    assert r["first_layer_ratio_relu_over_sigmoid"] > 100, "orders of magnitude, not a factor"
    # Sigmoid's gradient shrinks layer by layer towards the input.
    sigmoid = r["grad_norms"]["sigmoid"]
    assert all(a < b for a, b in zip(sigmoid, sigmoid[1:]))
    assert r["best_val_loss"]["sigmoid"] > 2.2 > 1.0 > r["best_val_loss"]["relu"]
    assert r["dead"]["adam_lr_0_03"][0] > 3 * r["dead"]["adam_lr_0_001"][0]


@claim("overfitting")
def overfitting_run_validation_loss_rises_while_training_loss_falls(r: Results) -> None:
    best = r["best_epoch"]
    assert 1 < best < r["epochs"] - 10
    assert r["val_loss"][best - 1] == pytest.approx(r["best"]["val_loss"]) == min(r["val_loss"])
    assert r["val_loss"][-1] > 1.2 * r["val_loss"][best - 1]
    assert r["train_loss"][-1] < r["train_loss"][best - 1] / 2
    assert r["best"]["test_loss"] < r["last"]["test_loss"], "the best checkpoint generalizes better"
    early = r["early_stopping"]
    assert early["stopped_at"] == early["best_epoch"] + early["patience"] and early["best_epoch"] == best


@claim("seeds")
def same_seed_runs_are_identical_and_seeds_differ(r: Results) -> None:
    assert r["same_seed"]["identical_history"] is True and r["same_seed"]["identical_weights"] is True
    assert r["same_seed"]["max_weight_diff"] == 0.0
    assert r["same_seed"]["val_loss"][0] == r["same_seed"]["val_loss"][1]
    assert len(set(r["test_acc"])) > 1 and r["test_acc_std"] > 0
    assert min(r["test_acc"]) <= r["test_acc_mean"] <= max(r["test_acc"])


@claim("batch-size")
def batch_size_steps_noise_and_memory(r: Results) -> None:
    assert r["steps"] == [math.ceil(50_000 / b) for b in r["sizes"]]
    assert -1.2 < r["noise_slope"] < -0.8, "gradient noise falls about as 1/B"
    # Activation memory is linear in the batch size.
    per_sample = [mb / b for mb, b in zip(r["activation_mb"], r["sizes"])]
    assert max(per_sample) / min(per_sample) < 1.01
    assert r["val_acc"][-1] < r["best_val_acc"] - 0.1, "same epochs, far fewer steps: the largest batch lags"
    assert len(r["timing"]["seconds_per_epoch"]) == len(r["sizes"])


@claim("fashion-mnist-data")
def data_format_and_scaling(r: Results) -> None:
    assert r["pixels"] == {"dtype": "uint8", "min": 0, "max": 255, "height": 28, "width": 28}
    assert r["shapes"] == {"sample": [1, 28, 28], "batch": [128, 1, 28, 28], "flat": [128, 784]}
    assert r["counts"]["train_per_class_min"] == r["counts"]["train_per_class_max"] == 6000
    assert r["counts"]["test_per_class"] == 1000
    assert r["sgd"]["raw"]["diverged"] is True and r["sgd"]["raw_diverged_at_step"] is not None
    assert r["sgd"]["standardized"]["val_loss"] < r["sgd"]["unit"]["val_loss"]
    assert r["adam"]["standardized"]["val_loss"] < r["adam"]["raw"]["val_loss"]


@claim("learning-rate-comparison")
def learning_rate_comparison_ships_the_lower_validation_loss(r: Results) -> None:
    runs = r["runs"]
    winner = runs[f"lr={r['winner_lr']:g}"]
    assert all(winner["best_val_loss"] <= run["best_val_loss"] for run in runs.values())


def test_every_notebook_makes_a_checked_claim() -> None:
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert set(CLAIMS) == notebooks


@pytest.mark.parametrize(
    ("notebook", "check"),
    [(nb, check) for nb, checks in CLAIMS.items() for check in checks],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_committed_results_bear_out_the_claim(notebook: str, check: Claim) -> None:
    check(results(notebook))
