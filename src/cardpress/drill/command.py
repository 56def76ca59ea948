"""The `cardpress drill` and `cardpress drill stats` commands.

Kept light: typer and the shared options only. The session, the database and the plot
load inside the commands, so `cardpress --help` does not import them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cardpress.errors import CardpressError, Problem
from cardpress.options import (
    DEFAULT_CATALOG, CatalogOpt, CategoryOpt, OnlyOpt, SeedOpt, SkipMasteredOpt, TagOpt, reports_errors,
)

DbOpt = Annotated[Optional[Path], typer.Option(
    "--db", metavar="PATH", help="The drill history [default: .cardpress/drill.sqlite beside the catalog].")]
RoundOpt = Annotated[Optional[int], typer.Option(
    "--round", min=1, max=3, metavar="1|2|3",
    help="1: card by card, back shown, no timer. 2: the timed shuffle, goal 10 min for 17 cards. "
         "3: after the three lines, 30 s more on the card's follow-ups.")]
DueOpt = Annotated[bool, typer.Option("--due", help="Only the cards due today by their Leitner box (1, 3, 7 days).")]

drill_app = typer.Typer(invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None)


@drill_app.callback()
def drill(
    ctx: typer.Context,
    catalog: CatalogOpt = DEFAULT_CATALOG,
    db: DbOpt = None,
    round_: RoundOpt = None,
    due: DueOpt = False,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False, seed: SeedOpt = None,
) -> None:
    """Drill the deck in the terminal: shuffle, recite each card aloud in 30 s, grade yourself.

    Shows a card's front with a 30-second countdown; space shows the back, then y (got it)
    or n (missed). q or Ctrl-C stops and keeps what was answered. Every answer goes into
    the drill history (--db), which drives --due, `cardpress drill stats`, and the offer
    to mark a card mastered once it was clean in its last three sessions on three days.

    Example: cardpress drill --due --skip-mastered
    """
    if ctx.invoked_subcommand is not None:
        return
    reports_errors(_drill)(catalog, db, round_, due, tag, category, only, skip_mastered, seed)


def _drill(catalog, db, round_, due, tag, category, only, skip_mastered, seed) -> None:
    from cardpress.catalog import select
    from cardpress.catalog import load_catalog
    from cardpress.drill import schedule, store as stores
    from cardpress.drill.clock import clock_from_env
    from cardpress.catalog.select import selection_from

    from cardpress.options import found_catalog, without_drafts

    catalog = found_catalog(catalog)
    cat = without_drafts(load_catalog(catalog), "the drill")
    # Round 1 goes card by card in catalog order; the timed rounds shuffle. The seed is
    # shown in the session's first line (not before it, where an error may follow).
    shuffle = round_ != 1 or seed is not None
    if shuffle and seed is None:
        import random

        seed = random.SystemRandom().randrange(1_000_000)
    cards = select.choose(cat, selection_from(tag, category, only, skip_mastered, shuffle, seed))
    db_path = db or stores.default_path(catalog)
    store = stores.open_store(db_path, create=False)  # a foreign or damaged file stops us here
    if not sys.stdin.isatty():
        raise CardpressError(Problem("`cardpress drill` needs a terminal to read key presses, and stdin is not one"),
                             hint="Run it in a terminal. `cardpress drill stats` prints the history without one.")
    clock = clock_from_env()
    history = schedule.by_card(store.attempts()) if store else {}
    _note_removed(history, cat)
    if due:
        today = schedule.day_of(clock.now())
        cards = tuple(c for c in cards if schedule.is_due(history.get(c.id, []), today))
        if not cards:
            if store:
                store.close()
            _nothing_due(history, cat, today)
            return
    store = store or stores.open_store(db_path)
    try:
        _run(cat, cards, round_, seed, store, clock)
    finally:
        store.close()


def _run(cat, cards, round_, seed, store, clock) -> None:
    from cardpress.drill.session import Drill, goal_seconds, summary
    from cardpress.drill.terminal import keys_from_terminal

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    session_id = store.start_session(clock.now(), round_, goal_seconds(round_, len(cards)), len(cards), seed,
                                     str(cat.path))

    def record(card_id, at, seconds, result, expand):
        store.add_attempt(session_id, card_id, at, seconds, result, expand)

    with keys_from_terminal() as keys:
        outcome = Drill(keys, clock, write, record).run(cards, round_, seed)
        store.end_session(session_id, clock.now(), outcome.stopped)
        write("\n" + "\n".join(summary(outcome)) + "\n")
        if round_ != 1:
            try:
                _offer_mastered(cat, [a.card for a in outcome.answers], store, keys, write, ask=not outcome.stopped)
            except KeyboardInterrupt:  # a SIGINT while asking: the session is already saved
                write("\n")


def _offer_mastered(cat, cards, store, keys, write, ask: bool) -> None:
    from cardpress.drill import schedule
    from cardpress.drill.session import STOP_KEYS
    from cardpress.catalog.edit import set_mastered

    history = schedule.by_card(store.attempts())
    ready = [c for c in cards if not c.mastered and schedule.is_mastered(history.get(c.id, []))]
    if not ready:
        return
    write(f"Clean within {schedule.TIME_LIMIT} s in their last {schedule.MASTERED_SESSIONS} sessions, "
          f"on {schedule.MASTERED_SESSIONS} different days: {', '.join(c.id for c in ready)}\n")
    for card in ready:
        if ask:
            write(f"mark {card.id} mastered? y/n ")
            key = None
            while key not in {"y", "Y", "n", "N"} and key not in STOP_KEYS:
                key = keys.read_key(None)
            write("\n")
            if key in {"y", "Y"}:
                line = set_mastered(cat.path, card.id, True)
                write(f"{cat.path}:{line}: `{card.id}` marked mastered\n" if line else f"`{card.id}` was already mastered\n")
                continue
            ask = key not in STOP_KEYS
        write(f"  later: cardpress mark {card.id} --mastered\n")


def _note_removed(history: dict, cat) -> None:
    known = {c.id for c in cat.cards}
    gone = sorted(cid for cid in history if cid not in known)
    if gone:
        typer.echo(f"note: {len(gone)} card{'s' if len(gone) != 1 else ''} in the drill history "
                   f"{'are' if len(gone) != 1 else 'is'} not in {cat.path} (skipped, history kept): {', '.join(gone)}",
                   err=True)


def _nothing_due(history: dict, cat, today) -> None:
    from cardpress.drill import schedule

    upcoming = sorted((schedule.due_on(history[c.id]), c.id) for c in cat.cards if history.get(c.id))
    later = f"; next: {upcoming[0][1]} on {upcoming[0][0].isoformat()}" if upcoming else ""
    typer.echo(f"Nothing is due today ({today.isoformat()}){later}.")


@drill_app.command("stats")
@reports_errors
def stats(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    db: DbOpt = None,
    plot: Annotated[Optional[Path], typer.Option(
        "--plot", metavar="FILE.pdf|png", help="Also draw each session's time against its goal, and its misses.")] = None,
) -> None:
    """Per card: attempts, misses, median seconds, Leitner box, last seen, next due.

    Example: cardpress drill stats --plot output/drill.pdf
    """
    from datetime import datetime

    from cardpress.catalog import load_catalog
    from cardpress.drill import schedule, store as stores
    from cardpress.drill.clock import clock_from_env

    if plot is not None and plot.suffix.lower() not in (".pdf", ".png"):
        raise CardpressError(Problem("--plot: the file name must end in .pdf or .png", file=str(plot)))
    cat = load_catalog(catalog)
    db_path = db or stores.default_path(catalog)
    store = stores.open_store(db_path, create=False)
    if store is None:
        typer.echo(f"No drill history yet ({db_path} does not exist): run `cardpress drill`.")
        return
    try:
        history = schedule.by_card(store.attempts())
        sessions = store.sessions()
    finally:
        store.close()
    _note_removed(history, cat)
    today = schedule.day_of(clock_from_env().now())
    rows = [("ID", "ATTEMPTS", "MISSES", "MEDIAN S", "BOX", "LAST SEEN", "DUE")]
    for card in cat.cards:
        s = schedule.card_stats(card.id, history.get(card.id, []))
        rows.append((
            card.id + (" (mastered)" if card.mastered else ""), str(s.attempts), str(s.misses),
            f"{s.median_seconds:.1f}" if s.median_seconds is not None else "-",
            str(s.box) if s.box else "new",
            datetime.fromtimestamp(s.last_seen).strftime("%Y-%m-%d %H:%M") if s.last_seen else "never",
            "now" if s.due is None or s.due <= today else s.due.isoformat()))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        typer.echo("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))).rstrip())
    timed = [s for s in sessions if s.goal_seconds is not None and s.answered]
    typer.echo(f"{len(sessions)} sessions, {len(timed)} timed; boxes come back after "
               f"{', '.join(str(d) for d in schedule.INTERVALS)} days.")
    if plot is not None:
        from cardpress.drill.plot import write_plot

        write_plot(plot, timed)
        typer.echo(f"wrote {plot}: {len(timed)} sessions")


def register(app: typer.Typer) -> None:
    app.add_typer(drill_app, name="drill")
