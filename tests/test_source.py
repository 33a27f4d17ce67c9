"""Parsing and validation: every kind of bad input gets one message with file, line, id and fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from interview_qa import SourceError, check_demo_links, fill_all, load_results, load_text

PATH = "docs/questions.yml"
GOOD = (FIXTURES / "small_questions.yml").read_text(encoding="utf-8")


def error_for(text: str | bytes) -> SourceError:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(SourceError) as info:
        load_text(data, PATH)
    return info.value


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, f"fixture edit is ambiguous: {old!r}"
    return text.replace(old, new)


def test_good_fixture_parses_into_typed_objects() -> None:
    source = load_text(GOOD.encode(), PATH)
    assert [t.id for t in source.topics] == ["basics", "loop"]
    lr, zg = source.questions
    assert (lr.id, lr.topic, lr.tags, lr.line) == ("what-is-lr", "basics", ("hyperparameter",), 11)
    assert zg.question == "What does `optimizer.zero_grad()` do?"
    assert zg.demo == "notebooks/training-step.ipynb#accumulation"
    # Block scalars keep inner blank lines (fenced code needs them) but lose the trailing newline.
    assert zg.technical.endswith("optimizer.step()\n```")
    assert "\n\noptimizer.step()" in zg.technical
    assert source.topics[0].intro == "Where every course starts."
    assert source.topics[1].intro == ""


def test_yaml_syntax_error() -> None:
    err = error_for(edit("    title: The loop\n", "    title: The loop\n   bad: [unclosed\n"))
    assert err.line == 9
    assert err.message.startswith(f"{PATH}:9 (topic 'loop'): YAML syntax error")
    assert "Fix: check the indentation" in err.message


@pytest.mark.parametrize("field", ["simple", "technical", "mistake", "question", "topic"])
def test_missing_field(field: str) -> None:
    lines = GOOD.splitlines(keepends=True)
    # Drop the field (and its block) from the second question, which starts on line 27.
    start = next(i for i, line in enumerate(lines) if i >= 26 and line.startswith(f"    {field}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    err = error_for("".join(lines[:start] + lines[end:]))
    assert err.message == (
        f"{PATH}:27 (question 'zero-grad'): a question has no `{field}`. "
        f"Fix: add `{field}:` to this entry (required: id, topic, question, simple, technical, mistake, demo, measured)"
    )


def test_empty_field() -> None:
    err = error_for(edit("    simple: |\n      Wipes the board.\n", "    simple: ''\n"))
    assert err.message == (
        f"{PATH}:30 (question 'zero-grad'): `simple` is empty. Fix: write the simple text after `simple:`"
    )


def test_unknown_field_suggests_the_right_name() -> None:
    err = error_for(edit("    technical: |\n      The update", "    techincal: |\n      The update"))
    assert err.line == 17
    assert err.question_id == "what-is-lr"
    assert "unknown field `techincal`" in err.message
    assert "Fix: did you mean `technical`?" in err.message


def test_duplicate_id() -> None:
    err = error_for(edit("  - id: zero-grad\n", "  - id: what-is-lr\n"))
    assert err.message.startswith(f"{PATH}:27 (question 'what-is-lr'): duplicate id 'what-is-lr' (first used on line 11)")
    assert "never the published one" in err.message


def test_duplicate_key_inside_one_question() -> None:
    err = error_for(edit("    simple: |\n      Wipes", "    simple: Twice.\n    simple: |\n      Wipes"))
    assert err.line == 31
    assert err.question_id == "zero-grad"
    assert "`simple` appears twice" in err.message and "line 30" in err.message


@pytest.mark.parametrize("bad_id", ["Zero_Grad", "zero grad", "zero--grad", "-zero"])
def test_id_that_is_not_a_slug(bad_id: str) -> None:
    err = error_for(edit("  - id: zero-grad\n", f"  - id: '{bad_id}'\n"))
    assert err.line == 27
    assert f"question id '{bad_id}' is not a slug" in err.message
    assert "Fix: use lowercase letters, digits and single hyphens" in err.message


def test_unknown_topic_suggests_the_closest() -> None:
    err = error_for(edit("    topic: loop\n", "    topic: loops\n"))
    assert err.message.startswith(f"{PATH}:28 (question 'zero-grad'): unknown topic 'loops'. Fix: did you mean 'loop'?")


def test_topic_without_questions() -> None:
    err = error_for(edit("    topic: loop\n", "    topic: basics\n"))
    assert err.message.startswith(f"{PATH}:7 (topic 'loop'): topic 'loop' has no questions. Fix: add a question")


def test_missing_top_level_section() -> None:
    err = error_for(GOOD[: GOOD.index("questions:")])
    assert err.message.startswith(f"{PATH}:1: the file has no `questions`. Fix: add `questions:` at the top level")


def test_duplicate_key_in_a_topic_names_the_topic() -> None:
    err = error_for(edit("    title: Basics\n", "    title: Basics\n    title: Again\n"))
    assert err.message.startswith(f"{PATH}:5 (topic 'basics'): `title` appears twice in a topic")


def test_html_inside_code_is_text_not_markup() -> None:
    text = edit("      Wipes the board.\n", "      Wipes the board, unlike `<script>` or\n\n      ```html\n      <iframe>\n      ```\n")
    load_text(text.encode(), PATH)  # no error: code is displayed, never executed


def test_file_that_is_not_utf8() -> None:
    data = GOOD.replace("Wipes the board.", "Wipes the board \u00e9.").encode("latin-1")
    err = error_for(data)
    assert err.message.startswith(f"{PATH}:31 (question 'zero-grad'): the file is not valid UTF-8 (byte 0xe9")
    assert "Fix: save the file as UTF-8" in err.message


def test_demo_that_is_not_a_page_link() -> None:
    err = error_for(edit("#accumulation", ""))
    assert err.line == 42
    assert "is not a link to a page section" in err.message


def test_demo_link_to_a_missing_page_or_anchor() -> None:
    source = load_text(GOOD.encode(), PATH)
    with pytest.raises(SourceError) as info:
        check_demo_links(source, {"notebooks/learning-rate.ipynb": {"sweep"}, "notebooks/training-stp.ipynb": {"accumulation"}})
    assert info.value.message.startswith(
        f"{PATH}:42 (question 'zero-grad'): `demo` points to 'notebooks/training-step.ipynb', which is not a page"
    )
    assert "did you mean 'notebooks/training-stp.ipynb'?" in info.value.message
    with pytest.raises(SourceError) as info:
        check_demo_links(source, {"notebooks/learning-rate.ipynb": {"sweep"}, "notebooks/training-step.ipynb": {"accumulate", "intro"}})
    assert "anchor '#accumulation' does not exist" in info.value.message
    assert "close matches: accumulate" in info.value.message
    check_demo_links(source, {"notebooks/learning-rate.ipynb": {"sweep"}, "notebooks/training-step.ipynb": {"accumulation"}})


def test_scalars_stay_text() -> None:
    # YAML 1.1 would turn a bare `yes` into True; a question's text must stay as written.
    source = load_text(edit("    simple: |\n      Wipes the board.\n", "    simple: yes\n").encode(), PATH)
    assert source.questions[1].simple == "yes"


def test_field_holding_a_list_instead_of_text() -> None:
    err = error_for(edit("    simple: |\n      Wipes the board.\n", "    simple:\n      - Wipes\n"))
    assert err.line == 31
    assert "`simple` must be text" in err.message


# --- `measured`: numbers quoted from the demo notebook's results file -------------------


def measured_error(text: str, results: dict[str, object] | None, tmp_path: Path) -> SourceError:
    """Load `text`, with `results` as the zero-grad notebook's results file (None: no file)."""
    folder = tmp_path / "notebooks" / "results"
    folder.mkdir(parents=True)
    for name in ("learning-rate", "training-step"):
        (tmp_path / "notebooks" / f"{name}.ipynb").write_text("{}")
    (folder / "learning-rate.json").write_text('{"best": {"lr": 0.3, "loss": 0.5}, "steps": 391}')
    if results is not None:
        (folder / "training-step.json").write_text(json.dumps(results))
    source = load_text(text.encode(), PATH)
    with pytest.raises(SourceError) as info:
        fill_all(source, load_results(source, tmp_path))
    return info.value


def test_measured_without_a_results_file(tmp_path: Path) -> None:
    err = measured_error(GOOD, None, tmp_path)
    assert err.message == (
        f"{PATH}:44 (question 'zero-grad'): `measured` needs the results of notebooks/training-step.ipynb, "
        "but notebooks/results/training-step.json does not exist. "
        "Fix: run `make notebooks` to execute the notebook (it writes the results file), then commit both"
    )


def test_demo_naming_a_notebook_that_does_not_exist_is_reported_at_demo(tmp_path: Path) -> None:
    err = measured_error(edit("training-step.ipynb#", "training-stepp.ipynb#"), None, tmp_path)
    assert err.message == (
        f"{PATH}:42 (question 'zero-grad'): `demo` points to notebooks/training-stepp.ipynb, which does not exist. "
        "Fix: did you mean 'notebooks/training-step.ipynb'? notebooks: notebooks/learning-rate.ipynb, "
        "notebooks/training-step.ipynb"
    )


def test_measured_quoting_a_name_the_notebook_did_not_record(tmp_path: Path) -> None:
    err = measured_error(GOOD, {"ratios": 2.0, "exact": True}, tmp_path)
    assert err.line == 44
    assert "`measured` quotes {{ ratio }}, but there is no 'ratio' at the top level" in err.message
    assert "Fix: did you mean 'ratios'? names there: exact, ratios" in err.message


def test_measured_error_points_at_the_line_of_the_placeholder(tmp_path: Path) -> None:
    err = measured_error(GOOD, {"ratio": 2.0, "exact": {"value": True}}, tmp_path)
    assert err.line == 45, "the second line of the block, where {{ exact }} is"
    assert "it is a mapping, not a single value" in err.message and "'exact.value'" in err.message


def test_measured_quoting_a_null_result(tmp_path: Path) -> None:
    err = measured_error(GOOD, {"ratio": None, "exact": True}, tmp_path)
    assert "the notebook recorded null for it" in err.message


def test_measured_with_a_format_that_does_not_fit(tmp_path: Path) -> None:
    err = measured_error(edit("{{ ratio:g }}", "{{ exact:.2f }}"), {"ratio": 2.0, "exact": "yes"}, tmp_path)
    assert "`measured` formats {{ exact }} (= 'yes') with ':.2f', which fails" in err.message
    assert "Fix: use a format that fits the value" in err.message


def test_measured_must_quote_at_least_one_result(tmp_path: Path) -> None:
    text = edit("      Without clearing, the gradient grew {{ ratio:g }}-fold\n      ({{ exact }}, ${x}^2$ left alone).\n",
                "      Without clearing, the gradient grew 2-fold.\n")
    err = measured_error(text, {"ratio": 2.0, "exact": True}, tmp_path)
    assert err.message.startswith(f"{PATH}:44 (question 'zero-grad'): `measured` quotes no recorded number")
    assert "{{ exact }}" in err.message, "the fix shows a real name from the results file"


def test_measured_and_demo_are_required() -> None:
    err = error_for(edit('    measured: "At lr', '    mesured: "At lr'))
    assert "unknown field `mesured`" in err.message and "did you mean `measured`?" in err.message


def test_demo_must_be_a_notebook_section() -> None:
    err = error_for(edit("notebooks/training-step.ipynb#accumulation", "questions/index.md#overview"))
    assert err.line == 42
    assert "is not a link to a page section" in err.message


# --- `synonyms`: other words readers search for ----------------------------------------


def test_synonyms_are_read_with_a_line_each() -> None:
    source = load_text(edit("    tags: [hyperparameter]\n", "    tags: [hyperparameter]\n    synonyms:\n      - step size\n      - '`lr`'\n").encode(), PATH)
    lr = source.questions[0]
    assert lr.synonyms == ("step size", "`lr`")
    assert (lr.field_lines["synonyms[0]"], lr.field_lines["synonyms[1]"]) == (16, 17)


@pytest.mark.parametrize(
    ("value", "line", "problem"),
    [
        ("    synonyms: step size\n", 15, "`synonyms` must be a list of words or phrases"),
        ("    synonyms: []\n", 15, "`synonyms` must be a list of words or phrases"),
        ("    synonyms:\n      - step size\n      - ''\n", 17, "`synonyms` has an empty entry"),
        ("    synonyms:\n      - [a, b]\n", 16, "each of the `synonyms` must be a word or phrase"),
    ],
)
def test_synonyms_of_the_wrong_shape(value: str, line: int, problem: str) -> None:
    err = error_for(edit("    tags: [hyperparameter]\n", "    tags: [hyperparameter]\n" + value))
    assert err.message.startswith(f"{PATH}:{line} (question 'what-is-lr'): {problem}"), err.message
    assert "Fix: " in err.message
