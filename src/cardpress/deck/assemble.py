"""A deck PDF from a catalog and a layout: imposition + faces as pages of records, sheet by sheet.

Pages are made one at a time while the painter draws them (`deck_pages` is a generator)
and dropped once painted, so memory grows with the PDF reportlab is building, not with
per-card layout objects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from cardpress.typeset import breaker, fonts
from cardpress.typeset.textfit import fit_spans, layout_at
from cardpress.catalog.model import Catalog
from cardpress.deck.faces import DRAFT_MARK, FaceLayout, pairing_mark
from cardpress.deck.imposition import Imposition, edge_words
from cardpress.deck.layout_spec import Layout
from cardpress.deck.faces import text_box
from cardpress.errors import CardpressError, Problem
from cardpress.files.output import Output
from cardpress.pdf.page import Bookmark, Group, Page, Text

SIDES = ("front", "back")
INSTRUCTION_SIZES = (8.0, 6.0)  # never below 6 pt, like every text cardpress prints


@dataclass(frozen=True)
class DeckRequest:
    layout: Layout
    flip: str = "long"
    offset: tuple[float, float] = (0.0, 0.0)
    sides: tuple[str, ...] = SIDES  # ("front",) or ("back",) for one half
    cmyk: bool = False  # DeviceCMYK, black on K alone (for a print shop)

    @property
    def relpath(self) -> str:
        suffix = "" if self.sides == SIDES else f"-{self.sides[0]}s"
        return f"deck-{self.layout.output}{suffix}.pdf"


def is_card_page(layout: Layout) -> bool:
    """A layout whose page is one card (index-3x5): the page is cut to its own size."""
    return (layout.columns == layout.rows == 1 and abs(layout.card_w - layout.sheet_w) < 1e-6
            and abs(layout.card_h - layout.sheet_h) < 1e-6)


def offset_words(offset: tuple[float, float]) -> str:
    mm = 72 / 25.4
    return f"backs shifted {offset[0] / mm:+.2f} mm, {offset[1] / mm:+.2f} mm"


def instruction(req: DeckRequest, imp: Imposition, side: str, sheet: int, sheets: int) -> str:
    edge = edge_words(imp.axis, req.flip)
    where = f"sheet {sheet + 1} of {sheets}"
    if req.sides == SIDES:
        head = f"{side.upper()} of {where}. Print at actual size / 100% (not 'fit to page'), two-sided, {edge}."
    elif side == "front":
        head = (f"FRONTS, {where}. Print at actual size / 100% (not 'fit to page'); then put the stack back in "
                f"and print the backs file on the other side, {edge.replace('flip on', 'turned on the')}.")
    else:
        head = f"BACKS, {where}. Print at actual size / 100% on the back of the printed fronts, {edge}."
    if side == "back" and any(req.offset):
        head += f" {offset_words(req.offset)}."
    if side == "front" and imp.layout.cut_marks:
        head += " Cut the inner lines first."
    return head


def _instruction(req: DeckRequest, imp: Imposition, side: str, sheet: int, sheets: int,
                 sizes: dict) -> Text | None:
    """The sheet's instruction line, its size searched once per deck and side.

    Sheets' lines differ only in the sheet number, and the size search reads nothing but
    the words' widths (all digits are one width in DejaVu Sans), so a size found for the
    same widths is reused: the size the search would find again, without searching.
    """
    box = imp.instruction_box(side)
    if box is None:
        return None
    spans = ((instruction(req, imp, side, sheet, sheets), fonts.SANS),)
    par = breaker.paragraph(spans)
    key = (side, par.has_math, par.run.widths)
    if key in sizes:
        fit = layout_at(spans, sizes[key], box.w, 1.2)
    else:
        fit = fit_spans(spans, box.w, box.h, *INSTRUCTION_SIZES, 1.2)
        if fit is None:
            raise CardpressError(Problem(
                "the sheet's top margin is too narrow for the instruction line; set [marks] instruction = false",
                file=req.layout.source))
        sizes[key] = fit.size
    return text_box(fit, box.x, box.top, box.w, "center", "#333333")


def check_room(req: DeckRequest) -> Imposition:
    imp = Imposition(req.layout, req.flip, req.offset)
    if req.layout.instruction:
        for side in req.sides:
            if imp.instruction_box(side) is None:
                raise CardpressError(Problem(
                    f"no room in the top margin for the instruction line on the {side}s "
                    "(set [marks] instruction = false, or lower the grid)", file=req.layout.source))
    return imp


def deck_pages(catalog: Catalog, req: DeckRequest, imp: Imposition) -> Iterator[Page]:
    """Every page of the deck, front then back per sheet, made as they are asked for."""
    cards = catalog.cards
    faces = FaceLayout(req.layout)
    categories = {c.name: c for c in catalog.category_order(cards)}
    total = len(cards)
    sheets = imp.sheet_count(total)
    outline_side = req.sides[0]
    size = (req.layout.sheet_w, req.layout.sheet_h)
    instruction_sizes: dict = {}
    for sheet in range(sheets):
        placed = imp.placements(sheet, total)
        # Lay out both faces of the sheet before either page is made, so an overflow stops before any paint.
        laid = []
        for p in placed:
            card = cards[p.card]
            cat, mark = categories[card.category], pairing_mark(p.card + 1, total)
            if card.draft:  # on the deck only with --include-drafts: marked on both faces
                mark = f"{DRAFT_MARK} {mark}"
            laid.append((p, card, mark,
                         faces.front(card, cat, mark) if "front" in req.sides else None,
                         faces.back(card, cat, mark) if "back" in req.sides else None))
        for side in req.sides:
            records: list = []
            for p, card, mark, front, back in laid:
                slot = p.front if side == "front" else p.back
                if side == outline_side:
                    records.append(Bookmark(f"card{p.card}", f"{mark} {card.heading}", slot.x, slot.top))
                records.append(Group((front if side == "front" else back).items, origin=(slot.x, slot.y)))
            marks = imp.cut_marks(side)
            if marks:
                # The same on every sheet of a side: drawn once, then referenced.
                records.append(Group(tuple(marks), form=f"cutmarks-{side}"))
            line = _instruction(req, imp, side, sheet, sheets, instruction_sizes)
            if line is not None:
                records.append(line)
            yield Page(*size, tuple(records))


def deck_pdf(catalog: Catalog, req: DeckRequest) -> Output:
    """The deck for the catalog's cards (already chosen and ordered) in one layout."""
    if not catalog.cards:
        raise CardpressError(Problem("no cards to print", file=str(catalog.path)))
    imp = check_room(req)
    total = len(catalog.cards)
    halves = {"front": " (fronts only)", "back": " (backs only)"}
    half = "" if req.sides == SIDES else halves[req.sides[0]]
    from cardpress.pdf.paint import pdf  # the painter (and reportlab's canvas) only when a PDF is made

    try:
        return pdf(
            req.relpath, deck_pages(catalog, req, imp), (req.layout.sheet_w, req.layout.sheet_h),
            title=f"{catalog.deck.title} — {req.layout.name} deck{half}",
            author=catalog.deck.author,
            subject=f"{total} cards; {req.layout.description} Duplex: flip on {req.flip} edge.",
            duplex=req.flip if req.sides == SIDES else "simplex", cmyk=req.cmyk,
            trim=is_card_page(req.layout),
        )
    except CardpressError as exc:
        # Faces know the card, not the file: name the catalog so the message says where to look.
        raise CardpressError([replace(p, file=p.file or str(catalog.path)) for p in exc.problems],
                             hint=exc.hint) from None
