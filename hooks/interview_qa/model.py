"""Typed objects parsed from the questions source file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    """A group of questions; each topic becomes one page."""

    id: str
    title: str
    intro: str
    line: int  # 1-based line of the topic's `id` key, for error messages
    intro_line: int = 0  # first line of the intro's text
    title_line: int = 0


@dataclass(frozen=True)
class Question:
    """One interview question with its three answers."""

    id: str  # slug; the URL anchor of the question, so it must never change silently
    topic: str
    question: str
    simple: str
    technical: str
    mistake: str
    demo: str  # "notebooks/<name>.ipynb#<anchor>": the section that demonstrates the answer
    measured: str  # Markdown quoting the demo notebook's recorded results as {{ name }}
    tags: tuple[str, ...] = ()
    # Other words readers search for: an abbreviation, an API name, the term another course uses.
    synonyms: tuple[str, ...] = ()
    line: int = 0
    # Line of each field's value, so later checks (demo links, HTML) can point at it.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Source:
    """The whole questions file: topics in page order, questions in reading order."""

    path: str  # as shown in messages, relative to the project when possible
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]

    def questions_in(self, topic_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.topic == topic_id)


class SourceError(Exception):
    """A problem in the questions file, located and with a fix."""

    def __init__(
        self,
        path: str,
        line: int | None,
        problem: str,
        fix: str,
        *,
        question_id: str | None = None,
        topic_id: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.fix = fix
        self.question_id = question_id
        self.topic_id = topic_id
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = (
            f" (question '{self.question_id}')" if self.question_id
            else f" (topic '{self.topic_id}')" if self.topic_id
            else ""
        )
        return f"{where}{who}: {self.problem}. Fix: {self.fix}"
