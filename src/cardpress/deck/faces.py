"""The two faces of a card as page-model records (cardpress.pdf.page): pure layout, no canvas.

Every face is laid out inside the card's safe area (the card less its `safe` margin), so a
cut that wanders by a millimetre or two never touches text. Each text is fitted to its box
by a search over sizes with a measure-only predicate (textfit); when even the smallest
size overflows, a CardpressError names the card, the face, the field and how much is over.

Coordinates are points relative to the card's bottom-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cardpress.typeset import fonts
from cardpress.catalog.model import Card, Category
from cardpress.deck.layout_spec import Layout, Sizes
from cardpress.errors import CardpressError, Problem
from cardpress.pdf.page import INK, Box, Text
from cardpress.pdf.page import Rule as PageRule
from cardpress.pdf.page import text as page_text
from cardpress.typeset import breaker
from cardpress.typeset.display import as_display, display_tex, is_equation
from cardpress.typeset.textfit import (
    ASCENT_SHARE, Fit, fit_size, formula_overruns, height_at, layout_at, largest_fitting, line_count,
    plain_height, size_steps, text_width,
)

LEADING = 1.2
MUTED = "#555555"
DRAFT_MARK = "DRAFT"  # beside the pairing mark of a draft card (decks made with --include-drafts)
DRAFT_BACK = "Draft: the summary and the three numbers are still to come."


def text_box(fit: Fit, x: float, top: float, width: float, align: str = "left", color: str = INK) -> Text:
    """A fitted text whose first line's top is at `top`, as a page-model Text."""
    return page_text(fit, x, top, width, align, color)


def swatch(x: float, y: float, w: float, h: float, color: str) -> Box:
    return Box(x, y, w, h, fill=color)


def hairline(x1: float, y1: float, x2: float, y2: float, color: str = "#999999") -> PageRule:
    return PageRule(x1, y1, x2, y2, color, 0.4)


@dataclass(frozen=True)
class Face:
    items: tuple  # page-model records, relative to the card's bottom-left corner


def pairing_mark(position: int, total: int) -> str:
    """ "07/17": the card's 1-based position in the chosen deck and the deck's size."""
    digits = max(2, len(str(total)))
    return f"{position:0{digits}d}/{total}"


def _overflow(card: Card, face: str, field: str, needed: float, available: float, size: float) -> CardpressError:
    return CardpressError(Problem(
        f"{face} face: the text does not fit at the smallest size; needs {needed - available:.1f} pt more height "
        f"at {size:g} pt ({needed:.1f} pt of text in a {available:.1f} pt box)",
        card=card.id, field=field))


def _too_wide(card: Card, face: str, field: str, tex: str, over: float, width: float, size: float) -> CardpressError:
    return CardpressError(Problem(
        f"{face} face: the formula \\({tex}\\) is {over:.1f} pt wider than the {width:.1f} pt it has, "
        f"even at the smallest size {size:g} pt; shorten it or split it into two formulas",
        card=card.id, field=field))


def _fit_size(card: Card, face: str, field: str, spans, width: float, height: float, sizes: Sizes,
              hint: float | None = None) -> float:
    """The size a text gets in its box (the search counts lines, lays nothing out), or the
    error that names the card, the field and how much is over."""
    size = fit_size(spans, width, height, sizes.largest, sizes.smallest, LEADING, hint=hint)
    if size is None:
        # A formula wider than the box at the smallest size is what to name (issue 21).
        for tex, over in formula_overruns(layout_at(spans, sizes.smallest, width, LEADING), width):
            raise _too_wide(card, face, field, tex, over, width, sizes.smallest)
        raise _overflow(card, face, field, height_at(spans, sizes.smallest, width, LEADING), height, sizes.smallest)
    return size


def _fit(card: Card, face: str, field: str, spans, width: float, height: float, sizes: Sizes,
         hint: float | None = None) -> Fit:
    return layout_at(spans, _fit_size(card, face, field, spans, width, height, sizes, hint), width, LEADING)


def face_key(layout: Layout) -> Layout:
    """The layout with everything that only places cards on the sheet blanked out: layouts
    with equal keys lay out every face the same (letter-4up and a4-4up share one card).
    Blanking what is known to be irrelevant, not picking what is relevant, keeps a
    field added later in the key."""
    return replace(layout, name="", output="", description="", source="", sheet_w=0.0, sheet_h=0.0,
                   columns=0, rows=0, column_gap=0.0, row_gap=0.0, left=0.0, top=0.0, cut_marks=False,
                   cut_length=0.0, cut_gap=0.0, instruction=False)


class FaceLayout:
    """Lays out fronts and backs for one layout; holds only numbers derived from the layout."""

    def __init__(self, layout: Layout):
        self.layout = layout
        s = layout.safe
        self.x0, self.y0 = s, s
        self.w, self.h = layout.card_w - 2 * s, layout.card_h - 2 * s
        self.top = layout.card_h - s
        self.mark_h = layout.mark * LEADING
        self._categories: dict[Category, tuple] = {}
        # The size each field got on the previous card: the next card's search starts there
        # (same answers as a cold search, two probes instead of five or six when it repeats).
        self._last: dict[str, float] = {}
        self._shorts: dict[str, Fit] = {}  # the back's category label, one layout per category

    def _mark(self, mark: str, beside: float = 0.0) -> Text:
        """The pairing mark at the top right, its baseline level with text of size `beside`."""
        size = self.layout.mark
        width = text_width(mark, fonts.MONO, size) + 1
        fit = layout_at([(mark, fonts.MONO)], size, width, LEADING)
        top = self.top - max(beside - size, 0.0) * ASCENT_SHARE
        return text_box(fit, self.x0 + self.w - width, top, width, "right", MUTED)

    def _mark_width(self, mark: str) -> float:
        return text_width(mark, fonts.MONO, self.layout.mark) + 1

    def _category_row(self, card: Card, category: Category) -> tuple:
        """Swatch and label along the front's bottom; the same for every card of a category, so kept."""
        row = self._categories.get(category)
        if row is None:
            L = self.layout
            sw = L.category.largest
            label = [(category.short, fonts.COND_BOLD), (f" {category.name}", fonts.COND)]
            cat = _fit(card, "front", "category", label, self.w - sw - 4, L.category.largest * LEADING, L.category)
            cat_top = self.y0 + cat.height
            row = self._categories[category] = (
                swatch(self.x0, cat_top - cat.size * ASCENT_SHARE - 0.5, sw * 0.8, sw * 0.8, category.color),
                text_box(cat, self.x0 + sw, cat_top, self.w - sw - 4, "left", MUTED),
            )
        return row

    def _front_sizes(self, card: Card, category: Category, mark: str) -> tuple:
        """The front's sizes and boxes, searched (or refused) without laying anything out."""
        L = self.layout
        mark_w = self._mark_width(mark)
        # Byline: author and year, one line beside the pairing mark.
        byline = ((f"{card.author} {card.year}", fonts.SANS_BOLD),)
        byline_w = self.w - mark_w - 8
        bsize = _fit_size(card, "front", "author", byline, byline_w, L.byline.largest * LEADING, L.byline,
                          self._last.get("author"))
        self._last["author"] = bsize
        row = self._category_row(card, category)
        # Title: the rest of the face, large and centred both ways.
        gap = 0.08 * L.card_h
        area_top = self.top - max(height_at(byline, bsize, byline_w, LEADING), self.mark_h) - gap
        area_bottom = self.y0 + L.category.largest * LEADING + gap
        title = ((card.title, fonts.SANS_BOLD),)
        tsize = _fit_size(card, "front", "title", title, self.w, area_top - area_bottom, L.title,
                          self._last.get("title"))
        self._last["title"] = tsize
        return byline, byline_w, bsize, row, title, tsize, area_top, area_bottom

    def check_front(self, card: Card, category: Category, mark: str) -> None:
        """Raise what front() raises, and nothing else: the same searches, nothing drawn (validate)."""
        self._front_sizes(card, category, mark)

    def front(self, card: Card, category: Category, mark: str) -> Face:
        byline, byline_w, bsize, row, title, tsize, area_top, area_bottom = self._front_sizes(card, category, mark)
        items: list = [text_box(layout_at(byline, bsize, byline_w, LEADING), self.x0, self.top, byline_w, "left",
                                MUTED),
                       self._mark(mark, beside=bsize)]
        # Category along the bottom: a colour swatch and the short label, so greyscale still differs.
        items += row
        fit = layout_at(title, tsize, self.w, LEADING)
        title_top = area_top - (area_top - area_bottom - fit.height) / 2
        items.append(text_box(fit, self.x0, title_top, self.w, "center"))
        return Face(tuple(items))

    def _back_size(self, card: Card) -> tuple:
        """The back's body size (or the error naming the block that takes the most room)."""
        L = self.layout
        body_top = self.top - self.mark_h - 2
        available = body_top - self.y0
        plan = BackPlan(card, self.w, L)
        sizes = size_steps(L.body.smallest, L.body.largest)
        size = largest_fitting(sizes, lambda s: plan.height(s) <= available + 1e-6, self._last.get("body"))
        if size is None:
            s = L.body.smallest
            for field, tex, over, width in plan.overruns(s):
                raise _too_wide(card, "back", field, tex, over, width, s)
            # Blame the block that takes the most room: with a 2,000-word summary, the summary.
            worst = max(plan.blocks(s), key=lambda b: b[1])[0]
            raise _overflow(card, "back", worst, plan.height(s), available, s)
        self._last["body"] = size
        return plan, size, body_top, available

    def check_back(self, card: Card, category: Category, mark: str) -> None:
        """Raise what back() raises, and nothing else: the same search, nothing drawn (validate)."""
        self._back_size(card)

    def back(self, card: Card, category: Category, mark: str) -> Face:
        L = self.layout
        items: list = [self._mark(mark)]
        mark_w = self._mark_width(mark)
        sw = L.mark * 0.8
        items.append(swatch(self.x0, self.top - L.mark * ASCENT_SHARE - 0.5, sw, sw, category.color))
        short = self._shorts.get(category.short)
        if short is None:
            short = self._shorts[category.short] = layout_at([(category.short, fonts.COND_BOLD)], L.mark, self.w, LEADING)
        items.append(text_box(short, self.x0 + sw + 3, self.top, self.w - mark_w - sw - 10, "left", MUTED))
        plan, size, body_top, available = self._back_size(card)
        items += plan.place(size, self.x0, body_top, available)
        return Face(tuple(items))


# Number texts start this far into the back's width on every card of a deck, figure or
# not, so the three texts of one back and the backs of a deck share one left edge.
NUMBER_INDENT = 0.3
FIGURE_GAP = 6.0  # points between the figure column and the number text
FIGURE_LINES = 2  # a figure longer than this in its column is set above its text instead


class BackPlan:
    """The back's summary and three numbers, fitted together at one body size.

    One size for all blocks keeps the back even. Leading figures are set bold at
    `figure_scale` times the body size in a left column of fixed width (NUMBER_INDENT), their
    text beside them; a figure that would break inside a word there, or take more than
    FIGURE_LINES lines, is set above its text at full width. Every number text starts at the
    same indent, with or without a figure.
    """

    def __init__(self, card: Card, width: float, layout: Layout):
        self.card = card
        self.width = width
        self.scale = layout.figure_scale
        self.indent = round(width * NUMBER_INDENT, 4)
        self.col = self.indent - FIGURE_GAP
        self._cache: dict[float, tuple] = {}
        # A draft may have no summary yet; its back says so instead of standing blank.
        self._summary = ((card.summary or (DRAFT_BACK if card.draft else ""), fonts.SANS),)
        self._numbers = [(((n.figure, fonts.SANS_BOLD),) if n.figure else None, ((n.text, fonts.SANS),))
                         for n in card.numbers]
        # A figure that is an equation (all formula, a top-level relation) is display math,
        # above its text at full width; so is an all-formula figure too wide for the column.
        self._above = [n.figure and display_tex(n.figure) is not None and is_equation(display_tex(n.figure))
                       for n in card.numbers]
        self.has_math = any("\\(" in (t or "") or "\\[" in (t or "") for t in (self._summary[0][0], *(n.figure for n in card.numbers),
                                                          *(n.text for n in card.numbers)))

    def _figure(self, fig: tuple, fs: float, above: bool = False) -> tuple[Fit, bool]:
        """The figure's layout and whether it sits in the column (else above, full width)."""
        # The words are compared with the column before wrapping: wrap_spans would break a
        # word wider than the column into pieces that each fit.
        if not above and breaker.paragraph(fig).widest * fs <= self.col + 1e-6:
            in_col = layout_at(fig, fs, self.col, LEADING)
            # A formula is never broken, so a line wider than the column is one too wide for it.
            if len(in_col.lines) <= FIGURE_LINES and in_col.widest * fs <= self.col + 1e-6:
                return in_col, True
        # Above its text, a figure that is all formula is display math (typeset/display.py).
        return layout_at(((as_display(fig[0][0]), fig[0][1]),), fs, self.width, LEADING), False

    def _layout(self, size: float):
        hit = self._cache.get(size)
        if hit is not None:
            return hit
        summary = layout_at(self._summary, size, self.width, LEADING)
        text_w = self.width - self.indent
        numbers = []
        for (figure, measured), above in zip(self._numbers, self._above):
            fig, beside = self._figure(figure, size * self.scale, above) if figure else (None, True)
            text = layout_at(measured, size, text_w, LEADING)
            if fig is None:
                drop, height = 0.0, text.height
            elif beside:
                # Align the first baselines of figure and text.
                drop = (fig.size - size) * ASCENT_SHARE
                height = max(fig.height, drop + text.height)
            else:
                drop = fig.height
                height = fig.height + text.height
            numbers.append((fig, text, drop, height, beside))
        out = (summary, numbers)
        self._cache[size] = out
        return out

    def _gaps(self, size: float) -> tuple[float, float]:
        return size * 0.9, size * 0.45  # after the summary, between numbers

    def _quick_heights(self, size: float) -> list[float] | None:
        """Block heights from the breaker's line counts (no lines built); None when a text
        has a formula or a figure does not plainly sit in its column (the real layout decides)."""
        summary = plain_height(self._summary, size, self.width, LEADING)
        if summary is None:
            return None
        heights = [summary]
        fs = size * self.scale
        text_w = self.width - self.indent
        for fig, text in self._numbers:
            th = plain_height(text, size, text_w, LEADING)
            if th is None:
                return None
            if fig is None:
                heights.append(th)
                continue
            par = breaker.paragraph(fig)
            if par.has_math or "\\[" in fig[0][0]:
                return None
            if par.widest * fs <= self.col + 1e-6:
                n = line_count(fig, fs, self.col)
                if n <= FIGURE_LINES:
                    drop = (fs - size) * ASCENT_SHARE
                    heights.append(max(n * (fs * LEADING), drop + th))
                    continue
            heights.append(line_count(fig, fs, self.width) * (fs * LEADING) + th)
        return heights

    def height(self, size: float, exact: bool = False) -> float:
        """The back's height at `size`: from line counts where they give it (the same breaks
        _layout draws), else from the layouts; `exact` always from the layouts."""
        heights = None if exact else self._quick_heights(size)
        if heights is None:
            summary, numbers = self._layout(size)
            if self.has_math and self.overruns(size):
                return float("inf")  # a formula wider than its place: this size does not fit (issue 21)
            heights = [summary.height] + [n[3] for n in numbers]
        after_summary, between = self._gaps(size)
        return sum(heights) + after_summary + between * (len(heights) - 2)

    def overruns(self, size: float) -> list[tuple[str, str, float, float]]:
        """(field, TeX, points over, width) for each formula wider than its place at `size`."""
        summary, numbers = self._layout(size)
        out = [("summary", tex, over, self.width) for tex, over in formula_overruns(summary, self.width)]
        text_w = self.width - self.indent
        for i, (fig, text, _, _, beside) in enumerate(numbers):
            if fig is not None:
                w = self.col if beside else self.width
                out += [(f"numbers[{i}].figure", tex, over, w) for tex, over in formula_overruns(fig, w)]
            out += [(f"numbers[{i}].text", tex, over, text_w) for tex, over in formula_overruns(text, text_w)]
        return out

    def blocks(self, size: float) -> list[tuple[str, float]]:
        summary, numbers = self._layout(size)
        return [("summary", summary.height)] + [(f"numbers[{i}]", n[3]) for i, n in enumerate(numbers)]

    def place(self, size: float, x0: float, top: float, available: float) -> list:
        summary, numbers = self._layout(size)
        after_summary, between = self._gaps(size)
        # Spare height opens up the gaps (up to double) so a short back doesn't huddle at the top.
        spare = available - self.height(size, exact=True)
        slots = 1 + max(len(numbers) - 1, 0)
        extra = min(spare / slots, after_summary) if spare > 0 else 0.0
        items: list = [text_box(summary, x0, top, self.width)]
        y = top - summary.height - (after_summary + extra) / 2
        items.append(hairline(x0, y, x0 + self.width, y))
        y -= (after_summary + extra) / 2
        text_w = self.width - self.indent
        for fig, text, drop, height, beside in numbers:
            if fig:
                items.append(text_box(fig, x0, y, self.col if beside else self.width))
            items.append(text_box(text, x0 + self.indent, y - drop, text_w))
            y -= height + between + extra
        return items
