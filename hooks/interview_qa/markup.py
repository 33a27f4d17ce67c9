"""Putting author text into generated Markdown without letting it change the page's structure.

The bottom floor of the generated pages: the answer parts' labels, and the
helpers every page renderer needs (front matter, indentation, safe inline
text, relative links rebased from one page to another).

Front matter is YAML written by `yaml.safe_dump`; a title or question that
lands inside a heading, a link or a fold's summary is escaped so that it can
only ever be that heading's, link's or summary's text.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from typing import Any

import yaml

# The titles readers see on every answer part, wherever a question is shown: Q&A pages, practice cards.
SIMPLE_LABEL = "👶 Simple"
TECHNICAL_LABEL = "👨‍💻 Technical"
MISTAKE_TITLE = "⚡ Common mistake"
MEASURED_TITLE = "🔬 Measured"

FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# Outside code and math, these could end a heading early (`{ #id }`, closing `#`),
# open or close a link, or escape our own markup.
STRUCTURAL = re.compile(r"([\\\[\]{}#])")


def front_matter(**fields: Any) -> str:
    """A YAML front matter block, serialized, so any title survives (`: `, `#`, quotes, emoji)."""
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10**6) + "---\n"


def inline(text: str) -> str:
    """One line of author Markdown made safe to place inside a heading, a link's text or a summary.

    Code spans stay as written; elsewhere the characters that Markdown would
    read as structure are backslash-escaped, so they show as typed. (Titles and
    questions hold no `$` formulas: `safety` refuses them.)
    """
    out: list[str] = []
    last = 0
    for match in INLINE_CODE.finditer(text):
        out += [STRUCTURAL.sub(r"\\\1", text[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(STRUCTURAL.sub(r"\\\1", text[last:]))
    return " ".join("".join(out).split())


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where code is in Markdown text: fenced blocks and inline code, as (start, end) offsets.

    One pass over the lines: an unclosed fence runs to the end, as it does when rendered.
    """
    spans: list[tuple[int, int]] = []
    offset, fence, fence_start, prose_start = 0, "", 0, 0
    for line in text.splitlines(keepends=True):
        opener = FENCE.match(line)
        if fence:
            if opener and opener.group(2).startswith(fence) and not line[opener.end():].strip():
                spans.append((fence_start, offset + len(line)))
                fence, prose_start = "", offset + len(line)
        elif opener:
            spans.extend(_inline_code(text, prose_start, offset))
            fence, fence_start = opener.group(2), offset
        offset += len(line)
    if fence:
        spans.append((fence_start, len(text)))
    else:
        spans.extend(_inline_code(text, prose_start, len(text)))
    return spans


def _inline_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in INLINE_CODE.finditer(text[start:end])]


def indent(text: str) -> str:
    """Text as the body of a tab, admonition or fold: four spaces in, blank lines left blank.

    Blank lines stay empty so fenced code inside keeps its exact content.
    """
    return textwrap.indent(text.strip("\n"), "    ", lambda line: bool(line.strip()))


# A link target in Markdown: inline `](target` (links and images), a reference
# definition `[label]: target`, or an HTML href/src attribute.
LINK = re.compile(
    r"(?P<lead>\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?|\b(?:href|src)\s*=\s*[\"']?)(?P<url>[^\s)>\"']+)",
    re.MULTILINE,
)
EXTERNAL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/")  # a scheme (https:, mailto:) or a site-absolute path


def rebase_links(text: str, from_page: str, to_page: str) -> str:
    """Rewrite the relative link targets in Markdown written for `from_page` so they work on `to_page`.

    Both are paths under docs/. Links with a scheme or a leading slash, and
    anything inside code, stay as they are; an anchor alone points back to `from_page`.
    """
    def rebase(match: re.Match[str]) -> str:
        url = match["url"]
        if EXTERNAL.match(url):
            return match[0]
        cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
        path, rest = url[:cut], url[cut:]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path)) if path else from_page
        return match["lead"] + posixpath.relpath(target, posixpath.dirname(to_page) or ".") + rest

    # Code shows link syntax as written: only the prose around it is rewritten.
    out: list[str] = []
    last = 0
    for start, end in code_spans(text):
        out += [LINK.sub(rebase, text[last:start]), text[start:end]]
        last = end
    return "".join(out) + LINK.sub(rebase, text[last:])
