"""A card's faces proved to fit at the smallest sizes from line-count bounds (textbound).

`validate` asks of every card only "does build's fitting find a size?". faces.FaceLayout
answers it by searching sizes with real line counts; this answers "yes" for most cards
from an upper bound on each text's lines at the smallest size, with every height taken at
its largest possible value. It never answers "no": a card it cannot prove goes to the
real fitting, which also writes the message. The geometry below is faces.py's, read from
the same FaceLayout; tests/test_textbound.py checks that what this accepts, faces.py lays out.

Why the smallest size is enough: each size search (textfit.largest_fitting, with or
without its hint) probes the smallest size before it gives up, so a search whose smallest
size fits always finds a size, for the quick line count and for the real wrap alike.
"""

from __future__ import annotations

from dataclasses import replace

from cardpress.typeset import fonts
from cardpress.catalog.model import Card, Category
from cardpress.deck.faces import FIGURE_LINES, LEADING, NUMBER_INDENT, FaceLayout
from cardpress.deck.layout_spec import Layout
from cardpress.typeset.textfit import ASCENT_SHARE
from cardpress.errors import CardpressError
from cardpress.typeset.textbound import advances, max_lines

_EPS = 1e-6  # the fitting's own tolerance on heights


def face_key(layout: Layout) -> Layout:
    """The layout with everything that only places cards on the sheet blanked out: layouts
    with equal keys lay out every face the same (letter-4up and a4-4up share one card).
    Blanking what is known to be irrelevant, not picking what is relevant, keeps a
    field added later in the key."""
    return replace(layout, name="", output="", description="", source="", sheet_w=0.0, sheet_h=0.0,
                   columns=0, rows=0, column_gap=0.0, row_gap=0.0, left=0.0, top=0.0, cut_marks=False,
                   cut_length=0.0, cut_gap=0.0, instruction=False)


def widest_mark(faces: FaceLayout, mark: str) -> float:
    """faces._mark_width for any pairing mark as long as `mark`, from its widest character."""
    adv = advances(fonts.MONO)
    return len(mark) * max(adv[c] for c in "0123456789/") * faces.layout.mark * 1.000001 + 1


def _lines_height(text: str, font: str, size: float, width: float) -> float | None:
    n = max_lines(text, font, size, width)
    return None if n is None else n * size * LEADING


def front_fits(faces: FaceLayout, card: Card, category: Category, mark_w: float) -> bool:
    """True only if faces.front(card, ...) lays the front out (mark_w: widest_mark's)."""
    L = faces.layout
    try:
        faces._category_row(card, category)  # once per category, cached by the FaceLayout
    except CardpressError:
        return False
    byline_h = L.byline.largest * LEADING
    h = _lines_height(f"{card.author} {card.year}", fonts.SANS_BOLD, L.byline.smallest, faces.w - mark_w - 8)
    if h is None or h > byline_h:
        return False
    # The title gets what the byline leaves, and the byline takes at most its box.
    gap = 0.08 * L.card_h
    area = (faces.top - max(byline_h + _EPS, faces.mark_h) - gap) - (faces.y0 + L.category.largest * LEADING + gap)
    h = _lines_height(card.title, fonts.SANS_BOLD, L.title.smallest, faces.w)
    return h is not None and h <= area - _EPS


def back_fits(faces: FaceLayout, card: Card) -> bool:
    """True only if faces.back(card, ...) lays the back out: faces.BackPlan's heights at the
    smallest body size, each block at the tallest it can be in either of its arrangements."""
    L = faces.layout
    s, w = L.body.smallest, faces.w
    available = faces.top - faces.mark_h - 2 - faces.y0
    indent = round(w * NUMBER_INDENT, 4)
    fs = s * L.figure_scale
    summary = _lines_height(card.summary, fonts.SANS, s, w)
    if summary is None:
        return False
    heights = [summary]
    for n in card.numbers:
        th = _lines_height(n.text, fonts.SANS, s, w - indent)
        if th is None:
            return False
        if not n.figure:
            heights.append(th)
            continue
        # Beside the text in its column (at most FIGURE_LINES lines), or above it at full width.
        full = _lines_height(n.figure, fonts.SANS_BOLD, fs, w)
        if full is None:
            return False
        heights.append(max(FIGURE_LINES * fs * LEADING, (fs - s) * ASCENT_SHARE + th, full + th))
    total = sum(heights) + s * 0.9 + s * 0.45 * (len(heights) - 2)
    return total <= available - _EPS
