"""The `cardpress` command line: validate, list and build, plus each engine's command."""

from __future__ import annotations

from pathlib import Path

import typer

from cardpress.catalog import load_catalog
from cardpress.catalog.model import Catalog
from cardpress.options import (
    DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, CategoryOpt, OnlyOpt, OutOpt, SeedOpt, ShuffleOpt,
    SkipMasteredOpt, TagOpt, reports_errors, selection_from,
)
from cardpress.output import Output, write_outputs
from cardpress import select

app = typer.Typer(
    name="cardpress",
    help="Typeset duplex 3x5 pitch cards, a four-page revision sheet and reading-group "
         "worksheets from one TOML catalog.\n\nStart with: cardpress build",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def engines():
    """(name, build_outputs) for every engine `build` runs, in the order it runs them."""
    from cardpress import deck, sheet, worksheets

    return [("deck", deck.build_outputs), ("sheet", sheet.build_outputs),
            ("worksheets", worksheets.build_outputs)]


@app.command()
@reports_errors
def validate(catalog: CatalogOpt = DEFAULT_CATALOG) -> None:
    """Check the catalog and report every problem at once.

    Example: cardpress validate --catalog cards.toml
    """
    cat = load_catalog(catalog)
    with_protocol = sum(1 for c in cat.cards if c.protocol)
    typer.echo(f"{catalog}: OK, {len(cat.cards)} cards ({with_protocol} with protocol content), "
               f"{len(cat.category_order())} categories")


@app.command("list")
@reports_errors
def list_cards(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False,
) -> None:
    """List the cards: id, year, author, title, category and whether it has protocol content.

    Example: cardpress list --tag alignment
    """
    cat = load_catalog(catalog)
    cards = select.choose(cat, selection_from(tag, category, only, skip_mastered, False, None))
    rows = [("ID", "YEAR", "AUTHOR", "TITLE", "CATEGORY", "PROTOCOL")]
    rows += [(c.id, str(c.year), c.author, c.title, c.category, "yes" if c.protocol else "-") for c in cards]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1])


def run_engines(cat: Catalog, names: list[str] | None = None) -> list[Output]:
    outputs: list[Output] = []
    for name, build in engines():
        if names is None or name in names:
            outputs += build(cat)
    return outputs


@app.command()
@reports_errors
def build(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    out: OutOpt = DEFAULT_OUT,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False, shuffle: ShuffleOpt = False, seed: SeedOpt = None,
) -> None:
    """Build everything into the output folder: the decks, the revision sheets and the worksheets.

    Nothing is written unless every output renders; each file replaces the old one in a
    single rename, so a failed build leaves the previous outputs as they were.

    Example: cardpress build --catalog cards.toml --out output
    """
    cat = load_catalog(catalog)
    cat = select.apply(cat, selection_from(tag, category, only, skip_mastered, shuffle, seed))
    written = write_outputs(out, run_engines(cat))
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"{len(written)} files from {len(cat.cards)} cards")


def _register_engine_commands() -> None:
    from cardpress import mark as mark_cmd
    from cardpress.deck import command as deck_cmd
    from cardpress.drill import command as drill_cmd
    from cardpress.grow import command as grow_cmd
    from cardpress.sheet import command as sheet_cmd
    from cardpress.printing import command as print_cmd
    from cardpress.worksheets import command as ws_cmd

    for module in (deck_cmd, sheet_cmd, ws_cmd, grow_cmd, drill_cmd, mark_cmd, print_cmd):
        module.register(app)


_register_engine_commands()


def main() -> None:
    app()
