"""MkDocs hook: turn docs/questions.yml into the Q&A pages.

Thin by design: each event calls the pure functions in `interview_qa` and
returns everything else unchanged. Nothing is written into docs/; the pages
are generated `File`s that exist only in memory during the build.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from rebuilds import fresh_imports, kept

with fresh_imports():  # edited code takes effect at the next rebuild of `mkdocs serve`
    from interview_qa import Source, SourceError, check_demo_links, fill_all, load, load_results, render_pages
    from interview_qa.backlinks import backed_questions, backlinks_html
    from interview_qa.pages import clean_page
    from interview_qa.practice import PRACTICE_DIR
    from interview_qa.render import HOME, PAGES_DIR, SUMMARY_SLOT, page_paths, render_summary
    from interview_qa.safety import check_fields, markdown_renderer
    from interview_qa.search import FIELD, MINOR_FIELD, for_questions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure import StructureItem

log = get_plugin_logger("qa_pages")

SOURCE_NAME = "questions.yml"  # the one file authors edit, under docs/
# Each field of author text as Markdown renders it, for the next rebuild: a save changes one or two.
FIELD_HTML = kept("rendered fields")

_source: Source | None = None


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _source
    raw = files.get_file_from_path(SOURCE_NAME)
    if raw is None:
        raise PluginError(
            f"{Path(config.docs_dir, SOURCE_NAME)}: the questions file is missing. "
            f"Fix: restore it from git (`git checkout -- docs/{SOURCE_NAME}`)."
        )
    # The YAML is input, not content: readers get the rendered pages, not the raw file.
    files.remove(raw)
    root = Path(config.config_file_path or raw.abs_src_path).parent
    try:
        _source = load(Path(raw.abs_src_path), _display_path(raw.abs_src_path, config))
        # Each answer quotes numbers its notebook recorded when it last ran.
        measured = fill_all(_source, load_results(_source, root))
        render = markdown_renderer(config.markdown_extensions, config.mdx_configs)
        check_fields(_source, measured, lambda text: FIELD_HTML.get(text, lambda: render(text)))
    except SourceError as exc:
        raise PluginError(exc.message) from None
    for path, text in render_pages(_source, measured).items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(
                f"docs/{path} exists, but the hook generates that page from docs/{SOURCE_NAME}. "
                "Fix: move or delete the hand-written file."
            )
        files.append(File.generated(config, path, content=text))
    log.debug("generated %d pages from %d questions", len(page_paths(_source)), len(_source.questions))
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Questions right after the home page, then Practice; each section's pages in `page_paths` order."""
    if _source is None:
        return nav
    order = {path: i for i, path in enumerate(page_paths(_source))}
    anchor = 1 if nav.items and isinstance(nav.items[0], Page) else 0
    for folder in (PAGES_DIR, PRACTICE_DIR):
        section = next((item for item in nav.items if isinstance(item, Section) and _holds(item, folder)), None)
        if section is None:
            continue
        section.children.sort(key=lambda child: order.get(child.file.src_uri, len(order)) if isinstance(child, Page) else len(order))
        nav.items.remove(section)
        nav.items.insert(anchor, section)
        anchor += 1
    # MkDocs derived the page order and the previous/next links before this
    # event; derive them again from the new order.
    nav.pages = [page for page in _walk(nav.items) if isinstance(page, Page)]
    for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None]):
        page.previous_page, page.next_page = before, after
    return nav


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The home page's question count and topic list, from the questions file rather than typed."""
    if _source is None or page.file.src_uri != HOME:
        return markdown
    if SUMMARY_SLOT not in markdown:
        log.warning("docs/%s has no %s line, so readers are not told which topics there are. "
                    "Fix: put that line back where the topic list belongs.", HOME, SUMMARY_SLOT)
        return markdown
    return markdown.replace(SUMMARY_SLOT, render_summary(_source, HOME), 1)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Each generated page's HTML, cleaned by the allowlist sanitizer: the last word on what authors wrote."""
    if _source is None or page.file.src_uri not in page_paths(_source):
        return html
    try:
        return clean_page(html, _source, page.file.src_uri)
    except SourceError as exc:
        raise PluginError(exc.message) from None


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Check `demo` links once every page is rendered (so anchors are known) but before anything is written."""
    if _source is None:
        return env
    anchors = {
        file.src_uri: _anchor_ids(file.page) for file in files.documentation_pages() if file.page is not None
    }
    try:
        check_demo_links(_source, anchors)
    except SourceError as exc:
        raise PluginError(exc.message) from None
    return env


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Under a notebook's title, the questions whose `demo` cites it, each linked to its answer."""
    backed = backed_questions(_source).get(page.file.src_uri) if _source is not None else None
    head_end = output.find("</h1>")
    if not backed or head_end < 0:
        return output
    return output[: head_end + 5] + backlinks_html(backed, page.url) + output[head_end + 5 :]


def on_post_build(*, config: MkDocsConfig) -> None:
    """Boost each question in the search index the search plugin has just written, and add its synonyms."""
    index_file = Path(config.site_dir, "search", "search_index.json")
    if _source is None or not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for field, boost in ((FIELD, 10000), (MINOR_FIELD, 1000)):
        if field not in index.get("config", {}).get("fields", {}):
            raise PluginError(
                f"mkdocs.yml: the search plugin has no `{field}` field, so synonyms would not be searched. "
                f"Fix: add `fields: {{{field}: {{boost: {boost}}}}}` under `- search:` in mkdocs.yml."
            )
    # Written beside and moved over: a reader never gets half an index.
    partial = index_file.with_suffix(".json.partial")
    partial.write_text(json.dumps(for_questions(index, _source, config.use_directory_urls), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, index_file)


def _holds(section: Section, folder: str) -> bool:
    return any(isinstance(child, Page) and child.file.src_uri.startswith(f"{folder}/") for child in section.children)


def _walk(items: list[StructureItem]) -> Iterator[StructureItem]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _anchor_ids(page: Page) -> set[str]:
    # MkDocs records every id in a rendered Markdown page; notebook pages are
    # rendered by mkdocs-jupyter, which only fills in the table of contents.
    ids = set(page.present_anchor_ids or ())
    stack = list(page.toc)
    while stack:
        item = stack.pop()
        ids.add(item.id)
        stack.extend(item.children)
    return ids


def _display_path(abs_path: str, config: MkDocsConfig) -> str:
    """The path relative to the project (where mkdocs.yml is), as an author would type it."""
    root = os.path.dirname(config.config_file_path or abs_path)
    rel = os.path.relpath(abs_path, root)
    return abs_path if rel.startswith("..") else rel
