"""Training code: reproducibility, best-checkpoint selection, batching."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import torch
from trainlab.data import Split
from trainlab.models import mlp
from trainlab.training import TrainConfig, batches, evaluate, fit, run, seed_everything, steps_per_epoch


def synthetic(n: int, seed: int) -> Split:
    """Images whose class is readable from a few pixels, plus noise: learnable, but easy to overfit when small."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=g)
    images = torch.rand(n, 1, 28, 28, generator=g) * 0.5
    images[torch.arange(n), 0, labels, 0] += 0.5
    return Split(images=images, labels=labels)


TRAIN, VAL = synthetic(512, 1), synthetic(256, 2)
SMALL = TrainConfig(epochs=3, batch_size=64, lr=1e-3)


def numbers(config: TrainConfig) -> list[tuple[float, float, float, float]]:
    _, history = run(TRAIN, VAL, config)
    return [(e.train_loss, e.train_acc, e.val_loss, e.val_acc) for e in history.epochs]


def test_same_seed_gives_an_identical_history() -> None:
    assert numbers(SMALL) == numbers(SMALL)


def test_different_seed_gives_a_different_history() -> None:
    assert numbers(SMALL) != numbers(dataclasses.replace(SMALL, seed=1))


def test_fit_keeps_the_best_checkpoint_not_the_last() -> None:
    # Tiny training set, big model, many epochs: validation loss bottoms out early, then rises.
    train = Split(TRAIN.images[:40], TRAIN.labels[:40])
    config = TrainConfig(epochs=40, batch_size=8, lr=3e-3, seed=0)
    seed_everything(0)
    model = mlp((512, 512))
    snapshots: dict[int, dict[str, torch.Tensor]] = {}
    history = fit(model, train, VAL, config, on_epoch=lambda e: snapshots.__setitem__(e.epoch, copy.deepcopy(model.state_dict())))
    val_losses = history.column("val_loss")
    assert history.best_epoch == val_losses.index(min(val_losses)) + 1
    assert history.best_epoch < config.epochs, "the scenario must overfit for this test to mean anything"
    assert history.final.val_loss > history.best.val_loss
    for name, tensor in history.best_state.items():
        assert torch.equal(tensor, snapshots[history.best_epoch][name]), name
    # run() hands back the model with those best weights loaded.
    best_model, best_history = run(train, VAL, config, lambda: mlp((512, 512)))
    assert evaluate(best_model, VAL)[0] == pytest.approx(best_history.best.val_loss, rel=1e-6)


def test_batches_cover_every_sample_once_and_count_ceil_n_over_b() -> None:
    data = synthetic(130, 3)
    got = list(batches(data, 64, torch.Generator().manual_seed(0)))
    assert len(got) == steps_per_epoch(130, 64) == 3
    assert [len(y) for _, y in got] == [64, 64, 2]
    seen = torch.cat([x.flatten(1) for x, _ in got])
    assert sorted(map(tuple, seen.tolist())) == sorted(map(tuple, data.images.flatten(1).tolist()))


def test_unknown_optimizer_and_selection_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        run(TRAIN, VAL, TrainConfig(epochs=1, optimizer="adamw"))
    with pytest.raises(ValueError, match="select must be"):
        fit(mlp(), TRAIN, VAL, TrainConfig(epochs=1, select="loss"))
