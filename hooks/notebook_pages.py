"""MkDocs hook: publish the executed notebooks in notebooks/ as pages.

The notebooks live at the top level, next to the package they import, not
under docs/. This hook adds each one to the build as `notebooks/<name>.ipynb`
before mkdocs-jupyter looks at the files, so it renders them like any page.
Their committed outputs are shown as they are: building the site never runs
a notebook, so it needs neither torch nor the data set.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

FOLDER = "notebooks"
SEARCH_BOOST = 0.3  # relative to 1 for an ordinary page

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
    """Offer the .ipynb itself under the notebook's title (mkdocs-jupyter copies it next to the page)."""
    if not page.file.src_uri.startswith(f"{FOLDER}/") or not page.file.src_uri.endswith(".ipynb"):
        return html
    # A notebook mentions "learning rate" or "Adam" in every cell; the question that
    # answers the term should come first in search, the demonstration after it.
    page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST)
    name = page.file.src_uri.rsplit("/", 1)[-1]
    link = download_link(name)
    # After the notebook's first heading, so the title still comes first.
    head_end = html.find("</h1>")
    return html[: head_end + 5] + link + html[head_end + 5 :] if head_end >= 0 else link + html

def download_link(filename: str) -> str:
    return (
        f'<p class="nb-download"><a href="{filename}" download>Download this notebook ({filename})</a> '
        "to run it yourself: it needs this repository's <code>trainlab</code> package.</p>"
    )
