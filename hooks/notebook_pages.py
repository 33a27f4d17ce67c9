"""MkDocs hook: publish the executed notebooks in notebooks/ as pages.

The notebooks live at the top level, next to the package they import, not
under docs/. This hook adds each one to the build as `notebooks/<name>.ipynb`
before mkdocs-jupyter looks at the files, so it renders them like any page.
Their committed outputs are shown as they are: building the site never runs
a notebook, so it needs neither torch nor the data set. The rendered HTML is
slimmed (page_html.notebook): no inlined stylesheet or scripts, SVG plots
inlined for the site's stylesheet to colour, PNG plots as files next to the
page, math as MathML.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from rebuilds import fresh_imports, kept

with fresh_imports():  # edited code takes effect at the next rebuild of `mkdocs serve`
    from page_html.figure import FigureError
    from page_html.mathml import FormulaError
    from page_html.notebook import Image, SlimPage, slim

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

FOLDER = "notebooks"
SEARCH_BOOST = 0.3  # relative to 1 for an ordinary page
# Slimmed pages, keyed by input and code: `mkdocs serve` rebuilds every page on
# every save, and re-slimming ten unchanged notebooks was most of a rebuild.
# Next to mkdocs-jupyter's own cache, outside every watched folder.
CACHE_DIR = Path(".cache") / "notebook-pages"
SLIMMED = kept("slimmed notebook pages")

# Images of each notebook page, from on_page_content until on_post_page writes them.
_images: dict[str, tuple[Image, ...]] = {}


# mkdocs-jupyter claims .ipynb files in its own on_files (priority 0); run before it.
@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    for path in sorted((root / FOLDER).glob("*.ipynb")):
        files.append(
            File(f"{FOLDER}/{path.name}", src_dir=str(root), dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
        )
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Slim the notebook's HTML and offer the .ipynb itself under its title."""
    if not _is_notebook(page):
        return html
    try:
        slimmed = _cached_slim(html, f"Plot from {page.title}", Path(config.config_file_path).parent / CACHE_DIR)
    except FormulaError as exc:
        raise PluginError(f"{page.file.abs_src_path}: {exc}. Fix: correct the LaTeX in the Markdown cell.") from None
    except FigureError as exc:
        raise PluginError(f"{page.file.abs_src_path}: {exc}. Fix: re-run the notebook (make notebooks).") from None
    _images[page.file.src_uri] = slimmed.images
    html = slimmed.html
    # A notebook mentions "learning rate" or "Adam" in every cell; the question that
    # answers the term should come first in search, the demonstration after it.
    # The questions' own boost does most of that (interview_qa/search.py); this one
    # keeps a notebook below the site's other pages too.
    page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST)
    name = page.file.src_uri.rsplit("/", 1)[-1]
    link = download_link(name)
    # After the notebook's first heading, so the title still comes first.
    head_end = html.find("</h1>")
    return html[: head_end + 5] + link + html[head_end + 5 :] if head_end >= 0 else link + html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Write the page's plots next to its index.html, where its <img> tags point."""
    folder = Path(page.file.abs_dest_path).parent
    for image in _images.pop(page.file.src_uri, ()):
        (folder / image.name).write_bytes(image.data)
    return output


# The slimming code is part of each cache key, so editing it re-slims every
# page. Read once per load of this hook (MkDocs loads it again with each config).
_SLIM_CODE = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(slim.__code__.co_filename).parent.glob("*.py")))


def _cached_slim(html: str, alt_prefix: str, cache_dir: Path) -> SlimPage:
    # In memory from one rebuild to the next under `mkdocs serve` (which drops it when code
    # changes), else from the cache folder.
    return SLIMMED.get((html, alt_prefix), lambda: _slim_from_disk(html, alt_prefix, cache_dir))


def _slim_from_disk(html: str, alt_prefix: str, cache_dir: Path) -> SlimPage:
    key = hashlib.sha256("\0".join((html, alt_prefix, _SLIM_CODE)).encode()).hexdigest()
    entry = cache_dir / f"{key}.json"
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
        images = tuple(Image(i["name"], base64.b64decode(i["data"])) for i in cached["images"])
        return SlimPage(cached["html"], images)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not cached yet, or unreadable: slim again and rewrite it
    slimmed = slim(html, alt_prefix=alt_prefix)
    data = {"html": slimmed.html, "images": [{"name": i.name, "data": base64.b64encode(i.data).decode()} for i in slimmed.images]}
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written whole or not at all, so a crash never leaves a truncated entry to trust.
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, entry)
    return slimmed


def _is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith(f"{FOLDER}/") and page.file.src_uri.endswith(".ipynb")


def download_link(filename: str) -> str:
    return (
        f'<p class="nb-download"><a href="{filename}" download>Download this notebook ({filename})</a> '
        "to run it yourself: it needs this repository's <code>trainlab</code> package.</p>"
    )
