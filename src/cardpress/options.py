"""Command-line options shared by several commands, declared once."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Annotated, Optional

import typer

from cardpress.errors import CardpressError
from cardpress.select import Selection, make_selection





CatalogOpt = Annotated[Path, typer.Option("--catalog", "-c", metavar="PATH", help="The catalog to read.", show_default=True)]
# A str, not a Path: Path("") is "." and an empty --out (an unset shell variable) must be
# refused, not quietly mean the current folder. reports_errors turns it into a Path.
OutOpt = Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Folder the PDFs are written to.", show_default=True)]

TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="Only cards with this tag (repeat or comma-separate).")]
CategoryOpt = Annotated[Optional[list[str]], typer.Option("--category", metavar="CATEGORY", help="Only cards of this category (name or short label).")]
OnlyOpt = Annotated[Optional[list[str]], typer.Option("--only", metavar="ID", help="Only these card ids (repeat or comma-separate).")]
SkipMasteredOpt = Annotated[bool, typer.Option("--skip-mastered", help="Leave out cards marked mastered = true.")]
ShuffleOpt = Annotated[bool, typer.Option("--shuffle", help="Shuffle the chosen cards.")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", metavar="N", help="Seed for --shuffle: same seed, same order.")]

DEFAULT_CATALOG = Path("cards.toml")
DEFAULT_OUT = "output"


def selection_from(tag, category, only, skip_mastered, shuffle, seed) -> Selection:
    for name, values in (("--tag", tag), ("--category", category), ("--only", only)):
        # `--only ""` (an unset shell variable, say) must not quietly mean "every card".
        if values and not any(v.strip(" ,") for v in values):
            raise CardpressError(f"{name} was given an empty value")
    shuffle = shuffle or seed is not None  # a seed only means something for a shuffle
    if shuffle and seed is None:
        # A shuffle must be reproducible: pick a seed and say which, so it can be reused.
        seed = random.SystemRandom().randrange(1_000_000)
        typer.echo(f"shuffled with --seed {seed}", err=True)
    return make_selection(tag, category, only, skip_mastered, shuffle, seed)


# -h as well as --help, on every command.
CONTEXT = {"help_option_names": ["-h", "--help"]}


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def reports_errors(fn):
    """Turn CardpressError into its message on stderr and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            if isinstance(kwargs.get("out"), str):
                if not kwargs["out"].strip():
                    raise CardpressError("--out is empty; give a folder, e.g. --out output")
                kwargs["out"] = Path(kwargs["out"])
            return fn(*args, **kwargs)
        except CardpressError as exc:
            typer.echo(f"error: {exc.render()}" if len(exc.problems) == 1 and not exc.hint else exc.render(), err=True)
            raise typer.Exit(1) from None

    return wrapper
