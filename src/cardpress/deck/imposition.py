"""Imposition: which card goes where on which side of which sheet. Pure geometry.

Coordinates are PDF points with the origin at the sheet's bottom-left; slot (c, r) counts
columns from the left and rows from the top, as a person reads the sheet.

A duplex sheet is turned over about one edge. Turned about a horizontal edge, a point at
height y on the front lies behind height H - y on the back (x unchanged); turned about a
vertical edge, x goes to W - x. So the back's grid is the front's grid mirrored through
that axis, and the card in front slot (c, r) has its back in slot (c, R-1-r) of that
mirrored grid (horizontal edge) or (C-1-c, r) (vertical edge). Mirroring the grid itself,
not only the slot index, keeps an off-centre grid (Avery-style fixed margins) correct.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cardpress.deck.layout_spec import Layout
from cardpress.geometry import Rect  # noqa: F401  (re-exported for the engine's modules)
from cardpress.pdf.page import Rule

FLIPS = ("long", "short")
HORIZONTAL, VERTICAL = "horizontal", "vertical"

# Printers leave roughly this much of the sheet's edge unprinted; marks stop short of it.
PRINTER_MARGIN = 0.2 * 72


CUT_MARK_WIDTH = 0.35


def _cut(x1: float, y1: float, x2: float, y2: float) -> Rule:
    return Rule(x1, y1, x2, y2, "#000000", CUT_MARK_WIDTH)


def flip_axis(sheet_w: float, sheet_h: float, flip: str) -> str:
    """The edge the sheet turns about: "long" is the longer side (horizontal on a landscape sheet)."""
    if flip not in FLIPS:
        raise ValueError(f"flip must be one of {FLIPS}, got {flip!r}")
    landscape = sheet_w >= sheet_h
    if flip == "long":
        return HORIZONTAL if landscape else VERTICAL
    return VERTICAL if landscape else HORIZONTAL


def back_slot(c: int, r: int, columns: int, rows: int, axis: str) -> tuple[int, int]:
    """The back slot of the card in front slot (c, r)."""
    return (c, rows - 1 - r) if axis == HORIZONTAL else (columns - 1 - c, r)


def reflect(rect: Rect, axis: str, sheet_w: float, sheet_h: float) -> Rect:
    """Where `rect` on one face lies on the other face of a sheet turned about `axis`."""
    if axis == HORIZONTAL:
        return Rect(rect.x, sheet_h - rect.y - rect.h, rect.w, rect.h)
    return Rect(sheet_w - rect.x - rect.w, rect.y, rect.w, rect.h)


def edge_words(axis: str, flip: str) -> str:
    """How a person turns the sheet, in words for the instruction line."""
    how = "top to bottom, like a wall calendar" if axis == HORIZONTAL else "left to right, like a book page"
    return f"flip on {flip} edge (turn the sheet over {how})"


@dataclass(frozen=True)
class Placement:
    card: int  # index into the chosen cards
    front: Rect
    back: Rect


class Imposition:
    """The slots and marks of one layout for one flip edge and back offset."""

    def __init__(self, layout: Layout, flip: str = "long", offset: tuple[float, float] = (0.0, 0.0)):
        self.layout = layout
        self.flip = flip
        self.offset = offset
        self.axis = flip_axis(layout.sheet_w, layout.sheet_h, flip)
        L = layout
        # The back grid is the front grid mirrored through the flip axis.
        back_left = L.left if self.axis == HORIZONTAL else L.sheet_w - L.left - L.grid_w
        back_top = L.top if self.axis == VERTICAL else L.sheet_h - L.top - L.grid_h
        self.front_slots = [self._slot(c, r, L.left, L.top) for r in range(L.rows) for c in range(L.columns)]
        dx, dy = offset
        self.back_slots = []  # back_slots[i]: where the back of front slot i goes
        for r in range(L.rows):
            for c in range(L.columns):
                bc, br = back_slot(c, r, L.columns, L.rows, self.axis)
                self.back_slots.append(self._slot(bc, br, back_left, back_top).moved(dx, dy))
        self.front_grid = Rect(L.left, L.sheet_h - L.top - L.grid_h, L.grid_w, L.grid_h)
        self.back_grid = Rect(back_left, L.sheet_h - back_top - L.grid_h, L.grid_w, L.grid_h).moved(dx, dy)

    def _slot(self, c: int, r: int, left: float, top: float) -> Rect:
        L = self.layout
        x = left + c * (L.card_w + L.column_gap)
        y = L.sheet_h - top - (r + 1) * L.card_h - r * L.row_gap
        return Rect(x, y, L.card_w, L.card_h)

    def sheet_count(self, n_cards: int) -> int:
        return math.ceil(n_cards / self.layout.per_sheet)

    def placements(self, sheet: int, n_cards: int) -> list[Placement]:
        """The cards on sheet `sheet` (0-based); a partial last sheet simply has fewer."""
        per = self.layout.per_sheet
        first = sheet * per
        return [Placement(first + i, self.front_slots[i], self.back_slots[i])
                for i in range(min(per, n_cards - first))]

    # ------------------------------------------------------------ marks

    def cut_marks(self, side: str) -> list[Rule]:
        """Marks on the extension of every cut line, outside the block of cards only.

        They sit on all four sides of the block, so after the first cut every piece still
        carries the marks for the cuts that remain (cut the inner lines first).
        """
        L = self.layout
        if not L.cut_marks:
            return []
        grid = self.front_grid if side == "front" else self.back_grid
        xs = self._cut_lines(grid.x, L.columns, L.card_w, L.column_gap)
        ys = self._cut_lines(grid.y, L.rows, L.card_h, L.row_gap)
        room_below, room_above = grid.y - PRINTER_MARGIN, L.sheet_h - PRINTER_MARGIN - grid.top
        room_left, room_right = grid.x - PRINTER_MARGIN, L.sheet_w - PRINTER_MARGIN - grid.right
        marks = []

        def length(room):
            return min(L.cut_length, room - L.cut_gap)

        for x in xs:
            if (n := length(room_above)) > 2:
                marks.append(_cut(x, grid.top + L.cut_gap, x, grid.top + L.cut_gap + n))
            if (n := length(room_below)) > 2:
                marks.append(_cut(x, grid.y - L.cut_gap, x, grid.y - L.cut_gap - n))
        for y in ys:
            if (n := length(room_left)) > 2:
                marks.append(_cut(grid.x - L.cut_gap, y, grid.x - L.cut_gap - n, y))
            if (n := length(room_right)) > 2:
                marks.append(_cut(grid.right + L.cut_gap, y, grid.right + L.cut_gap + n, y))
        return marks

    @staticmethod
    def _cut_lines(start: float, count: int, size: float, gap: float) -> list[float]:
        lines: list[float] = []
        for i in range(count):
            a = start + i * (size + gap)
            for v in (a, a + size):
                if not lines or abs(lines[-1] - v) > 1e-6:
                    lines.append(v)
        return lines

    def instruction_box(self, side: str) -> Rect | None:
        """The strip of top margin above the cards and their marks, or None if the layout has none."""
        L = self.layout
        if not L.instruction:
            return None
        grid = self.front_grid if side == "front" else self.back_grid
        bottom = grid.top + (L.cut_gap + L.cut_length + 3 if L.cut_marks else 3)
        top = L.sheet_h - PRINTER_MARGIN
        left, right = PRINTER_MARGIN * 2, L.sheet_w - PRINTER_MARGIN * 2
        if top - bottom < 8:
            return None
        # One line of text, or two at 6 pt on a narrow portrait sheet: no need for the whole margin.
        return Rect(left, bottom, right - left, min(top - bottom, 14.5))


def cut_mark_warnings(layout, imposition) -> list[str]:
    """A layout that asks for cut marks but leaves no margin for some of them."""
    if not layout.cut_marks:
        return []
    out = []
    # Two marks (one at each end) per distinct cut line, as Imposition.cut_marks draws them.
    lines = (len(imposition._cut_lines(0, layout.columns, layout.card_w, layout.column_gap))
             + len(imposition._cut_lines(0, layout.rows, layout.card_h, layout.row_gap)))
    wanted = 2 * lines
    for side in ("front", "back"):
        got = len(imposition.cut_marks(side))
        if got < wanted:
            out.append(f"layout {layout.name}: no room for {wanted - got} of the {wanted} cut marks on the "
                       f"{side}s (the margin around the cards is too narrow); they are left out"
                       + (f" ({layout.source})" if layout.source else ""))
    return out


def layout_warnings(layouts, flip: str = "long") -> list[str]:
    return [w for lay in layouts for w in cut_mark_warnings(lay, Imposition(lay, flip, (0.0, 0.0)))]
