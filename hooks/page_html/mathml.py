"""LaTeX to compact MathML, drawn natively by browsers: no script, no font, no CDN."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.commands import MATRICES
from latex2mathml.converter import convert

# The exact markup arithmatex's generic mode emits for inline and block math.
ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.+?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<block>.+?)\\\]</div>',
    re.DOTALL,
)
# Notebook Markdown keeps $...$ and $$...$$ as typed (nbconvert leaves them for MathJax).
DOLLARS = re.compile(r"\$\$(?P<block>.+?)\$\$|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\w)", re.DOTALL)
ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);")
ENVIRONMENT = re.compile(r"\\begin\s*\{([^}]*)\}")
# Macros expand: ten nested definitions that each use the last twice make a
# thousand-fold formula. Formulas here are written out.
DEFINITION = re.compile(r"\\(?:def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand|newenvironment|"
                        r"renewenvironment|DeclareMathOperator)(?![A-Za-z])")
# latex2mathml copies a command it does not know into the output as text.
UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
# Only MathML elements, and no attribute that links or styles (\href, \style, \class).
FOREIGN = re.compile(r"<(?!/?m[a-z]*\b|/?none\b|/?semantics\b|/?annotation\b)[^>]*>|\s(?:href|style|class|id)=")
KEEP_ESCAPED = {"<", ">", "&", '"'}


class FormulaError(ValueError):
    """A formula latex2mathml cannot convert; `latex` is the formula as written."""

    def __init__(self, message: str, latex: str) -> None:
        super().__init__(message)
        self.latex = latex


# Pure, and a page repeats its formulas on every rebuild under `mkdocs serve`.
@lru_cache(maxsize=4096)
def to_mathml(latex: str, *, block: bool) -> str:
    """One formula as MathML, with the LaTeX kept in `alttext` for copy and paste."""
    definition = DEFINITION.search(latex)
    if definition:
        raise FormulaError(f"the formula ${latex}$ defines a macro with {definition.group(0)}; write the formula out", latex)
    for environment in (e.strip() for e in ENVIRONMENT.findall(latex)):
        if f"\\{environment}" not in MATRICES:
            # latex2mathml would silently drop the environment and keep its body.
            raise FormulaError(f"the formula ${latex}$ uses \\begin{{{environment}}}, which cannot be drawn as MathML", latex)
    try:
        mathml = convert(latex, display="block" if block else "inline")
    except Exception as exc:  # latex2mathml raises many kinds; all mean "bad formula"
        # Its exceptions often carry no text; the class name says what is missing.
        raise FormulaError(f"cannot render the formula ${latex}$ ({str(exc) or type(exc).__name__})", latex) from None
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise FormulaError(f"the formula ${latex}$ uses {unknown.group(1)}, which latex2mathml does not know", latex)
    if FOREIGN.search(mathml):
        # \text{} is copied verbatim, and \href or \style become attributes: HTML in a formula is refused.
        raise FormulaError(f"the formula ${latex}$ puts HTML, a link or a style into the page", latex)
    # latex2mathml writes every symbol as a numeric entity (9 bytes for one
    # Greek letter) and repeats the namespace HTML does not need: a page full
    # of formulas is a third smaller without both.
    mathml = ENTITY.sub(lambda m: _char(int(m.group(1), 16), m.group(0)), mathml)
    mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
    mathml = mathml.replace("<math ", f'<math alttext="{html.escape(latex)}" ', 1)
    return f'<div class="math">{mathml}</div>' if block else mathml


def arithmatex_to_mathml(page_html: str) -> str:
    """Replace every arithmatex formula in `page_html` with MathML."""

    def swap(match: re.Match[str]) -> str:
        block = match.group("block") is not None
        latex = html.unescape(match.group("block") if block else match.group("inline")).strip()
        return to_mathml(latex, block=block)

    return ARITHMATEX.sub(swap, page_html)


def dollars_to_mathml(text: str) -> str | None:
    """`text` (plain, unescaped) with $...$ formulas as MathML and the rest HTML-escaped; None if it has none."""
    if "$" not in text or not DOLLARS.search(text):
        return None
    parts: list[str] = []
    last = 0
    for match in DOLLARS.finditer(text):
        parts.append(html.escape(text[last : match.start()], quote=False))
        block = match.group("block") is not None
        parts.append(to_mathml((match.group("block") if block else match.group("inline")).strip(), block=block))
        last = match.end()
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts)


def _char(code: int, entity: str) -> str:
    char = chr(code)
    return entity if char in KEEP_ESCAPED or code < 0x20 else char
