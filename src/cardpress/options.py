"""Command-line options shared by several commands, declared once."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from cardpress.errors import CardpressError


# Left out, the catalog is found as git finds its repo (cardpress.files.find) and the
# output folder sits beside it; reports_errors fills both in before the command runs.
CatalogOpt = Annotated[Optional[Path], typer.Option(
    "--catalog", "-c", metavar="PATH", show_default=False,
    help="The catalog to read [default: ./cards.toml, else the nearest cards.toml in a parent folder].")]
# A str, not a Path: Path("") is "." and an empty --out (an unset shell variable) must be
# refused, not quietly mean the current folder. reports_errors turns it into a Path.
OutOpt = Annotated[Optional[str], typer.Option(
    "--out", "-o", metavar="DIR", show_default=False,
    help="Folder the PDFs are written to [default: output, beside the catalog].")]

TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="Only cards with this tag (repeat or comma-separate).")]
CategoryOpt = Annotated[Optional[list[str]], typer.Option("--category", metavar="CATEGORY", help="Only cards of this category (name or short label).")]
OnlyOpt = Annotated[Optional[list[str]], typer.Option("--only", metavar="ID", help="Only these card ids (repeat or comma-separate).")]
SkipMasteredOpt = Annotated[bool, typer.Option("--skip-mastered", help="Leave out cards marked mastered = true.")]
ShuffleOpt = Annotated[bool, typer.Option("--shuffle", help="Shuffle the chosen cards.")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", metavar="N", help="Seed for --shuffle: same seed, same order.")]

PrintDueOpt = Annotated[bool, typer.Option(
    "--due", help="Only the cards the drill history says are due today (new cards count as due).")]
WithinOpt = Annotated[Optional[str], typer.Option(
    "--within", metavar="DAYS", help="With --due: due on one of the next DAYS days, today included (7d, 2w).")]
DrillDbOpt = Annotated[Optional[Path], typer.Option(
    "--db", metavar="PATH", help="With --due: the drill history [default: .cardpress/drill.sqlite beside the catalog].")]

DEFAULT_CATALOG = None  # found by reports_errors
DEFAULT_OUT = None  # "output" beside the catalog, by reports_errors
OUT_NAME = "output"


# `--due` asks the drill history which cards are due. The drill sits layers above deck and
# build, so the CLI plugs its answer in here at start-up: due_ids(catalog path, db, ids,
# extra days) -> the due ids, or a CardpressError when there is no history.
due_ids = None

_WITHIN = re.compile(r"\s*(\d+)\s*(d|day|days|w|week|weeks)?\s*", re.IGNORECASE)


def parse_within(text: str | None) -> int:
    """`--within 7d` (or 7, 2w): due on one of the next 7 days, today included. Returns the
    days after today that count (6 for 7d); None, `--due` alone, is today only (0)."""
    if text is None:
        return 0
    m = _WITHIN.fullmatch(text)
    if not m:
        raise CardpressError(f"--within: `{text}` is not a number of days (e.g. 7d, 2w)")
    n = int(m.group(1))
    days = n * 7 if (m.group(2) or "d").lower().startswith("w") else n
    if days < 1 or days > 3650:
        raise CardpressError(f"--within: {text.strip()} must be 1 day to ten years (1d: today only)")
    return days - 1


def only_due(cat, due: bool, within: str | None, db: Path | None):
    """The catalog cut to the cards the drill says are due (deck --due, build --due)."""
    if not due:
        if within is not None or db is not None:
            raise CardpressError(f"{'--within' if within is not None else '--db'} only means something with --due")
        return cat
    extra = parse_within(within)
    wanted = due_ids(cat.path, db, [c.id for c in cat.cards], extra)
    if not wanted:
        from cardpress.errors import Problem

        span = "today" if not extra else f"in the next {extra + 1} days"
        raise CardpressError(Problem(f"--due: none of the chosen cards is due {span}; nothing to print",
                                     file=str(cat.path)))
    return cat.with_cards(tuple(c for c in cat.cards if c.id in wanted))


# -h as well as --help, on every command.
CONTEXT = {"help_option_names": ["-h", "--help"]}


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def note(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


IncludeDraftsOpt = Annotated[bool, typer.Option(
    "--include-drafts", help="Put draft cards (status = \"draft\") on the decks too, marked DRAFT.")]


def without_drafts(cat, what: str, include: bool = False, flag: bool = False):
    """The catalog for an output that needs finished cards (decks, sheet, Anki, drill):
    drafts left out, and a note saying how many; all of them with `include`."""
    n = len(cat.drafts)
    if not n:
        return cat
    if include:
        note(f"{plural(n, 'draft')} included in {what}, marked DRAFT")
        return cat
    if n == len(cat.cards):
        raise CardpressError(
            f"every card is a draft ({n}): {what} need a summary and three numbers",
            hint="`cardpress worksheets` prints drafts; `cardpress validate` lists what each lacks"
                 + ("; --include-drafts puts them on anyway." if flag else "."))
    note(f"{plural(n, 'draft')} left out of {what} (`cardpress validate` lists what each lacks"
         + ("; --include-drafts puts them in)" if flag else ")"))
    return cat.ready()


def reports_errors(fn):
    """Turn CardpressError into its message on stderr and exit code 1, never a traceback."""

    # Only options declared with CatalogOpt/OutOpt are found: another command's --out
    # (export's FILE) has a None of its own meaning ("print to stdout").
    found = {name for name, ann in getattr(fn, "__annotations__", {}).items()
             if ann in ("CatalogOpt", "OutOpt", CatalogOpt, OutOpt)}

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            _find_defaults(kwargs, found)
            if isinstance(kwargs.get("out"), str):
                if not kwargs["out"].strip():
                    raise CardpressError("--out is empty; give a folder, e.g. --out output")
                kwargs["out"] = Path(kwargs["out"])
            return fn(*args, **kwargs)
        except CardpressError as exc:
            typer.echo(f"error: {exc.render()}" if len(exc.problems) == 1 and not exc.hint else exc.render(), err=True)
            raise typer.Exit(1) from None

    return wrapper


def _find_defaults(kwargs: dict, names: set[str]) -> None:
    """The catalog and output folder a command uses when not given: ./cards.toml or the
    nearest one above (named on stderr when it is not here), and `output` beside it."""
    has_catalog, has_out = "catalog" in names, "out" in names
    if not has_catalog and not has_out:
        return
    from cardpress.files.find import find_catalog

    found = None
    if has_catalog and kwargs.get("catalog") is None:
        found = find_catalog()
        kwargs["catalog"] = found.path
        if not found.here:
            typer.echo(f"using {found.path}", err=True)
    if has_out and kwargs.get("out") is None:
        if found is None and not has_catalog:
            found = find_catalog()
        # Beside a catalog found in a parent folder; else (here, or --catalog given) ./output.
        kwargs["out"] = str(found.path.parent / OUT_NAME) if found is not None and not found.here else OUT_NAME


def found_catalog(catalog: Path | None) -> Path:
    """`catalog`, or when None the one found as for a command's --catalog (for a command
    whose arguments reach reports_errors positionally)."""
    kwargs = {"catalog": catalog}
    _find_defaults(kwargs, {"catalog"})
    return kwargs["catalog"]
