"""Several seeds trained as one batched model: each seed is the run it would be alone."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from support import synthetic
from trainlab.models import mlp
from trainlab.multiseed import clip_members, compare, train_seeds
from trainlab.training import TrainConfig, run

TRAIN, VAL = synthetic(600, 11), synthetic(300, 12)
SEEDS = (0, 1, 2)


@pytest.mark.parametrize(("optimizer", "lr"), [("adam", 1e-3), ("sgd", 0.1), ("momentum", 0.01), ("rmsprop", 1e-3)])
def test_each_seed_in_the_batch_equals_that_seed_trained_alone(optimizer: str, lr: float) -> None:
    config = TrainConfig(epochs=3, batch_size=64, optimizer=optimizer, lr=lr, weight_decay=1e-4)
    batched = train_seeds(TRAIN, VAL, config, SEEDS)
    for i, seed in enumerate(SEEDS):
        model, alone = run(TRAIN, VAL, dataclasses.replace(config, seed=seed))
        together = batched.histories[i]
        assert together.config.seed == seed and together.best_epoch == alone.best_epoch
        for a, b in zip(alone.epochs, together.epochs, strict=True):
            for name in ("train_loss", "train_acc", "val_loss", "val_acc"):
                assert getattr(b, name) == pytest.approx(getattr(a, name), rel=1e-4, abs=1e-6), (seed, a.epoch, name)
        for (name, w), v in zip(model.state_dict().items(), batched.models[i].state_dict().values(), strict=True):
            torch.testing.assert_close(v, w, rtol=1e-4, atol=1e-5, msg=f"seed {seed}, {name}")
    # Different seeds really are different runs.
    assert len({h.final.val_loss for h in batched.histories}) == len(SEEDS)


@pytest.mark.parametrize(
    "options",
    [{"l1": 1e-4}, {"l2": 0.05}, {"clip_norm": 0.3}, {"loss": "mse"}, {"optimizer": "adamw", "weight_decay": 0.1},
     {"schedule": "cosine", "warmup": 4}, {"schedule": "one_cycle", "optimizer": "sgd", "lr": 0.1}],
    ids=str,
)
def test_each_seed_with_penalties_clipping_losses_and_schedules_equals_its_lone_run(options: dict) -> None:
    config = dataclasses.replace(TrainConfig(epochs=2, batch_size=64), **options)
    batched = train_seeds(TRAIN, VAL, config, SEEDS)
    for i, seed in enumerate(SEEDS):
        model, alone = run(TRAIN, VAL, dataclasses.replace(config, seed=seed))
        for a, b in zip(alone.epochs, batched.histories[i].epochs, strict=True):
            assert (b.train_loss, b.val_loss) == pytest.approx((a.train_loss, a.val_loss), rel=1e-4, abs=1e-6), seed
        for w, v in zip(model.state_dict().values(), batched.models[i].state_dict().values(), strict=True):
            torch.testing.assert_close(v, w, rtol=1e-4, atol=1e-5)


def test_clip_members_clips_each_seed_by_its_own_norm() -> None:
    p = torch.zeros(2, 3, requires_grad=True)
    p.grad = torch.tensor([[3.0, 4.0, 0.0], [0.3, 0.4, 0.0]])
    norms = clip_members([p], 1.0)
    assert norms.tolist() == pytest.approx([5.0, 0.5])
    assert p.grad.tolist() == [pytest.approx([0.6, 0.8, 0.0], rel=1e-5), pytest.approx([0.3, 0.4, 0.0])]


def test_a_model_built_with_its_own_init_and_depth_is_batched_too() -> None:
    config = TrainConfig(epochs=2, batch_size=50, optimizer="adam", lr=1e-3)
    build = lambda: mlp((32, 32, 32), "tanh", init="xavier")  # noqa: E731
    batched = train_seeds(TRAIN, VAL, config, (5, 7), build)
    _, alone = run(TRAIN, VAL, dataclasses.replace(config, seed=7), build)
    assert batched.histories[1].final.val_loss == pytest.approx(alone.final.val_loss, rel=1e-4)


def test_a_diverging_seed_leaves_the_others_untouched() -> None:
    def build() -> torch.nn.Module:
        model = mlp((64,))
        if torch.initial_seed() == 1:  # seed 1 starts from weights a thousand times too large
            with torch.no_grad():
                for p in model.parameters():
                    p.mul_(1000)
        return model

    config = TrainConfig(epochs=2, batch_size=64, optimizer="sgd", lr=0.5)
    mixed = train_seeds(TRAIN, VAL, config, (0, 1), build, record_steps=True)
    sane = train_seeds(TRAIN, VAL, config, (0,), build)
    assert mixed.diverged_at[1] is not None and mixed.diverged_at[0] is None
    for a, b in zip(mixed.histories[0].epochs, sane.histories[0].epochs, strict=True):
        assert a.val_loss == pytest.approx(b.val_loss, rel=1e-5) and math.isfinite(a.val_loss)


def test_max_steps_stops_mid_epoch_and_patience_stops_each_seed_on_its_own() -> None:
    steps = train_seeds(TRAIN, VAL, TrainConfig(epochs=10, batch_size=100), (0, 1), max_steps=8, record_steps=True)
    assert steps.step_losses is not None and [len(s) for s in steps.step_losses] == [8, 8]
    assert len(steps.histories[0].epochs) == 2, "8 steps of 6 per epoch: one full epoch and a partial one"
    small = dataclasses.replace(TRAIN, images=TRAIN.images[:40], labels=TRAIN.labels[:40])
    early = train_seeds(small, VAL, TrainConfig(epochs=40, batch_size=8, lr=3e-3, patience=3), (0, 1, 2),
                        lambda: mlp((256, 256)))
    for h in early.histories:
        assert h.stopped_early and len(h.epochs) == h.best_epoch + 3


def test_seeds_must_be_distinct_and_batch_norm_trains_one_seed_at_a_time() -> None:
    with pytest.raises(ValueError, match="distinct seeds"):
        train_seeds(TRAIN, VAL, TrainConfig(epochs=1), (1, 1))
    build = lambda: mlp((32,), norm="batch")  # noqa: E731
    config = TrainConfig(epochs=2, batch_size=64)
    with pytest.raises(ValueError, match="one seed at a time"):
        train_seeds(TRAIN, VAL, config, (0, 1), build, max_steps=3)
    runs = train_seeds(TRAIN, VAL, config, (0, 1), build)
    model, alone = run(TRAIN, VAL, dataclasses.replace(config, seed=1), build)
    assert runs.histories[1].epochs == [dataclasses.replace(e, seconds=a.seconds)
                                        for e, a in zip(alone.epochs, runs.histories[1].epochs)]
    for name, v in model.state_dict().items():
        assert torch.equal(runs.models[1].state_dict()[name], v), name
    assert runs.best("val_loss").seeds == 2


def test_compare_pairs_two_options_seed_by_seed_and_refuses_unpaired_runs() -> None:
    config = TrainConfig(epochs=2, batch_size=64)
    a = train_seeds(TRAIN, VAL, config, (0, 1, 2))
    b = train_seeds(TRAIN, VAL, dataclasses.replace(config, lr=1e-4), (0, 1, 2))
    loss = compare(a, b, "val_loss", ("lr=0.001", "lr=0.0001"))
    assert loss.lower_is_better and loss.metric == "validation loss of the best checkpoint"
    assert list(loss.diff.values) == pytest.approx([x.best.val_loss - y.best.val_loss
                                                    for x, y in zip(a.histories, b.histories)])
    acc = compare(a, b, "val_acc", ("lr=0.001", "lr=0.0001"), at="final")
    assert not acc.lower_is_better and acc.metric == "final validation accuracy"
    with pytest.raises(ValueError, match="same seeds"):
        compare(a, train_seeds(TRAIN, VAL, config, (3, 4, 5)), "val_loss", ("A", "B"))
