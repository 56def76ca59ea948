"""One drill session: the queue of cards, the countdown, the grades, undo, and the summary.

Everything it touches comes in as arguments (keys, clock, screen, record, unrecord), so
the same loop runs on a real terminal and under a test's fake clock. The loop only says
what is on screen (a Frame); cardpress.drill.screen draws it.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable

from cardpress.catalog.model import Card
from cardpress.drill.schedule import AGAIN, EASY, GOOD, GRADE_NAMES, HARD, TIME_LIMIT, grade_for_time
from cardpress.drill.terminal import CTRL_C, CTRL_D

EXPAND_SECONDS = 30  # round 3: "30 seconds of unscripted depth"
SOURCE_DECK = 17
# The source's goals are for its 17 cards: 8 minutes for the drill, 10 for round 2, and
# round 3 adds 30 s of depth per card. Smaller or larger decks keep the same pace.
GOAL_FOR_17 = {None: 8 * 60, 2: 10 * 60, 3: 8 * 60 + SOURCE_DECK * EXPAND_SECONDS}

STOP_KEYS = {"q", "Q", CTRL_C, CTRL_D}
REVEAL_KEYS = {" ", "\r", "\n"}
UNDO_KEYS = {"u", "U"}
# 1-4 as in Anki; y and n (the keys of cardpress 0.1) still mean Good and Again.
GRADE_KEYS = {"1": AGAIN, "2": HARD, "3": GOOD, "4": EASY, "y": GOOD, "Y": GOOD, "n": AGAIN, "N": AGAIN}


class Stopped(Exception):
    """The user asked to stop (q or Ctrl-C)."""


class Undo(Exception):
    """The user pressed u: take back the last grade."""


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


def timer_text(remaining: float) -> str:
    if remaining > 0:
        return f"{mmss(math.ceil(remaining))} left"
    return "time's up"


@dataclass(frozen=True)
class Answer:
    card: Card
    seconds: float
    grade: int
    over: bool = False
    expand: float | None = None
    attempt_id: int | None = None
    requeued: bool = False  # an Again that put the card back in the queue

    @property
    def result(self) -> str:
        return "missed" if self.grade == AGAIN else "got"

    @property
    def late(self) -> bool:
        return self.over or self.seconds > TIME_LIMIT


@dataclass
class Outcome:
    planned: int
    round: int | None
    goal: int | None
    answers: list[Answer] = field(default_factory=list)
    read: int = 0  # round 1: cards shown
    total_seconds: float = 0.0
    stopped: bool = False

    @property
    def cards(self) -> list[Card]:
        """Each card graded in the session, once, in the order first graded."""
        seen: dict[str, Card] = {}
        for a in self.answers:
            seen.setdefault(a.card.id, a.card)
        return list(seen.values())

    @property
    def misses(self) -> int:
        return len({a.card.id for a in self.answers if a.grade == AGAIN})


@dataclass(frozen=True)
class Frame:
    """What the screen shows: one card in one phase, and the session's progress."""
    round: int | None
    card: Card
    phase: str  # "read" (round 1), "front", "expand", "back"
    position: int  # this card's place in the session, 1-based
    total: int  # cards in the session, with the Again cards put back
    misses: int
    elapsed: float
    goal: int | None
    remaining: float | None = None  # countdown seconds left (front, expand)
    limit: int = TIME_LIMIT
    seconds: float | None = None  # recite time, once the back is shown
    over: bool = False
    note: str = ""
    intervals: dict[int, int] | None = None  # days until the card returns, for each grade key


class Drill:
    def __init__(self, keys, clock, screen, record: Callable[..., int | None],
                 unrecord: Callable[[int], None] = lambda attempt_id: None, preview: Callable | None = None):
        self.keys, self.clock, self.screen = keys, clock, screen
        self.record, self.unrecord, self.preview = record, unrecord, preview

    def run(self, cards: tuple[Card, ...], round_: int | None, seed: int | None = None) -> Outcome:
        out = Outcome(len(cards), round_, goal_seconds(round_, len(cards)))
        self.out, self.start, self.round = out, self.clock.now(), round_
        self.screen.intro(round_, out.planned, out.goal, seed)
        queue = deque(cards)
        self.total = len(cards)
        resume: Answer | None = None
        note = ""
        try:
            while queue:
                card = queue.popleft()
                self.position = (out.read if round_ == 1 else len(out.answers)) + 1
                if round_ == 1:
                    self._read(card)
                    out.read += 1
                    continue
                try:
                    answer = self._card(card, resume, note)
                except Undo:
                    queue.appendleft(card)
                    resume, note = self._undo(queue)
                    continue
                resume, note = None, ""
                if answer.grade == AGAIN:
                    # Back later in this session: at the end of the queue, so others come between.
                    queue.append(card)
                    self.total += 1
                    answer = replace(answer, requeued=True)
                out.answers.append(answer)
        except (Stopped, KeyboardInterrupt):  # q, Ctrl-C as a key, or a SIGINT sent from outside
            out.stopped = True
        out.total_seconds = self.clock.now() - self.start
        return out

    def _undo(self, queue: deque) -> tuple[Answer | None, str]:
        """Take back the last grade: its row goes, an Again's second showing leaves the queue,
        and its card is shown again with the back up, to be graded anew."""
        if not self.out.answers:
            return None, "nothing to undo yet"
        last = self.out.answers.pop()
        if last.attempt_id is not None:
            self.unrecord(last.attempt_id)
        if last.requeued:
            for k in range(len(queue) - 1, -1, -1):
                if queue[k].id == last.card.id:
                    del queue[k]
                    break
            self.total -= 1
        queue.appendleft(last.card)
        return last, f"undone: {GRADE_NAMES[last.grade]} for {last.card.id}; grade it again"

    def frame(self, card: Card, phase: str, **kw) -> Frame:
        return Frame(self.round, card, phase, self.position, self.total, self.out.misses,
                     self.clock.now() - self.start, self.out.goal, **kw)

    def _read(self, card: Card) -> None:
        self.screen.show(self.frame(card, "read"))
        self._wait_for(REVEAL_KEYS)

    def _card(self, card: Card, resume: Answer | None, note: str) -> Answer:
        if resume is not None and resume.card.id == card.id:
            seconds, over, expand = resume.seconds, resume.over, resume.expand
        else:
            seconds, over = self._countdown(card, "front", TIME_LIMIT, note)
            note = ""
            expand = None
            if self.round == 3:
                expand, _ = self._countdown(card, "expand", EXPAND_SECONDS, "")
        if over or seconds > TIME_LIMIT:
            note = (note + " · " if note else "") + f"over {TIME_LIMIT} s: Good or Easy counts as Hard"
        intervals = self.preview(card.id, self.clock.now(), seconds, over) if self.preview else None
        back = self.frame(card, "back", seconds=seconds, over=over, note=note, intervals=intervals)
        self.screen.show(back)
        key = self._wait_for(set(GRADE_KEYS), tick=back)
        wanted = GRADE_KEYS[key]
        grade = grade_for_time(wanted, seconds, over)
        attempt_id = self.record(card.id, self.clock.now(), seconds, grade, expand, over or seconds > TIME_LIMIT)
        self.screen.graded(card, wanted, grade)
        return Answer(card, seconds, grade, over or seconds > TIME_LIMIT, expand, attempt_id)

    def _countdown(self, card: Card, phase: str, limit: int, note: str) -> tuple[float, bool]:
        """Redraw the time left once a second until the reveal key or 0:00; (seconds taken, ran out)."""
        start = self.clock.now()
        shown = None
        while True:
            elapsed = self.clock.now() - start
            remaining = limit - elapsed
            text = timer_text(remaining)
            if text != shown:
                self.screen.show(self.frame(card, phase, remaining=remaining, limit=limit, note=note))
                shown = text
            if remaining <= 0:  # at 0:00 the back is shown, and the time counts as over
                return round(elapsed, 1), True
            # Wake at the next whole second of the countdown, so the display never lags.
            key = self.keys.read_key(max(0.05, min(remaining, 1.0 - (elapsed % 1.0))))
            if key is None:
                continue
            if key in STOP_KEYS:
                raise Stopped
            if key in UNDO_KEYS:
                if self.out.answers:
                    raise Undo
                note = "nothing to undo yet"
                shown = None
                continue
            if key in REVEAL_KEYS:
                return round(self.clock.now() - start, 1), False

    def _wait_for(self, wanted: set[str], tick: Frame | None = None) -> str:
        """The next wanted key; with `tick`, the frame is redrawn each second (the session clock moves)."""
        while True:
            key = self.keys.read_key(1.0 if tick is not None else None)
            if key is None:
                if tick is not None:
                    self.screen.tick(replace(tick, elapsed=self.clock.now() - self.start))
                continue
            if key in STOP_KEYS:
                raise Stopped
            if key in UNDO_KEYS and self.round != 1:
                if self.out.answers:
                    raise Undo
                if tick is not None:
                    tick = replace(tick, note="nothing to undo yet")
                    self.screen.show(tick)
            if key in wanted:
                return key


def summary(out: Outcome) -> list[str]:
    """The lines printed at the end: the session against its goal, then what to look at again."""
    if out.round == 1:
        head = f"Stopped after {out.read} of {out.planned} cards." if out.stopped else f"Read {out.read} cards."
        return [head, "Now close the deck and recite from memory: cardpress drill --round 2"]
    lines = []
    cards = out.cards
    if out.stopped:
        lines.append(f"Stopped after {len(cards)} of {out.planned} cards; the answered ones are saved.")
    n = len(cards)
    missed = [c for c in cards if any(a.card.id == c.id and a.grade == AGAIN for a in out.answers)]
    firsts = {}
    for a in out.answers:
        firsts.setdefault(a.card.id, a)
    late = [a for a in firsts.values() if a.grade != AGAIN and a.late]
    goal = goal_seconds(out.round, n)
    line = f"{n} card{'s' if n != 1 else ''} in {mmss(out.total_seconds)} (goal {mmss(goal)}), "
    line += f"{len(missed)} missed: {', '.join(c.id for c in missed)}" if missed else "no misses"
    lines.append(line + ("." if not missed else ""))
    counts = {g: sum(a.grade == g for a in out.answers) for g in GRADE_NAMES}
    if out.answers:
        lines.append("Grades: " + ", ".join(f"{GRADE_NAMES[g]} {counts[g]}" for g in GRADE_NAMES) + ".")
    if late:
        lines.append(f"{len(late)} over {TIME_LIMIT} s: " + ", ".join(f"{a.card.id} ({answer_time(a.seconds)})" for a in late))
    if missed or late:
        lines.append("Look at again:")
        lines += [f"  {c.heading}" for c in missed + [a.card for a in late]]
    return lines
