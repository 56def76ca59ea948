"""How far the backs may move: every mark on the back counts, not only the cards' text.

A back offset moves the whole back face: the cards, their pairing marks and formulas
(all inside each card's safe area), and the cut marks around the block. The instruction
line stays put under the top edge, but the block moving up eats the room it sits in.
An offset is allowed when, on the back,

- every card's safe area (where its text, marks and formulas are laid out) and every cut
  mark's ink (its width included) stays SAFE_EDGE + INK_SLACK from the sheet's edges, and
- the instruction line, if the layout has one, still fits at its smallest size.

The limits are found by bisection on that predicate (each part only gets worse the
further the block moves), so a mark added later counts as soon as it is in `_clearances`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cardpress.deck.imposition import Imposition
from cardpress.deck.layout_spec import INK_SLACK, SAFE_EDGE, Layout
from cardpress.units import MM

WAYS = ("left", "right", "down", "up")  # seen from the back, like --back-offset
_UNIT = {"left": (-1, 0), "right": (1, 0), "down": (0, -1), "up": (0, 1)}
SEARCH = 10 * MM  # = deck.command.MAX_BACK_OFFSET: no offset is larger, so no limit needs to be


def _clear(layout: Layout, left: float, bottom: float, right: float, top: float) -> float:
    return min(left, bottom, layout.sheet_w - right, layout.sheet_h - top)


def _clearances(imp: Imposition) -> dict[str, float]:
    """The smallest distance from each kind of back ink to the sheet's edge."""
    L, s = imp.layout, imp.layout.safe
    out = {"the cards' text": min(_clear(L, r.x + s, r.y + s, r.right - s, r.top - s) for r in imp.back_slots)}
    marks = imp.cut_marks("back")
    if marks:
        # A rule's ink is its length and, across it, half its width each side (butt caps).
        out["the cut marks"] = min(
            _clear(L, min(m.x1, m.x2) - (m.width / 2 if m.x1 == m.x2 else 0),
                   min(m.y1, m.y2) - (m.width / 2 if m.y1 == m.y2 else 0),
                   max(m.x1, m.x2) + (m.width / 2 if m.x1 == m.x2 else 0),
                   max(m.y1, m.y2) + (m.width / 2 if m.y1 == m.y2 else 0)) for m in marks)
    return out


@dataclass(frozen=True)
class Room:
    """The largest offset each way (points, >= 0) and what stops each."""

    limit: dict[str, float]
    stop: dict[str, str]

    def words(self) -> str:
        mm = {w: math.floor(self.limit[w] / MM * 10 + 1e-6) / 10 for w in WAYS}
        return (f"DX from -{mm['left']:.1f} to +{mm['right']:.1f} mm, "
                f"DY from -{mm['down']:.1f} to +{mm['up']:.1f} mm")


def blocked(layout: Layout, flip: str, offset: tuple[float, float], instruction_need: float) -> str | None:
    """What the offset pushes into the blank strip (or out of the top margin), or None."""
    imp = Imposition(layout, flip, offset)
    for what, clear in _clearances(imp).items():
        if clear < SAFE_EDGE + INK_SLACK - 1e-6:
            return what
    if layout.instruction:
        box = imp.instruction_box("back")
        if box is None or box.h < instruction_need - 1e-6:
            return "the instruction line"
    return None


def instruction_need(layout: Layout, flip: str) -> float:
    """The height the back's instruction line takes at its smallest size, for the longest
    line any deck prints (three-digit sheet numbers, a two-digit offset, either half)."""
    from cardpress.typeset import fonts
    from cardpress.deck.assemble import INSTRUCTION_SIZES, SIDES, DeckRequest, instruction
    from cardpress.typeset.textfit import height_at

    if not layout.instruction:
        return 0.0
    imp = Imposition(layout, flip)
    box_w = imp.instruction_box("front")
    width = box_w.w if box_w is not None else layout.sheet_w
    need = 0.0
    for sides in (SIDES, ("back",)):
        req = DeckRequest(layout, flip, (-10 * MM, -10 * MM), sides)
        text = instruction(req, imp, "back", 998, 999)
        need = max(need, height_at([(text, fonts.SANS)], INSTRUCTION_SIZES[-1], width, 1.2))
    return need


def back_room(layout: Layout, flip: str) -> Room:
    """How far the backs may move each way before any back ink breaks the rule."""
    need = instruction_need(layout, flip)
    limit, stop = {}, {}
    for way in WAYS:
        ux, uy = _UNIT[way]
        what = blocked(layout, flip, (ux * SEARCH, uy * SEARCH), need)
        if what is None:
            limit[way], stop[way] = SEARCH, ""
            continue
        if blocked(layout, flip, (0.0, 0.0), need) is not None:
            limit[way], stop[way] = 0.0, what
            continue
        lo, hi = 0.0, SEARCH  # lo allowed, hi not
        while hi - lo > 1e-4:
            mid = (lo + hi) / 2
            if blocked(layout, flip, (ux * mid, uy * mid), need) is None:
                lo = mid
            else:
                hi = mid
        limit[way], stop[way] = lo, blocked(layout, flip, (ux * hi, uy * hi), need) or what
    return Room(limit, stop)
