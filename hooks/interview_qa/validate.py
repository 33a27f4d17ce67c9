"""Checks that need the whole source (ids, topics) or the built site (demo links)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from .model import Source, SourceError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

def validate(source: Source) -> None:
    """Raise `SourceError` for the first problem that spans entries or lives inside a value."""
    topic_ids: dict[str, int] = {}
    for topic in source.topics:
        _check_slug(source.path, topic.line, "topic id", topic.id, None, topic_id=topic.id)
        if topic.id in topic_ids:
            raise SourceError(
                source.path, topic.line, f"topic id '{topic.id}' is used twice (first on line {topic_ids[topic.id]})",
                "give each topic its own id",
                topic_id=topic.id,
            )
        topic_ids[topic.id] = topic.line

    seen: dict[str, int] = {}
    for q in source.questions:
        _check_slug(source.path, q.line, "question id", q.id, q.id)
        if q.id in seen:
            raise SourceError(
                source.path, q.line, f"duplicate id '{q.id}' (first used on line {seen[q.id]})",
                "ids are URL anchors and must be unique: rename the new question's id, never the published one",
                question_id=q.id,
            )
        if q.id in topic_ids:
            raise SourceError(
                source.path, q.line, f"id '{q.id}' is already a topic id (line {topic_ids[q.id]})",
                "topic and question ids share the URL namespace: choose another question id",
                question_id=q.id,
            )
        seen[q.id] = q.line
        if q.topic not in topic_ids:
            close = difflib.get_close_matches(q.topic, topic_ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise SourceError(
                source.path, q.field_lines.get("topic", q.line), f"unknown topic '{q.topic}'",
                f"{hint}use one of the ids under `topics:` ({', '.join(topic_ids)}) or add the topic there",
                question_id=q.id,
            )
        for tag in q.tags:
            _check_slug(source.path, q.field_lines.get("tags", q.line), "tag", tag, q.id)
        if not re.fullmatch(r"[^#\s]+\.ipynb#[^#\s]+", q.demo):
            raise SourceError(
                source.path, q.field_lines.get("demo", q.line), f"`demo` '{q.demo}' is not a link to a page section",
                "write it as `notebooks/<name>.ipynb#<section-anchor>` (path relative to docs/)",
                question_id=q.id,
            )

    for topic in source.topics:
        if not source.questions_in(topic.id):
            raise SourceError(
                source.path, topic.line, f"topic '{topic.id}' has no questions",
                f"add a question with `topic: {topic.id}`, or remove the topic",
                topic_id=topic.id,
            )


def check_demo_links(source: Source, anchors: Mapping[str, set[str]]) -> None:
    """Every `demo` must name a built page and one of its anchors.

    `anchors` maps each page's path under docs/ to the ids its rendered headings got.
    """
    for q in source.questions:
        page, _, anchor = q.demo.partition("#")
        line = q.field_lines.get("demo", q.line)
        if page not in anchors:
            close = difflib.get_close_matches(page, anchors, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise SourceError(
                source.path, line, f"`demo` points to '{page}', which is not a page of the site",
                f"{hint}use a page path relative to docs/, such as notebooks/<name>.ipynb",
                question_id=q.id,
            )
        if anchor not in anchors[page]:
            close = difflib.get_close_matches(anchor, anchors[page], n=3)
            hint = f"close matches: {', '.join(close)}; " if close else ""
            raise SourceError(
                source.path, line, f"`demo` anchor '#{anchor}' does not exist on '{page}'",
                f"{hint}use the id of a heading on that page (hover the heading's ¶ link to see it)",
                question_id=q.id,
            )


def _check_slug(
    path: str, line: int, what: str, value: str, qid: str | None, *, topic_id: str | None = None
) -> None:
    if not SLUG.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-question"
        raise SourceError(
            path, line, f"{what} '{value}' is not a slug",
            f"use lowercase letters, digits and single hyphens, e.g. '{suggestion}'",
            question_id=qid,
            topic_id=topic_id,
        )

