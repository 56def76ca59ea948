"""Content measured at one size: every item becomes a block of placed lines with a height.

Positions inside a block are relative (x from the block's left edge, baselines measured
down from its top), so the same measured block can be put in any column of any page.
Pagination only ever sees the heights.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress import fonts
from cardpress.sheet.content import BOLD, Item, Section
from cardpress.sheet.geometry import Scale
from cardpress.textfit import Fit, Line, Segment, layout_at, unit_width, wrap_spans

HEADING_FONT = fonts.SANS_BOLD
CONT = " (cont.)"


@dataclass(frozen=True)
class PlacedLine:
    x: float  # from the block's left edge
    baseline: float  # distance below the block's top
    line: Line
    size: float


@dataclass(frozen=True)
class Block:
    """A measured item: its lines, relative to its own top-left corner."""

    item: Item
    height: float
    lines: tuple[PlacedLine, ...]


@dataclass(frozen=True)
class Heading:
    height: float
    lines: tuple[PlacedLine, ...]


@dataclass(frozen=True)
class MeasuredSection:
    section: Section
    heading: Heading
    cont_heading: Heading
    blocks: tuple[Block, ...]
    inset: float  # blocks start this far right of the column's left edge
    pad_top: float  # between the heading and the first block
    pad_bottom: float  # below the last block of each fragment (inside a box)


# DejaVu's ascent and descent are 0.928 and 0.236 em: with the 1.17 leading, a line's
# ink stays between its top and the next line's top, and the last line's descenders
# stay inside the block.
ASCENT = 0.93


def _first_baseline(size: float) -> float:
    """Baseline of a first line below the top: the ascent share, so ascenders stay inside."""
    return size * ASCENT


def measure_item(item: Item, scale: Scale, width: float) -> Block:
    s, lead = scale.size, scale.leading
    lines: list[PlacedLine] = []
    y = 0.0  # top of the next line
    for n, para in enumerate(item.paras):
        if n:
            y += para.space_before * s
        hang = para.hang * s
        wrapped = wrap_spans(list(para.spans), s, width - hang)
        # A line with a tall formula is pushed down by what the formula reaches above its
        # room and pushes the next one by what it reaches below (textfit.Fit.extra).
        fit = Fit(s, lead, tuple(wrapped))
        shift = 0.0
        if para.label:
            first = fit.extra(wrapped[0])[0] if wrapped else 0.0
            label = Line((Segment(para.label, BOLD, 0.0),), unit_width(para.label, BOLD))
            lines.append(PlacedLine(0.0, y + _first_baseline(s) + first, label, s))
        for k, line in enumerate(wrapped):
            above, below = fit.extra(line)
            lines.append(PlacedLine(hang, y + _first_baseline(s) + k * lead + shift + above, line, s))
            shift += above + below
        y += len(wrapped) * lead + shift
    # The last line's leading below its baseline is kept: it is the descender room.
    return Block(item, round(y, 6), tuple(lines))


def measure_heading(text: str, scale: Scale, width: float) -> Heading:
    """A heading band: padded lines of bold text; long titles wrap rather than shrink."""
    size = scale.heading_size
    fit = layout_at([(text, HEADING_FONT)], size, width, scale.heading_leading / size)
    pad = scale.band_pad
    lines, shift = [], 0.0
    for k, line in enumerate(fit.lines):
        above, below = fit.extra(line)  # a title's formula pushes the leading, as in measure_item
        lines.append(PlacedLine(0.0, pad + _first_baseline(size) + k * fit.leading + shift + above, line, size))
        shift += above + below
    lines = tuple(lines)
    return Heading(round(2 * pad + fit.height, 6), lines)


def heading_text(section: Section) -> str:
    return f"{section.label}  {section.title}" if section.label else section.title


def measure_section(section: Section, scale: Scale, column_width: float) -> MeasuredSection:
    if section.kind == "category":
        inset = scale.card_inset
        text_width = column_width - inset
        head_width = column_width - 2 * scale.band_pad
        pad_top, pad_bottom = scale.item_gap * 0.7, 0.0
    else:
        inset = scale.box_pad
        text_width = column_width - 2 * scale.box_pad
        head_width = column_width - 2 * scale.box_pad
        pad_top, pad_bottom = scale.box_pad, scale.box_pad
    title = heading_text(section)
    return MeasuredSection(
        section,
        measure_heading(title, scale, head_width),
        measure_heading(title + CONT, scale, head_width),
        tuple(measure_item(item, scale, text_width) for item in section.items),
        inset, pad_top, pad_bottom,
    )
