"""The whole sheet laid out: the size search, then every box, rule and line on its page.

The result is a page-model Page (cardpress.pdf.page) per sheet page, in PDF coordinates;
cardpress.pdf.paint draws them. Colours are data here (a category's colour, a grey); whether
they print in colour or black is the painter's business, so --mono never changes the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress.typeset import fonts
from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, OverFull, Problem
from cardpress.pdf.canvas import OutlineEntry
from cardpress.pdf.page import INK, Box, Page, Rule, Text, TextLine, lines_record
from cardpress.sheet import geometry as geo
from cardpress.sheet.blocks import MeasuredSection, PlacedLine, item_heights, measure_section
from cardpress.sheet.content import Section, sheet_sections
from cardpress.sheet.paginate import Attempt, Column, Group, Search, TooTall, balance, flow, search_size
from cardpress.typeset.textfit import ASCENT_SHARE, MATH_OPEN, Line, Segment, fit_text, unit_width

BAND_TEXT_LIGHT = "#ffffff"
BOX_FILL = "#e4e4e4"
BOX_STROKE = "#8c8c8c"
RULE = "#b4b4b4"
HEADER_INFO = "#444444"

NOTES_TITLE = "Notes"
NOTES_RULE_SPACING = 0.28 * 72  # about 7 mm: handwriting room
MIN_NOTES_HEIGHT = 4 * NOTES_RULE_SPACING


def _text(x: float, baseline: float, line: Line, size: float, color: str = INK) -> Text:
    """One line of the sheet as a Text record (every sheet text is one line at a known baseline);
    a line with formulas becomes a Group of its Text and Formula records."""
    return lines_record((TextLine(x, baseline, size, line),), color)


Op = Box | Rule | Text




@dataclass(frozen=True)
class SheetLayout:
    paper: str
    pagesize: tuple[float, float]
    size: float  # the chosen body size
    columns_per_page: int
    passes: int
    pages: tuple[Page, ...]
    notes_areas: tuple[tuple[int, float, float, float, float], ...]  # (page, x, y, w, h)
    outline: tuple[OutlineEntry, ...] = ()  # a bookmark per section head and notes area


def band_text_color(hex_color: str) -> str:
    """White on dark bands, black on light ones (catalog colours are user data)."""
    r, g, b = (int(hex_color[k:k + 2], 16) for k in (1, 3, 5))
    return BAND_TEXT_LIGHT if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else INK


class _Pass:
    """Everything measured at one size: kept so the chosen pass is not measured twice."""

    def __init__(self, sections: list[Section], fr: geo.Frame, size: float, heights_only: bool = False,
                 lang: str | None = None):
        self.scale = geo.Scale(size)
        self.n = geo.columns_for(size, fr)
        self.col_width = geo.column_width(fr, self.n)
        self.measured = [measure_section(s, self.scale, self.col_width, heights_only, lang) for s in sections]
        self.groups = [Group(m.heading.height, m.cont_heading.height, tuple(b.height for b in m.blocks),
                             m.pad_top, m.pad_bottom,
                             self.scale.point_gap if m.section.kind == "topic" else self.scale.item_gap,
                             tuple(b.lead for b in m.blocks), tuple(b.item.keep for b in m.blocks))
                       for m in self.measured]
        self.capacity = fr.height
        # A formula wider than its column at this size: the size does not fit (issue 21).
        self.overruns = [(g, k, b) for g, m in enumerate(self.measured) for k, b in enumerate(m.blocks)
                         if b.overrun is not None]
        self.overrun = self.overruns[0] if self.overruns else None
        if self.overrun is not None:
            g, k, _ = self.overrun
            self.attempt = Attempt(size, self.n, self.capacity, (), TooTall(g, k, float("inf"), self.capacity))
            return
        try:
            cols = flow(self.groups, self.capacity, self.scale.group_gap, max_columns=None)
            self.attempt = Attempt(size, self.n, self.capacity, tuple(cols))
        except TooTall as exc:
            self.attempt = Attempt(size, self.n, self.capacity, (), exc)


def _over_full(catalog: Catalog, fr: geo.Frame, floor: _Pass) -> CardpressError:
    cats = catalog.category_order(catalog.cards)
    example = f"--category {cats[0].short} " if len(cats) > 1 else ""
    hint = ("Choose fewer cards: --tag TAG, --category NAME, --only ID,ID or --skip-mastered "
            f"(e.g. cardpress sheet {example}--skip-mastered), or fewer sections (--sections cards,answers).")
    a = floor.attempt
    file = str(catalog.path)
    if floor.overrun is not None:  # every formula too wide, each named once
        problems = []
        for _, _, block in floor.overruns:
            tex, over, width = block.overrun
            problems.append(Problem(
                f"the formula \\({tex}\\) is {over:.1f} pt wider than the revision sheet's {width:.1f} pt column "
                f"at the {geo.FLOOR:g} pt floor, even cut before its operators; shorten it or split it into two "
                f"formulas", file=file, card=block.item.card_id, field=_field_of(catalog, block.item.card_id, tex),
                item=None if block.item.card_id else block.item.name))
        return CardpressError(problems)
    if a.too_tall is not None:
        m = floor.measured[a.too_tall.group]
        block = m.blocks[a.too_tall.item]
        return CardpressError(Problem(
            f"is {a.too_tall.need / a.too_tall.capacity:.1f} columns tall at the {geo.FLOOR:g} pt floor "
            f"of the revision sheet; a block must fit in one column ({a.too_tall.capacity:.0f} pt); shorten it",
            file=file, card=block.item.card_id, field=None if block.item.card_id else block.item.name))
    over = a.pages - geo.PAGES
    card_heights = [b.height + floor.scale.item_gap for m in floor.measured
                    if m.section.kind == "category" for b in m.blocks]
    per_card = sum(card_heights) / len(card_heights) if card_heights else 0
    what = f"{len(catalog.cards)} card{'s' if len(catalog.cards) != 1 else ''}"
    page_area = a.columns_per_page * a.capacity
    shares: dict[str, float] = {}
    for m, g in zip(floor.measured, floor.groups):
        height = g.head + g.pad_top + g.pad_bottom + sum(g.items) + sum(g.leads) + g.item_gap * (len(g.items) - 1)
        shares[m.section.choice] = shares.get(m.section.choice, 0.0) + height / page_area
    if len(shares) > 1:
        what += " with " + ", ".join(f"{name} ({pages:.1f} pages)" for name, pages in shares.items())
    fewer = ""
    if per_card:
        n = int(-(-over * page_area // per_card))
        # Never more than the cards there are (a 5,000-card catalog once heard "5375 fewer").
        fewer = f"; drop roughly {min(max(n, 1), len(catalog.cards))} cards"
        if len(shares) > 1:
            fewer += " or leave sections out with --sections"
    return OverFull(Problem(
        f"the revision sheet does not fit on {geo.PAGES} pages: {what} "
        f"need about {over:.1f} more pages at the {geo.FLOOR:g} pt floor "
        f"({a.pages:.1f} pages in all){fewer}", file=file), hint=hint)


# What a page holds, as its running head names it (by the sections' --sections choice).
RUNNING_HEADS = {"concepts": "LLM concepts", "tables": "At a glance", "answers": "Model answers",
                 "cards": "Papers", "method": "Protocol", "protocols": "Protocol papers",
                 "followups": "Follow-ups", "papers": "Further papers", "checklist": "Checklist"}


def running_head(sections: list[Section]) -> str:
    """The names of what a page holds, in the order it holds them: "LLM concepts · At a glance"."""
    names: list[str] = []
    for sec in sections:
        name = RUNNING_HEADS.get(sec.choice, sec.title)
        if name not in names:
            names.append(name)
    return " · ".join(names)


def _header_ops(catalog: Catalog, fr: geo.Frame, page: int, head: str = "") -> list[Op]:
    """The running head (what the page holds) on the left, the deck's title and what the
    document is on the right, over a rule. The deck title must fit one line of the header."""
    info = f"{catalog.deck.title} · revision sheet · {len(catalog.cards)} card{'s' if len(catalog.cards) != 1 else ''}"
    info_w = unit_width(info, fonts.SANS) * geo.HEADER_INFO_SIZE
    room = fr.width * 0.55  # the deck's title and the sheet's: at most this much of the header
    if info_w > room:
        raise CardpressError(Problem(f"the deck title is too long for the revision sheet's header "
                                     f"(one line of {room:.0f} pt at {geo.HEADER_INFO_SIZE:g} pt)",
                                     file=str(catalog.path), field="deck.title"))
    ops: list[Op] = []
    title_room = fr.width - info_w - 12
    words = head.split(" · ")
    while head:
        fit = fit_text(head, fonts.SANS_BOLD, title_room, geo.HEADER_SIZE * 1.2, geo.HEADER_SIZE, geo.FLOOR)
        if fit is not None and len(fit.lines) == 1:
            ops.append(_text(fr.left, fr.header_baseline, fit.lines[0], fit.size))
            break
        words = words[:-1]  # a page of many kinds names the first ones
        head = " · ".join(words) + (" …" if words else "")
    ops.append(_text(fr.right - info_w, fr.header_baseline,
                    Line((Segment(info, fonts.SANS, 0.0),), unit_width(info, fonts.SANS)),
                    geo.HEADER_INFO_SIZE, HEADER_INFO))
    ops.append(Rule(fr.left, fr.header_rule, fr.right, fr.header_rule, INK, 0.7))
    return ops


def _footer_ops(catalog: Catalog, fr: geo.Frame, page: int, legend: list[tuple[str, str]]) -> list[Op]:
    """Page number on the right; on the left a key of category colours and labels."""
    size = geo.FOOTER_SIZE
    label = f"page {page + 1} of {geo.PAGES}"
    label_w = unit_width(label, fonts.SANS) * size
    ops: list[Op] = [_text(fr.right - label_w, fr.footer_baseline,
                          Line((Segment(label, fonts.SANS, 0.0),), unit_width(label, fonts.SANS)), size)]
    room = fr.width - label_w - 12
    swatch = size * 0.8

    def entries(with_names: bool, bold: str, regular: str, gap: float):
        out, x = [], 0.0
        for short, name, color in legend:
            spans = [Segment(short, bold, 0.0)]
            w = unit_width(short, bold)
            if with_names:
                spans.append(Segment(" " + name, regular, w))
                w += unit_width(" " + name, regular)
            out.append((x, color, Line(tuple(spans), w)))
            x += swatch + 2 + w * size + gap
        return out, x - gap

    # Each category named in full on every page; the condensed face before the labels alone.
    for args in ((True, fonts.SANS_BOLD, fonts.SANS, 9), (True, fonts.COND_BOLD, fonts.COND, 6),
                 (False, fonts.SANS_BOLD, fonts.SANS, 9)):
        placed, total = entries(*args)
        if total <= room:
            for x, color, line in placed:
                ops.append(Box(fr.left + x, fr.footer_baseline - 0.5, swatch, swatch, fill=color))
                ops.append(_text(fr.left + x + swatch + 2, fr.footer_baseline, line, size))
            break
    return ops


def _lines_ops(lines: tuple[PlacedLine, ...], x: float, top: float, color: str = INK) -> list[Op]:
    return [_text(x + pl.x, top - pl.baseline, pl.line, pl.size, color) for pl in lines]


# Vertical rhythm: every gap is a fixed multiple of the body size (geometry.Scale: between
# items, between a topic's points, around headings), the same in every column of a page;
# nothing is stretched to make columns end level. The columns are balanced (paginate.balance:
# the shortest height that holds the content) and each ends where its last block ends, the
# rest of its height left white at the foot.


def _column_ops(col: Column, x: float, top: float, width: float, p: _Pass) -> list[Op]:
    ops: list[Op] = []
    scale = p.scale
    for frag in col.fragments:
        m: MeasuredSection = p.measured[frag.group]
        grp = p.groups[frag.group]
        sec = m.section
        y = top - frag.top
        head = m.cont_heading if frag.cont else m.heading
        if sec.kind in ("category", "topic"):
            ops.append(Box(x, y - head.height, width, head.height, fill=sec.color))
            ops += _lines_ops(head.lines, x + scale.band_pad, y, band_text_color(sec.color))
        else:
            ops.append(Box(x, y - frag.height, width, frag.height, stroke=BOX_STROKE, line_width=0.6))
            ops.append(Box(x, y - head.height, width, head.height, fill=BOX_FILL, stroke=BOX_STROKE,
                           line_width=0.6))
            ops += _lines_ops(head.lines, x + scale.box_pad, y)
        by = y - head.height - grp.pad_top
        for k in range(frag.first, frag.end):
            block = m.blocks[k]
            if k > frag.first:
                by -= block.lead
            if sec.kind == "category":
                ops.append(Box(x, by - block.height, scale.card_bar, block.height, fill=sec.color))
            ops += [_text(x + m.inset + pl.x, by - pl.baseline, pl.line, pl.size) for pl in block.lines]
            for x1, ry, x2 in block.rules:
                ops.append(Rule(x + m.inset + x1, by - ry, x + m.inset + x2, by - ry, RULE, 0.4))
            by -= block.height + grp.item_gap
    return ops


def _notes_ops(x: float, top: float, w: float, h: float, scale_size: float) -> list[Op]:
    """A boxed, ruled area for handwriting."""
    size = geo.FOOTER_SIZE + 1.5
    title = Line((Segment(NOTES_TITLE, fonts.SANS_BOLD, 0.0),), unit_width(NOTES_TITLE, fonts.SANS_BOLD))
    ops: list[Op] = [Box(x, top - h, w, h, stroke=BOX_STROKE, line_width=0.6),
                     _text(x + 4, top - 4 - size * ASCENT_SHARE, title, size)]
    y = top - 4 - size * 1.2 - NOTES_RULE_SPACING
    while y > top - h + NOTES_RULE_SPACING * 0.4:
        ops.append(Rule(x + 4, y, x + w - 4, y, RULE, 0.4))
        y -= NOTES_RULE_SPACING
    return ops


def _field_of(catalog: Catalog, card_id: str | None, tex: str) -> str | None:
    """The field of the card whose text holds the formula (a piece of it, when cut), for messages."""
    card = next((c for c in catalog.cards if c.id == card_id), None)
    if card is None:
        return None
    fields = [("summary", card.summary or "")]
    fields += [(f"numbers[{i}].{k}", getattr(n, k) or "") for i, n in enumerate(card.numbers) for k in ("figure", "text")]
    pp = getattr(card, "protocol", None)
    if pp is not None:
        fields += [(f"protocol.{k}", getattr(pp, k, None) or "") for k in ("equation", "equation_note")]
    return next((name for name, text in fields if tex in text), None)


def check(catalog: Catalog, paper: str, sections: list[Section] | None = None) -> None:
    """Raise what lay_out(catalog, paper) raises, and nothing else, without laying it out.

    lay_out refuses when neither the ceiling nor the floor fits (search_size tries those
    first), so the floor is measured first, heights only: when it fits, nothing is wrong.
    When it does not, the ceiling is measured too, as lay_out would. The over-full message
    comes from the floor's heights, as lay_out's does.
    """
    fr = geo.frame(paper)
    if sections is None:  # the same for every paper: a caller checking both may pass them in
        sections = sheet_sections(catalog, None)
    lang = catalog.deck.lang
    floor = _Pass(sections, fr, geo.FLOOR, True, lang)
    if floor.overrun is not None:  # a formula must fit a column at the floor, where any sheet may end up
        raise _over_full(catalog, fr, floor)
    if not floor.attempt.fits:
        if _heavier_than_the_sheet(sections, fr, geo.CEILING, lang) or not _Pass(sections, fr, geo.CEILING, True,
                                                                                   lang).attempt.fits:
            raise _over_full(catalog, fr, floor)
    _header_ops(catalog, fr, 0)  # the deck title must fit the header


def _heavier_than_the_sheet(sections: list[Section], fr: geo.Frame, size: float, lang: str | None) -> bool:
    """True when the items' own heights at `size` (the pass's, from the same breaker) add up
    to more than all the sheet's columns hold: each item sits whole in one column, so such
    content can never fit. Items are measured one at a time and the sum stops as soon as it
    is over, so a catalog far too big for the sheet is not measured to its end."""
    scale = geo.Scale(size)
    n = geo.columns_for(size, fr)
    room = geo.PAGES * n * (fr.height + 1e-6)
    total = 0.0
    for section in sections:
        # A section's sum as sum() makes it, item by item; a part of it already over is
        # over whatever the rest adds (no height is negative), so measuring stops there.
        part = 0
        for height in item_heights(section, scale, geo.column_width(fr, n), lang):
            part += height
            if total + part > room:
                return True
        total += part
    return False


def lay_out(catalog: Catalog, paper: str, choose: tuple[str, ...] | None = None) -> SheetLayout:
    """Choose the size, flow the content, level the columns and place every mark.

    Content that needs less than the largest size fills all four pages: it is balanced over
    every column of the sheet, so no page is left short and nothing becomes a notes page.
    Content that fits at the largest size leaves genuine room; that room becomes notes.
    """
    fr = geo.frame(paper)
    sections = sheet_sections(catalog, choose)
    passes: dict[float, _Pass] = {}

    # The search only needs heights (line counts from the same breaker as a full measure,
    # tests/test_sheet_heights.py), so only the chosen size is measured line by line.
    def attempt(size: float) -> Attempt:
        passes[size] = _Pass(sections, fr, size, True, catalog.deck.lang)
        return passes[size].attempt

    search: Search = search_size(geo.sizes(), attempt)
    if search.chosen is None:
        raise _over_full(catalog, fr, passes[search.floor.size])
    p = _Pass(sections, fr, search.chosen.size, lang=catalog.deck.lang)
    n = p.n
    columns = list(p.attempt.columns)
    lefts = geo.column_lefts(fr, n)
    full = p.scale.size < geo.CEILING

    if full and columns:
        # Every column of the sheet to one level: the shortest height holding it all.
        level, columns = balance(p.groups, (0, 0), geo.PAGES * n, p.capacity, p.scale.group_gap)
        content_pages = [columns[k * n:(k + 1) * n] for k in range(geo.PAGES)]
        levels = [level] * geo.PAGES
        # What reaches the last page is balanced again over its own columns, so they too end level.
        last = max(k for k, cols in enumerate(content_pages) if cols)
        first = content_pages[last][0].fragments[0]
        levels[last], content_pages[last] = balance(p.groups, (first.group, first.first), n, level,
                                                    p.scale.group_gap)
    else:
        # Balance the last page that holds content; everything after it is room for notes.
        last_page = (len(columns) - 1) // n if columns else 0
        content_pages = [columns[k * n:(k + 1) * n] for k in range(last_page + 1)]
        levels = [p.capacity] * len(content_pages)
        if columns:
            first = content_pages[-1][0].fragments[0]
            levels[-1], content_pages[-1] = balance(p.groups, (first.group, first.first), n, p.capacity,
                                                    p.scale.group_gap)

    legend = [(c.short, c.name, c.color) for c in catalog.category_order(catalog.cards)]
    pages, notes, outline = [], [], []
    for page in range(geo.PAGES):
        held = [p.measured[f.group].section for col in (content_pages[page] if page < len(content_pages) else [])
                for f in col.fragments]
        ops = _header_ops(catalog, fr, page, running_head(held) or NOTES_TITLE) + _footer_ops(catalog, fr, page, legend)
        notes_top = fr.top
        if page < len(content_pages):
            target = max([levels[page]] + [c.used for c in content_pages[page]])
            for col, x in zip(content_pages[page], lefts):
                ops += _column_ops(col, x, fr.top, p.col_width, p)
                outline += [OutlineEntry(p.measured[f.group].section.title, page, fr.top - f.top)
                            for f in col.fragments if not f.cont]
            if page == len(content_pages) - 1 and not full:
                notes_top = fr.top - target - p.scale.group_gap
            else:
                notes_top = None
        if notes_top is not None and notes_top - fr.bottom >= MIN_NOTES_HEIGHT:
            h = notes_top - fr.bottom
            ops += _notes_ops(fr.left, notes_top, fr.width, h, p.scale.size)
            notes.append((page, fr.left, fr.bottom, fr.width, h))
            outline.append(OutlineEntry(f"{NOTES_TITLE} (page {page + 1})", page, notes_top))
        pages.append(Page(fr.page_width, fr.page_height, tuple(ops)))
    return SheetLayout(paper, (fr.page_width, fr.page_height), p.scale.size, n, search.passes,
                       tuple(pages), tuple(notes), tuple(outline))
