"""Drawing a drill Frame: a full screen redrawn in place (rich), or plain lines.

rich draws the full screen: it is already installed (typer depends on it), it knows the
terminal's colours and width, and its Live display redraws a renderable in the terminal's
alternate screen, which works over ssh in 80x24. textual would be a second event loop
around our own key reader, and prompt_toolkit would take over the key reading we need to
keep for the injected clock and Ctrl-C handling.

With NO_COLOR set, TERM=dumb (or unset), or stdout not a terminal, the screen is a plain
log instead: no escape codes at all, one line per event, the countdown redrawn with a
carriage return.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

from cardpress.drill.schedule import AGAIN, GRADE_NAMES, TIME_LIMIT
from cardpress.drill.session import EXPAND_SECONDS, Frame, answer_time, mmss, timer_text

ROUND_NAMES = {1: "round 1: card by card, the back shown, no timer",
               2: "round 2: the timed shuffle",
               3: "round 3: recite, then 30 s of depth"}
GRADE_LINE = "1 Again · 2 Hard · 3 Good · 4 Easy"
GRADE_STYLES = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold cyan"}


def plain_wanted(env=os.environ, stream=sys.stdout) -> bool:
    term = env.get("TERM", "")
    return bool(env.get("NO_COLOR")) or term in ("", "dumb") or not stream.isatty()


def intro_line(round_, planned, goal, seed) -> str:
    what = ROUND_NAMES.get(round_, "the drill: 30 s a card")
    goal_text = f", goal {mmss(goal)}" if goal is not None else ""
    order = f" (--seed {seed})" if seed is not None else ""
    return f"cardpress drill: {planned} card{'s' if planned != 1 else ''}, {what}{goal_text}{order}"


def progress_text(f: Frame) -> str:
    misses = f"{f.misses} miss{'es' if f.misses != 1 else ''}"
    goal = f" / goal {mmss(f.goal)}" if f.goal is not None else ""
    return f"card {f.position} of {f.total} · {misses} · {mmss(f.elapsed)}{goal}"


def followups(card) -> tuple[str, ...]:
    return card.protocol.followups if card.protocol else ()


def plain(text: str) -> str:
    from cardpress.typeset.mathtext import plain as spelled  # a terminal cannot set math: spell formulas out

    return spelled(text)


def days(n: int) -> str:
    return f"{n}d" if n < 60 else f"{n / 30.4:.1f}mo" if n < 365 else f"{n / 365:.1f}y"


def keys_text(f: Frame) -> str:
    if f.phase == "read":
        return "space: next card · q: stop"
    if f.phase == "front":
        after = "go on to expand" if f.round == 3 else "show the back"
        return f"space: {after} · u: undo · q: stop"
    if f.phase == "expand":
        return "space: show the back · u: undo · q: stop"
    return f"{GRADE_LINE} · u: undo · q: stop"


class PlainScreen:
    """Append-only lines, for NO_COLOR, dumb terminals and logs."""

    def __init__(self, write, width: int | None = None):
        self.write = write
        self.width = min(width or shutil.get_terminal_size((80, 24)).columns, 100)
        self.last: tuple | None = None
        self.note = ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def intro(self, round_, planned, goal, seed) -> None:
        self.write(intro_line(round_, planned, goal, seed) + "\n"
                   "q or Ctrl-C stops; the answers so far are kept.\n")

    def _wrap(self, text: str, first: str, rest: str | None = None) -> str:
        return textwrap.fill(plain(text), self.width - 1, initial_indent=first,
                             subsequent_indent=rest if rest is not None else first)

    def _back(self, card) -> None:
        self.write(self._wrap(card.summary, "  ") + "\n")
        for k, number in enumerate(card.numbers, 1):
            self.write(self._wrap(number.full, f"  {k}. ", "     ") + "\n")

    def show(self, f: Frame) -> None:
        key = (f.card.id, f.position, f.phase)
        if key != self.last:
            if self.last is not None and self.last[2] in ("front", "expand"):
                self.write("\n")  # end the countdown's line
            self._enter(f)
            self.last = key
        elif f.note and f.note != self.note:
            self.write(f"\n  {f.note}\n")
        self.note = f.note
        if f.phase in ("front", "expand"):
            self.write(f"\r  {timer_text(f.remaining)}    ")

    def tick(self, f: Frame) -> None:
        pass  # a log does not redraw the session clock

    def _enter(self, f: Frame) -> None:
        card = f.card
        if f.phase in ("front", "read") or (f.phase == "back" and (self.last or (None,))[0] != card.id):
            self.write("\n" + "─" * min(self.width, 60) + "\n")
            self.write(f"Card {f.position}/{f.total} · {card.id} · {card.category}\n")
            self.write(f"  {progress_text(f)}\n")
            self.write(self._wrap(card.heading, "  ") + "\n")
        if f.phase == "read":
            self._back(card)
        elif f.phase == "front":
            self.write("  Recite the summary and the three numbers aloud.  " + keys_text(f) + "\n")
        elif f.phase == "expand":
            self.write(f"  Expand: {EXPAND_SECONDS} s of unscripted depth. {keys_text(f)}\n")
            for q in followups(card):
                self.write(self._wrap(q, "  ? ", "    ") + "\n")
            if not followups(card):
                self.write("  (no follow-ups in the catalog: say what matters most, and why)\n")
        elif f.phase == "back":
            if f.seconds is not None:
                verdict = "time's up, the back is shown: over" if f.over else (
                    "within" if f.seconds <= TIME_LIMIT else "over")
                self.write(f"  {answer_time(f.seconds)}: {verdict} {TIME_LIMIT} s\n")
            self._back(card)
        if f.note:
            self.write(f"  {f.note}\n")
        if f.phase == "back" and f.intervals:
            self.write("  next: " + " · ".join(f"{GRADE_NAMES[g]} {days(n)}" for g, n in f.intervals.items()) + "\n")
        if f.phase in ("read", "back"):
            self.write(f"  {keys_text(f)}\n")

    def graded(self, card, wanted: int, grade: int) -> None:
        text = f"  graded {GRADE_NAMES[grade]}"
        if grade != wanted:
            text += f" ({GRADE_NAMES[wanted]} over {TIME_LIMIT} s counts as {GRADE_NAMES[grade]})"
        if grade == AGAIN:
            text += "; it comes back later in this session"
        self.write(text + "\n")
        self.last = None

    def message(self, text: str) -> None:
        self.write(text)


class RichScreen:
    """One card at a time on the terminal's alternate screen, redrawn in place."""

    def __init__(self, file=None):
        from rich.console import Console

        self.console = Console(file=file or sys.stdout, highlight=False)
        self.live = None
        self.header = ""
        self.last_note = ""

    def __enter__(self):
        from rich.live import Live

        self.live = Live(console=self.console, screen=True, auto_refresh=False, transient=True,
                         redirect_stdout=False, redirect_stderr=False)
        self.live.__enter__()
        return self

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)
            self.live = None
        return False

    def intro(self, round_, planned, goal, seed) -> None:
        self.header = intro_line(round_, planned, goal, seed)
        short = {None: "30 s a card", 1: "round 1: read through", 2: "round 2: timed shuffle",
                 3: "round 3: recite + 30 s depth"}[round_]
        self.title = f"cardpress drill · {short}" + (f" · --seed {seed}" if seed is not None else "")

    def show(self, f: Frame) -> None:
        self.live.update(self.render(f), refresh=True)

    tick = show

    def graded(self, card, wanted: int, grade: int) -> None:
        pass  # the next frame shows the next card; the summary lists the grades

    def message(self, text: str) -> None:
        self.console.print(text, end="", markup=False, highlight=False)

    def render(self, f: Frame):
        from rich.console import Group
        from rich.panel import Panel
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        parts = []
        title = Text.assemble((f.card.id, "bold"), " · ", (f.card.category, "dim"))
        parts.append(Text(plain(f.card.heading), style="bold"))
        parts.append(Text(""))
        if f.phase in ("front", "expand"):
            limit = f.limit
            left = max(f.remaining, 0.0)
            colour = "green" if left > 10 else "yellow" if left > 0 else "red"
            bar = Table.grid(expand=True)
            bar.add_column(ratio=1)
            bar.add_column(width=12, justify="right")
            bar.add_row(ProgressBar(total=limit, completed=left, complete_style=colour, finished_style=colour),
                        Text(timer_text(f.remaining), style=f"bold {colour}"))
            label = "Recite the summary and the three numbers aloud." if f.phase == "front" else \
                f"Expand: {EXPAND_SECONDS} s of unscripted depth."
            parts += [Text(label, style="italic"), bar]
            if f.phase == "expand":
                qs = followups(f.card)
                parts += [Text(f"? {plain(q)}", style="cyan") for q in qs] or [
                    Text("(no follow-ups in the catalog: say what matters most, and why)", style="dim")]
        if f.phase == "back" and f.seconds is not None:
            verdict = ("time's up: over", "red") if f.over else (
                ("within", "green") if f.seconds <= TIME_LIMIT else ("over", "red"))
            parts.append(Text.assemble((f"{answer_time(f.seconds)}: ", "bold"), (verdict[0], verdict[1]),
                                       f" {TIME_LIMIT} s"))
        if f.phase in ("back", "read"):
            parts.append(Text(plain(f.card.summary)))
            for k, number in enumerate(f.card.numbers, 1):
                parts.append(Text.assemble((f"{k}. ", "bold"), plain(number.full)))
        if f.note:
            parts += [Text(""), Text(f.note, style="yellow")]
        keys = Text()
        if f.phase == "back":
            for g, name in GRADE_NAMES.items():
                keys.append(f" {g} ", style=f"reverse {GRADE_STYLES[g]}")
                keys.append(f" {name}")
                if f.intervals:
                    keys.append(f" {days(f.intervals[g])}", style="dim")
                keys.append("  ")
            keys.append("u", style="bold")
            keys.append(" undo  ")
            keys.append("q", style="bold")
            keys.append(" stop")
        else:
            keys.append(keys_text(f), style="dim")
        body = Panel(Group(*parts), title=title, title_align="left",
                     subtitle=Text(progress_text(f)), subtitle_align="right", border_style="blue",
                     height=max(self.console.size.height - 3, 8))
        return Group(Text(self.title, style="dim", overflow="ellipsis", no_wrap=True), body, keys)
