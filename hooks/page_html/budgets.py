"""How many bytes of HTML a page may weigh: the build warns past it, the tests hold every page to it."""

from __future__ import annotations

KB = 1024
PAGE_BUDGET = 40 * KB  # every Q&A, overview or practice page and every hand-written page
# Every notebook page, its plots included: they are inline SVG (page_html/figure.py), a tenth of the PNG files
# they replaced once compressed. Raster parts (an imshow) are separate files, not counted.
NOTEBOOK_BUDGET = 150 * KB
NOTEBOOKS = "notebooks/"  # where notebook pages live in the site
# The printable cheat sheet holds every question on one page, at about 1.1 KB each.
CHEATSHEET_BUDGET = 80 * KB
CHEATSHEET = "cheat-sheet"  # its source is cheat-sheet.md, its page cheat-sheet/index.html


def budget(path: str) -> int:
    """The budget of the page at `path` (its source path under docs/, or its place in the site)."""
    if path.startswith(NOTEBOOKS):
        return NOTEBOOK_BUDGET
    return CHEATSHEET_BUDGET if path.startswith(CHEATSHEET) else PAGE_BUDGET


def over_budget(path: str, title: str, html: str) -> str | None:
    """A warning for a page heavier than its budget, naming it and its size; None when it fits."""
    size, limit = len(html.encode("utf-8")), budget(path)
    if size <= limit:
        return None
    return (
        f"{path} ('{title}') weighs {size / KB:.1f} KB of HTML, over its {limit // KB} KB budget. Fix: "
        + ("move some output to another notebook or plot less" if path.startswith(NOTEBOOKS)
           else "split the topic in docs/questions.yml into two topics, or shorten its answers")
    )
