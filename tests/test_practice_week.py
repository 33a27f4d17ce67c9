"""A week of practice in headless Chromium with a controlled clock: the scheduling agrees with FSRS day by day.

The issue's "Done when": a reader can review for a week; due counts, intervals and readiness change as FSRS
says; history survives reload, instant navigation, export and import. The page schedules with npm's ts-fsrs
(long-term scheduler, no fuzz); the oracle here is the Python port, py-fsrs, fed the same reviews. The two
compute the same stability and recall; ts-fsrs alone then forces its four intervals apart (again <= hard <
good < easy), which `fsrs_intervals` repeats. Every day the reader comes back at the same hour, so whole days
elapse and both libraries count the same number of days (one early visit checks what "today" means).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT
from fsrs import Card, Rating, Scheduler
from playwright.sync_api import expect
from interview_qa import load
from support import TOPIC_QUIZ, PracticeTab as Tab, reload

SOURCE = load(ROOT / "docs" / "questions.yml")
TOPIC = SOURCE.topics[0]
QUESTIONS = [q.id for q in SOURCE.questions_in(TOPIC.id)]  # page order
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)  # day 0, 09:00; the browser runs in UTC
GRADES = ["again", "hard", "good", "easy"]  # the buttons' data-act, FSRS ratings 1-4
FORMAT = "dl-interview-prep practice history"
# FSRS-6's forgetting curve with its default decay, as the issue states it.
DECAY = 0.1542
FACTOR = 0.9 ** (-1 / DECAY) - 1
# py-fsrs configured as practice.js configures ts-fsrs: whole days only, no fuzz.
FSRS = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def when(time_ms: int) -> datetime:
    return datetime.fromtimestamp(time_ms / 1000, tz=timezone.utc)


def iso(t: datetime) -> str:
    """As JavaScript's toISOString writes it, which the export uses."""
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- The oracle: py-fsrs fed the reviews the page stored -------------------------------------------------------


def fsrs_cards(reviews: list[list]) -> dict[str, Card]:
    """Each question's card after its reviews ([id, grade 1-4, ms], oldest first), as py-fsrs computes it."""
    cards: dict[str, Card] = {}
    for qid, grade, time in reviews:
        at = when(time)
        cards[qid] = FSRS.review_card(cards.get(qid) or Card(due=at), Rating(grade), at)[0]
    return cards


def fsrs_intervals(card: Card | None, now: datetime) -> list[int]:
    """The days each grade would give now: py-fsrs's intervals, spread apart the way ts-fsrs spreads them."""
    again, hard, good, easy = (
        round((FSRS.review_card(card or Card(due=now), rating, now)[0].due - now) / timedelta(days=1))
        for rating in Rating
    )
    again = min(again, hard)
    hard = max(hard, again + 1)
    good = max(good, hard + 1)
    return [again, hard, good, max(easy, good + 1)]


def fsrs_readiness(cards: dict[str, Card], now: datetime) -> float:
    """The topic's mean chance of recall now, 0 for a question never reviewed."""
    return sum(FSRS.get_card_retrievability(cards[q], now) if q in cards else 0 for q in QUESTIONS) / len(QUESTIONS)


def js_percent(r: float) -> int:
    return math.floor(r * 100 + 0.5)  # Math.round, not Python's round-half-even


# --- The reader ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """The topic page's `.pq-today` line."""

    due: int
    new: int
    readiness: int  # percent


class Reader(Tab):
    """A tab on the topic's practice page whose clock the test sets."""

    def come_back(self, at: datetime) -> None:
        """The reader opens the page again, at `at`."""
        self.page.clock.set_fixed_time(at)
        self.open()

    def today(self) -> Today:
        text = self.page.locator(f"{TOPIC_QUIZ} .pq-today").inner_text()
        m = re.fullmatch(r"(\d+) due today, (\d+) new in this topic · Readiness (\d+)%", text.strip())
        assert m, text
        return Today(*map(int, m.groups()))

    def grade(self, act: str) -> list[int]:
        """Show the first part, grade the question on screen; the days the four buttons showed."""
        self.click("reveal")
        shown = self.page.locator(".pq-ui .pq-grades .pq-ivl").all_inner_texts()
        days = []
        for text in shown:
            m = re.fullmatch(r"(\d+) days?", text)
            assert m, shown  # a week's intervals stay under a month
            days.append(int(m.group(1)))
        self.click(act)
        return days

    def reviews(self) -> list[list]:
        return self.page.evaluate("() => __md_get('practice.v2').reviews")

    def raw(self) -> str | None:
        """The stored history exactly as localStorage holds it."""
        return self.page.evaluate("() => localStorage.getItem(__md_scope.pathname + '.practice.v2')")

    def export(self, to: Path) -> dict:
        with self.page.expect_download() as download:
            self.click("export")
        download.value.save_as(to)
        today = self.page.evaluate("new Date().toISOString().slice(0, 10)")  # the clock's date
        assert download.value.suggested_filename == f"practice-history-{today}.json"
        return json.loads(to.read_text(encoding="utf-8"))

    def choose_import(self, name: str, content: bytes) -> None:
        self.click("import")
        self.page.locator(".pq-dialog").wait_for()
        self.page.set_input_files("#pq-file", files=[{"name": name, "mimeType": "application/json", "buffer": content}])
        self.page.locator('.pq-dialog [data-dlg="import"]').click()


@pytest.fixture
def reader(browser: object, site_url: str) -> Iterator[Reader]:
    """Day 0 on the topic's practice page, nothing stored yet."""
    context = browser.new_context(timezone_id="UTC", locale="en-GB")  # type: ignore[attr-defined]
    r = Reader(context, f"{site_url}practice/{TOPIC.id}/")
    r.come_back(day(0))
    yield r
    context.close()
    r.check()


def first_session(reader: Reader) -> dict[str, list[int]]:
    """Day 0: the first four questions graded Again, Hard, Good, Easy; the last left new. The intervals shown."""
    assert len(QUESTIONS) > len(GRADES), "the tests need a topic with a question left new after day 0"
    shown = {}
    for qid, act in zip(QUESTIONS, GRADES):
        assert reader.current() == qid
        shown[qid] = reader.grade(act)
    return shown


# --- A week ----------------------------------------------------------------------------------------------------------


# What the reader does with each day's questions: one grade for all of them; None: looks at the page only.
WEEK = {1: "good", 2: None, 3: "hard", 4: "again", 5: None, 6: "easy", 7: "good"}


@pytest.mark.browser
def test_a_week_of_reviews_follows_fsrs(reader: Reader, tmp_path: Path) -> None:
    assert reader.today() == Today(due=0, new=len(QUESTIONS), readiness=0)
    assert reader.count() == f"Question 1 of {len(QUESTIONS)} for today in this topic · 0 of {len(QUESTIONS)} graded"
    shown = first_session(reader)
    # A new question: each button shows what FSRS gives a first review (1, 2, 3 and 8 days with the defaults).
    for qid in shown:
        assert shown[qid] == fsrs_intervals(None, day(0)), qid
    assert shown[QUESTIONS[0]][0] == 1 and shown[QUESTIONS[3]][3] > shown[QUESTIONS[3]][2]
    # When each question comes back, by the interval its chosen button showed; the fifth is still new.
    due_day = {qid: shown[qid][GRADES.index(act)] for qid, act in zip(QUESTIONS, GRADES)}
    last_review = dict.fromkeys(due_day, 0)
    reader.click("next")  # the fifth, left ungraded: the session ends
    assert "1 not graded" in reader.page.locator(".pq-summary").inner_text()
    readiness = reader.today().readiness
    assert readiness == js_percent(fsrs_readiness(fsrs_cards(reader.reviews()), day(0)))

    # Just after midnight the first question, due at 09:00, already counts as due: the page plans whole days.
    # Readiness has not moved yet: FSRS counts the days since a review in whole 24-hour periods.
    reader.come_back(day(1) - timedelta(hours=8, minutes=30))
    assert reader.today() == Today(due=1, new=1, readiness=readiness)
    assert reader.current() == QUESTIONS[0]

    reviewed_days = 0
    for n, act in WEEK.items():
        reader.come_back(day(n))
        due = sorted((q for q in due_day if due_day[q] <= n), key=lambda q: (due_day[q], QUESTIONS.index(q)))
        new = [q for q in QUESTIONS if q not in due_day]
        today = reader.today()
        assert (today.due, today.new) == (len(due), len(new)), (n, due, new)
        # Nothing was reviewed overnight: every reviewed question's recall fell, and readiness with it.
        cards = fsrs_cards(reader.reviews())
        assert today.readiness == js_percent(fsrs_readiness(cards, day(n))), n
        assert fsrs_readiness(cards, day(n)) < fsrs_readiness(cards, day(n - 1)), n
        assert today.readiness <= readiness, n
        # The session: due questions, most overdue first (then page order), then the new ones.
        deck = due + new
        if not deck:
            assert reader.count() == "Session empty for today in this topic · 0 of 0 graded"
            assert "Nothing is due today in this topic." in reader.page.locator(".pq-summary").inner_text()
        if act is None or not deck:
            readiness = today.readiness
            continue
        reviewed_days += 1
        for qid in deck:
            assert reader.current() == qid, (n, deck)
            expected = fsrs_intervals(cards.get(qid), day(n))
            buttons = reader.grade(act)
            assert buttons == expected, (n, qid)
            ivl = buttons[GRADES.index(act)]
            if act in ("good", "easy") and qid in due_day:
                # Recalled on its day: it comes back later than last time.
                assert ivl > due_day[qid] - last_review[qid], (n, qid)
            due_day[qid], last_review[qid] = n + ivl, n
        # Reviewing brought the reviewed questions' recall back to 100%: readiness jumps.
        after = reader.today()
        assert after.due == 0 and after.new == 0
        assert after.readiness > today.readiness, n
        assert after.readiness == js_percent(fsrs_readiness(fsrs_cards(reader.reviews()), day(n)))
        summary = reader.page.locator(".pq-summary").inner_text()
        assert f"Session done: {len(deck)} of {len(deck)} graded" in summary
        assert f"Readiness in this topic: {today.readiness}% → {after.readiness}%" in summary
        readiness = after.readiness
    assert reviewed_days >= 4, "the plan reviewed too little to test anything"

    # The export's schedule: py-fsrs's stabilities, the due dates the buttons announced, and readiness from
    # the forgetting curve R(t, S) = (1 + FACTOR * t / S) ** -DECAY.
    data = reader.export(tmp_path / "history.json")
    cards = fsrs_cards(reader.reviews())
    assert set(data["schedule"]) == set(QUESTIONS)
    for qid, entry in data["schedule"].items():
        assert entry["stability"] == pytest.approx(cards[qid].stability, rel=1e-6), qid
        assert entry["due"] == iso(day(due_day[qid])), qid
    curve = sum((1 + FACTOR * (7 - last_review[q]) / data["schedule"][q]["stability"]) ** -DECAY for q in QUESTIONS)
    assert reader.today().readiness == js_percent(curve / len(QUESTIONS))


# --- History survives --------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_history_survives_reload_instant_navigation_export_and_import(reader: Reader, tmp_path: Path) -> None:
    first_session(reader)
    reader.come_back(day(2))  # Again's and Hard's questions are due
    page = reader.page
    before, count, stored = reader.today(), reader.count(), reader.reviews()
    assert before.due == 2 and before.new == 1 and 0 < before.readiness < 100
    reload(page)
    page.locator(TOPIC_QUIZ).wait_for()
    assert (reader.today(), reader.count()) == (before, count)

    # Instant navigation away and back: a flag on window survives only if Material swaps the page in place.
    page.evaluate("window.__sameDocument = true")
    page.locator('nav.md-nav--primary a[href$="/questions/"]').first.click()
    page.wait_for_url("**/questions/")
    page.locator("article h1").wait_for()
    page.go_back()
    page.wait_for_url(f"**/practice/{TOPIC.id}/")
    page.locator(TOPIC_QUIZ).wait_for()
    assert page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    assert (reader.today(), reader.count()) == (before, count)
    # By the "all topics" link and the topic's link there: still the same, from the entry page too.
    page.locator("article a.pq-all").click()
    page.locator(f'article .pq-topics a[data-topic="{TOPIC.id}"]').click()
    page.wait_for_url(f"**/practice/{TOPIC.id}/")
    page.locator(TOPIC_QUIZ).wait_for()
    assert page.evaluate("window.__sameDocument") is True, "instant navigation was not used"
    assert (reader.today(), reader.count()) == (before, count)
    assert reader.reviews() == stored

    # Export, lose everything, import: the same history, so the same day.
    data = reader.export(tmp_path / "history.json")
    assert [[r["question"], GRADES.index(r["grade"]) + 1, r["at"]] for r in data["reviews"]] == [
        [q, g, iso(when(t))] for q, g, t in stored
    ]
    page.evaluate("localStorage.clear()")
    reader.open()
    assert reader.today() == Today(due=0, new=len(QUESTIONS), readiness=0)
    reader.choose_import("history.json", (tmp_path / "history.json").read_bytes())
    imported = f"Imported history.json: {len(stored)} reviews, {len(stored)} of them new"
    expect(page.locator(".pq-ui .pq-status")).to_contain_text(imported)
    assert not page.locator(".pq-dialog").evaluate("d => d.open")
    assert (reader.today(), reader.count()) == (before, count)
    assert reader.reviews() == stored
    reader.open()
    assert reader.today() == before
    # The same file again adds nothing: reviews are not doubled.
    reader.choose_import("history.json", (tmp_path / "history.json").read_bytes())
    expect(page.locator(".pq-ui .pq-status")).to_contain_text(", 0 of them new")
    assert reader.reviews() == stored and reader.today() == before


# --- The marks from before scheduling ----------------------------------------------------------------------------


@pytest.mark.browser
def test_v1_marks_become_reviews_once_and_nothing_is_lost(reader: Reader) -> None:
    page = reader.page
    other = next(q.id for q in SOURCE.questions if q.topic != TOPIC.id)
    marks = {QUESTIONS[0]: "known", QUESTIONS[1]: "review", QUESTIONS[2]: "known", other: "review"}
    assert page.evaluate("() => __md_get('practice.v2')") is None, "the first visit stores nothing"
    page.evaluate("marks => __md_set('practice.v1', {marks})", marks)
    reader.open()
    status = page.locator(".pq-ui .pq-status").inner_text()
    assert "Your earlier marks are kept: 2 “knew it” became Good, 2 “review again” became Again." in status
    # One review each, made now, for every mark, the other topic's too (the history is shared).
    grade = {"known": 3, "review": 1}
    assert sorted(map(tuple, reader.reviews())) == sorted((q, grade[m], ms(day(0))) for q, m in marks.items())
    assert page.evaluate("() => __md_get('practice.v1').marks") == marks, "the old entry stays"
    assert reader.today() == Today(due=0, new=len(QUESTIONS) - 3, readiness=js_percent(3 / len(QUESTIONS)))
    assert reader.current() == QUESTIONS[3]
    # Once only: the next visit neither says it again nor adds reviews.
    reader.open()
    assert "earlier marks" not in page.locator(".pq-ui .pq-status").inner_text()
    assert len(reader.reviews()) == len(marks)
    # "Review again" is Again: due tomorrow. "Knew it" is Good: due in 3 days (FSRS's first Good interval).
    assert fsrs_intervals(None, day(0))[2] == 3
    for n, due in [(1, [QUESTIONS[1]]), (2, [QUESTIONS[1]]), (3, [QUESTIONS[1], QUESTIONS[0], QUESTIONS[2]])]:
        reader.come_back(day(n))
        assert reader.today().due == len(due), n
        assert reader.current() == due[0], n


# --- Import refusals ---------------------------------------------------------------------------------------------


def history_with_a_bad_grade() -> bytes:
    reviews = [
        {"question": QUESTIONS[0], "grade": "good", "at": "2026-11-30T09:00:00.000Z"},
        {"question": QUESTIONS[1], "grade": "excellent", "at": "2026-11-30T09:05:00.000Z"},
    ]
    return json.dumps({"format": FORMAT, "version": 1, "reviews": reviews}).encode()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes.json", b"these are notes, {not JSON", "This file is not JSON, so it is not a practice history."),
        ("package.json", (ROOT / "package.json").read_bytes(),
         f'JSON but not a practice history from this site: its "format" is not "{FORMAT}"'),
        ("history.json", history_with_a_bad_grade(),
         f'Review 2 of 2 ({QUESTIONS[1]}) has no valid "grade": it must be again, hard, good or easy.'),
    ],
    ids=["not-json", "foreign-json", "bad-grade"],
)
def test_an_import_that_is_not_a_history_changes_nothing(reader: Reader, name: str, content: bytes, says: str) -> None:
    reader.grade("good")
    reader.come_back(day(1))
    before, raw = reader.today(), reader.raw()
    assert raw and json.loads(raw)["reviews"]
    reader.choose_import(name, content)
    error = reader.page.locator(".pq-dialog .pq-error")
    expect(error).to_contain_text(says)
    text = error.inner_text()
    assert text.startswith(f"Nothing was imported. {name}: ") and "Export history" in text, text
    assert reader.page.locator(".pq-dialog").evaluate("d => d.open"), "the dialog stays open to choose another file"
    assert reader.raw() == raw, "the stored history is untouched"
    assert reader.today() == before
    reader.page.locator('.pq-dialog [data-dlg="cancel"]').click()
    reader.open()
    assert reader.raw() == raw and reader.today() == before


# --- Time zones ----------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_schedule_follows_the_readers_own_days_in_any_time_zone(browser: object, site_url: str) -> None:
    # An evening review and the next morning's are a day apart for the reader, "due today" says so, and FSRS
    # must count it so too: in Tokyo 23:00 and 07:00 the next day fall on one UTC date, in Los Angeles on two
    # others. Same wall-clock times, same schedule, wherever the reader is.
    seen = {}
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        local = ZoneInfo(zone)
        context = browser.new_context(timezone_id=zone, locale="en-GB")  # type: ignore[attr-defined]
        r = Reader(context, f"{site_url}practice/{TOPIC.id}/")
        r.come_back(datetime(2026, 12, 1, 23, tzinfo=local))
        for act in ("again", "good", "easy"):
            r.grade(act)
        r.come_back(datetime(2026, 12, 2, 7, tzinfo=local))  # 8 hours later, the next day
        morning = r.today()
        assert morning.due == 1 and r.current() == QUESTIONS[0], zone
        buttons = r.grade("good")
        r.come_back(datetime(2026, 12, 5, 7, tzinfo=local))
        seen[zone] = (morning, buttons, r.today())
        context.close()
        r.check()
    assert seen["Asia/Tokyo"] == seen["UTC"] and seen["America/Los_Angeles"] == seen["UTC"], seen
