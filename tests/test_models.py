"""The model builders: shapes, parameter counts, and the options the notebooks vary."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from trainlab.models import Residual, cnn, mlp, parameter_count

X = torch.rand(8, 1, 28, 28)


def test_the_seed_mlp_and_the_small_cnn_map_images_to_ten_logits() -> None:
    assert mlp()(X).shape == cnn()(X).shape == (8, 10)
    assert parameter_count(mlp()) == 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10
    assert parameter_count(cnn()) == (9 * 16 + 16) + (16 * 9 * 32 + 32) + (32 * 7 * 7 * 10 + 10)


def test_norm_dropout_and_residual_are_placed_in_each_hidden_layer() -> None:
    model = mlp((32, 32, 32), norm="layer", dropout=0.5, residual=True)
    assert sum(isinstance(m, nn.LayerNorm) for m in model.modules()) == 3
    assert sum(isinstance(m, nn.Dropout) for m in model.modules()) == 3
    assert sum(isinstance(m, Residual) for m in model.modules()) == 2, "the first layer changes width: no skip"
    model.eval()
    block = next(m for m in model.modules() if isinstance(m, Residual))
    h = torch.rand(4, 32)
    torch.testing.assert_close(block(h), h + block.block(h))
    assert any(isinstance(m, nn.BatchNorm1d) for m in mlp((16,), norm="batch").modules())


def test_zero_init_makes_every_hidden_unit_the_same() -> None:
    model = mlp((16, 16), init="zeros")
    assert all(float(p.detach().abs().sum()) == 0 for p in model.parameters())
    model(X).logsumexp(1).mean().backward()
    hidden = [m for m in model.modules() if isinstance(m, nn.Linear)][:-1]
    assert all(float(layer.weight.grad.abs().sum()) == 0 for layer in hidden), "no gradient reaches the hidden weights"


@pytest.mark.parametrize(("options", "message"), [({"norm": "group"}, "unknown norm"), ({"dropout": 1.0}, "probability"),
                                                  ({"init": "ones"}, "unknown init")])
def test_unknown_options_are_refused(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mlp(**options)
