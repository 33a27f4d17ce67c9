"""Each notebook's claims, checked against the numbers it recorded when it ran.

The numbers come from execution (notebooks/results/*.json, which
test_notebooks.py ties to the notebooks' outputs). A claim is a function of
one notebook's results, registered with `@claim(notebook)`: the tests here
check the committed numbers, and the slow re-execution in test_notebooks.py
checks the fresh ones, so the site's statements are shown to hold on the CPU
that runs the tests, not only on the one that ran the notebooks.

A verdict (`trainlab.stats.Paired.record()`) is claimed with `decided`: the
expected winner, or None for "no measurable difference", and a margin. On
another CPU a long run's last bits differ, which moves the numbers about as
much as another seed would; a verdict whose interval barely clears (or barely
straddles) zero could flip there. So a claimed verdict must clear zero by a
quarter of its interval's half-width, or straddle it with a fifth to spare:
then the site's verdicts are the same wherever the notebooks run.
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


def decided(record: Results, expected: str | None) -> None:
    """`record` is a paired comparison whose verdict is `expected`, by a margin another CPU will not erase."""
    half = (record["high"] - record["low"]) / 2
    assert record["low"] <= record["mean"] <= record["high"]
    straddles = record["low"] <= 0 <= record["high"]
    assert (record["better"] is None) == straddles, "the verdict follows the interval"
    assert record["better"] == expected, f"verdict {record['better']!r}, expected {expected!r}"
    if expected is None:
        assert abs(record["mean"]) <= 0.8 * half, f"no difference, but only just: {record}"
    else:
        assert abs(record["mean"]) >= 1.25 * half, f"{expected} wins, but only just: {record}"


def spread_ok(record: Results, seeds: int) -> None:
    assert record["seeds"] >= seeds and record["low"] <= record["mean"] <= record["high"] and record["std"] >= 0


@claim("learning-rate-sweep")
def learning_rate_sweep_has_a_u_shape_too_high_ends_worse_and_far_too_high_diverges(r: Results) -> None:
    assert r["seeds"] >= 3
    finished = [v["mean"] for v in r["val_loss"] if v is not None]
    assert r["best"]["val_loss"]["mean"] == min(finished)
    assert r["lrs"][0] < r["best"]["lr"] < r["lrs"][-1], "the best learning rate is inside the sweep: a U shape"
    decided(r["unstable"]["vs_best"], f"lr={r['best']['lr']:g}")
    assert r["unstable"]["lr"] > r["best"]["lr"]
    assert r["unstable"]["peak_loss"]["mean"] > r["too_low"]["first_loss"]["mean"], "too high: the loss climbs above its start"
    assert all(at is not None and at <= 10 for at in r["diverged"]["at_step"]), "far too high: every seed blows up at once"


@claim("learning-rate-sweep")
def learning_rate_sweep_too_low_barely_moves(r: Results) -> None:
    low = r["too_low"]
    assert abs(low["last_loss"]["mean"] - low["first_loss"]["mean"]) < 0.05
    assert low["val_acc"]["mean"] < 0.25 < 0.7 < r["best"]["val_acc"]["mean"]
    decided(low["vs_best"], f"lr={r['best']['lr']:g}")


@claim("learning-rate-finder")
def range_test_suggests_the_right_order_of_magnitude(r: Results) -> None:
    test = r["range_test"]
    assert r["seeds"] >= 3 and len(test["suggestion"]) == r["seeds"]
    assert all(math.isclose(s, m / 10) for s, m in zip(test["suggestion"], test["min_lr"]))
    assert all(stop > m for stop, m in zip(test["stop_lr"], test["min_lr"]))
    assert abs(math.log10(test["suggestion_geomean"] / r["grid_best"]["lr"])) <= 1
    assert r["grid"]["lrs"][0] < r["grid_best"]["lr"] < r["grid"]["lrs"][-1], "the grid's best is inside the grid"
    # Right order of magnitude, not the best rate: a short grid around it still finds a better one.
    decided(r["suggestion_vs_grid_best"], f"the grid's best ({r['grid_best']['lr']:g})")
    losses = [v for v in r["grid"]["mean_best_val_loss"] if v is not None]
    assert r["suggested_run"]["val_loss"]["mean"] < sum(losses) / len(losses), "better than a typical grid point"


@claim("optimizers")
def each_optimizer_is_tuned_and_adam_wins_at_this_budget(r: Results) -> None:
    assert r["seeds"] >= 3
    for name, grid in r["grid"].items():
        assert grid["lrs"][0] < grid["picked"] < grid["lrs"][-1], f"{name}: the picked rate is inside its grid"
        assert r["runs"][name]["lr"] == grid["picked"]
    for other in ("sgd", "momentum", "rmsprop"):
        decided(r["adam_vs"][other]["val_loss"], "Adam")


@claim("optimizers")
def adam_scale_factors_spread_but_its_steps_stay_near_the_learning_rate(r: Results) -> None:
    f, s = r["adam_factors"], r["adam_steps"]
    assert f["spread"] > 100, "scale factors spread over orders of magnitude"
    assert f["p1"] < f["median"] < f["p99"]
    assert s["p99"] <= 1e-3 and s["share_longer_than_lr"] < 0.01, "steps stay at or below lr = 0.001"


@claim("training-step")
def backward_without_zero_grad_doubles_the_gradient_exactly(r: Results) -> None:
    assert r["double_backward"] == {"ratio_min": 2.0, "ratio_max": 2.0, "exactly_twice": True}
    assert r["grad_before_backward"] == "None" and r["grad_after_zero_grad"] == "None"
    assert r["backward_weight_change"] == 0.0
    assert r["chain_rule_max_error"] < 1e-12
    decided(r["forgot_vs_normal"], "zero_grad() each step")
    assert r["forgot_vs_normal"]["mean"] < -0.3, "forgetting zero_grad costs far more than noise"


@claim("training-step")
def an_epoch_is_ceil_n_over_b_steps(r: Results) -> None:
    e = r["epoch"]
    assert e["steps"] == math.ceil(e["train_size"] / e["batch_size"])
    assert e["last_batch"] == e["train_size"] - (e["steps"] - 1) * e["batch_size"]


@claim("activations")
def sigmoid_gradient_vanishes_he_init_matters_and_tanh_edges_out_relu(r: Results) -> None:
    assert r["seeds"] >= 5
    sigmoid = r["grad_norms"]["sigmoid"]
    assert all(a < b for a, b in zip(sigmoid, sigmoid[1:])), "sigmoid's gradient shrinks layer by layer towards the input"
    assert r["first_layer_ratio_he_over_sigmoid"] > 100, "orders of magnitude, not a factor"
    he, default = r["grad_norms"]["relu_he_init"], r["grad_norms"]["relu_default_init"]
    assert he[0] > 100 * default[0], "with PyTorch's default init the ReLU network's gradients start tiny"
    for name, scores in r["grid_scores"].items():
        finite = [v for v in scores if v is not None]
        if min(finite) < 2.0:  # it trained at some rate: the picked rate must not sit at the grid's edge
            assert r["grid"][0] < r["tuned_lr"][name] < r["grid"][-1], f"{name}: the picked rate is inside the grid"
    assert min(r["grid_scores"]["sigmoid"]) > 2.25, "the deep sigmoid network stays at chance at every rate"
    decided(r["he_vs_tanh"]["val_loss"], "tanh")
    decided(r["he_vs_default"]["val_loss"], "ReLU and He init")
    decided(r["tanh_vs_sigmoid"]["val_loss"], "tanh")
    assert r["val_loss"]["sigmoid"]["mean"] > 2.2


@claim("activations")
def relu_units_die_at_a_too_high_learning_rate(r: Results) -> None:
    dead = r["dead_first_layer"]
    assert min(dead["lr_0_03"]) > 3 * max(dead["lr_0_001"])


@claim("overfitting")
def overfitting_loss_rises_while_accuracy_does_not_fall(r: Results) -> None:
    assert r["seeds"] >= 3
    curves = r["mean_curves"]
    lowest = min(range(len(curves["val_loss"])), key=curves["val_loss"].__getitem__)
    assert 0 < lowest < r["epochs"] - 10, "validation loss bottoms out early"
    assert curves["val_loss"][-1] > 1.2 * curves["val_loss"][lowest]
    assert curves["train_loss"][-1] < curves["train_loss"][lowest] / 2
    assert r["val_acc"]["last"]["mean"] >= r["val_acc"]["at_best"]["mean"] - 0.005, "accuracy does not follow the loss up"
    decided(r["lowest_loss_vs_last"]["loss"], "the lowest-loss checkpoint")
    assert r["early_stopping"]["mean_stopped_after"] < r["epochs"] / 2


@claim("seeds")
def same_seed_runs_are_identical_and_seeds_differ(r: Results) -> None:
    assert r["same_seed"] == {"max_weight_diff": 0.0, "max_history_diff": 0.0}
    assert r["seeds"] >= 5 and r["test_acc"]["std"] > 0 and r["test_acc_range"] > 0
    assert r["detectable"]["n3"]["acc"] > r["detectable"]["n5"]["acc"], "more seeds resolve smaller differences"


@claim("batch-size")
def batch_size_fewer_steps_not_worse_gradients(r: Results) -> None:
    assert r["steps_per_epoch"] == [math.ceil(50_000 / b) for b in r["sizes"]]
    assert -1.2 < r["noise_slope"] < -0.8, "gradient noise falls about as 1/B"
    per_sample = [mb / b for mb, b in zip(r["activation_mb"], r["sizes"])]
    assert max(per_sample) / min(per_sample) < 1.01, "activation memory is linear in the batch size"
    c = r["comparisons"]
    decided(c["equal_epochs"], "batch 128")
    decided(c["equal_steps"], None)
    decided(c["scaled_2048_vs_128"], "batch 128")
    assert c["scaled_2048_vs_128"]["a"] < 0.2, "linear scaling past its limit: the scaled run stays near chance"
    assert len(r["timing"]["seconds_per_epoch_5_seeds"]) == len(r["sizes"])


@claim("fashion-mnist-data")
def data_format(r: Results) -> None:
    assert r["pixels"] == {"dtype": "uint8", "min": 0, "max": 255, "height": 28, "width": 28}
    assert r["shapes"] == {"sample": [1, 28, 28], "batch": [128, 1, 28, 28], "flat": [128, 784]}
    assert r["counts"]["train_per_class_min"] == r["counts"]["train_per_class_max"] == 6000
    assert r["counts"]["test_per_class"] == 1000
    assert r["idx"] == {"images_magic": 2051, "labels_magic": 2049, "images_dims": [60000, 28, 28], "labels_dims": [60000]}
    assert r["reshape_equals_permute"] == {"one_channel": True, "three_channels": False}


@claim("normalization")
def raw_pixels_saturate_the_untrained_network_but_train_at_their_own_learning_rate(r: Results) -> None:
    assert r["raw"]["initial_loss"] > 5 * math.log(10), "raw pixels: saturated logits, a huge initial loss"
    assert abs(r["unit"]["initial_loss"] - math.log(10)) < 0.1 and abs(r["standardized"]["initial_loss"] - math.log(10)) < 0.2
    assert r["raw_gradient_growth"]["min"] > 100, "every layer's gradient grows, not only the first one's"
    assert r["lr_ratio_unit_over_raw"] >= 30, "raw pixels need a far smaller learning rate"
    decided(r["raw_vs_unit"]["val_loss"], None)
    decided(r["standardized_vs_unit"]["val_loss"], None)


@claim("learning-rate-comparison")
def learning_rate_comparison_ships_by_the_decision_rule(r: Results) -> None:
    assert r["seeds"] >= 5 and r["loss"]["seeds"] == r["acc"]["seeds"] == r["seeds"]
    decided(r["loss"], "lr=0.001")
    assert r["ship"] == r["loss"]["better"]
    spread_ok(r["acc"], 5)


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
