"""Page geometry and the type scale: every distance on the sheet, as plain numbers.

One body size drives the whole scale (headings, gaps, paddings are multiples of it), so
the size search changes one number and everything stays in proportion. The column count
follows the size: the smaller the type, the more columns, keeping the line length near
a readable measure instead of stretching small type across wide columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress.typeset import fonts
from cardpress.typeset.textfit import ASCENT_SHARE, unit_width
from cardpress.units import INCH, PAPER

PAGES = 4
CEILING = 9.0
FLOOR = 6.0
STEP = 0.05  # fine steps: the chosen size fills the four pages to within a line or two

MARGIN = 0.4 * INCH  # inside the unprintable border of common printers, with room to spare
COLUMN_GAP = 0.17 * INCH
MIN_COLUMNS, MAX_COLUMNS = 3, 4
# Fewest average characters per line a column may hold; below this, use fewer columns.
MIN_MEASURE = 40

HEADER_SIZE = 12.0  # the page title: above the largest section head (1.3 x the 9 pt ceiling)
HEADER_INFO_SIZE = 7.0
FOOTER_SIZE = 6.5
HEADER_GAP = 5.0  # between the header rule and the first column
FOOTER_GAP = 5.0

# Representative prose for "average character width" (the catalog's own register).
_SAMPLE = ("Contrastive image-text pretraining on 400M web pairs produces a vision encoder with "
           "zero-shot transfer competitive with supervised ImageNet across dozens of tasks.")


def average_char(font: str = fonts.COND) -> float:
    """Average character width at 1 pt in `font` over representative text."""
    return unit_width(_SAMPLE, font) / len(_SAMPLE)


@dataclass(frozen=True)
class Scale:
    """Every size-dependent distance of the sheet, derived from the body size."""

    size: float

    @property
    def leading(self) -> float:
        return round(self.size * 1.15, 4)

    @property
    def heading_size(self) -> float:
        return round(self.size * 1.3, 4)

    @property
    def heading_leading(self) -> float:
        return round(self.heading_size * 1.15, 4)

    @property
    def band_pad(self) -> float:
        """Padding above and below the text of a heading band."""
        return round(self.size * 0.28, 4)

    @property
    def item_gap(self) -> float:
        return round(self.size * 0.5, 4)

    @property
    def point_gap(self) -> float:
        """Between the points of a topic (concept bullets, answers): they read as one list."""
        return round(self.size * 0.22, 4)

    @property
    def group_gap(self) -> float:
        return round(self.size * 1.1, 4)

    @property
    def card_bar(self) -> float:
        """Width of the coloured bar down a card's left edge."""
        return round(self.size * 0.22, 4)

    @property
    def card_inset(self) -> float:
        return round(self.size * 0.7, 4)

    @property
    def box_pad(self) -> float:
        return round(self.size * 0.5, 4)


@dataclass(frozen=True)
class Frame:
    """The text area of every page, in PDF points (origin bottom left)."""

    paper: str
    page_width: float
    page_height: float
    left: float
    right: float
    top: float  # y of the top of the columns
    bottom: float  # y of the bottom of the columns
    header_baseline: float
    header_rule: float
    footer_baseline: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def frame(paper: str) -> Frame:
    width, height = PAPER[paper]
    header_baseline = height - MARGIN - HEADER_SIZE * ASCENT_SHARE  # as in page.placed_lines
    header_rule = header_baseline - HEADER_SIZE * 0.3
    footer_baseline = MARGIN + FOOTER_SIZE * 0.25
    return Frame(paper, width, height, MARGIN, width - MARGIN,
                 top=header_rule - HEADER_GAP, bottom=footer_baseline + FOOTER_SIZE + FOOTER_GAP,
                 header_baseline=header_baseline, header_rule=header_rule,
                 footer_baseline=footer_baseline)


def column_width(fr: Frame, n: int) -> float:
    return (fr.width - (n - 1) * COLUMN_GAP) / n


def columns_for(size: float, fr: Frame) -> int:
    """The most columns (within 3..4) whose lines still average MIN_MEASURE characters."""
    char = average_char() * size
    for n in range(MAX_COLUMNS, MIN_COLUMNS, -1):
        if column_width(fr, n) / char >= MIN_MEASURE:
            return n
    return MIN_COLUMNS


def column_lefts(fr: Frame, n: int) -> list[float]:
    w = column_width(fr, n)
    return [fr.left + i * (w + COLUMN_GAP) for i in range(n)]


def sizes() -> list[float]:
    """Candidate body sizes from the floor to the ceiling."""
    n = int(round((CEILING - FLOOR) / STEP))
    return [round(FLOOR + i * STEP, 4) for i in range(n + 1)]
