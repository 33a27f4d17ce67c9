"""Notebooks as pages: rendered from committed outputs, linked from the answers they demonstrate."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, mkdocs
from interview_qa import load

SOURCE = load(ROOT / "docs" / "questions.yml", "docs/questions.yml")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_notebook_is_a_page_with_a_download_link(site: Path) -> None:
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        page_dir = site / "notebooks" / notebook.stem
        page = soup(page_dir / "index.html")
        link = page.select_one("p.nb-download a[download]")
        assert link is not None and link["href"] == notebook.name
        assert (page_dir / notebook.name).read_bytes() == notebook.read_bytes()
        nav = [a["href"] for a in soup(site / "index.html").select("nav.md-nav--primary a.md-nav__link")]
        assert f"notebooks/{notebook.stem}/" in nav


def test_learning_rate_notebook_shows_its_plot_table_and_verdict(site: Path) -> None:
    page = soup(site / "notebooks" / "learning-rate-comparison" / "index.html")
    assert page.find("img"), "the loss plot"
    headers = [th.get_text(strip=True) for th in page.select("table th")]
    assert "best val acc" in headers and "test acc (best ckpt)" in headers
    verdict = page.find(string=lambda s: s and s.startswith("Ship lr="))
    assert verdict is not None


def test_every_demo_link_lands_on_an_existing_section(site: Path) -> None:
    demos = [q for q in SOURCE.questions if q.demo]
    assert demos, "at least the learning-rate questions link to a demonstration"
    for q in demos:
        page_url = f"questions/{q.topic}/"
        link = soup(site / page_url / "index.html").select_one(f"h2#{q.id} ~ p a.qa-demo")
        assert link is not None and link.get_text(strip=True) == "▶ See it run", q.id
        target = urlsplit(urljoin(f"http://site/{page_url}", str(link["href"])))
        anchor_page = soup(site / target.path.lstrip("/") / "index.html")
        assert anchor_page.find(id=target.fragment) is not None, f"{q.id}: #{target.fragment} missing on {target.path}"


def test_a_demo_link_to_a_missing_section_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "docs" / "questions.yml"
    q = next(q for q in SOURCE.questions if q.demo)
    page, _, anchor = q.demo.partition("#")
    source.write_text(source.read_text(encoding="utf-8").replace(q.demo, f"{page}#no-such-section"), encoding="utf-8")
    result = mkdocs("build", "--site-dir", str(project / "out"), cwd=project, check=False)
    assert result.returncode != 0
    assert (
        f"docs/questions.yml:{q.field_lines['demo']} (question '{q.id}'): `demo` anchor '#no-such-section' "
        f"does not exist on '{page}'"
    ) in result.stderr
    assert not (project / "out" / "index.html").exists()
