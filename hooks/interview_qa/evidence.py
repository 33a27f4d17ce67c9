"""The measured-sentence rule: what a `measured` text must say so that its numbers can be trusted.

A number measured under several seeds means little without its spread and
the number of seeds, and a comparison means little without either. The
rule reads one question's raw `measured` text (with its `{{ }}` placeholders),
the same text filled in as the site shows it, and the notebook's results.

Words used below:

* A *spread record* is a mapping anywhere in the results (lists included)
  with `seeds` and either `std` or both `low` and `high`: what
  `trainlab.stats` records for a metric over seeds (`Spread.record()`) or
  for a paired comparison (`Paired.record()`).
* A *comparison record* is a spread record with `mean`, `low` and `high`
  that also names its two sides, as `Paired.record()` does (`names`, or `a`
  and `b`). Its `mean` is the first option minus the second, seed by seed.
  A summary of one metric also has `mean`, `low` and `high` but no sides;
  telling the two apart by key names would otherwise be impossible.
* A placeholder *reads* a spread record when its path passes through it
  (`cmp.val_loss.mean` reads `cmp.val_loss`); the deepest record counts.
  It reads a *value* of the record unless the field after the record is
  `seeds`, `std`, `low`, `high`, `names` or ends in `_std`: quoting only the
  spread, the seed count or the option names needs nothing more.
* Sentences are split in the raw text after `.`, `!` or `?` followed by
  white space or the end. Dots inside `{{ }}`, code spans, `$math$`,
  numbers and the abbreviations e.g., i.e., vs., cf., approx. do not end a
  sentence; `;` and `:` do not either.

The rules, each with its name as `Violation.rule`:

1. `spread`: a sentence that quotes a value of a spread record also quotes,
   in that sentence, its spread (`<record>.std`, both `<record>.low` and
   `<record>.high`, or for a value `x` its `<record>.x_std`) and a seed
   count: `<record>.seeds` or the `seeds` of any mapping above the record,
   up to the top level.
2. `comparison`: a filled sentence with a comparison word (against, than,
   vs, versus, compared with) and at least two placeholders that show
   digits contains `±` or the word "interval", and the word "seed(s)".
   Deterministic facts are stated without comparison words.
3. `disagreement`: when the text reads a value of a comparison record whose
   sibling comparison records (same parent mapping) disagree on which option
   is better, the text as a whole (not necessarily one sentence) quotes both
   sides. Better is judged by the sign of `mean` and the record's own key:
   a key containing `loss` or `error` is better lower, `acc` higher; other
   keys and a mean of exactly 0 take no side.
4. `takeaway`: the first sentence of the filled text is a takeaway in plain
   words: no digits and at most 30 words.
5. `template`: the filled text asks no question (`?`), and no placeholder
   shows a true/false without a format (the bare yes/no of a form).
6. `percent`: no `±` followed by a number and `%` (a spread of accuracies is
   in percentage points: format it with `:.2pp`). A sentence that quotes the
   `low` or `high` of a spread record whose own key contains `acc` must not
   show a bound as a percent (rendered with `%` or followed by `%`) nor have
   a `%` anywhere after the word "interval": write other percentages in
   another sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .measured import PLACEHOLDER

SPREAD = frozenset({"std", "low", "high"})
NOT_A_VALUE = SPREAD | {"seeds", "names"}  # fields quoted freely: they are the evidence, or labels
TAKEAWAY_WORDS = 30

_OPAQUE = re.compile(r"\{\{.*?\}\}|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$", re.S)  # may hold dots or '?'
_END = re.compile(r"[.!?](?=\s|$)")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "vs.", "cf.", "approx."})
_COMPARISON = re.compile(r"\b(?:against|than|vs|versus|compared with)\b", re.I)
_PLUS_MINUS_PERCENT = re.compile(r"±\s*[-+−]?\s*\d[\d,]*(?:\.\d+)?\s*%")


@dataclass(frozen=True)
class Quote:
    """One placeholder of a sentence and what the page shows for it."""

    key: str  # dotted path into the results, e.g. "cmp.val_loss.mean"
    spec: str  # the format after ':', "" without one
    shown: str
    at: int  # where `shown` starts in the sentence's filled text


@dataclass(frozen=True)
class Sentence:
    raw: str  # as written in the source, placeholders and all
    filled: str  # as the page shows it
    quotes: tuple[Quote, ...]
    line: int  # how many lines into the `measured` text the sentence starts


@dataclass(frozen=True)
class Violation:
    question_id: str
    rule: str  # spread, comparison, disagreement, takeaway, template or percent
    sentence: str  # the raw sentence, white space collapsed, so the author can find it
    line: int  # as Sentence.line
    problem: str
    fix: str

    def describe(self) -> str:
        """The problem with its rule and sentence, without the question (for a SourceError)."""
        return f'{self.rule} rule, in "{self.sentence}": {self.problem}'

    @property
    def message(self) -> str:
        return f"question '{self.question_id}': {self.describe()}. Fix: {self.fix}"


def split_sentences(text: str) -> list[str]:
    """The sentences of a raw or plain text, stripped (see the module docstring for where it splits)."""
    return [text[a:b] for a, b in _sentence_spans(text)]


def sentences(raw: str, filled: str) -> list[Sentence]:
    """The raw text's sentences, each with its filled text and quotes.

    `filled` must be `raw` with each placeholder replaced (as `measured.fill`
    does); the split happens in `raw`, so the two always line up. Two
    placeholders with nothing between them cannot be told apart: the first
    is then taken to show as little as possible.
    """
    matches = list(PLACEHOLDER.finditer(raw))
    pattern, pos = [], 0
    for m in matches:
        pattern += [re.escape(raw[pos:m.start()]), "(.*?)"]
        pos = m.end()
    pattern.append(re.escape(raw[pos:]))
    aligned = re.fullmatch("".join(pattern), filled, re.S)
    if aligned is None:
        raise ValueError("the filled text is not the raw text with its placeholders replaced")
    shown = [aligned.group(i + 1) for i in range(len(matches))]

    found = []
    for a, b in _sentence_spans(raw):
        parts: list[str] = []
        quotes: list[Quote] = []
        pos = a
        for m, text in zip(matches, shown):
            if a <= m.start() < b:
                parts.append(raw[pos:m.start()])
                at = sum(map(len, parts))
                quotes.append(Quote(m.group(1), m.group(2) or "", text, at))
                parts.append(text)
                pos = m.end()
        parts.append(raw[pos:b])
        found.append(Sentence(raw[a:b], "".join(parts), tuple(quotes), raw.count("\n", 0, a)))
    return found


def spread_records(results: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every spread record in a results tree, keyed by its dotted path ("" for the top level)."""
    found: dict[str, Mapping[str, Any]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            if "seeds" in node and ("std" in node or {"low", "high"} <= node.keys()):
                found[path] = node
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            return
        for k, v in items:
            walk(v, f"{path}.{k}" if path else str(k))

    walk(results, "")
    return found


def is_comparison(record: Mapping[str, Any]) -> bool:
    """A paired comparison of two options, as `trainlab.stats.Paired.record()` writes it."""
    return {"mean", "low", "high"} <= record.keys() and ("names" in record or {"a", "b"} <= record.keys())


def check_measured(
    question_id: str, raw: str, filled: str, results: Mapping[str, Any]
) -> list[Violation]:
    """Every way one question's `measured` text breaks the rule, in rule order; [] when it follows it."""
    sents = sentences(raw, filled)
    records = spread_records(results)
    findings = [
        *_spread(sents, records),
        *_comparisons(sents),
        *_disagreement(sents, records),
        *_takeaway(sents),
        *_template(sents, results),
        *_percent(sents, records),
    ]
    return [Violation(question_id, rule, _flat(s.raw), s.line, problem, fix) for rule, s, problem, fix in findings]


# --- the rules; each yields (rule, sentence, problem, fix) ------------------------------

Finding = tuple[str, Sentence, str, str]


def _spread(sents: list[Sentence], records: Mapping[str, Mapping[str, Any]]) -> Iterator[Finding]:
    for s in sents:
        keys = {q.key for q in s.quotes}
        read: dict[str, list[str]] = {}  # record -> the fields of it quoted as values
        for q in s.quotes:
            hit = _record_of(q.key, records)
            if hit and _is_value(hit[1]):
                read.setdefault(hit[0], []).append(hit[1])
        for path, fields in read.items():
            record, p = records[path], _prefix(path)
            spread = (
                f"{p}std" in keys
                or {f"{p}low", f"{p}high"} <= keys
                or all(f"{p}{f}_std" in keys for f in fields)
            )
            seeds = any(f"{a}seeds" in keys for a in _ancestors(path))
            if spread and seeds:
                continue
            options = []
            if "std" in record:
                options.append(f"{{{{ {p}std }}}}")
            if {"low", "high"} <= record.keys():
                options.append(f"{{{{ {p}low }}}} and {{{{ {p}high }}}}")
            missing = " and ".join(
                ([] if spread else ["its spread"]) + ([] if seeds else ["how many seeds"])
            )
            quoted = ", ".join(f"{{{{ {p}{f} }}}}" for f in dict.fromkeys(fields))
            yield (
                "spread", s,
                f"quotes {quoted}, measured over seeds, without {missing}",
                "in this same sentence also quote "
                + " and ".join(
                    ([] if spread else [" or ".join(options)]) + ([] if seeds else [f"{{{{ {p}seeds }}}} seeds"])
                ),
            )


def _comparisons(sents: list[Sentence]) -> Iterator[Finding]:
    for s in sents:
        text = _flat(s.filled)
        words = list(dict.fromkeys(w.lower() for w in _COMPARISON.findall(text)))
        numbers = [q for q in s.quotes if re.search(r"\d", q.shown)]
        if not words or len(numbers) < 2:
            continue
        missing = []
        if "±" not in text and not re.search(r"\bintervals?\b", text, re.I):
            missing.append("a spread ('±' or an 'interval')")
        if not re.search(r"\bseeds?\b", text, re.I):
            missing.append("the number of seeds (the word 'seeds')")
        if missing:
            yield (
                "comparison", s,
                f"compares {len(numbers)} recorded numbers ({', '.join(map(repr, words))}) "
                f"without {' or '.join(missing)}",
                "if the numbers vary with the seed, quote their spread (± std or the 95% interval) and how many "
                "seeds in this sentence; if they are deterministic facts, state them without 'against', 'than', "
                "'vs', 'versus' or 'compared with'",
            )


def _disagreement(sents: list[Sentence], records: Mapping[str, Mapping[str, Any]]) -> Iterator[Finding]:
    sides = {p: side for p, r in records.items() if is_comparison(r) and (side := _side(p, r))}
    first: dict[str, Sentence] = {}  # each comparison the text reads -> the first sentence reading it
    for s in sents:
        for q in s.quotes:
            hit = _record_of(q.key, records)
            if hit and hit[0] in sides and _is_value(hit[1]):
                first.setdefault(hit[0], s)
    for parent in dict.fromkeys(_parent(p) for p in first):
        group = [p for p in sides if _parent(p) == parent]
        quoted = {sides[p] for p in group if p in first}
        if len({sides[p] for p in group}) < 2 or len(quoted) == 2:
            continue
        shown = [p for p in group if p in first]
        missing = [p for p in group if sides[p] not in quoted]
        yield (
            "disagreement", first[shown[0]],
            f"quotes {_sides(shown, records)}, but {_sides(missing, records)}: "
            "the metrics disagree and the text shows only one side",
            "quote the other metric too, with its interval and seeds, e.g. "
            + ", ".join(f"{{{{ {p}.mean }}}} ({{{{ {p}.low }}}} to {{{{ {p}.high }}}})" for p in missing),
        )


def _takeaway(sents: list[Sentence]) -> Iterator[Finding]:
    if not sents:
        return
    s = sents[0]
    text = _flat(s.filled)
    digits = [w.strip(".,;:!?()[]") for w in text.split() if re.search(r"\d", w)]
    words = [w for w in text.split() if re.search(r"\w", w)]
    problems = []
    if digits:
        problems.append(f"shows numbers ({', '.join(digits[:4])})")
    if len(words) > TAKEAWAY_WORDS:
        problems.append(f"has {len(words)} words (at most {TAKEAWAY_WORDS})")
    if problems:
        yield (
            "takeaway", s,
            "the first sentence is the takeaway in plain words, but it " + " and ".join(problems),
            "open with one short sentence saying what the measurement shows, without numbers, and quote the "
            "numbers in the sentences after it",
        )


def _template(sents: list[Sentence], results: Mapping[str, Any]) -> Iterator[Finding]:
    for s in sents:
        if "?" in s.filled:
            yield (
                "template", s, "asks a question ('?'); the text reports what was measured",
                "state the finding as a sentence instead of a question and its answer",
            )
        for q in s.quotes:
            if not q.spec and isinstance(_resolve(results, q.key), bool):
                yield (
                    "template", s, f"shows the true/false {{{{ {q.key} }}}} as a bare '{q.shown}'",
                    "record the fact in words in the notebook (e.g. 'identical') and quote that, "
                    "or say it without the placeholder",
                )


def _percent(sents: list[Sentence], records: Mapping[str, Mapping[str, Any]]) -> Iterator[Finding]:
    pp = "format it with ':.2pp' (or ':+.2pp') and write 'percentage points' after it"
    for s in sents:
        if m := _PLUS_MINUS_PERCENT.search(s.filled):
            yield (
                "percent", s, f"writes a spread as a percent ('{_flat(m.group())}'); "
                "a spread of accuracies is in percentage points", pp,
            )
        bounds = []
        for q in s.quotes:
            hit = _record_of(q.key, records)
            if hit and hit[1] in ("low", "high") and "acc" in _name(hit[0]).lower():
                bounds.append(q)
        if not bounds:
            continue
        as_percent = [
            q for q in bounds if "%" in q.shown or s.filled[q.at + len(q.shown):].lstrip().startswith("%")
        ]
        if as_percent or re.search(r"\binterval\b.*%", s.filled, re.I | re.S):
            record = _record_of(bounds[0].key, records)
            assert record is not None
            yield (
                "percent", s,
                f"gives the interval of '{record[0]}', a difference of accuracies, with '%'; "
                "it is in percentage points",
                f"{pp}; put any other percentage in another sentence",
            )


# --- helpers -----------------------------------------------------------------------------


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    # Mask what may hold a '.' or '?' that ends nothing, keeping every offset.
    masked = _OPAQUE.sub(lambda m: "x" * len(m.group()), text)
    cuts, start = [], 0
    for m in _END.finditer(masked):
        word = re.search(r"\S*$", masked[: m.end()])
        if word and word.group().lstrip("(").lower() in _ABBREVIATIONS:
            continue
        cuts.append((start, m.end()))
        start = m.end()
    cuts.append((start, len(text)))
    spans = []
    for a, b in cuts:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans


def _flat(text: str) -> str:
    return " ".join(text.split())


def _prefix(path: str) -> str:
    return f"{path}." if path else ""


def _name(path: str) -> str:
    return path.rpartition(".")[2]


def _parent(path: str) -> str:
    return path.rpartition(".")[0]


def _ancestors(path: str) -> list[str]:
    """The prefixes under which a `seeds` key counts for the record at `path`: top level to itself."""
    parts = path.split(".") if path else []
    return [_prefix(".".join(parts[:i])) for i in range(len(parts) + 1)]


def _record_of(key: str, records: Mapping[str, Mapping[str, Any]]) -> tuple[str, str] | None:
    """The deepest spread record `key` passes through, and the field it reads there."""
    best = None
    for path in records:
        if path == "" or key.startswith(path + "."):
            rest = key[len(_prefix(path)):]
            if rest and (best is None or len(path) > len(best[0])):
                best = (path, rest.split(".")[0])
    return best


def _is_value(field: str) -> bool:
    return field not in NOT_A_VALUE and not field.endswith("_std")


def _side(path: str, record: Mapping[str, Any]) -> str | None:
    """Whether the comparison says the first option is 'better' or 'worse' (None: no side)."""
    mean, name = record.get("mean"), _name(path).lower()
    if isinstance(mean, bool) or not isinstance(mean, (int, float)) or mean == 0:
        return None
    if "loss" in name or "error" in name:
        return "better" if mean < 0 else "worse"
    if "acc" in name:
        return "better" if mean > 0 else "worse"
    return None


def _sides(paths: list[str], records: Mapping[str, Mapping[str, Any]]) -> str:
    said = []
    for p in paths:
        record = records[p]
        names = record.get("names")
        first = f"{names[0]}" if isinstance(names, list) and names else "the first option"
        side = _side(p, record)
        said.append(f"'{p}' (mean {record['mean']:+.4g}: {first} is {side})")
    return " and ".join(said)


def _resolve(results: Mapping[str, Any], key: str) -> Any:
    node: Any = results
    for part in key.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and re.fullmatch(r"-?\d+", part) and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
