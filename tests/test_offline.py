"""The offline copy (`make offline`, mkdocs.offline.yml): a site that works opened from disk."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, copy_project, mkdocs

OFFLINE_CONFIG = ROOT / "mkdocs.offline.yml"
# Features the offline copy leaves out, each for a reason given in mkdocs.offline.yml.
OFF_FEATURES = {"navigation.instant"}


def _config(path: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load

    with path.open(encoding="utf-8") as f:
        return yaml_load(f)  # resolves INHERIT the way `mkdocs build` does


# What `make offline` copies from npm's pinned iframe-worker package, and where (see the Makefile).
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_IN_THEME = Path("offline") / "assets" / "javascripts" / "iframe-worker.js"


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built as `make offline` builds it, from a copy of the project: the shim is not written into the real one."""
    if not SHIM.is_file():
        pytest.fail(f"{SHIM} not found: run `npm ci` (make test does) to install iframe-worker")
    project = copy_project(tmp_path_factory.mktemp("project"))
    shutil.copy2(OFFLINE_CONFIG, project / OFFLINE_CONFIG.name)
    (project / SHIM_IN_THEME).parent.mkdir(parents=True)
    shutil.copy2(SHIM, project / SHIM_IN_THEME)
    out = tmp_path_factory.mktemp("site-offline")
    mkdocs("build", "--strict", "--config-file", OFFLINE_CONFIG.name, "--site-dir", str(out), cwd=project)
    return out


def test_the_search_worker_shim_is_the_pinned_package_byte_for_byte(offline_site: Path) -> None:
    served = offline_site / "assets" / "javascripts" / "iframe-worker.js"
    assert served.read_bytes() == SHIM.read_bytes()


def test_offline_config_differs_from_the_site_only_where_it_says() -> None:
    """The restated lists (MkDocs replaces lists under INHERIT) cannot drift from mkdocs.yml."""
    online, offline = _config(ROOT / "mkdocs.yml"), _config(OFFLINE_CONFIG)
    features = online["theme"]["features"]
    assert OFF_FEATURES <= set(features), "a feature turned off offline is no longer on in the site"
    assert offline["theme"]["features"] == [f for f in features if f not in OFF_FEATURES]
    assert offline["plugins"] == [*online["plugins"], "offline"]
    assert offline["hooks"] == online["hooks"]


class _Refs(HTMLParser):
    """Every (tag, attribute, value, rel) that names another file."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = dict(attrs).get("rel") or ""
        self.refs += [(tag, name, value, rel) for name, value in attrs if name in ("href", "src") and value]


def _pages(site: Path) -> Iterator[Path]:
    # 404.html is for a web server, which sends it for any missing path: its links start
    # at the site's root (/assets/...). Opened from disk, no page leads to it.
    return (p for p in sorted(site.rglob("*.html")) if p.relative_to(site) != Path("404.html"))


def test_every_local_link_and_asset_is_a_file_and_nothing_loads_from_elsewhere(offline_site: Path) -> None:
    """file:// has no folder index: `questions/x/` would open a directory listing, not the page."""
    missing, remote = [], []
    for page in _pages(offline_site):
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(offline_site)
        for tag, attr, value, rel in parser.refs:
            url = urlsplit(value)
            if url.scheme in ("http", "https") or value.startswith("//"):
                # A link the reader may follow is fine; something the page itself loads is not.
                if not (tag == "a" or rel in ("canonical", "alternate")):
                    remote.append(f"{where}: <{tag} {attr}={value}>")
            elif not url.scheme and url.path and not (page.parent / unquote(url.path)).is_file():
                missing.append(f"{where}: <{tag} {attr}={value}>")
    assert not remote, remote[:20]
    assert not missing, missing[:20]


@pytest.mark.browser
def test_opened_from_disk_search_finds_a_question_and_its_notebook_renders(browser: object, offline_site: Path) -> None:
    context = browser.new_context(color_scheme="light")  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # ERR_ABORTED is a load cut short by leaving the page (the favicon, say), not a missing file.
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
            and errors.append(f"failed to load {r.url}: {r.failure}"))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((offline_site / "index.html").as_uri(), wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("zero_grad")
        # As in the site: the best group is the question's topic page, its first section the question.
        group = page.locator(".md-search-result__list > li").first
        group.wait_for(timeout=15_000)
        links = [a.get_attribute("href") or "" for a in group.locator("a").all()]
        assert links and "/questions/training-loop.html" in links[0], links
        sections = [href for href in links if "#" in href]
        assert sections and "#zero-grad" in sections[0], links
        group.locator("a").nth(links.index(sections[0])).click()
        page.wait_for_url(lambda url: url.startswith("file://") and url.endswith("#zero-grad"))
        page.locator("h2#zero-grad").wait_for()

        # The question's "See it run" link, into its notebook page, read from disk.
        demo = page.locator("h2#zero-grad ~ * a.qa-demo").first
        assert ".html#" in (demo.get_attribute("href") or "")
        demo.click()
        page.wait_for_url("**/notebooks/training-step.html#*")
        assert page.locator("article h1").first.inner_text().strip()
        assert page.locator("svg.nb-figure").count() > 0, "the notebook's plots are drawn"
        # And back along the notebook's own link to a question it backs.
        page.locator("p.nb-backs a").first.click()
        page.wait_for_url("**/questions/training-loop.html#*")

        # A page whose own script is raw HTML: the playground starts.
        page.goto((offline_site / "playground.html").as_uri(), wait_until="load")
        page.locator("#lr-playground[data-ready]").wait_for(timeout=10_000)
    finally:
        context.close()
    assert not errors, errors
    foreign = [u for u in requests if urlsplit(u).scheme not in ("file", "data", "blob", "about")]
    assert not foreign, foreign
