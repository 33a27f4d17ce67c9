"""The last word on a generated page's HTML: formulas as MathML, then the allowlist sanitizer.

Every field was already checked on its own (`safety`), but a page is more
than its fields: a reference-style link defined in one answer can be used in
another, and the sanitizer must see what readers get. A change here is an
error too, named after the question it falls in.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

from page_html.mathml import FormulaError, arithmatex_to_mathml
from page_html.sanitize import Change, clean, first_change

from .cheatsheet import HEADING_ID as CHEATSHEET_ID
from .model import Source, SourceError
from .practice import own_scripts


def clean_page(html: str, source: Source, page: str) -> str:
    """`html` of the generated page `page` (its path under docs/), sanitized; `SourceError` if that changed it."""
    own_ids = ["overview", "practice", CHEATSHEET_ID, *(t.id for t in source.topics), *(q.id for q in source.questions)]
    # Only those the page holds: a new question elsewhere then leaves the page's cached result valid
    # (answers cannot carry ids of their own: `safety` refuses them in every field).
    on_page = frozenset(i for i in own_ids if i in html)
    try:
        checked, cleaned, change = _sanitized(html, page, on_page)
    except FormulaError as exc:
        raise SourceError(source.path, None, f"on the generated page {page}: {exc}",
                          "correct the LaTeX, or write the formula in backticks") from None
    if change is not None:
        raise _blame(source, checked, change.offset, f"the sanitizer would change the page {page}: {change.problem}")
    return cleaned


# A rebuild under `mkdocs serve` sends every page through again; most are unchanged.
@lru_cache(maxsize=64)
def _sanitized(html: str, page: str, own_ids: frozenset[str]) -> tuple[str, str, Change | None]:
    """The page as checked (formulas as MathML), as cleaned (its own scripts back), and the first change cleaning made."""
    html = arithmatex_to_mathml(html)
    # The page's own scripts stand aside while the rest is cleaned, behind a
    # token no author can know in advance.
    nonce = secrets.token_hex(8)
    scripts = own_scripts(page)
    for i, script in enumerate(scripts):
        html = html.replace(script, f"qa-own-{nonce}-{i}")
    cleaned = clean(html, own_ids)
    change = first_change(html, cleaned)
    for i, script in enumerate(scripts):
        cleaned = cleaned.replace(f"qa-own-{nonce}-{i}", script)
    return html, cleaned, change


def _blame(source: Source, html: str, offset: int, problem: str) -> SourceError:
    """The error, named after the question (or topic) whose section holds `offset`."""
    owner, best = None, -1
    for entry in (*source.topics, *source.questions):
        for match in re.finditer(rf'\bid="{re.escape(entry.id)}"', html[:offset]):
            if match.start() > best:
                owner, best = entry, match.start()
    fix = ("this comes from text in more than one place, such as a reference-style link defined in one answer "
           "and used in another: write links inline, as [text](https://...), with http, https, mailto or "
           "relative addresses")
    if owner is None:
        return SourceError(source.path, None, problem, fix)
    is_question = owner in source.questions
    return SourceError(source.path, owner.line, problem, fix,
                       question_id=owner.id if is_question else None, topic_id=None if is_question else owner.id)
