"""Page-weight budgets on the built site: HTML bytes per page, search index, a first visit's transfer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from page_html.budgets import KB, budget
from support import visit

FIRST_VISIT_BUDGET = 500 * KB  # everything a first visit to the largest notebook page transfers
INDEX_BUDGET = 500 * KB  # search/search_index.json


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_notebook(page: Path, site: Path) -> bool:
    return page.relative_to(site).parts[0] == "notebooks"


def test_every_page_within_its_html_budget(site: Path) -> None:
    over = []
    for page in pages(site):
        limit = budget(page.relative_to(site).as_posix())
        size = page.stat().st_size
        if size > limit:
            over.append(f"{page.relative_to(site)}: {size / KB:.1f} KB > {limit / KB:.0f} KB")
    assert not over, over
    assert sum(is_notebook(p, site) for p in pages(site)) == len(list((ROOT / "notebooks").glob("*.ipynb")))


def test_notebook_pages_carry_no_inlined_styles_scripts_or_encoded_images(site: Path) -> None:
    for page in pages(site):
        if not is_notebook(page, site) or page.name != "index.html":
            continue
        article = page.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
        assert "<style" not in article and "<script" not in article, page
        assert "data:image" not in article and "cdnjs" not in article, page
        for img in re.findall(r"<img [^>]+>", article):
            src = re.search(r'src="([^"]+)"', img)
            assert src and (page.parent / src.group(1)).is_file(), img[:120]
            assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img), img[:120]
            assert re.search(r'alt="[^"]{10,}"', img), img[:120]
        for svg in re.findall(r"<svg [^>]*nb-figure[^>]*>", article):
            assert 'role="img"' in svg and re.search(r'aria-label="[^"]{10,}"', svg), svg[:160]
        for raster in re.findall(r'<image [^>]*href="([^"]+)"', article):
            assert (page.parent / raster).is_file(), raster
        assert not re.search(r"(?<![\w$])\$[^$\s<][^$<]*\$", re.sub(r"<(code|pre)\b.*?</\1>", "", article, flags=re.S)), (
            f"{page}: raw $...$ math left in a Markdown cell"
        )


def test_search_index_is_small_and_free_of_notebook_output(site: Path) -> None:
    index = site / "search" / "search_index.json"
    assert index.stat().st_size <= INDEX_BUDGET, f"{index.stat().st_size / KB:.0f} KB"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    text = " ".join(d["text"] for d in docs)
    for noise in ("data:image", "base64", "Traceback", "Kernel is running", "iVBORw0KGgo"):
        assert noise not in text, noise
    assert not re.search(r"\S{200,}", text), "an unbroken 200-character token: encoded data in the index"
    # Printed by the seeds notebook: outputs are on the page, not in search.
    assert "bit for bit: True" not in text
    assert "In [2]:" not in text, "prompts are not search terms"
    assert any(d["location"].startswith("notebooks/seeds/") for d in docs), "the notebook's prose is still indexed"


@pytest.mark.browser
def test_first_visit_to_the_largest_notebook_page_within_budget(browser: object, site: Path, site_url: str) -> None:
    largest = max((p for p in pages(site) if is_notebook(p, site)), key=lambda p: p.stat().st_size)
    url = site_url + largest.parent.relative_to(site).as_posix() + "/"
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    visit(page, url, idle=True)
    # Bytes on the wire, compressed as the static host sends them, headers included.
    sizes = {r.url: r.request.sizes() for r in responses}
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    context.close()
    assert all(u.startswith(site_url) for u in sizes), [u for u in sizes if not u.startswith(site_url)]
    assert total <= FIRST_VISIT_BUDGET, f"{url}: {total / KB:.0f} KB in {len(sizes)} requests"
