"""`cardpress drill` driven on a real pseudo-terminal, with time read from a file the test writes.

CARDPRESS_FAKE_CLOCK makes every time exact: the countdown shown, the seconds recorded,
the session's total, and which day `--due` thinks it is. NO_COLOR gives the plain screen,
whose lines these tests read; one test drives the full (rich) screen.
"""

from __future__ import annotations

import os
import random
import subprocess
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


GRADE = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class Terminal:
    """One `cardpress drill` process on a pty, and the clock file it reads."""

    def __init__(self, tmp_path, *args, now: float, catalog=None, plain=True, dimensions=(50, 120)):
        self.clock = tmp_path / "clock"
        self.now = now
        self.set(now)
        self.db = tmp_path / "drill.sqlite"
        self.catalog = catalog or SHIPPED_CATALOG
        env = {**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(self.clock), "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        if plain:
            env["NO_COLOR"] = "1"
        self.child = pexpect.spawn(sys.executable, ["-m", "cardpress", "drill", "--catalog", str(self.catalog),
                                                    "--db", str(self.db), *args],
                                   env=env, encoding="utf-8", dimensions=dimensions, timeout=15)
        self.child.delaybeforesend = None  # keys go at once: every wait here is on the fake clock
        self.seen = []  # everything the process printed, for the whole-output checks

    def set(self, t: float) -> None:
        self.now = t
        self.clock.write_text(repr(t))

    def advance(self, seconds: float) -> None:
        self.set(self.now + seconds)

    def expect(self, pattern) -> None:
        self.child.expect(pattern)
        self.seen.append(self.child.before + self.child.after)

    def next_card(self) -> str:
        self.expect(r"Card \d+/\d+ · ([a-z0-9-]+) · ")
        return self.child.match.group(1)

    def answer(self, seconds: int, grade: int) -> None:
        """Recite for `seconds` (under 30) of fake time, show the back, grade 1-4."""
        assert seconds < 30
        self.expect("0:30 left")
        self.advance(seconds)
        self.child.send(" ")
        self.expect(re.escape(f"{mmss(seconds)}: within 30 s"))
        self.expect(re.escape("1 Again · 2 Hard · 3 Good · 4 Easy · u: undo · q: stop"))
        self.child.send(str(grade))
        self.expect(f"graded {GRADE[grade]}")

    def finish_declining(self) -> str:
        """Finish, saying n to any offer to mark a card mastered (the shipped catalog stays as it is)."""
        while self.child.expect([pexpect.EOF, r"mastered\? y/n"]) == 1:
            self.child.send("n")
        self.child.close()
        assert self.child.exitstatus == 0, self.child.before
        return self.child.before

    def finish(self) -> str:
        self.child.expect(pexpect.EOF)
        self.seen.append(self.child.before)
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


def test_a_whole_session_of_17_cards_with_all_four_grades_and_the_agains_coming_back(tmp_path):
    # Grades cycle Good, Hard, Again, Easy; each Again card comes back after the 17, in the
    # order it was missed, and is then Good. 10 s a card, 12 s for the comebacks.
    plan = [(3, 2, 1, 4)[k % 4] for k in range(17)]
    term = Terminal(tmp_path, "--seed", "7", now=DAY0)
    term.expect(re.escape("cardpress drill: 17 cards, the drill: 30 s a card, goal 8:00 (--seed 7)"))
    seen = []
    for k, grade in enumerate(plan, 1):
        seen.append(term.next_card())
        if k == 1:
            # the countdown is redrawn as time passes, before any key is pressed
            term.expect("0:30 left")
            term.advance(12)
            term.expect("0:18 left")
            term.advance(-12)
        term.answer(10, grade)
    order = seeded_order(CATALOG_IDS, 7)
    assert seen == order
    again = [cid for cid, g in zip(order, plan) if g == 1]
    for cid in again:
        assert term.next_card() == cid
        term.answer(12, 3)
    out = term.finish()
    assert "Card 21/21 · " in "".join(term.seen)
    total = 17 * 10 + len(again) * 12
    assert f"17 cards in {mmss(total)} (goal 8:00), {len(again)} missed: {', '.join(again)}" in out
    assert f"Grades: Again {len(again)}, Hard {plan.count(2)}, Good {plan.count(3) + len(again)}, " \
           f"Easy {plan.count(4)}." in out
    rows = term.rows("SELECT card_id, seconds, grade, result, over, at FROM attempts ORDER BY id")
    times = [10] * 17 + [12] * len(again)
    assert rows == [(cid, t, g, "missed" if g == 1 else "got", 0, DAY0 + sum(times[:k + 1]))
                    for k, (cid, g, t) in enumerate(zip(order + again, plan + [3] * len(again), times))]
    session = term.rows("SELECT started, ended, round, goal_seconds, planned, seed, interrupted FROM sessions")
    assert session == [(DAY0, DAY0 + total, None, 8 * 60, 17, 7, 0)]
    assert "\x1b" not in "".join(term.seen)  # NO_COLOR: not a single escape code


def test_at_0_00_the_back_shows_and_good_counts_as_hard(tmp_path):
    card = "hu-2021-lora"
    term = Terminal(tmp_path, "--only", card, now=DAY0)
    term.next_card()
    term.expect("0:30 left")
    term.advance(30)  # no key: the clock runs out
    term.expect(re.escape("0:30: time's up, the back is shown: over 30 s"))
    term.expect("Freeze the pretrained weights")  # the back's summary, shown without a key press
    term.expect("over 30 s: Good or Easy counts as Hard")
    # the days each key gives, as the library schedules a new card's first review
    again, hard = (fsrs_due([(DAY0 + 30, g)]) for g in (1, 2))
    term.expect(re.escape(f"next: Again {(again.due - again.last_review).days}d · Hard {(hard.due - hard.last_review).days}d"
                          f" · Good {(hard.due - hard.last_review).days}d · Easy {(hard.due - hard.last_review).days}d"))
    term.child.send("3")
    term.expect(re.escape("graded Hard (Good over 30 s counts as Hard)"))
    out = term.finish()
    assert f"1 over 30 s: {card} (0:30)" in out
    assert term.rows("SELECT seconds, grade, over FROM attempts") == [(30, 2, 1)]


def test_undo_takes_the_grade_back_from_screen_and_database(tmp_path):
    ids = ["vaswani-2017-attention", "hu-2021-lora", "dao-2022-flashattention"]
    term = Terminal(tmp_path, "--only", ",".join(ids), "--seed", "4", now=DAY0)
    first = term.next_card()
    term.answer(8, 1)  # a mis-keyed Again
    assert term.rows("SELECT card_id, grade FROM attempts") == [(first, 1)]
    second = term.next_card()
    term.expect("0:30 left")
    term.child.send("u")
    term.expect(re.escape(f"undone: Again for {first}; grade it again"))
    term.expect(re.escape("1 Again · 2 Hard · 3 Good"))
    assert term.rows("SELECT COUNT(*) FROM attempts") == [(0,)]  # gone from the database at once
    term.child.send("4")
    term.expect("graded Easy")
    assert term.next_card() == second  # the second card again, from its front
    term.answer(9, 3)
    third = term.next_card()
    term.answer(7, 3)
    out = term.finish()  # the undone Again's second showing is gone from the queue too
    assert "no misses" in out and "3 cards in" in out
    assert term.rows("SELECT card_id, grade FROM attempts ORDER BY id") == [(first, 4), (second, 3), (third, 3)]


def test_an_again_card_comes_back_later_in_the_same_session(tmp_path):
    a, b = "vaswani-2017-attention", "hu-2021-lora"
    term = Terminal(tmp_path, "--only", f"{a},{b}", "--seed", "1", now=DAY0)
    first = term.next_card()
    term.answer(10, 1)
    term.expect("it comes back later in this session")
    second = term.next_card()
    term.answer(10, 3)
    assert term.next_card() == first
    term.answer(5, 3)
    term.finish()
    assert {first, second} == {a, b}
    assert term.rows("SELECT card_id, grade FROM attempts ORDER BY id") == [(first, 1), (second, 3), (first, 3)]


def fsrs_due(log):
    """The fsrs library's own next due time after [(epoch seconds, grade)], with the settings
    cardpress documents: no fuzz, no minute-long learning steps."""
    from datetime import datetime, timezone

    from fsrs import Card, Rating, Scheduler

    sched = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=datetime.fromtimestamp(log[0][0], timezone.utc))
    for t, g in log:
        card, _ = sched.review_card(card, Rating(g), datetime.fromtimestamp(t, timezone.utc))
    return card


def test_60_days_of_due_sessions_follow_the_fsrs_librarys_own_schedule(tmp_path):
    """Two cards drilled with --due every day either is due, for 60 days. A is always Good;
    B is Good, then Again (and Good when it comes back), then Hard, Easy and Good. Each
    day's session must hold exactly the cards the library says are due, and A's intervals
    must grow past a week."""
    a, b = "vaswani-2017-attention", "hu-2021-lora"
    plan = {a: [[3]] * 20, b: [[3], [1, 3], [2], [4]] + [[3]] * 20}
    logs = {a: [], b: []}
    day, sessions, intervals = 0, 0, {a: [], b: []}
    while day < 60:
        due = {c for c in (a, b) if not logs[c] or fsrs_due(logs[c]).due.date() <= date_of(DAY0 + day * DAY)}
        if not due:
            day += 1
            continue
        term = Terminal(tmp_path, "--only", f"{a},{b}", "--due", "--seed", str(day), now=DAY0 + day * DAY)
        term.expect(f"{len(due)} cards?, the drill")
        shown = []
        queue = {c: list(plan[c][len({t // DAY for t, _ in logs[c]})]) for c in due}
        while any(queue.values()):
            card = term.next_card()
            shown.append(card)
            grade = queue[card].pop(0)
            term.answer(10, grade)
            logs[card].append((term.now, grade))
        term.finish_declining()
        sessions += 1
        assert set(shown) == due
        for c in due:
            nxt = fsrs_due(logs[c])
            intervals[c].append((nxt.due - nxt.last_review).days)
        day += 1
    # every grade the program stored, at the time it stored it, is the log fed to the library
    stored = term.rows("SELECT card_id, at, grade FROM attempts ORDER BY id")
    assert sorted(stored, key=lambda r: r[1]) == sorted(
        [(c, t, g) for c in (a, b) for t, g in logs[c]], key=lambda r: r[1])
    assert max(intervals[a]) > 7 and intervals[a] == sorted(intervals[a])
    # the day before A's next review nothing is due; the stats table names the library's date
    nxt = fsrs_due(logs[a]).due
    clock = tmp_path / "clock"
    clock.write_text(repr(DAY0 + 60 * DAY))
    out = subprocess.run([sys.executable, "-m", "cardpress", "drill", "stats", "--catalog", str(SHIPPED_CATALOG),
                          "--db", str(term.db)], capture_output=True, text=True,
                         env={**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(clock)}).stdout
    row = next(l for l in out.splitlines() if l.startswith(a)).split()
    assert row[-1] == nxt.date().isoformat()
    print("intervals (days):", intervals, "sessions:", sessions)


def date_of(ts):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ts, timezone.utc).date()


def test_due_with_nothing_due_names_the_next_card_and_day(tmp_path):
    a = "vaswani-2017-attention"
    term = Terminal(tmp_path, "--only", a, now=DAY0)
    term.next_card()
    term.answer(10, 3)
    term.finish()
    nxt = fsrs_due([(DAY0 + 10, 3)]).due.date()
    term = Terminal(tmp_path, "--only", a, "--due", now=DAY0 + DAY)
    assert f"Nothing is due today (2023-11-15); next: {a} on {nxt.isoformat()}." in term.finish()


def test_ctrl_c_mid_card_keeps_the_answered_cards(tmp_path):
    ids = ["vaswani-2017-attention", "devlin-2018-bert", "radford-2019-gpt2", "brown-2020-gpt3", "raffel-2019-t5"]
    term = Terminal(tmp_path, "--only", ",".join(ids), "--seed", "3", now=DAY0)
    first = term.next_card()
    term.answer(20, 3)
    second = term.next_card()
    term.answer(25, 1)
    term.next_card()
    term.expect("0:30 left")
    term.advance(7)
    term.expect("0:23 left")
    term.child.sendcontrol("c")
    out = term.finish()
    assert "Stopped after 2 of 5 cards; the answered ones are saved." in out
    # the 7 s on the unanswered card count towards the session's time; the goal is for the 2 answered
    assert f"2 cards in 0:52 (goal {mmss(round(480 * 2 / 17))}), 1 missed: {second}" in out
    assert term.rows("SELECT card_id, seconds, grade FROM attempts ORDER BY id") == [
        (first, 20, 3), (second, 25, 1)]
    assert term.rows("SELECT ended, interrupted FROM sessions") == [(DAY0 + 52, 1)]


def test_round_1_shows_the_back_in_catalog_order_with_no_timer(tmp_path):
    term = Terminal(tmp_path, "--round", "1", "--only", "hu-2021-lora,vaswani-2017-attention", now=DAY0)
    term.expect("round 1: card by card")
    assert term.next_card() == "vaswani-2017-attention"  # catalog order, not shuffled
    term.expect("Replaces RNN/CNN encoder-decoder")  # the back, at once
    term.expect("space: next card")
    assert "left" not in term.child.before
    term.child.send(" ")
    assert term.next_card() == "hu-2021-lora"
    term.expect("space: next card")
    term.child.send(" ")
    out = term.finish()
    assert "Read 2 cards." in out and "left" not in out
    assert term.rows("SELECT round, goal_seconds, planned FROM sessions") == [(1, None, 2)]
    assert term.rows("SELECT COUNT(*) FROM attempts") == [(0,)]


def test_round_3_adds_30_seconds_of_depth_with_the_cards_follow_ups(tmp_path):
    term = Terminal(tmp_path, "--round", "3", "--only", "vaswani-2017-attention,hu-2021-lora", "--seed", "2", now=DAY0)
    goal = round((8 * 60 + 17 * 30) * 2 / 17)
    term.expect(re.escape(f"round 3: recite, then 30 s of depth, goal {mmss(goal)}"))
    expands = {}
    for _ in range(2):
        card = term.next_card()
        term.expect("0:30 left")
        term.advance(15)
        term.child.send(" ")
        term.expect("Expand: 30 s of unscripted depth")
        if card == "vaswani-2017-attention":
            term.expect(re.escape(FOLLOWUP))
        else:
            term.expect(re.escape("(no follow-ups in the catalog"))
        term.expect("0:30 left")
        expands[card] = 20 if card == "hu-2021-lora" else 25
        term.advance(expands[card])
        term.child.send(" ")
        term.expect("0:15: within 30 s")
        term.expect("1 Again · 2 Hard · 3 Good")
        term.child.send("3")
    out = term.finish()
    assert f"2 cards in 1:15 (goal {mmss(goal)}), no misses." in out
    assert dict(term.rows("SELECT card_id, expand_seconds FROM attempts")) == expands
    assert term.rows("SELECT DISTINCT seconds FROM attempts") == [(15,)]


def good_on_due_days(db, card, reviews):
    """`reviews` Good answers for `card`, each on the day the fsrs library says it is due; the
    time of the next due day."""
    from cardpress.drill.store import open_store

    store = open_store(db)
    log, t = [], DAY0
    for _ in range(reviews):
        sid = store.start_session(t, None, 28, 1, None, "cards.toml")
        store.add_attempt(sid, card, t + 10, 10, 3)
        store.end_session(sid, t + 10, False)
        log.append((t + 10, 3))
        t = fsrs_due(log).due.timestamp()
    store.close()
    return t, log


def reviews_to_mastery():
    """How many on-time Goods the library needs to put stability at 21 days or more."""
    log, t = [], DAY0
    while True:
        log.append((t, 3))
        card = fsrs_due(log)
        if card.stability >= 21:
            return len(log)
        t = card.due.timestamp()


def test_one_good_short_of_21_days_stability_is_not_offered(tmp_path):
    card = "hu-2021-lora"
    t, _ = good_on_due_days(tmp_path / "drill.sqlite", card, reviews_to_mastery() - 2)
    term = Terminal(tmp_path, "--only", card, now=t)
    term.next_card()
    term.answer(15, 3)
    assert "mastered?" not in term.finish()


def test_stability_of_21_days_is_offered_as_mastered_and_y_marks_it(tmp_path):
    catalog = tmp_path / "cards.toml"
    catalog.write_bytes(SHIPPED_CATALOG.read_bytes())
    card = "hu-2021-lora"
    t, _ = good_on_due_days(tmp_path / "drill.sqlite", card, reviews_to_mastery() - 1)
    term = Terminal(tmp_path, "--only", card, now=t, catalog=catalog)
    assert term.next_card() == card
    term.answer(15, 3)
    term.expect(re.escape(f"FSRS stability of 21 days or more (mastered): {card}"))
    term.expect(re.escape(f"mark {card} mastered? y/n"))
    term.child.send("y")
    out = term.finish()
    assert f"`{card}` marked mastered" in out
    old, new = SHIPPED_CATALOG.read_bytes().splitlines(), catalog.read_bytes().splitlines()
    assert len(new) == len(old) + 1 and [l for l in new if l not in old] == [b"mastered = true"]

    listed = subprocess.run([sys.executable, "-m", "cardpress", "list", "--skip-mastered", "--catalog", str(catalog)],
                            capture_output=True, text=True, check=True).stdout
    assert card not in listed and "dao-2022-flashattention" in listed


def test_declining_the_offer_prints_the_command_and_leaves_the_catalog(tmp_path):
    catalog = tmp_path / "cards.toml"
    catalog.write_bytes(SHIPPED_CATALOG.read_bytes())
    card = "dao-2022-flashattention"
    t, _ = good_on_due_days(tmp_path / "drill.sqlite", card, reviews_to_mastery() - 1)
    term = Terminal(tmp_path, "--only", card, now=t, catalog=catalog)
    term.next_card()
    term.answer(29, 4)
    term.expect(re.escape(f"mark {card} mastered? y/n"))
    term.child.send("n")
    assert f"later: cardpress mark {card} --mastered" in term.finish()
    assert catalog.read_bytes() == SHIPPED_CATALOG.read_bytes()


def test_a_sigint_from_outside_also_ends_cleanly(tmp_path):
    import signal

    term = Terminal(tmp_path, "--only", "hu-2021-lora,dao-2022-flashattention", "--seed", "5", now=DAY0)
    first = term.next_card()
    term.answer(11, 3)
    term.next_card()
    term.expect("0:30 left")
    term.child.kill(signal.SIGINT)
    out = term.finish()
    assert "Stopped after 1 of 2 cards" in out and "Traceback" not in out
    assert term.rows("SELECT card_id, seconds FROM attempts") == [(first, 11)]


def test_the_full_screen_is_redrawn_in_place_in_80_by_24(tmp_path):
    card = "vaswani-2017-attention"
    term = Terminal(tmp_path, "--only", card, now=DAY0, plain=False, dimensions=(24, 80))
    term.expect(re.escape("\x1b[?1049h"))  # the alternate screen: one card, drawn over, not scrolled
    term.expect(card)
    term.expect("0:30 left")
    term.advance(12)
    term.expect("0:18 left")
    term.expect("card 1 of 1")
    term.child.send(" ")
    term.expect("Replaces RNN/CNN")
    term.expect("Again")
    term.child.send("3")
    out = term.finish()
    assert "\x1b[?1049l" in "".join(term.seen)  # and the terminal's own screen is back
    assert "1 card in 0:12 (goal 0:28), no misses." in out
    assert term.rows("SELECT card_id, seconds, grade FROM attempts") == [(card, 12, 3)]


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_a_dumb_terminal_get_no_escape_codes(tmp_path, env):
    term = Terminal(tmp_path, "--only", "hu-2021-lora", now=DAY0, plain=False)
    term.child.close()
    clock, db = term.clock, term.db
    full = {**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(clock), "TERM": "xterm-256color", **env}
    if "NO_COLOR" not in env:
        full.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "cardpress", "drill", "--catalog", str(SHIPPED_CATALOG), "--db",
                                           str(db), "--only", "hu-2021-lora"], env=full, encoding="utf-8",
                          dimensions=(24, 80), timeout=15)
    child.delaybeforesend = None
    child.expect("0:30 left")
    first = child.before + child.after
    child.send(" ")
    child.expect("4 Easy")
    second = child.before + child.after
    child.send("2")
    child.expect(pexpect.EOF)
    text = first + second + child.before
    assert "Hu 2021" in text and "graded Hard" in text and "\x1b" not in text


def test_desired_retention_is_kept_in_the_history_and_schedules_every_later_run(tmp_path):
    from datetime import datetime, timezone

    from fsrs import Card, Rating, Scheduler

    card = "hu-2021-lora"
    term = Terminal(tmp_path, "--only", card, "--retention", "0.97", now=DAY0)
    term.next_card()
    term.answer(10, 3)
    term.finish()
    sched = Scheduler(desired_retention=0.97, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    ref, _ = sched.review_card(Card(card_id=1), Rating.Good, datetime.fromtimestamp(DAY0 + 10, timezone.utc))
    default = fsrs_due([(DAY0 + 10, 3)])
    assert ref.due < default.due  # a higher retention asks for a sooner review
    # stats, with no --retention, uses the kept 0.97
    out = subprocess.run([sys.executable, "-m", "cardpress", "drill", "stats", "--catalog", str(SHIPPED_CATALOG),
                          "--db", str(term.db)], capture_output=True, text=True,
                         env={**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(term.clock)}).stdout
    assert "desired retention 0.97" in out
    assert next(l for l in out.splitlines() if l.startswith(card)).split()[-1] == ref.due.date().isoformat()
