"""One drill session: the loop over the cards, the countdown, the grading and the summary.

Everything it touches comes in as arguments (keys, clock, write, record), so the same
loop runs on a real terminal and under a test's fake clock.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import Callable

from cardpress.catalog.model import Card
from cardpress.drill.schedule import TIME_LIMIT
from cardpress.drill.terminal import CTRL_C, CTRL_D

EXPAND_SECONDS = 30  # round 3: "30 seconds of unscripted depth"
SOURCE_DECK = 17
# The source's goals are for its 17 cards: 8 minutes for the drill, 10 for round 2, and
# round 3 adds 30 s of depth per card. Smaller or larger decks keep the same pace.
GOAL_FOR_17 = {None: 8 * 60, 2: 10 * 60, 3: 8 * 60 + SOURCE_DECK * EXPAND_SECONDS}

STOP_KEYS = {"q", "Q", CTRL_C, CTRL_D}
REVEAL_KEYS = {" ", "\r", "\n"}
GOT_KEYS, MISSED_KEYS = {"y", "Y", "g"}, {"n", "N", "m"}


class Stopped(Exception):
    """The user asked to stop (q or Ctrl-C)."""


def goal_seconds(round_: int | None, n_cards: int) -> int | None:
    if round_ == 1:
        return None
    return round(GOAL_FOR_17[round_] * n_cards / SOURCE_DECK)


def mmss(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def answer_time(seconds: float) -> str:
    """m:ss, with tenths when there are any: 30.4 s must not read as a clean "0:30"."""
    if seconds == round(seconds):
        return mmss(seconds)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


@dataclass(frozen=True)
class Answer:
    card: Card
    seconds: float
    result: str  # "got" or "missed"

    @property
    def late(self) -> bool:
        return self.seconds > TIME_LIMIT


@dataclass
class Outcome:
    planned: int
    round: int | None
    goal: int | None
    answers: list[Answer] = field(default_factory=list)
    read: int = 0  # round 1: cards shown
    total_seconds: float = 0.0
    stopped: bool = False


class Drill:
    def __init__(self, keys, clock, write: Callable[[str], None],
                 record: Callable[..., None], width: int | None = None):
        self.keys, self.clock, self.write, self.record = keys, clock, write, record
        self.width = min(width or shutil.get_terminal_size((80, 24)).columns, 100)

    def run(self, cards: tuple[Card, ...], round_: int | None, seed: int | None = None) -> Outcome:
        out = Outcome(len(cards), round_, goal_seconds(round_, len(cards)))
        start = self.clock.now()
        self._intro(round_, out, seed)
        try:
            for i, card in enumerate(cards, 1):
                self._front(i, len(cards), card)
                if round_ == 1:
                    self._back(card)
                    self.write("  space: next card · q: stop\n")
                    self._wait_for(REVEAL_KEYS)
                    out.read += 1
                    continue
                after = "go on to expand" if round_ == 3 else "show the back"
                self.write(f"  Recite the summary and the three numbers aloud.  space: {after} · q: stop\n")
                seconds = round(self._countdown(TIME_LIMIT), 1)
                expand = None
                if round_ == 3:
                    self._expand_prompt(card)
                    expand = round(self._countdown(EXPAND_SECONDS), 1)
                verdict = "within" if seconds <= TIME_LIMIT else "over"
                self.write(f"  {answer_time(seconds)}: {verdict} {TIME_LIMIT} s\n")
                self._back(card)
                self.write("  y: got it · n: missed\n")
                result = "got" if self._wait_for(GOT_KEYS | MISSED_KEYS) in GOT_KEYS else "missed"
                self.record(card.id, self.clock.now(), seconds, result, expand)
                out.answers.append(Answer(card, seconds, result))
        except (Stopped, KeyboardInterrupt):  # q, Ctrl-C as a key, or a SIGINT sent from outside
            out.stopped = True
        out.total_seconds = self.clock.now() - start
        return out

    def _intro(self, round_, out: Outcome, seed: int | None) -> None:
        what = {1: "round 1: card by card, the back shown, no timer",
                2: "round 2: the timed shuffle",
                3: "round 3: recite, then 30 s of depth"}.get(round_, "the drill: 30 s a card")
        goal = f", goal {mmss(out.goal)}" if out.goal is not None else ""
        order = f" (--seed {seed})" if seed is not None else ""
        cards = f"{out.planned} card{'s' if out.planned != 1 else ''}"
        self.write(f"cardpress drill: {cards}, {what}{goal}{order}\n"
                   "q or Ctrl-C stops; the answers so far are kept.\n")

    def _front(self, i: int, n: int, card: Card) -> None:
        self.write("\n" + "─" * min(self.width, 60) + "\n")
        self.write(f"Card {i}/{n} · {card.id} · {card.category}\n")
        self.write(self._wrap(card.heading, "  ") + "\n")

    def _back(self, card: Card) -> None:
        self.write(self._wrap(card.summary, "  ") + "\n")
        for k, number in enumerate(card.numbers, 1):
            self.write(self._wrap(number.full, f"  {k}. ", "     ") + "\n")

    def _expand_prompt(self, card: Card) -> None:
        self.write(f"  Expand: {EXPAND_SECONDS} s of unscripted depth. space: show the back\n")
        followups = card.protocol.followups if card.protocol else ()
        for q in followups:
            self.write(self._wrap(q, "  ? ", "    ") + "\n")
        if not followups:
            self.write("  (no follow-ups in the catalog: say what matters most, and why)\n")

    def _wrap(self, text: str, first: str, rest: str | None = None) -> str:
        from cardpress.typeset.mathtext import plain  # a terminal cannot set math: spell formulas out

        return textwrap.fill(plain(text), self.width - 1, initial_indent=first,
                             subsequent_indent=rest if rest is not None else first)

    def _countdown(self, limit: int) -> float:
        """Redraw the time left once a second until the reveal key; the seconds taken."""
        start = self.clock.now()
        shown = None
        while True:
            elapsed = self.clock.now() - start
            text = timer_text(limit - elapsed)
            if text != shown:
                self.write(f"\r\x1b[K  {text}")
                shown = text
            # Wake at the next whole second of the countdown, so the display never lags.
            key = self.keys.read_key(max(0.05, 1.0 - (elapsed % 1.0)))
            if key is None:
                continue
            if key in STOP_KEYS:
                self.write("\n")
                raise Stopped
            if key in REVEAL_KEYS:
                self.write("\n")
                return self.clock.now() - start

    def _wait_for(self, wanted: set[str]) -> str:
        while True:
            key = self.keys.read_key(None)
            if key in STOP_KEYS:
                raise Stopped
            if key in wanted:
                return key


def timer_text(remaining: float) -> str:
    if remaining > 0:
        return f"{mmss(math.ceil(remaining))} left"
    return f"time's up, +{mmss(math.floor(-remaining))}"


def summary(out: Outcome) -> list[str]:
    """The lines printed at the end: the session against its goal, then what to look at again."""
    if out.round == 1:
        head = f"Stopped after {out.read} of {out.planned} cards." if out.stopped else f"Read {out.read} cards."
        return [head, "Now close the deck and recite from memory: cardpress drill --round 2"]
    lines = []
    if out.stopped:
        lines.append(f"Stopped after {len(out.answers)} of {out.planned} cards; the answered ones are saved.")
    n = len(out.answers)
    missed = [a for a in out.answers if a.result == "missed"]
    late = [a for a in out.answers if a.result == "got" and a.late]
    goal = goal_seconds(out.round, n)
    line = f"{n} card{'s' if n != 1 else ''} in {mmss(out.total_seconds)} (goal {mmss(goal)}), "
    line += f"{len(missed)} missed: {', '.join(a.card.id for a in missed)}" if missed else "no misses"
    lines.append(line + ("." if not missed else ""))
    if late:
        lines.append(f"{len(late)} over {TIME_LIMIT} s: " + ", ".join(f"{a.card.id} ({answer_time(a.seconds)})" for a in late))
    if missed or late:
        lines.append("Look at again:")
        lines += [f"  {a.card.heading}" for a in missed + late]
    return lines
