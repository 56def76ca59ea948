"""Page geometry as plain numbers: the items a page is made of, ruled lines, space sharing.

Points, origin at the bottom left as in PDF. Nothing here draws; `render` paints these
items one by one and decides nothing. Tests check the numbers directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cardpress.textfit import Fit
from cardpress.units import INCH
from cardpress.geometry import Rect  # noqa: F401  (re-exported for the engine's modules)

# Handwriting needs room: US wide-ruled paper is 11/32 in; 5/16 in (7.9 mm) still takes
# a normal hand and leaves the page its six phases. Never below 0.3 in (7.6 mm).
LINE_PITCH = 0.3125 * INCH
MARGIN = 0.5 * INCH
GAP = 6.0  # between blocks stacked on a page
GUTTER = 10.0  # between boxes side by side
MIN_TEXT = 8.0  # nothing printed smaller than this


@dataclass(frozen=True)
class Text:
    """Fitted lines whose first line's top is at `top`; they occupy `fit.height` below it."""

    x: float
    top: float
    width: float
    fit: Fit
    color: str = "#000000"
    align: str = "left"

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.top - self.fit.height, self.width, self.fit.height)


@dataclass(frozen=True)
class Frame:
    rect: Rect
    stroke: str | None = "#8a8a8a"
    fill: str | None = None
    line_width: float = 0.6


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float
    color: str = "#b4b4b4"
    line_width: float = 0.5

    @property
    def rect(self) -> Rect:
        return Rect(self.x1, self.y, self.x2 - self.x1, 0.0)


@dataclass(frozen=True)
class CheckBox:
    name: str
    rect: Rect  # square
    tooltip: str = ""


@dataclass(frozen=True)
class TextField:
    name: str
    rect: Rect
    multiline: bool = True
    tooltip: str = ""


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    items: tuple

    @property
    def fields(self) -> list:
        return [i for i in self.items if isinstance(i, (CheckBox, TextField))]

    @property
    def content(self) -> Rect:
        return Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, self.height - 2 * MARGIN)


def item_rect(item) -> Rect:
    return item.rect


def ruled_lines(area: Rect, pitch: float = LINE_PITCH) -> list[float]:
    """The y of each writing line in `area`, top down: one per full pitch of height.

    The first line sits one pitch below the top, so every line has a full pitch of
    room above it for the letters written on it.
    """
    n = int(math.floor(area.h / pitch + 1e-6))
    return [area.top - (i + 1) * pitch for i in range(n)]


def lines_for(height: float, pitch: float = LINE_PITCH) -> int:
    """How many writing lines it takes to give `height` points of room."""
    return max(0, math.ceil(height / pitch - 1e-6))


@dataclass(frozen=True)
class Need:
    """A block's claim on a page's height: `fixed` points plus `lines` writing lines."""

    fixed: float
    lines: int
    grows: bool = True

    def height(self, lines: int, pitch: float = LINE_PITCH) -> float:
        return self.fixed + lines * pitch


def share_lines(needs: list[Need], available: float, gap: float = GAP, pitch: float = LINE_PITCH,
                cap: int | None = None) -> list[int] | None:
    """Line counts per block so the stack fills `available`, or None if even the minimum overflows.

    Spare height goes out one line at a time, round robin over the blocks that grow
    (in list order, so put the most important first); a block gets at most `cap` lines
    more than its minimum.
    """
    used = sum(n.height(n.lines, pitch) for n in needs) + gap * max(0, len(needs) - 1)
    if used > available + 1e-6:
        return None
    lines = [n.lines for n in needs]
    growers = [i for i, n in enumerate(needs) if n.grows]
    spare = int(math.floor((available - used) / pitch + 1e-6))
    while spare > 0 and growers:
        progressed = False
        for i in growers:
            if spare == 0:
                break
            if cap is not None and lines[i] - needs[i].lines >= cap:
                continue
            lines[i] += 1
            spare -= 1
            progressed = True
        if not progressed:
            break
    return lines


def overflow(needs: list[Need], available: float, gap: float = GAP, pitch: float = LINE_PITCH) -> float:
    """Points by which the minimum stack is taller than `available` (<= 0 when it fits)."""
    return sum(n.height(n.lines, pitch) for n in needs) + gap * max(0, len(needs) - 1) - available
