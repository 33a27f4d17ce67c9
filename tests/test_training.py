"""Training code: reproducibility, best-checkpoint selection, batching."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import torch
from support import SMALL, TRAIN, VAL, synthetic
from trainlab.data import Split
from trainlab.models import mlp
from trainlab.training import (
    TrainConfig,
    batches,
    evaluate,
    fit,
    make_scheduler,
    penalty,
    run,
    sample_losses,
    seed_everything,
    steps_per_epoch,
)




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
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'"):
        run(TRAIN, VAL, TrainConfig(epochs=1, optimizer="adamax"))
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        run(TRAIN, VAL, TrainConfig(epochs=1, loss="hinge"))
    with pytest.raises(ValueError, match="unknown schedule 'linear'"):
        run(TRAIN, VAL, TrainConfig(epochs=1, schedule="linear"))
    with pytest.raises(ValueError, match="own warmup"):
        run(TRAIN, VAL, TrainConfig(epochs=1, schedule="one_cycle", warmup=5))
    with pytest.raises(ValueError, match="unknown select 'loss'"):
        fit(mlp(), TRAIN, VAL, TrainConfig(epochs=1, select="loss"))


def test_an_l2_penalty_in_the_loss_is_weight_decay_for_sgd_but_not_for_adam() -> None:
    sgd = TrainConfig(epochs=2, batch_size=64, optimizer="sgd", lr=0.1)
    decayed, _ = run(TRAIN, VAL, dataclasses.replace(sgd, weight_decay=0.05))
    penalized, _ = run(TRAIN, VAL, dataclasses.replace(sgd, l2=0.05))
    for (name, a), b in zip(decayed.state_dict().items(), penalized.state_dict().values(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6, msg=name)
    adam = TrainConfig(epochs=2, batch_size=64, optimizer="adam", lr=1e-3, weight_decay=0.05)
    coupled, _ = run(TRAIN, VAL, adam)
    decoupled, _ = run(TRAIN, VAL, dataclasses.replace(adam, optimizer="adamw"))
    gap = max(float((a - b).detach().abs().max()) for a, b in zip(coupled.parameters(), decoupled.parameters()))
    assert gap > 1e-3, "Adam's L2 and AdamW's decoupled decay are different updates"


def test_penalty_sums_l1_and_half_l2_per_member_when_stacked() -> None:
    w = torch.tensor([[1.0, -2.0], [3.0, 0.0]])
    assert float(penalty([w], 0.1, 0.0)) == pytest.approx(0.1 * 6)
    assert float(penalty([w], 0.0, 0.2)) == pytest.approx(0.1 * 14)
    assert penalty([w], 0.1, 0.2, members=True).tolist() == pytest.approx([0.3 + 0.5, 0.3 + 0.9])
    assert penalty([w], 0.0, 0.0) == 0.0


def test_mse_is_the_squared_distance_from_softmax_to_one_hot() -> None:
    logits = torch.tensor([[[0.0, 0.0], [10.0, -10.0]]])  # [1, 2, C=2]
    labels = torch.tensor([[0, 1]])
    mse = sample_losses(logits, labels, "mse")
    assert mse.shape == (1, 2)
    assert mse[0, 0] == pytest.approx(0.5) and mse[0, 1] == pytest.approx(2.0, rel=1e-6)
    ce = sample_losses(logits, labels)
    assert ce[0, 0] == pytest.approx(0.6931, rel=1e-4) and ce[0, 1] == pytest.approx(20.0, rel=1e-6)


def learning_rates(config: TrainConfig, steps: int) -> list[float]:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=config.lr)
    scheduler = make_scheduler(config, optimizer, steps)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def test_schedules_shape_the_learning_rate_over_the_run() -> None:
    base = TrainConfig(lr=0.1)
    assert set(learning_rates(base, 100)) == {0.1}
    step = learning_rates(dataclasses.replace(base, schedule="step"), 100)
    assert step[49] == pytest.approx(0.1) and step[50] == pytest.approx(0.01) and step[75] == pytest.approx(0.001)
    cosine = learning_rates(dataclasses.replace(base, schedule="cosine"), 100)
    assert cosine[0] == pytest.approx(0.1) and cosine[50] == pytest.approx(0.05) and cosine[-1] < 1e-3
    assert all(a >= b for a, b in zip(cosine, cosine[1:]))
    cycle = learning_rates(dataclasses.replace(base, schedule="one_cycle"), 100)
    peak = max(range(100), key=cycle.__getitem__)
    assert cycle[0] == pytest.approx(0.1 / 25) and 25 <= peak <= 31 and cycle[peak] == pytest.approx(0.1)
    assert cycle[-1] < 1e-4
    warm = learning_rates(dataclasses.replace(base, schedule="cosine", warmup=10), 110)
    assert warm[0] == pytest.approx(0.001) and warm[5] < warm[9] < 0.1 and warm[10] == pytest.approx(0.1)
    assert warm[60] == pytest.approx(0.05)


def test_clipping_bounds_the_length_of_every_step() -> None:
    config = TrainConfig(epochs=1, batch_size=64, optimizer="sgd", lr=1.0)
    seed_everything(0)
    start = torch.cat([p.detach().flatten() for p in mlp().parameters()])
    moved = {}
    for clip in (None, 0.01):
        model, _ = run(TRAIN, VAL, dataclasses.replace(config, clip_norm=clip))
        moved[clip] = float((torch.cat([p.detach().flatten() for p in model.parameters()]) - start).norm())
    steps = steps_per_epoch(len(TRAIN), 64)
    assert moved[0.01] <= steps * 1.0 * 0.01 * (1 + 1e-4), "each SGD step is at most lr * clip_norm long"
    assert moved[None] > 5 * steps * 0.01, "without clipping the same run moves much further"


def test_a_config_with_an_unknown_option_is_refused_when_it_is_made() -> None:
    # A typo fails where it is written, not minutes later when training starts.
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'; choose one of adam, adamw, sgd, momentum, rmsprop"):
        TrainConfig(optimizer="adamm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown schedule 'cosin'"):
        dataclasses.replace(TrainConfig(), schedule="cosin")  # type: ignore[arg-type]
