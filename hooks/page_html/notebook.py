"""Make mkdocs-jupyter's notebook HTML light: no inlined CSS or scripts, images as files.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (~570 KB) into every
notebook page, embeds every plot as base64, and adds MathJax, Mermaid (from a
CDN) and clipboard scripts. `slim` keeps the notebook's content and structure
and drops the rest; the site's own notebook.css styles what remains, with
Material's colours, so dark mode comes for free.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .figure import inline_svg
from .mathml import dollars_to_mathml

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_DATA = "data:image/svg+xml;base64,"
# Where an inline figure goes once the page is serialized: the HTML parser would lower-case its viewBox.
FIGURE_SLOT = re.compile(r'<nb-figure data-key="([0-9a-f]+)"[^>]*></nb-figure>')
STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.DOTALL | re.IGNORECASE)
NOT_PROSE = {"code", "pre", "script", "style", "math", "kbd"}


@dataclass(frozen=True)
class Image:
    name: str  # file name, next to the page's index.html
    data: bytes


@dataclass(frozen=True)
class SlimPage:
    html: str
    images: tuple[Image, ...]


def slim(html: str, *, alt_prefix: str = "Figure") -> SlimPage:
    """The notebook page `html` without inlined assets; its images returned as files."""
    # Cut the inlined stylesheets before parsing: they are most of the bytes.
    # (find_all rather than CSS selectors below, for the same reason: every
    # `mkdocs serve` rebuild slims every notebook page.)
    soup = BeautifulSoup(STYLE.sub("", html), "html.parser")
    _drop_inline_assets(soup)
    _code_as_site_code(soup)
    figures: dict[str, str] = {}
    images = _images_to_files(soup, alt_prefix, figures)
    _drop_jupyter_chrome(soup)
    _math_to_mathml(soup)
    # Outputs are logs, tables and plots: useful on the page, noise in search.
    # Material's indexer tracks excluded elements by tag name only, so the
    # first nested </div> would end the exclusion: mark every element inside.
    for prompt in soup.find_all(class_=["jp-InputPrompt", "jp-OutputPrompt"]):
        prompt["data-search-exclude"] = ""  # "In [3]:" is not a search term
    for output in soup.find_all(class_="jp-OutputArea-output"):
        for element in [output, *output.find_all(True)]:
            element["data-search-exclude"] = ""
    html = FIGURE_SLOT.sub(lambda m: figures[m.group(1)], str(soup))
    return SlimPage(html, tuple(images))


def _drop_inline_assets(soup: BeautifulSoup) -> None:
    for style in soup.find_all("style"):
        style.decompose()
    for script in soup.find_all("script"):
        # Every script mkdocs-jupyter emits is one of: MathJax (an empty src and
        # its config), Mermaid (imported from a CDN) or the clipboard element
        # replaced below. Material's own scripts are outside the page content.
        script.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def _code_as_site_code(soup: BeautifulSoup) -> None:
    """Input cells as Material code blocks: its highlighting, colours and copy button."""
    for copy in soup.find_all(class_=["zeroclipboard-container", "clipboard-copy-txt"]):
        copy.decompose()  # the text is already in the <pre>; Material adds its own copy button
    for block in soup.find_all("div", class_="highlight-ipynb"):
        block["class"] = ["highlight", *[c for c in block.get("class", []) if c.startswith("hl-")]]
        pre = block.find("pre")
        if isinstance(pre, Tag) and pre.find("code", recursive=False) is None:
            code = soup.new_tag("code")
            for child in list(pre.contents):
                code.append(child.extract())
            pre.append(code)


def _images_to_files(soup: BeautifulSoup, alt_prefix: str, figures: dict[str, str]) -> list[Image]:
    """PNG plots become files next to the page; SVG plots are inlined (their markup put in `figures`)."""
    images: list[Image] = []
    heading = ""
    for element in soup.find_all(["h1", "h2", "h3", "img"]):
        if element.name != "img":
            heading = element.get_text(" ", strip=True).rstrip("¶").strip()
            continue
        src = str(element.get("src", ""))
        if src.startswith(SVG_DATA):
            svg = base64.b64decode(src[len(SVG_DATA):]).decode("utf-8")
            key = hashlib.sha256(svg.encode()).hexdigest()[:8]
            figure = inline_svg(svg, key=f"f{key}", label=f"{alt_prefix}: {heading}" if heading else alt_prefix)
            figures[key] = figure.markup
            images.extend(Image(n, d) for n, d in figure.rasters if not any(i.name == n for i in images))
            element.replace_with(soup.new_tag("nb-figure", attrs={"data-key": key}))
            continue
        if not src.startswith("data:image/png;base64,"):
            continue
        data = base64.b64decode(src.split(",", 1)[1])
        name = f"fig-{hashlib.sha256(data).hexdigest()[:12]}.png"
        width, height = png_size(data)
        element["src"] = name
        element["width"], element["height"] = str(width), str(height)
        # The first figure is usually in view at once (often the largest thing
        # on screen, so fetch it early); the rest load as the reader scrolls.
        if images:
            element["loading"] = "lazy"
        else:
            element["fetchpriority"] = "high"
        element["decoding"] = "async"
        element["alt"] = f"{alt_prefix}: {heading}" if heading else alt_prefix
        element["class"] = [c for c in element.get("class", []) if c != "jp-needs-dark-background"] or None
        if element["class"] is None:
            del element["class"]
        if not any(image.name == name for image in images):
            images.append(Image(name, data))
    return images


def _drop_jupyter_chrome(soup: BeautifulSoup) -> None:
    # Empty collapser columns and tabindex="0" on plain divs: bytes for nothing
    # and, for tabindex, a focus stop with no purpose for keyboard users.
    for collapser in soup.find_all(class_="jp-Collapser"):
        collapser.decompose()
    for focusable in soup.find_all(class_=["jp-Cell-inputWrapper", "jp-Cell-outputWrapper"], tabindex=True):
        del focusable["tabindex"]


def _math_to_mathml(soup: BeautifulSoup) -> None:
    for cell in soup.find_all(class_="jp-RenderedMarkdown"):
        for text in list(cell.find_all(string=True)):
            if not isinstance(text, NavigableString) or isinstance(text, Comment):
                continue
            if any(parent.name in NOT_PROSE for parent in text.parents):
                continue
            converted = dollars_to_mathml(str(text))
            if converted is not None:
                text.replace_with(BeautifulSoup(converted, "html.parser"))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)
