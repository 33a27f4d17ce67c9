"""The real site, built with --strict: what a reader receives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, copy_project, mkdocs
from support import add_copies
from interview_qa import load
from interview_qa.render import SIMPLE_LABEL, TECHNICAL_LABEL

SOURCE = load(ROOT / "docs" / "questions.yml", "docs/questions.yml")
# The seed's 15 questions, by the id each one was published under.
SEED_IDS = {
    "what-is-learning-rate", "validation-set", "learning-rate-too-high", "learning-rate-too-low", "epoch",
    "adam-vs-sgd", "zero-grad", "relu", "choosing-learning-rate", "backward", "overfitting", "random-seed",
    "batch-size", "normalization", "fashion-mnist-format",
}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(page: BeautifulSoup) -> Tag:
    found = page.find("article")
    assert isinstance(found, Tag)
    return found


def sections(page: BeautifulSoup) -> dict[str, list[Tag]]:
    """Each question's h2 id mapped to the elements under it, up to the next h2."""
    out: dict[str, list[Tag]] = {}
    for h2 in article(page).find_all("h2"):
        body: list[Tag] = []
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            body.append(sibling)
        out[str(h2["id"])] = body
    return out


def test_every_seed_question_is_in_the_source_with_all_three_parts() -> None:
    assert SEED_IDS <= {q.id for q in SOURCE.questions}
    for q in SOURCE.questions:
        assert q.simple and q.technical and q.mistake, q.id


def test_each_question_has_an_anchor_two_tabs_and_one_mistake(site: Path) -> None:
    built: list[str] = []
    for topic in SOURCE.topics:
        page = soup(site / "questions" / topic.id / "index.html")
        found = sections(page)
        assert list(found) == [q.id for q in SOURCE.questions_in(topic.id)], f"anchors on {topic.id} page"
        for qid, body in found.items():
            tabsets = [el for el in body if "tabbed-set" in el.get("class", [])]
            assert len(tabsets) == 1, qid
            labels = [label.get_text(strip=True) for label in tabsets[0].select(":scope > .tabbed-labels > label")]
            assert labels == [SIMPLE_LABEL, TECHNICAL_LABEL], qid
            blocks = tabsets[0].select(":scope > .tabbed-content > .tabbed-block")
            assert len(blocks) == 2 and all(b.get_text(strip=True) for b in blocks), qid
            mistakes = [el for el in body if {"admonition", "mistake"} <= set(el.get("class", []))]
            assert len(mistakes) == 1, qid
            assert "Common mistake" in mistakes[0].get_text()
        built.extend(found)
    assert sorted(built) == sorted(q.id for q in SOURCE.questions)


def test_linked_tabs_come_from_the_sites_own_script(site: Path) -> None:
    # Material's linked tabs lay out the page once per tab set (tests/test_browser.py has the 250-question case).
    page = soup(site / "index.html")
    config = page.find("script", id="__config")
    assert isinstance(config, Tag)
    assert "content.tabs.link" not in json.loads(config.get_text())["features"]
    assert page.find("script", src=re.compile(r"assets/javascripts/linked-tabs\.js"))


def test_topic_pages_appear_in_the_navigation_in_source_order(site: Path) -> None:
    # navigation.prune renders only the open section's links; on the overview
    # page that is the questions section.
    nav = soup(site / "questions" / "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    hrefs = [a["href"] for a in nav.select("a.md-nav__link")]
    wanted = ["./"] + [f"{t.id}/" for t in SOURCE.topics]
    positions = [hrefs.index(h) for h in wanted]
    assert positions == sorted(positions), hrefs
    labels = [el.get_text(strip=True) for el in nav.select(".md-nav__link")]
    assert labels.index("Questions") < labels.index("Notebooks"), f"questions come before the notebooks: {labels}"


def test_previous_and_next_links_follow_the_navigation(site: Path) -> None:
    first_topic = SOURCE.topics[0].id
    footer = soup(site / "questions" / "index.html").select("a.md-footer__link--next")
    assert footer and footer[0]["href"] == f"{first_topic}/"


def test_overview_links_every_question_to_its_anchor(site: Path) -> None:
    links = {a["href"] for a in article(soup(site / "questions" / "index.html")).find_all("a", href=True)}
    for q in SOURCE.questions:
        assert f"../{q.topic}/#{q.id}" in links or f"{q.topic}/#{q.id}" in links, q.id


def test_home_page_tells_a_learner_what_is_here_and_where_to_start(site: Path) -> None:
    home = article(soup(site / "index.html"))
    text = home.get_text(" ", strip=True)
    # Counted from the questions file at build time, so adding a question updates the home page.
    assert f"{len(SOURCE.questions)} questions in {len(SOURCE.topics)} topics" in text
    links = {a["href"] for a in home.find_all("a", href=True)}
    for topic in SOURCE.topics:
        count = len(SOURCE.questions_in(topic.id))
        assert f"questions/{topic.id}/" in links, topic.id
        assert f"{topic.title} · {count} question" in text, topic.id
    assert {"practice/", "playground/", "questions/"} <= links
    assert "Not covered" in text, "a learner should know what to study elsewhere"
    assert "A way to study" in text


def test_the_overview_points_on_to_practice_and_the_playground(site: Path) -> None:
    links = {a["href"] for a in article(soup(site / "questions" / "index.html")).find_all("a", href=True)}
    assert {"../practice/", "../playground/"} <= links


def test_maintainer_instructions_stay_out_of_the_site(site: Path) -> None:
    for html in site.rglob("*.html"):
        text = article(soup(html)).get_text(" ", strip=True)
        for phrase in ("questions.yml", "make serve", "Contributing"):
            assert phrase not in text, f"{html.relative_to(site)} tells readers about {phrase}: that belongs in the README"


def test_the_cheat_sheet_lists_every_question_with_its_answer_mistake_and_evidence(site: Path) -> None:
    sheet = article(soup(site / "cheat-sheet" / "index.html"))
    entries = sheet.select(".qa-sheet-q")
    assert len(entries) == len(SOURCE.questions)
    for q, entry in zip(SOURCE.questions, entries):
        link = entry.find("a", href=True)
        assert link is not None and link["href"] == f"../questions/{q.topic}/#{q.id}", q.id
        paragraphs = [p.get_text(" ", strip=True) for p in entry.find_all("p", recursive=False)]
        assert paragraphs[-2].startswith("⚡") and paragraphs[-1].startswith("🔬"), q.id
        assert any(ch.isdigit() for ch in paragraphs[-1]), f"{q.id}: the measured line quotes no number"
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "cheat-sheet/" not in index, "the sheet repeats the answers: search points at the questions"


def test_formulas_are_mathml_with_no_math_script(site: Path) -> None:
    html = (site / "questions" / "learning-rate" / "index.html").read_text(encoding="utf-8")
    assert "<math " in html
    assert "arithmatex" not in html
    assert not re.search(r"<script[^>]+(mathjax|katex)", html, re.IGNORECASE)


def test_every_page_defers_materials_script_and_loads_it_before_the_sites_own(site: Path) -> None:
    # Deferred, so the first paint does not wait for it (page_html.scripts); the site's scripts that
    # follow it rely on its document$ when they run.
    for page in site.rglob("index.html"):
        scripts = [s for s in soup(page).find_all("script") if s.get("src")]
        bundle = [s for s in scripts if "/bundle." in s["src"] or s["src"].startswith("assets/javascripts/bundle.")]
        assert len(bundle) == 1 and bundle[0].has_attr("defer"), page
        after = scripts[scripts.index(bundle[0]) + 1 :]
        assert after and all(s.has_attr("defer") for s in after), page


def test_source_file_is_not_published_and_nothing_is_written_to_docs(site: Path) -> None:
    assert not list(site.rglob("questions.yml"))
    assert not (ROOT / "docs" / "questions").exists(), "generated pages must stay in memory"


def test_pages_and_stylesheets_load_nothing_from_other_hosts(site: Path) -> None:
    # Links a reader may follow are fine; what the page itself loads is not.
    loaded = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
    for html in site.rglob("*.html"):
        page = soup(html)
        urls = [str(el[attr]) for tag, attr in loaded.items() for el in page.find_all(tag, attrs={attr: True})]
        urls += [
            str(link["href"]) for link in page.find_all("link", href=True)
            if not {"canonical", "alternate"} & set(link.get("rel", []))
        ]
        external = [u for u in urls if re.match(r"(https?:)?//", u)]
        assert not external, f"{html.relative_to(site)} loads {external}"
    for css in site.rglob("*.css"):
        imports = re.findall(r"""(?:url\(|@import\s)\s*["']?((?:https?:)?//[^"')\s]+)""", css.read_text(encoding="utf-8"))
        assert not imports, f"{css.relative_to(site)} loads {imports}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_broken_source_fails_the_build_and_leaves_no_site(project: Path) -> None:
    out = project / "out"
    mkdocs("build", "--site-dir", str(out), cwd=project)
    assert (out / "index.html").exists()
    source = project / "docs" / "questions.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("    technical: |", "    techincal: |", 1), encoding="utf-8")
    line = text[: text.index("    technical: |")].count("\n") + 1
    result = mkdocs("build", "--site-dir", str(out), cwd=project, check=False)
    assert result.returncode != 0
    first = SOURCE.questions[0].id
    assert f"docs/questions.yml:{line} (question '{first}'): unknown field `techincal`" in result.stderr
    assert "Fix: did you mean `technical`?" in result.stderr
    assert not (out / "index.html").exists()


def test_strict_warning_fails_the_build_and_leaves_no_site(project: Path) -> None:
    out = project / "out"
    source = project / "docs" / "questions.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("    mistake: |\n", "    mistake: |\n      See [this](missing-page.md).\n", 1))
    result = mkdocs("build", "--strict", "--site-dir", str(out), cwd=project, check=False)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr
    assert "removed the unfinished site" in result.stderr
    assert not (out / "index.html").exists()


def test_unsafe_html_in_a_topic_title_fails_the_build_at_its_line(project: Path) -> None:
    out = project / "out"
    source = project / "docs" / "questions.yml"
    topic = SOURCE.topics[1]
    text = source.read_text(encoding="utf-8")
    old = f"    title: {topic.title}\n"
    source.write_text(text.replace(old, f"    title: {topic.title} <img src=x onerror=alert(1)>\n", 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = mkdocs("build", "--strict", "--site-dir", str(out), cwd=project, check=False)
    assert result.returncode != 0
    assert (f"docs/questions.yml:{line} (topic '{topic.id}'): `title` contains HTML the sanitizer would remove: "
            "the attribute `onerror` (`alert(1)`) on `<img>` is not allowed") in result.stderr, result.stderr
    assert not (out / "index.html").exists()


def test_a_home_page_without_its_summary_line_fails_the_strict_build(project: Path) -> None:
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8").replace("<!-- questions:summary -->\n", ""), encoding="utf-8")
    result = mkdocs("build", "--strict", "--site-dir", str(project / "out"), cwd=project, check=False)
    assert result.returncode != 0
    assert "docs/index.md has no <!-- questions:summary --> line" in result.stderr, result.stderr
    assert not (project / "out" / "index.html").exists()


def test_a_topic_page_over_its_budget_fails_the_strict_build_naming_topic_and_size(project: Path) -> None:
    topic = SOURCE.topics[0]
    add_copies(project, 30, topic=topic.id)
    result = mkdocs("build", "--strict", "--site-dir", str(project / "out"), cwd=project, check=False)
    assert result.returncode != 0
    assert re.search(
        rf"questions/{topic.id}\.md \('{re.escape(topic.title)}'\) weighs \d+\.\d KB of HTML, over its 40 KB budget\. "
        r"Fix: split the topic", result.stderr), result.stderr
