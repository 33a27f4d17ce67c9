"""How `mkdocs serve` rebuilds quickly and with edited code: what changed is loaded afresh, the rest is kept.

Not a hook itself (mkdocs.yml does not list it), and never reloaded: it is
what lasts from one rebuild to the next. MkDocs executes a hook file again
for every rebuild, but Python keeps the packages it imports, so edits to
hooks/interview_qa or hooks/page_html would not show until a restart. So
each build compares the project's code and configuration with the last
build's: when any of it changed, the hooks' packages are imported from disk
again and everything kept is dropped; when none did, the packages (with
their caches) and the kept values stay, and a save to docs/questions.yml
redoes only the work that depends on it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config import config_options

HOOKS = Path(__file__).resolve().parent
# Code the hooks run (hooks/ and its packages) and the site's configuration (mkdocs.yml and the
# files it inherits from), next to hooks/. Not docs/: a page's content is not a reason to start afresh.
CODE_AND_CONFIG = (("*.py",), HOOKS.rglob), (("*.yml", "*.yaml"), HOOKS.parent.glob)

T = TypeVar("T")


class Kept:
    """Values one build computed, by key, for the next build to reuse.

    A value no build has used since the one before is let go, so a long
    `make serve` session holds about one build's worth.
    """

    def __init__(self) -> None:
        self._this: dict[Hashable, Any] = {}
        self._last: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._this:
            return self._this[key]
        value = self._last.pop(key) if key in self._last else compute()
        self._this[key] = value
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._last.pop(key, None)
        self._this[key] = value

    def _next_build(self) -> None:
        self._last, self._this = self._this, {}

    def _clear(self) -> None:
        self._this.clear()
        self._last.clear()


_kept: dict[str, Kept] = {}
_fingerprint: tuple[tuple[str, int, int], ...] | None = None


def kept(name: str) -> Kept:
    """The store called `name`: the same object in every build, emptied when code or configuration changes."""
    return _kept.setdefault(name, Kept())


@contextmanager
def fresh_imports() -> Iterator[None]:
    """Imports inside the block load the hooks' packages from disk if code or configuration changed, writing no .pyc.

    No .pyc: a new file in a watched folder would trigger one more rebuild.
    """
    global _fingerprint
    now = _code_and_config()
    if now != _fingerprint:
        for name in [m for m in sys.modules if m.partition(".")[0] in _packages()]:
            del sys.modules[name]
        for store in _kept.values():
            store._clear()
        _fingerprint = now
    write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = write_bytecode


def start_build() -> None:
    """Make this build load every hook from disk again, and let go of what the last build did not use.

    MkDocs caches loaded hook modules for the life of the process (a private
    cache, hence the care: without it the hooks are not reloaded, rather
    than fail).
    """
    cache_clear = getattr(config_options.Hooks._load_hook, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
    for store in _kept.values():
        store._next_build()


def _packages() -> set[str]:
    return {p.parent.name for p in HOOKS.glob("*/__init__.py")}


def _code_and_config() -> tuple[tuple[str, int, int], ...]:
    found = []
    for patterns, find in CODE_AND_CONFIG:
        for pattern in patterns:
            for path in find(pattern):
                stat = path.stat()
                found.append((os.fspath(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))
