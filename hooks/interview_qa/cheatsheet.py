"""The printable cheat sheet: every question with its simple answer, its common mistake and what was measured.

Generated from the same source as the Q&A pages, so it never lags behind
them. On screen it is a plain page; on paper (docs/assets/stylesheets/extra.css,
`.qa-sheet`) it sets two columns of small type, for A4 and Letter alike.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from .evidence import split_sentences
from .markup import front_matter, inline, rebase_links
from .model import Question, Source

PATH = "cheat-sheet.md"  # under docs/, served at cheat-sheet/
TITLE = "Cheat sheet"
HEADING_ID = "cheat-sheet"
MEASURED_SENTENCES = 2  # the takeaway, then the first sentence with numbers


def excerpt(measured: str) -> str:
    """What the sheet quotes of a `measured` text, raw or filled: its first sentences.

    The cut must still follow the evidence rule (both sides where metrics
    disagree, a spread with every value): tests/test_measured_rule.py checks it.
    """
    return " ".join(split_sentences(measured)[:MEASURED_SENTENCES])


def render_cheatsheet(source: Source, measured: Mapping[str, str], topic_pages: Mapping[str, str], overview: str) -> str:
    """The page's Markdown. `topic_pages` maps each topic id to its Q&A page, `overview` is the questions'
    overview page (paths under docs/)."""
    overview = posixpath.relpath(overview, posixpath.dirname(PATH) or ".")
    parts = [
        # The answers are indexed where they live; here they would only repeat them in search.
        front_matter(title=TITLE, search={"exclude": True}, hide=["toc"]),
        f"# 🖨️ {TITLE} {{ #{HEADING_ID} }}\n",
        "Every question with its simple answer, the common mistake and what the experiment measured, set to "
        "print on A4 or Letter (Ctrl+P or ⌘P). The technical answers and the notebooks are on "
        f"[the full pages]({overview}).\n",
    ]
    for topic in source.topics:
        questions = source.questions_in(topic.id)
        if not questions:
            continue
        parts.append(f'<div class="qa-sheet" markdown>\n\n## {inline(topic.title)} {{ #{topic.id} }}\n')
        parts.extend(_entry(q, topic_pages[topic.id], measured[q.id]) for q in questions)
        parts.append("</div>\n")
    return "\n".join(parts)


def _entry(q: Question, topic_page: str, measured: str) -> str:
    def here(text: str) -> str:
        return rebase_links(text, topic_page, PATH)

    link = posixpath.relpath(topic_page, posixpath.dirname(PATH) or ".")
    evidence = excerpt(measured)
    return (
        '<div class="qa-sheet-q" markdown>\n\n'
        f"**[{inline(q.question)}]({link}#{q.id})**\n\n"
        f"{here(q.simple).strip()}\n\n"
        f"⚡ {here(q.mistake).strip()}\n\n"
        f"🔬 {here(evidence).strip()}\n\n"
        "</div>\n"
    )
