"""`cardpress drill` driven on a real pseudo-terminal, with time read from a file the test writes.

CARDPRESS_FAKE_CLOCK makes every time exact: the countdown shown, the seconds recorded,
the session's total, and which day `--due` thinks it is.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import sys
import tomllib

import pytest

from conftest import SHIPPED_CATALOG

pexpect = pytest.importorskip("pexpect")

DAY0 = 1_699_952_400  # 2023-11-14 09:00 UTC
DAY = 86400
CATALOG_IDS = [c["id"] for c in tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))["cards"]]
FOLLOWUP = "Walk me through multi-head attention."  # the Vaswani card's first protocol follow-up


def mmss(s: int) -> str:
    return f"{s // 60}:{s % 60:02d}"


class Terminal:
    """One `cardpress drill` process on a pty, and the clock file it reads."""

    def __init__(self, tmp_path, *args, now: float, catalog=None):
        self.clock = tmp_path / "clock"
        self.now = now
        self.set(now)
        self.db = tmp_path / "drill.sqlite"
        self.catalog = catalog or SHIPPED_CATALOG
        env = {**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(self.clock)}
        self.child = pexpect.spawn(sys.executable, ["-m", "cardpress", "drill", "--catalog", str(self.catalog),
                                                    "--db", str(self.db), *args],
                                   env=env, encoding="utf-8", dimensions=(50, 120), timeout=15)
        self.child.delaybeforesend = None  # keys go at once: every wait here is on the fake clock

    def set(self, t: float) -> None:
        self.now = t
        self.clock.write_text(repr(t))

    def advance(self, seconds: float) -> None:
        self.set(self.now + seconds)

    def next_card(self) -> str:
        self.child.expect(r"Card \d+/\d+ · ([a-z0-9-]+) · ")
        return self.child.match.group(1)

    def answer(self, seconds: int, result: str) -> None:
        """Recite for `seconds` of fake time, show the back, grade."""
        self.child.expect("0:30 left")
        self.advance(seconds)
        self.child.send(" ")
        self.child.expect(re.escape(f"{mmss(seconds)}: {'within' if seconds <= 30 else 'over'} 30 s"))
        self.child.expect("y: got it · n: missed")
        self.child.send("y" if result == "got" else "n")

    def finish(self) -> str:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0, self.child.before
        return self.child.before

    def rows(self, sql: str):
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


def seeded_order(ids, seed):
    """select's rule: the chosen cards in catalog order, shuffled by random.Random(seed)."""
    order = [i for i in CATALOG_IDS if i in ids]
    random.Random(seed).shuffle(order)
    return order


def test_a_whole_session_of_17_cards(tmp_path):
    # 16 cards at 27 s and one at 30 s: 462 s, which is 7:42; cards 4 and 11 missed.
    times = [27] * 16 + [30]
    term = Terminal(tmp_path, "--seed", "7", now=DAY0)
    term.child.expect(re.escape("cardpress drill: 17 cards, the drill: 30 s a card, goal 8:00 (--seed 7)"))
    seen, missed = [], []
    for k, seconds in enumerate(times, 1):
        seen.append(term.next_card())
        if k == 1:
            # the countdown is redrawn as time passes, before any key is pressed
            term.child.expect("0:30 left")
            term.advance(12)
            term.child.expect("0:18 left")
            term.advance(-12)
        result = "missed" if k in (4, 11) else "got"
        if result == "missed":
            missed.append(seen[-1])
        term.answer(seconds, result)
    out = term.finish()
    assert seen == seeded_order(CATALOG_IDS, 7)
    assert f"17 cards in 7:42 (goal 8:00), 2 missed: {missed[0]}, {missed[1]}" in out
    assert "Look at again:" in out
    rows = term.rows("SELECT card_id, seconds, result, at FROM attempts ORDER BY id")
    assert [r[0] for r in rows] == seen
    assert [r[1] for r in rows] == times
    assert [r[2] for r in rows] == ["missed" if k in (4, 11) else "got" for k in range(1, 18)]
    assert [r[3] for r in rows] == [DAY0 + sum(times[:k]) for k in range(1, 18)]
    session = term.rows("SELECT started, ended, round, goal_seconds, planned, seed, interrupted FROM sessions")
    assert session == [(DAY0, DAY0 + 462, None, 8 * 60, 17, 7, 0)]


def test_due_picks_the_right_cards_on_later_days(tmp_path):
    a, b, c = "vaswani-2017-attention", "hu-2021-lora", "dao-2022-flashattention"
    only = ("--only", f"{a},{b},{c}")
    plan = {a: (10, "got"), b: (10, "missed"), c: (40, "got")}  # only `a` is clean
    term = Terminal(tmp_path, *only, "--seed", "1", now=DAY0)
    for _ in range(3):
        card = term.next_card()
        term.answer(*plan[card])
    term.finish()

    # Day 1: the miss and the late answer (box 1) are due; the clean one (box 2) waits 3 days.
    term = Terminal(tmp_path, *only, "--due", "--seed", "1", now=DAY0 + 1 * DAY)
    term.child.expect("2 cards, the drill")
    day1 = {term.next_card()}
    term.answer(10, "got")
    day1.add(term.next_card())
    term.answer(10, "got")
    term.finish()
    assert day1 == {b, c}

    # Day 2: nothing is due; the next is `a` on day 3.
    term = Terminal(tmp_path, *only, "--due", now=DAY0 + 2 * DAY)
    assert "Nothing is due today (2023-11-16); next: vaswani-2017-attention on 2023-11-17." in term.finish()

    # Day 3: only `a`; b and c went up to box 2 on day 1 and come back on day 4.
    term = Terminal(tmp_path, *only, "--due", now=DAY0 + 3 * DAY)
    term.child.expect("1 card, the drill")
    assert term.next_card() == a
    term.answer(5, "got")
    term.finish()

    term = Terminal(tmp_path, *only, "--due", now=DAY0 + 4 * DAY)
    term.child.expect("2 cards, the drill")
    assert {term.next_card()} <= {b, c}
    term.child.sendcontrol("c")
    term.finish()


def test_ctrl_c_mid_session_keeps_the_answered_cards(tmp_path):
    ids = ["vaswani-2017-attention", "devlin-2018-bert", "radford-2019-gpt2", "brown-2020-gpt3", "raffel-2019-t5"]
    term = Terminal(tmp_path, "--only", ",".join(ids), "--seed", "3", now=DAY0)
    first = term.next_card()
    term.answer(20, "got")
    second = term.next_card()
    term.answer(25, "missed")
    term.next_card()
    term.child.expect("0:30 left")
    term.advance(7)
    term.child.sendcontrol("c")
    out = term.finish()
    assert "Stopped after 2 of 5 cards; the answered ones are saved." in out
    # the 7 s on the unanswered card count towards the session's time; the goal is for the 2 answered
    assert f"2 cards in 0:52 (goal {mmss(round(480 * 2 / 17))}), 1 missed: {second}" in out
    assert term.rows("SELECT card_id, seconds, result FROM attempts ORDER BY id") == [
        (first, 20, "got"), (second, 25, "missed")]
    assert term.rows("SELECT ended, interrupted FROM sessions") == [(DAY0 + 52, 1)]


def test_round_1_shows_the_back_in_catalog_order_with_no_timer(tmp_path):
    term = Terminal(tmp_path, "--round", "1", "--only", "hu-2021-lora,vaswani-2017-attention", now=DAY0)
    term.child.expect("round 1: card by card")
    assert term.next_card() == "vaswani-2017-attention"  # catalog order, not shuffled
    term.child.expect("Replaces RNN/CNN encoder-decoder")  # the back, at once
    term.child.expect("space: next card")
    assert "left" not in term.child.before
    term.child.send(" ")
    assert term.next_card() == "hu-2021-lora"
    term.child.expect("space: next card")
    term.child.send(" ")
    out = term.finish()
    assert "Read 2 cards." in out and "left" not in out
    assert term.rows("SELECT round, goal_seconds, planned FROM sessions") == [(1, None, 2)]
    assert term.rows("SELECT COUNT(*) FROM attempts") == [(0,)]


def test_round_3_adds_30_seconds_of_depth_with_the_cards_follow_ups(tmp_path):
    term = Terminal(tmp_path, "--round", "3", "--only", "vaswani-2017-attention,hu-2021-lora", "--seed", "2", now=DAY0)
    goal = round((8 * 60 + 17 * 30) * 2 / 17)
    term.child.expect(re.escape(f"round 3: recite, then 30 s of depth, goal {mmss(goal)}"))
    expands = {}
    for _ in range(2):
        card = term.next_card()
        term.child.expect("0:30 left")
        term.advance(15)
        term.child.send(" ")
        term.child.expect("Expand: 30 s of unscripted depth")
        if card == "vaswani-2017-attention":
            term.child.expect(re.escape(FOLLOWUP))
        else:
            term.child.expect(re.escape("(no follow-ups in the catalog"))
        term.child.expect("0:30 left")
        expands[card] = 20 if card == "hu-2021-lora" else 25
        term.advance(expands[card])
        term.child.send(" ")
        term.child.expect("0:15: within 30 s")
        term.child.expect("y: got it")
        term.child.send("y")
    out = term.finish()
    assert f"2 cards in 1:15 (goal {mmss(goal)}), no misses." in out
    assert dict(term.rows("SELECT card_id, expand_seconds FROM attempts")) == expands
    assert term.rows("SELECT DISTINCT seconds FROM attempts") == [(15,)]


def earlier_clean_days(db, card, days=2, seconds=15):
    """Clean answers for `card` in one session a day on days 0 .. days-1."""
    from cardpress.drill.store import open_store

    store = open_store(db)
    for day in range(days):
        sid = store.start_session(DAY0 + day * DAY, None, 28, 1, None, "cards.toml")
        store.add_attempt(sid, card, DAY0 + day * DAY + seconds, seconds, "got")
        store.end_session(sid, DAY0 + day * DAY + seconds, False)
    store.close()


def test_two_clean_days_are_not_enough_to_be_offered(tmp_path):
    card = "hu-2021-lora"
    earlier_clean_days(tmp_path / "drill.sqlite", card, days=1)
    term = Terminal(tmp_path, "--only", card, now=DAY0 + 1 * DAY)
    term.next_card()
    term.answer(15, "got")
    assert "mastered?" not in term.finish()


def test_clean_on_three_days_is_offered_as_mastered_and_y_marks_it(tmp_path):
    catalog = tmp_path / "cards.toml"
    catalog.write_bytes(SHIPPED_CATALOG.read_bytes())
    card = "hu-2021-lora"
    earlier_clean_days(tmp_path / "drill.sqlite", card)
    term = Terminal(tmp_path, "--only", card, now=DAY0 + 2 * DAY, catalog=catalog)
    assert term.next_card() == card
    term.answer(15, "got")
    term.child.expect(re.escape(f"on 3 different days: {card}"))
    term.child.expect(re.escape(f"mark {card} mastered? y/n"))
    term.child.send("y")
    out = term.finish()
    assert f"`{card}` marked mastered" in out
    old, new = SHIPPED_CATALOG.read_bytes().splitlines(), catalog.read_bytes().splitlines()
    assert len(new) == len(old) + 1 and [l for l in new if l not in old] == [b"mastered = true"]

    import subprocess

    listed = subprocess.run([sys.executable, "-m", "cardpress", "list", "--skip-mastered", "--catalog", str(catalog)],
                            capture_output=True, text=True, check=True).stdout
    assert card not in listed and "dao-2022-flashattention" in listed


def test_declining_the_offer_prints_the_command_and_leaves_the_catalog(tmp_path):
    catalog = tmp_path / "cards.toml"
    catalog.write_bytes(SHIPPED_CATALOG.read_bytes())
    card = "dao-2022-flashattention"
    earlier_clean_days(tmp_path / "drill.sqlite", card, seconds=30)
    term = Terminal(tmp_path, "--only", card, now=DAY0 + 2 * DAY, catalog=catalog)
    term.next_card()
    term.answer(29, "got")
    term.child.expect(re.escape(f"mark {card} mastered? y/n"))
    term.child.send("n")
    assert f"later: cardpress mark {card} --mastered" in term.finish()
    assert catalog.read_bytes() == SHIPPED_CATALOG.read_bytes()


def test_a_sigint_from_outside_also_ends_cleanly(tmp_path):
    import signal

    term = Terminal(tmp_path, "--only", "hu-2021-lora,dao-2022-flashattention", "--seed", "5", now=DAY0)
    first = term.next_card()
    term.answer(11, "got")
    term.next_card()
    term.child.expect("0:30 left")
    term.child.kill(signal.SIGINT)
    out = term.finish()
    assert "Stopped after 1 of 2 cards" in out and "Traceback" not in out
    assert term.rows("SELECT card_id, seconds FROM attempts") == [(first, 11)]
