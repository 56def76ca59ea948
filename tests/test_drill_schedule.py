"""FSRS scheduling, the clock rule, the mastered rule and the deck-wide counts, from
hand-written histories. Expected dates come from the fsrs library itself, driven here
directly with the settings cardpress documents (no fuzz, no minute-long learning steps)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from fsrs import Card as FsrsCard, Rating, Scheduler

from cardpress.drill.schedule import (
    MASTERED_STABILITY_DAYS, NEW, Attempt, Memory, card_stats, due_on, forecast, grade_for_time, is_due, is_mastered,
    legacy_grade, replay, retention_by_week, stability_counts,
)
from drill_days import DAY0, utc  # noqa: F401  (utc is an autouse fixture)

D0 = date(2023, 11, 14)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def at(day: float, grade=GOOD, seconds=10.0, session=None, card="c"):
    return Attempt(card, DAY0 + day * 86400, seconds, "missed" if grade == AGAIN else "got",
                   int(day) if session is None else session, grade)


def reference(log, retention=0.9):
    """The fsrs library's own card after `log` [(epoch seconds, grade)]."""
    sched = Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = FsrsCard(card_id=1, due=datetime.fromtimestamp(log[0][0], timezone.utc))
    for t, g in log:
        card, _ = sched.review_card(card, Rating(g), datetime.fromtimestamp(t, timezone.utc))
    return card


def test_the_clock_is_advisory_over_30_s_good_and_easy_count_as_hard():
    assert [grade_for_time(g, 30.0) for g in (1, 2, 3, 4)] == [1, 2, 3, 4]  # 30 s is still within
    assert [grade_for_time(g, 30.1) for g in (1, 2, 3, 4)] == [1, 2, 2, 2]
    assert grade_for_time(GOOD, 30.0, over=True) == HARD  # the countdown ran out


def test_an_old_got_or_missed_becomes_a_grade():
    assert (legacy_grade("missed", 5), legacy_grade("got", 12), legacy_grade("got", 41)) == (AGAIN, GOOD, HARD)


def test_a_new_card_is_due_at_once():
    assert replay([]) == NEW and due_on([]) is None and is_due([], D0)


def test_replay_gives_the_fsrs_librarys_own_state_and_due_date():
    log = [(0, GOOD), (2.1, HARD), (4, AGAIN), (4.01, GOOD), (6, EASY), (30, GOOD)]
    attempts = [at(d, g) for d, g in log]
    for k in range(1, len(log) + 1):
        ref = reference([(DAY0 + d * 86400, g) for d, g in log[:k]])
        m = replay(attempts[:k])
        assert (m.stability, m.difficulty, m.due) == (ref.stability, ref.difficulty, ref.due.timestamp())
    # a lower desired retention asks for longer intervals
    assert replay(attempts, 0.8).due > replay(attempts, 0.95).due


def test_a_first_good_waits_as_many_days_as_fsrs_says_and_a_miss_comes_back_the_next_day():
    good, again = reference([(DAY0, GOOD)]), reference([(DAY0, AGAIN)])
    assert due_on([at(0)]) == D0 + (good.due - good.last_review)
    assert due_on([at(0, AGAIN)]) == D0 + timedelta(days=1) == D0 + (again.due - again.last_review)
    assert not is_due([at(0)], D0 + timedelta(days=1)) and is_due([at(0)], D0 + timedelta(days=1), within_days=1)


def test_mastered_is_fsrs_stability_of_21_days_and_a_last_grade_other_than_again():
    log, day = [], 0.0
    while True:
        log.append((DAY0 + day * 86400, GOOD))
        ref = reference(log)
        attempts = [at((t - DAY0) / 86400) for t, _ in log]
        assert is_mastered(attempts) == (ref.stability >= MASTERED_STABILITY_DAYS)
        if ref.stability >= MASTERED_STABILITY_DAYS:
            break
        day = (ref.due.timestamp() - DAY0) / 86400
    assert len(log) >= 3  # not in one or two sessions
    assert not is_mastered(attempts + [at(day + 30, AGAIN)])


def test_stats_count_reviews_agains_and_the_median():
    s = card_stats("c", [at(0, seconds=12), at(1, AGAIN, seconds=40), at(2, seconds=20)])
    assert (s.attempts, s.misses, s.median_seconds) == (3, 1, 20)
    assert s.last_seen == DAY0 + 2 * 86400


def memory(stability, due_day):
    due = None if due_day is None else DAY0 + due_day * 86400
    return Memory(stability, 5.0 if stability else None, DAY0 if stability else None, due, 1 if stability else 0)


def test_forecast_counts_overdue_and_new_today_and_leaves_out_beyond_30_days():
    ms = [memory(None, None), memory(2.0, -3), memory(2.0, 0), memory(5.0, 1), memory(5.0, 1), memory(40, 29),
          memory(90, 30)]
    counts = forecast(ms, D0)
    assert len(counts) == 30 and counts[0] == 3 and counts[1] == 2 and counts[29] == 1 and sum(counts) == 6


def test_stability_bands():
    ms = [memory(None, None), memory(0.5, 0), memory(1.0, 1), memory(6.9, 1), memory(7, 1), memory(21, 1),
          memory(100, 1)]
    assert stability_counts(ms) == [("new", 1), ("< 1 day", 1), ("1-7 days", 2), ("1-3 weeks", 1),
                                    ("3 weeks-3 months", 1), ("> 3 months", 1)]


def test_retention_by_week_counts_a_cards_first_review_of_each_day():
    h = [at(0, AGAIN), at(0.01, GOOD), at(1, GOOD, card="d"), at(2, GOOD), at(7, AGAIN, card="d")]
    # Tue 14 Nov 2023: week of Mon 13; day 7 is Tue 21, week of Mon 20
    assert retention_by_week(h) == [(date(2023, 11, 13), 3, 2), (date(2023, 11, 20), 1, 0)]


def test_the_days_shown_beside_each_grade_are_the_librarys_and_follow_the_clock_rule():
    from cardpress.drill.schedule import next_intervals

    history = [at(0), at(2, HARD)]
    now = DAY0 + 5 * 86400

    def days(grade):
        card = reference([(a.at, a.rating) for a in history] + [(now, grade)])
        return (card.due.date() - datetime.fromtimestamp(now, timezone.utc).date()).days

    assert next_intervals(history, now, 12, False) == {g: days(g) for g in (1, 2, 3, 4)}
    assert next_intervals(history, now, 30, True) == {1: days(1), 2: days(2), 3: days(2), 4: days(2)}
    assert days(1) < days(3) < days(4)
