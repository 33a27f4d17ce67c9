"""Small models for the demonstrations, built so depth, width, activation and initialization can vary."""

from __future__ import annotations

from typing import Literal

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
Init = Literal["default", "he", "xavier"]
INITS: tuple[Init, ...] = ("default", "he", "xavier")


def mlp(
    hidden: tuple[int, ...] = (256, 128),
    activation: str = "relu",
    *,
    init: Init = "default",
    in_features: int = 28 * 28,
    classes: int = 10,
) -> nn.Sequential:
    """A multilayer perceptron: flatten [N, 1, 28, 28] -> [N, 784], hidden layers, class logits [N, 10].

    The default is the seed experiment's network, 784 -> 256 -> 128 -> 10 with ReLU.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    layers: list[nn.Module] = [nn.Flatten()]
    width = in_features
    for size in hidden:
        layers += [_initialized(nn.Linear(width, size), init, activation), ACTIVATIONS[activation]()]
        width = size
    # No softmax: cross-entropy takes logits, which is numerically safer.
    layers.append(_initialized(nn.Linear(width, classes), init, "linear"))
    return nn.Sequential(*layers)


def _initialized(layer: nn.Linear, init: Init, activation: str) -> nn.Linear:
    if init == "default":
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
