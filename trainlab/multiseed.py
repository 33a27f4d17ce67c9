"""Train one configuration under several seeds at once, as one batched model.

One seed is an anecdote: on Fashion-MNIST two seeds of the same setting differ
by a few tenths of a percentage point, as much as many settings differ from
each other. So every comparison on the site trains each option under several
seeds. Doing that one run after another multiplies the cost; here the K
copies are stacked along a new leading dimension and trained together:
`torch.func.functional_call` under `vmap` runs every copy's forward pass as one
batched operation, and one optimizer steps the stacked weights.

Each member is exactly the run `training.run` would make with its seed:
- its initial weights are built after `seed_everything(seed)`, as `run` does;
- its batches come from its own `torch.Generator(seed)`, in the order
  `training.batches` would draw them, so two configurations trained with the
  same seeds see the same data in the same order (a paired comparison);
- the loss is the sum of the members' mean losses, so each member's gradient is
  its own; SGD, momentum, RMSProp and Adam act element by element, so stepping
  the stacked tensor steps every member as its own optimizer would.
Only the order of floating-point sums differs (batched matrix products), so a
member matches its lone run to float tolerance, not bit for bit
(tests/test_multiseed.py).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import torch
from torch import nn
from torch.func import functional_call, vmap

from .data import Split
from .models import mlp
from .stats import Paired, Spread, paired, spread
from .training import (
    EpochStats,
    History,
    TrainConfig,
    check_config,
    fit,
    make_optimizer,
    make_scheduler,
    penalty,
    sample_losses,
    seed_everything,
    steps_per_epoch,
)

SEEDS = (0, 1, 2, 3, 4)  # five seeds: enough for an interval when differences are small
EVAL_BATCH = 2048


@dataclass
class SeedRuns:
    """One configuration trained under several seeds: a `History` and a model per seed."""

    config: TrainConfig  # shared settings; each history's config carries its own seed
    seeds: tuple[int, ...]
    histories: list[History]
    models: list[nn.Module]  # each with its best checkpoint loaded (its last weights if it diverged)
    final_states: list[dict[str, torch.Tensor]] = field(repr=False)  # each seed's weights after its last epoch
    step_losses: list[list[float]] | None = field(default=None, repr=False)  # per seed, when recorded
    diverged_at: list[int | None] | None = None  # per seed: first step whose loss passed the limit or was not finite

    def values(self, get: Callable[[History], float]) -> list[float]:
        return [get(h) for h in self.histories]

    def best(self, metric: str) -> Spread:
        """`metric` ('val_loss', 'val_acc', ...) at each seed's best epoch, over the seeds."""
        return spread(self.values(lambda h: getattr(h.best, metric)))

    def final(self, metric: str) -> Spread:
        return spread(self.values(lambda h: getattr(h.final, metric)))

    @property
    def any_diverged(self) -> bool:
        return any(h.diverged for h in self.histories)


def train_seeds(
    train: Split,
    val: Split,
    config: TrainConfig,
    seeds: Sequence[int] = SEEDS,
    build: Callable[[], nn.Module] | None = None,
    *,
    max_steps: int | None = None,
    record_steps: bool = False,
    limit: float = 100.0,
) -> SeedRuns:
    """Train `config` once per seed, all seeds in one batched model; evaluate on `val` after every epoch.

    `max_steps` ends training after that many optimizer steps (the last epoch
    may then be partial), for comparisons at an equal number of steps.
    `record_steps` keeps every step's training loss per seed. A seed whose loss
    passes `limit` or stops being finite is marked in `diverged_at`; the others
    go on unaffected, since no member's numbers enter another's; once every
    seed has diverged, training stops. A model with buffers (batch norm) is
    trained one seed after another instead, with the same result type.
    """
    check_config(config)
    seeds = tuple(seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"need distinct seeds, got {seeds}")
    models = []
    for seed in seeds:
        seed_everything(seed)
        models.append((build or mlp)())
    if any(True for _ in models[0].buffers()):
        # Running statistics (batch norm) are updated in place, which vmap cannot batch.
        if max_steps is not None or record_steps:
            raise ValueError("a model with buffers (batch norm) trains one seed at a time: max_steps and "
                             "record_steps need the batched path")
        return _one_at_a_time(train, val, config, seeds, build or mlp)
    names = [name for name, _ in models[0].named_parameters()]
    params = {
        name: torch.stack([dict(m.named_parameters())[name].detach() for m in models]).requires_grad_()
        for name in names
    }
    template = copy.deepcopy(models[0]).to("meta")

    def forward(p: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        return functional_call(template, p, (x,))

    # Dropout masks may differ per member; that is what separate runs would draw.
    per_member = vmap(forward, in_dims=(0, 0), randomness="different")
    shared_input = vmap(forward, in_dims=(0, None), randomness="different")

    k = len(seeds)
    optimizer = make_optimizer(config.optimizer, params.values(), config.lr, config.weight_decay)
    total_steps = config.epochs * steps_per_epoch(len(train), config.batch_size)
    scheduler = make_scheduler(config, optimizer, min(total_steps, max_steps or total_steps))
    generators = [torch.Generator().manual_seed(s) for s in seeds]
    histories = [History(config=replace(config, seed=s)) for s in seeds]
    best_scores = [math.inf] * k
    active = [True] * k  # False once early stopping has ended that seed's run
    steps_taken = 0
    losses: list[torch.Tensor] = []
    diverged_at: list[int | None] = [None] * k
    n = len(train)
    for epoch in range(1, config.epochs + 1):
        template.train()
        start = time.perf_counter()
        orders = torch.stack([torch.randperm(n, generator=g) for g in generators])  # [K, N]
        total_loss = torch.zeros(k, dtype=torch.float64)
        correct = torch.zeros(k, dtype=torch.int64)
        seen = 0
        for begin in range(0, n, config.batch_size):
            if max_steps is not None and steps_taken >= max_steps:
                break
            idx = orders[:, begin : begin + config.batch_size]  # [K, B]
            x, y = train.images[idx], train.labels[idx]  # [K, B, 1, 28, 28], [K, B]
            if config.zero_grad:
                optimizer.zero_grad()
            logits = per_member(params, x)  # [K, B, 10]
            loss = sample_losses(logits, y, config.loss).mean(dim=1)  # [K]
            (loss + penalty(params.values(), config.l1, config.l2, members=True)).sum().backward()
            if config.clip_norm is not None:
                clip_members(params.values(), config.clip_norm)
            optimizer.step()
            scheduler.step()
            steps_taken += 1
            detached = loss.detach()
            if record_steps:
                losses.append(detached)
            for m in torch.nonzero(~torch.isfinite(detached) | (detached > limit)).flatten().tolist():
                if diverged_at[m] is None:
                    diverged_at[m] = steps_taken
            if None not in diverged_at:
                break  # every seed has blown up: more steps would only compute inf and NaN
            total_loss += detached.double() * y.shape[1]
            correct += (logits.detach().argmax(dim=2) == y).sum(dim=1)
            seen += y.shape[1]
        seconds = time.perf_counter() - start
        val_loss, val_acc = _evaluate(shared_input, template, params, val)
        for m in range(k):
            if not active[m]:
                continue
            stats = EpochStats(epoch, float(total_loss[m]) / seen, int(correct[m]) / seen,
                               float(val_loss[m]), float(val_acc[m]), seconds)
            history = histories[m]
            history.epochs.append(stats)
            score = stats.val_loss if config.select == "val_loss" else -stats.val_acc
            if score < best_scores[m]:  # NaN compares False: a diverged epoch is never "best"
                best_scores[m] = score
                history.best_epoch = epoch
                history.best_state = {name: params[name][m].detach().clone() for name in names}
            if config.patience is not None and epoch - history.best_epoch >= config.patience:
                history.stopped_early = epoch < config.epochs
                active[m] = False
        if not any(active) or (max_steps is not None and steps_taken >= max_steps) or None not in diverged_at:
            break
    final_states = [{name: params[name][m].detach().clone() for name in names} for m in range(k)]
    for m, model in enumerate(models):
        model.load_state_dict(histories[m].best_state if not histories[m].diverged else final_states[m])
    step_losses = torch.stack(losses, dim=1).tolist() if record_steps and losses else None
    return SeedRuns(config, seeds, histories, models, final_states, step_losses, diverged_at)


def _one_at_a_time(
    train: Split, val: Split, config: TrainConfig, seeds: tuple[int, ...], build: Callable[[], nn.Module]
) -> SeedRuns:
    """Each seed as its own `training.fit`, for models vmap cannot batch; the same `SeedRuns` comes back."""
    histories, models, final_states = [], [], []
    for seed in seeds:
        seed_everything(seed)
        model = build()
        history = fit(model, train, val, replace(config, seed=seed))
        final_states.append({k: v.detach().clone() for k, v in model.state_dict().items()})
        if not history.diverged:
            model.load_state_dict(history.best_state)
        histories.append(history)
        models.append(model)
    return SeedRuns(config, seeds, histories, models, final_states)


@torch.no_grad()
def clip_members(stacked: Iterable[torch.Tensor], max_norm: float) -> torch.Tensor:
    """Clip each member's gradient to `max_norm` on its own, as `clip_grad_norm_` would its lone run.

    Clipping the stacked tensors as one would scale every seed by the norm of all of them together.
    Returns each member's norm before clipping, [K].
    """
    grads = [p.grad for p in stacked if p.grad is not None]
    norms = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g.flatten(1), dim=1) for g in grads]), dim=0)
    scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(scale.view(-1, *[1] * (g.dim() - 1)))
    return norms


@torch.no_grad()
def _evaluate(
    shared_input: Callable[..., torch.Tensor], template: nn.Module, params: dict[str, torch.Tensor], data: Split
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every member's (mean cross-entropy, accuracy) on `data`: [K] each, like `training.evaluate`."""
    template.eval()
    k = next(iter(params.values())).shape[0]
    total_loss = torch.zeros(k, dtype=torch.float64)
    correct = torch.zeros(k, dtype=torch.int64)
    for begin in range(0, len(data), EVAL_BATCH):
        x, y = data.images[begin : begin + EVAL_BATCH], data.labels[begin : begin + EVAL_BATCH]
        logits = shared_input(params, x)  # [K, B, 10]
        target = y.expand(k, -1)
        total_loss += nn.functional.cross_entropy(logits.transpose(1, 2), target, reduction="none").sum(dim=1).double()
        correct += (logits.argmax(dim=2) == target).sum(dim=1)
    return total_loss / len(data), correct.double() / len(data)


METRICS = {"val_loss": "validation loss", "val_acc": "validation accuracy", "train_loss": "training loss",
           "train_acc": "training accuracy", "epoch": "epoch"}


def compare(
    a: SeedRuns,
    b: SeedRuns,
    metric: str,
    names: tuple[str, str],
    *,
    at: str = "best",
    lower_is_better: bool | None = None,
) -> Paired:
    """Option A against option B on `metric` ('val_loss', 'val_acc', ...), seed by seed.

    `at` is "best" (each seed's best checkpoint) or "final" (its last epoch).
    Losses are better lower and accuracies higher unless `lower_is_better` says
    otherwise. Both sides must have run under the same seeds, in the same order:
    that is what makes the comparison paired.
    """
    if a.seeds != b.seeds:
        raise ValueError(f"a paired comparison needs the same seeds on both sides, got {a.seeds} and {b.seeds}")
    if at not in ("best", "final"):
        raise ValueError(f"at must be 'best' or 'final', got {at!r}")
    words = METRICS.get(metric, metric)
    described = f"final {words}" if at == "final" else f"{words} of the best checkpoint"
    if lower_is_better is None:
        lower_is_better = "acc" not in metric
    return paired(getattr(a, at)(metric).values, getattr(b, at)(metric).values, metric=described, names=names,
                  lower_is_better=lower_is_better)


@dataclass
class Grid:
    """A learning-rate grid, each learning rate trained under the same seeds."""

    runs: dict[float, SeedRuns]  # learning rate -> its runs

    def score(self, lr: float, metric: str = "val_loss") -> float:
        """Mean over seeds of `metric` at each seed's best epoch; inf if any seed diverged."""
        runs = self.runs[lr]
        return math.inf if runs.any_diverged else runs.best(metric).mean

    @property
    def best_lr(self) -> float:
        """The learning rate with the lowest mean best validation loss."""
        return min(self.runs, key=self.score)


def tune_lr(
    train: Split,
    val: Split,
    config: TrainConfig,
    lrs: Sequence[float],
    seeds: Sequence[int] = SEEDS,
    build: Callable[[], nn.Module] | None = None,
) -> Grid:
    """Train `config` at every learning rate in `lrs` (same seeds each), for picking one per option."""
    return Grid({lr: train_seeds(train, val, replace(config, lr=lr), seeds, build) for lr in lrs})
