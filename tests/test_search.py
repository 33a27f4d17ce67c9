"""Search: the built index, queried by the site's own search code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from page_html.budgets import KB
from search_queries import EXPECTED_FIRST
from support import SearchScore, search_precision

# The query set's budgets (the queries themselves are in tests/search_queries.py).
PRECISION_AT_1 = 0.98  # share of queries whose first section shown is the expected question
PRECISION_AT_3 = 1.0  # share whose expected question is among the first three sections shown
INDEX_BUDGET = 500 * KB  # search/search_index.json, as in test_budgets.py
# Code identifiers that share a word part with another question's title or synonyms
# (`grad`, `set`, `seed`, `loss`, `step`, `nn`, `no`, `eval`, `norm`): each must still find the
# question that explains it.
IDENTIFIERS = ("zero_grad", "optimizer.zero_grad()", "set_to_none", "loss.backward()", "requires_grad",
               "torch.manual_seed", "retain_graph", "optimizer.step()", "nn.CrossEntropyLoss", "torch.no_grad()",
               "model.eval()", "clip_grad_norm_")


def site_separator() -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in config["plugins"]}
    return str(plugins["search"]["search"]["separator"])


def tokens(text: str, separator: str) -> list[str]:
    return [t.lower() for t in re.split(separator, text) if t]


@pytest.fixture(scope="module")
def index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_index_uses_the_configured_separator(index: dict) -> None:
    assert index["config"]["separator"] == site_separator()


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("zero_grad", ["zero", "grad"]),
        ("loss.backward()", ["loss", "backward"]),
        ("optimizer.zero_grad()", ["optimizer", "zero", "grad"]),
        ("lr=1e-3", ["lr", "1e", "3"]),
        ("0.001", ["0.001"]),
    ],
)
def test_code_identifiers_split_into_their_parts(text: str, parts: list[str]) -> None:
    assert tokens(text, site_separator()) == parts


def test_every_question_is_its_own_search_section(index: dict) -> None:
    from interview_qa import load

    source = load(ROOT / "docs" / "questions.yml")
    locations = {doc["location"] for doc in index["docs"]}
    for q in source.questions:
        assert f"questions/{q.topic}/#{q.id}" in locations, q.id


def test_each_questions_synonyms_are_in_its_own_entry_and_fields(index: dict) -> None:
    from interview_qa import load
    from interview_qa.search import FIELD, MINOR_FIELD, question_location

    source = load(ROOT / "docs" / "questions.yml")
    fields = index["config"]["fields"]
    assert fields[FIELD]["boost"] >= fields["title"]["boost"]
    assert fields[MINOR_FIELD]["boost"] == fields["title"]["boost"]
    entries = {doc["location"]: doc for doc in index["docs"]}
    with_synonyms = [q for q in source.questions if q.synonyms]
    assert with_synonyms
    for q in with_synonyms:
        entry = entries[question_location(source, q.id)]
        held = f"{entry.get(FIELD, '')} {entry.get(MINOR_FIELD, '')}".split()
        # Each synonym once, in one of the two fields, its words in order.
        for synonym in q.synonyms:
            words = synonym.replace("`", "").split()
            assert any(held[i : i + len(words)] == words for i in range(len(held))), (q.id, synonym)
    assert all(doc["location"] in {question_location(source, q.id) for q in source.questions}
               for doc in index["docs"] if FIELD in doc or MINOR_FIELD in doc)


def test_a_synonym_beginning_another_questions_title_word_weighs_as_a_title(index: dict) -> None:
    # `AdamW` (weight decay) begins "Adam" ("Why use Adam instead of plain gradient descent?").
    from interview_qa import load
    from interview_qa.search import FIELD, MINOR_FIELD, prefix_clashes, question_location

    source = load(ROOT / "docs" / "questions.yml")
    assert ("weight-decay", "`AdamW`", "adam-vs-sgd", "adam") in prefix_clashes(index, source)
    entries = {doc["location"]: doc for doc in index["docs"]}
    assert entries[question_location(source, "weight-decay")][MINOR_FIELD] == "AdamW"
    assert "AdamW" not in entries[question_location(source, "weight-decay")][FIELD].split()
    assert "adam" in entries[question_location(source, "adam-vs-sgd")][FIELD].split()


def test_only_one_word_synonyms_that_begin_a_word_of_another_title_move() -> None:
    from interview_qa.model import Question, Source, Topic
    from interview_qa.search import FIELD, MINOR_FIELD, for_questions, question_location

    def question(qid: str, text: str, synonyms: tuple[str, ...] = ()) -> Question:
        return Question(qid, "t", text, "s", "x", "m", "notebooks/n.ipynb#a", "r", synonyms=synonyms)

    source = Source("q.yml", (Topic("t", "T", "", line=1),), (
        question("adam", "Why use Adam?"),
        # Two words (`adamant`), or a word of its own title (`weights`): they stay.
        question("decay", "What is weight decay?", ("`AdamW`", "adamant optimizer", "L2 penalty", "weights")),
        # "another" begins "a", a stop word the index leaves out.
        question("rate", "What is a learning rate?", ("another",)),
    ))
    index = {
        "config": {"separator": site_separator(), "pipeline": ["stopWordFilter"],
                   "fields": {"title": {"boost": 1000}, "text": {"boost": 1}}},
        "docs": [{"location": question_location(source, q.id), "title": q.question, "text": ""} for q in source.questions],
    }
    out = {doc["location"].partition("#")[2]: doc for doc in for_questions(index, source)["docs"]}
    assert (out["decay"][FIELD], out["decay"][MINOR_FIELD]) == ("adamant optimizer L2 penalty weights", "AdamW")
    assert out["adam"][FIELD] == "adam" and MINOR_FIELD not in out["adam"]
    assert out["rate"][FIELD] == "another" and MINOR_FIELD not in out["rate"]


def test_a_build_without_directory_urls_still_boosts_its_questions() -> None:
    """The offline build's index names pages `questions/x.html#id`: its questions get their synonyms too."""
    from interview_qa.model import Question, Source, Topic
    from interview_qa.search import FIELD, for_questions, question_location

    source = Source("q.yml", (Topic("t", "T", "", line=1),), (
        Question("rate", "t", "What is a learning rate?", "s", "x", "m", "notebooks/n.ipynb#a", "r", synonyms=("lr",)),
    ))
    assert question_location(source, "rate", directory_urls=False) == "questions/t.html#rate"
    index = {"config": {"separator": site_separator(), "fields": {"title": {"boost": 1000}, "text": {"boost": 1}}},
             "docs": [{"location": "questions/t.html#rate", "title": "What is a learning rate?", "text": ""}]}
    [doc] = for_questions(index, source, directory_urls=False)["docs"]
    assert doc[FIELD] == "lr" and doc["boost"] == 1000


def test_questions_weigh_as_much_as_a_heading_elsewhere(index: dict) -> None:
    from interview_qa import load
    from interview_qa.search import question_location

    source = load(ROOT / "docs" / "questions.yml")
    entries = {doc["location"]: doc for doc in index["docs"]}
    for q in source.questions:
        assert entries[question_location(source, q.id)]["boost"] == index["config"]["fields"]["title"]["boost"], q.id
    assert all(doc.get("boost", 1) < 1 for doc in index["docs"] if doc["location"].startswith("notebooks/"))


def test_topic_intros_do_not_weigh_as_questions(index: dict) -> None:
    # A topic page's own entry (title and intro) keeps the default boost (see interview_qa/search.py).
    from interview_qa import load
    from interview_qa.search import question_location

    source = load(ROOT / "docs" / "questions.yml")
    entries = {doc["location"]: doc for doc in index["docs"]}
    pages = {question_location(source, q.id).partition("#")[0] for q in source.questions}
    assert len(pages) == len(source.topics)
    assert all(entries[page].get("boost", 1) <= 1 for page in pages), pages


def test_zero_grad_is_indexed_by_its_parts(index: dict) -> None:
    separator = index["config"]["separator"]
    section = next(d for d in index["docs"] if d["location"].endswith("#zero-grad"))
    words = set(tokens(section["title"] + " " + section["text"], separator))
    assert {"zero", "grad", "optimizer", "backward"} <= words


@pytest.fixture(scope="module")
def score(site: Path) -> SearchScore:
    return search_precision(site, EXPECTED_FIRST)


def test_the_query_set_is_large_and_names_real_questions() -> None:
    from interview_qa import load

    assert len(EXPECTED_FIRST) >= 80
    assert set(EXPECTED_FIRST.values()) <= {q.id for q in load(ROOT / "docs" / "questions.yml").questions}
    assert set(IDENTIFIERS) <= set(EXPECTED_FIRST)


def test_precision_at_1_and_3_within_budget(score: SearchScore) -> None:
    assert score.queries == len(EXPECTED_FIRST)
    assert score.at_1 >= PRECISION_AT_1 and score.at_3 >= PRECISION_AT_3, (
        f"precision at 1 {score.at_1:.1%} (budget {PRECISION_AT_1:.0%}), at 3 {score.at_3:.1%} "
        f"(budget {PRECISION_AT_3:.0%}) over {score.queries} queries; not first:\n{score.report()}"
    )


def test_no_notebook_is_shown_before_the_question(score: SearchScore) -> None:
    # Material lists the results page by page; a notebook listed above the question would be read first.
    assert not score.notebook_first


def test_code_identifiers_find_the_question_that_explains_them_first(score: SearchScore) -> None:
    # Within the precision budget a few queries may miss; these may not.
    assert not {q: score.misses[q] for q in IDENTIFIERS if q in score.misses}


def test_search_index_within_budget(site: Path) -> None:
    size = (site / "search" / "search_index.json").stat().st_size
    assert size <= INDEX_BUDGET, f"{size / KB:.0f} KB > {INDEX_BUDGET / KB:.0f} KB"
