"""Benchmark: the package's in-memory batching against a DataLoader, and the notebooks' run time.

    make benchmark        (or: python tests/benchmarks/bench_training.py [--skip-notebooks])

Prints seconds per epoch of trainlab's training loop (batches sliced from
tensors in memory) and of the same model, optimizer and batch size fed by a
torch.utils.data.DataLoader over a per-sample Dataset, measured in one run on
the same data, and their ratio; then the time to execute every notebook.
A benchmark, not a test: it reports figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from trainlab import runner
from trainlab.data import Split, load_fashion_mnist
from trainlab.models import mlp
from trainlab.training import make_optimizer, seed_everything, train_one_epoch

BATCH = 128
EPOCHS = 3  # per contender; the median is reported
NOTEBOOK_GOAL = 300  # seconds for executing every notebook on 2 cores


class PerSample(Dataset[tuple[torch.Tensor, torch.Tensor]]):
    """The textbook Dataset: one image and label per __getitem__ call."""

    def __init__(self, split: Split) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.split.images[i], self.split.labels[i]


def dataloader_epoch(model: nn.Module, optimizer: torch.optim.Optimizer, loader: DataLoader) -> None:
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()


def time_epochs(step: object) -> list[float]:
    times = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        step()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-notebooks", action="store_true", help="only the training-loop comparison")
    args = parser.parse_args()
    data = load_fashion_mnist()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{len(data.train)} training images, batch size {BATCH}, median of {EPOCHS} epochs")

    seed_everything(0)
    model = mlp()
    optimizer = make_optimizer("adam", model.parameters(), 1e-3)
    generator = torch.Generator().manual_seed(0)
    ours = time_epochs(lambda: train_one_epoch(model, optimizer, data.train, BATCH, generator))

    seed_everything(0)
    model = mlp()
    optimizer = make_optimizer("adam", model.parameters(), 1e-3)
    loader = DataLoader(PerSample(data.train), batch_size=BATCH, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    theirs = time_epochs(lambda: dataloader_epoch(model, optimizer, loader))

    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"trainlab (tensor slices):        {a:6.2f} s/epoch")
    print(f"DataLoader (per-sample Dataset): {b:6.2f} s/epoch")
    print(f"ratio: the DataLoader takes {b / a:.1f}x as long")

    if args.skip_notebooks:
        return
    notebooks = sorted(runner.NOTEBOOKS.glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        copies = [Path(shutil.copy(nb, tmp)) for nb in notebooks]
        log = io.StringIO()
        start = time.perf_counter()
        runner.run(copies, force=True, results_dir=Path(tmp), out=log)
        total = time.perf_counter() - start
    for line in log.getvalue().splitlines():
        if "executed in" in line:
            print("  " + line.split("] ", 1)[1].replace(tmp + "/", ""))
    print(f"executing all {len(notebooks)} notebooks: {total:.1f} s "
          f"({total / NOTEBOOK_GOAL:.0%} of the {NOTEBOOK_GOAL // 60}-minute goal)")


if __name__ == "__main__":
    sys.exit(main())
