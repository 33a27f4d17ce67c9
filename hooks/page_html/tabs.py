"""Content tab sets left to CSS, out of reach of Material's tab script."""

from __future__ import annotations

import re

# pymdownx.tabbed marks each tab set for Material's script, which then reads
# the layout of every set on every scroll and switches linked sets one at a
# time: with hundreds of questions a page froze. Unmarked, the sets are plain
# radio-button tabs (extra.css draws them), linked by linked-tabs.js.
TABS_MARK = re.compile(r'(<div class="tabbed-set[^"]*") data-tabs="[0-9:]+"')


def unmark_tab_sets(html: str) -> str:
    return TABS_MARK.sub(r"\1", html)
