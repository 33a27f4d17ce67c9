"""The Fashion-MNIST loader, on small IDX files the tests write themselves."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from trainlab import data
from trainlab.data import DatasetError, Resource


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_gz(path: Path, payload: bytes) -> Resource:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(payload)
    return Resource(path.name, hashlib.sha256(payload).hexdigest(), int.from_bytes(payload[:4], "big"), 0)


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, dict[str, Resource]]:
    """A miniature data set: 6 training and 3 test images, in the official file names."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "fmnist"
    resources = {}
    for split, n, prefix in [("train", 6, "train"), ("test", 3, "t10k")]:
        images = rng.integers(0, 256, size=(n, 28, 28))
        labels = np.arange(n) % 10
        r_img = write_gz(folder / f"{prefix}-images-idx3-ubyte.gz", idx_bytes(images, 0x803))
        r_lab = write_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", idx_bytes(labels, 0x801))
        resources[f"{split}-images"] = Resource(r_img.filename, r_img.sha256, 0x803, n)
        resources[f"{split}-labels"] = Resource(r_lab.filename, r_lab.sha256, 0x801, n)
    return folder, resources


def test_good_file_parses_to_the_stored_pixels(tiny: tuple[Path, dict[str, Resource]]) -> None:
    folder, resources = tiny
    images = data.load_resource(folder, resources["train-images"])
    labels = data.load_resource(folder, resources["train-labels"])
    assert images.shape == (6, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [0, 1, 2, 3, 4, 5]
    split = data.to_tensors(images, labels)
    assert split.images.shape == (6, 1, 28, 28) and split.images.dtype == torch.float32
    assert split.labels.dtype == torch.int64
    assert float(split.images.min()) >= 0.0 and float(split.images.max()) <= 1.0
    assert torch.equal(split.images[0, 0], torch.from_numpy(images[0].astype(np.float32) / 255))


def test_wrong_magic_number(tiny: tuple[Path, dict[str, Resource]]) -> None:
    folder, resources = tiny
    # A label file where an image file is expected: valid IDX, wrong kind.
    swapped = Resource(resources["train-labels"].filename, resources["train-labels"].sha256, 0x803, 6)
    with pytest.raises(DatasetError, match=r"train-labels-idx1-ubyte.gz: IDX magic number is 0x00000801, expected 0x00000803"):
        data.load_resource(folder, swapped)


def test_truncated_file(tmp_path: Path) -> None:
    payload = idx_bytes(np.zeros((4, 28, 28)), 0x803)[:-100]
    r = write_gz(tmp_path / "train-images-idx3-ubyte.gz", payload)
    with pytest.raises(DatasetError, match=r"holds 3036 data bytes, the header promises 3136 \(truncated"):
        data.load_resource(tmp_path, Resource(r.filename, r.sha256, 0x803, 4))


def test_truncated_gzip_stream(tiny: tuple[Path, dict[str, Resource]]) -> None:
    folder, resources = tiny
    path = folder / resources["train-images"].filename
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(DatasetError, match=r"cannot decompress .*delete it and run again"):
        data.load_resource(folder, resources["train-images"])


def test_checksum_mismatch_names_path_expected_actual_and_fix(tiny: tuple[Path, dict[str, Resource]]) -> None:
    folder, resources = tiny
    good = resources["test-labels"]
    wrong = Resource(good.filename, "0" * 64, good.magic, good.count)
    with pytest.raises(DatasetError) as info:
        data.load_resource(folder, wrong)
    message = str(info.value)
    assert str(folder / good.filename) in message
    assert f"expected sha256 {'0' * 64}, got {good.sha256}" in message
    assert "delete it and run again" in message


def test_checksum_is_of_the_content_not_the_compression(tiny: tuple[Path, dict[str, Resource]]) -> None:
    folder, resources = tiny
    r = resources["train-labels"]
    path = folder / r.filename
    content = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(content, compresslevel=1, mtime=12345))  # recompressed, like Debian's copy
    assert data.load_resource(folder, r).tolist() == [0, 1, 2, 3, 4, 5]


def test_explicit_folder_wins_and_missing_files_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "elsewhere"))
    assert data.candidate_dirs() == [tmp_path / "elsewhere"]
    assert data.candidate_dirs(tmp_path / "mine") == [tmp_path / "mine"]
    with pytest.raises(DatasetError, match=r"not found in .*elsewhere.*apt-get install dataset-fashion-mnist"):
        data.find_dir(download=False)
    monkeypatch.delenv("FASHION_MNIST_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data.candidate_dirs() == [data.DEBIAN_DIR, tmp_path / "cache" / "trainlab" / "fashion-mnist"]


@pytest.fixture
def mirror(tiny: tuple[Path, dict[str, Resource]]) -> Iterator[str]:
    """The tiny files served over HTTP on 127.0.0.1, standing in for the published mirror."""
    folder, _ = tiny

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_download_fetches_verifies_and_loads(
    tiny: tuple[Path, dict[str, Resource]], mirror: str, tmp_path: Path
) -> None:
    _, resources = tiny
    dest = tmp_path / "download"
    found = data.find_dir(dest, mirror=mirror, resources=resources)
    assert found == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(r.filename for r in resources.values())
    assert data.load_resource(dest, resources["test-labels"]).tolist() == [0, 1, 2]


def test_download_with_bad_checksum_leaves_no_file(
    tiny: tuple[Path, dict[str, Resource]], mirror: str, tmp_path: Path
) -> None:
    _, resources = tiny
    dest = tmp_path / "download" / "train-labels-idx1-ubyte.gz"
    with pytest.raises(DatasetError, match="checksum mismatch"):
        data.fetch(mirror + dest.name, dest, "f" * 64, progress=False)
    assert not dest.parent.exists() or list(dest.parent.iterdir()) == []


def test_interrupted_download_leaves_no_file(
    tiny: tuple[Path, dict[str, Resource]], mirror: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, resources = tiny
    r = resources["train-images"]

    class Interrupted(KeyboardInterrupt):
        pass

    real_open = data.urllib.request.urlopen

    def dying_urlopen(*args: object, **kwargs: object) -> object:
        response = real_open(*args, **kwargs)
        reads = iter([response.read(100)])

        def read(_size: int = -1) -> bytes:
            chunk = next(reads, None)
            if chunk is None:
                raise Interrupted  # the user pressed Ctrl+C mid-download
            return chunk

        response.read = read  # type: ignore[method-assign]
        return response

    monkeypatch.setattr(data.urllib.request, "urlopen", dying_urlopen)
    dest = tmp_path / "download" / r.filename
    with pytest.raises(Interrupted):
        data.fetch(mirror + r.filename, dest, r.sha256, progress=False)
    assert list(dest.parent.iterdir()) == [], "neither the file nor a .part file may remain"


def test_validation_split_is_seeded_and_disjoint(tiny: tuple[Path, dict[str, Resource]], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, resources = tiny
    monkeypatch.setattr(data, "RESOURCES", resources)
    a = data.load_fashion_mnist(folder, val_size=2, seed=1)
    b = data.load_fashion_mnist(folder, val_size=2, seed=1)
    c = data.load_fashion_mnist(folder, val_size=2, seed=2)
    assert (len(a.train), len(a.val), len(a.test)) == (4, 2, 3)
    assert torch.equal(a.val.labels, b.val.labels)
    assert not torch.equal(a.val.labels, c.val.labels) or not torch.equal(a.train.labels, c.train.labels)
    assert sorted(a.train.labels.tolist() + a.val.labels.tolist()) == [0, 1, 2, 3, 4, 5]


def test_real_dataset_when_installed() -> None:
    if not all((data.DEBIAN_DIR / r.filename).is_file() for r in data.RESOURCES.values()):
        pytest.skip("dataset-fashion-mnist is not installed")
    raw = data.load_raw(data.DEBIAN_DIR, download=False)
    assert raw["train-images"].shape == (60_000, 28, 28) and raw["test-images"].shape == (10_000, 28, 28)
    assert np.bincount(raw["train-labels"]).tolist() == [6000] * 10
