"""Fashion-MNIST from the official IDX files, verified, as tensors.

Where the files are looked for, in order:
1. an explicit `root`, else the `FASHION_MNIST_DIR` environment variable;
2. `/usr/share/datasets/fashion-mnist` (Debian's `dataset-fashion-mnist`);
3. a per-user cache folder, downloading the four files there if missing.

Each file is verified by the SHA-256 of its *decompressed* bytes: Debian ships
the official content recompressed, so the `.gz` bytes differ but the content
must not.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
IMAGE_SIZE = 28
CHUNK = 1 << 20  # bytes hashed/read at a time


@dataclass(frozen=True)
class Resource:
    filename: str
    sha256: str  # of the decompressed IDX bytes
    magic: int  # IDX magic number: 0x801 = 1-D uint8 (labels), 0x803 = 3-D uint8 (images)
    count: int


RESOURCES = {
    "train-images": Resource(
        "train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 0x803, 60_000
    ),
    "train-labels": Resource(
        "train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 0x801, 60_000
    ),
    "test-images": Resource(
        "t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 0x803, 10_000
    ),
    "test-labels": Resource(
        "t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 0x801, 10_000
    ),
}


class DatasetError(Exception):
    """The data set could not be found, fetched or trusted; the message says what to do."""


# --- locating and fetching ------------------------------------------------------------


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "trainlab" / "fashion-mnist"


def candidate_dirs(root: str | os.PathLike[str] | None = None) -> list[Path]:
    explicit = root or os.environ.get("FASHION_MNIST_DIR")
    if explicit:
        return [Path(explicit)]  # an explicit choice is never silently replaced by another copy
    return [DEBIAN_DIR, cache_dir()]


def find_dir(
    root: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    mirror: str = MIRROR,
    resources: dict[str, Resource] = RESOURCES,
) -> Path:
    """The first folder holding all files; otherwise download into the last candidate."""
    dirs = candidate_dirs(root)
    for folder in dirs:
        if all((folder / r.filename).is_file() for r in resources.values()):
            return folder
    target = dirs[-1]
    if not download:
        looked = ", ".join(str(d) for d in dirs)
        raise DatasetError(
            f"Fashion-MNIST files not found in {looked}. Install them with `apt-get install dataset-fashion-mnist`, "
            "set FASHION_MNIST_DIR to a folder holding the four .gz files, or allow downloading."
        )
    for resource in resources.values():
        dest = target / resource.filename
        if not dest.is_file():
            fetch(mirror + resource.filename, dest, resource.sha256)
    return target


def fetch(url: str, dest: Path, sha256: str, *, progress: bool = True) -> None:
    """Download `url` to `dest` atomically: verified in a temporary file, then renamed."""
    from tqdm.auto import tqdm

    dest.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the destination so the final rename is atomic.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            received = 0
            with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress) as bar:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            if total is not None and received != total:
                raise DatasetError(f"download of {url} stopped at {received} of {total} bytes; run again to retry")
        verify(tmp, sha256, shown_as=dest)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- verifying and parsing --------------------------------------------------------------


def read_decompressed(path: Path) -> tuple[bytes, str]:
    """The file's decompressed bytes and their SHA-256, read in chunks."""
    digest = hashlib.sha256()
    parts: list[bytes] = []
    try:
        with gzip.open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                parts.append(chunk)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise DatasetError(
            f"{path}: cannot decompress ({exc}). The file is damaged or not gzip; delete it and run again "
            "to download a fresh copy, or reinstall dataset-fashion-mnist."
        ) from None
    return b"".join(parts), digest.hexdigest()


def verify(path: Path, sha256: str, *, shown_as: Path | None = None) -> bytes:
    data, actual = read_decompressed(path)
    if actual != sha256:
        raise DatasetError(
            f"{shown_as or path}: checksum mismatch of the decompressed content: expected sha256 {sha256}, "
            f"got {actual}. The file is not the official Fashion-MNIST file; delete it and run again to "
            "download a fresh copy, or point FASHION_MNIST_DIR at the official files."
        )
    return data


def parse_idx(data: bytes, resource: Resource, path: Path) -> np.ndarray:
    """IDX bytes as a uint8 array, checking the magic number, shape and length."""
    if len(data) < 8:
        raise DatasetError(f"{path}: {len(data)} bytes is too short for an IDX header; delete the file and run again")
    magic = int.from_bytes(data[:4], "big")
    if magic != resource.magic:
        raise DatasetError(
            f"{path}: IDX magic number is 0x{magic:08x}, expected 0x{resource.magic:08x} "
            f"({'labels' if resource.magic == 0x801 else 'images'}); is this the right file?"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected_shape = (resource.count,) + ((IMAGE_SIZE, IMAGE_SIZE) if ndim == 3 else ())
    if shape != expected_shape:
        raise DatasetError(f"{path}: IDX shape is {shape}, expected {expected_shape}")
    if len(data) != header + int(np.prod(shape)):
        raise DatasetError(
            f"{path}: holds {len(data) - header} data bytes, the header promises {int(np.prod(shape))} "
            "(truncated or padded file); delete it and run again"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def load_resource(folder: Path, resource: Resource) -> np.ndarray:
    path = folder / resource.filename
    return parse_idx(verify(path, resource.sha256), resource, path)


# --- what notebooks use -------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    images: torch.Tensor  # [N, 1, 28, 28] float32 in [0, 1]
    labels: torch.Tensor  # [N] int64, class index into CLASSES

    def __len__(self) -> int:
        return int(self.labels.shape[0])


@dataclass(frozen=True)
class FashionMNIST:
    train: Split  # 50,000 images by default, for fitting
    val: Split  # 10,000 held out from the official training set, for choosing
    test: Split  # the official 10,000 test images, for the final number only
    classes: tuple[str, ...]


def load_raw(
    root: str | os.PathLike[str] | None = None, *, download: bool = True
) -> dict[str, np.ndarray]:
    """The four arrays exactly as stored: uint8 pixels in [0, 255] and uint8 labels."""
    folder = find_dir(root, download=download)
    return {name: load_resource(folder, r) for name, r in RESOURCES.items()}


def to_tensors(images: np.ndarray, labels: np.ndarray) -> Split:
    # Divide once here: every model then sees pixels on the scale its initialization assumes.
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return Split(images=x, labels=torch.from_numpy(labels.astype(np.int64)))


def load_fashion_mnist(
    root: str | os.PathLike[str] | None = None,
    *,
    val_size: int = 10_000,
    seed: int = 0,
    download: bool = True,
) -> FashionMNIST:
    """Train/validation/test splits; the validation images are a seeded sample of the training set."""
    raw = load_raw(root, download=download)
    train_all = to_tensors(raw["train-images"], raw["train-labels"])
    if not 0 < val_size < len(train_all):
        raise ValueError(f"val_size must be between 1 and {len(train_all) - 1}, got {val_size}")
    # A generator of its own: the split must not depend on (or disturb) the global RNG.
    order = torch.randperm(len(train_all), generator=torch.Generator().manual_seed(seed))
    val_idx, train_idx = order[:val_size], order[val_size:]
    return FashionMNIST(
        train=Split(train_all.images[train_idx], train_all.labels[train_idx]),
        val=Split(train_all.images[val_idx], train_all.labels[val_idx]),
        test=to_tensors(raw["test-images"], raw["test-labels"]),
        classes=CLASSES,
    )


def subset(split: Split, size: int, *, seed: int = 0) -> Split:
    """A seeded random sample of `size` examples (for experiments that need little data)."""
    if not 0 < size <= len(split):
        raise ValueError(f"size must be between 1 and {len(split)}, got {size}")
    idx = torch.randperm(len(split), generator=torch.Generator().manual_seed(seed))[:size]
    return Split(split.images[idx], split.labels[idx])


def map_images(data: FashionMNIST, fn: Callable[[torch.Tensor], torch.Tensor]) -> FashionMNIST:
    """The same data set with `fn` applied to the images of every split (labels untouched)."""
    return replace(
        data,
        train=Split(fn(data.train.images), data.train.labels),
        val=Split(fn(data.val.images), data.val.labels),
        test=Split(fn(data.test.images), data.test.labels),
    )


def standardize(data: FashionMNIST) -> tuple[FashionMNIST, float, float]:
    """Shift and scale pixels to mean 0, std 1 using the *training* split's statistics only.

    Validation and test images get the same shift and scale: computing their own
    statistics would leak information about them into the preprocessing.
    """
    mean, std = float(data.train.images.mean()), float(data.train.images.std())
    return map_images(data, lambda x: (x - mean) / std), mean, std


def dataset_checksum(resources: dict[str, Resource] = RESOURCES) -> str:
    """One hash naming the exact data every result was computed on (for notebook fingerprints)."""
    return hashlib.sha256("".join(r.sha256 for r in resources.values()).encode()).hexdigest()
