"""Questions in the search index: found by their other names, and ranked above the pages that support them.

Material's search index has one entry per section, with `title` (boost 1000)
and `text` (boost 1) fields; a synonym in the text loses to any title that
shares a word part with it (`set_to_none` to "Why do we need a validation
set?"). mkdocs.yml declares a `synonyms` field weighed ten times a title, and
this fills it in each question's entry once the index is written.

Every other page supports the questions: a notebook, the playground and the
home page name "momentum" or "early stopping" in a heading, while the question
that explains the term names it in its answer, text that weighs a thousandth of
a heading. So each question's entry gets the title boost as its own boost: a
word in an answer then counts like the same word in another page's heading,
and the question comes first, the demonstration after it.
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


def question_boost(index: dict[str, Any]) -> float:
    """The boost of a question's entry: the index's title boost (see the module's docstring)."""
    return float(index["config"]["fields"]["title"]["boost"])


def for_questions(index: dict[str, Any], source: Source) -> dict[str, Any]:
    """`index` (search_index.json, parsed) with each question's entry boosted and its synonyms in their field."""
    boost = question_boost(index)
    # Only the questions: each topic page's own entry (its title and one-sentence intro) keeps the
    # default boost. That entry is the page's heading in the results and names the topic's terms in a
    # few words, and Material already scores a page's own entry up to 2.5 times a section matching the
    # same words (score x (1 + g^2), g = 1 for a page's entry plus the share of query words matched). At
    # the question boost it would put its page, and the page's questions under it, before the question
    # that answers `loss.backward()` or "network not learning"; lower than the default changed nothing.
    words = {question_location(source, q.id): " ".join(s.replace("`", "") for s in q.synonyms) for q in source.questions}
    docs = []
    for doc in index["docs"]:
        if doc.get("location") in words:
            doc = {**doc, "boost": boost}
            if words[doc["location"]]:
                doc[FIELD] = words[doc["location"]]
        docs.append(doc)
    return {**index, "docs": docs}
