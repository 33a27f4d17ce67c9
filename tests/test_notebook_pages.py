"""Notebooks as pages: rendered from committed outputs, linked from the answers they demonstrate."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, copy_project, mkdocs
from interview_qa import Question, SourceError, load
from interview_qa.measured import PLACEHOLDER, fill, results_file

SOURCE = load(ROOT / "docs" / "questions.yml", "docs/questions.yml")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_notebooks_quote_questions_by_their_real_titles() -> None:
    """A question named in a notebook's prose, in quotes, is one the site asks, word for word."""
    import re

    titles = {q.question for q in SOURCE.questions}
    wrong = []
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for quoted in re.findall(r'"([^"]+\?)"', " ".join(prose.split())):
            if quoted not in titles:
                wrong.append(f"{notebook.name}: \"{quoted}\"")
    assert not wrong, wrong


def test_every_backed_question_is_named_in_its_notebooks_introduction() -> None:
    from interview_qa.backlinks import backed_questions

    missing = []
    for path, questions in backed_questions(SOURCE).items():
        cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
        intro = " ".join("".join(cells[0]["source"]).split())
        missing += [f"{path}: {title}" for title, _ in questions if f'"{title}"' not in intro]
    assert not missing, missing


def test_backlinks_name_the_page_file_when_urls_are_files() -> None:
    """Offline (no directory URLs) a backlink names questions/x.html: file:// has no folder index."""
    from interview_qa.backlinks import backlinks_html

    backed = [("What is it?", "questions/loop/#epoch")]
    assert 'href="../../questions/loop/#epoch"' in backlinks_html(backed, "notebooks/x/")
    assert 'href="../questions/loop.html#epoch"' in backlinks_html(backed, "notebooks/x.html")


def test_every_notebook_is_a_page_with_a_download_link(site: Path) -> None:
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        page_dir = site / "notebooks" / notebook.stem
        page = soup(page_dir / "index.html")
        link = page.select_one("p.nb-download a[download]")
        assert link is not None and link["href"] == notebook.name
        assert (page_dir / notebook.name).read_bytes() == notebook.read_bytes()
        # With navigation.prune, a page lists its own section's pages: here, every notebook.
        nav = [a["href"] for a in soup(site / "notebooks" / NOTEBOOKS[0].stem / "index.html").select("nav.md-nav--primary a.md-nav__link")]
        assert f"../{notebook.stem}/" in nav or (notebook == NOTEBOOKS[0] and "./" in nav)


def test_every_notebook_lists_the_questions_that_cite_it_and_each_link_lands(site: Path) -> None:
    source = load(ROOT / "docs" / "questions.yml")
    cited: dict[str, set[str]] = {}
    for q in source.questions:
        cited.setdefault(q.demo.partition("#")[0], set()).add(q.id)
    assert cited, "the source cites notebooks"
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        page = site / "notebooks" / notebook.stem / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = soup.select("p.nb-backs a")
        assert {a["href"].rpartition("#")[2] for a in links} == cited.get(f"notebooks/{notebook.name}", set()), notebook.name
        if links:
            assert soup.select_one("h1").find_next_sibling() is soup.select_one("p.nb-backs"), "right under the title"
        for a in links:
            target, _, anchor = urljoin(f"https://site/notebooks/{notebook.stem}/", a["href"]).partition("#")
            html = (site / urlsplit(target).path.lstrip("/") / "index.html").read_text(encoding="utf-8")
            heading = BeautifulSoup(html, "html.parser").find(id=anchor)
            assert heading is not None and heading.get_text(" ", strip=True).startswith(a.get_text(" ", strip=True)[:20]), a


def test_every_pages_skip_link_lands_on_its_heading(site: Path) -> None:
    # Material points "Skip to content" at the table of contents' first anchor; a heading whose
    # id the page renders differently (code in a notebook's title) left the link dead.
    dead = []
    for page in site.rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        skip = soup.select_one("a.md-skip")
        if skip is not None and not soup.find(id=skip["href"].removeprefix("#")):
            dead.append(f"{page.relative_to(site)}: {skip['href']}")
    assert not dead, dead


def test_learning_rate_notebook_shows_its_plot_table_and_verdict(site: Path) -> None:
    page = soup(site / "notebooks" / "learning-rate-comparison" / "index.html")
    plot = page.find("svg", class_="nb-figure")
    assert plot is not None and plot.get("role") == "img" and "Plot from" in plot.get("aria-label", ""), "the loss plot"
    headers = [th.get_text(strip=True) for th in page.select("table th")]
    assert {"seed", "lr=0.001 best val loss", "lr=0.0005 best val loss", "lr=0.001 best val acc"} <= set(headers)
    verdict = page.find(string=lambda s: s and s.startswith("Ship lr="))
    assert verdict is not None
    # The verdict states its evidence: the paired interval and the number of seeds.
    paragraph = verdict.find_parent("p").get_text()
    assert "95% interval" in paragraph and "5 seeds" in paragraph


def measured_box(site: Path, q: Question) -> Tag:
    page = soup(site / "questions" / q.topic / "index.html")
    heading = page.find("h2", id=q.id)
    assert heading is not None, q.id
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        if {"admonition", "measured"} <= set(sibling.get("class", [])):
            return sibling
    raise AssertionError(f"{q.id}: no measured evidence under the question")


@pytest.mark.parametrize("q", SOURCE.questions, ids=lambda q: q.id)
def test_every_answer_shows_numbers_from_its_notebook_and_links_to_it(site: Path, q: Question) -> None:
    box = measured_box(site, q)
    text = box.get_text(" ", strip=True)
    assert "{{" not in text and any(c.isdigit() for c in text), q.id
    # Each quoted value, formatted as the source asks, is on the page: the
    # number shown is the number in the notebook's results file.
    values = json.loads((ROOT / results_file(q.demo)).read_text(encoding="utf-8"))
    for match in PLACEHOLDER.finditer(q.measured):
        shown = fill(replace(q, measured=match.group(0)), values, "docs/questions.yml")
        assert shown.strip("`") in text, f"{q.id}: {match.group(0)} = {shown!r} not on the page"
    link = box.select_one("a.qa-demo")
    assert link is not None and link.get_text(strip=True) == "▶ See it run", q.id
    page_url = f"questions/{q.topic}/"
    target = urlsplit(urljoin(f"http://site/{page_url}", str(link["href"])))
    assert target.path == f"/{q.demo.partition('#')[0].removesuffix('.ipynb')}/"
    anchor_page = soup(site / target.path.lstrip("/") / "index.html")
    assert anchor_page.find(id=target.fragment) is not None, f"{q.id}: #{target.fragment} missing on {target.path}"


def test_every_notebook_but_the_comparison_backs_an_answer() -> None:
    linked = {q.demo.partition("#")[0] for q in SOURCE.questions}
    assert {f"notebooks/{nb.name}" for nb in NOTEBOOKS} - linked <= {"notebooks/learning-rate-comparison.ipynb"}


def filled(measured: str, values: dict[str, object]) -> str:
    return fill(replace(SOURCE.questions[0], measured=measured), values, "docs/questions.yml")


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [(0.0043, ".2pp", "0.43"), (0.0043, "+.1pp", "+0.4"), (0.0043, "pp", "0.43"), (-0.0123, "+pp", "-1.23"),
     (0.0043, ",.3pp", "0.430"), (1, ".0pp", "100")],
)
def test_pp_shows_a_fraction_in_percentage_points_without_a_unit(value: float, spec: str, shown: str) -> None:
    assert filled(f"{{{{ d:{spec} }}}} percentage points", {"d": value}) == f"{shown} percentage points"


@pytest.mark.parametrize("value", ["yes", True, [1, 2]])
def test_pp_refuses_what_is_not_a_number(value: object) -> None:
    with pytest.raises(SourceError) as info:
        filled("{{ d:.2pp }}", {"d": value})
    assert f"formats {{{{ d }}}} (= {value!r}) with ':.2pp', which fails: percentage points need a number" in (
        info.value.message
    )
    assert "Fix: ':...pp' takes a fraction such as 0.0043" in info.value.message


def test_pp_refuses_a_type_letter_of_its_own() -> None:
    with pytest.raises(SourceError) as info:
        filled("{{ d:.2fpp }}", {"d": 0.0043})
    assert "with ':.2fpp', which fails: '.2f' before 'pp' is not a float format without its type letter" in (
        info.value.message
    )


def test_new_results_change_the_answer_page(tmp_path: Path) -> None:
    """Re-executing a notebook rewrites its results file; the next build shows the new numbers."""
    project = copy_project(tmp_path / "project")
    results = project / "notebooks" / "results" / "seeds.json"
    data = json.loads(results.read_text(encoding="utf-8"))
    data["test_acc"]["mean"] = 0.123456
    results.write_text(json.dumps(data), encoding="utf-8")
    mkdocs("build", "--strict", "--site-dir", str(project / "out"), cwd=project)
    page = (project / "out" / "questions" / "generalization" / "index.html").read_text(encoding="utf-8")
    assert "test accuracy was 12.35% (std" in page


def test_a_missing_results_file_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "notebooks" / "results" / "seeds.json").unlink()
    q = next(q for q in SOURCE.questions if q.demo.startswith("notebooks/seeds.ipynb"))
    result = mkdocs("build", "--site-dir", str(project / "out"), cwd=project, check=False)
    assert result.returncode != 0
    assert (
        f"docs/questions.yml:{q.field_lines['measured']} (question '{q.id}'): `measured` needs the results of "
        "notebooks/seeds.ipynb, but notebooks/results/seeds.json does not exist. Fix: run `make notebooks`"
    ) in result.stderr
    assert not (project / "out" / "index.html").exists()


def test_a_demo_link_to_a_missing_section_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "docs" / "questions.yml"
    q = SOURCE.questions[0]
    page, _, anchor = q.demo.partition("#")
    source.write_text(source.read_text(encoding="utf-8").replace(q.demo, f"{page}#no-such-section"), encoding="utf-8")
    result = mkdocs("build", "--site-dir", str(project / "out"), cwd=project, check=False)
    assert result.returncode != 0
    assert (
        f"docs/questions.yml:{q.field_lines['demo']} (question '{q.id}'): `demo` anchor '#no-such-section' "
        f"does not exist on '{page}'"
    ) in result.stderr
    assert not (project / "out" / "index.html").exists()
