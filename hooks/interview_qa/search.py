"""Questions in the search index: found by their other names, and ranked above the pages that support them.

Material's search index has one entry per section, with `title` (boost 1000)
and `text` (boost 1) fields; a synonym in the text loses to any title that
shares a word part with it (`set_to_none` to "Why do we need a validation
set?"). mkdocs.yml declares a `synonyms` field weighed ten times a title, and
this fills it in each question's entry once the index is written.

Every other page supports the questions: a notebook, the playground and the
home page name "momentum" or "early stopping" in a heading, while the question
that explains the term names it in its answer, text that weighs a thousandth of
a heading. So each question's entry gets the title boost as its own boost: a
word in an answer then counts like the same word in another page's heading,
and the question comes first, the demonstration after it.

Material searches every word of a query as a prefix (`adam` as `adam*`), lunr
scores a word that a term begins as high as the term itself, and a rarer word
higher. So a one-word synonym that begins a word of another question's title,
`AdamW` (weight decay) beginning "Adam" ("Why use Adam instead of plain
gradient descent?"), would win that title's searches by the synonyms' tenfold
weight: "adam vs sgd" found weight decay first. Such a synonym goes into a
field weighed like a title (MINOR_FIELD) and the title word it begins into its
own question's synonyms: `adam` then finds the Adam question, while `AdamW`,
a word of neither title, still finds weight decay by its synonym.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from .model import Source
from .render import topic_page_path

FIELD = "synonyms"  # as declared under the search plugin's `fields` in mkdocs.yml
MINOR_FIELD = "minor_synonyms"  # likewise, weighed like a title
# The words lunr's English pipeline leaves out of the index (its stop word filter).
STOP_WORDS = frozenset(
    "a able about across after all almost also am among an and any are as at be because been but by can cannot "
    "could dear did do does either else ever every for from get got had has have he her hers him his how however "
    "i if in into is it its just least let like likely may me might most must my neither no nor not of off often "
    "on only or other our own rather said say says she should since so some than that the their them then there "
    "these they this tis to too twas us wants was we were what when where which while who whom why will with "
    "would yet you your".split()
)


def question_location(source: Source, question_id: str, directory_urls: bool = True) -> str:
    """The search index location of a question: its topic page's URL and the question's anchor.

    `directory_urls` is the build's `use_directory_urls`: the offline build (mkdocs.offline.yml)
    turns it off, and its index then says `questions/x.html#id` where the site's says `questions/x/#id`.
    """
    q = next(q for q in source.questions if q.id == question_id)
    page = posixpath.splitext(topic_page_path(next(t for t in source.topics if t.id == q.topic)))[0]
    return f"{page}/#{q.id}" if directory_urls else f"{page}.html#{q.id}"


def question_boost(index: dict[str, Any]) -> float:
    """The boost of a question's entry: the index's title boost (see the module's docstring)."""
    return float(index["config"]["fields"]["title"]["boost"])


def words(text: str, index: dict[str, Any]) -> list[str]:
    """The words the search index holds for `text`: split at its separator, lowercased, stop words left out."""
    config = index["config"]
    stop = STOP_WORDS if "stopWordFilter" in config.get("pipeline", ()) else frozenset()
    return [w for w in (part.lower() for part in re.split(config["separator"], text) if part) if w not in stop]


def prefix_clashes(index: dict[str, Any], source: Source) -> list[tuple[str, str, str, str]]:
    """(question id, synonym, other question id, its title word) for each one-word synonym beginning that title word."""
    # A title's last word keeps its "?" in the index; a reader types the word without it.
    titles = {q.id: {re.sub(r"\W+$", "", w) for w in words(q.question.replace("`", ""), index)} - {""}
              for q in source.questions}
    clashes = []
    for q in source.questions:
        for synonym in q.synonyms:
            word = words(synonym.replace("`", ""), index)
            if len(word) != 1:
                continue
            for other in source.questions:
                if other.id != q.id:
                    clashes.extend((q.id, synonym, other.id, t) for t in sorted(titles[other.id])
                                   if word[0].startswith(t) and word[0] != t)
    return clashes


def for_questions(index: dict[str, Any], source: Source, directory_urls: bool = True) -> dict[str, Any]:
    """`index` (search_index.json, parsed) with each question's entry boosted and its synonyms in their field.

    `directory_urls`: the build's `use_directory_urls`, which decides how the index spells locations.
    """
    boost = question_boost(index)
    # Only the questions: each topic page's own entry (its title and one-sentence intro) keeps the
    # default boost. That entry is the page's heading in the results and names the topic's terms in a
    # few words, and Material already scores a page's own entry up to 2.5 times a section matching the
    # same words (score x (1 + g^2), g = 1 for a page's entry plus the share of query words matched). At
    # the question boost it would put its page, and the page's questions under it, before the question
    # that answers `loss.backward()` or "network not learning"; lower than the default changed nothing.
    clashes = prefix_clashes(index, source)
    minor = {(qid, synonym) for qid, synonym, _, _ in clashes}
    fields: dict[str, dict[str, list[str]]] = {question_location(source, q.id, directory_urls): {
        FIELD: [s.replace("`", "") for s in q.synonyms if (q.id, s) not in minor],
        MINOR_FIELD: [s.replace("`", "") for s in q.synonyms if (q.id, s) in minor],
    } for q in source.questions}
    for _, _, other, title_word in clashes:
        names = fields[question_location(source, other, directory_urls)][FIELD]
        if title_word not in names:
            names.append(title_word)
    docs = []
    for doc in index["docs"]:
        if doc.get("location") in fields:
            doc = {**doc, "boost": boost}
            doc.update((name, " ".join(values)) for name, values in fields[doc["location"]].items() if values)
        docs.append(doc)
    return {**index, "docs": docs}
