"""Search: the built index, queried by the site's own search code."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

# Query -> the question that must come first.
EXPECTED_FIRST = {
    "learning rate": "what-is-learning-rate",
    "validation": "validation-set",
    "epoch": "epoch",
    "Adam": "adam-vs-sgd",
    "zero_grad": "zero-grad",
    "zero grad": "zero-grad",
    "ReLU": "relu",
    "backward": "backward",
    "overfitting": "overfitting",
    "seed": "random-seed",
    "batch size": "batch-size",
    "normalize": "normalization",
    "Fashion-MNIST": "fashion-mnist-format",
    # Other words for the same thing, found through a question's `synonyms`.
    "iteration": "epoch",
    "beta1": "adam-vs-sgd",
    "bias correction": "adam-vs-sgd",
    "dev set": "validation-set",
    "holdout set": "validation-set",
    "manual_seed": "random-seed",
    "standardization": "normalization",
    "mini-batch": "batch-size",
    "step size": "what-is-learning-rate",
    "set_to_none": "zero-grad",
    "gradient accumulation": "zero-grad",
    "backpropagation": "backward",
    "requires_grad": "backward",
    "autograd": "backward",
    "IDX": "fashion-mnist-format",
    "rectified linear unit": "relu",
    "dead neurons": "relu",
}


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


def test_each_questions_synonyms_are_in_its_own_entry_and_field(index: dict) -> None:
    from interview_qa import load
    from interview_qa.search import FIELD, question_location

    source = load(ROOT / "docs" / "questions.yml")
    assert index["config"]["fields"][FIELD]["boost"] >= index["config"]["fields"]["title"]["boost"]
    entries = {doc["location"]: doc for doc in index["docs"]}
    with_synonyms = [q for q in source.questions if q.synonyms]
    assert with_synonyms
    for q in with_synonyms:
        assert entries[question_location(source, q.id)][FIELD] == " ".join(s.replace("`", "") for s in q.synonyms)
    assert sum(FIELD in doc for doc in index["docs"]) == len(with_synonyms)


def test_zero_grad_is_indexed_by_its_parts(index: dict) -> None:
    separator = index["config"]["separator"]
    section = next(d for d in index["docs"] if d["location"].endswith("#zero-grad"))
    words = set(tokens(section["title"] + " " + section["text"], separator))
    assert {"zero", "grad", "optimizer", "backward"} <= words


def test_each_query_ranks_its_question_first(site: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed to run the site's search code"
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert len(workers) == 1, workers
    result = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "material_search.js"), str(workers[0]),
         str(site / "search" / "search_index.json"), *EXPECTED_FIRST],
        capture_output=True, text=True, timeout=120, check=True,
    )
    ranked = json.loads(result.stdout)
    wrong = {}
    for query, qid in EXPECTED_FIRST.items():
        # Material shows results grouped by page, best group first; within a group the
        # page itself is the group's heading and its sections follow, best first.
        # The first section of the first group is the first question a reader sees.
        groups = [g for g in ranked[query] if any(loc and "#" in loc for loc in g)]
        first = next((loc for loc in groups[0] if loc and "#" in loc), None) if groups else None
        if first is None or not first.endswith(f"#{qid}"):
            wrong[query] = groups[:2]
    assert not wrong, f"queries whose first question is not the expected one: {wrong}"
