"""Page geometry as plain numbers: the items a page is made of, ruled lines, space sharing.

Points, origin at the bottom left as in PDF. Nothing here draws: pages are page-model
records (cardpress.pdf.page) that cardpress.pdf.paint draws. Tests check the numbers directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cardpress.pdf import page
from cardpress.pdf.page import Box, CheckBox, Page, Rule, Text, TextField  # noqa: F401  (the engine's vocabulary)
from cardpress.typeset.textfit import Fit
from cardpress.units import INCH
from cardpress.geometry import Rect  # noqa: F401  (re-exported for the engine's modules)

# Handwriting needs room: US wide-ruled paper is 11/32 in; 5/16 in (7.9 mm) still takes
# a normal hand and leaves the page its six phases. Never below 0.3 in (7.6 mm).
LINE_PITCH = 0.3125 * INCH
MARGIN = 0.5 * INCH
GAP = 6.0  # between blocks stacked on a page
GUTTER = 10.0  # between boxes side by side
MIN_TEXT = 8.0  # nothing printed smaller than this
# Typed answers: about half the pitch, like a hand's x-height to line spacing, so typed
# and handwritten lines look alike.
FIELD_TEXT = 11.0
# A single-line field's box: viewers centre typed text vertically in it, so a box little
# taller than the text puts the baseline just above the rule the box stands on.
FIELD_BOX = 15.0


# The page model's records as this engine uses them: framed boxes, writing lines, fitted texts.

def frame(rect: Rect, stroke: str | None = "#8a8a8a", fill: str | None = None, line_width: float = 0.6) -> Box:
    return Box(rect.x, rect.y, rect.w, rect.h, fill, stroke, line_width)


def hrule(x1: float, x2: float, y: float, color: str = "#b4b4b4", line_width: float = 0.5) -> Rule:
    """A horizontal line at height y: a writing line, or the rule under a label."""
    return Rule(x1, y, x2, y, color, line_width)


def text(x: float, top: float, width: float, fit: Fit, color: str = "#000000", align: str = "left") -> Text:
    """Fitted lines whose first line's top is at `top`; they occupy `fit.height` below it."""
    return page.text(fit, x, top, width, align, color)


def ruled_lines(area: Rect, pitch: float = LINE_PITCH) -> list[float]:
    """The y of each writing line in `area`, top down: one per full pitch of height.

    The first line sits one pitch below the top, so every line has a full pitch of
    room above it for the letters written on it.
    """
    n = int(math.floor(area.h / pitch + 1e-6))
    return [area.top - (i + 1) * pitch for i in range(n)]


def line_fields(name: str, area: Rect, tooltip: str, pitch: float = LINE_PITCH) -> list[TextField]:
    """One single-line field per writing line of `area`, named `name.1`, `name.2`, … top down.

    A multi-line field can't follow printed rules (viewers pick their own line spacing), so
    each line gets its own field, its box standing on the rule: typed text sits on the line.
    """
    return [TextField(f"{name}.{i}", Rect(area.x, y + 0.5, area.w, FIELD_BOX), False,
                      f"{tooltip}, line {i}" if tooltip else "", FIELD_TEXT)
            for i, y in enumerate(ruled_lines(area, pitch), 1)]


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
