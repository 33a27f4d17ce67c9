"""The pure HTML functions behind the page hooks: notebook slimming, MathML, whitespace."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path

import material
import pytest
from page_html.a11y import name_search_dialog
from page_html.figure import FigureError, inline_svg
from page_html.scripts import defer_theme_script
from page_html.mathml import to_mathml
from page_html.minify import collapse_whitespace
from page_html.notebook import png_size, slim
from page_html.paths import rebase_scripts


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def notebook_html(png: bytes) -> str:

    data = base64.b64encode(png).decode()
    return f"""<script>clipboard library</script><style type="text/css">.jp-Cell {{ color: red }}</style>
<!-- Load mathjax --><script src=""> </script><script type="text/x-mathjax-config">MathJax</script>
<script type="module">import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/mermaid.esm.min.mjs")</script>
<div class="jupyter-wrapper"><div class="jp-Cell jp-MarkdownCell"><div class="jp-Cell-inputWrapper" tabindex="0">
<div class="jp-Collapser"></div><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">
<h2 id="plot">The plot<a class="anchor-link" href="#plot">¶</a></h2>
<p>Rate $10^{{-6}}$ costs $5 and $10, and <code>$x$</code> stays code.</p></div></div></div>
<div class="jp-Cell jp-CodeCell"><div class="zeroclipboard-container"><clipboard-copy for="cell-1">copy</clipboard-copy></div>
<div class="highlight-ipynb hl-python"><pre><span></span><span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>
</pre></div><div class="clipboard-copy-txt" id="cell-1">x = 1</div>
<div class="jp-OutputArea"><div class="jp-RenderedImage jp-OutputArea-output">
<img alt="No description has been provided for this image" class="jp-needs-dark-background" src="data:image/png;base64,{data}">
</div></div></div></div>"""


def test_slim_drops_inlined_assets_and_keeps_the_content() -> None:
    page = slim(notebook_html(tiny_png(3, 2)), alt_prefix="Plot from Demo")
    html = page.html
    assert "<style" not in html and "<script" not in html and "<!--" not in html
    assert "cdnjs" not in html and "clipboard" not in html and "jp-Collapser" not in html
    assert 'tabindex="0"' not in html
    # Code cells become Material code blocks: its colours, its copy button.
    assert '<div class="highlight hl-python"><pre><code><span></span><span class="n">x</span>' in html


def test_slim_turns_embedded_plots_into_sized_lazy_files() -> None:
    png = tiny_png(3, 2)
    page = slim(notebook_html(png), alt_prefix="Plot from Demo")
    (image,) = page.images
    assert image.data == png and re.fullmatch(r"fig-[0-9a-f]{12}\.png", image.name)
    img = re.search(r"<img [^>]+>", page.html)
    assert img is not None
    tag = img.group(0)
    assert f'src="{image.name}"' in tag and 'width="3"' in tag and 'height="2"' in tag
    assert 'alt="Plot from Demo: The plot"' in tag, "alt text names the section the plot belongs to"
    assert "jp-needs-dark-background" not in tag, "transparent plots sit on the page colour"
    assert "base64" not in page.html


def test_slim_renders_markdown_math_but_not_money_or_code() -> None:
    html = slim(notebook_html(tiny_png(1, 1))).html
    assert html.count("<math ") == 1 and 'alttext="10^{-6}"' in html
    assert "costs $5 and $10" in html
    assert "<code>$x$</code>" in html


def test_slim_keeps_outputs_out_of_search() -> None:
    html = slim(notebook_html(tiny_png(1, 1))).html
    assert '<div class="jp-RenderedImage jp-OutputArea-output" data-search-exclude="">' in html
    assert re.search(r'<img [^>]*data-search-exclude=""', html)


def test_png_size_reads_the_header() -> None:
    assert png_size(tiny_png(825, 440)) == (825, 440)


def test_mathml_is_compact() -> None:
    mathml = to_mathml(r"\eta < \theta", block=False)
    assert "η" in mathml and "θ" in mathml and "&#x" not in mathml.replace("&#x0003C;", "")
    assert "xmlns" not in mathml
    assert 'alttext="\\eta &lt; \\theta"' in mathml


def test_collapse_whitespace_keeps_words_apart_and_code_verbatim() -> None:
    html = "<p>\n    one\n    <b>two</b>\n</p>\n<pre>  keep\n\n    this  </pre>\n    <script>\n  let a = 1\n</script>"
    out = collapse_whitespace(html)
    assert out == "<p>\none\n<b>two</b>\n</p>\n<pre>  keep\n\n    this  </pre>\n<script>\n  let a = 1\n</script>"


def test_search_dialog_gets_a_name() -> None:
    # Material's own template, as installed: the day it writes the dialog differently, this fails
    # rather than the page losing its name unnoticed.
    template = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(encoding="utf-8")
    out = name_search_dialog(template)
    assert out.count('role="dialog" aria-label="Search"') == 1 and out.count('role="dialog"') == 1


# A figure as matplotlib writes it: metadata, a global style, numbered ids, a clip path and a marker
# referred to by id, an embedded raster, and text with its own colour and font.
MATPLOTLIB_SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="345.6pt" height="244.8pt" viewBox="0 0 345.6 244.8"
 xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>
 <g id="figure_1">
  <g id="line2d_1"><path d="M 10.123456 20.987654 L 30.5 40.25" clip-path="url(#p0a1b2c3d)"
   style="fill: none; stroke: #2f7fd0; stroke-width: 1.8"/></g>
  <defs><path id="m5e6f7a8b" d="M 0 3 L 0 -3" style="stroke: #8a8f98"/></defs>
  <g><use xlink:href="#m5e6f7a8b" x="12.345678" y="200" style="stroke: #8a8f98"/></g>
  <image xlink:href="data:image/png;base64,{png}" id="image1" width="28" height="28" transform="matrix(1 0 0 1 5 5)"/>
  <g id="text_1"><text style="font-size: 11.5px; font-family: 'DejaVu Sans', sans-serif; text-anchor: middle; fill: #8a8f98"
   x="100" y="230">step</text></g>
 </g>
 <defs><clipPath id="p0a1b2c3d"><rect x="0" y="0" width="345.6" height="244.8"/></clipPath></defs>
</svg>
"""


def matplotlib_svg() -> str:

    return MATPLOTLIB_SVG.replace("{png}", base64.b64encode(tiny_png(2, 2)).decode())


def test_inline_svg_keeps_only_referenced_ids_prefixed_per_figure() -> None:

    markup = inline_svg(matplotlib_svg(), key="fab12", label="Plot from Demo: The plot").markup
    ids = set(re.findall(r'\bid="([^"]+)"', markup))
    assert ids == {"fab12-p0a1b2c3d", "fab12-m5e6f7a8b"}, "numbered ids would repeat across a page's figures"
    assert 'clip-path="url(#fab12-p0a1b2c3d)"' in markup and 'xlink:href="#fab12-m5e6f7a8b"' in markup
    # Not SVG 2's plain href: Material's instant navigation assigns .href on every [href] element, and an
    # SVG element's is read-only (tests/test_plot_legibility.py follows such a navigation in Chromium).
    assert not re.search(r"\shref=", markup)


def test_inline_svg_leaves_colour_and_font_of_text_to_the_page() -> None:

    markup = inline_svg(matplotlib_svg(), key="f1", label="Plot").markup
    text = re.search(r"<text [^>]*>step</text>", markup)
    assert text is not None
    assert 'style="font-size:11.5px;text-anchor:middle"' in text.group(0)
    assert "#2f7fd0" in markup, "line colours stay: they are chosen to read on both backgrounds"


def test_inline_svg_is_an_image_named_sized_in_css_pixels_and_out_of_search() -> None:

    markup = inline_svg(matplotlib_svg(), key="f1", label="Plot from Demo: The plot").markup
    root = re.match(r"<svg [^>]*>", markup)
    assert root is not None
    tag = root.group(0)
    assert 'width="461"' in tag and 'height="326"' in tag, "points to CSS px: 345.6 pt is 460.8 px"
    assert 'viewBox="0 0 345.6 244.8"' in tag
    assert 'role="img"' in tag and 'aria-label="Plot from Demo: The plot"' in tag
    assert 'data-search-exclude=""' in tag and 'class="nb-figure"' in tag
    assert "<metadata" not in markup and "<style" not in markup, "a <style> inline would style the whole page"
    assert "10.1 21" in markup and "12.3" in markup, "coordinates to 0.1 pt"


def test_inline_svg_moves_rasters_to_files() -> None:

    figure = inline_svg(matplotlib_svg(), key="f1", label="Plot")
    ((name, data),) = figure.rasters
    assert data == tiny_png(2, 2) and re.fullmatch(r"fig-[0-9a-f]{12}\.png", name)
    assert re.search(rf'<image [^>]*href="{name}"', figure.markup) and "base64" not in figure.markup


@pytest.mark.parametrize("bad", ["<svg", "<html/>", '<svg xmlns="http://www.w3.org/2000/svg"/>'])
def test_inline_svg_rejects_what_is_not_a_figure(bad: str) -> None:

    with pytest.raises(FigureError):
        inline_svg(bad, key="f1", label="Plot")


def test_slim_inlines_svg_plots_with_their_viewbox_case_intact() -> None:

    data = base64.b64encode(matplotlib_svg().encode()).decode()
    html = notebook_html(tiny_png(1, 1)).replace(
        '<div class="jp-RenderedImage jp-OutputArea-output">',
        f'<div class="jp-RenderedSVG jp-OutputArea-output"><img src="data:image/svg+xml;base64,{data}"></div>'
        '<div class="jp-RenderedImage jp-OutputArea-output">',
    )
    page = slim(html, alt_prefix="Plot from Demo")
    svg = re.search(r"<svg [^>]*>", page.html)
    assert svg is not None and "viewBox=" in svg.group(0) and 'aria-label="Plot from Demo: The plot"' in svg.group(0)
    assert "clipPath" in page.html, "the HTML parser must not lower-case SVG names"
    assert len(page.images) == 2, "the PNG plot and the figure's raster, both as files"
    assert "data:image" not in page.html


@pytest.mark.parametrize(
    ("src_uri", "written", "offline"),
    [
        ("playground.md", "../assets/javascripts/playground.js", "assets/javascripts/playground.js"),
        ("practice/loop.md", "../../assets/javascripts/practice.js", "../assets/javascripts/practice.js"),
        ("practice/index.md", "../assets/javascripts/practice.js", "../assets/javascripts/practice.js"),
        ("playground.md", "https://example.org/x.js", "https://example.org/x.js"),
        ("playground.md", "/x.js", "/x.js"),
    ],
)
def test_raw_scripts_move_with_their_page_when_urls_are_files(src_uri: str, written: str, offline: str) -> None:

    assert rebase_scripts(f'<p>x</p><script src="{written}" defer></script>', src_uri) == (
        f'<p>x</p><script src="{offline}" defer></script>'
    )


def test_only_materials_own_script_is_deferred() -> None:
    page = ('<script src="../x/practice.js" defer></script><script id="__config" type="application/json">{}</script>\n'
            '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>\n<script src="../y.js"></script>')
    deferred = defer_theme_script(page)
    assert deferred == page.replace('bundle.a5f9d56c.min.js"></script>', 'bundle.a5f9d56c.min.js" defer></script>')
    assert defer_theme_script(deferred) == deferred
    assert defer_theme_script("<p>no script</p>") == "<p>no script</p>"
