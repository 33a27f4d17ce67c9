"""Measurements inside a model: gradients per layer, dead units, Adam's scale factors and steps, memory."""

from __future__ import annotations

import torch
from torch import nn

from .data import Split
from .models import ACTIVATIONS


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def layer_grad_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    """L2 norm of each Linear layer's weight gradient for one batch, input layer first."""
    model.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(model(x), y).backward()
    norms = [float(layer.weight.grad.norm()) for layer in linear_layers(model)]  # type: ignore[union-attr]
    model.zero_grad(set_to_none=True)
    return norms


@torch.no_grad()
def dead_fraction(model: nn.Module, x: torch.Tensor) -> list[float]:
    """For each ReLU layer, the fraction of its units that output 0 for every image in `x`.

    Such a unit passes no gradient to its weights, so no training step can revive it.
    """
    always_zero: list[torch.Tensor] = []

    def watch(_module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
        always_zero.append((output == 0).all(dim=0))  # [units]

    handles = [m.register_forward_hook(watch) for m in model.modules() if isinstance(m, nn.ReLU)]
    try:
        model.eval()
        model(x)
    finally:
        for h in handles:
            h.remove()
    return [float(dead.float().mean()) for dead in always_zero]


def adam_scale_factors(optimizer: torch.optim.Adam) -> torch.Tensor:
    """Adam's per-parameter scale factor lr / (sqrt(v_hat) + eps), flattened.

    This is a preconditioner, not a step: Adam multiplies it by the momentum m_hat,
    and since |m_hat| is at most about sqrt(v_hat), the step itself stays near lr
    or below (see `adam_step_lengths`). Plain SGD has one factor, lr, for all
    parameters. Parameters that have never had a non-zero gradient (weights of
    always-black pixels or of dead units) are left out: their factor is the
    meaningless lr / eps, and their step is 0 whatever it is.
    """
    return torch.cat([lr / (v_hat.sqrt() + eps)[v_hat > 0] for lr, eps, _, v_hat in _adam_moments(optimizer)])


def adam_step_lengths(optimizer: torch.optim.Adam) -> torch.Tensor:
    """The size of the step Adam's last update took for each parameter, |lr * m_hat / (sqrt(v_hat) + eps)|.

    Same parameters as `adam_scale_factors` (those that ever had a gradient).
    """
    return torch.cat([(lr * m_hat.abs() / (v_hat.sqrt() + eps))[v_hat > 0]
                      for lr, eps, m_hat, v_hat in _adam_moments(optimizer)])


def _adam_moments(optimizer: torch.optim.Adam) -> list[tuple[float, float, torch.Tensor, torch.Tensor]]:
    """(lr, eps, bias-corrected first moment, bias-corrected second moment) of every parameter with state."""
    moments = []
    for group in optimizer.param_groups:
        (beta1, beta2), eps, lr = group["betas"], group["eps"], group["lr"]
        for p in group["params"]:
            state = optimizer.state.get(p)
            if not state:
                continue
            step = float(state["step"])
            moments.append((lr, eps, state["exp_avg"] / (1 - beta1**step), state["exp_avg_sq"] / (1 - beta2**step)))
    if not moments:
        raise ValueError("the optimizer has taken no step yet, so it has no per-parameter state")
    return moments


def gradient_noise(model: nn.Module, data: Split, batch_size: int, *, samples: int = 8, seed: int = 0) -> float:
    """Relative variance of a mini-batch gradient: mean ||g_batch - g_full||^2 / ||g_full||^2.

    g_full is the gradient over all of `data`. Averaging B independent examples
    divides this variance by about B: bigger batches give cleaner but fewer steps.
    """
    def flat_grad(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        model.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(model(x), y).backward()
        return torch.cat([p.grad.flatten() for p in model.parameters()])  # type: ignore[union-attr]

    full = flat_grad(data.images, data.labels)
    generator = torch.Generator().manual_seed(seed)
    total = 0.0
    for _ in range(samples):
        idx = torch.randperm(len(data), generator=generator)[:batch_size]
        total += float((flat_grad(data.images[idx], data.labels[idx]) - full).pow(2).sum())
    model.zero_grad(set_to_none=True)
    return total / samples / float(full.pow(2).sum())


def saved_activation_bytes(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, training: bool = True) -> int:
    """Bytes of activations autograd keeps from the forward pass for backward, for one batch.

    This is the part of training memory that grows with the batch size (weights,
    gradients and optimizer state do not). A tensor saved by two operations
    (one layer's output is the next one's input) is counted once, and the
    parameters themselves are left out. `training=False` measures in eval
    mode; under `torch.no_grad()` nothing is saved at all.
    """
    params = {p.data_ptr() for p in model.parameters()}
    seen: dict[tuple[int, int], int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        if t.data_ptr() not in params:
            # The tensor's own bytes, not its storage's: a batch sliced from the
            # data set shares the whole data set's storage.
            seen[(t.data_ptr(), t.numel())] = t.numel() * t.element_size()
        return t

    model.train(training)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = nn.functional.cross_entropy(model(x), y)
    del loss
    return sum(seen.values())


@torch.no_grad()
def activation_stds(model: nn.Module, x: torch.Tensor) -> list[float]:
    """The standard deviation of each activation layer's output for the batch `x`, input side first.

    Whether the signal keeps its scale through depth is what an initialization is chosen for.
    """
    stds: list[float] = []
    kinds = tuple(ACTIVATIONS.values())
    handles = [m.register_forward_hook(lambda _m, _i, out: stds.append(float(out.std())))
               for m in model.modules() if isinstance(m, kinds)]
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
    return stds
