"""Benchmark: in-memory batching against a DataLoader, five seeds batched against five runs, notebook run time.

    make benchmark        (or: python tests/benchmarks/bench_training.py [--skip-notebooks])

Prints seconds per epoch of trainlab's training loop (batches sliced from
tensors in memory) and of the same model, optimizer and batch size fed by a
torch.utils.data.DataLoader over a per-sample Dataset, measured in one run on
the same data, and their ratio; then the seed MLP trained under K = 5 seeds
as one batched model (trainlab.multiseed) against the same five seeds run one
after another with trainlab.training.run, evaluation included, and the
speed-up; then the time to execute every notebook, and the slowest one.
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
from dataclasses import replace
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from trainlab import runner
from trainlab.data import Split, load_fashion_mnist
from trainlab.models import mlp
from trainlab.multiseed import train_seeds
from trainlab.training import TrainConfig, make_optimizer, run, seed_everything, train_one_epoch

BATCH = 128
EPOCHS = 3  # per contender; the median is reported
NOTEBOOK_GOAL = 360  # seconds for executing every notebook, old and new, on 2 cores
SEEDS = (0, 1, 2, 3, 4)
SPEEDUP_GOAL = 2.5  # K = 5 batched against 5 sequential runs


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

    config = TrainConfig(epochs=2, batch_size=BATCH, optimizer="adam", lr=1e-3)
    start = time.perf_counter()
    for seed in SEEDS:
        run(data.train, data.val, replace(config, seed=seed))
    sequential = time.perf_counter() - start
    start = time.perf_counter()
    train_seeds(data.train, data.val, config, SEEDS)
    batched = time.perf_counter() - start
    print(f"{len(SEEDS)} seeds x {config.epochs} epochs, one after another: {sequential:6.2f} s")
    print(f"{len(SEEDS)} seeds x {config.epochs} epochs, one batched model:  {batched:6.2f} s")
    print(f"speed-up: {sequential / batched:.2f}x (goal {SPEEDUP_GOAL}x)")

    if args.skip_notebooks:
        return
    notebooks = sorted(runner.NOTEBOOKS.glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        copies = [Path(shutil.copy(nb, tmp)) for nb in notebooks]
        log = io.StringIO()
        start = time.perf_counter()
        runner.run(copies, force=True, results_dir=Path(tmp), out=log)
        total = time.perf_counter() - start
    times = {}
    for line in log.getvalue().splitlines():
        if "executed in" in line:
            name, _, seconds = line.split("] ", 1)[1].replace(tmp + "/", "").partition(": executed in ")
            times[name] = float(seconds.removesuffix(" s"))
            print(f"  {name}: {times[name]:.1f} s")
    slowest = max(times, key=times.__getitem__)
    print(f"executing all {len(notebooks)} notebooks: {total:.1f} s "
          f"({total / NOTEBOOK_GOAL:.0%} of the {NOTEBOOK_GOAL // 60}-minute goal); slowest: {slowest}, {times[slowest]:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
