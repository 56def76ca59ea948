"""The `cardpress drill` and `cardpress drill stats` commands.

Kept light: typer and the shared options only. The session, the database and the plot
load inside the commands, so `cardpress --help` does not import them.
"""

from __future__ import annotations

import sys
from datetime import timedelta
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
DueOpt = Annotated[bool, typer.Option("--due", help="Only the cards FSRS says are due today (new cards are due at once).")]
RetentionOpt = Annotated[Optional[float], typer.Option(
    "--retention", min=0.7, max=0.99, metavar="R",
    help="Desired retention, the chance of recall FSRS schedules for (0.7-0.99) [default: 0.9, or the "
         "last one given]. Higher means shorter intervals. Kept in the history for stats, list and deck --due.")]

drill_app = typer.Typer(invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None)


@drill_app.callback()
def drill(
    ctx: typer.Context,
    catalog: CatalogOpt = DEFAULT_CATALOG,
    db: DbOpt = None,
    round_: RoundOpt = None,
    due: DueOpt = False,
    retention: RetentionOpt = None,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False, seed: SeedOpt = None,
) -> None:
    """Drill the deck in the terminal: shuffle, recite each card aloud in 30 s, grade yourself.

    Shows a card's front with a 30-second countdown; space (or 0:00) shows the back; grade
    it 1 Again, 2 Hard, 3 Good, 4 Easy. The clock is advisory: over 30 s, Good or Easy
    counts as Hard. An Again card comes back later in the session. u undoes the last
    grade; q or Ctrl-C stops and keeps what was answered. Grades are scheduled by FSRS
    (the fsrs library) from the drill history (--db), which drives --due, `cardpress drill
    stats`, `deck --due` and the mastered offer. Mastered: FSRS stability of 21 days or
    more (a 90% chance of recall three weeks after the last review) and a last grade other
    than Again; the drill then offers to write mastered = true into the catalog.

    NO_COLOR or TERM=dumb gives plain lines instead of the full screen.

    Example: cardpress drill --due --skip-mastered
    """
    if ctx.invoked_subcommand is not None:
        return
    reports_errors(_drill)(catalog, db, round_, due, retention, tag, category, only, skip_mastered, seed)


def _drill(catalog, db, round_, due, retention, tag, category, only, skip_mastered, seed) -> None:
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
    # A foreign, damaged or locked file stops us here; an old one is upgraded only below,
    # once there is a terminal to drill in.
    store = stores.open_store(db_path, create=False, write=False)
    try:
        if not sys.stdin.isatty():
            raise CardpressError(Problem("`cardpress drill` needs a terminal to read key presses, and stdin is not one"),
                                 hint="Run it in a terminal. `cardpress drill stats` prints the history without one.")
        clock = clock_from_env()
        now = clock.now()
        history = schedule.by_card(store.attempts()) if store else {}
        kept = store.retention() if store else schedule.DEFAULT_RETENTION
        _note_removed(history, cat)
        if due:
            today = schedule.day_of(now)
            want = retention or kept
            cards = tuple(c for c in cards if schedule.is_due(history.get(c.id, []), today, want))
            if not cards:
                _nothing_due(history, cat, today, want)
                return
        store = store or stores.open_store(db_path)
        if store.version < stores.SCHEMA_VERSION:
            backup = stores.migrate(store)
            typer.echo(f"note: upgraded {db_path} to schema {stores.SCHEMA_VERSION} (FSRS grades); "
                       f"the old file is kept as {backup}", err=True)
        if retention is not None and retention != kept:
            store.set_retention(retention)
        _run(cat, cards, round_, seed, store, clock)
    finally:
        if store:
            store.close()


def _run(cat, cards, round_, seed, store, clock) -> None:
    from cardpress.drill.screen import PlainScreen, RichScreen, plain_wanted
    from cardpress.drill.session import Drill, goal_seconds, summary
    from cardpress.drill.terminal import keys_from_terminal

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    session_id = store.start_session(clock.now(), round_, goal_seconds(round_, len(cards)), len(cards), seed,
                                     str(cat.path))

    def record(card_id, at, seconds, grade, expand, over):
        return store.add_attempt(session_id, card_id, at, seconds, grade, expand, over)

    from cardpress.drill import schedule

    retention = store.retention()

    def preview(card_id, at, seconds, over):
        return schedule.next_intervals(store.attempts(card_id), at, seconds, over, retention)

    screen = PlainScreen(write) if plain_wanted() else RichScreen()
    outcome = None
    with keys_from_terminal() as keys:
        try:
            with screen:
                outcome = Drill(keys, clock, screen, record, store.remove_attempt, preview).run(cards, round_, seed)
        finally:
            store.end_session(session_id, clock.now(), outcome is None or outcome.stopped)
        if isinstance(screen, RichScreen):
            write(screen.header + "\n")  # the full screen is gone: say what the session was
        write("\n" + "\n".join(summary(outcome)) + "\n")
        if round_ != 1:
            try:
                _offer_mastered(cat, outcome.cards, store, keys, write, ask=not outcome.stopped)
            except KeyboardInterrupt:  # a SIGINT while asking: the session is already saved
                write("\n")


def _offer_mastered(cat, cards, store, keys, write, ask: bool) -> None:
    from cardpress.drill import schedule
    from cardpress.drill.session import STOP_KEYS
    from cardpress.catalog.edit import set_mastered

    history = schedule.by_card(store.attempts())
    retention = store.retention()
    ready = [c for c in cards if not c.mastered and schedule.is_mastered(history.get(c.id, []), retention)]
    if not ready:
        return
    write(f"FSRS stability of {schedule.MASTERED_STABILITY_DAYS:g} days or more (mastered): "
          f"{', '.join(c.id for c in ready)}\n")
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


def _nothing_due(history: dict, cat, today, retention) -> None:
    from cardpress.drill import schedule

    upcoming = sorted((schedule.due_on(history[c.id], retention), c.id) for c in cat.cards if history.get(c.id))
    later = f"; next: {upcoming[0][1]} on {upcoming[0][0].isoformat()}" if upcoming else ""
    typer.echo(f"Nothing is due today ({today.isoformat()}){later}.")


@drill_app.command("stats")
@reports_errors
def stats(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    db: DbOpt = None,
    plot: Annotated[Optional[Path], typer.Option(
        "--plot", metavar="FILE.pdf|png",
        help="Also draw retention by week, cards by stability, the 30-day forecast and each session's time.")] = None,
) -> None:
    """Per card: reviews, Agains, median seconds, FSRS stability, last seen, next due; then the deck:
    retention by week, cards by stability, and due cards per day for the next 30 days.

    Example: cardpress drill stats --plot output/drill.pdf
    """
    from datetime import datetime

    from cardpress.catalog import load_catalog
    from cardpress.drill import schedule, store as stores
    from cardpress.drill.clock import clock_from_env

    if plot is not None and plot.suffix.lower() not in (".pdf", ".png"):
        raise CardpressError(Problem("--plot: the file name must end in .pdf or .png", file=str(plot)))
    if plot is not None and plot.is_dir():
        raise CardpressError(Problem("--plot: this is a folder; give a file name ending in .pdf or .png",
                                     file=str(plot)))
    cat = load_catalog(catalog)
    db_path = db or stores.default_path(catalog)
    store = stores.open_store(db_path, create=False, write=False)
    if store is None:
        typer.echo(f"No drill history yet ({db_path} does not exist): run `cardpress drill`.")
        return
    try:
        attempts = store.attempts()
        history = schedule.by_card(attempts)
        sessions = store.sessions()
        retention = store.retention()
    finally:
        store.close()
    _note_removed(history, cat)
    today = schedule.day_of(clock_from_env().now())
    rows = [("ID", "REVIEWS", "AGAIN", "MEDIAN S", "STABILITY", "LAST SEEN", "DUE")]
    memories = []
    for card in cat.cards:
        s = schedule.card_stats(card.id, history.get(card.id, []), retention)
        memories.append(schedule.replay(history.get(card.id, []), retention))
        rows.append((
            card.id + (" (mastered)" if card.mastered else ""), str(s.attempts), str(s.misses),
            f"{s.median_seconds:.1f}" if s.median_seconds is not None else "-",
            f"{s.stability:.1f}d" if s.stability is not None else "new",
            datetime.fromtimestamp(s.last_seen).strftime("%Y-%m-%d %H:%M") if s.last_seen else "never",
            "now" if s.due is None or s.due <= today else s.due.isoformat()))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        typer.echo("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))).rstrip())
    timed = [s for s in sessions if s.goal_seconds is not None and s.answered]
    typer.echo(f"{len(sessions)} sessions, {len(timed)} timed; FSRS, desired retention {retention:g}.")
    weeks = schedule.retention_by_week(attempts)
    typer.echo("\nRetention by week (first review of a card each day; recalled = not Again):")
    for monday, n, ok in weeks[-12:]:
        typer.echo(f"  {monday.isoformat()}  {ok:3d}/{n:<3d} {100 * ok / n:5.1f}%  {'#' * round(20 * ok / n)}")
    if not weeks:
        typer.echo("  (no reviews yet)")
    typer.echo("\nCards by stability:")
    for label, n in schedule.stability_counts(memories):
        typer.echo(f"  {label:>16}  {n:3d}  {'#' * n if n <= 50 else '#' * 50 + '...'}".rstrip())
    counts = schedule.forecast(memories, today)
    typer.echo("\nDue per day, next 30 days (today counts the overdue and the new):")
    for week in range(0, 30, 7):
        days = counts[week:week + 7]
        typer.echo(f"  {(today + timedelta(days=week)).isoformat()}  " + " ".join(f"{n:3d}" for n in days))
    if plot is not None:
        from cardpress.drill.plot import write_plot

        write_plot(plot, timed, weeks, schedule.stability_counts(memories), counts, today, retention)
        typer.echo(f"wrote {plot}: {len(timed)} sessions")


def register(app: typer.Typer) -> None:
    app.add_typer(drill_app, name="drill")
