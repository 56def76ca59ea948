"""Content measured at one size: every item becomes a block of placed lines with a height.

Positions inside a block are relative (x from the block's left edge, baselines measured
down from its top), so the same measured block can be put in any column of any page.
Pagination only ever sees the heights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from cardpress.typeset import fonts
from cardpress.sheet.content import BODY, BOLD, Item, Section
from cardpress.sheet.geometry import Scale
from cardpress.typeset import breaker
from cardpress.typeset.textfit import (
    Fit, Line, Segment, formula_overruns, layout_at, line_count, unit_width, wrap_spans,
)

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
    rules: tuple[tuple[float, float, float], ...] = ()  # (x1, y below the top, x2): a table's rules
    lead: float = 0.0  # extra space above when the block does not start a column
    # A formula (or a piece of one cut at an operator) wider than the column at this size:
    # (TeX, points over, width). The size search counts such a size as not fitting (issue 21).
    overrun: tuple[str, float, float] | None = None


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


# The sheet's paragraphs are justified (Knuth-Plass, breaker.optimal) and hyphenated in the
# catalog's language; table cells and headings are set ragged.
JUSTIFY = True


def _setting(para, lang: str | None) -> tuple[bool, str | None]:
    """(justify, hyphenation language) for a paragraph: a title (every span bold, such as a
    protocol paper's "Rafailov 2023 — Direct Preference Optimization (DPO)") is set ragged
    and unhyphenated, as a heading is; justified, it opened wide gaps and broke "Op-timization"."""
    if para.spans and all(font == BOLD for _, font in para.spans):
        return False, None
    return JUSTIFY, lang


def measure_item(item: Item, scale: Scale, width: float, lang: str | None = None) -> Block:
    s, lead = scale.size, scale.leading
    lines: list[PlacedLine] = []
    overrun = None
    y = 0.0  # top of the next line
    for n, para in enumerate(item.paras):
        if n:
            y += para.space_before * s
        ps = round(s * para.scale, 4)
        plead = lead * para.scale
        hang = para.hang * ps
        justify, plang = _setting(para, lang)
        wrapped = wrap_spans(list(para.spans), ps, width - hang, break_hyphens=True, break_math=True, lang=plang,
                             justify=justify)
        fit = Fit(ps, plead, tuple(wrapped))
        if overrun is None and any("\\(" in text or "\\[" in text for text, _ in para.spans):
            over = formula_overruns(fit, width - hang)
            if over:
                overrun = (over[0][0], over[0][1], round(width - hang, 2))
        if para.label:
            first = fit.extra(wrapped[0])[0] if wrapped else 0.0
            label = Line((Segment(para.label, BOLD, 0.0),), unit_width(para.label, BOLD))
            lines.append(PlacedLine(0.0, y + _first_baseline(ps) + first, label, ps))
        placed, shift = _placed(fit, hang, y)
        lines += placed
        y += len(wrapped) * plead + shift
    rules: list[tuple[float, float, float]] = []
    if item.table is not None:
        y = _measure_table(item.table, scale, width, y + 0.2 * s, lines, rules)
    # The last line's leading below its baseline is kept: it is the descender room.
    return Block(item, round(y, 6), tuple(lines), tuple(rules), round(item.lead * s, 6), overrun)


def item_height(item: Item, scale: Scale, width: float, lang: str | None = None) -> float | None:
    """measure_item(item, scale, width).height from the breaker's line counts alone (the
    same breaks, no lines built), the same sums in the same order (pagination compares
    heights to the last float); None for an item with a formula (a tall one pushes the
    leading) or a table, which only measure_item measures."""
    if item.table is not None:
        return None
    s, lead = scale.size, scale.leading
    y = 0.0
    for n, para in enumerate(item.paras):
        if n:
            y += para.space_before * s
        ps = round(s * para.scale, 4)
        if breaker.paragraph(para.spans, lang, True).has_math:
            return None
        justify, plang = _setting(para, lang)
        count = line_count(para.spans, ps, width - para.hang * ps, break_hyphens=True, lang=plang, justify=justify)
        y += count * (lead * para.scale) + 0.0
    return round(y, 6)


def measured_heights(item: Item, scale: Scale, width: float, lang: str | None = None) -> Block:
    """A Block with measure_item's height and no lines: enough for pagination, not for drawing."""
    h = item_height(item, scale, width, lang)
    return measure_item(item, scale, width, lang) if h is None else Block(item, h, (), (), round(item.lead * scale.size, 6))


CELL_GAP = 0.7  # ems between table columns


def _column_widths(heads, rows, size: float, width: float) -> list[float]:
    """Widths that give each column room in proportion to its longest cell, every column at
    least as wide as its longest word where that can be, filling `width`."""
    k = len(heads)
    room = width - (k - 1) * CELL_GAP * size
    cells = [heads] + list(rows)
    natural = [max(unit_width(row[c], BOLD if r == 0 else BODY) for r, row in enumerate(cells)) * size
               for c in range(k)]
    if sum(natural) <= room:
        extra = (room - sum(natural)) / k
        return [n + extra for n in natural]
    floor = [_longest_word(heads, rows, c) * size for c in range(k)]
    spare = room - sum(floor)
    if spare < 0:
        return [room * f / sum(floor) for f in floor]
    want = [max(n - f, 0.0) for n, f in zip(natural, floor)]
    total = sum(want) or 1.0
    return [f + spare * x / total for f, x in zip(floor, want)]


def _measure_table(table, scale: Scale, width: float, y: float, lines: list, rules: list) -> float:
    """Rows of wrapped cells from `y` down; a rule under the head row and between rows.

    A table too wide for the column as it stands keeps its first column as a bold line
    over each row (a stub), so the other columns share the full width.
    """
    s, lead = scale.size, scale.leading
    heads, rows = tuple(table.columns), [tuple(r) for r in table.rows]
    stub = len(heads) >= 3 and _too_wide(heads, rows, s, width)
    if stub:
        heads, stubs, rows = heads[1:], [r[0] for r in rows], [r[1:] for r in rows]
    widths = _column_widths(heads, rows, s, width)
    xs = [sum(widths[:c]) + c * CELL_GAP * s for c in range(len(widths))]
    for r, row in enumerate([heads] + rows):
        font = BOLD if r == 0 else BODY
        if stub and r == 0:
            # The stub column's own head ("Strategy") over the head row, as its cells are.
            for line in wrap_spans([(table.columns[0], BOLD)], s, width, break_hyphens=True):
                lines.append(PlacedLine(0.0, y + _first_baseline(s), line, s))
                y += lead
        if stub and r > 0:
            for k, line in enumerate(wrap_spans([(stubs[r - 1], BOLD)], s, width, break_hyphens=True)):
                lines.append(PlacedLine(0.0, y + _first_baseline(s), line, s))
                y += lead
        tallest = 1
        for c, cell in enumerate(row):
            wrapped = wrap_spans([(cell, font)], s, widths[c], break_hyphens=True)
            tallest = max(tallest, len(wrapped))
            for k, line in enumerate(wrapped):
                lines.append(PlacedLine(xs[c], y + _first_baseline(s) + k * lead, line, s))
        y += tallest * lead + 0.15 * s
        if r < len(rows):
            rules.append((0.0, y - 0.05 * s, width))
        y += 0.1 * s
    return y


def _too_wide(heads, rows, size: float, width: float) -> bool:
    """True when some column would be narrower than its longest word."""
    widths = _column_widths(heads, rows, size, width)
    return any(w < _longest_word(heads, rows, c) * size - 1e-6 for c, w in enumerate(widths)) or any(
        w < 0 for w in widths)


def _placed(fit: Fit, x: float, top: float) -> tuple[list[PlacedLine], float]:
    """A fit's lines placed from `top` down, and how much their formulas pushed the leading:
    a line with a tall formula is pushed down by what the formula reaches above its room and
    pushes the next one by what it reaches below (textfit.Fit.extra)."""
    placed, shift = [], 0.0
    for k, line in enumerate(fit.lines):
        above, below = fit.extra(line)
        placed.append(PlacedLine(x, top + _first_baseline(fit.size) + k * fit.leading + shift + above, line, fit.size))
        shift += above + below
    return placed, shift


def _longest_word(heads, rows, c: int) -> float:
    return max(unit_width(w, BOLD if r == 0 else BODY) for r, row in enumerate([heads] + rows)
               for w in row[c].replace("-", "- ").split())


def measure_heading(text: str, scale: Scale, width: float) -> Heading:
    """A heading band: padded lines of bold text; long titles wrap rather than shrink."""
    size = scale.heading_size
    fit = layout_at([(text, HEADING_FONT)], size, width, scale.heading_leading / size)
    pad = scale.band_pad
    lines, _ = _placed(fit, 0.0, pad)  # a title's formula pushes the leading too
    return Heading(round(2 * pad + fit.height, 6), tuple(lines))


def heading_text(section: Section) -> str:
    return f"{section.label}  {section.title}" if section.label else section.title


def _text_width(section: Section, scale: Scale, column_width: float) -> float:
    """The width a section's items are set in: the column less the card's inset or the box's padding."""
    if section.kind == "category":
        return column_width - scale.card_inset
    if section.kind == "topic":
        return column_width
    return column_width - 2 * scale.box_pad


def measure_section(section: Section, scale: Scale, column_width: float, heights_only: bool = False,
                    lang: str | None = None) -> MeasuredSection:
    """Every item measured for a column; with `heights_only`, blocks carry their heights
    but (where line counts give them) no lines: for a check that draws nothing."""
    measure = measured_heights if heights_only else measure_item
    if section.kind == "category":
        inset = scale.card_inset
        head_width = column_width - 2 * scale.band_pad
        pad_top, pad_bottom = scale.item_gap * 0.7, 0.0
    elif section.kind == "topic":
        inset = 0.0
        head_width = column_width - 2 * scale.band_pad
        pad_top, pad_bottom = scale.item_gap * 0.5, 0.0
    else:
        inset = scale.box_pad
        head_width = column_width - 2 * scale.box_pad
        pad_top, pad_bottom = scale.box_pad, scale.box_pad
    text_width = _text_width(section, scale, column_width)
    title = heading_text(section)
    return MeasuredSection(
        section,
        measure_heading(title, scale, head_width),
        measure_heading(title + CONT, scale, head_width),
        tuple(measure(item, scale, text_width, lang) for item in section.items),
        inset, pad_top, pad_bottom,
    )


def item_heights(section: Section, scale: Scale, column_width: float, lang: str | None = None) -> Iterator[float]:
    """The heights of measure_section(..., heights_only=True)'s blocks, one at a time: a
    caller that has seen enough stops measuring (validate's check of over-full content)."""
    width = _text_width(section, scale, column_width)
    for item in section.items:
        yield measured_heights(item, scale, width, lang).height
