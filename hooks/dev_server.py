"""MkDocs hook: under `make serve`, a broken source leaves the last good site up, with the error on every page.

MkDocs empties the site folder before each build, and after a failed one its
server holds every request until a build succeeds: a reader who reloads sees
a spinner. So, while serving, this hook keeps a copy of the last good site
(hard links, so it costs no bytes), puts it back when a build fails, lays the
error over each of its pages, and tells the server the build is done: pages
load, and the open one reloads to show the error. The next good build
replaces it all.

Under `mkdocs build` a failed build leaves nothing: a site that looks
finished but is not would be worse than none.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import clean_directory
from watchdog.observers.polling import PollingObserver

from rebuilds import fresh_imports

with fresh_imports():  # edited code takes effect at the next rebuild of `mkdocs serve`
    from page_html.overlay import with_overlay

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger("dev_server")


def _last_good(site_dir: str) -> str:
    # Beside the server's temporary site folder. This module is loaded afresh for
    # every rebuild, so "are we serving?" is answered by this folder, not a global.
    return site_dir.rstrip(os.sep) + "-last-good"


_site_dir: str | None = None
SHOWN = ".build-error"  # in the site folder while it shows an error


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site_dir
    _site_dir = config.site_dir
    return config


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
    """Keep the first build, let a failed rebuild count as done once the last good site is back, and notice saves sooner."""
    _keep(config.site_dir)
    _notice_saves_sooner(server, config)
    build = server.builder

    def build_or_show_error() -> None:
        try:
            build()
        except Exception as exc:  # noqa: BLE001 - MkDocs has logged it; the pages now show it
            # A failure before the build began (mkdocs.yml itself) never reached on_build_error.
            if not os.path.exists(os.path.join(config.site_dir, SHOWN)):
                log.error("%s", exc)
                _show(config.site_dir, str(exc) or type(exc).__name__)

    server.builder = build_or_show_error
    return server


# How often the watcher looks for saves: a look at docs/, hooks/ and notebooks/ takes about 1 ms.
POLL_SECONDS = 0.1


def _notice_saves_sooner(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Look for saves every 0.1 s rather than MkDocs' 0.5 s, and wait less for more saves before rebuilding.

    Still by polling, as MkDocs does, not inotify: polling sees saves on every
    file system (a Windows drive under WSL, a network share). MkDocs has already
    scheduled docs/ and mkdocs.yml on its watcher; the rest of mkdocs.yml's
    `watch` list comes after this event, onto the new one.
    """
    watched = [path for path in (config.docs_dir, config.config_file_path) if path]
    for path in watched:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path in watched:
        server.watch(path)
    # Editors write a file in one go; 50 ms still gathers a save that touches several files.
    server.build_delay = 0.05


def on_post_build(*, config: MkDocsConfig) -> None:
    if os.path.isdir(_last_good(config.site_dir)):
        _keep(config.site_dir)


def on_build_error(*, error: Exception) -> None:
    if not _site_dir or not os.path.isdir(_site_dir):
        return
    if os.path.isdir(_last_good(_site_dir)):
        _show(_site_dir, str(error) or type(error).__name__)
    else:
        clean_directory(_site_dir)
        log.info("removed the unfinished site in %s", _site_dir)


def _show(site_dir: str, message: str) -> None:
    """Put the last good site back into `site_dir`, the error over each of its pages."""
    kept = _last_good(site_dir)
    clean_directory(site_dir)
    for folder, _dirs, names in os.walk(kept):
        target = os.path.join(site_dir, os.path.relpath(folder, kept))
        os.makedirs(target, exist_ok=True)
        for name in names:
            src, dst = os.path.join(folder, name), os.path.join(target, name)
            if name.endswith(".html"):
                # A new file, not a write through the link: the kept copy stays clean.
                with open(src, encoding="utf-8") as page, open(dst, "w", encoding="utf-8") as out:
                    out.write(with_overlay(page.read(), message))
            else:
                os.link(src, dst)
    with open(os.path.join(site_dir, SHOWN), "w", encoding="utf-8") as marker:
        marker.write(message)
    log.info("serving the last good site, with the error on every page")


def on_shutdown() -> None:
    if _site_dir:
        shutil.rmtree(_last_good(_site_dir), ignore_errors=True)


def _keep(site_dir: str) -> None:
    kept = _last_good(site_dir)
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(site_dir, kept, copy_function=os.link)
