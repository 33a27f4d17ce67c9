"""Render every piece of author text on its own and check what it becomes, before any page is built.

Each field (a topic's title and intro; a question's text, answers and filled-in
`measured`) is rendered with the site's own Markdown, its formulas turned into
MathML, then cleaned by the allowlist sanitizer in `page_html.sanitize`.
Anything the sanitizer would remove, or markup that would silently come out
wrong on the page (an unclosed fence or formula, a tab or admonition marker
inside an answer, a heading that would split the page), is an error at the
field's line, naming the question and the fix.

The renderer is passed in (`render(markdown) -> html`), so this module needs no
site generator; the hook hands it one configured like the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown
from page_html.mathml import FormulaError, arithmatex_to_mathml
from page_html.sanitize import first_change

from .markup import INLINE_CODE, code_spans
from .model import Source, SourceError

# What cleaning would change in a field's HTML: pure, and every field is checked again on each
# rebuild under `mkdocs serve`. (Not cached inside `first_change`: a generated page passes through
# it once per change, under a fresh token, and would only fill the cache.)
_first_change = lru_cache(maxsize=1024)(first_change)

Render = Callable[[str], str]

MAX_CHARS = 6_000  # three times the longest answer; keeps pathological input quick to reject
MAX_INLINE_CHARS = 300  # a title or a question
MAX_HTML_BYTES = 100_000  # what one field may render to (a long code block gets an anchor on every line)
# Markdown's link parser looks ahead from every `[` (quadratic): 4,000 of them take seconds.
MAX_BRACKETS = 200
MAX_DEPTH = 20  # nested lists or quotes; Markdown recurses once per level

# Blocks that belong to the page's own structure, not inside an answer.
STRUCTURE = re.compile(r'<div class="(?:tabbed-set|admonition)\b|<details class="|<h[1-6]\b')
CODE_OR_MATH = re.compile(r"<(pre|code|math)\b.*?</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")
# Delimiters that only survive rendering when nothing closed them.
LEFTOVER = (
    ("```", "an unclosed code fence (```)", "close the fence with ``` on a line of its own"),
    ("~~~", "an unclosed code fence (~~~)", "close the fence with ~~~ on a line of its own"),
    ("$$", "an unclosed formula ($$)", "close the formula with $$, or write \\$ for a dollar sign"),
)
NESTED_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")  # a fence at any indentation, as inside a list
# Code is highlighted by pygments, and some of its ~600 lexers take seconds on
# a short line; these are quick on any input (tests/test_safety.py times them).
LANGUAGES = frozenset({
    "python", "py", "python3", "py3", "pycon", "pytb", "text", "bash", "sh", "shell",
    "zsh", "console", "shell-session", "json", "yaml", "yml", "toml", "diff", "html", "css", "javascript", "js",
    "markdown", "md", "latex", "tex", "sql",
})
FENCE_LANGUAGE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*\{?[ \t]*\.?([^\s{}`]+)", re.MULTILINE)
INLINE_LANGUAGE = re.compile(r"`(?:#!|:::)([^\s`]+)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Definitions reach every field of the page they land on: a reference link
# defined in one answer would retarget another's, an abbreviation would wrap
# the page's own tab labels, and footnotes would gather at the page's end.
DEFINITIONS = (
    (re.compile(r"^ {0,3}\[\^[^\]\n]+\]:", re.MULTILINE), "a footnote",
     "write the note into the answer, in parentheses or as its own sentence"),
    (re.compile(r"^ {0,3}\*\[[^\]\n]+\]:", re.MULTILINE), "an abbreviation (*[...]:)",
     "spell the term out where it is first used"),
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE), "a reference-style link definition",
     "write the link inline, as [text](https://...)"),
)
QUOTES = re.compile(r"[ \t]*(?:>[ \t]*)+")


@dataclass(frozen=True)
class Field:
    """One piece of author text and where it came from."""

    name: str
    text: str
    line: int  # first line of the text in the source file
    inline: bool  # a title or a question: one line of inline Markdown
    question_id: str | None = None
    topic_id: str | None = None


def markdown_renderer(extensions: list[Any], configs: Mapping[str, Mapping[str, Any]]) -> Render:
    """Markdown to HTML with the given extensions and settings: pass the site's, to render as it does."""
    md = markdown.Markdown(extensions=extensions, extension_configs=dict(configs))
    return lambda text: md.reset().convert(text)


def fields(source: Source, measured: Mapping[str, str]) -> Iterator[Field]:
    """Every field of author text that reaches a page, `measured` with its numbers filled in."""
    for topic in source.topics:
        yield Field("title", topic.title, topic.title_line or topic.line, True, topic_id=topic.id)
        if topic.intro:
            yield Field("intro", topic.intro, topic.intro_line or topic.line, False, topic_id=topic.id)
    for q in source.questions:
        lines = q.field_lines
        yield Field("question", q.question, lines.get("question", q.line), True, question_id=q.id)
        for i, synonym in enumerate(q.synonyms):
            yield Field("synonyms", synonym, lines.get(f"synonyms[{i}]", q.line), True, question_id=q.id)
        for name in ("simple", "technical", "mistake"):
            yield Field(name, getattr(q, name), lines.get(name, q.line), False, question_id=q.id)
        yield Field("measured", measured[q.id], lines.get("measured", q.line), False, question_id=q.id)


def check_fields(source: Source, measured: Mapping[str, str], render: Render) -> None:
    """Raise `SourceError` for the first field whose rendered HTML is unsafe or would come out wrong."""
    for field in fields(source, measured):
        check_field(field, source.path, render)


def check_field(field: Field, path: str, render: Render) -> str:
    """The field's HTML, rendered, with MathML, exactly as the sanitizer keeps it; or a `SourceError`."""

    def error(line: int, problem: str, fix: str) -> SourceError:
        return SourceError(path, line, f"`{field.name}` {problem}", fix,
                           question_id=field.question_id, topic_id=field.topic_id)

    text = field.text
    limit = MAX_INLINE_CHARS if field.inline else MAX_CHARS
    if len(text) > limit:
        raise error(field.line, f"is {len(text):,} characters long (at most {limit:,})",
                    "shorten it" + ("" if field.inline else ", or split it into another question"))
    if text.count("[") > MAX_BRACKETS:
        raise error(_line_of(text, ("[",), field.line), f"has {text.count('['):,} `[` (at most {MAX_BRACKETS})",
                    "an answer needs a handful of links; show data such as nested lists in a code block")
    depth, at = _depth(text)
    if depth > MAX_DEPTH:
        raise error(field.line + at, f"nests lists or quotes {depth} levels deep (at most {MAX_DEPTH})",
                    "flatten the list; an answer rarely needs more than three levels")
    control = CONTROL.search(text)
    if control:
        raise error(field.line + text.count("\n", 0, control.start()),
                    f"contains the control character U+{ord(control.group(0)):04X}", "delete it (it is invisible)")
    if field.inline and "\n" in text.strip():
        raise error(field.line, "spans several lines", "write it on one line")
    if field.inline and "$" in text:
        raise error(field.line, "contains `$`: a title or question holds no formula",
                    "say it in words or as `code`; put the formula in the answer")
    prose = _without_code(text)
    for pattern, what, fix in DEFINITIONS:
        found = pattern.search(prose)
        if found:
            raise error(field.line + prose.count("\n", 0, found.start()),
                        f"defines {what}, which would apply to every answer on the page", fix)
    for found in (*FENCE_LANGUAGE.finditer(text), *INLINE_LANGUAGE.finditer(text)):
        if found.group(1).lower() not in LANGUAGES:
            raise error(field.line + text.count("\n", 0, found.start()),
                        f"asks for code highlighted as '{found.group(1)}', which this site does not highlight",
                        f"use one of: {', '.join(sorted(LANGUAGES))}; or `text` for no highlighting")
    try:
        html = render(text)
    except RecursionError:
        raise error(field.line, "is nested too deeply to render", "flatten its lists and quotes") from None
    if len(html) > MAX_HTML_BYTES:
        raise error(field.line, f"renders to {len(html) // 1000:,} KB of HTML (at most {MAX_HTML_BYTES // 1000} KB)",
                    "shorten it; an abbreviation (*[x]: ...) repeats its title at every use")
    try:
        html = arithmatex_to_mathml(html)
    except FormulaError as exc:
        raise error(_line_of(text, (exc.latex,), field.line), f"has a formula that cannot be drawn: {exc}",
                    "correct the LaTeX, or write the formula in backticks to show it as code") from None
    structure = STRUCTURE.search(html)
    if structure:
        what = structure.group(0)
        if what.startswith("<h"):
            raise error(_line_of(text, ("#",), field.line), "contains a heading, which would split the page",
                        "use **bold** text instead of a heading inside an answer")
        kind = "a tab (===)" if "tabbed" in what else "an admonition (!!! or ???)"
        raise error(_line_of(text, ("===",) if "tabbed" in what else ("!!!", "???"), field.line),
                    f"contains {kind} marker; answers already sit in tabs and callouts of their own",
                    "write it as a paragraph or a list, or indent it four spaces inside a code fence to show it")
    change = _first_change(html)
    if change is not None:
        raise error(
            _line_of(text, change.needles, field.line), f"contains HTML the sanitizer would remove: {change.problem}",
            "write code in backticks to show it, use Markdown for links and emphasis, "
            "and keep to http, https, mailto or relative links",
        )
    prose = TAG.sub("", CODE_OR_MATH.sub("", html))
    for delimiter, what, fix in LEFTOVER:
        if delimiter in prose:
            # The unclosed delimiter is the last one written (inline code aside).
            shown = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
            raise error(field.line + shown.count("\n", 0, max(shown.rfind(delimiter), 0)), f"has {what}", fix)
    if field.inline and (html.count("<p>") != 1 or not html.startswith("<p>")):
        raise error(field.line, "must be a single line of text (no list, quote or block)",
                    "write it as plain text; `code` and *emphasis* are fine")
    return html


def _depth(text: str) -> tuple[int, int]:
    """The deepest nesting of list and quote markers (or indentation steps) and the line it is on."""
    deepest, where, fence = 0, 0, ""
    for number, line in enumerate(text.split("\n")):
        opener = NESTED_FENCE.match(line)
        if opener and (not fence or opener.group(1).startswith(fence)):
            fence = "" if fence else opener.group(1)
            continue
        if fence:
            continue  # code keeps its own indentation
        quotes = QUOTES.match(line)
        level = quotes.group(0).count(">") if quotes else 0
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        level += indent // 4
        if level > deepest:
            deepest, where = level, number
    return deepest, where


def _without_code(text: str) -> str:
    """`text` with its code (fenced and inline) blanked out, newlines kept, so offsets still map to lines."""
    out = list(text)
    for start, end in code_spans(text):
        for i in range(start, end):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _line_of(text: str, needles: tuple[str, ...], first_line: int) -> int:
    """The source line where the first findable needle appears in the field (case-insensitive), else the field's first."""
    for needle in needles:
        at = text.lower().find(needle.lower()) if needle else -1
        if at >= 0:
            return first_line + text.count("\n", 0, at)
    return first_line
