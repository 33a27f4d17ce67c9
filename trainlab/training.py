"""Training and evaluation on tensors already in memory.

Fashion-MNIST fits in RAM as one float tensor (about 200 MB), so a batch is a
slice of it: no DataLoader workers and no per-sample Python code. The point is
simplicity and exact reproducibility from one generator; the speed gained over a
DataLoader is modest (`make benchmark` prints the ratio).
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
import torch
from torch import nn
from torch.optim import lr_scheduler
from torch.optim.lr_scheduler import LRScheduler

from .data import Split
from .models import mlp

Optimizer = Literal["adam", "adamw", "sgd", "momentum", "rmsprop"]
Loss = Literal["cross_entropy", "mse"]
Schedule = Literal["constant", "step", "cosine", "one_cycle"]
Select = Literal["val_loss", "val_acc"]
OPTIMIZERS: tuple[str, ...] = get_args(Optimizer)
LOSSES: tuple[str, ...] = get_args(Loss)
SCHEDULES: tuple[str, ...] = get_args(Schedule)
SELECTS: tuple[str, ...] = get_args(Select)


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 15
    batch_size: int = 128  # samples per optimizer step
    lr: float = 1e-3  # learning rate (step size)
    optimizer: Optimizer = "adam"  # "momentum" is SGD with momentum 0.9
    weight_decay: float = 0.0  # the optimizer's own: added to the gradient (L2), or decoupled for "adamw"
    loss: Loss = "cross_entropy"  # the training objective; validation is always cross-entropy
    l1: float = 0.0  # adds l1 * sum |w| to the training loss (every parameter)
    l2: float = 0.0  # adds l2 / 2 * sum w^2: gradient l2 * w, the same as weight_decay=l2 adds
    clip_norm: float | None = None  # rescale the gradient to at most this global L2 norm before each step
    schedule: Schedule = "constant"  # the learning rate over the run, stepped every optimizer step
    warmup: int = 0  # optimizer steps of linear warmup from lr / 100 up to lr, before the schedule
    seed: int = 0  # initialization and batch order
    select: Select = "val_loss"  # which validation number picks the best checkpoint
    patience: int | None = None  # early stopping: epochs without a better validation score; None = never stop
    zero_grad: bool = True  # False reproduces the bug of never calling optimizer.zero_grad()

    def __post_init__(self) -> None:
        # Python does not check a Literal: a typo would otherwise surface only when training starts.
        check_config(self)


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
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, fused=True)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay, fused=True)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay, fused=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")


def check_config(config: TrainConfig) -> None:
    """Refuse settings the loops would otherwise misread (a typo in a name must not train something else)."""
    for name, value, allowed in (("optimizer", config.optimizer, OPTIMIZERS), ("loss", config.loss, LOSSES),
                                 ("schedule", config.schedule, SCHEDULES), ("select", config.select, SELECTS)):
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")
    if config.schedule == "one_cycle" and config.warmup:
        raise ValueError("one_cycle has its own warmup (the first 30% of steps); leave warmup at 0")


def make_scheduler(config: TrainConfig, optimizer: torch.optim.Optimizer, total_steps: int) -> LRScheduler:
    """The learning rate of every step of a `total_steps` run, as torch's schedulers compute it.

    step: divided by 10 after half and again after three quarters of the steps;
    cosine: from lr down to 0 along half a cosine; one_cycle: up from lr / 25
    over the first 30% of steps, then down to almost 0 (OneCycleLR's defaults,
    without its momentum cycling so that only the learning rate differs).
    `warmup` steps ramp linearly from lr / 100 before any of these.
    """
    main_steps = max(total_steps - config.warmup, 1)
    if config.schedule == "one_cycle":
        return lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=total_steps, cycle_momentum=False)
    if config.schedule == "step":
        main: LRScheduler = lr_scheduler.MultiStepLR(optimizer, [main_steps // 2, main_steps * 3 // 4], gamma=0.1)
    elif config.schedule == "cosine":
        main = lr_scheduler.CosineAnnealingLR(optimizer, T_max=main_steps)
    else:
        main = lr_scheduler.ConstantLR(optimizer, factor=1.0)
    if not config.warmup:
        return main
    ramp = lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=config.warmup)
    return lr_scheduler.SequentialLR(optimizer, [ramp, main], milestones=[config.warmup])


def sample_losses(logits: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy") -> torch.Tensor:
    """The loss of each sample: logits [..., C] and labels [...] give [...].

    "mse" is the squared distance between the softmax probabilities and the
    one-hot label, summed over classes: the textbook "MSE for classification".
    """
    flat = logits.reshape(-1, logits.shape[-1])
    if loss == "mse":
        target = nn.functional.one_hot(y.reshape(-1), flat.shape[-1]).to(flat.dtype)
        per_sample = ((flat.softmax(dim=-1) - target) ** 2).sum(dim=-1)
    else:
        per_sample = nn.functional.cross_entropy(flat, y.reshape(-1), reduction="none")
    return per_sample.reshape(y.shape)


def penalty(params: Iterable[torch.Tensor], l1: float, l2: float, *, members: bool = False) -> torch.Tensor | float:
    """l1 * sum |w| + l2 / 2 * sum w^2 over `params`; with `members`, one sum per leading index (stacked seeds)."""
    if not (l1 or l2):
        return 0.0
    total: torch.Tensor | float = 0.0
    for p in params:
        flat = p.flatten(1) if members else p.flatten()
        if l1:
            total = total + l1 * flat.abs().sum(dim=-1)
        if l2:
            total = total + l2 / 2 * (flat**2).sum(dim=-1)
    return total


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
    config: TrainConfig | None = None,
    scheduler: LRScheduler | None = None,
) -> tuple[float, float]:
    """One pass over `data`; returns (mean loss, accuracy). `zero_grad=False` reproduces the classic bug.

    `config` brings its loss, penalties and clipping; `scheduler` is stepped after every optimizer step.
    The loss reported is the data term alone, comparable between runs with and without a penalty.
    """
    config = config or TrainConfig()
    model.train()
    total_loss, correct = 0.0, 0
    for x, y in batches(data, batch_size, generator):
        if zero_grad:
            optimizer.zero_grad()  # backward() adds into .grad; without this, steps mix old gradients in
        logits = model(x)  # [B, 10]
        loss = sample_losses(logits, y, config.loss).mean()
        (loss + penalty(model.parameters(), config.l1, config.l2)).backward()
        if config.clip_norm is not None:
            nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
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
    losses: list[float] = []
    for value in step_losses(model, optimizer, data, steps, batch_size, generator):
        losses.append(value)
        if not math.isfinite(value) or value > limit:
            return StepTrace(losses, len(losses))
    return StepTrace(losses, None)


def step_losses(
    model: nn.Module, optimizer: torch.optim.Optimizer, data: Split, steps: int, batch_size: int, generator: torch.Generator,
) -> Iterator[float]:
    """Up to `steps` training steps on batches drawn by `generator`, yielding each batch's loss before its step.

    The caller sees a loss before the weights move: to stop there, it leaves
    the loop, and that step is never taken; to change the learning rate of
    that step, it sets it before asking for the next loss.
    """
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    taken = 0
    while taken < steps:
        for x, y in batches(data, batch_size, generator):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            yield loss.item()
            loss.backward()
            optimizer.step()
            taken += 1
            if taken == steps:
                return


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
    check_config(config)
    optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.weight_decay)
    scheduler = make_scheduler(config, optimizer, config.epochs * steps_per_epoch(len(train), config.batch_size))
    generator = torch.Generator().manual_seed(config.seed)
    history = History(config=config)
    best_score = math.inf
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        train_loss, train_acc = train_one_epoch(
            model, optimizer, train, config.batch_size, generator, zero_grad=config.zero_grad, config=config,
            scheduler=scheduler,
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
    seed_everything(config.seed)
    model = (build or mlp)()
    history = fit(model, train, val, config, on_epoch=on_epoch)
    if not history.diverged:
        model.load_state_dict(history.best_state)
    return model, history
