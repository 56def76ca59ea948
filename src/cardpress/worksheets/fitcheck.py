"""Does a protocol worksheet fit? The answer layout._first_fitting gives, at a fraction of the cost.

A side fits when its blocks' minimum heights (their Needs) fit the page at some body
size: the blocks are built as the layout builds them, but never placed. And the answer
depends on few of a sheet's values, which most cards share (catalog-wide defaults where
a card has no protocol content), so it is worked out once per distinct set of them:

- side one: the outcome, the phases (their hints name the card's figures), read and skip;
  its header is a fixed height whatever the paper says;
- side two: its header's height (one line of author, year and title unless the title
  wraps) and every box below it, except that the facilitator's recall box, whose
  answers each take one line, is told apart only by how many answers it holds.

tests/test_fitcheck.py checks these claims against layout._header and layout._recall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cardpress.typeset import fonts
from cardpress.typeset.textfit import line_count
from cardpress.catalog.model import Card, Catalog
from cardpress.worksheets.content import Paper, ProtocolSheet, protocol_sheet, recall_values
from cardpress.worksheets.geometry import MARGIN, share_lines
from cardpress.worksheets.layout import PAD, SIZES, _header, protocol_sides

# layout._header's side-two reminder: one line of this width, at 10 pt down to 8.5 pt, in a
# 20 pt band (taller only when the line wraps).
HEADER_TWO = 20.0
HEADER_TWO_TEXT_ROOM = 160.0
HEADER_TWO_SMALLEST = 8.5


def header_two_height(paper: Paper, width: float) -> float:
    """layout._header(paper, width, prefix, 2).need.fixed."""
    return _header_two_height(paper.author, paper.year, paper.title, width, lambda: paper)


def _header_two_height(author: str, year: int, title: str, width: float, paper) -> float:
    words = f"{author} {year} — {title}"
    if line_count([(words, fonts.SANS_BOLD)], HEADER_TWO_SMALLEST, width - HEADER_TWO_TEXT_ROOM) == 1:
        return HEADER_TWO
    return _header(paper(), width, "", 2).need.fixed


def recall_key(values: tuple, width: float):
    """What of layout._recall's values decides its height: with every answer on one line
    at the largest body size (and so at every smaller one), only their number."""
    if any(v is None for v in values):
        return values
    size = SIZES[0]
    room = width - 2 * PAD - size * 1.6  # the paragraphs' width, less the bullets' hanging indent
    if all(line_count([(v, fonts.COND)], size, room) == 1 for v in values):
        return len(values)
    return values


def _side_fits(make, page: tuple[float, float]) -> bool:
    """Whether _first_fitting(make, page, ...) finds a size (the smallest first: it is the likeliest)."""
    room = page[1] - 2 * MARGIN
    return any(share_lines([b.need for b in make(size)], room) is not None for size in reversed(SIZES))


@dataclass
class ProtocolFit:
    """Remembers, per page size, which sets of sides fit."""

    page: tuple[float, float]
    _one: dict = field(default_factory=dict)
    _two: dict = field(default_factory=dict)
    _sheets: dict = field(default_factory=dict)
    _ids: dict = field(default_factory=dict)  # a number for each distinct set of boxes

    def fits(self, sheet: ProtocolSheet) -> bool:
        """True iff layout.protocol_pages(sheet, page) lays out both sides."""
        p = sheet.paper
        return self._fits(self._keys(sheet), p.author, p.year, p.title, sheet.recall, lambda: sheet)

    def card_fits(self, catalog: Catalog, card: Card, answers: bool) -> bool:
        """fits(protocol_sheet(catalog, card, answers)), with the sheet built once per distinct
        protocol: it depends on the card only through its protocol, its paper and, in the
        recall box, its numbers (tests/test_fitcheck.py checks that)."""
        keys = self._sheets.get((card.protocol, answers))
        if keys is None:
            keys = self._sheets[(card.protocol, answers)] = self._keys(protocol_sheet(catalog, card, answers))
        recall = recall_values(card, answers)
        return self._fits(keys, card.author, card.year, card.title, recall,
                          lambda: protocol_sheet(catalog, card, answers))

    def _keys(self, sheet: ProtocolSheet) -> tuple[int, int]:
        """Side one's boxes and side two's below the header, each as a number (hashing the
        boxes themselves for every card would cost more than the rest of the check)."""
        one = (sheet.outcome, sheet.phases, sheet.read, sheet.skip)
        two = (sheet.claim, sheet.pairs, sheet.extras, sheet.grading, sheet.followups)
        return self._ids.setdefault(one, len(self._ids)), self._ids.setdefault(two, len(self._ids))

    def _fits(self, keys: tuple[int, int], author: str, year: int, title: str, recall: tuple, real) -> bool:
        width = self.page[0] - 2 * MARGIN
        one = keys[0]
        two = (keys[1], _header_two_height(author, year, title, width, lambda: real().paper),
               recall_key(recall, width))
        ok1, ok2 = self._one.get(one), self._two.get(two)
        if ok1 is None or ok2 is None:
            side_one, side_two, _ = protocol_sides(real(), self.page)
            if ok1 is None:
                ok1 = self._one[one] = _side_fits(side_one, self.page)
            if ok2 is None:
                ok2 = self._two[two] = _side_fits(side_two, self.page)
        return ok1 and ok2
