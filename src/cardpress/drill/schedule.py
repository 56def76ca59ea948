"""Leitner boxes and the mastered rule, computed from the attempt history alone.

The history is the truth: a card's box is replayed from its attempts rather than stored,
so a changed rule or a deleted row can never leave a stale box behind.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

TIME_LIMIT = 30  # seconds to recite a card's three lines (the source's drill protocol)
# Days until a card in box 1, 2, 3 comes back. The source re-drills weekly, so the top box
# is a week; a miss comes back the next day; 3 days sits between.
INTERVALS = (1, 3, 7)
MASTERED_SESSIONS = 3


@dataclass(frozen=True)
class Attempt:
    card_id: str
    at: float  # epoch seconds
    seconds: float
    result: str  # "got" or "missed"
    session_id: int = 0

    @property
    def clean(self) -> bool:
        """Got it, within the time limit: only this moves a card up."""
        return self.result == "got" and self.seconds <= TIME_LIMIT


def day_of(ts: float) -> date:
    """The local calendar day of a timestamp: "different days" means what the user's wall says."""
    return datetime.fromtimestamp(ts).date()


def box_after(attempts: list[Attempt]) -> int | None:
    """The box (1..len(INTERVALS)) a card sits in after these attempts, oldest first; None if new.

    A new card starts in box 1: a clean answer moves it up one box, anything else sends it
    back to box 1.
    """
    box = None
    for a in attempts:
        box = min((box or 1) + 1, len(INTERVALS)) if a.clean else 1
    return box


def due_on(attempts: list[Attempt]) -> date | None:
    """The day the card is next due; None for a card never drilled (due at once)."""
    if not attempts:
        return None
    return day_of(attempts[-1].at) + timedelta(days=INTERVALS[box_after(attempts) - 1])


def is_due(attempts: list[Attempt], today: date) -> bool:
    when = due_on(attempts)
    return when is None or when <= today


def is_mastered(attempts: list[Attempt]) -> bool:
    """Clean within the limit in each of its last three sessions, and those on three different days."""
    last = _last_per_session(attempts)[-MASTERED_SESSIONS:]
    return (len(last) == MASTERED_SESSIONS and all(a.clean for a in last)
            and len({day_of(a.at) for a in last}) == MASTERED_SESSIONS)


def _last_per_session(attempts: list[Attempt]) -> list[Attempt]:
    by_session: dict[int, Attempt] = {}
    for a in attempts:
        by_session[a.session_id] = a
    return sorted(by_session.values(), key=lambda a: a.at)


@dataclass(frozen=True)
class CardStats:
    card_id: str
    attempts: int
    misses: int
    median_seconds: float | None
    box: int | None
    last_seen: float | None
    due: date | None


def card_stats(card_id: str, attempts: list[Attempt]) -> CardStats:
    return CardStats(
        card_id, len(attempts), sum(a.result == "missed" for a in attempts),
        statistics.median(a.seconds for a in attempts) if attempts else None,
        box_after(attempts), attempts[-1].at if attempts else None, due_on(attempts))


def by_card(attempts: list[Attempt]) -> dict[str, list[Attempt]]:
    out: dict[str, list[Attempt]] = {}
    for a in sorted(attempts, key=lambda a: a.at):
        out.setdefault(a.card_id, []).append(a)
    return out
