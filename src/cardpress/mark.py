"""`cardpress mark ID --mastered|--not-mastered`: set or clear one card's flag in the catalog, in place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cardpress.catalog.edit import set_mastered
from cardpress.options import DEFAULT_CATALOG, CatalogOpt, reports_errors


def mark(
    card_id: Annotated[str, typer.Argument(metavar="ID", help="The card's id.")],
    mastered: Annotated[bool, typer.Option("--mastered/--not-mastered",
                                           help="Set `mastered = true`, or remove the key.")] = True,
    catalog: CatalogOpt = DEFAULT_CATALOG,
) -> None:
    """Mark a card mastered (left out by --skip-mastered), or not, in the catalog in place.

    Only that card's `mastered` line changes; comments, order, line endings and
    formatting stay as they were, and the write is atomic.

    Example: cardpress mark hu-2021-lora --mastered
    """
    line = set_mastered(Path(catalog), card_id, mastered)
    state = "mastered" if mastered else "not mastered"
    if line is None:
        typer.echo(f"{catalog}: `{card_id}` is already {state}; nothing changed")
    else:
        verb = "added" if mastered else "removed"
        typer.echo(f"{catalog}:{line}: `{card_id}` marked {state} (`mastered` line {verb})")


def register(app: typer.Typer) -> None:
    app.command()(reports_errors(mark))
