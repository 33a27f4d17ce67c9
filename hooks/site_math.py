"""MkDocs hook: render `$...$` math to MathML at build time.

`pymdownx.arithmatex` (generic mode) marks formulas; this hook swaps each one
for MathML, which browsers draw natively. Readers download no math library,
no font and no script, and nothing is fetched from a CDN.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# The exact markup arithmatex's generic mode emits for inline and block math.
FORMULA = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.+?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<block>.+?)\\\]</div>',
    re.DOTALL,
)


class FormulaError(ValueError):
    """A formula latex2mathml cannot convert."""


def formulas_to_mathml(page_html: str) -> str:
    """Replace every arithmatex formula in `page_html` with MathML."""

    def swap(match: re.Match[str]) -> str:
        block = match.group("block") is not None
        latex = html.unescape(match.group("block") if block else match.group("inline")).strip()
        try:
            mathml = convert(latex, display="block" if block else "inline")
        except Exception as exc:  # latex2mathml raises many kinds; all mean "bad formula"
            # Its exceptions often carry no text; the class name says what is missing.
            raise FormulaError(f"cannot render the formula ${latex}$ ({str(exc) or type(exc).__name__})") from None
        # Keep the LaTeX for copy/paste and for anyone without MathML support.
        mathml = mathml.replace("<math ", f'<math alttext="{html.escape(latex)}" ', 1)
        return f'<div class="math">{mathml}</div>' if block else mathml

    return FORMULA.sub(swap, page_html)


def on_page_content(html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "arithmatex" not in html_text:
        return html_text
    try:
        return formulas_to_mathml(html_text)
    except FormulaError as exc:
        origin = page.file.abs_src_path or f"{page.file.src_uri} (generated from docs/questions.yml)"
        raise PluginError(f"{origin}: {exc}. Fix: correct the LaTeX, or write the formula in backticks.") from None
