"""The pure HTML functions behind the page hooks: notebook slimming, MathML, whitespace."""

from __future__ import annotations

import re
import struct
import zlib

from page_html.mathml import to_mathml
from page_html.minify import collapse_whitespace
from page_html.notebook import png_size, slim


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def notebook_html(png: bytes) -> str:
    import base64

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
    from page_html.a11y import SEARCH_DIALOG, name_search_dialog

    out = name_search_dialog(f"<header>{SEARCH_DIALOG}<input></div></header>")
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">' in out
