"""What a notebook page says it backs: the questions whose `demo` points to it, linked.

Generated from the `demo` links, never written by hand, so the two directions
cannot drift apart: a question that cites a notebook is listed on it.
"""

from __future__ import annotations

import html
import posixpath

from .markup import INLINE_CODE
from .model import Source
from .search import question_location

CLASS = "nb-backs"


def backed_questions(source: Source) -> dict[str, list[tuple[str, str]]]:
    """Notebook path (`notebooks/x.ipynb`) -> (question title, its site location) of each question citing it."""
    backed: dict[str, list[tuple[str, str]]] = {}
    for q in source.questions:
        notebook = q.demo.partition("#")[0]
        backed.setdefault(notebook, []).append((q.question, question_location(source, q.id)))
    return backed


def backlinks_html(questions: list[tuple[str, str]], page_url: str) -> str:
    """A short paragraph linking each question from the page at `page_url`.

    `page_url` is a directory URL (notebooks/x/) in the site and a file's
    (notebooks/x.html) in the offline copy, where links must name the file:
    file:// has no index page for a folder.
    """
    directory_urls = page_url == "" or page_url.endswith("/")
    here = page_url.rstrip("/") if directory_urls else posixpath.dirname(page_url)
    links = []
    for title, location in questions:
        page, _, anchor = location.partition("#")
        page = page.rstrip("/")
        target = f"{posixpath.relpath(page, here or '.')}/" if directory_urls else posixpath.relpath(f"{page}.html", here or ".")
        href = f"{target}#{anchor}"
        links.append(f'<a href="{html.escape(href)}">{_title_html(title)}</a>')
    label = "The question this notebook backs" if len(links) == 1 else "The questions this notebook backs"
    return f'<p class="{CLASS}">{label}: {"; ".join(links)}.</p>'


def _title_html(title: str) -> str:
    # Escaped as a whole first: the title is author text; only its code spans become markup.
    return INLINE_CODE.sub(lambda m: f"<code>{m.group(2).strip()}</code>", html.escape(title, quote=False))
