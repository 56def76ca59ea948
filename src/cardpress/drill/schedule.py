"""FSRS scheduling and the mastered rule, computed from the attempt history alone.

The history is the truth: a card's FSRS state (stability, difficulty, due date) is replayed
from its graded attempts through the `fsrs` library rather than stored, so an undone grade,
a changed desired retention or a migrated old history can never leave a stale state behind.

The scheduler runs without fuzzing (the same history always gives the same dates, which a
user and a test can check) and without FSRS's minute-long learning steps: a paper drill is
done once a day, so every grade schedules the card in whole days; a card graded Again
comes back within the same session instead (cardpress.drill.session).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

TIME_LIMIT = 30  # seconds to recite a card's three lines (the source's drill protocol)
DEFAULT_RETENTION = 0.9
# "Mastered": FSRS expects the card to be recalled with 90% probability three weeks after
# its last review. Three weeks is three of the source's weekly re-drills.
MASTERED_STABILITY_DAYS = 21.0

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
GRADE_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


def grade_for_time(grade: int, seconds: float, over: bool = False) -> int:
    """The 30-second clock is advisory: over it, a Good or an Easy counts as Hard."""
    if (over or seconds > TIME_LIMIT) and grade > HARD:
        return HARD
    return grade


def legacy_grade(result: str, seconds: float) -> int:
    """A schema-1 attempt (got/missed) as an FSRS grade: missed is Again; got within the
    limit is Good; got over it is Hard (as the clock rule grades it now)."""
    if result != "got":
        return AGAIN
    return grade_for_time(GOOD, seconds)


@dataclass(frozen=True)
class Attempt:
    card_id: str
    at: float  # epoch seconds
    seconds: float
    result: str  # "got" or "missed" (missed = Again), kept for older readers
    session_id: int = 0
    grade: int | None = None  # 1..4; None only for rows built by hand in a test
    over: bool = False  # the clock ran out before the back was shown

    @property
    def rating(self) -> int:
        return self.grade if self.grade is not None else legacy_grade(self.result, self.seconds)

    @property
    def clean(self) -> bool:
        """Good or Easy, within the time limit."""
        return self.rating >= GOOD and not self.over and self.seconds <= TIME_LIMIT


def day_of(ts: float) -> date:
    """The local calendar day of a timestamp: "due today" means what the user's wall says."""
    return datetime.fromtimestamp(ts).date()


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


@lru_cache(maxsize=8)
def scheduler(retention: float = DEFAULT_RETENTION):
    from fsrs import Scheduler

    return Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Memory:
    """A card's FSRS state after its history."""
    stability: float | None  # days until recall drops to 90%
    difficulty: float | None
    last_review: float | None  # epoch seconds
    due: float | None  # epoch seconds; None for a card never drilled (due at once)
    reviews: int = 0

    @property
    def due_day(self) -> date | None:
        return day_of(self.due) if self.due is not None else None


NEW = Memory(None, None, None, None, 0)


def replay(attempts: list[Attempt], retention: float = DEFAULT_RETENTION) -> Memory:
    """Feed a card's attempts, oldest first, through the FSRS scheduler."""
    if not attempts:
        return NEW
    from fsrs import Card, Rating

    sched = scheduler(retention)
    card = Card(card_id=1, due=utc(attempts[0].at))  # an explicit id: fsrs sleeps 1 ms to make one
    for a in attempts:
        card, _ = sched.review_card(card, Rating(a.rating), review_datetime=utc(a.at))
    return Memory(card.stability, card.difficulty, card.last_review.timestamp(), card.due.timestamp(), len(attempts))


def next_intervals(attempts: list[Attempt], at: float, seconds: float, over: bool,
                   retention: float = DEFAULT_RETENTION) -> dict[int, int]:
    """Days until the card comes back for each key 1-4 pressed now (after the clock rule),
    as the screen shows them beside the grades."""
    out = {}
    for key in GRADE_NAMES:
        grade = grade_for_time(key, seconds, over)
        m = replay([*attempts, Attempt("", at, seconds, "got", 0, grade, over)], retention)
        out[key] = day_of(m.due).toordinal() - day_of(at).toordinal()
    return out


def due_on(attempts: list[Attempt], retention: float = DEFAULT_RETENTION) -> date | None:
    """The day the card is next due; None for a card never drilled (due at once)."""
    return replay(attempts, retention).due_day


def is_due(attempts: list[Attempt], today: date, retention: float = DEFAULT_RETENTION, within_days: int = 0) -> bool:
    when = due_on(attempts, retention)
    return when is None or when <= today + timedelta(days=within_days)


def is_mastered(attempts: list[Attempt], retention: float = DEFAULT_RETENTION) -> bool:
    """FSRS stability of at least 21 days, and the last grade was not Again."""
    if not attempts or attempts[-1].rating == AGAIN:
        return False
    m = replay(attempts, retention)
    return m.stability is not None and m.stability >= MASTERED_STABILITY_DAYS


MASTERED_RULE = (f"A card counts as mastered when FSRS puts its stability at {MASTERED_STABILITY_DAYS:g} days "
                 "or more (a 90% chance of recall three weeks after the last review) and its last grade "
                 "was not Again.")


@dataclass(frozen=True)
class CardStats:
    card_id: str
    attempts: int
    misses: int
    median_seconds: float | None
    stability: float | None
    last_seen: float | None
    due: date | None


def card_stats(card_id: str, attempts: list[Attempt], retention: float = DEFAULT_RETENTION) -> CardStats:
    m = replay(attempts, retention)
    return CardStats(
        card_id, len(attempts), sum(a.rating == AGAIN for a in attempts),
        statistics.median(a.seconds for a in attempts) if attempts else None,
        m.stability, attempts[-1].at if attempts else None, m.due_day)


def by_card(attempts: list[Attempt]) -> dict[str, list[Attempt]]:
    out: dict[str, list[Attempt]] = {}
    for a in sorted(attempts, key=lambda a: a.at):
        out.setdefault(a.card_id, []).append(a)
    return out


# --- the deck as a whole: what `drill stats` and `cardpress list` show -------------------

STABILITY_BINS = ((0, 1, "< 1 day"), (1, 7, "1-7 days"), (7, 21, "1-3 weeks"), (21, 90, "3 weeks-3 months"),
                  (90, float("inf"), "> 3 months"))


def stability_counts(memories: list[Memory]) -> list[tuple[str, int]]:
    """How many cards fall in each stability band; never-drilled cards as "new"."""
    rows = [("new", sum(m.stability is None for m in memories))]
    for lo, hi, label in STABILITY_BINS:
        rows.append((label, sum(m.stability is not None and lo <= m.stability < hi for m in memories)))
    return rows


def forecast(memories: list[Memory], today: date, days: int = 30) -> list[int]:
    """Cards due on each of the next `days` days, today first; overdue and new cards count today."""
    counts = [0] * days
    for m in memories:
        k = 0 if m.due_day is None else (m.due_day - today).days
        if k < days:
            counts[max(k, 0)] += 1
    return counts


def retention_by_week(attempts: list[Attempt]) -> list[tuple[date, int, int]]:
    """(Monday of the week, reviews, recalled) for each week with reviews: a review counts as
    recalled unless graded Again. Only a card's first review of a day counts, so a card
    repeated after Again in the same session does not count twice."""
    seen: set[tuple[str, date]] = set()
    weeks: dict[date, list[int]] = {}
    for a in sorted(attempts, key=lambda a: a.at):
        day = day_of(a.at)
        if (a.card_id, day) in seen:
            continue
        seen.add((a.card_id, day))
        monday = day - timedelta(days=day.weekday())
        w = weeks.setdefault(monday, [0, 0])
        w[0] += 1
        w[1] += a.rating != AGAIN
    return [(d, n, ok) for d, (n, ok) in sorted(weeks.items())]
