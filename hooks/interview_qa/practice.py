"""Render the practice pages: every question with its answers folded away, for active recall.

One page per topic, practice/<topic-id>.md, holds that topic's questions: each
a fold that opens onto its three answers, each folded again, so without
JavaScript a reader can still test themselves part by part. The entry page,
practice/index.md, links to every topic's page. docs/assets/javascripts/practice.js
turns a topic page's folds into a one-question-at-a-time quiz, and on the entry
page builds the quiz across all topics from the topic pages' folds, fetched
from the links, so no answer is sent twice in one page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from .markup import MEASURED_TITLE, MISTAKE_TITLE, SIMPLE_LABEL, TECHNICAL_LABEL, front_matter, indent, inline, rebase_links
from .model import Question, Source, Topic

PRACTICE_DIR = "practice"  # generated pages live at practice/*.md under docs/
ENTRY = f"{PRACTICE_DIR}/index.md"  # served at /practice/
SCRIPT = "assets/javascripts/practice.js"  # under docs/
# The scheduler practice.js loads, on practice pages only: npm's ts-fsrs browser
# build, committed unchanged so that serving the site needs no Node (`make fsrs` refreshes it).
FSRS_SCRIPT = "assets/javascripts/vendor/ts-fsrs.umd.js"  # under docs/
# One fold per part, in reveal order: (Material admonition type, title). The
# type gives each fold Material's colours and icon in both palettes. The
# measured evidence comes last: it checks the answer rather than being one.
PARTS = (
    ("abstract", SIMPLE_LABEL),
    ("info", TECHNICAL_LABEL),
    ("warning", MISTAKE_TITLE),
    ("example", MEASURED_TITLE),
)
# Where the script puts the quiz. So that nothing jumps when the quiz appears,
# practice.css keeps the slot about a quiz's height while the page loads and
# hides what the quiz replaces, but only on an article marked `pq-js`. That
# mark comes from this inline script, run as the page is parsed: where scripts
# are blocked it never comes and the page stays whole. If the quiz has not
# started (`pq-ready`) a few seconds later, `pq-off` shows the page whole again.
SLOT_SCRIPT = (
    "<script>(a => { if (!a) return; a.classList.add('pq-js'); "
    "setTimeout(() => a.classList.contains('pq-ready') || a.classList.add('pq-off'), 6000); })"
    "(document.currentScript && document.currentScript.closest('article'))</script>"
)
SLOT = SLOT_SCRIPT + '\n<div class="pq-slot"></div>\n'


def front(title: str) -> str:
    """Every practice page: out of search (each answer is also on its Q&A page,
    where search results should lead) and without a table of contents."""
    return front_matter(title=title, search={"exclude": True}, hide=["toc"])


def practice_page_path(topic: Topic) -> str:
    return f"{PRACTICE_DIR}/{topic.id}.md"


def practice_paths(source: Source) -> list[str]:
    """The practice pages' paths under docs/, in reading order: the entry page, then one per topic."""
    return [ENTRY, *(practice_page_path(t) for t in source.topics)]


def render_practice(
    source: Source, topic_pages: Mapping[str, str], measured: Mapping[str, str]
) -> dict[str, str]:
    """Every practice page's Markdown, keyed by its path under docs/, in `practice_paths` order.

    `topic_pages` maps each topic id to its Q&A page's path under docs/: answers
    are written for that page, so their relative links are rebased from it.
    `measured` maps each question id to its measured text, numbers filled in.
    """
    pages = {ENTRY: render_entry(source)}
    for topic in source.topics:
        pages[practice_page_path(topic)] = render_topic_practice(
            topic, source.questions_in(topic.id), topic_pages[topic.id], measured
        )
    return pages


def render_entry(source: Source) -> str:
    """The entry page: what practice is, and each topic's practice page with its questions listed.

    The script builds the quiz across all topics from the topic links; the
    questions under them are for readers without it, who answer on the topic pages.
    """
    links = ""
    for topic in source.topics:
        page = posixpath.basename(practice_page_path(topic))
        questions = source.questions_in(topic.id)
        links += f'- [{inline(topic.title)}]({page}){{ data-topic="{topic.id}" }} · {questions_count(len(questions))}\n\n'
        links += "".join(f"    - [{inline(q.question)}]({page}#{q.id})\n" for q in questions) + "\n"
    return "\n".join(
        [
            front("Practice"),
            "# 🧠 Practice { #practice }\n",
            f"Test yourself on the {questions_count(len(source.questions))}: read one, answer it aloud, then open "
            "the simple answer, the technical one, the common mistake and what was measured, and grade how well "
            "you knew it. Your grades schedule each question's next review (with FSRS, the scheduler Anki uses), "
            "so each day starts with the questions due that day.\n",
            SLOT,
            "Practise one topic:\n",
            f'<div class="pq-topics" markdown>\n\n{links}</div>\n',
            _script(ENTRY),
        ]
    )


def render_topic_practice(
    topic: Topic, questions: tuple[Question, ...], topic_page: str, measured: Mapping[str, str]
) -> str:
    """A topic's practice page: its questions as folds, and the way back to all topics."""
    page = practice_page_path(topic)
    return "\n".join(
        [
            front(topic.title),
            f"# 🧠 Practice: {inline(topic.title)} {{ #practice }}\n",
            f"Test yourself on this topic's {questions_count(len(questions))}, or on "
            f"[all topics]({posixpath.relpath(ENTRY, posixpath.dirname(page))}){{ .pq-all }}.\n",
            SLOT,
            *(render_card(q, topic_page, page, measured[q.id]) for q in questions),
            _script(page),
        ]
    )


def render_card(q: Question, topic_page: str, page: str, measured: str) -> str:
    """One question: a fold titled with the question, holding one fold per part, then a link to its Q&A page.

    The id is the question's stable id, which the script also stores reviews under.
    """
    def here(text: str) -> str:
        return rebase_links(text, topic_page, page)

    answers = "\n".join(
        f'??? {kind} "{title}"\n\n{indent(here(text))}\n'
        for (kind, title), text in zip(PARTS, (q.simple, q.technical, q.mistake, measured))
    )
    full = f"{posixpath.relpath(topic_page, posixpath.dirname(page))}#{q.id}"
    return (
        f'<details class="pq" id="{q.id}" data-topic="{q.topic}" markdown>\n'
        f'<summary markdown="span">{inline(q.question)}</summary>\n\n'
        f"{answers}\n"
        f"[The full question, with a link to its experiment]({full}){{ .pq-full }}\n\n"
        "</details>\n"
    )


def own_scripts(page: str) -> tuple[str, ...]:
    """The script tags a practice page carries, exactly as written into its HTML: ours, not an author's."""
    return (SLOT_SCRIPT, _script(page).strip()) if page.startswith(f"{PRACTICE_DIR}/") else ()


def _script(page: str) -> str:
    # Raw HTML is not rewritten by MkDocs: the path is relative to the page's
    # URL (practice/index.md is served at practice/, practice/x.md at practice/x/).
    url_dir = posixpath.dirname(page) if page.endswith("/index.md") else posixpath.splitext(page)[0]
    # After an instant navigation Material runs it again; the script starts once (see its guard).
    return f'<script src="{posixpath.relpath(SCRIPT, url_dir)}" defer></script>\n'


def questions_count(n: int) -> str:
    """'1 question', '25 questions'."""
    return f"{n} question{'' if n == 1 else 's'}"

