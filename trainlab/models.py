"""Small models for the demonstrations, built so depth, width and activation can vary."""

from __future__ import annotations

from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "gelu": nn.GELU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
}


def mlp(
    hidden: tuple[int, ...] = (256, 128),
    activation: str = "relu",
    *,
    in_features: int = 28 * 28,
    classes: int = 10,
) -> nn.Sequential:
    """A multilayer perceptron: flatten [N, 1, 28, 28] -> [N, 784], hidden layers, class logits [N, 10].

    The default is the seed experiment's network, 784 -> 256 -> 128 -> 10 with ReLU.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    layers: list[nn.Module] = [nn.Flatten()]
    width = in_features
    for size in hidden:
        layers += [nn.Linear(width, size), ACTIVATIONS[activation]()]
        width = size
    # No softmax: cross-entropy takes logits, which is numerically safer.
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)

