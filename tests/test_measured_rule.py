"""The measured-sentence rule (interview_qa.evidence): unit tests on small texts, then the real questions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import ROOT
from interview_qa import Question, SourceError, fill_all, load, load_results
from interview_qa.evidence import (
    Violation,
    check_measured,
    is_comparison,
    sentences,
    split_sentences,
    spread_records,
)
from interview_qa.measured import fill, results_file

# Shaped like trainlab.stats: Paired.record() for the comparisons (A = lr=0.001 minus B = lr=0.0005,
# seed by seed), Spread.record() for the summary.
NAMES = ["lr=0.001", "lr=0.0005"]
RESULTS: dict[str, Any] = {
    "seeds": [0, 1, 2, 3, 4],
    "cmp": {
        "val_loss": {"mean": -0.0123, "std": 0.0063, "low": -0.0201, "high": -0.0045, "seeds": 5,
                     "a": 0.3141, "b": 0.3264, "a_std": 0.0041, "b_std": 0.0052, "names": NAMES},
        "val_acc": {"mean": 0.0043, "std": 0.0026, "low": 0.0011, "high": 0.0075, "seeds": 5,
                    "a": 0.8882, "b": 0.8839, "a_std": 0.0030, "b_std": 0.0035, "names": NAMES},
    },
    "summary": {"test_acc": {"mean": 0.8525, "std": 0.0043, "low": 0.8472, "high": 0.8578, "seeds": 5,
                             "values": [0.8544, 0.8463, 0.8575, 0.8505, 0.8537]}},
    "steps": 391,
    "adam_loss": 0.342,
    "sgd_loss": 0.398,
    "identical": True,
    "identical_words": "identical",
}

# Follows every rule; each test below breaks it one way.
GOOD = """\
The smaller learning rate wins on both loss and accuracy, by more than the seeds alone explain.
Its best validation loss was {{ cmp.val_loss.a:.3f }} against {{ cmp.val_loss.b:.3f }}; the paired
difference is {{ cmp.val_loss.mean:+.4f }} (95% interval {{ cmp.val_loss.low:+.4f }} to
{{ cmp.val_loss.high:+.4f }}, {{ cmp.val_loss.seeds }} seeds). Its validation accuracy was higher by
{{ cmp.val_acc.mean:+.2pp }} percentage points (95% interval {{ cmp.val_acc.low:+.2pp }} to
{{ cmp.val_acc.high:+.2pp }}, seeds {{ seeds }}). Test accuracy was {{ summary.test_acc.mean:.1% }} ±
{{ summary.test_acc.std:.2pp }} percentage points over {{ summary.test_acc.seeds }} seeds, e.g.
{{ summary.test_acc.values.0:.1% }} for the first. Every run took {{ steps }} steps, and two runs with
one seed ended with {{ identical_words }} weights."""

# Quotes the loss comparison only.
LOSS_ONLY = """\
The smaller learning rate has the lower loss.
Its best validation loss was {{ cmp.val_loss.a:.3f }} against {{ cmp.val_loss.b:.3f }}; the paired
difference is {{ cmp.val_loss.mean:+.4f }} (95% interval {{ cmp.val_loss.low:+.4f }} to
{{ cmp.val_loss.high:+.4f }}, {{ cmp.val_loss.seeds }} seeds)."""


def check(raw: str, results: dict[str, Any] = RESULTS) -> list[Violation]:
    q = Question(id="q", topic="t", question="?", simple="", technical="", mistake="",
                 demo="notebooks/x.ipynb#a", measured=raw)
    return check_measured("q", raw, fill(q, results, "docs/questions.yml"), results)


def broken(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, f"ambiguous edit: {old!r}"
    return text.replace(old, new)


def rules(raw: str, results: dict[str, Any] = RESULTS) -> list[str]:
    return [v.rule for v in check(raw, results)]


def test_the_good_text_passes() -> None:
    assert check(GOOD) == []
    assert check(LOSS_ONLY) == [], "quoting one comparison is fine while its siblings agree"


# --- sentences ------------------------------------------------------------------------------


def test_sentences_split_after_end_marks_but_not_inside_placeholders_numbers_or_abbreviations() -> None:
    text = ("It changed, e.g. the loss; nothing else. Loss {{ a.b:.3f }} at lr 0.3! Why?\n"
            "Because `x.y. z` and $a. b$ vs. c. Last")
    assert split_sentences(text) == [
        "It changed, e.g. the loss; nothing else.",
        "Loss {{ a.b:.3f }} at lr 0.3!",
        "Why?",
        "Because `x.y. z` and $a. b$ vs. c.",
        "Last",
    ]


def test_sentences_carry_their_filled_text_quotes_and_line() -> None:
    raw = "First {{ a }}.\nThen {{ b:.1f }} and {{ a }}."
    first, second = sentences(raw, "First 7.\nThen 0.5 and 7.")
    assert (first.filled, second.filled, second.line) == ("First 7.", "Then 0.5 and 7.", 1)
    assert [(q.key, q.spec, q.shown, second.filled[q.at:q.at + len(q.shown)]) for q in second.quotes] == [
        ("b", ".1f", "0.5", "0.5"), ("a", "", "7", "7"),
    ]
    with pytest.raises(ValueError):
        sentences(raw, "Something else entirely.")


def test_spread_records_are_found_anywhere_and_comparisons_told_from_summaries() -> None:
    results = {**RESULTS, "runs": [{"val_loss": {"mean": 0.3, "std": 0.01, "seeds": 3}}],
               "not_one": {"seeds": 5, "mean": 0.3}}
    found = spread_records(results)
    assert sorted(found) == ["cmp.val_acc", "cmp.val_loss", "runs.0.val_loss", "summary.test_acc"]
    assert is_comparison(found["cmp.val_loss"]) and not is_comparison(found["summary.test_acc"])


# --- 1. spread: a value measured over seeds comes with its spread and seed count ----------------


def test_a_mean_without_its_interval_is_refused() -> None:
    text = broken(" (95% interval {{ cmp.val_loss.low:+.4f }} to\n{{ cmp.val_loss.high:+.4f }}, ", " (")
    # The sentence also compares ('against') without a spread, which rule 2 refuses on its own.
    v, _ = check(text)
    assert rules(text) == ["spread", "comparison"]
    assert "{{ cmp.val_loss.a }}, {{ cmp.val_loss.b }}, {{ cmp.val_loss.mean }}" in v.problem
    assert "without its spread" in v.problem and "seeds" not in v.problem.partition("without")[2]
    assert "{{ cmp.val_loss.std }} or {{ cmp.val_loss.low }} and {{ cmp.val_loss.high }}" in v.fix


def test_one_bound_is_not_an_interval() -> None:
    assert rules(broken(" to\n{{ cmp.val_loss.high:+.4f }}", "")) == ["spread"]


def test_a_mean_without_its_seed_count_is_refused() -> None:
    # Without the word 'seeds' the sentence also compares ('against') without saying over how many seeds.
    text = broken("{{ cmp.val_loss.seeds }} seeds)", "several runs)")
    assert rules(text) == ["spread", "comparison"]
    assert "without how many seeds" in check(text)[0].problem
    assert "{{ cmp.val_loss.seeds }} seeds" in check(text)[0].fix


def test_the_seed_count_of_a_sibling_record_does_not_count() -> None:
    assert rules(broken("{{ cmp.val_loss.seeds }} seeds)", "{{ cmp.val_acc.seeds }} seeds)")) == ["spread"]


def test_the_seeds_of_an_ancestor_count() -> None:
    # GOOD's accuracy sentence uses the top-level `seeds`; one level up from the record works too.
    results = copy.deepcopy(RESULTS)
    results["cmp"]["seeds"] = 5
    assert rules(broken("seeds {{ seeds }})", "seeds {{ cmp.seeds }})"), results) == []


def test_a_spread_in_another_sentence_does_not_count() -> None:
    text = "The loss fell.\nIt was {{ summary.test_acc.mean:.1% }}. Spread {{ summary.test_acc.std:.2pp }} percentage points over {{ summary.test_acc.seeds }} seeds."
    assert rules(text) == ["spread"]


def test_quoting_only_the_seed_count_or_the_spread_needs_nothing_more() -> None:
    text = ("The runs agree closely.\nThere were {{ cmp.val_loss.seeds }} runs. The difference had a standard "
            "deviation of {{ cmp.val_loss.std:.4f }}, the first option being {{ cmp.val_loss.names.0 }}.")
    assert check(text) == []


def test_one_side_with_its_own_std_and_the_seeds_passes() -> None:
    text = ("The smaller rate is steady.\n{{ cmp.val_loss.names.0 }} reached {{ cmp.val_loss.a:.3f }} ± "
            "{{ cmp.val_loss.a_std:.3f }} over {{ cmp.val_loss.seeds }} seeds.")
    assert check(text) == []
    assert rules(text.replace("a_std", "b_std")) == ["spread"], "B's spread is not A's"


# --- 2. comparison: comparing recorded numbers needs a spread and seeds --------------------------


@pytest.mark.parametrize("word", ["against", "lower than", "vs", "versus", "compared with"])
def test_comparing_two_recorded_numbers_without_spread_and_seeds_is_refused(word: str) -> None:
    text = f"Adam wins here.\nAdam reached {{{{ adam_loss:.3f }}}} {word} {{{{ sgd_loss:.3f }}}} for SGD."
    [v] = check(text)
    assert v.rule == "comparison" and "compares 2 recorded numbers" in v.problem
    assert "a spread ('±' or an 'interval') or the number of seeds" in v.problem


def test_a_comparison_with_spread_and_seeds_passes() -> None:
    text = "Adam wins here.\nAdam reached {{ adam_loss:.3f }} against {{ sgd_loss:.3f }} ± 0.004 over 5 seeds."
    assert check(text) == []
    assert rules(text.replace(" over 5 seeds", "")) == ["comparison"]
    assert rules(text.replace(" ± 0.004", "")) == ["comparison"]


def test_deterministic_facts_without_comparison_words_pass() -> None:
    assert check("Adam helps here.\nThe loss went from {{ sgd_loss:.3f }} with SGD to {{ adam_loss:.3f }} with Adam.") == []
    assert check("Adam helps here.\nAdam reached {{ adam_loss:.3f }}, more than 0.3 against a goal.") == [], \
        "one recorded number is not a comparison of recorded numbers"


# --- 3. disagreement: metrics that disagree are both shown ---------------------------------------


DISAGREE = copy.deepcopy(RESULTS)
DISAGREE["cmp"]["val_acc"].update(mean=-0.0043, low=-0.0075, high=-0.0011)  # A: lower loss, lower accuracy


def test_quoting_one_side_of_disagreeing_metrics_is_refused() -> None:
    [v] = check(LOSS_ONLY, DISAGREE)
    assert v.rule == "disagreement"
    assert "'cmp.val_loss' (mean -0.0123: lr=0.001 is better)" in v.problem
    assert "'cmp.val_acc' (mean -0.0043: lr=0.001 is worse)" in v.problem
    assert "{{ cmp.val_acc.mean }} ({{ cmp.val_acc.low }} to {{ cmp.val_acc.high }})" in v.fix


def test_disagreeing_metrics_quoted_anywhere_in_the_text_pass() -> None:
    assert check(GOOD, DISAGREE) == [], "GOOD quotes both, in two sentences"


def test_summaries_never_disagree() -> None:
    # A loss and an accuracy summary: positive means, which as differences would 'disagree'.
    results = {"runs": {"val_loss": {"mean": 0.31, "std": 0.01, "low": 0.3, "high": 0.32, "seeds": 5},
                        "val_acc": {"mean": 0.88, "std": 0.01, "low": 0.87, "high": 0.89, "seeds": 5}}}
    assert check("The loss is low.\nIt was {{ runs.val_loss.mean:.3f }} ± {{ runs.val_loss.std:.3f }} "
                 "over {{ runs.val_loss.seeds }} seeds.", results) == []


# --- 4. takeaway: the first sentence says what it means, in plain words -------------------------


def test_a_first_sentence_with_numbers_is_refused() -> None:
    [v] = check(broken("The smaller learning rate wins", "The learning rate 0.001 wins"))
    assert v.rule == "takeaway" and "shows numbers (0.001)" in v.problem


def test_a_long_first_sentence_is_refused() -> None:
    thirty = "The smaller learning rate wins " + "and wins " * 12 + "again."
    assert len(thirty.split()) == 30
    assert check(broken(GOOD.splitlines()[0], thirty)) == []
    [v] = check(broken(GOOD.splitlines()[0], thirty.replace("again.", "once again.")))
    assert v.rule == "takeaway" and "has 31 words (at most 30)" in v.problem


# --- 5. template: no question-and-answer, no bare yes/no -----------------------------------------


def test_a_question_in_the_text_is_refused() -> None:
    text = broken("Every run took {{ steps }} steps, and two", "How many steps? {{ steps }}. And two")
    assert rules(text) == ["template"]


def test_a_bare_boolean_is_refused_and_words_from_the_notebook_pass() -> None:
    [v] = check(broken("{{ identical_words }}", "{{ identical }}"))
    assert v.rule == "template" and "true/false {{ identical }} as a bare 'yes'" in v.problem


# --- 6. percent: accuracy spreads and differences are in percentage points ------------------------


def test_a_spread_written_in_percent_is_refused() -> None:
    [v] = check(broken("{{ summary.test_acc.std:.2pp }} percentage points", "{{ summary.test_acc.std:.2% }}"))
    assert v.rule == "percent" and "('± 0.43%')" in v.problem and "':.2pp'" in v.fix


def test_an_accuracy_interval_in_percent_is_refused() -> None:
    text = broken("{{ cmp.val_acc.low:+.2pp }} to\n{{ cmp.val_acc.high:+.2pp }}",
                  "{{ cmp.val_acc.low:+.2% }} to\n{{ cmp.val_acc.high:+.2% }}")
    [v] = check(text)
    assert v.rule == "percent" and "'cmp.val_acc', a difference of accuracies" in v.problem
    # A '%' typed after the bounds, or anywhere after 'interval', is refused the same way.
    assert rules(broken("{{ cmp.val_acc.high:+.2pp }}", "{{ cmp.val_acc.high:+.2pp }}%")) == ["percent"]
    assert rules(broken("seeds {{ seeds }})", "seeds {{ seeds }}, 100% of them)")) == ["percent"]


def test_a_loss_interval_is_not_an_accuracy() -> None:
    assert check(broken("{{ cmp.val_loss.seeds }} seeds)", "{{ cmp.val_loss.seeds }} seeds, 100% of them)")) == []


def test_a_violation_names_the_question_the_sentence_and_the_fix() -> None:
    [v] = check(broken("{{ identical_words }}", "{{ identical }}"))
    assert v.message.startswith(
        "question 'q': template rule, in \"Every run took {{ steps }} steps, and two runs with one seed ended "
        "with {{ identical }} weights.\": shows"
    )
    assert "Fix: record the fact in words" in v.message
    assert v.line == 7


# --- the real questions, filled with the committed results as the site shows them --------------

SOURCE = load(ROOT / "docs" / "questions.yml", "docs/questions.yml")
REAL_RESULTS = load_results(SOURCE, ROOT)
FILLED = fill_all(SOURCE, REAL_RESULTS)


@pytest.mark.parametrize("q", SOURCE.questions, ids=lambda q: q.id)
def test_every_measured_text_follows_the_rule(q: Question) -> None:
    found = check_measured(q.id, q.measured, FILLED[q.id], REAL_RESULTS[results_file(q.demo)])
    first = q.field_lines.get("measured", q.line)
    # Worded like the build's errors: file, line of the sentence, question, problem, fix.
    messages = [SourceError(SOURCE.path, first + v.line, v.describe(), v.fix, question_id=q.id).message for v in found]
    assert not messages, "\n".join(messages)


@pytest.mark.parametrize("q", SOURCE.questions, ids=lambda q: q.id)
def test_what_the_cheat_sheet_quotes_of_each_measured_text_follows_the_rule_too(q: Question) -> None:
    """The sheet quotes only the first sentences: the cut must not drop the metric that disagrees."""
    from interview_qa.cheatsheet import excerpt

    found = check_measured(q.id, excerpt(q.measured), excerpt(FILLED[q.id]), REAL_RESULTS[results_file(q.demo)])
    assert not [v.message for v in found], [v.message for v in found]


def test_a_cut_that_drops_the_disagreeing_metric_is_caught() -> None:
    """The check above can fail: where loss and accuracy disagree, the whole text quotes both and passes,
    while the sheet's cut (the takeaway and the loss sentence) shows one side."""
    from interview_qa.cheatsheet import excerpt

    disagreeing = copy.deepcopy(RESULTS)
    disagreeing["cmp"]["val_acc"].update(mean=-0.0043, low=-0.0075, high=-0.0011)
    text = broken("wins on both loss and accuracy, by more than the seeds alone explain.",
                  "has the lower loss but not the higher accuracy.")
    q = Question(id="q", topic="t", question="?", simple="", technical="", mistake="",
                 demo="notebooks/x.ipynb#a", measured=text)
    filled = fill(q, disagreeing, "docs/questions.yml")
    assert "disagreement" not in [v.rule for v in check_measured("q", text, filled, disagreeing)]
    cut = check_measured("q", excerpt(text), excerpt(filled), disagreeing)
    assert [v.rule for v in cut] == ["disagreement"]
