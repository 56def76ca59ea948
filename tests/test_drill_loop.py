"""The session loop in-process, with scripted keys and a scripted clock: goals per round, summary lines."""

from __future__ import annotations

import subprocess
import sys

from cardpress.catalog import load_catalog
from cardpress.drill.session import Drill, summary
from conftest import SHIPPED_CATALOG


class Script:
    """Keys and clock in one: each key press first moves the clock by the seconds paired with it."""

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


def drill(cards, round_, steps):
    script = Script(steps)
    screen, records = [], []
    out = Drill(script, script, screen.append, lambda *r: records.append(r), width=80).run(cards, round_, 4)
    return out, "".join(screen), records


def test_round_2_goal_is_10_minutes_for_17_cards_scaled_and_late_answers_are_listed():
    cards = load_catalog(SHIPPED_CATALOG).cards[:3]
    out, screen, records = drill(cards, 2, [(20, " "), (0, "y"), (31, " "), (0, "y"), (5, " "), (0, "n")])
    goal = round(10 * 60 * 3 / 17)
    assert f"3 cards, round 2: the timed shuffle, goal {goal // 60}:{goal % 60:02d} (--seed 4)" in screen
    lines = summary(out)
    assert lines[0] == f"3 cards in 0:56 (goal {goal // 60}:{goal % 60:02d}), 1 missed: {cards[2].id}"
    assert lines[1] == f"1 over 30 s: {cards[1].id} (0:31)"
    assert lines[2:] == ["Look at again:", f"  {cards[2].heading}", f"  {cards[1].heading}"]
    assert [(r[0], r[2], r[3]) for r in records] == [(cards[0].id, 20, "got"), (cards[1].id, 31, "got"),
                                                      (cards[2].id, 5, "missed")]


def test_keys_other_than_the_ones_offered_are_ignored():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    out, _, records = drill(cards, None, [(3, "x"), (4, " "), (0, "z"), (0, "y")])
    assert records[0][2:4] == (7, "got") and not out.stopped


def test_q_stops_and_the_summary_says_how_far_it_got():
    cards = load_catalog(SHIPPED_CATALOG).cards[:4]
    out, _, records = drill(cards, None, [(10, " "), (0, "y"), (6, "q")])
    assert out.stopped and len(records) == 1
    assert summary(out)[0] == "Stopped after 1 of 4 cards; the answered ones are saved."


def test_cardpress_help_does_not_load_the_drill_engine():
    code = ("import sys; import cardpress.cli; "
            "print(sorted(m for m in ('sqlite3', 'tomlkit', 'matplotlib', 'termios', 'cardpress.drill.session', "
            "'cardpress.drill.store', 'cardpress.drill.plot') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_answer_times_are_kept_to_a_tenth_and_a_fraction_over_the_limit_shows():
    cards = load_catalog(SHIPPED_CATALOG).cards[:1]
    out, screen, records = drill(cards, None, [(30.44, " "), (0, "y")])
    assert records[0][2] == 30.4
    assert "0:30.4: over 30 s" in screen
    assert summary(out)[1] == f"1 over 30 s: {cards[0].id} (0:30.4)"
