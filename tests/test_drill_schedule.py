"""Leitner boxes (1, 3, 7 days), due dates and the mastered rule, from hand-written histories."""

from __future__ import annotations

from datetime import date, timedelta

from cardpress.drill.schedule import Attempt, box_after, card_stats, due_on, is_due, is_mastered
from drill_days import DAY0, utc  # noqa: F401  (utc is an autouse fixture)


D0 = date(2023, 11, 14)


def at(day: int, session: int | None = None, seconds=10.0, result="got", hour=0):
    return Attempt("c", DAY0 + day * 86400 + hour * 3600, seconds, result, day if session is None else session)


def test_a_new_card_has_no_box_and_is_due_at_once():
    assert box_after([]) is None and due_on([]) is None and is_due([], D0)


def test_clean_answers_climb_1_2_3_and_stay_at_the_top():
    h = [at(0), at(3), at(10), at(17)]
    assert [box_after(h[:k]) for k in range(1, 5)] == [2, 3, 3, 3]


def test_a_miss_or_a_late_answer_sends_the_card_back_to_box_1():
    assert box_after([at(0), at(3), at(10, result="missed")]) == 1
    assert box_after([at(0), at(3), at(10, seconds=30.5)]) == 1
    assert box_after([at(0, seconds=30.0)]) == 2  # 30 s is still within "≤ 30 seconds"


def test_due_dates_are_1_3_7_days_after_the_last_attempt():
    assert due_on([at(0, result="missed")]) == D0 + timedelta(days=1)
    assert due_on([at(0)]) == D0 + timedelta(days=3)
    assert due_on([at(0), at(3)]) == D0 + timedelta(days=3 + 7)
    h = [at(0)]
    assert not is_due(h, D0 + timedelta(days=2)) and is_due(h, D0 + timedelta(days=3))


def test_mastered_needs_three_clean_sessions_on_three_different_days():
    assert is_mastered([at(0), at(1), at(2)])
    assert not is_mastered([at(0), at(1)])
    assert not is_mastered([at(0), at(1, seconds=31), at(2)])
    # three sessions, but two of them on the same day
    assert not is_mastered([at(0, session=1), at(1, session=2), at(1, session=3, hour=2)])
    # only the last three sessions count: an old miss is forgiven
    assert is_mastered([at(0, result="missed"), at(1), at(2), at(3)])
    assert not is_mastered([at(0), at(1), at(2), at(3, result="missed")])


def test_stats_count_attempts_misses_and_the_median():
    s = card_stats("c", [at(0, seconds=12), at(1, seconds=40, result="missed"), at(2, seconds=20)])
    assert (s.attempts, s.misses, s.median_seconds, s.box) == (3, 1, 20, 2)
    assert s.last_seen == DAY0 + 2 * 86400
