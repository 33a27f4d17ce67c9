"""MkDocs hook: what every page's HTML gets, math as MathML and no indentation.

`pymdownx.arithmatex` (generic mode) marks formulas; this hook swaps each one
for MathML, which browsers draw natively. Readers download no math library,
no font and no script, and nothing is fetched from a CDN. Notebook pages get
the same treatment in notebook_pages.py.

Tab sets are left to CSS (page_html.tabs). Then every page gets the
accessible names Material leaves out and is sent without the template's
indentation (about 15% of a page), and a page over its weight budget
(page_html.budgets, HTML bytes) is a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from fresh_imports import forget_loaded_hooks, fresh_imports

with fresh_imports("page_html"):  # so `mkdocs serve` rebuilds with edited code
    from page_html.mathml import FormulaError, arithmatex_to_mathml
    from page_html.a11y import name_search_dialog
    from page_html.budgets import over_budget
    from page_html.minify import collapse_whitespace
    from page_html.paths import rebase_scripts
    from page_html.tabs import unmark_tab_sets

log = get_plugin_logger("every_page")

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Under `mkdocs serve` an edited hook takes effect at the next rebuild.
    forget_loaded_hooks()
    return config


def on_page_content(html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    html_text = unmark_tab_sets(html_text)
    if not config.use_directory_urls:
        # The offline build: a page's own scripts are written for directory URLs (page_html.paths).
        html_text = rebase_scripts(html_text, page.file.src_uri)
    if "arithmatex" not in html_text:
        return html_text
    try:
        return arithmatex_to_mathml(html_text)
    except FormulaError as exc:
        origin = page.file.abs_src_path or f"{page.file.src_uri} (generated from docs/questions.yml)"
        raise PluginError(f"{origin}: {exc}. Fix: correct the LaTeX, or write the formula in backticks.") from None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    output = collapse_whitespace(name_search_dialog(output))
    # A warning, so `mkdocs build --strict` (make build, CI) fails on it and `make serve` shows it.
    warning = over_budget(page.file.src_uri, page.title or "", output)
    if warning:
        log.warning(warning)
    return output
