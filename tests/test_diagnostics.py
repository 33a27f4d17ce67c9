"""The package pieces the new notebooks lean on: step traces, early stopping, the range test, diagnostics."""

from __future__ import annotations

import dataclasses
import io
import math
from pathlib import Path

import pytest
import torch
from support import SMALL, TRAIN, VAL, make_notebook, synthetic
from torch import nn
from trainlab import runner
from trainlab.data import FashionMNIST, map_images, standardize, subset
from trainlab.diagnostics import adam_scale_factors, adam_step_lengths, dead_fraction, gradient_noise, layer_grad_norms, saved_activation_bytes
from trainlab.lr_finder import lr_range_test
from trainlab.models import mlp
from trainlab.results import Table
from trainlab.training import fit, make_optimizer, run, seed_everything, trace_steps


def fresh(seed: int = 0, **kwargs: object) -> nn.Sequential:
    seed_everything(seed)
    return mlp(**kwargs)  # type: ignore[arg-type]


def test_trace_steps_records_every_loss_and_stops_where_the_run_diverges() -> None:
    model = fresh()
    calm = trace_steps(model, make_optimizer("sgd", model.parameters(), 0.01), TRAIN, 20, 64, torch.Generator().manual_seed(0))
    assert calm.diverged_at is None and len(calm.losses) == 20  # 20 steps span more than one 8-step epoch
    model = fresh()
    wild = trace_steps(model, make_optimizer("sgd", model.parameters(), 1e4), TRAIN, 20, 64, torch.Generator().manual_seed(0))
    assert wild.diverged_at == len(wild.losses) < 20
    assert not (math.isfinite(wild.losses[-1]) and wild.losses[-1] <= 100)


def test_a_diverged_run_reports_it_instead_of_crashing() -> None:
    model, history = run(TRAIN, VAL, dataclasses.replace(SMALL, optimizer="sgd", lr=1e6))
    assert history.diverged
    with pytest.raises(ValueError, match="diverged"):
        history.best  # noqa: B018


def test_early_stopping_ends_patience_epochs_after_the_best() -> None:
    tiny = synthetic(64, 3)
    config = dataclasses.replace(SMALL, epochs=60, batch_size=16, lr=3e-3, patience=3)
    model = fresh()
    history = fit(model, tiny, VAL, config)
    assert history.stopped_early
    assert len(history.epochs) == history.best_epoch + 3 < 60


def test_forgetting_zero_grad_changes_the_training() -> None:
    _, normal = run(TRAIN, VAL, dataclasses.replace(SMALL, optimizer="sgd", lr=0.05))
    _, forgot = run(TRAIN, VAL, dataclasses.replace(SMALL, optimizer="sgd", lr=0.05, zero_grad=False))
    assert forgot.final.train_loss != normal.final.train_loss


def test_range_test_raises_lr_geometrically_restores_the_weights_and_suggests_a_tenth() -> None:
    model = fresh()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = lr_range_test(model, TRAIN, start=1e-5, end=1e3, steps=40, batch_size=32)
    ratios = [b / a for a, b in zip(result.lrs, result.lrs[1:])]
    assert max(ratios) == pytest.approx(min(ratios))
    assert result.lrs[0] == pytest.approx(1e-5)
    assert result.diverged_at is not None, "1000 is far too high for Adam"
    assert result.suggestion == pytest.approx(result.min_lr / 10)
    assert result.min_lr == result.lrs[result.smoothed.index(min(result.smoothed))]
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    with pytest.raises(ValueError, match="0 < start < end"):
        lr_range_test(model, TRAIN, start=1.0, end=0.1)


def test_layer_grad_norms_one_per_linear_layer() -> None:
    norms = layer_grad_norms(fresh(hidden=(32, 32, 32)), TRAIN.images[:64], TRAIN.labels[:64])
    assert len(norms) == 4 and all(n > 0 for n in norms)


def test_dead_fraction_counts_units_that_are_zero_for_every_input() -> None:
    model = fresh(hidden=(8,))
    with torch.no_grad():
        model[1].bias[:] = 1e6  # every unit fires for every image...
        model[1].bias[:2] = -1e6  # ...except units 0 and 1, which never can
    assert dead_fraction(model, TRAIN.images) == [pytest.approx(2 / 8)]


def test_adam_scale_factors_leave_out_parameters_without_gradient() -> None:
    model = fresh(hidden=(16,), activation="tanh")  # tanh: no unit passes an exactly-zero gradient
    optimizer = make_optimizer("adam", model.parameters(), 1e-3)
    with pytest.raises(ValueError, match="no step yet"):
        adam_scale_factors(optimizer)
    images = TRAIN.images.clone()
    images[:, :, :, 27] = 0  # the last pixel column is always black: its weights get no gradient
    nn.functional.cross_entropy(model(images), TRAIN.labels).backward()
    optimizer.step()
    sizes = adam_scale_factors(optimizer)
    total = sum(p.numel() for p in model.parameters())
    assert len(sizes) == total - 16 * 28
    assert (sizes > 0).all() and sizes.max() < 1e-3 / 1e-8
    # After one step m_hat = g and v_hat = g^2: every step is lr * |g| / (|g| + eps), just under lr,
    # however widely the scale factors spread.
    steps = adam_step_lengths(optimizer)
    assert len(steps) == len(sizes) and sizes.max() / sizes.min() > 10
    assert (steps <= 1e-3).all() and (steps > 0.5e-3).float().mean() > 0.9


def test_gradient_noise_falls_with_the_batch_size() -> None:
    model = fresh()
    small, large = gradient_noise(model, TRAIN, 8), gradient_noise(model, TRAIN, 128)
    assert small > 4 * large > 0


def test_activation_memory_is_linear_in_the_batch() -> None:
    model = fresh()
    one = saved_activation_bytes(model, TRAIN.images[:1], TRAIN.labels[:1])
    many = saved_activation_bytes(model, TRAIN.images[:100], TRAIN.labels[:100])
    # Per image: input 784 + hidden 256 + 128 + logits 10 float32 values, and its int64
    # label; plus a few bytes per batch (the loss's scalars).
    per_image = (784 + 256 + 128 + 10) * 4 + 8
    assert many - one == 99 * per_image
    assert 0 <= one - per_image < 64


def test_subset_and_standardize_use_training_statistics_only() -> None:
    data = FashionMNIST(train=TRAIN, val=VAL, test=VAL, classes=tuple("abcdefghij"))
    scaled, mean, std = standardize(data)
    assert float(scaled.train.images.mean()) == pytest.approx(0, abs=1e-5)
    assert float(scaled.train.images.std()) == pytest.approx(1, abs=1e-5)
    assert torch.allclose(scaled.val.images, (VAL.images - mean) / std)
    assert torch.equal(map_images(data, lambda x: x * 2).test.labels, VAL.labels)
    part = subset(TRAIN, 10, seed=1)
    assert len(part) == 10 and torch.equal(part.images, subset(TRAIN, 10, seed=1).images)
    with pytest.raises(ValueError, match="between 1 and 512"):
        subset(TRAIN, 513)


def test_table_fills_missing_cells_with_a_dash() -> None:
    table = Table([{"a": 1}, {"a": 2, "b": 3.14159}])._repr_markdown_()
    assert table.splitlines() == ["| a | b |", "|---|---|", "| 1 | – |", "| 2 | 3.142 |"]


def test_an_error_while_displaying_a_result_is_named(tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "display.ipynb", "class Bad:\n    def _repr_markdown_(self):\n        return {}['k']\nBad()")
    with pytest.raises(runner.CellFailure) as info:
        runner.run([nb], results_dir=tmp_path, out=io.StringIO())
    assert "KeyError: 'k'" in str(info.value) and "cell 1" in str(info.value)


def test_activation_stds_one_per_activation_layer_and_he_keeps_the_scale() -> None:
    from trainlab.diagnostics import activation_stds

    x = torch.rand(512, 1, 28, 28)
    torch.manual_seed(0)
    he = activation_stds(mlp((256,) * 8, init="he"), x)
    torch.manual_seed(0)
    default = activation_stds(mlp((256,) * 8), x)
    assert len(he) == len(default) == 8
    assert he[-1] / he[0] > 0.5 and default[-1] / default[0] < 0.2, "PyTorch's default shrinks a deep ReLU net's signal"
