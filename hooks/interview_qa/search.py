"""Questions found by their other names: each question's `synonyms` in its own field of the search index.

Material's search index has one entry per section, with `title` (boost 1000)
and `text` (boost 1) fields; a synonym in the text loses to any title that
shares a word part with it (`set_to_none` to "Why do we need a validation
set?"). mkdocs.yml declares a `synonyms` field weighed ten times a title, and
this fills it in each question's entry once the index is written.
"""

from __future__ import annotations

import posixpath
from typing import Any

from .model import Source
from .render import topic_page_path

FIELD = "synonyms"  # as declared under the search plugin's `fields` in mkdocs.yml


def question_location(source: Source, question_id: str) -> str:
    """The search index location of a question: its topic page's URL and the question's anchor."""
    q = next(q for q in source.questions if q.id == question_id)
    page = posixpath.splitext(topic_page_path(next(t for t in source.topics if t.id == q.topic)))[0]
    return f"{page}/#{q.id}"


def with_synonyms(index: dict[str, Any], source: Source) -> dict[str, Any]:
    """`index` (search_index.json, parsed) with each question's synonyms in its entry's `synonyms` field."""
    words = {question_location(source, q.id): " ".join(s.replace("`", "") for s in q.synonyms)
             for q in source.questions if q.synonyms}
    docs = [{**doc, FIELD: words[doc["location"]]} if doc.get("location") in words else doc for doc in index["docs"]]
    return {**index, "docs": docs}
