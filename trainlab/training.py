"""Training and evaluation on tensors already in memory.

Fashion-MNIST fits in RAM as one float tensor (about 200 MB), so a batch is a
slice of it: no DataLoader workers and no per-sample Python code. On the seed
MLP this is only about 10% faster than a DataLoader (tests/benchmarks); the
point is simplicity and exact reproducibility from one generator.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .data import Split

OPTIMIZERS = ("adam", "sgd", "momentum", "rmsprop")


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 15
    batch_size: int = 128  # samples per optimizer step
    lr: float = 1e-3  # learning rate (step size)
    optimizer: str = "adam"  # one of OPTIMIZERS; "momentum" is SGD with momentum 0.9
    weight_decay: float = 0.0  # L2 penalty coefficient
    seed: int = 0  # initialization and batch order
    select: str = "val_loss"  # which validation number picks the best checkpoint: val_loss or val_acc
    patience: int | None = None  # early stopping: epochs without a better validation score; None = never stop
    zero_grad: bool = True  # False reproduces the bug of never calling optimizer.zero_grad()


@dataclass(frozen=True)
class EpochStats:
    epoch: int  # 1-based
    train_loss: float  # mean cross-entropy over the epoch's batches, as seen while training
    train_acc: float  # fraction correct, 0..1
    val_loss: float
    val_acc: float
    seconds: float  # wall time of the training pass


@dataclass
class History:
    config: TrainConfig
    epochs: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0  # 1-based; 0 until the first epoch ends
    best_state: dict[str, torch.Tensor] = field(default_factory=dict, repr=False)
    stopped_early: bool = False  # True when `patience` ended training before `epochs`

    @property
    def diverged(self) -> bool:
        """No epoch reached a finite validation score (the weights became inf or NaN)."""
        return self.best_epoch == 0

    @property
    def best(self) -> EpochStats:
        if self.diverged:
            raise ValueError("no epoch has a finite validation score: the run diverged (check `history.diverged`)")
        return self.epochs[self.best_epoch - 1]

    @property
    def final(self) -> EpochStats:
        return self.epochs[-1]

    def column(self, name: str) -> list[float]:
        return [getattr(e, name) for e in self.epochs]

    def summary(self) -> dict[str, float | int]:
        """Best and final validation numbers, and the gap between training and validation loss."""
        best, final = self.best, self.final
        return {
            "best_epoch": self.best_epoch,
            "best_val_loss": best.val_loss,
            "best_val_acc": best.val_acc,
            "final_val_loss": final.val_loss,
            "final_val_acc": final.val_acc,
            "final_train_loss": final.train_loss,
            # Positive and growing: the model fits training data it cannot generalize from.
            "final_gap": final.val_loss - final.train_loss,
        }


def seed_everything(seed: int) -> None:
    """Seed every generator a CPU run draws from, so the same seed gives the same numbers."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # CPU kernels are deterministic for a fixed thread count; this makes PyTorch
    # raise instead of silently using a nondeterministic one.
    torch.use_deterministic_algorithms(True)


def make_optimizer(name: str, params: Iterable[nn.Parameter], lr: float, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    # fused=True: one kernel per tensor instead of a Python loop of element-wise ops,
    # the same update rule; on the batched seeds it is a sixth of the step time saved.
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, fused=True)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay, fused=True)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay, fused=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")


def batches(data: Split, batch_size: int, generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Slices of [B, 1, 28, 28] images and [B] labels; shuffled when a generator is given."""
    n = len(data)
    if generator is None:
        for start in range(0, n, batch_size):
            yield data.images[start : start + batch_size], data.labels[start : start + batch_size]
        return
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        yield data.images[idx], data.labels[idx]


def steps_per_epoch(n: int, batch_size: int) -> int:
    return math.ceil(n / batch_size)  # the last, smaller batch is still a step


def train_one_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    data: Split,
    batch_size: int,
    generator: torch.Generator,
    *,
    zero_grad: bool = True,
) -> tuple[float, float]:
    """One pass over `data`; returns (mean loss, accuracy). `zero_grad=False` reproduces the classic bug."""
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    total_loss, correct = 0.0, 0
    for x, y in batches(data, batch_size, generator):
        if zero_grad:
            optimizer.zero_grad()  # backward() adds into .grad; without this, steps mix old gradients in
        logits = model(x)  # [B, 10]
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += int((logits.argmax(1) == y).sum())
    return total_loss / len(data), correct / len(data)


@dataclass(frozen=True)
class StepTrace:
    losses: list[float]  # training loss of each step, up to and including the one that diverged
    diverged_at: int | None  # 1-based step whose loss was not finite or exceeded the limit; None if none did


def trace_steps(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    data: Split,
    steps: int,
    batch_size: int,
    generator: torch.Generator,
    *,
    limit: float = 100.0,
) -> StepTrace:
    """Take `steps` optimizer steps, recording every loss; stop at the first that diverges.

    A loss above `limit` counts as diverged: cross-entropy over 10 classes starts
    near ln 10 = 2.3, so 100 means the weights have blown up, and going on would
    only produce inf and NaN.
    """
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    losses: list[float] = []
    while len(losses) < steps:
        for x, y in batches(data, batch_size, generator):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            value = loss.item()
            losses.append(value)
            if not math.isfinite(value) or value > limit:
                return StepTrace(losses, len(losses))
            loss.backward()
            optimizer.step()
            if len(losses) == steps:
                break
    return StepTrace(losses, None)


@torch.no_grad()
def evaluate(model: nn.Module, data: Split, batch_size: int = 2048) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) on `data`, without touching gradients or dropout."""
    model.eval()
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    total_loss, correct = 0.0, 0
    for x, y in batches(data, batch_size):
        logits = model(x)
        total_loss += loss_fn(logits, y).item()
        correct += int((logits.argmax(1) == y).sum())
    return total_loss / len(data), correct / len(data)


def fit(
    model: nn.Module,
    train: Split,
    val: Split,
    config: TrainConfig,
    *,
    on_epoch: Callable[[EpochStats], None] | None = None,
) -> History:
    """Train for `config.epochs` (fewer with `config.patience`), evaluating on `val` after each epoch.

    The returned history holds the best epoch's weights (by `config.select`),
    not the last epoch's: with a learning rate too high or a model that
    overfits, the last is often not the best.
    """
    if config.select not in ("val_loss", "val_acc"):
        raise ValueError(f"select must be 'val_loss' or 'val_acc', got {config.select!r}")
    optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.weight_decay)
    generator = torch.Generator().manual_seed(config.seed)
    history = History(config=config)
    best_score = math.inf
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        train_loss, train_acc = train_one_epoch(
            model, optimizer, train, config.batch_size, generator, zero_grad=config.zero_grad
        )
        seconds = time.perf_counter() - start
        val_loss, val_acc = evaluate(model, val)
        stats = EpochStats(epoch, train_loss, train_acc, val_loss, val_acc, seconds)
        history.epochs.append(stats)
        score = val_loss if config.select == "val_loss" else -val_acc
        if score < best_score:  # NaN compares False: a diverged epoch is never "best"
            best_score = score
            history.best_epoch = epoch
            history.best_state = copy.deepcopy(model.state_dict())
        if on_epoch is not None:
            on_epoch(stats)
        if config.patience is not None and epoch - history.best_epoch >= config.patience:
            history.stopped_early = epoch < config.epochs
            break
    return history


def run(
    train: Split,
    val: Split,
    config: TrainConfig,
    build: Callable[[], nn.Module] | None = None,
    *,
    on_epoch: Callable[[EpochStats], None] | None = None,
) -> tuple[nn.Module, History]:
    """Seed, build a fresh model (the seed MLP by default), fit it, and load the best checkpoint.

    Seeding before building means two runs with the same config start from the
    same weights: only what the config changes can explain a difference.
    """
    from .models import mlp

    seed_everything(config.seed)
    model = (build or mlp)()
    history = fit(model, train, val, config, on_epoch=on_epoch)
    if not history.diverged:
        model.load_state_dict(history.best_state)
    return model, history
