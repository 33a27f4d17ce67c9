"""The interview Q&A source: parse and validate one YAML file, render it as pages."""

from __future__ import annotations

from pathlib import Path

from .measured import fill_all, load_results
from .model import Question, Source, SourceError, Topic
from .parse import decode, parse
from .render import render_pages
from .validate import check_demo_links, validate

__all__ = [
    "Question", "Source", "SourceError", "Topic",
    "check_demo_links", "fill_all", "load", "load_results", "load_text", "render_pages",
]


def load_text(data: bytes, path: str) -> Source:
    """Decode, parse and validate the file's bytes; `path` is how messages name the file."""
    source = parse(decode(data, path), path)
    validate(source)
    return source


def load(file: Path, display_path: str | None = None) -> Source:
    return load_text(file.read_bytes(), display_path or str(file))
