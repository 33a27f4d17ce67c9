"""Raw script paths in a page, moved to where a build without directory URLs puts the page.

MkDocs rewrites a page's Markdown links for either URL style, but not raw HTML.
A page's own `<script src>` (the playground's, a practice page's) is written
relative to the page's directory URL: docs/playground.md is served at
playground/, so its script is `../assets/...`. The offline build
(mkdocs.offline.yml) turns directory URLs off and writes that page to
playground.html, one folder up, where the same path would miss the file.
"""

from __future__ import annotations

import posixpath
import re

# A script tag's src, as MkDocs and our hooks write it: double-quoted.
SCRIPT_SRC = re.compile(r'(<script\b[^>]*?\ssrc=")([^"]*)(")')
INDEX_PAGES = ("index.md", "README.md")


def rebase_scripts(html: str, src_uri: str) -> str:
    """`html` of the page docs/`src_uri` with each relative script path rebased from its directory URL to its file URL."""
    if posixpath.basename(src_uri) in INDEX_PAGES:
        return html  # x/index.md is x/ and x/index.html: the same folder either way
    written_from = posixpath.splitext(src_uri)[0]
    served_from = posixpath.dirname(src_uri) or "."

    def rebase(match: re.Match[str]) -> str:
        src = match[2]
        if not src or re.match(r"[a-z][a-z0-9+.-]*:|[/#?]", src, re.I):
            return match[0]  # absolute, another scheme, or same-page: no folder to move from
        target = posixpath.normpath(posixpath.join(written_from, src))
        return match[1] + posixpath.relpath(target, served_from) + match[3]

    return SCRIPT_SRC.sub(rebase, html)
