"""The `cardpress` command line: validate, list and build, plus each engine's command."""

from __future__ import annotations

from typing import Annotated

import typer

from cardpress.catalog import load_catalog
from cardpress.catalog.model import Catalog
from cardpress import options
from cardpress.options import (
    CONTEXT, DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, CategoryOpt, DrillDbOpt, IncludeDraftsOpt, OnlyOpt, OutOpt,
    PrintDueOpt, SeedOpt, ShuffleOpt, SkipMasteredOpt, TagOpt, WithinOpt, note, only_due, plural, reports_errors, warn,
)
from cardpress.catalog.select import selection_from
from cardpress.files.output import Output
from cardpress.files.staging import write_outputs
from cardpress.catalog import select

app = typer.Typer(
    name="cardpress",
    help="Typeset duplex 3x5 pitch cards, a four-page revision sheet and reading-group "
         "worksheets from one TOML catalog.\n\nStart with: cardpress build",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # typer's own: --install-completion / --show-completion for bash, zsh, fish
    rich_markup_mode=None,
    context_settings=CONTEXT,
)


def _plain_argument_help() -> None:
    """Arguments with a metavar show only it in --help, as options do.

    typer 0.29 prints an argument's Python type after its metavar ("FILE.md <path>",
    "ID... <list[str]>"), which means nothing to a person reading the help.
    """
    from typer.core import TyperArgument

    shown = getattr(TyperArgument, "display_type_rich", None)
    if shown is None:
        return  # typers before 0.29 print the metavar alone already
    TyperArgument.display_type_rich = lambda self, ctx: None if self.metavar else shown(self, ctx)


_plain_argument_help()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"cardpress {version('cardpress')}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    pass


def engines():
    """(name, build_outputs) for every engine `build` runs, in the order it runs them."""
    from cardpress import deck, sheet, worksheets

    return [("deck", deck.build_outputs), ("sheet", sheet.build_outputs),
            ("worksheets", worksheets.build_outputs)]


@app.command()
@reports_errors
def validate(catalog: CatalogOpt = DEFAULT_CATALOG) -> None:
    """Check the catalog and report every problem at once, including all that `build` would refuse.

    A dry run of `build`: every card face that does not fit at the smallest type size (card,
    face, field, points over), worksheet overflows and layout problems. A revision sheet
    too full for four pages is a warning: choosing fewer cards fixes it.

    Example: cardpress validate --catalog cards.toml
    """
    from cardpress.pipeline.preflight import preflight

    cat = load_catalog(catalog)
    findings = preflight(cat)
    for message in findings.warnings:
        warn(message)
    findings.raise_if_any()
    with_protocol = sum(1 for c in cat.cards if c.protocol)
    drafts = cat.drafts
    if drafts:
        # Not problems: a draft is a card on its way. Listed so the organiser sees what is left.
        note(f"{plural(len(drafts), 'draft')}, left out of the decks, the sheet, Anki and the drill "
             "(worksheets include them):")
        width = max(len(c.id) for c in drafts)
        for c in drafts:
            typer.echo(f"  {c.id.ljust(width)}  lacks {', '.join(c.lacks()) or 'nothing: remove its status line'}",
                       err=True)
    typer.echo(f"{catalog}: OK, {plural(len(cat.cards), 'card')} ({with_protocol} with protocol content"
               + (f", {len(drafts)} draft{'s' if len(drafts) != 1 else ''}" if drafts else "")
               + f"), {len(cat.category_order())} categories")


@app.command("list")
@reports_errors
def list_cards(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False,
) -> None:
    """List the cards: id, year, author, title, category and whether it has protocol content.

    With a drill history beside the catalog (.cardpress/drill.sqlite), a last line says how
    many of the listed cards are due today and this week.

    Example: cardpress list --tag alignment
    """
    cat = load_catalog(catalog)
    cards = select.choose(cat, selection_from(tag, category, only, skip_mastered, False, None))
    rows = [("ID", "YEAR", "AUTHOR", "TITLE", "CATEGORY", "PROTOCOL")]
    rows += [(c.id, str(c.year), c.author, c.title + (" [draft]" if c.draft else ""), c.category,
              "yes" if c.protocol else "-") for c in cards]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1])
    from cardpress.drill.due import due_line

    line = due_line(catalog, [c.id for c in cards if not c.draft])
    if line:
        typer.echo(line)


def run_engines(cat: Catalog, names: list[str] | None = None) -> list[Output]:
    return list(stream_engines(cat, names))


def stream_engines(cat: Catalog, names: list[str] | None = None, skipped: list[str] | None = None,
                   out: str | None = None, jobs: int = 1, include_drafts: bool = False):
    """Every engine's outputs, one file at a time, in build order (worksheets stream as they render).

    With `out` and `jobs` > 1 the engines render in that many processes (cardpress.pipeline.parallel),
    the workers' files staged in `out`'s staging folder. A revision sheet too full for four
    pages is skipped with a warning (as `validate` warns), its relpath added to `skipped`;
    every other refusal stops the build.
    """
    from pathlib import Path

    from cardpress.files.staging import STAGING
    from cardpress.pipeline.parallel import stream_units

    stage = Path(out) / STAGING if out is not None and jobs > 1 else None
    return stream_units(engine_units(cat, names, include_drafts), stage, jobs, skipped)


def engine_units(cat: Catalog, names: list[str] | None = None, include_drafts: bool = False):
    """`build`'s work in build order, cut where it can run in parallel, each with its measured
    cost (CPU ms on the build machine: deck ~9 per card, a sheet ~180, worksheets ~19 and
    the facilitator's copy ~6 per card), which only balances the processes."""
    from cardpress import sheet, worksheets
    from cardpress.errors import OverFull
    from cardpress.pipeline.parallel import Unit

    # The decks and the sheet need finished cards (the decks take drafts, marked, when
    # asked); the worksheets take drafts too: a reader's worksheet needs only the paper.
    # No finished card: no decks, no sheet.
    whole, decked, cat = cat, (cat if include_drafts else cat.ready()), cat.ready()

    from cardpress.pipeline.defaults import build_settings

    layouts, flip, paper = build_settings(whole)

    def deck_unit(skipped):
        from cardpress import deck
        from cardpress.deck.layout_spec import load_layout
        from cardpress.deck.imposition import layout_warnings

        for message in layout_warnings([load_layout(n) for n in layouts], flip):
            warn(message)
        yield from deck.build_outputs(decked, layouts, flip)

    def sheet_unit(paper):
        def render(skipped):
            try:
                out = sheet.build_outputs(cat, (paper,))
            except OverFull as exc:
                warn(f"{exc.problems[0]}; the revision sheet is left out (choose fewer cards with "
                     "`cardpress sheet --tag/--category/--only`)")
                skipped.append(sheet.filename(paper))
                return
            yield from out
        return render

    n, d, w = len(cat.cards), len(decked.cards), len(whole.cards)
    units = {"deck": [Unit(60 + 9 * d, deck_unit)] if d else [],
             "sheet": [Unit(180 + 2 * n, sheet_unit(paper)) for paper in sheet.PAPERS] if n else [],
             "worksheets": [Unit(19 * w, lambda skipped: worksheets.iter_worksheets(
                                whole, worksheets.Variant(paper=paper))),
                            Unit(6 * w, lambda skipped: worksheets.iter_worksheets(
                                whole, worksheets.Variant(paper=paper, answers=True), singles=False))]}
    return [u for name, _ in engines() if names is None or name in names for u in units[name]]


@app.command()
@reports_errors
def build(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    out: OutOpt = DEFAULT_OUT,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False, shuffle: ShuffleOpt = False, seed: SeedOpt = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N",
                                             help="processes to render in (default: $CARDPRESS_JOBS, "
                                                  "else every core; 1: one process)")] = None,
    include_drafts: IncludeDraftsOpt = False,
    due: PrintDueOpt = False, within: WithinOpt = None, db: DrillDbOpt = None,
) -> None:
    """Build everything into the output folder: the decks, the revision sheets and the worksheets.

    Nothing is written unless every output renders; each file replaces the old one in a
    single rename, so a failed build leaves the previous outputs as they were.

    Example: cardpress build --catalog cards.toml --out output
    """
    cat = load_catalog(catalog)
    cat = select.apply(cat, selection_from(tag, category, only, skip_mastered, shuffle, seed))
    cat = only_due(cat, due, within, db)
    _note_drafts(cat, include_drafts)
    skipped: list[str] = []
    # The manifest lets the next build remove what this one wrote and it no longer makes
    # (a renamed card's worksheet); a skipped over-full sheet keeps its previous file.
    from cardpress.pipeline.parallel import jobs_wanted

    written = write_outputs(out, stream_engines(cat, skipped=skipped, out=out, jobs=jobs_wanted(jobs),
                                                include_drafts=include_drafts),
                            manifest=True, keep=skipped)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"{plural(len(written), 'file')} from {plural(len(cat.cards), 'card')}")


def _note_drafts(cat: Catalog, include: bool) -> None:
    n = len(cat.drafts)
    if not n:
        return
    if include:
        note(f"{plural(n, 'draft')} on the decks, marked DRAFT; left out of the sheet")
    elif n == len(cat.cards):
        note(f"every card is a draft ({n}): worksheets only, no decks or sheet yet "
             "(`cardpress validate` lists what each lacks)")
    else:
        note(f"{plural(n, 'draft')} left out of the decks and the sheet, on the worksheets "
             "(`cardpress validate` lists what each lacks; --include-drafts puts them on the decks)")


def _register_engine_commands() -> None:
    from cardpress import mark as mark_cmd
    from cardpress.deck import command as deck_cmd
    from cardpress.drill import command as drill_cmd
    from cardpress.grow import command as grow_cmd
    from cardpress.sheet import command as sheet_cmd
    from cardpress.printing import command as print_cmd
    from cardpress.live import command as watch_cmd
    from cardpress.starter import command as init_cmd
    from cardpress.worksheets import command as ws_cmd

    for module in (init_cmd, watch_cmd, deck_cmd, sheet_cmd, ws_cmd, grow_cmd, drill_cmd, mark_cmd, print_cmd):
        module.register(app)


_register_engine_commands()


def _due_ids(*args):
    from cardpress.drill.due import due_ids

    return due_ids(*args)


options.due_ids = _due_ids  # deck --due and build --due ask the drill (a layer above them)


def _only_the_command_run() -> None:
    """typer makes a click command of every registered one, each signature inspected, on every
    run (~15 ms); a run names one, so only it is made. Anything else (--help, --version, a
    misspelt name) keeps them all, for the listing and its suggestions."""
    import sys

    name = sys.argv[1] if len(sys.argv) > 1 else ""
    chosen = [c for c in app.registered_commands
              if (c.name or c.callback.__name__.lower().replace("_", "-")) == name]
    if len(chosen) == 1:
        app.registered_commands[:] = chosen
        app.registered_groups[:] = []
    elif not chosen and name in {g.name for g in app.registered_groups}:
        app.registered_commands[:] = []
        app.registered_groups[:] = [g for g in app.registered_groups if g.name == name]


def main() -> None:
    _only_the_command_run()
    app()
