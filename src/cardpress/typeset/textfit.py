"""Measuring, wrapping and fitting text: pure functions over numbers.

Following platypus's wrap-then-draw: nothing here touches a canvas. Word widths are
measured once at 1 pt and scaled, so trying a dozen sizes on a card costs arithmetic,
not re-measurement. Fitting is a binary search over sizes with a "does it fit?"
predicate (Squib's `sizes.bsearch`), never a loop of drawing and erasing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth

from cardpress.typeset import fonts

_unit_widths: dict[tuple[str, str], float] = {}


def unit_width(text: str, font: str) -> float:
    """Width of `text` at 1 pt in `font` (cached: catalogs repeat words a lot)."""
    key = (font, text)
    w = _unit_widths.get(key)
    if w is None:
        fonts.use(font)
        w = _unit_widths[key] = stringWidth(text, font, 1.0)
    return w


def text_width(text: str, font: str, size: float) -> float:
    return unit_width(text, font) * size


@dataclass(frozen=True)
class Segment:
    """A run of text in one font, placed at x (points from the line's left edge) at size 1.

    A formula is a segment of its own with `math` set: the box mathtext laid out at the
    line's size (its text is the glyphs' characters, as a PDF search reads them).
    """

    text: str
    font: str
    x: float  # at 1 pt; multiply by the size
    math: Any = None  # a mathtext.MathBox at the line's size


@dataclass(frozen=True)
class Line:
    segments: tuple[Segment, ...]
    width: float  # at 1 pt
    # How far the line's formulas reach above and below its baseline, in units of the size
    # (0 for plain text): a Fit widens the leading around the line when they reach past it.
    ascent: float = 0.0
    descent: float = 0.0

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


Span = tuple[str, str]  # (text, font)


# A hyphen between letters is a place a line may end ("masked-language-" / "modeling").
_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")

MATH_OPEN = r"\("


class _Formula(str):
    """A token that is a formula's TeX, not a word: laid out by mathtext, never broken."""


def _tokens(spans: list[Span], break_hyphens: bool = False):
    """(word, font, space_before, hard_break) tokens; "\\n" starts a new line.

    With `break_hyphens`, a hyphenated word comes as its parts, the later ones without
    a space before them, so the wrap may end a line after any of its hyphens.
    A `\\(...\\)` formula is one unbreakable token: its word is the TeX, typed _Formula
    (see _math_tokens), and its font is the text's around it (for the space before it).
    """
    for text, font in spans:
        if MATH_OPEN in text:
            yield from _math_tokens(text, font, break_hyphens)
            continue
        for p, para in enumerate(text.split("\n")):
            if p:
                yield "", font, False, True
            first = True
            lead_space = para[:1].isspace()
            for word in para.split():
                parts = _AFTER_HYPHEN.split(word) if break_hyphens else [word]
                for k, part in enumerate(parts):
                    yield part, font, (lead_space or not first) and k == 0, False
                first = False


def _math_tokens(text: str, font: str, break_hyphens: bool = False):
    from cardpress.typeset.mathtext import split_runs  # validated text: split_runs does not raise here

    # Words and formulas are spaced as written: "loss \\(x\\)," puts a space before the
    # formula and none before the comma (a plain run's leading space sets its first word's).
    space = False
    for is_math, run in split_runs(text):
        if is_math:
            yield _Formula(run), font, space, False
            space = False
        else:
            yield from _tokens([(run, font)], break_hyphens)
            space = run[-1:].isspace()


# No glyph of a formula prints smaller than this (the deck's and the sheet's floor): scripts
# shrink to 0.7 and second-level scripts to 0.49 of the size, so a formula whose smallest
# glyph would fall below it is set larger, as a whole, until that glyph reaches it.
MATH_MIN_GLYPH = 6.0


def math_box(tex: str, size: float):
    """The formula laid out for text of `size`: at that size, or larger so no glyph is below
    MATH_MIN_GLYPH (a few hundredths of a point over, never under)."""
    from cardpress.typeset.mathtext import layout  # imports matplotlib only on a cache miss

    box = layout(tex, size)
    smallest = min((g.size for g in box.glyphs), default=size)
    if smallest < MATH_MIN_GLYPH - 1e-9:
        box = layout(tex, math.ceil(size * MATH_MIN_GLYPH / smallest * 100) / 100)
    return box


def _break_word(word: str, font: str, limit: float) -> list[str]:
    """Pieces of a word wider than the box, each as long as fits (at least one character)."""
    pieces, current = [], ""
    for ch in word:
        if current and unit_width(current + ch, font) > limit:
            pieces.append(current)
            current = ch
        else:
            current += ch
    pieces.append(current)
    return pieces


def wrap_spans(spans: list[Span], size: float, width: float, break_hyphens: bool = False,
               break_math: bool = False) -> list[Line]:
    """Greedy word wrap of mixed-font text into lines no wider than `width` at `size`.

    Breaks at spaces; a token wider than the whole line is split inside itself so that
    nothing is ever wider than the box.
    """
    limit = width / size  # compare in 1-pt units
    lines: list[Line] = []
    segs: list[Segment] = []
    x = 0.0
    # Allow for float noise so a word that exactly fills the line is kept on it.
    eps = 1e-9

    ascent = descent = 0.0  # of the current line's formulas, in units of the size

    def flush():
        nonlocal segs, x, ascent, descent
        lines.append(Line(tuple(segs), x, ascent, descent) if ascent or descent else Line(tuple(segs), x))
        segs, x, ascent, descent = [], 0.0, 0.0, 0.0

    for word, font, space_before, hard in _tokens(spans, break_hyphens):
        if hard:
            flush()
            continue
        space = unit_width(" ", font) if (space_before and segs) else 0.0
        if type(word) is _Formula:
            # A formula is measured at the size being tried (mathtext does not scale linearly)
            # and never broken inside: if it is wider than the line, the fit rejects this size.
            # With break_math (text whose size is chosen for a whole page, like the sheet's
            # columns), such a formula is cut before its top-level operators instead.
            boxes = [math_box(str(word), size)]
            if break_math and boxes[0].width / size > limit + eps:
                from cardpress.typeset.mathtext import break_points

                boxes = [math_box(piece, size) for piece in break_points(str(word))]
            for k, box in enumerate(boxes):
                if k:
                    space = unit_width(" ", font)
                w = box.width / size
                if segs and x + space + w > limit + eps:
                    flush()
                    space = 0.0
                segs.append(Segment((" " if space else "") + box.text, font, x + space, box))
                x += space + w
                up, down = box.ascent / size, box.descent / size
                ascent, descent = max(ascent, up), max(descent, down)
            continue
        w = unit_width(word, font)
        if segs and x + space + w > limit + eps:
            flush()
            space = 0.0
        if not segs and w > limit + eps:
            pieces = _break_word(word, font, limit)
            for piece in pieces[:-1]:
                pw = unit_width(piece, font)
                lines.append(Line((Segment(piece, font, 0.0),), pw))
            word, w = pieces[-1], unit_width(pieces[-1], font)
        if segs and segs[-1].font == font and segs[-1].math is None:
            last = segs[-1]
            segs[-1] = Segment(last.text + (" " if space else "") + word, font, last.x)
        else:
            # The space travels with the new run so extracted text reads "65M parameters".
            segs.append(Segment((" " if space else "") + word, font, x))
        x += space + w
    if segs or not lines:
        flush()
    return lines


def count_lines(spans: list[Span], size: float, width: float, break_hyphens: bool = False) -> int | None:
    """len(wrap_spans(spans, size, width, break_hyphens)) without building the lines; None
    for text with a formula (its width comes from laying it out). The same tokens and the
    same comparisons as wrap_spans; tests/test_sheet_heights.py holds the two to the same
    counts. (It is `validate`'s inner loop over every card of the sheet: hence the inlining.)"""
    if any(MATH_OPEN in text for text, _ in spans):
        return None
    lim = width / size + 1e-9  # wrap_spans' `limit + eps`
    lines, x, open_line = 0, 0.0, False
    for text, font in spans:
        widths = _word_widths.get(font)
        if widths is None:
            widths = _word_widths[font] = {}
        space_w = unit_width(" ", font)
        for p, para in enumerate(text.split("\n") if "\n" in text else (text,)):
            if p:
                lines, x, open_line = lines + 1, 0.0, False
            lead_space = para[:1].isspace()
            if not (break_hyphens and "-" in para):
                # No word breaks at a hyphen here: one token per word (the usual case).
                for j, word in enumerate(para.split()):
                    space = space_w if (open_line and (j or lead_space)) else 0.0
                    w = widths.get(word)
                    if w is None:
                        w = widths[word] = unit_width(word, font)
                    if open_line and x + space + w > lim:
                        lines, x, open_line, space = lines + 1, 0.0, False, 0.0
                    if not open_line and w > lim:
                        pieces = _break_word(word, font, width / size)
                        lines += len(pieces) - 1
                        w = unit_width(pieces[-1], font)
                    open_line = True
                    x += space + w
                continue
            for j, word in enumerate(para.split()):
                parts = _AFTER_HYPHEN.split(word) if "-" in word else (word,)
                for k, part in enumerate(parts):
                    space = space_w if (open_line and k == 0 and (j or lead_space)) else 0.0
                    w = widths.get(part)
                    if w is None:
                        w = widths[part] = unit_width(part, font)
                    if open_line and x + space + w > lim:
                        lines, x, open_line, space = lines + 1, 0.0, False, 0.0
                    if not open_line and w > lim:
                        pieces = _break_word(part, font, width / size)
                        lines += len(pieces) - 1
                        w = unit_width(pieces[-1], font)
                    open_line = True
                    x += space + w
    return lines + 1 if (open_line or not lines) else lines


_word_widths: dict[str, dict[str, float]] = {}  # font -> word -> unit_width(word, font)


def wrap(text: str, font: str, size: float, width: float) -> list[Line]:
    return wrap_spans([(text, font)], size, width)


# A line's own room: this share of the size above its baseline (page.placed_lines puts the
# first baseline there), the rest of the leading below it.
ASCENT_SHARE = 0.95


@dataclass(frozen=True)
class Fit:
    size: float
    leading: float  # baseline-to-baseline distance in points, for lines of plain text
    lines: tuple[Line, ...]

    def extra(self, line: Line) -> tuple[float, float]:
        """Points a line's formulas reach above and below its own room (0, 0 for plain text).

        The leading grows by exactly these, so a tall formula never reaches into the
        neighbouring lines' room, nor out of the box the fit was made for.
        """
        if not (line.ascent or line.descent):
            return 0.0, 0.0
        above = self.size * ASCENT_SHARE
        return (max(0.0, line.ascent * self.size - above),
                max(0.0, line.descent * self.size - (self.leading - above)))

    @property
    def height(self) -> float:
        h = len(self.lines) * self.leading
        for line in self.lines:
            if line.ascent or line.descent:
                above, below = self.extra(line)
                h += above + below
        return h

    def baselines(self) -> list[float]:
        """Each line's baseline, in points below the top of the text."""
        out, y = [], 0.0
        for line in self.lines:
            above, below = self.extra(line)
            out.append(y + above + self.size * ASCENT_SHARE)
            y += self.leading + above + below
        return out

    @property
    def widest(self) -> float:
        """The widest line at 1 pt (only a formula can make one wider than the box)."""
        return max((ln.width for ln in self.lines), default=0.0)


def layout_at(spans: list[Span], size: float, width: float, leading_ratio: float = 1.2) -> Fit:
    return _layout_at(tuple(spans), size, width, leading_ratio)


# Worksheets set the same labels and defaults on every paper, at the same few sizes: 150
# layouts a paper, most of them repeats. A Fit is immutable, so a repeat can share it.
@lru_cache(maxsize=1024)
def _layout_at(spans: tuple[Span, ...], size: float, width: float, leading_ratio: float) -> Fit:
    return Fit(size, size * leading_ratio, tuple(wrap_spans(spans, size, width)))


def sizes_between(smallest: float, largest: float, step: float = 0.25) -> list[float]:
    n = int(round((largest - smallest) / step))
    return [round(smallest + i * step, 4) for i in range(n + 1)]


def largest_fitting(sizes: list[float], fits, hint: float | None = None) -> float | None:
    """The largest size for which fits(size) holds, by binary search (assumes monotone).

    `hint` (say, the size the previous card got) narrows the search: if it fits and the next
    size up does not, that is the answer after two probes; otherwise the search goes on in
    the half it points to. For a monotone predicate the answer is the same with or without it.
    """
    lo, hi, best = 0, len(sizes) - 1, None
    if hint is not None and sizes:
        h = min(bisect_left(sizes, hint), len(sizes) - 1)  # sizes ascend; any start gives the same answer
        if fits(sizes[h]):
            best, lo = sizes[h], h + 1
            if lo <= hi:
                if not fits(sizes[lo]):
                    return best
                best, lo = sizes[lo], lo + 1
        else:
            hi = h - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(sizes[mid]):
            best, lo = sizes[mid], mid + 1
        else:
            hi = mid - 1
    return best


def _fits(fit: Fit, width: float, height: float) -> bool:
    if fit.height > height + 1e-6:
        return False
    # Plain words are broken to fit the width; a formula is not, so it can overflow it.
    return not any(ln.ascent or ln.descent for ln in fit.lines) or fit.widest * fit.size <= width + 1e-6


def fit_spans(spans: list[Span], width: float, height: float, max_size: float, min_size: float,
              leading_ratio: float = 1.2, step: float = 0.25, hint: float | None = None) -> Fit | None:
    """The largest layout between the sizes whose lines fit the box, or None if even min_size overflows."""
    size = largest_fitting(
        sizes_between(min_size, max_size, step),
        lambda s: _fits(layout_at(spans, s, width, leading_ratio), width, height),
        hint,
    )
    return None if size is None else layout_at(spans, size, width, leading_ratio)


def fit_text(text: str, font: str, width: float, height: float, max_size: float, min_size: float,
             leading_ratio: float = 1.2, step: float = 0.25) -> Fit | None:
    return fit_spans([(text, font)], width, height, max_size, min_size, leading_ratio, step)
