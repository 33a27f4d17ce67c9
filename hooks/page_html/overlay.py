"""The banner `make serve` lays over every page while the source is broken."""

from __future__ import annotations

import html

OVERLAY_ID = "build-error"
# Inline styles: the banner must not depend on the site's stylesheets, which
# may be what broke. White on dark red reads in both colour schemes (contrast 8.6:1).
STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:1000;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.5rem;"
    "background:#8b1a1a;color:#fff;font:0.9rem/1.5 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.4)"
)


def overlay(message: str) -> str:
    """The banner for a failed build: what went wrong, where, and what to do, as MkDocs reported it."""
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{STYLE}">'
        "<p style=\"margin:0 0 .5rem;font-weight:700\">The site did not build: you are looking at the last good "
        "version.</p>"
        f'<pre style="margin:0;white-space:pre-wrap;font:inherit;font-family:monospace">{html.escape(message)}</pre>'
        '<p style="margin:.5rem 0 0">Fix it and save: this page reloads by itself.</p></div>'
    )


def with_overlay(page: str, message: str) -> str:
    """`page` (a whole HTML document) with the banner as the first thing in its body."""
    start = page.find("<body")
    end = page.find(">", start) + 1 if start >= 0 else 0
    return page[:end] + overlay(message) + page[end:]
