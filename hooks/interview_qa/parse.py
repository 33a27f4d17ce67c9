"""Read the questions file into `Source`, keeping line numbers for every value.

PyYAML's composer is used instead of `safe_load` so that every value keeps the
line it came from, duplicate keys are caught (YAML silently keeps the last one)
and scalars stay text (`question: yes` must not turn into `True`).
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, TypeVar

import yaml

from .model import Question, Source, SourceError, Topic

TOP_FIELDS = ("topics", "questions")
TOPIC_REQUIRED = ("id", "title")
TOPIC_OPTIONAL = ("intro",)
QUESTION_REQUIRED = ("id", "topic", "question", "simple", "technical", "mistake", "demo", "measured")
QUESTION_OPTIONAL = ("tags", "synonyms")

T = TypeVar("T")
MAX_NESTING = 50


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 strictly, pointing at the line of the first bad byte and the entry it is in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            line,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8 in your editor (emoji and accents then survive too)",
            **enclosing_entry(data.decode("utf-8", errors="replace"), line),
        ) from None


ENTRY_START = re.compile(r"^(?P<indent> *)- ")
ID_KEY = re.compile(r"^ *(?:- +)?id *: *[\"']?(?P<id>[^\s\"'#]+)")
SECTION = re.compile(r"^(?P<name>topics|questions) *:")


def enclosing_entry(text: str, line: int) -> dict[str, str | None]:
    """`question_id` or `topic_id` of the entry that holds `line` (1-based), read from the raw lines.

    For messages about text YAML could not parse, so the nodes are not there to ask.
    """
    lines = text.splitlines()
    section, start, indent = None, None, None
    for number, content in enumerate(lines[:line]):
        heading = SECTION.match(content)
        if heading:
            section, start, indent = heading.group("name"), None, None
            continue
        entry = ENTRY_START.match(content)
        if section and entry and (indent is None or len(entry.group("indent")) <= indent):
            start, indent = number, len(entry.group("indent"))
    if section is None or start is None:
        return {}
    for number in range(start, len(lines)):
        entry = ENTRY_START.match(lines[number])
        if number > start and entry and len(entry.group("indent")) <= indent:
            break  # the next entry: this one has no id of its own
        found = ID_KEY.match(lines[number])
        if found:
            return {"question_id" if section == "questions" else "topic_id": found.group("id")}
    return {}


def parse(text: str, path: str) -> Source:
    """Parse the YAML text into a `Source`; raises `SourceError` on the first problem."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        raise SourceError(
            path,
            line,
            f"YAML syntax error: {detail}",
            "check the indentation and quoting on this line or the one above; "
            "quote a value that contains ': ' or starts with a backtick, or use a `|` block",
            **(enclosing_entry(text, line) if line else {}),
        ) from None
    except RecursionError:
        line = _too_deep(text)
        raise SourceError(
            path, line, f"lists or mappings are nested more than {MAX_NESTING} levels deep",
            "the file needs three levels (a list of entries with fields); remove the extra brackets or indentation",
            **(enclosing_entry(text, line) if line else {}),
        ) from None
    if root is None:
        raise SourceError(path, 1, "the file is empty", "add `topics:` and `questions:` lists")
    top = _mapping(root, path, "the file")
    _check_fields(top, path, "the file", None, TOP_FIELDS, ())
    topics = _sequence(top["topics"][1], path, "`topics`", _topic)
    questions = _sequence(top["questions"][1], path, "`questions`", _question)
    return Source(path=path, topics=tuple(topics), questions=tuple(questions))


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, by libyaml (twenty times faster) when it reads the file without error and not too deep.

    Anything else is read again by PyYAML's own parser, whose errors (and
    recursion limit) the messages above were written for.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            if _too_deep(text, fast) is None:
                return yaml.compose(text, Loader=fast)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _too_deep(text: str, loader: type = yaml.SafeLoader) -> int | None:
    """The line where nesting first passes MAX_NESTING, found by the scanner, which does not recurse."""
    depth = 0
    opening = (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken, yaml.FlowSequenceStartToken,
               yaml.FlowMappingStartToken)
    closing = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
    try:
        for token in yaml.scan(text, Loader=loader):
            depth += isinstance(token, opening) - isinstance(token, closing)
            if depth > MAX_NESTING:
                return token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return None


# --- one function per kind of entry -------------------------------------------------


def _topic(node: yaml.Node, path: str) -> Topic:
    entry = _mapping(node, path, "a topic")
    _check_fields(entry, path, "a topic", node, TOPIC_REQUIRED, TOPIC_OPTIONAL)
    return Topic(
        id=_text(entry, "id", path, "a topic"),
        title=_text(entry, "title", path, "a topic"),
        intro=_text(entry, "intro", path, "a topic") if "intro" in entry else "",
        line=_line(entry["id"][1]),
        intro_line=_content_line(entry["intro"][1]) if "intro" in entry else 0,
        title_line=_content_line(entry["title"][1]),
    )


def _question(node: yaml.Node, path: str) -> Question:
    entry = _mapping(node, path, "a question")
    _check_fields(entry, path, "a question", node, QUESTION_REQUIRED, QUESTION_OPTIONAL)
    text = {name: _text(entry, name, path, "a question") for name in QUESTION_REQUIRED}
    return Question(
        id=text["id"],
        topic=text["topic"],
        question=text["question"],
        simple=text["simple"],
        technical=text["technical"],
        mistake=text["mistake"],
        demo=text["demo"],
        measured=text["measured"],
        tags=_tags(entry, path),
        synonyms=_synonyms(entry, path),
        line=_line(entry["id"][1]),
        field_lines={
            **{name: _content_line(value) for name, (_key, value) in entry.items()},
            # Each synonym's own line, for messages about one of them.
            **{f"synonyms[{i}]": _line(item) for i, item in enumerate(_items(entry, "synonyms"))},
        },
    )


def _tags(entry: dict[str, tuple[yaml.Node, yaml.Node]], path: str) -> tuple[str, ...]:
    if "tags" not in entry:
        return ()
    node = entry["tags"][1]
    if not isinstance(node, yaml.SequenceNode) or not all(
        isinstance(item, yaml.ScalarNode) and item.value.strip() for item in node.value
    ):
        raise SourceError(
            path, _line(node), "`tags` must be a list of words", "write it as `tags: [optimization, pytorch]`",
            question_id=_peek_id(entry),
        )
    return tuple(item.value.strip() for item in node.value)


def _synonyms(entry: dict[str, tuple[yaml.Node, yaml.Node]], path: str) -> tuple[str, ...]:
    """Other words for what the question is about, as a reader might search for it: each a non-empty line."""
    if "synonyms" not in entry:
        return ()
    node = entry["synonyms"][1]
    fix = 'write it as `synonyms: [iteration, "`set_to_none`"]`, or as a list with one `- word` per line'
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise SourceError(path, _line(node), "`synonyms` must be a list of words or phrases", fix,
                          question_id=_peek_id(entry))
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise SourceError(path, _line(item), "each of the `synonyms` must be a word or phrase, not a list or mapping",
                              fix, question_id=_peek_id(entry))
        if not item.value.strip():
            raise SourceError(path, _line(item), "`synonyms` has an empty entry", "remove it, or write the word",
                              question_id=_peek_id(entry))
    return tuple(item.value.strip() for item in node.value)


def _items(entry: dict[str, tuple[yaml.Node, yaml.Node]], name: str) -> list[yaml.Node]:
    node = entry[name][1] if name in entry else None
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _owner(what: str, entry_id: str | None) -> dict[str, str | None]:
    """Keyword arguments naming the entry a message is about."""
    return {"topic_id": entry_id} if what == "a topic" else {"question_id": entry_id}


# --- node helpers --------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _content_line(node: yaml.Node) -> int:
    """First line of a value's text: a `|` or `>` block starts on the line after its indicator."""
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        return _line(node) + 1
    return _line(node)


def _mapping(node: yaml.Node, path: str, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping node as {key: (key_node, value_node)}, rejecting duplicate keys."""
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(
            path, _line(node), f"{what} must be a set of `key: value` lines", "see the example at the top of the file",
        )
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        name = str(key.value)
        if name in entries:
            raise SourceError(
                path, _line(key), f"`{name}` appears twice in {what}",
                f"keep one `{name}:` (YAML would silently drop the first, line {_line(entries[name][0])})",
                **_owner(what, _peek_id(entries)),
            )
        entries[name] = (key, value)
    return entries


def _sequence(
    node: yaml.Node, path: str, what: str, build: Callable[[yaml.Node, str], T]
) -> list[T]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise SourceError(
            path, _line(node), f"{what} must be a non-empty list of entries starting with `- id:`",
            "indent each entry under the key and start it with `- `",
        )
    return [build(item, path) for item in node.value]


def _peek_id(entry: dict[str, tuple[yaml.Node, yaml.Node]]) -> str | None:
    """The entry's id if it has a usable one, so messages can name it before it is validated."""
    if "id" in entry and isinstance(entry["id"][1], yaml.ScalarNode) and entry["id"][1].value.strip():
        return str(entry["id"][1].value).strip()
    return None


def _check_fields(
    entry: dict[str, tuple[yaml.Node, yaml.Node]],
    path: str,
    what: str,
    node: yaml.Node | None,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> None:
    owner = _owner(what, _peek_id(entry))
    allowed = required + optional
    for name, (key, _value) in entry.items():
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            raise SourceError(
                path, _line(key), f"unknown field `{name}` in {what}",
                f"{hint}allowed fields are: {', '.join(allowed)}",
                **owner,
            )
    for name in required:
        if name not in entry:
            line = _line(node) if node is not None else 1
            place = "at the top level" if node is None else "to this entry"
            raise SourceError(
                path, line, f"{what} has no `{name}`",
                f"add `{name}:` {place} (required: {', '.join(required)})",
                **owner,
            )


def _text(entry: dict[str, tuple[yaml.Node, yaml.Node]], name: str, path: str, what: str) -> str:
    _key, node = entry[name]
    owner = _owner(what, _peek_id(entry))
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError(
            path, _line(node), f"`{name}` must be text, not a list or mapping",
            f"write `{name}:` followed by text, or a `|` block for several lines",
            **owner,
        )
    # Plain `~`/`null` and empty values all mean "nothing written here".
    value = "" if (node.style is None and node.value in ("~", "null", "Null", "NULL")) else node.value
    if not value.strip():
        raise SourceError(
            path, _line(node), f"`{name}` is empty", f"write the {name} text after `{name}:`",
            **owner,
        )
    return value.strip("\n") if node.style in ("|", ">") else value.strip()
