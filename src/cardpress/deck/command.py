"""The `cardpress deck` and `cardpress calibrate` commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cardpress.catalog import select
from cardpress.catalog import load_catalog
from cardpress.errors import CardpressError, Problem
from cardpress.options import (
    DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, CategoryOpt, DrillDbOpt, IncludeDraftsOpt, OnlyOpt, OutOpt,
    PrintDueOpt, SeedOpt, ShuffleOpt, SkipMasteredOpt, TagOpt, WithinOpt, only_due, reports_errors, warn,
    without_drafts,
)
from cardpress.catalog.select import selection_from
from cardpress.files.staging import write_outputs
from cardpress.units import MM, parse_offset

if TYPE_CHECKING:
    from cardpress.deck.layout_spec import Layout

# The deck engine (and through it reportlab) is imported inside each command, so that
# registering these commands costs `cardpress --help` and the other commands nothing.

MAX_BACK_OFFSET = 10 * MM

LayoutOpt = Annotated[Optional[list[str]], typer.Option(
    "--layout", "-l", metavar="NAME|PATH", show_default=False,
    help="A built-in layout (index-3x5, letter-4up, a4-4up, letter-3up) or the path of your own "
         "layout .toml; repeat for several. Default: $CARDPRESS_LAYOUT, else the catalog's "
         "[defaults] layout, else index-3x5, letter-4up and a4-4up.")]
FlipOpt = Annotated[Optional[str], typer.Option(
    "--flip", metavar="long|short", show_default=False,
    help="The sheet edge your printer turns the paper over: long (the usual duplex default) or short. "
         "Default: $CARDPRESS_FLIP, else the catalog's [defaults] flip, else long.")]
OffsetOpt = Annotated[Optional[str], typer.Option(
    "--back-offset", metavar="DX,DY",
    help="Move every back by DX,DY (e.g. 0.5mm,-1mm; +DX right, +DY up, seen from the back) to cancel "
         "your printer's misregistration. Read it off the calibration sheet.")]


def _flip(flip: str) -> str:
    from cardpress.deck.imposition import FLIPS

    flip = flip.strip().lower()
    if flip not in FLIPS:
        raise CardpressError(Problem(f"--flip must be long or short, not `{flip}`{select.near(flip, FLIPS)}"))
    return flip


def _offset(text: str | None) -> tuple[float, float]:
    if not text:
        return (0.0, 0.0)
    try:
        dx, dy = parse_offset(text)
    except ValueError as exc:
        raise CardpressError(Problem(f"--back-offset: {exc}")) from None
    # Printer misregistration is a few millimetres; centimetres mean a unit slip ("5in" for "5mm").
    if max(abs(dx), abs(dy)) > MAX_BACK_OFFSET:
        raise CardpressError(Problem(
            f"--back-offset: {text} moves the backs more than 10 mm; printers misregister by a few "
            "millimetres (did you mean mm?). Read the offset off `cardpress calibrate`."))
    return dx, dy


def _offset_fits(text: str | None, offset: tuple[float, float], layout: Layout, flip: str) -> None:
    """Refuse an offset that would move any of the backs' ink (text, pairing marks, cut
    marks) into the strip printers leave blank, or push the instruction line out of the
    top margin; the message gives the layout's limits for this flip (deck.reach)."""
    if not any(offset):
        return
    import math

    from cardpress.deck.layout_spec import SAFE_EDGE
    from cardpress.deck.reach import back_room, blocked, instruction_need

    room = back_room(layout, flip)
    dx, dy = offset
    for value, axis, way in ((dx, "DX", "right" if dx > 0 else "left"), (dy, "DY", "up" if dy > 0 else "down")):
        limit = room.limit[way]
        if abs(value) > limit + 1e-6:
            # Rounded down, so the number in the message is itself accepted.
            shown = math.floor(limit / MM * 10 + 1e-6) / 10
            stop = room.stop[way]
            why = (f"the instruction line would no longer fit in the top margin" if stop == "the instruction line"
                   else f"{stop} must stay {SAFE_EDGE:g} pt ({SAFE_EDGE / MM:.1f} mm) from the sheet's edge, "
                        "which printers leave blank")
            raise CardpressError(Problem(
                f"--back-offset {text}: at most {shown:.1f} mm on this layout ({layout.name}, "
                f"{axis} {way}, flip on {flip} edge): {why}. This layout and flip allow {room.words()}"))
    what = blocked(layout, flip, offset, instruction_need(layout, flip))
    if what is not None:  # each axis within its limit, but not both together
        raise CardpressError(Problem(
            f"--back-offset {text}: too far on this layout ({layout.name}, flip on {flip} edge) for {what}. "
            f"This layout and flip allow {room.words()}"))


def register(app: typer.Typer) -> None:
    @app.command()
    @reports_errors
    def deck(
        layout: LayoutOpt = None,
        flip: FlipOpt = None,
        back_offset: OffsetOpt = None,
        fronts_only: Annotated[bool, typer.Option(
            "--fronts-only", help="Write only the fronts, to deck-<layout>-fronts.pdf (printers without duplex).")] = False,
        cmyk: Annotated[bool, typer.Option(
            "--cmyk", help="Write DeviceCMYK for a print shop (black and greys on K alone).")] = False,
        backs_only: Annotated[bool, typer.Option(
            "--backs-only", help="Write only the backs, to deck-<layout>-backs.pdf. With --fronts-only: both halves.")] = False,
        catalog: CatalogOpt = DEFAULT_CATALOG,
        out: OutOpt = DEFAULT_OUT,
        tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
        skip_mastered: SkipMasteredOpt = False, shuffle: ShuffleOpt = False, seed: SeedOpt = None,
        include_drafts: IncludeDraftsOpt = False,
        due: PrintDueOpt = False, within: WithinOpt = None, db: DrillDbOpt = None,
    ) -> None:
        """Print the duplex index-card deck: the paper on the front; summary and three numbers on the back.

        Each card's front and back carry the same pairing mark (07/17), and each sheet's
        margin says which edge to flip on. Files: deck-3x5.pdf, deck-letter.pdf,
        deck-a4.pdf, deck-letter-3up.pdf, or deck-<output>.pdf for your own layout
        (the layout file's `output` key, else its `name`); --fronts-only/--backs-only add
        -fronts/-backs. Nothing is written unless every card fits.

        Example: cardpress deck --layout letter-4up --flip long --back-offset 0.5mm,-1mm --tag scaling

        Example: cardpress deck --layout my-4x6.toml --skip-mastered --shuffle --seed 7

        Example: cardpress deck --due --within 7d --layout index-3x5   (this week's cards from the drill)
        """
        from cardpress.pdf import paint  # noqa: F401 (loaded with the engine, below)
        from cardpress import startup
        from cardpress.deck.assemble import SIDES, DeckRequest, deck_pdf
        from cardpress.deck.imposition import layout_warnings
        from cardpress.deck.layout_spec import DEFAULT_LAYOUTS, load_layout

        from cardpress.catalog.settings import pick

        startup.loaded()  # the engine and the painter are in: the collector may run (cardpress.startup)
        whole = load_catalog(catalog)
        flip_edge, offset = _flip(pick("flip", flip, whole.defaults) or "long"), _offset(back_offset)
        default = pick("layout", None, whole.defaults, whole.path)
        layouts = [load_layout(name) for name in (layout or ([default] if default else DEFAULT_LAYOUTS))]
        for message in layout_warnings(layouts, flip_edge):
            warn(message)
        for lay in layouts:
            _offset_fits(back_offset, offset, lay, flip_edge)
        names = [lay.output for lay in layouts]
        if len(set(names)) != len(names):
            raise CardpressError(Problem(f"two layouts write the same file name: {', '.join(names)}"))
        halves = [s for s, on in (("front", fronts_only), ("back", backs_only)) if on]
        side_sets = [(h,) for h in halves] or [SIDES]
        cat = without_drafts(whole, "the decks", include_drafts, flag=True)
        cat = select.apply(cat, selection_from(tag, category, only, skip_mastered, shuffle, seed))
        cat = only_due(cat, due, within, db)
        outputs = [deck_pdf(cat, DeckRequest(lay, flip_edge, offset, sides, cmyk))
                   for lay in layouts for sides in side_sets]
        for path in write_outputs(out, outputs):
            typer.echo(f"wrote {path}")
        typer.echo(f"{len(cat.cards)} cards, flip on {flip_edge} edge")

    @app.command()
    @reports_errors
    def calibrate(
        layout: Annotated[Optional[str], typer.Option(
            "--layout", "-l", metavar="NAME|PATH", show_default=False,
            help="The layout to calibrate (built-in name or .toml path) [default: $CARDPRESS_LAYOUT, else "
                 "the catalog's [defaults] layout, else letter-4up].")] = None,
        flip: FlipOpt = None,
        back_offset: OffsetOpt = None,
        out: OutOpt = DEFAULT_OUT,
    ) -> None:
        """Write a two-sided test sheet to check the flip edge, print scale and back offset.

        Print calibrate-<layout>.pdf two-sided at 100%. The bars must measure 100 mm and
        4 in; held up to a light, each 'back of A1' must sit behind 'FRONT A1' (if not,
        use the other --flip). On the back, read where the front crosshair (seen through
        the paper) crosses the DX and DY millimetre scales: pass those readings as
        --back-offset DXmm,DYmm, and reprint with them to check.

        Example: cardpress calibrate --layout a4-4up --flip long

        Example: cardpress calibrate --layout letter-4up --back-offset 0.5mm,-1mm
        """
        from cardpress.deck.calibrate import calibration_pdf
        from cardpress.deck.layout_spec import load_layout

        from cardpress.options import found_catalog
        from cardpress.catalog.settings import pick, read_defaults

        where = found_catalog(None) if layout is None or flip is None else None
        defaults = read_defaults(where) if where is not None else None
        layout = pick("layout", layout, defaults, where) or "letter-4up"
        lay, flip_edge, offset = load_layout(layout), _flip(pick("flip", flip, defaults) or "long"), _offset(back_offset)
        _offset_fits(back_offset, offset, lay, flip_edge)
        output = calibration_pdf(lay, flip_edge, offset)
        for path in write_outputs(out, [output]):
            typer.echo(f"wrote {path}")
