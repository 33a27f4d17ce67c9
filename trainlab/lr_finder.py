"""Learning-rate range test: raise the learning rate exponentially over one pass and watch the loss.

The loss first stays flat (steps too small to matter), then falls (useful
learning rates), then shoots up (too large). A good learning rate sits on the
falling part, well below the point where the loss is lowest: at the minimum the
steps are already large enough to start undoing progress.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import torch
from torch import nn

from .data import Split
from .training import make_optimizer, step_losses, steps_per_epoch


@dataclass(frozen=True)
class RangeTest:
    lrs: list[float]  # learning rate used at each step
    losses: list[float]  # raw training loss of each step
    smoothed: list[float]  # bias-corrected exponential moving average of `losses`
    diverged_at: int | None  # 1-based step where the smoothed loss exceeded `diverge` x its minimum
    min_lr: float  # learning rate at the lowest smoothed loss
    suggestion: float  # min_lr / 10: the usual rule of thumb, on the falling part of the curve


def lr_range_test(
    model: nn.Module,
    data: Split,
    *,
    optimizer: str = "adam",
    start: float = 1e-6,
    end: float = 10.0,
    steps: int | None = None,
    batch_size: int = 128,
    beta: float = 0.9,
    diverge: float = 4.0,
    seed: int = 0,
) -> RangeTest:
    """Run the test on `model` and restore its initial weights afterwards.

    `steps` defaults to one epoch. The learning rate at step i (0-based) is
    start * (end / start) ** (i / (steps - 1)).
    """
    if not 0 < start < end:
        raise ValueError(f"need 0 < start < end, got start={start}, end={end}")
    steps = steps or steps_per_epoch(len(data), batch_size)
    initial = copy.deepcopy(model.state_dict())
    opt = make_optimizer(optimizer, model.parameters(), start)
    generator = torch.Generator().manual_seed(seed)
    lrs: list[float] = []
    losses: list[float] = []
    smoothed: list[float] = []
    average, best = 0.0, math.inf
    diverged_at = None
    for step, value in enumerate(step_losses(model, opt, data, steps, batch_size, generator), start=1):
        if not math.isfinite(value):
            diverged_at = step
            break
        # This step's learning rate, set before the step is taken.
        lr = start * (end / start) ** ((step - 1) / max(steps - 1, 1))
        for group in opt.param_groups:
            group["lr"] = lr
        lrs.append(lr)
        losses.append(value)
        # Single batches are noisy; the moving average shows the trend. Dividing
        # by (1 - beta^t) removes the bias towards the initial 0.
        average = beta * average + (1 - beta) * value
        smoothed.append(average / (1 - beta**step))
        best = min(best, smoothed[-1])
        if smoothed[-1] > diverge * best:
            diverged_at = step
            break
    model.load_state_dict(initial)
    min_lr = lrs[min(range(len(smoothed)), key=smoothed.__getitem__)]
    return RangeTest(lrs, losses, smoothed, diverged_at, min_lr, min_lr / 10)
