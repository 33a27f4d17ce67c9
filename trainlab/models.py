"""Small models for the demonstrations, built so depth, width, activation and initialization can vary."""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "gelu": nn.GELU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
}

# "default" is what nn.Linear does on its own: kaiming_uniform_ with a=sqrt(5),
# i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), variance 1/(3 fan_in). That is not He
# init (variance 2/fan_in), which keeps ReLU activations from shrinking layer by
# layer; Xavier (Glorot) does the same for tanh and sigmoid.
# "zeros" starts every weight and bias at 0: the symmetric start that init exists to avoid.
Init = Literal["default", "he", "xavier", "zeros"]
INITS: tuple[Init, ...] = ("default", "he", "xavier", "zeros")
Norm = Literal["batch", "layer"]
NORMS: dict[str, type[nn.Module]] = {"batch": nn.BatchNorm1d, "layer": nn.LayerNorm}


class Residual(nn.Module):
    """x + block(x): the identity path carries the gradient past the block unchanged."""

    def __init__(self, block: nn.Module) -> None:
        super().__init__()
        self.block = block

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x)


def mlp(
    hidden: tuple[int, ...] = (256, 128),
    activation: str = "relu",
    *,
    init: Init = "default",
    norm: Norm | None = None,
    dropout: float = 0.0,
    residual: bool = False,
    in_features: int = 28 * 28,
    classes: int = 10,
) -> nn.Sequential:
    """A multilayer perceptron: flatten [N, 1, 28, 28] -> [N, 784], hidden layers, class logits [N, 10].

    The default is the seed experiment's network, 784 -> 256 -> 128 -> 10 with ReLU.
    Each hidden layer is Linear, then `norm` (batch or layer normalization) if
    given, the activation, and dropout with probability `dropout` if above 0.
    `residual` adds each hidden layer's input to its output wherever the two
    widths match (every layer but the first when the widths are equal).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    if norm is not None and norm not in NORMS:
        raise ValueError(f"unknown norm {norm!r}; choose one of {', '.join(NORMS)} or None")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout is a probability below 1, got {dropout}")
    layers: list[nn.Module] = [nn.Flatten()]
    width = in_features
    for size in hidden:
        block: list[nn.Module] = [_initialized(nn.Linear(width, size), init, activation)]
        if norm is not None:
            block.append(NORMS[norm](size))
        block.append(ACTIVATIONS[activation]())
        if dropout:
            block.append(nn.Dropout(dropout))
        layers += [Residual(nn.Sequential(*block))] if residual and size == width else block
        width = size
    # No softmax: cross-entropy takes logits, which is numerically safer.
    layers.append(_initialized(nn.Linear(width, classes), init, "linear"))
    return nn.Sequential(*layers)


def cnn(channels: tuple[int, int] = (16, 32), classes: int = 10) -> nn.Sequential:
    """A small convolutional network: two 3x3 conv + ReLU + 2x2 max-pool stages, then one linear layer.

    [N, 1, 28, 28] -> [N, c1, 14, 14] -> [N, c2, 7, 7] -> logits [N, 10]. Each
    filter is 9 weights per input channel, used at every position of the image.
    PyTorch's default initialization throughout, as `mlp()` uses by default.
    """
    c1, c2 = channels
    return nn.Sequential(
        nn.Conv2d(1, c1, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 7 * 7, classes),
    )


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _initialized(layer: nn.Linear, init: Init, activation: str) -> nn.Linear:
    if init == "default":
        return layer
    if init == "zeros":
        nn.init.zeros_(layer.weight)
        nn.init.zeros_(layer.bias)
        return layer
    if init == "he":
        # The output layer has no ReLU after it: gain 1 there, sqrt(2) before a ReLU.
        nonlinearity = "relu" if activation in ("relu", "leaky_relu") else "linear"
        nn.init.kaiming_normal_(layer.weight, nonlinearity=nonlinearity)
    else:
        gain = nn.init.calculate_gain(activation if activation in ("tanh", "sigmoid", "relu") else "linear")
        nn.init.xavier_normal_(layer.weight, gain=gain)
    nn.init.zeros_(layer.bias)
    return layer
