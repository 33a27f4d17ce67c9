"""MkDocs hook: what every page's HTML gets, math as MathML and no indentation.

`pymdownx.arithmatex` (generic mode) marks formulas; this hook swaps each one
for MathML, which browsers draw natively. Readers download no math library,
no font and no script, and nothing is fetched from a CDN. Notebook pages get
the same treatment in notebook_pages.py.

Tab sets are left to CSS (page_html.tabs). Then every page gets the
accessible names Material leaves out and is sent without the template's
indentation (about 15% of a page), Material's script is deferred so the first
paint does not wait for it (page_html.scripts), and a page over its weight budget
(page_html.budgets, HTML bytes) is a warning.

Under `mkdocs serve`, what a rebuild would redo unchanged is kept from the
last build (rebuilds.kept): the theme's file list and compiled templates, and each page's
Markdown rendered, its entries in the search index and its finished HTML.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from rebuilds import fresh_imports, kept, start_build

with fresh_imports():  # edited code takes effect at the next rebuild of `mkdocs serve`
    from page_html.mathml import FormulaError, arithmatex_to_mathml
    from page_html.a11y import name_search_dialog
    from page_html.budgets import over_budget
    from page_html.minify import collapse_whitespace
    from page_html.paths import rebase_scripts
    from page_html.scripts import defer_theme_script
    from page_html.tabs import unmark_tab_sets

log = get_plugin_logger("every_page")

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.bccache import Bucket
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import TableOfContents

TEMPLATES = kept("compiled templates")
THEME_FILES = kept("theme files")
RENDERED_PAGES = kept("rendered pages")
SEARCH_ENTRIES = kept("search entries")
FINISHED_PAGES = kept("finished pages")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    start_build()
    if not config.theme.custom_dir:  # a theme folder of one's own may gain files while the server runs
        config.theme.get_env = _keeping_theme_files(config.theme.get_env)  # type: ignore[method-assign]
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    if index is not None and hasattr(index, "add_entry_from_context"):
        index.add_entry_from_context = _kept_entries(index, index.add_entry_from_context)
    else:
        log.debug("not keeping search entries between builds: Material's search index is not where it was")
    return config


def on_pre_page(page: Page, *, config: MkDocsConfig, files: Files) -> Page:
    if "render" not in vars(page):  # not a page another plugin renders (mkdocs-jupyter's notebooks)
        page.render = _kept_render(page, page.render)  # type: ignore[method-assign]
    return page


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.bytecode_cache = _KeptTemplates()
    return env


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
    output, warning = FINISHED_PAGES.get((output, page.file.src_uri, page.title), lambda: _finish(output, page))
    # A warning, so `mkdocs build --strict` (make build, CI) fails on it and `make serve` shows it.
    if warning:
        log.warning(warning)
    return output


def _finish(output: str, page: Page) -> tuple[str, str | None]:
    output = collapse_whitespace(name_search_dialog(defer_theme_script(output)))
    return output, over_budget(page.file.src_uri, page.title or "", output)


class _KeptTemplates(BytecodeCache):
    """Jinja's compiled templates, kept between builds; Jinja compiles a template again when its source changed."""

    def load_bytecode(self, bucket: Bucket) -> None:
        code = TEMPLATES.get(bucket.key, lambda: None)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        TEMPLATES.put(bucket.key, bucket.bytecode_to_string())


def _keeping_theme_files(get_env: Callable[[], Environment]) -> Callable[[], Environment]:
    """The theme's `get_env`, whose environment lists the theme's files as the last build found them.

    MkDocs walks the theme's folders on every build to find its static files:
    Material's hold 14,000 icons, about 50 ms. An installed theme does not change
    while the server runs, and a change to mkdocs.yml lists them afresh.
    """

    def kept_env() -> Environment:
        env = get_env()
        list_templates = env.list_templates

        def kept_list(extensions: Any = None, filter_func: Any = None) -> list[str]:
            who = getattr(filter_func, "__qualname__", repr(filter_func))
            return THEME_FILES.get((who, repr(extensions)), lambda: list_templates(extensions, filter_func))

        env.list_templates = kept_list  # type: ignore[method-assign]
        return env

    return kept_env


def _kept_entries(index: Any, add_entry: Any) -> Any:
    """Material's `add_entry_from_context`, remembering the entries each page gave for the next build.

    Its entries depend on the page's HTML, address, title, metadata and table
    of contents, so those are the key; a page whose key is unchanged gets its
    entries again without parsing its HTML (the slowest part of a rebuild).
    """

    def add(page: Page) -> None:
        key = hashlib.sha256(json.dumps(
            [page.url, page.title, page.content, page.meta, _toc(page.toc)], default=repr, sort_keys=True,
        ).encode()).hexdigest()
        before = len(index.entries)

        def parse() -> str:
            add_entry(page)
            return json.dumps(index.entries[before:], default=str)

        entries = json.loads(SEARCH_ENTRIES.get(key, parse))
        if len(index.entries) == before:  # kept, not parsed this time
            index.entries.extend(entries)

    return add


@dataclass(frozen=True)
class _Rendered:
    """What MkDocs' `Page.render` sets on a page."""

    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri


def _kept_render(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> Callable[[MkDocsConfig, Files], None]:
    """`page.render`, giving a page whose Markdown and site are as in the last build that build's result.

    Rendering is the same for the same Markdown, address and set of pages
    (links are checked and rewritten against them); mkdocs.yml's Markdown
    settings are the same until it changes, and then nothing is kept.
    """

    def kept_render(config: MkDocsConfig, files: Files) -> None:
        addresses = tuple((file.src_uri, file.url) for file in files)
        rendered = RENDERED_PAGES.get((page.file.src_uri, page.url, page.markdown, addresses), lambda: _render(page, render, config, files))
        page.content = rendered.content
        page.toc = copy.deepcopy(rendered.toc)
        page.title = rendered.title
        page.present_anchor_ids = set(rendered.anchor_ids)
        if rendered.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): dict(links) for uri, links in rendered.links_to_anchors.items()}

    return kept_render


def _render(page: Page, render: Callable[[MkDocsConfig, Files], None], config: MkDocsConfig, files: Files) -> _Rendered:
    render(config, files)
    links = page.links_to_anchors
    return _Rendered(
        page.content or "", copy.deepcopy(page.toc), page.title, frozenset(page.present_anchor_ids or ()),
        None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
    )


def _toc(toc: TableOfContents | list) -> list:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in toc]
