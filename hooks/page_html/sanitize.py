"""The allowlist every author-written fragment of HTML is cleaned against, and what cleaning changed.

`nh3` (the binding to the Rust `ammonia` crate, which parses HTML the way
browsers do) does the cleaning: only the tags, attributes and URL schemes
listed here survive. `first_change` compares a fragment before and after
cleaning, so a build can report what the sanitizer removed instead of
editing an author's text in silence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# What Markdown, pymdown-extensions and Material's Markdown produce for prose,
# code, tables, footnotes, tabs and folds, plus MathML for formulas.
PROSE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
# Content tabs are radio buttons and their labels: the page's own structure,
# never something an author writes into an answer.
TAB_TAGS = {"input", "label"}
MATH_TAGS = {
    "math", "annotation", "semantics", "menclose", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo",
    "mover", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle",
    "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none",
}
TAGS = PROSE_TAGS | MATH_TAGS | TAB_TAGS
ATTRIBUTES = {
    # Ids are anchors (headings, footnotes, tabs); classes carry Material's and pygments' styles.
    "*": {"class", "id", "title"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"name", "checked"},
    "label": {"for"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan"},
    "math": {"display", "alttext"},
    "mo": {"stretchy", "fence", "form", "separator", "lspace", "rspace", "minsize", "maxsize", "largeop",
           "movablelimits", "accent", "symmetric"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "munderover": {"accent", "accentunder"},
    "mspace": {"width", "height", "depth"},
    # No mpadded and no scriptlevel: offsets and nested sizes could move a formula over the page.
    "mstyle": {"displaystyle", "mathvariant"},
    "mi": {"mathvariant"},
    "mfrac": {"linethickness"},
    "mtable": {"columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame"},
    "mtr": {"columnalign", "rowalign"},
    "mtd": {"columnalign", "rowalign", "columnspan", "rowspan"},
    "menclose": {"notation"},
    "annotation": {"encoding"},
}
# What only the generated page itself may carry: the practice quiz's topic marks and the tab sets' mark.
PAGE_ATTRIBUTES = {"a": {"data-topic"}, "details": {"data-topic"}, "div": {"data-tabs"}}
# Tabs are radio buttons and nothing else: no text fields, no buttons that submit.
ATTRIBUTE_VALUES = {"input": {"type": {"radio"}}}
# Links may leave the site; nothing that runs, and no other scheme.
URL_SCHEMES = {"http", "https", "mailto"}
# Table cells align their text; no other style (no url(), no expression(), no position).
STYLE_PROPERTIES = {"text-align"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
# Ids the Markdown extensions give footnotes and code lines; a page adds the
# ids of its own headings and tabs. Any other id could stand in for one the
# theme looks up (`#__config` holds its settings) or steal a question's anchor.
EXTENSION_ID = re.compile(r"(?:fn|fnref\d*):[\w.-]+|__codelineno-\d+-\d+")
TAB_ID = re.compile(r"__tabbed_\d+_\d+")
TAB_NAME = re.compile(r"__tabbed_\d+")
LINE_NAME = re.compile(r"__codelineno-\d+-\d+")
# Classes the Markdown extensions and pygments use; a page adds its own
# (tabs, callouts, the practice quiz's). Any other could borrow the theme's
# styles (a fixed, full-screen overlay) or wake the quiz's script.
CLASS = re.compile(
    r"[a-z][a-z0-9]{0,3}"  # pygments' token classes: k, nf, s2, err
    r"|highlight|highlighttable|linenos|linenodiv|filename|arithmatex|math|critic|keys|key-[a-z0-9-]+"
    r"|language-[a-z0-9+#.-]+|footnote|footnote-ref|footnote-backref|headerlink"
)
PAGE_CLASS = re.compile(
    r"admonition|admonition-title|abstract|info|warning|example|mistake|measured"
    r"|tabbed-set|tabbed-alternate|tabbed-labels|tabbed-content|tabbed-block|qa-[a-z-]+|pq|pq-[a-z-]+"
)
# MathML lengths (spaces, stretchy sizes, offsets) stay formula-sized, so a
# formula cannot be pushed over the rest of the page.
LENGTH_ATTRIBUTES = {"width", "height", "depth", "lspace", "rspace", "minsize", "maxsize", "linethickness"}
LENGTH = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))(em|ex|mu)?|(?:thin|medium|thick)(?:mathspace)?")
MAX_EMS = 3.0  # 54 mu


def _filter(page_ids: frozenset[str] | None) -> Callable[[str, str, str], str | None]:
    """The attribute filter for a fragment (`page_ids` None), or for a page with these ids of its own."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            own = page_ids is not None and (value in page_ids or TAB_ID.fullmatch(value))
            # Material names a code block after its closest ancestor with an id: line anchors only on <a>.
            extension = EXTENSION_ID.fullmatch(value) and (tag == "a" or not value.startswith("__codelineno-"))
            return value if own or extension else None
        if attribute == "name":
            return value if (TAB_NAME if tag == "input" else LINE_NAME).fullmatch(value) else None
        if attribute == "for":
            return value if TAB_ID.fullmatch(value) else None
        if attribute == "class":
            kept = [name for name in value.split()
                    if CLASS.fullmatch(name) or (page_ids is not None and PAGE_CLASS.fullmatch(name))]
            return " ".join(kept) if kept else None
        if tag == "img" and attribute == "src":
            # An image is a request; a page asks nothing of any host but its own.
            # Browsers drop tabs and newlines from a URL and read `\` as `/`.
            url = re.sub(r"[\x00-\x20\x7f]", "", value).replace("\\", "/")
            return None if SCHEME.match(url) else value
        if tag in MATH_TAGS and attribute in LENGTH_ATTRIBUTES:
            length = LENGTH.fullmatch(value.strip())
            if not length:
                return None
            if length.group(1) is not None:
                limit = MAX_EMS * 18 if length.group(2) == "mu" else MAX_EMS
                return value if abs(float(length.group(1))) <= limit else None
        return value

    return keep


def _merged(*tables: dict[str, set[str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for table in tables:
        for tag, names in table.items():
            merged[tag] = merged.get(tag, set()) | names
    return merged


def clean(html: str, page_ids: frozenset[str] | None = None) -> str:
    """`html` with everything outside the allowlist removed (scripts and styles with their content).

    By default `html` is a fragment of author text. With `page_ids` (the ids of
    a generated page's own headings and folds) it is a whole page, whose tabs
    are allowed too.
    """
    return nh3.clean(
        html,
        tags=TAGS if page_ids is not None else TAGS - TAB_TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "textarea", "title", "xmp", "noembed",
                            "noframes", "iframe", "object", "embed"},
        attributes=ATTRIBUTES if page_ids is None else _merged(ATTRIBUTES, PAGE_ATTRIBUTES),
        tag_attribute_values=ATTRIBUTE_VALUES,
        attribute_filter=_filter(page_ids),
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )


@dataclass(frozen=True)
class Change:
    """The first thing cleaning changed: what it was, in words, and a piece of text to find it by."""

    problem: str
    needles: tuple[str, ...]  # text to look for in the source, best first (a value, a tag or attribute name)
    offset: int = 0  # where in the HTML the change begins


def first_change(html: str, cleaned: str | None = None) -> Change | None:
    """What cleaning removed or repaired in `html` first (`cleaned`: its result, else `clean(html)`), or None."""
    cleaned = clean(html) if cleaned is None else cleaned
    if cleaned == html:
        return None
    (before, offsets), (after, _) = _tokens(html), _tokens(cleaned)
    if before == after:
        return None  # only spelling differs (quotes, entities, `<br />`)
    i = next((i for i, (old, new) in enumerate(zip(before, after)) if old != new), min(len(before), len(after)))
    old = before[i] if i < len(before) else None
    new = after[i] if i < len(after) else None
    change = _describe(old, new, before[i + 1 :])
    return Change(change.problem, change.needles, offsets[i] if i < len(offsets) else len(html))


Token = tuple  # ("start", tag, attrs) | ("end", tag) | ("text", text)


def _describe(old: Token | None, new: Token | None, rest: list[Token]) -> Change:
    if old is not None and old[0] == "start" and new is not None and new[0] == "start" and old[1] == new[1]:
        tag, kept = old[1], dict(new[2])
        for name, value in old[2]:
            if name not in kept and (name in URL_ATTRIBUTES or SCHEME.match(value)):
                tail = value.partition(":")[2].strip()
                return Change(
                    f"the {name} `{_short(value)}` on `<{tag}>` is not allowed: links may use http, https, "
                    "mailto or a relative address, and images only an address on this site",
                    (value, tail, value.lstrip("/\\\t "), name),
                )
            if name not in kept:
                shown = f" (`{_short(value)}`)" if value else ""
                return Change(f"the attribute `{name}`{shown} on `<{tag}>` is not allowed", (value, name))
            if kept[name] != value:
                return Change(f"the value of `{name}` on `<{tag}>` (`{_short(value)}`) is not allowed", (value, name))
        return Change(f"`<{tag}>` was changed by the sanitizer", (f"<{tag}",))
    if old is not None and old[0] == "text":
        # Text runs together where a removed tag stood between two pieces of it: blame the tag.
        old = next((t for t in rest if t[0] != "text"), old)
    if old is not None and old[0] in ("start", "end") and old[1] not in TAGS:
        return Change(f"`<{old[1]}>` is not allowed", (f"<{old[1]}", old[1]))
    if old is not None and old[0] == "start" and (new is None or new[0] != "start" or new[1] != old[1]):
        return Change(f"`<{old[1]}>` is not allowed where it stands", (f"<{old[1]}",))
    if new is not None and new[0] == "end" and (old is None or old[0] != "end"):
        return Change(f"`<{new[1]}>` is not closed", (f"<{new[1]}",))
    if old is not None and old[0] == "end":
        return Change(f"`</{old[1]}>` closes nothing that is open", (f"</{old[1]}",))
    if old is not None and old[0] == "text":
        return Change(f"the text `{_short(old[1])}` was removed by the sanitizer", (old[1].strip(),))
    return Change("the HTML was rewritten by the sanitizer (a tag is malformed or misplaced)", ())


def _short(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Tokenizer(HTMLParser):
    """A fragment as a comparable list: start tags with sorted attributes, end tags, and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.offsets: list[int] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]

    def _add(self, token: Token) -> None:
        line, column = self.getpos()
        self.tokens.append(token)
        self.offsets.append(self._line_starts[line - 1] + column)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(("start", tag, tuple(sorted((k, _normal(k, v or "")) for k, v in attrs))))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:  # a void element has no end tag, however it was spelled
            self._add(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self._add(("text", data))


def _normal(name: str, value: str) -> str:
    # The sanitizer rewrites a kept style as `property:value`.
    return re.sub(r"\s+", "", value).rstrip(";") if name == "style" else value


VOID = {"br", "hr", "img", "input", "wbr", "col", "area", "source", "track", "meta", "link", "base", "embed", "param"}


def _tokens(html: str) -> tuple[list[Token], list[int]]:
    parser = _Tokenizer(html)
    parser.feed(html)
    parser.close()
    return parser.tokens, parser.offsets
