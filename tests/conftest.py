"""Shared fixtures: the project root, a built site, a local server for it, a browser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Under pytest-xdist every core already runs a worker. A torch thread pool per worker on top of that spins
# waiting for cores the other workers hold: test_training's tiny fits took 40 s instead of 0.8 s. One thread
# each, set before anything imports torch (support does).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["OMP_NUM_THREADS"] = "1"

from support import copy_project, serve  # noqa: E402,F401 (copy_project is imported by tests from here)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# The hook's pure modules are imported the way MkDocs imports them: from hooks/.
sys.path.insert(0, str(ROOT / "hooks"))


def mkdocs(
    *args: str, cwd: Path = ROOT, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the mkdocs of this interpreter's environment, capturing its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def _served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder for the site and the URL it is served at, known before the build."""
    out = tmp_path_factory.mktemp("site")
    with serve(out) as url:
        yield out, url


@pytest.fixture(scope="session")
def site(_served: tuple[Path, str]) -> Path:
    """The real site, built once with --strict into a temporary folder.

    Built for the URL the tests serve it at: Material navigates instantly only
    to pages listed in sitemap.xml, whose addresses come from site_url.
    """
    out, url = _served
    mkdocs("build", "--strict", "--site-dir", str(out), env={"SITE_URL": url})
    return out


@pytest.fixture(scope="session")
def site_url(site: Path, _served: tuple[Path, str]) -> str:
    """The built site served over HTTP on 127.0.0.1, gzip included, as a reader's browser sees it."""
    return _served[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (its own browser download fails here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
