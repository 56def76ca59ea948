"""The session loop in-process, with scripted keys and a scripted clock: goals per round,
grades, the clock rule, undo, the Again queue, the summary lines."""

from __future__ import annotations

import subprocess
import sys

from cardpress.catalog import load_catalog
from cardpress.drill.screen import PlainScreen
from cardpress.drill.session import Drill, summary
from conftest import SHIPPED_CATALOG

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


class Script:
    """Keys and clock in one: each key press first moves the clock by the seconds paired with it.

    A step (seconds, None) is a read that times out: the clock moves and no key comes."""

    def __init__(self, steps):
        self.steps = list(steps)
        self.t = 1000.0

    def now(self):
        return self.t

    def read_key(self, timeout):
        if not self.steps:
            return "q"
        advance, key = self.steps.pop(0)
        self.t += advance
        return key


class Db:
    """record/unrecord as the store does them: rows with ids, a removed row gone."""

    def __init__(self):
        self.rows, self.next_id = {}, 1

    def record(self, card_id, at, seconds, grade, expand, over):
        self.rows[self.next_id] = (card_id, seconds, grade, over)
        self.next_id += 1
        return self.next_id - 1

    def unrecord(self, attempt_id):
        del self.rows[attempt_id]


def drill(cards, round_, steps):
    script, db = Script(steps), Db()
    screen = []
    out = Drill(script, script, PlainScreen(screen.append, width=80), db.record, db.unrecord).run(cards, round_, 4)
    return out, "".join(screen), list(db.rows.values())


def test_round_2_goal_grades_the_clock_rule_and_the_again_card_coming_back():
    cards = load_catalog(SHIPPED_CATALOG).cards[:3]
    # card 0 Good in 20 s; card 1 Good in 31 s (over: counts as Hard); card 2 Again, then
    # it comes back after the others and is Easy in 4 s.
    out, screen, rows = drill(cards, 2, [(20, " "), (0, "3"), (31, " "), (0, "3"), (5, " "), (0, "1"),
                                          (4, " "), (0, "4")])
    goal = round(10 * 60 * 3 / 17)
    assert f"3 cards, round 2: the timed shuffle, goal {goal // 60}:{goal % 60:02d} (--seed 4)" in screen
    assert rows == [(cards[0].id, 20, GOOD, False), (cards[1].id, 31, HARD, True), (cards[2].id, 5, AGAIN, False),
                    (cards[2].id, 4, EASY, False)]
    assert "graded Hard (Good over 30 s counts as Hard)" in screen
    assert "it comes back later in this session" in screen
    assert f"Card 4/4 · {cards[2].id}" in screen  # the fourth showing, of 3 cards + 1 Again
    lines = summary(out)
    assert lines[0] == f"3 cards in 1:00 (goal {goal // 60}:{goal % 60:02d}), 1 missed: {cards[2].id}"
    assert lines[1] == "Grades: Again 1, Hard 1, Good 1, Easy 1."
    assert lines[2] == f"1 over 30 s: {cards[1].id} (0:31)"
    assert lines[3:] == ["Look at again:", f"  {cards[2].heading}", f"  {cards[1].heading}"]


def test_the_countdown_reaching_0_shows_the_back_and_counts_as_over():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    # 29 s pass with no key, then the last second times out: the back comes up on its own.
    out, screen, rows = drill(cards, None, [(29, None), (1, None), (0, "4")])
    assert "0:30: time's up, the back is shown: over 30 s" in screen
    assert cards[0].numbers[0].full[:20] in screen
    assert rows == [(cards[0].id, 30, HARD, True)]


def test_undo_takes_back_the_grade_and_the_card_is_graded_again():
    cards = load_catalog(SHIPPED_CATALOG).cards[:2]
    # card 0 Again (queued again), u at card 1's front: card 0's Again is undone, the
    # queued copy leaves, it is graded Good; then card 1.
    out, screen, rows = drill(cards, None, [(10, " "), (0, "1"), (3, "u"), (0, "3"), (7, " "), (0, "3")])
    assert f"undone: Again for {cards[0].id}; grade it again" in screen
    assert rows == [(cards[0].id, 10, GOOD, False), (cards[1].id, 7, GOOD, False)]
    assert not out.stopped and out.misses == 0 and len(out.answers) == 2


def test_undo_with_nothing_to_undo_says_so():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    out, screen, rows = drill(cards, None, [(2, "u"), (5, " "), (0, "3")])
    # the clock kept running through the u: 2 + 5 s
    assert "nothing to undo yet" in screen and rows == [(cards[0].id, 7, GOOD, False)]


def test_keys_other_than_the_ones_offered_are_ignored():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    out, _, rows = drill(cards, None, [(3, "x"), (4, " "), (0, "z"), (0, "y")])
    assert rows == [(cards[0].id, 7, GOOD, False)] and not out.stopped


def test_q_stops_and_the_summary_says_how_far_it_got():
    cards = load_catalog(SHIPPED_CATALOG).cards[:4]
    out, _, rows = drill(cards, None, [(10, " "), (0, "2"), (6, "q")])
    assert out.stopped and len(rows) == 1
    assert summary(out)[0] == "Stopped after 1 of 4 cards; the answered ones are saved."


def test_cardpress_help_does_not_load_the_drill_engine():
    code = ("import sys; import cardpress.cli; "
            "print(sorted(m for m in ('sqlite3', 'tomlkit', 'matplotlib', 'termios', 'fsrs', 'rich.live', "
            "'cardpress.drill.session', 'cardpress.drill.store', 'cardpress.drill.plot') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_answer_times_are_kept_to_a_tenth_and_a_fraction_over_the_limit_shows():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    out, screen, rows = drill(cards, None, [(30.44, " "), (0, "3")])
    assert rows[0][1:] == (30.4, HARD, True)
    assert "0:30.4: over 30 s" in screen
    assert summary(out)[2] == f"1 over 30 s: {cards[0].id} (0:30.4)"
