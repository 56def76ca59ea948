"""The two faces of a card as page-model records (cardpress.pdf.page): pure layout, no canvas.

Every face is laid out inside the card's safe area (the card less its `safe` margin), so a
cut that wanders by a millimetre or two never touches text. Each text is fitted to its box
by a search over sizes with a measure-only predicate (textfit); when even the smallest
size overflows, a CardpressError names the card, the face, the field and how much is over.

Coordinates are points relative to the card's bottom-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress.typeset import fonts
from cardpress.catalog.model import Card, Category
from cardpress.deck.layout_spec import Layout, Sizes
from cardpress.errors import CardpressError, Problem
from cardpress.deck.measure import Measured, fit_measured, size_steps
from cardpress.pdf.page import INK, Box, Text
from cardpress.pdf.page import Rule as PageRule
from cardpress.pdf.page import text as page_text
from cardpress.typeset.textfit import ASCENT_SHARE, MATH_OPEN, Fit, fit_spans, layout_at, largest_fitting, text_width

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


def _fit(card: Card, face: str, field: str, spans, width: float, height: float, sizes: Sizes,
         hint: float | None = None) -> Fit:
    if len(spans) == 1:
        fit = fit_measured(Measured(*spans[0]), width, height, sizes.largest, sizes.smallest, LEADING, hint)
    else:
        fit = fit_spans(spans, width, height, sizes.largest, sizes.smallest, LEADING, hint=hint)
    if fit is None:
        at_min = layout_at(spans, sizes.smallest, width, LEADING)
        raise _overflow(card, face, field, at_min.height, height, sizes.smallest)
    return fit


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

    def front(self, card: Card, category: Category, mark: str) -> Face:
        L = self.layout
        items: list = []
        mark_w = self._mark_width(mark)

        # Byline: author and year, one line beside the pairing mark.
        byline_w = self.w - mark_w - 8
        byline_h = L.byline.largest * LEADING
        byline = _fit(card, "front", "author", [(f"{card.author} {card.year}", fonts.SANS_BOLD)],
                      byline_w, byline_h, L.byline, self._last.get("author"))
        self._last["author"] = byline.size
        items.append(text_box(byline, self.x0, self.top, byline_w, "left", MUTED))
        items.append(self._mark(mark, beside=byline.size))

        # Category along the bottom: a colour swatch and the short label, so greyscale still differs.
        cat_h = L.category.largest * LEADING
        items += self._category_row(card, category)
        # Title: the rest of the face, large and centred both ways.
        gap = 0.08 * L.card_h
        area_top = self.top - max(byline.height, self.mark_h) - gap
        area_bottom = self.y0 + cat_h + gap
        title = _fit(card, "front", "title", [(card.title, fonts.SANS_BOLD)], self.w, area_top - area_bottom, L.title,
                     self._last.get("title"))
        self._last["title"] = title.size
        title_top = area_top - (area_top - area_bottom - title.height) / 2
        items.append(text_box(title, self.x0, title_top, self.w, "center"))
        return Face(tuple(items))

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

        body_top = self.top - self.mark_h - 2
        available = body_top - self.y0
        plan = BackPlan(card, self.w, L)
        sizes = size_steps(L.body.smallest, L.body.largest)
        hint = self._last.get("body")
        size = largest_fitting(sizes, lambda s: plan.height(s) <= available + 1e-6, hint)
        if size is not None and plan.height(size, exact=True) > available + 1e-6:
            # The quick count disagreed with the real wrap: search again on real layouts.
            size = largest_fitting(sizes, lambda s: plan.height(s, exact=True) <= available + 1e-6, hint)
        if size is None:
            s = L.body.smallest
            # Blame the block that takes the most room: with a 2,000-word summary, the summary.
            worst = max(plan.blocks(s), key=lambda b: b[1])[0]
            raise _overflow(card, "back", worst, plan.height(s, exact=True), available, s)
        self._last["body"] = size
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
        self._summary = Measured(card.summary or (DRAFT_BACK if card.draft else ""), fonts.SANS)
        self._numbers = [(Measured(n.figure, fonts.SANS_BOLD) if n.figure else None, Measured(n.text, fonts.SANS))
                         for n in card.numbers]

    def _figure(self, fig: Measured, fs: float) -> tuple[Fit, bool]:
        """The figure's layout and whether it sits in the column (else above, full width)."""
        # The words are compared with the column before wrapping: wrap_spans would break a
        # word wider than the column into pieces that each fit.
        if all(text_width(w, fonts.SANS_BOLD, fs) <= self.col + 1e-6 for w in _strip_math(fig.text).split()):
            in_col = fig.layout(fs, self.col, LEADING)
            # A formula is never broken, so a line wider than the column is one too wide for it.
            if len(in_col.lines) <= FIGURE_LINES and in_col.widest * fs <= self.col + 1e-6:
                return in_col, True
        return fig.layout(fs, self.width, LEADING), False

    def _layout(self, size: float):
        hit = self._cache.get(size)
        if hit is not None:
            return hit
        summary = self._summary.layout(size, self.width, LEADING)
        text_w = self.width - self.indent
        numbers = []
        for figure, measured in self._numbers:
            fig, beside = self._figure(figure, size * self.scale) if figure else (None, True)
            text = measured.layout(size, text_w, LEADING)
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
        """Block heights from line counts alone; None if some text needs the general wrap."""
        summary = self._summary.height_at(size, self.width, LEADING)
        if summary is None:
            return None
        heights = [summary]
        fs = size * self.scale
        text_w = self.width - self.indent
        for fig, text in self._numbers:
            th = text.height_at(size, text_w, LEADING)
            if th is None:
                return None
            if fig is None:
                heights.append(th)
                continue
            n = fig.lines_at(fs, self.col)  # None: a word is wider than the column (or math)
            if n is not None and n <= FIGURE_LINES:
                drop = (fs - size) * ASCENT_SHARE
                heights.append(max(n * fs * LEADING, drop + th))
                continue
            if not fig.simple:
                return None
            full = fig.height_at(fs, self.width, LEADING)
            if full is None:
                return None
            heights.append(full + th)
        return heights

    def height(self, size: float, exact: bool = False) -> float:
        heights = None if exact else self._quick_heights(size)
        if heights is None:
            summary, numbers = self._layout(size)
            heights = [summary.height] + [n[3] for n in numbers]
        after_summary, between = self._gaps(size)
        return sum(heights) + after_summary + between * (len(heights) - 2)

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


def _strip_math(text: str) -> str:
    """The plain words of a text, its formulas left out (they are measured whole by textfit)."""
    if MATH_OPEN not in text:
        return text
    from cardpress.typeset.mathtext import split_runs

    return " ".join(run for is_math, run in split_runs(text) if not is_math)
