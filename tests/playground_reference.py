"""A plain-Python model of the learning-rate playground's math, to check docs/assets/javascripts/playground.js against.

Written from the formulas, not from the JavaScript: the loss surfaces and the update rules of torch.optim's SGD
(with and without momentum), RMSprop and Adam at their default hyper-parameters (momentum 0.9, which PyTorch
leaves at 0). Plain floats throughout, so a divergent run overflows to inf and nan exactly as the browser's
doubles do; `**` is avoided on values that may grow, because Python raises OverflowError where JavaScript gives
Infinity.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """A 2-D loss, its analytic gradient and, for a quadratic, the Hessian's largest eigenvalue."""

    loss: Callable[[float, float], float]
    gradient: Callable[[float, float], Point]
    lambda_max: float | None


def quadratic(l1: float, l2: float) -> Surface:
    """f = (l1·x² + l2·y²)/2, whose Hessian is diag(l1, l2)."""
    return Surface(
        loss=lambda x, y: (l1 * x * x + l2 * y * y) / 2,
        gradient=lambda x, y: (l1 * x, l2 * y),
        lambda_max=max(l1, l2),
    )


def _well(x: float, y: float) -> float:
    squared_distance = x * x - 1
    return squared_distance * squared_distance / 4 + y * y / 2


# The double well: minima at (±1, 0), a saddle at the origin with loss 1/4.
SURFACES: dict[str, Surface] = {
    "bowl": quadratic(1, 10),
    "valley": quadratic(1, 100),
    "saddle": Surface(loss=_well, gradient=lambda x, y: (x * (x * x - 1), y), lambda_max=None),
}


class Optimizer:
    """One parameter vector's optimizer state; `update` applies one step and returns the new point."""

    def update(self, point: Point, grad: Point, lr: float) -> Point:
        raise NotImplementedError


class SGD(Optimizer):
    def update(self, point: Point, grad: Point, lr: float) -> Point:
        return (point[0] - lr * grad[0], point[1] - lr * grad[1])


class Momentum(Optimizer):
    """torch.optim.SGD(momentum=0.9): the first step stores the gradient itself, later ones buf = μ·buf + g."""

    mu = 0.9

    def __init__(self) -> None:
        self.buffer: list[float] | None = None

    def update(self, point: Point, grad: Point, lr: float) -> Point:
        if self.buffer is None:
            self.buffer = list(grad)
        else:
            self.buffer = [self.mu * b + g for b, g in zip(self.buffer, grad)]
        return (point[0] - lr * self.buffer[0], point[1] - lr * self.buffer[1])


class RMSProp(Optimizer):
    """torch.optim.RMSprop defaults: α = 0.99, ε = 1e-8 added to the root, not under it; no centring, no momentum."""

    alpha = 0.99
    eps = 1e-8

    def __init__(self) -> None:
        self.square_avg = [0.0, 0.0]

    def update(self, point: Point, grad: Point, lr: float) -> Point:
        new = []
        for i in range(2):
            self.square_avg[i] = self.alpha * self.square_avg[i] + (1 - self.alpha) * grad[i] * grad[i]
            new.append(point[i] - lr * grad[i] / (math.sqrt(self.square_avg[i]) + self.eps))
        return (new[0], new[1])


class Adam(Optimizer):
    """torch.optim.Adam defaults: β = (0.9, 0.999), ε = 1e-8 added after dividing √v by √(1 − β2^t)."""

    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def __init__(self) -> None:
        self.t = 0
        self.m = [0.0, 0.0]
        self.v = [0.0, 0.0]

    def update(self, point: Point, grad: Point, lr: float) -> Point:
        self.t += 1
        correction1 = 1 - self.beta1**self.t  # betas < 1: their powers cannot overflow
        correction2 = 1 - self.beta2**self.t
        new = []
        for i in range(2):
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * grad[i]
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * grad[i] * grad[i]
            m_hat_step = lr / correction1 * self.m[i]
            new.append(point[i] - m_hat_step / (math.sqrt(self.v[i]) / math.sqrt(correction2) + self.eps))
        return (new[0], new[1])


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSProp, "adam": Adam}


def run(surface: str, optimizer: str, lr: float, start: Point, steps: int) -> tuple[list[Point], list[float]]:
    """The points visited (start included) and the loss at each, `steps` updates from `start`."""
    s = SURFACES[surface]
    opt = OPTIMIZERS[optimizer]()
    points = [start]
    for _ in range(steps):
        points.append(opt.update(points[-1], s.gradient(*points[-1]), lr))
    return points, [s.loss(*p) for p in points]


def sgd_limit(surface: str, momentum: bool = False) -> float:
    """The largest stable learning rate on a quadratic: 2/λ_max, or 2(1 + μ)/λ_max for heavy-ball momentum."""
    lam = SURFACES[surface].lambda_max
    assert lam is not None, f"{surface} is not a quadratic"
    return 2 * (1 + Momentum.mu) / lam if momentum else 2 / lam


def same(a: float, b: float, tol: float = 1e-9) -> bool:
    """Equal within `tol` (relative, or absolute near zero); nan matches nan, inf matches an inf of the same sign."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
