"""Practice mode's scheduler, npm's ts-fsrs: the file the site serves, the pages that load it, and its
schedule checked against py-fsrs (PyPI `fsrs`), FSRS's implementation in Python.

practice.js runs ts-fsrs's long-term scheduler alone: no fuzz, no short-term steps, intervals in
whole days. py-fsrs with no learning or relearning steps and no fuzzing schedules alike, save for
three differences by design, which the comparison allows for:

(a) Elapsed days. ts-fsrs counts the UTC calendar days from one review to the next (practice.js hands
    it wall-clock times, so these are the reader's days; the comparison runs in UTC); py-fsrs counts
    whole 24-hour periods (and treats a review under 24 hours after the last as a same-day one).
    The log below reviews at one UTC time of day, never twice a day per question: both counts agree.
(b) The four grades' intervals. ts-fsrs keeps them in order, Again <= Hard < Good < Easy, moving an
    interval that breaks the order; py-fsrs takes each grade's interval from its own stability. The
    reference computes py-fsrs's four intervals before each review and applies ts-fsrs's rule.
(c) Stability after a lapse. With short-term off ts-fsrs caps it at the old stability; py-fsrs at the
    old stability / exp(w17 * w18). The reference runs py-fsrs with w17 = w18 = 0: the two weights
    serve only this cap and same-day reviews, which (a) keeps out of the log.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS
from interview_qa import load
from support import visit

SOURCE = load(ROOT / "docs" / "questions.yml")
SERVED = ROOT / "docs" / "assets" / "javascripts" / "vendor" / "ts-fsrs.umd.js"
NPM = ROOT / "node_modules" / "ts-fsrs"
BUDGET = 25 * 1024  # bytes gzipped: "the FSRS script adds <= 25 KB gzipped to the practice pages only"
FSRS_PATH = "assets/javascripts/vendor/ts-fsrs.umd.js"
GRADES = ("again", "hard", "good", "easy")  # an exported history's words for FSRS's ratings 1-4


def pin() -> str:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["ts-fsrs"]


# --- The file ----------------------------------------------------------------------------------------------------


def test_the_served_file_is_the_npm_build_of_the_pinned_version() -> None:
    if not NPM.is_dir():
        pytest.fail(f"{NPM} not found: run `npm ci` (make test does) to install ts-fsrs")
    installed = json.loads((NPM / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pin(), f"node_modules holds ts-fsrs {installed}, package.json pins {pin()}: run `npm ci`"
    assert SERVED.read_bytes() == (NPM / "dist" / "index.umd.js").read_bytes(), (
        f"{SERVED.relative_to(ROOT)} is not ts-fsrs {pin()}'s dist/index.umd.js: run `make fsrs` and commit it"
    )


def test_ts_fsrs_is_pinned_to_one_version_and_locked_at_it() -> None:
    # A range (^5.4.2, ~5.4.2) would let `npm install` move the scheduler under the committed copy.
    assert re.fullmatch(r"\d+\.\d+\.\d+", pin()), f"package.json must pin ts-fsrs to one version, not {pin()!r}"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/ts-fsrs"]["version"] == pin()


def test_ts_fsrs_stays_within_its_gzip_budget() -> None:
    size = len(gzip.compress(SERVED.read_bytes(), compresslevel=9))
    assert size <= BUDGET, f"{SERVED.name} is {size / 1024:.1f} KB gzipped; the budget is {BUDGET / 1024:.0f} KB"


# --- Which pages load it -----------------------------------------------------------------------------------------

TOPIC = SOURCE.topics[0].id
NOTEBOOK = sorted((ROOT / "notebooks").glob("*.ipynb"))[0].stem


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "practice"),
    [
        ("", False),
        (f"questions/{TOPIC}/", False),
        ("playground/", False),
        (f"notebooks/{NOTEBOOK}/", False),
        ("cheat-sheet/", False),
        ("practice/", True),
        (f"practice/{TOPIC}/", True),
    ],
    ids=["home", "qa-page", "playground", "notebook", "cheat-sheet", "practice-entry", "practice-topic"],
)
def test_only_practice_pages_load_ts_fsrs_and_no_request_leaves_the_site(
    browser: object, site_url: str, path: str, practice: bool
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        response = visit(page, site_url + path, idle=True)
        assert response and response.ok, f"{path or 'home'}: {response and response.status}"
        if practice:
            page.locator(".pq-ui").wait_for()  # the quiz is built once ts-fsrs has arrived
    finally:
        context.close()
    fsrs = [u for u in requests if u.split("?")[0].endswith("ts-fsrs.umd.js")]
    assert fsrs == ([site_url + FSRS_PATH] if practice else []), fsrs
    # data: URLs are no requests to anyone; blob: URLs carry the origin that made them.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    foreign = [u for u in requests if not u.startswith(("data:", f"blob:{origin}/", f"{origin}/"))]
    assert not foreign, f"requests that left {origin}: {foreign}"


# --- Its schedule, checked against py-fsrs -----------------------------------------------------------------------

# A few months of one reader's reviews: each question's days and grades. Every review is at 23:30 UTC
# (difference (a)), late enough that from 30 March, with British Summer Time, it falls on the next day in
# London: the browser test runs there, so an FSRS that counted the browser's days would be a day off.
YEAR, AT = 2025, (23, 30)
LOG = {
    # Learnt well, then forgotten after a long interval: its last review is a lapse.
    "what-is-learning-rate": "02-03 good, 02-06 good, 02-14 hard, 02-20 good, 03-10 easy, 04-20 good, 05-28 again",
    # Failed day after day, so stability sinks far below a day; failed again a month later, when forgetting's
    # own formula gives more than py-fsrs's default cap allows (difference (c)); then slowly learnt.
    "zero-grad": "02-03 again, 02-04 again, 02-05 again, 02-06 again, 03-10 again, 03-11 hard, 03-14 good, "
    "03-20 good, 04-05 good, 05-02 good, 05-24 hard",
    # Easy at first, then lapsed twice, and last graded Hard on a stability of about a day: py-fsrs gives
    # Hard 1 day, as much as Again; ts-fsrs 2 (difference (b)).
    "overfitting": "02-04 easy, 02-12 easy, 03-20 good, 03-31 hard, 04-15 again, 04-16 again, 04-17 hard",
    "dropout": "02-05 hard, 02-07 hard, 02-10 again, 02-11 again, 02-13 hard, 02-20 good, 03-20 good, 05-01 easy",
    "softmax-cross-entropy": "02-10 good, 02-13 good, 02-25 good, 03-25 good, 04-02 good, 05-05 again, 05-06 again, "
    "05-08 good, 05-20 easy",
    # Reviewed once, Good: py-fsrs schedules it in 2 days; ts-fsrs, which gives Hard 2 days, in 3 (difference (b)).
    "batch-normalization": "05-30 good",
}


class Review(NamedTuple):
    question: str
    grade: int  # 1-4, Again to Easy
    at: datetime


class Scheduled(NamedTuple):
    due: datetime
    stability: float
    difficulty: float


def reviews() -> list[Review]:
    """The log's reviews, oldest first."""
    out = []
    for question, entries in LOG.items():
        for entry in entries.split(", "):
            day, grade = entry.split()
            month, date = map(int, day.split("-"))
            out.append(Review(question, GRADES.index(grade) + 1, datetime(YEAR, month, date, *AT, tzinfo=UTC)))
    return sorted(out, key=lambda r: r.at)


def py_fsrs(
    log: list[Review], *, ordered: bool = True, w17_w18: tuple[float, float] = (0.0, 0.0)
) -> dict[str, Scheduled]:
    """Each question's card after its reviews, by py-fsrs, as ts-fsrs's long-term scheduler would have it.

    ordered: apply ts-fsrs's order of the four intervals (difference (b)); w17_w18: py-fsrs's weights
    17 and 18, zero to cap a lapse's stability as ts-fsrs does (difference (c)). The defaults give
    ts-fsrs's schedule; the others are there to show that the log tells the difference.
    """
    weights = list(DEFAULT_PARAMETERS)
    weights[17:19] = w17_w18
    scheduler = Scheduler(parameters=weights, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    cards: dict[str, Card] = {}
    for r in log:
        card = cards.get(r.question) or Card()
        # What each grade would give (review_card works on a copy of the card).
        after = {g: scheduler.review_card(card, Rating(g), r.at)[0] for g in range(1, 5)}
        days = {g: (c.due - r.at).days for g, c in after.items()}
        if ordered:  # ts-fsrs's LongTermScheduler.next_interval, step by step
            days[1] = min(days[1], days[2])
            days[2] = max(days[2], days[1] + 1)
            days[3] = max(days[3], days[2] + 1)
            days[4] = max(days[4], days[3] + 1)
        card = after[r.grade]
        card.due = r.at + timedelta(days=days[r.grade])
        cards[r.question] = card
    return {q: Scheduled(c.due, c.stability, c.difficulty) for q, c in cards.items()}


def differs(a: dict[str, Scheduled], b: dict[str, Scheduled]) -> bool:
    """Whether two schedules differ by more than the comparison below allows."""
    return any(
        a[q].due != b[q].due
        or a[q].stability != pytest.approx(b[q].stability, rel=1e-6)
        or a[q].difficulty != pytest.approx(b[q].difficulty, rel=1e-6)
        for q in a
    )


def test_the_review_log_is_real_and_tells_the_differences_apart() -> None:
    log = reviews()
    assert set(LOG) <= {q.id for q in SOURCE.questions}, "the log's questions must be the site's"
    assert 30 <= len(log) <= 60 and {r.grade for r in log} == {1, 2, 3, 4}
    # Lapses: Again on a question already reviewed.
    assert any(r.grade == 1 and any(s.question == r.question and s.at < r.at for s in log) for r in log)
    # (a): one time of day, at most one review a day per question, all in the past.
    assert {r.at.timetz() for r in log} == {log[0].at.timetz()}
    days = [(r.question, r.at.date()) for r in log]
    assert len(days) == len(set(days)), "a question reviewed twice on one day"
    assert log[-1].at < datetime.now(UTC) - timedelta(days=1)  # import refuses reviews in the future
    # Some question's consecutive reviews straddle 30 March, the start of British Summer Time.
    bst = datetime(YEAR, 3, 30, 1, tzinfo=UTC)
    by_question = [[r.at for r in log if r.question == q] for q in LOG]
    assert any(a < bst < b for times in by_question for a, b in zip(times, times[1:]))
    # (b) and (c) change the schedule of this log: without them the comparison could not fail on either.
    expected = py_fsrs(log)
    assert differs(py_fsrs(log, ordered=False), expected), "no final due date depends on the intervals' order"
    assert differs(py_fsrs(log, w17_w18=DEFAULT_PARAMETERS[17:19]), expected), "no lapse meets the stability cap"


def exported_history(log: list[Review]) -> dict:
    """The log as "Export history" writes it; importing reads only the reviews."""
    return {
        "format": "dl-interview-prep practice history",
        "version": 1,
        "exported": "2025-06-01T00:00:00.000Z",
        "reviews": [
            {"question": r.question, "grade": GRADES[r.grade - 1], "at": r.at.isoformat().replace("+00:00", "Z")}
            for r in log
        ],
    }


def import_then_export(browser: object, site_url: str, history: Path, timezone: str) -> dict:
    """The exported history after importing `history` on /practice/ in a browser in `timezone`."""
    context = browser.new_context(timezone_id=timezone, accept_downloads=True)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        visit(page, f"{site_url}practice/")
        page.locator(".pq-ui").wait_for()
        page.locator('.pq-ui [data-act="import"]').click()
        page.set_input_files("#pq-file", history)
        page.locator('.pq-dialog [data-dlg="import"]').click()
        # The dialog closes once the reviews are stored; a refused file keeps it open and says why.
        page.wait_for_function(
            "() => !document.querySelector('.pq-dialog').open || document.querySelector('.pq-error').textContent"
        )
        assert page.locator(".pq-error").text_content() == ""
        with page.expect_download() as download:
            page.locator('.pq-ui [data-act="export"]').click()
        return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    finally:
        context.close()


@pytest.mark.browser
def test_an_imported_history_is_scheduled_as_py_fsrs_schedules_it(
    browser: object, site_url: str, tmp_path: Path
) -> None:
    log = reviews()
    history = tmp_path / "history.json"
    history.write_text(json.dumps(exported_history(log), indent=2), encoding="utf-8")
    # practice.js hands FSRS the reader's wall-clock time, so that its days are the reader's: in UTC
    # those are UTC days, as the reference counts them.
    exported = import_then_export(browser, site_url, history, "UTC")

    # The page ran the pinned ts-fsrs, on the reviews of the file and no others.
    assert exported["scheduler"]["library"].startswith(f"ts-fsrs v{pin()} "), exported["scheduler"]
    assert sorted((r["question"], r["grade"], datetime.fromisoformat(r["at"])) for r in exported["reviews"]) == sorted(
        (r.question, GRADES[r.grade - 1], r.at) for r in log
    )
    schedule = {
        q: Scheduled(datetime.fromisoformat(c["due"]), c["stability"], c["difficulty"])
        for q, c in exported["schedule"].items()
    }
    expected = py_fsrs(log)
    # ts-fsrs rounds stability and difficulty to 8 decimals at each step, py-fsrs does not.
    assert schedule == {
        q: Scheduled(s.due, pytest.approx(s.stability, rel=1e-6), pytest.approx(s.difficulty, rel=1e-6))
        for q, s in expected.items()
    }
    # The counts ts-fsrs keeps: every review, and as lapses the Agains after the first review.
    for q, card in exported["schedule"].items():
        grades = [r.grade for r in log if r.question == q]
        assert (card["reviews"], card["lapses"]) == (len(grades), grades[1:].count(1)), q


@pytest.mark.browser
def test_the_schedule_counts_the_readers_own_days(browser: object, site_url: str, tmp_path: Path) -> None:
    # An evening review and the next morning's in Los Angeles (UTC-8) fall on one UTC date. For the
    # reader they are a day apart, and FSRS must see them so: the schedule is the one a reader in UTC
    # gets from the same wall-clock times.
    question = SOURCE.questions[0].id

    def history(*times: str) -> Path:
        path = tmp_path / f"history-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps({**exported_history([]), "reviews": [
            {"question": question, "grade": "good", "at": t} for t in times
        ]}), encoding="utf-8")
        return path

    la = import_then_export(browser, site_url, history("2025-01-10T04:00:00Z", "2025-01-10T17:00:00Z"), "America/Los_Angeles")
    utc_same_walls = import_then_export(browser, site_url, history("2025-01-09T20:00:00Z", "2025-01-10T09:00:00Z"), "UTC")
    utc_same_instants = import_then_export(browser, site_url, history("2025-01-10T04:00:00Z", "2025-01-10T17:00:00Z"), "UTC")
    card, walls, same_day = (h["schedule"][question] for h in (la, utc_same_walls, utc_same_instants))
    assert (card["stability"], card["difficulty"]) == (walls["stability"], walls["difficulty"])
    assert card["stability"] > same_day["stability"], "the morning review counted as the evening's day"
    # And it is due at the same wall-clock time as in UTC: 8 hours later as an instant.
    due = datetime.fromisoformat(card["due"]) - datetime.fromisoformat(walls["due"])
    assert due == timedelta(hours=8), due
