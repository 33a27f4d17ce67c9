"""Whitespace-only minifying: what a page means is untouched, its indentation is not sent."""

from __future__ import annotations

import re

# Whitespace is content inside these: code, preformatted output, scripts.
VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
LINE_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")


def collapse_whitespace(html: str) -> str:
    """Replace every line break and the indentation around it with one newline, outside verbatim blocks.

    A newline still separates words and inline elements exactly as the
    original whitespace did, so no text runs together.
    """
    parts = VERBATIM.split(html)
    # split() with two groups yields: text, whole verbatim block, its tag name, text, ...
    out = []
    for i in range(0, len(parts), 3):
        out.append(LINE_BREAK.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
