"""Where marks reach: a check over the page records that no text or formula leaves its slot.

A slot is a rectangle a mark must stay inside: a card on a deck sheet, a column of the
revision sheet, a page. Each text line and formula is checked against the innermost slot
that holds its origin (its left end on the baseline); a mark no slot holds is checked
against the page. Issue 21 found formulas drawn off the card, into the next card's
summary and past the page edge; the engines now refuse a formula wider than its place,
and this check is how the tests (and anyone) prove nothing slipped through.

Extents: a formula's are its box (mathtext's ink: width, ascent, descent); a text line's
are its width and DejaVu's ascent and descent (0.93 and 0.24 em), which hold every glyph
the catalog's text faces draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from cardpress.geometry import Rect
from cardpress.pdf.page import Formula, Group, Page, Text, TextLine

TEXT_ASCENT, TEXT_DESCENT = 0.93, 0.24
TOLERANCE = 0.01  # points: below what a printer resolves


@dataclass(frozen=True)
class Stray:
    """A mark that leaves its slot, and by how much (points, the largest side)."""

    what: str  # the text, or the formula's TeX
    rect: Rect
    slot: Rect
    over: float

    def __str__(self) -> str:
        return f"{self.what!r} reaches {self.over:.2f} pt outside its slot {self.slot} (ink {self.rect})"


def marks(records: Iterable, dx: float = 0.0, dy: float = 0.0) -> Iterator[tuple[str, Rect, tuple[float, float]]]:
    """(what, extent, origin) of every text line and formula, in page coordinates."""
    for r in records:
        if isinstance(r, Group):
            ox, oy = r.origin or (0.0, 0.0)
            yield from marks(r.records, dx + ox, dy + oy)
        elif isinstance(r, Text):
            yield from marks(r.lines, dx, dy)
        elif isinstance(r, TextLine):
            if r.line.segments and r.text.strip():
                s = r.size
                yield (r.text, Rect(r.x + dx, r.baseline + dy - TEXT_DESCENT * s, r.width, (TEXT_ASCENT + TEXT_DESCENT) * s),
                       (r.x + dx, r.baseline + dy))
        elif isinstance(r, Formula):
            yield (getattr(r.box, "tex", "") or r.box.text, r.rect.moved(dx, dy), (r.x + dx, r.baseline + dy))


def _holds(slot: Rect, point: tuple[float, float]) -> bool:
    x, y = point
    return slot.x - TOLERANCE <= x <= slot.right + TOLERANCE and slot.y - TOLERANCE <= y <= slot.top + TOLERANCE


def _over(slot: Rect, r: Rect) -> float:
    return max(slot.x - r.x, r.right - slot.right, slot.y - r.y, r.top - slot.top, 0.0)


def strays(page: Page, slots: Iterable[Rect] = ()) -> list[Stray]:
    """Every mark on `page` that leaves the smallest of `slots` holding its origin (or the page)."""
    slots = sorted(slots, key=lambda s: s.w * s.h)
    whole = Rect(0.0, 0.0, page.width, page.height)
    out = []
    for what, rect, origin in marks(page.records):
        slot = next((s for s in slots if _holds(s, origin)), whole)
        over = _over(slot, rect)
        if over > TOLERANCE:
            out.append(Stray(what, rect, slot, round(over, 3)))
    return out
