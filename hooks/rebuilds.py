"""What lets `mkdocs serve` rebuild with edited code: each hook imports the site's packages afresh.

Not a hook itself (mkdocs.yml does not list it). MkDocs executes a hook file
again for every rebuild, but Python keeps the packages it imports, so edits to
hooks/interview_qa or hooks/page_html would not show until a restart; and
MkDocs keeps the hook modules themselves, so edits to a hook would not either.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from mkdocs.config import config_options


@contextmanager
def fresh_imports(*packages: str) -> Iterator[None]:
    """Imports inside the block load `packages` from disk, writing no .pyc files.

    No .pyc: a new file in a watched folder would trigger one more rebuild.
    """
    for name in [m for m in sys.modules if m.partition(".")[0] in packages]:
        del sys.modules[name]
    write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = write_bytecode


def forget_loaded_hooks() -> None:
    """Make the next build load every hook from disk again.

    MkDocs caches loaded hook modules for the life of the process (a private
    cache, hence the care: without it this does nothing rather than fail).
    """
    cache_clear = getattr(config_options.Hooks._load_hook, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
