"""Placing a worksheet's content on its two pages: blocks measured, stacked and sized.

Each block measures itself for a width and a text size (a `Need`: fixed points plus
writing lines), the page shares out its spare height as extra writing lines, and each
block then places its items in the rectangle it got. Text is measured with `textfit`
only; no canvas is involved, so every position here is testable as a plain number.
"""

from __future__ import annotations

from cardpress.typeset import fonts
from cardpress.errors import CardpressError, Problem
from cardpress.pdf.page import INK
from cardpress.typeset.textfit import Fit, Span, fit_spans, formula_overruns, layout_at
from cardpress.worksheets import defaults
from cardpress.worksheets.content import Box, Para, Paper, PhaseRow, ProtocolSheet, ThreePassSheet
from cardpress.worksheets.geometry import (
    FIELD_BOX, FIELD_TEXT, GAP, GUTTER, LINE_PITCH, MARGIN, MIN_TEXT, CheckBox, Need, Page, Rect, Text, TextField, frame, hrule, text,
    line_fields, lines_for, overflow, ruled_lines, share_lines,
)

PAD = 5.0  # inside a box, around its text
BOX_SIZE = 11.0  # checkbox side
SIZES = (9.5, 9.0, 8.5, MIN_TEXT)  # body sizes tried per page, largest first
MUTED = "#4a4a4a"

# The catalog field a printed paragraph comes from, by its role (for messages).
_ROLE_FIELD = {"equation": "protocol.equation", "note": "protocol.equation_note"}
_ROLE_FONT = {"text": fonts.COND, "question": fonts.COND, "equation": fonts.MONO, "note": fonts.SANS_OBLIQUE}


def _text(spans: list[Span], x: float, top: float, width: float, size: float, color: str = INK) -> Text:
    return text(x, top, width, layout_at(spans, size, width), color)


def _label_spans(label: str, prompt: str = "") -> list[Span]:
    spans: list[Span] = [(label, fonts.COND_BOLD)]
    if prompt:
        spans.append(("  " + prompt, fonts.SANS_OBLIQUE))
    return spans


class Paras:
    """Printed paragraphs, bulleted ones with a hanging indent, measured for one width."""

    def __init__(self, paras: tuple[Para, ...], width: float, size: float):
        self.size = size
        self.indent = size * 1.6 if any(p.bullet for p in paras) else 0.0
        self.items: list[tuple[Para, Fit]] = []
        self.overrun: tuple[str, float, float] | None = None  # (TeX, points over, width)
        for p in paras:
            fit = layout_at([(p.text, _ROLE_FONT[p.role])], size, width - self.indent)
            self.items.append((p, fit))
            over = formula_overruns(fit, width - self.indent) if self.overrun is None else ()
            if over:
                self.overrun = (over[0][0], over[0][1], round(width - self.indent, 2))
                self.overrun_field = _ROLE_FIELD.get(p.role)
        self.height = sum(f.height for _, f in self.items) + 1.5 * max(0, len(self.items) - 1)
        if self.overrun is not None:
            self.height = 1e6  # a formula wider than the box: no page holds this size (finite: sums stay numbers)

    def place(self, x: float, top: float, width: float) -> list:
        out = []
        for p, fit in self.items:
            if p.bullet:
                out.append(text(x, top, self.indent, layout_at([(p.bullet, fonts.COND_BOLD)], self.size, self.indent)))
            out.append(text(x + self.indent, top, width - self.indent, fit))
            top -= fit.height + 1.5
        return out


class WritingBox:
    """A framed box: label and prompt, printed paragraphs, then ruled lines at the bottom
    with one multi-line form field over them."""

    def __init__(self, box: Box, width: float, size: float, prefix: str, grows: bool = True):
        self.box, self.width, self.size, self.prefix = box, width, size, prefix
        inner = width - 2 * PAD
        self.head = layout_at(_label_spans(box.label, box.prompt), size, inner)
        self.paras = Paras(box.printed, inner, size)
        self.fixed = PAD + self.head.height + (2 + self.paras.height if box.printed else 0) + PAD
        self.need = Need(self.fixed, box.min_lines, grows)

    def place(self, x: float, top: float, height: float) -> list:
        inner = self.width - 2 * PAD
        bottom = top - height
        items: list = [frame(Rect(x, bottom, self.width, height))]
        items.append(text(x + PAD, top - PAD, inner, self.head))
        y = top - PAD - self.head.height - 2
        items += self.paras.place(x + PAD, y, inner)
        # Lines hug the bottom; any height the printed text leaves over stays above them.
        n = int((height - self.fixed) / LINE_PITCH + 1e-6)
        if n > 0:
            area = Rect(x + PAD, bottom + PAD, inner, n * LINE_PITCH)
            items += [hrule(area.x, area.right, y) for y in ruled_lines(area)]
            items += line_fields(self.prefix + self.box.name, area, self.box.label)
        return items


class Pair:
    """Two writing boxes side by side, always the same height."""

    def __init__(self, left: Box, right: Box, width: float, size: float, prefix: str):
        self.half = (width - GUTTER) / 2
        self.boxes = (WritingBox(left, self.half, size, prefix), WritingBox(right, self.half, size, prefix))
        fixed = max(b.fixed for b in self.boxes)
        # The box with less fixed text turns the difference into writing room, so a pair
        # needs the larger fixed part plus enough lines for the box that needs most.
        lines = max(max(0, b.box.min_lines - int((fixed - b.fixed) / LINE_PITCH + 1e-6)) for b in self.boxes)
        self.need = Need(fixed, lines)

    def place(self, x: float, top: float, height: float) -> list:
        return self.boxes[0].place(x, top, height) + self.boxes[1].place(x + self.half + GUTTER, top, height)


class Fixed:
    """A block with no writing lines: its items are laid out once, relative to its top-left."""

    def __init__(self, height: float, build):
        self.need = Need(height, 0, grows=False)
        self._build = build

    def place(self, x: float, top: float, height: float) -> list:
        return self._build(x, top, height)


def _header(paper: Paper, width: float, prefix: str, side: int) -> Fixed:
    """Side one: the paper in full with name and date lines. Side two: a one-line reminder."""
    if side == 2:
        title_w = width - 160
        spans = [(f"{paper.author} {paper.year} — {paper.title}", fonts.SANS_BOLD)]
        # One line if it fits at a readable size, else as many lines as it takes at 8 pt.
        fit = fit_spans(spans, title_w, 12.5, 10, 8.5) or layout_at(spans, MIN_TEXT, title_w)
        h = max(20.0, fit.height + 6)

        def build(x, top, height):
            return [frame(Rect(x, top - height, 4, height), None, paper.color),
                    text(x + 10, top - 2, title_w, fit),
                    text(x + width - 140, top - 3, 140,
                         layout_at([(f"{paper.short} · side 2 of 2", fonts.COND)], 8.5, 140), MUTED, "right")]
        return Fixed(h, build)

    h = 66.0
    right_w = 190.0
    title_w = width - right_w - 22
    cat = layout_at([(f"{paper.short} · {paper.category}", fonts.COND_BOLD)], 9, title_w)
    title = fit_spans([(paper.title, fonts.SANS_BOLD)], title_w, h - 14 - 16, 18, 10) \
        or layout_at([(paper.title, fonts.SANS_BOLD)], 10, title_w)
    byline = layout_at([(f"{paper.author} · {paper.year}", fonts.SANS)], 10, title_w)

    def build(x, top, height):
        tx = x + 12
        items: list = [frame(Rect(x, top - height, 5, height), None, paper.color)]
        items.append(text(tx, top, title_w, cat, paper.color))
        items.append(text(tx, top - cat.height - 1, title_w, title))
        items.append(text(tx, top - height + byline.height, title_w, byline, MUTED))
        rx = x + width - right_w
        for i, (label, name) in enumerate((("Name", "name"), ("Date", "date"))):
            base = top - 24 - i * 28
            lab = layout_at([(label, fonts.COND_BOLD)], 9, 40)
            items.append(text(rx, base + 11, 40, lab))
            items.append(hrule(rx + 34, x + width, base, INK, 0.6))
            items.append(TextField(prefix + name, Rect(rx + 34, base + 0.5, right_w - 34, FIELD_BOX), False, label,
                                   FIELD_TEXT))
        return items
    return Fixed(h, build)


def _outcome(outcome: str, width: float, size: float) -> Fixed:
    fit = layout_at([(outcome, fonts.SANS_OBLIQUE), (" " + defaults.OUTCOME_HINT, fonts.SANS_BOLD_OBLIQUE)],
                    max(MIN_TEXT, size - 0.5), width)
    return Fixed(fit.height, lambda x, top, h: [text(x, top, width, fit, MUTED)])


class PhaseBlock:
    """One timed phase: checkbox and minutes, what to do with its read hint, note lines."""

    LEFT = 66.0

    def __init__(self, row: PhaseRow, width: float, size: float, prefix: str, name: str = "phase", unit: str = "min"):
        self.row, self.width, self.prefix, self.name, self.unit = row, width, prefix, name, unit
        self.notes_w = round(width * 0.36)
        self.mid_w = width - self.LEFT - self.notes_w - 2 * PAD - GUTTER
        self.body = layout_at([(row.title + ".", fonts.COND_BOLD), (" " + row.text, fonts.COND)], size, self.mid_w)
        self.hint = layout_at([(row.hint, fonts.SANS_OBLIQUE)], max(MIN_TEXT, size - 0.5), self.mid_w)
        self.minutes_w = self.LEFT - PAD - BOX_SIZE - 4 - 6
        self.minutes = fit_spans([(row.minutes, fonts.COND_BOLD)], self.minutes_w, 16, 13, MIN_TEXT) \
            or layout_at([(row.minutes, fonts.COND_BOLD)], MIN_TEXT, self.minutes_w)
        text_h = self.body.height + 1 + self.hint.height
        self.need = Need(2 * PAD, max(2, lines_for(text_h)), grows=False)

    def place(self, x: float, top: float, height: float) -> list:
        bottom = top - height
        items: list = [frame(Rect(x, bottom, self.width, height))]
        box = Rect(x + PAD, top - PAD - BOX_SIZE, BOX_SIZE, BOX_SIZE)
        items.append(frame(box, INK, None, 0.8))
        items.append(CheckBox(f"{self.prefix}{self.name}-{self.row.number}", box, self.row.title))
        mx = box.right + 4
        mw = self.minutes_w
        items.append(text(mx, top - PAD, mw, self.minutes))
        items.append(text(mx, top - PAD - self.minutes.height, mw,
                          layout_at([(self.unit, fonts.COND)], MIN_TEXT, mw), MUTED))
        tx = x + self.LEFT
        items.append(text(tx, top - PAD, self.mid_w, self.body))
        items.append(text(tx, top - PAD - self.body.height - 1, self.mid_w, self.hint, MUTED))
        nx = x + self.width - PAD - self.notes_w
        area = Rect(nx, bottom + PAD, self.notes_w, int((height - 2 * PAD) / LINE_PITCH + 1e-6) * LINE_PITCH)
        items += [hrule(area.x, area.right, y) for y in ruled_lines(area)]
        items += line_fields(f"{self.prefix}{self.name}-{self.row.number}-notes", area, f"{self.row.title}: notes")
        return items


def _checklist(title: str, items: tuple[str, ...], width: float, size: float, prefix: str, name: str) -> Fixed:
    """A titled two-column list of tick boxes (the grading self-check)."""
    head = layout_at([(title, fonts.COND_BOLD)], size, width - 2 * PAD)
    col_w = (width - 2 * PAD - GUTTER) / 2
    text_w = col_w - BOX_SIZE - 5
    fits = [layout_at([(t, fonts.COND)], size, text_w) for t in items]
    rows = [fits[i:i + 2] for i in range(0, len(fits), 2)]
    row_h = [max(max(f.height for f in r), BOX_SIZE) for r in rows]
    h = PAD + head.height + 3 + sum(row_h) + 3 * max(0, len(rows) - 1) + PAD

    def build(x, top, height):
        out: list = [frame(Rect(x, top - height, width, height)), text(x + PAD, top - PAD, width - 2 * PAD, head)]
        y = top - PAD - head.height - 3
        k = 0
        for r, rh in zip(rows, row_h):
            for c, fit in enumerate(r):
                k += 1
                cx = x + PAD + c * (col_w + GUTTER)
                box = Rect(cx, y - BOX_SIZE, BOX_SIZE, BOX_SIZE)
                out += [frame(box, INK, None, 0.8), CheckBox(f"{prefix}{name}-{k}", box, items[k - 1][:60])]
                out.append(text(cx + BOX_SIZE + 5, y, text_w, fit))
            y -= rh + 3
        return out
    return Fixed(h, build)


def _recall(values: tuple[str | None, ...], width: float, size: float, prefix: str) -> Fixed:
    """The card's numbers: blank numbered lines side by side, or the numbers themselves."""
    inner = width - 2 * PAD
    head = layout_at(_label_spans(defaults.RECALL_TITLE, defaults.RECALL_HINT), size, inner)
    answers = all(v is not None for v in values)
    paras = Paras(tuple(Para(v or "", bullet=f"{i}.") for i, v in enumerate(values, 1)), inner, size) if answers else None
    body = paras.height if paras else LINE_PITCH + 2
    h = PAD + head.height + 2 + body + PAD

    def build(x, top, height):
        out: list = [frame(Rect(x, top - height, width, height)), text(x + PAD, top - PAD, inner, head)]
        y = top - PAD - head.height - 2
        if paras:
            return out + paras.place(x + PAD, y, inner)
        n = max(1, len(values))
        col = (inner - GUTTER * (n - 1)) / n
        for i in range(n):
            cx = x + PAD + i * (col + GUTTER)
            num = layout_at([(f"{i + 1}.", fonts.COND_BOLD)], size, 16)
            base = y - LINE_PITCH
            out.append(text(cx, base + num.size * 1.0, 16, num))
            out.append(hrule(cx + 14, cx + col, base, INK, 0.6))
            out.append(TextField(f"{prefix}recall-{i + 1}", Rect(cx + 14, base + 0.5, col - 14, FIELD_BOX), False,
                                 f"Number {i + 1}", FIELD_TEXT))
        return out
    return Fixed(h, build)


def _footer(paper: Paper, page_w: float, side: int, variant: str) -> list:
    words = f"cardpress worksheet · {paper.id}{variant} · side {side} of 2" + (" · turn over" if side == 1 else "")
    w = page_w - 2 * MARGIN
    return [text(MARGIN, MARGIN - 8, w, layout_at([(words, fonts.COND)], MIN_TEXT, w), MUTED, "right")]


def _stack(blocks: list, page: tuple[float, float], paper: Paper, side: int, variant: str,
           field: str, size: float) -> list | float:
    """Items of the stacked blocks, or the overflow in points if they do not fit."""
    content = Rect(MARGIN, MARGIN, page[0] - 2 * MARGIN, page[1] - 2 * MARGIN)
    needs = [b.need for b in blocks]
    lines = share_lines(needs, content.h)
    if lines is None:
        return overflow(needs, content.h)
    items: list = []
    top = content.top
    for b, n in zip(blocks, lines):
        h = b.need.height(n)
        items += b.place(content.x, top, h)
        top -= h + GAP
    return items + _footer(paper, page[0], side, variant)


def _first_fitting(make, page, paper: Paper, side: int, variant: str, field) -> Page:
    """Lay the page out at the largest body size that fits; say what is too long if none does."""
    over = 0.0
    for size in SIZES:
        result = _stack(make(size), page, paper, side, variant, field, size)
        if isinstance(result, list):
            return Page(page[0], page[1], tuple(result))
        over = result
    for block in make(MIN_TEXT):
        for box in getattr(block, "boxes", (block,)):
            paras = getattr(box, "paras", None)
            if paras is not None and paras.overrun is not None:
                tex, by, width = paras.overrun
                raise CardpressError(Problem(
                    f"side {side} of the worksheet: the formula \\({tex}\\) is {by:.1f} pt wider than its "
                    f"{width:.1f} pt box even with {MIN_TEXT:g} pt text; shorten it or split it into two formulas",
                    card=paper.id, field=getattr(paras, "overrun_field", None) or (field(over) if callable(field) else field)))
    raise CardpressError(Problem(
        f"side {side} of the worksheet is {over:.0f} pt too tall even with {MIN_TEXT:g} pt text; "
        f"shorten the text that fills it", card=paper.id, field=field(over) if callable(field) else field))


def protocol_pages(sheet: ProtocolSheet, page: tuple[float, float], prefix: str = "", variant: str = "") -> list[Page]:
    side_one, side_two, side_two_field = protocol_sides(sheet, page, prefix)
    return [_first_fitting(side_one, page, sheet.paper, 1, variant, "protocol.read/skip"),
            _first_fitting(side_two, page, sheet.paper, 2, variant, side_two_field)]


def protocol_sides(sheet: ProtocolSheet, page: tuple[float, float], prefix: str = ""):
    """(side_one, side_two, side_two_field): each side's blocks at a body size, and which
    field to blame for side two's overflow (also used by worksheets.fitcheck)."""
    width = page[0] - 2 * MARGIN
    paper = sheet.paper

    def side_one(size):
        blocks = [_header(paper, width, prefix, 1), _outcome(sheet.outcome, width, size)]
        blocks += [PhaseBlock(r, width, size, prefix) for r in sheet.phases]
        blocks.append(Pair(sheet.read, sheet.skip, width, size, prefix))
        return blocks

    def side_two(size):
        blocks: list = [_header(paper, width, prefix, 2), WritingBox(sheet.claim, width, size, prefix)]
        blocks += [Pair(a, b, width, size, prefix) for a, b in sheet.pairs]
        blocks += [WritingBox(b, width, size, prefix, grows=False) for b in sheet.extras]
        blocks.append(_checklist(defaults.GRADING_TITLE, sheet.grading, width, size, prefix, "grade"))
        blocks += [WritingBox(b, width, size, prefix) for b in sheet.followups]
        blocks.append(_recall(sheet.recall, width, size, prefix))
        return blocks

    # When the title wraps on side two's one-line reminder and a one-line title would make
    # the side fit, the title is what to shorten (a card without protocol content has no
    # follow-ups to shorten at all).
    title_extra = _header(paper, width, prefix, 2).need.fixed - 20.0

    def side_two_field(over: float) -> str:
        return "title" if 0 < over <= title_extra else "protocol.followups"

    return side_one, side_two, side_two_field


def three_pass_pages(sheet: ThreePassSheet, page: tuple[float, float], prefix: str = "", variant: str = "") -> list[Page]:
    width = page[0] - 2 * MARGIN
    paper = sheet.paper
    split = (len(sheet.boxes) + 1) // 2

    def side_one(size):
        blocks: list = [_header(paper, width, prefix, 1)]
        blocks += [PhaseBlock(PhaseRow(p.number, str(p.number), f"{p.name} ({p.time})", p.text, p.outcome),
                              width, size, prefix, "pass", "pass")
                   for p in sheet.passes]
        blocks += [WritingBox(b, width, size, prefix) for b in sheet.boxes[:split]]
        return blocks

    def side_two(size):
        blocks: list = [_header(paper, width, prefix, 2)]
        blocks.append(WritingBox(Box("link", "Link", "where you found it", (), 1), width, size, prefix, grows=False))
        blocks += [WritingBox(b, width, size, prefix) for b in sheet.boxes[split:]]
        return blocks

    return [_first_fitting(side_one, page, paper, 1, variant, "three_pass"),
            _first_fitting(side_two, page, paper, 2, variant, "three_pass")]
