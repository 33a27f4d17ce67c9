"""The generator core imports nothing from MkDocs, so another builder (Zensical) can call it.

hooks/qa_pages.py, notebook_pages.py, every_page.py and dev_server.py are the MkDocs adapters; everything
they call lives in hooks/interview_qa and hooks/page_html. Material for MkDocs reaches end of life on
May 5, 2027: a port keeps that core as it is and rewrites only the adapters (see the README's
"Leaving Material for MkDocs" section). This test reads the source with `ast`, so an import inside a
function or under `if TYPE_CHECKING:` counts as much as one at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

CORE = ("hooks/interview_qa", "hooks/page_html")


def _forbidden(module: str) -> bool:
    """MkDocs itself, any MkDocs plugin (`mkdocs_jupyter`, `mkdocs-*` packages) and Material."""
    top = module.partition(".")[0]
    return top.startswith("mkdocs") or top == "material"


def builder_imports(source: str, filename: str) -> list[str]:
    """`file:line: module` for every import of a builder module, at any depth, in one Python file."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # `from . import x` is the package's own code; only absolute names can reach a builder.
            modules = [node.module] if node.level == 0 and node.module else []
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            modules = [node.args[0].value]
        else:
            continue
        found += [f"{filename}:{node.lineno}: {module}" for module in modules if _forbidden(module)]
    return found


def core_files() -> list[Path]:
    return sorted(path for folder in CORE for path in (ROOT / folder).rglob("*.py"))


def test_core_packages_hold_python_files() -> None:
    """Guards the test below against passing on an empty or moved folder."""
    for folder in CORE:
        assert (ROOT / folder / "__init__.py").is_file(), f"{folder} is no longer a package: update CORE"
    assert len(core_files()) >= 10


def test_generator_core_imports_nothing_from_mkdocs() -> None:
    found = []
    for path in core_files():
        found += builder_imports(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, (
        "The generator core must stay free of MkDocs so another builder can call it. "
        "Fix: move the MkDocs-specific part into the hook (hooks/*.py) and pass plain data in:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "import mkdocs",
        "import os, mkdocs.plugins as p",
        "from mkdocs.structure.files import File",
        "from material.plugins.search import plugin",
        "import mkdocs_jupyter",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from mkdocs.config.defaults import MkDocsConfig",
        "def f():\n    import mkdocs_material_extensions",
        "import importlib\nm = importlib.import_module('mkdocs.utils')",
        "m = __import__('material')",
    ],
)
def test_each_kind_of_builder_import_is_caught(source: str) -> None:
    found = builder_imports(source, "x.py")
    assert len(found) == 1 and found[0].startswith(f"x.py:{len(source.splitlines())}: "), found


@pytest.mark.parametrize(
    "source",
    ["import markdown", "from pymdownx import superfences", "from . import mkdocs", "import materials", "import yaml"],
)
def test_other_imports_pass(source: str) -> None:
    assert builder_imports(source, "x.py") == []
