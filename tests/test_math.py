"""Formulas become MathML at build time; a broken one stops the build with its text."""

from __future__ import annotations

import pytest
from page_html.mathml import FormulaError, arithmatex_to_mathml as formulas_to_mathml


def test_inline_and_block_formulas_become_mathml() -> None:
    html = (
        '<p>Step <span class="arithmatex">\\(\\theta - \\eta \\nabla L\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\\frac{a}{b} &lt; 1\\]</div>'
    )
    out = formulas_to_mathml(html)
    assert "arithmatex" not in out
    assert out.count("<math ") == 2
    assert 'display="inline"' in out and 'display="block"' in out
    assert "<mfrac>" in out
    # The LaTeX stays available to copy and to assistive technology.
    assert 'alttext="\\theta - \\eta \\nabla L"' in out
    assert 'alttext="\\frac{a}{b} &lt; 1"' in out


def test_text_without_math_is_unchanged() -> None:
    html = "<p>No formulas here, just $5 and $10.</p>"
    assert formulas_to_mathml(html) == html


def test_a_formula_that_cannot_be_converted_names_itself() -> None:
    with pytest.raises(FormulaError, match=r"cannot render the formula \$x\^\$ \(Missing"):
        formulas_to_mathml('<span class="arithmatex">\\(x^\\)</span>')
