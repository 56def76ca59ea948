"""What the drill says is due, for the commands that print paper: `deck --due`, `build --due`, `list`.

A user who drills on paper prints this week's cards after a session; the cards come from
the same FSRS replay of the same history as `cardpress drill --due`.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from cardpress.errors import CardpressError, Problem

def today() -> date:
    from cardpress.drill.clock import clock_from_env
    from cardpress.drill.schedule import day_of

    return day_of(clock_from_env().now())


def due_ids(catalog_path: Path, db: Path | None, card_ids, within_days: int = 0) -> set[str]:
    """The ids among `card_ids` due on or before today + within_days; an error without history."""
    from cardpress.drill import schedule
    from cardpress.drill.store import default_path, read_history

    db_path = db or default_path(catalog_path)
    found = read_history(db_path)
    if found is None or not found[0]:
        raise CardpressError(Problem("--due: there is no drill history yet, so nothing is due or not due",
                                     file=str(db_path)),
                             hint="Run `cardpress drill` first, or print every card without --due.")
    history, retention = found
    day = today()
    return {cid for cid in card_ids if schedule.is_due(history.get(cid, []), day, retention, within_days)}


def due_line(catalog_path: Path, card_ids) -> str | None:
    """`list`'s one line: due today and this week (next 7 days), by the catalog's drill history."""
    db = Path(catalog_path).parent / ".cardpress" / "drill.sqlite"  # store.default_path, without loading sqlite3
    if not db.exists():
        return None
    from cardpress.drill import schedule
    from cardpress.drill.store import read_history

    try:
        found = read_history(db)
    except CardpressError as exc:  # a listing is still worth having without its due line
        return f"drill: no due counts ({exc.render().splitlines()[0]})"
    if found is None:
        return None
    history, retention = found
    day = today()
    ids = list(card_ids)
    due_days = [schedule.due_on(history.get(cid, []), retention) for cid in ids]
    now = sum(d is None or d <= day for d in due_days)
    week = sum(d is None or d <= day + timedelta(days=6) for d in due_days)
    new = sum(d is None for d in due_days)
    return (f"drill: {now} due today, {week} this week (through {(day + timedelta(days=6)).isoformat()}), "
            f"{new} never drilled")
