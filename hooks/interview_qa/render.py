"""Render a validated `Source` into Markdown pages (pure text in, text out)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from .cheatsheet import PATH as CHEATSHEET
from .cheatsheet import render_cheatsheet
from .markup import MEASURED_TITLE, MISTAKE_TITLE, SIMPLE_LABEL, TECHNICAL_LABEL, front_matter, indent, inline
from .model import Question, Source, Topic
from .practice import ENTRY as PRACTICE_ENTRY
from .practice import practice_paths, questions_count, render_practice

PAGES_DIR = "questions"  # generated pages live at questions/*.md under docs/
OVERVIEW = f"{PAGES_DIR}/index.md"
PLAYGROUND = "playground.md"  # hand-written, under docs/
HOME = "index.md"  # hand-written, under docs/
SUMMARY_SLOT = "<!-- questions:summary -->"  # where the home page gets its generated question count and topics


def topic_page_path(topic: Topic) -> str:
    return f"{PAGES_DIR}/{topic.id}.md"


def page_paths(source: Source) -> list[str]:
    """The generated pages' paths under docs/, in reading order: overview, topics, the practice pages, the cheat sheet."""
    return [OVERVIEW, *(topic_page_path(t) for t in source.topics), *practice_paths(source), CHEATSHEET]


def render_pages(source: Source, measured: Mapping[str, str]) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/, in `page_paths` order.

    `measured` maps each question id to its `measured` text with the recorded numbers filled in.
    """
    pages = {OVERVIEW: render_overview(source)}
    for topic in source.topics:
        pages[topic_page_path(topic)] = render_topic(topic, source.questions_in(topic.id), measured)
    topic_pages = {t.id: topic_page_path(t) for t in source.topics}
    pages.update(render_practice(source, topic_pages, measured))
    pages[CHEATSHEET] = render_cheatsheet(source, measured, topic_pages, OVERVIEW)
    return pages


def render_overview(source: Source) -> str:
    parts = [
        # The overview repeats every title; a low boost keeps search results
        # pointing at the questions themselves rather than at this list.
        front_matter(search={"boost": 0.1}),
        "# 🎤 Interview questions { #overview }\n",
        f"{questions_count(len(source.questions))} on training neural networks, grouped by topic. Every answer comes as a "
        f"**{SIMPLE_LABEL}** analogy and a **{TECHNICAL_LABEL}** explanation, followed by the "
        "**common mistake** interviewers listen for. Pick a tab once and every question on every page "
        "follows your choice.\n",
        study_links(OVERVIEW),
    ]
    for topic in source.topics:
        page = posixpath.basename(topic_page_path(topic))
        parts.append(f"## [{inline(topic.title)}]({page}) {{ #{topic.id} }}\n")
        if topic.intro:
            parts.append(f"{topic.intro}\n")
        parts.append("".join(f"- [{inline(q.question)}]({page}#{q.id})\n" for q in source.questions_in(topic.id)))
    return "\n".join(parts)


def study_links(page: str) -> str:
    """Where to go after reading, linked from `page` (a path under docs/)."""
    here = posixpath.dirname(page)
    practice = posixpath.relpath(PRACTICE_ENTRY, here)
    playground = posixpath.relpath(PLAYGROUND, here)
    return (
        f"When you have read a topic, watch the learning rate at work in the [playground]({playground}), then "
        f"test yourself in [practice mode]({practice}): one question at a time, answers hidden until you ask.\n"
    )


def render_summary(source: Source, page: str) -> str:
    """How many questions in which topics, each topic linked from `page` (a path under docs/)."""
    here = posixpath.dirname(page)
    lines = [f"**{questions_count(len(source.questions))} in {len(source.topics)} topics:**\n"]
    for topic in source.topics:
        link = posixpath.relpath(topic_page_path(topic), here)
        lines.append(f"- [{inline(topic.title)}]({link}) · {questions_count(len(source.questions_in(topic.id)))}")
    return "\n".join(lines) + "\n"


def render_topic(topic: Topic, questions: tuple[Question, ...], measured: Mapping[str, str]) -> str:
    parts = [f"# {inline(topic.title)} {{ #{topic.id} }}\n"]
    if topic.intro:
        parts.append(f"{topic.intro}\n")
    parts.extend(render_question(q, topic_page_path(topic), measured[q.id]) for q in questions)
    return "\n".join(parts)


def render_question(q: Question, page_path: str, measured: str) -> str:
    """One question: heading with its id as anchor, two linked tabs, the mistake, the measured evidence."""
    parts = [f"## {inline(q.question)} {{ #{q.id} }}\n"]
    if q.tags:
        parts.append(f"Tags: {', '.join(q.tags)}\n{{ .qa-tags }}\n")
    if q.synonyms:
        # Shown, so search finds the question by them and readers learn the other names.
        parts.append(f"Also called: {', '.join(inline(s) for s in q.synonyms)}\n{{ .qa-synonyms }}\n")
    parts.append(f'=== "{SIMPLE_LABEL}"\n\n{indent(q.simple)}\n')
    parts.append(f'=== "{TECHNICAL_LABEL}"\n\n{indent(q.technical)}\n')
    parts.append(f'!!! warning mistake "{MISTAKE_TITLE}"\n\n{indent(q.mistake)}\n')
    target = posixpath.relpath(q.demo.partition("#")[0], posixpath.dirname(page_path))
    # The numbers come from the executed notebook; the link leads to the cell that produced them.
    link = f"[▶ See it run]({target}#{q.demo.partition('#')[2]}){{ .qa-demo }}"
    parts.append(f'!!! example measured "{MEASURED_TITLE}"\n\n{indent(measured)}\n\n    {link}\n')
    return "\n".join(parts)

