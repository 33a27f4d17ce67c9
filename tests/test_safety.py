"""Hostile and broken input: every known XSS vector and every silent failure ends in one located error.

Author text is rendered with the site's own Markdown settings and cleaned by
the allowlist sanitizer (hooks/interview_qa/safety.py, hooks/page_html/sanitize.py);
tests/test_safety_browser.py opens what the sanitizer would serve in Chromium.
"""

from __future__ import annotations

import html as html_lib
import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT
from interview_qa import SourceError, fill_all, load_results, load_text, render_pages
from interview_qa.markup import inline
from interview_qa.pages import clean_page
from interview_qa.safety import check_fields
from page_html.sanitize import clean, first_change
from support import RENDER
from xss_corpus import VECTORS

PATH = "docs/questions.yml"
GOOD = (FIXTURES / "small_questions.yml").read_text(encoding="utf-8")
SIMPLE = "    simple: |\n      Wipes the board.\n"  # zero-grad's simple answer: lines 30-31
# Shown as text, which is what they are once Markdown has read them: nothing to remove.
INERT_AS_WRITTEN = {
    "comment confusion": "Markdown keeps the comment and escapes the rest: the reader sees the text",
    "href null entity": "&#0; becomes U+FFFD, so the link is relative, to a page named java\ufffdscript:alert(1)",
}


def check(text: str) -> None:
    """Everything the hook checks before it writes a page: parse, validate, fill, render each field."""
    source = load_text(text.encode("utf-8"), PATH)
    check_fields(source, fill_all(source, load_results(source, FIXTURES)), RENDER)


def error_for(text: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        check(text)
    return info.value


def with_simple(extra: str) -> str:
    """The fixture with `extra` (Markdown, may span lines) appended to zero-grad's simple answer, from line 32."""
    block = "".join(f"      {line}\n" if line else "\n" for line in extra.split("\n"))
    return GOOD.replace(SIMPLE, SIMPLE + block)


def test_the_fixture_itself_passes() -> None:
    check(GOOD)


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_every_xss_vector_is_an_error_at_its_line(name: str) -> None:
    vector = VECTORS[name]
    if name in INERT_AS_WRITTEN:
        check(with_simple(vector))  # no error, because nothing would be removed:
        assert first_change(RENDER(vector)) is None, INERT_AS_WRITTEN[name]
        return
    err = error_for(with_simple(vector))
    assert err.question_id == "zero-grad"
    assert 32 <= err.line <= 32 + vector.count("\n"), err.message
    assert err.message.startswith(f"{PATH}:{err.line} (question 'zero-grad'): `simple` ")
    assert "Fix: " in err.message


def test_the_corpus_covers_the_classic_families() -> None:
    assert len(VECTORS) >= 40
    text = " ".join(VECTORS.values()).lower()
    for family in ("&#", "<svg", "<math", "srcdoc", "formaction", "<base", "<meta", "url(", "expression(",
                   "javascript&colon;", "&#9;", "&#0;", "<script"):
        assert family in text, family


@pytest.mark.parametrize(
    ("old", "new", "line", "owner"),
    [
        ("    title: The loop\n", "    title: The loop <img src=x onerror=alert(1)>\n", 8, "(topic 'loop'): `title`"),
        ("      Where every course starts.\n", "      Where every course starts. <svg/onload=alert(1)>\n", 6,
         "(topic 'basics'): `intro`"),
        ("    question: What is a learning rate?\n", "    question: What is a learning rate? <svg/onload=alert(1)>\n",
         13, "(question 'what-is-lr'): `question`"),
        ("      Without clearing,", "      <img src=x onerror=alert(1)> Without clearing,", 44,
         "(question 'zero-grad'): `measured`"),
        ("      Thinking it sets the *direction*.\n",
         "      Thinking it sets the *direction*.\n      <details open ontoggle=alert(1)>\n", 25,
         "(question 'what-is-lr'): `mistake`"),
    ],
)
def test_every_field_that_reaches_a_page_is_checked(old: str, new: str, line: int, owner: str) -> None:
    assert GOOD.count(old) == 1
    err = error_for(GOOD.replace(old, new))
    assert err.message.startswith(f"{PATH}:{line} {owner} contains HTML the sanitizer would remove"), err.message


def test_code_shows_html_as_text() -> None:
    check(with_simple("Unlike `<script>alert(1)</script>` or\n\n```html\n<iframe src=\"javascript:alert(1)\">\n```"))
    html = RENDER("`<svg/onload=alert(1)>`")
    assert "&lt;svg/onload=alert(1)&gt;" in html and clean(html) == html


def test_a_link_defined_in_one_answer_and_used_in_another_is_caught_on_the_page() -> None:
    # Definitions reach the whole page, so an answer may not hold one ...
    text = with_simple("[evil]: javascript:alert(1)").replace(
        "      - Calling it after `backward()`.\n", "      - Calling it after `backward()`, see [here][evil].\n")
    err = error_for(text)
    assert err.line == 32 and "defines a reference-style link definition" in err.message, err.message
    # ... and were one to get through, the page as a whole is sanitized again: each field
    # alone is harmless (a definition renders nothing, a lone reference renders as text).
    source = load_text(text.encode(), PATH)
    page = render_pages(source, fill_all(source, load_results(source, FIXTURES)))["questions/loop.md"]
    html = RENDER(page.split("---\n", 2)[-1] if page.startswith("---") else page)
    with pytest.raises(SourceError) as info:
        clean_page(html, source, "questions/loop.md")
    assert info.value.message.startswith(f"{PATH}:27 (question 'zero-grad'): the sanitizer would change the page")
    assert "javascript:alert(1)" in info.value.message


def test_a_practice_page_keeps_its_own_scripts_and_loses_an_authors() -> None:
    source = load_text(GOOD.encode(), PATH)
    pages = render_pages(source, fill_all(source, load_results(source, FIXTURES)))
    html = RENDER(pages["practice/loop.md"].split("---\n", 2)[-1])
    assert clean_page(html, source, "practice/loop.md").count("<script") == 2
    with pytest.raises(SourceError):
        clean_page(html.replace('<div class="pq-slot">', '<script>alert(1)</script><div class="pq-slot">'),
                   source, "practice/loop.md")


# --- generated structure: titles are serialized, never interpolated -----------------------

AWKWARD = [
    "The training loop: batches and epochs",
    "# Not a heading",
    "C# and F#",
    "\"Quoted\" and 'single'",
    "- starts like a list",
    "Emoji 🧠 and ünïcödé",
    "Braces { #other-id .cls onclick=alert(1) }",
    "Brackets [0, 1] and a ](link)",
    "Back\\slash at the end\\",
    "Ends with ---",
    "yes",
    "`code: with colon` and *emphasis*",
]


@pytest.mark.parametrize("title", AWKWARD)
def test_awkward_titles_round_trip_through_front_matter_and_headings(title: str) -> None:
    text = GOOD.replace("    title: The loop\n", f"    title: {yaml.safe_dump(title, width=10**6).strip().removesuffix(chr(10) + '...')}\n")
    source = load_text(text.encode(), PATH)
    assert source.topics[1].title == title
    pages = render_pages(source, fill_all(source, load_results(source, FIXTURES)))
    practice = pages["practice/loop.md"]
    front, body = practice.removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(front) == {"title": title, "search": {"exclude": True}, "hide": ["toc"]}
    heading = RENDER(body.split("\n", 2)[1])
    assert heading.startswith('<h1 id="practice">'), heading  # the id we gave it, no other attribute
    shown = re.sub(r"<[^>]+>", "", heading.replace('<a class="headerlink"', "\0").split("\0")[0])
    expected = re.sub(r"`([^`]*)`", r"\1", title).replace("*emphasis*", "emphasis")
    assert html_lib.unescape(shown) == f"🧠 Practice: {' '.join(expected.split())}"


def test_inline_leaves_code_alone_and_escapes_the_rest() -> None:
    assert inline("Why `x[0]` and {sic} [sic] #?") == "Why `x[0]` and \\{sic\\} \\[sic\\] \\#?"


# --- no silent wrong output ---------------------------------------------------------------

SILENT = {
    "unclosed placeholder beside a good one": (
        GOOD.replace("({{ exact }},", "({{ exact }}, {{ ratio:,"), 45, "`measured` has an unclosed or malformed placeholder"),
    "unclosed $$": (with_simple("Then $$\\eta > 0"), 32, "`simple` has an unclosed formula ($$)"),
    "tikzpicture": (with_simple("Plain.\n\n$\\begin{tikzpicture}\\draw (0,0);\\end{tikzpicture}$"), 34,
                    "\\begin{tikzpicture}, which cannot be drawn"),
    "unknown command": (with_simple("Plain.\n\nSee $\\foo x$."), 34, "uses \\foo, which latex2mathml does not know"),
    "latex error on its line": (with_simple("One.\n\nTwo $\\frac{1}{$ three."), 34, "cannot render the formula"),
    "unclosed fence": (with_simple("```python\nx = 1"), 32, "`simple` has an unclosed code fence"),
    "unclosed div": (with_simple("<div>\nHello"), 32, "`<div>` is not closed"),
    "stray closing tag": (with_simple("Hello </div> there"), 32, "`</div>` closes nothing"),
    "tab marker": (with_simple('=== "Evil"\n\n    Nested.'), 32, "contains a tab (===) marker"),
    "admonition marker": (with_simple("!!! note\n\n    Boxed."), 32, "contains an admonition (!!! or ???) marker"),
    "heading": (with_simple("## A heading"), 32, "contains a heading"),
    "question on two lines": (GOOD.replace("    question: What is a learning rate?\n",
                                          "    question: |\n      What is a\n      learning rate?\n"), 14,
                              "`question` spans several lines"),
    "question with a formula": (GOOD.replace("    question: What is a learning rate?\n",
                                             "    question: 'What is a learning rate? $ ](x.md#y){#loop} [ $'\n"), 13,
                                "`question` contains `$`"),
    "control character": (GOOD.replace(SIMPLE, '    simple: "Wipes ![c](\\x01//elsewhere.invalid/p.png)"\n'), 30,
                          "contains the control character U+0001"),
    "question as a list": (GOOD.replace("    question: What is a learning rate?\n",
                                        "    question: \"- What is a learning rate?\"\n"), 13,
                           "`question` must be a single line of text"),
}


@pytest.mark.parametrize("case", sorted(SILENT))
def test_no_silent_wrong_output(case: str) -> None:
    text, line, problem = SILENT[case]
    err = error_for(text)
    assert err.line == line, err.message
    assert problem in err.message, err.message
    assert err.question_id, err.message
    assert "Fix: " in err.message


def test_yaml_error_inside_a_question_names_it() -> None:
    err = error_for(GOOD.replace("    mistake: |\n      - Forgetting it.", "    mistake: [unclosed\n      - Forgetting it."))
    assert err.message.startswith(f"{PATH}:42 (question 'zero-grad'): YAML syntax error"), err.message


def test_encoding_error_inside_a_topic_names_it() -> None:
    data = GOOD.replace("Where every course starts.", "Where every course st\u00e4rts.").encode("latin-1")
    with pytest.raises(SourceError) as info:
        load_text(data, PATH)
    assert info.value.message.startswith(f"{PATH}:6 (topic 'basics'): the file is not valid UTF-8"), info.value.message


# Each must fail fast and clearly. The bound is generous (the goal is a second, printed by
# tests/benchmarks/bench_build.py): it catches a quadratic or recursive blow-up, not noise.
PATHOLOGICAL = {
    "yaml list nested 600 deep": (GOOD.replace("    tags: [hyperparameter]\n", "    tags: " + "[" * 600 + "]" * 600 + "\n"),
                                  "(question 'what-is-lr'): lists or mappings are nested more than 50 levels deep"),
    "markdown list nested 600 deep": (with_simple("\n".join("    " * i + "- x" for i in range(600))),
                                      "(question 'zero-grad'): `simple` is 721,"),
    "markdown list nested 40 deep": (with_simple("\n".join("    " * i + "- x" for i in range(40))),
                                     "(question 'zero-grad'): `simple` nests lists or quotes 39 levels deep"),
    "quotes nested 600 deep": (with_simple("> " * 600 + "x"), "(question 'zero-grad'): `simple` nests lists or quotes"),
    "16,000 unclosed fences": (with_simple("\n".join(["```"] * 16_000)), "(question 'zero-grad'): `simple` is 64,0"),
    "600 unclosed fences": (with_simple("\n\n".join(["```text"] * 600)), "(question 'zero-grad'): `simple` has an unclosed code fence"),
    "1,500 unclosed tags": (with_simple("<b>" * 1_500), "(question 'zero-grad'): `simple` contains HTML the sanitizer would remove"),
    "4,000 open brackets": (with_simple("[" * 4_000 + "x"), "(question 'zero-grad'): `simple` has 4,000 `[`"),
    "1,500 unclosed links": (with_simple("<a " * 1_500), ""),  # text, escaped
    "2,500 backticks": (with_simple("`a" * 2_500), ""),
    "\\begin{ and 5,000 spaces": (with_simple("$\\begin{" + " " * 5_000 + "x$"), "(question 'zero-grad'): `simple` has a formula"),
    "macro doubling": (with_simple("$\\def\\q{y}" + "".join(
        "\\def\\" + "q" * (i + 1) + "{{\\" + "q" * i + "}{\\" + "q" * i + "}}" for i in range(1, 17)) + "\\" + "q" * 17 + "$"),
        "defines a macro with \\def"),
    "slow lexer": (with_simple("```mcfunction\n" + "1" * 200 + "x\n```"), "highlighted as 'mcfunction'"),
    "long title": (GOOD.replace("    title: The loop\n", "    title: '" + "`a` $x$ " * 300 + "'\n"),
                   "(topic 'loop'): `title` is 2,"),
    "abbreviation blow-up": (with_simple("*[a]: " + "T" * 3_000 + "\n\n" + "a " * 1_400), "defines an abbreviation"),
    "2,900-line code block": (with_simple("```python\n" + "a\n" * 2_900 + "```"), "renders to"),
    "footnote list": (with_simple("See[^1].\n\n[^1]: " + "x " * 2_000), "defines a footnote"),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_input_fails_fast_and_clearly(case: str) -> None:
    text, problem = PATHOLOGICAL[case]
    start = time.perf_counter()
    try:
        check(text)
        message = ""
    except SourceError as exc:
        message = exc.message
    took = time.perf_counter() - start
    assert took < 5, f"{case}: {took:.1f} s"
    assert (problem in message) if problem else not message, message


def test_every_highlighted_language_lexes_hostile_code_quickly() -> None:
    from interview_qa.safety import LANGUAGES, MAX_CHARS
    from pygments import lex
    from pygments.lexers import get_lexer_by_name

    worst: dict[str, float] = {}
    for language in sorted(LANGUAGES):
        lexer = get_lexer_by_name(language)
        for code in ("1" * MAX_CHARS + "x", "a" + " " * MAX_CHARS + "!", "*" * MAX_CHARS, '"' * MAX_CHARS, "a\n" * (MAX_CHARS // 2)):
            start = time.perf_counter()
            list(lex(code, lexer))
            worst[language] = max(worst.get(language, 0.0), time.perf_counter() - start)
    slow = {k: round(v, 2) for k, v in worst.items() if v > 2}
    assert not slow, f"lexers that took seconds (seconds): {slow}"


def test_each_synonym_is_checked_at_its_own_line() -> None:
    err = error_for(GOOD.replace("    tags: [hyperparameter]\n",
                                 "    tags: [hyperparameter]\n    synonyms:\n      - step size\n      - <img src=x onerror=alert(1)>\n"))
    assert err.message.startswith(f"{PATH}:17 (question 'what-is-lr'): `synonyms` contains HTML the sanitizer would remove")
