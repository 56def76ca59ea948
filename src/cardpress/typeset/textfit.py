"""Measuring, wrapping and fitting text: pure functions over numbers.

Following platypus's wrap-then-draw: nothing here touches a canvas. Word widths are
measured once at 1 pt and scaled, so trying a dozen sizes on a card costs arithmetic,
not re-measurement. Lines come from the one breaker (breaker.py); fitting is a binary search over sizes with a "does it fit?"
predicate (Squib's `sizes.bsearch`), never a loop of drawing and erasing.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cardpress.typeset import breaker
from cardpress.typeset.breaker import unit_width


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


MATH_OPEN = r"\("


# Math scripts print no smaller than this (issue 21: LaTeX's \\scriptsize at 7 pt body); the
# floor is applied inside the formula (mathtext.SCRIPT_FLOOR), never by enlarging it.
MATH_MIN_GLYPH = 5.0


def wrap_spans(spans: list[Span], size: float, width: float, break_hyphens: bool = False,
               break_math: bool = False, lang: str | None = None, justify: bool = False) -> list[Line]:
    """Mixed-font text set in lines no wider than `width` at `size`, by the one breaker.

    Breaks at spaces (and, with `break_hyphens`, after a hyphen between letters; with
    `lang`, at the language's hyphenation points); a word wider than the whole line is cut
    inside itself so that nothing but a formula is ever wider than the box (a line broken at
a hyphenation point ends in breaker.SOFT_HYPHEN, drawn as a hyphen). With `justify`
    the breaks are Knuth-Plass's and every line but a paragraph's last fills the width.
    """
    limit = width / size  # compare in 1-pt units
    run = breaker.at_size(breaker.paragraph(spans, lang, break_hyphens), size, limit, break_math)
    return [_line(run.items, a, b, size, limit, justify) for a, b in breaker.break_lines(run, limit, justify)]


def line_count(spans: list[Span], size: float, width: float, break_hyphens: bool = False,
               break_math: bool = False, lang: str | None = None, justify: bool = False) -> int:
    """len(wrap_spans(...)) with the same arguments: the same breaks, no lines built."""
    limit = width / size
    run = breaker.at_size(breaker.paragraph(spans, lang, break_hyphens), size, limit, break_math)
    return len(breaker.break_lines(run, limit, justify))


def _line(its, start: int, end: int, size: float, limit: float, justify: bool) -> Line:
    """One line of segments from its[start:end]: a run of words in one font is one segment
    (its spaces in its text); a space travels with the word after it, so extracted text reads
    "65M parameters". In a justified line every space is widened alike and each word is a
    segment at its place; a line that breaks at a hyphenation point gets its "-"."""
    n = len(its)
    brk = its[end] if end < n else None
    last = brk is None or (brk.kind == breaker.PENALTY and brk.penalty == breaker.FORCED) or brk.kind == breaker.BOX
    hyphen = brk is not None and brk.kind == breaker.PENALTY and brk.width and brk.penalty != breaker.FORCED
    natural, stretch, shrink = 0.0, 0.0, 0.0
    for it in its[start:end]:
        if it.kind == breaker.GLUE:
            natural += it.width
            stretch += it.width * breaker.JUSTIFY_STRETCH
            shrink += it.width * breaker.JUSTIFY_SHRINK
        elif it.kind == breaker.BOX:
            natural += it.width
    if hyphen:
        natural += brk.width
    ratio = 0.0
    if natural > limit + breaker.EPS and shrink > 0:
        ratio = max(-1.0, (limit - natural) / shrink)  # the optimal breaker shrank this line
    elif justify and not last and stretch > 0:
        ratio = min(breaker.MAX_RATIO, (limit - natural) / stretch)
    grow = breaker.JUSTIFY_STRETCH if ratio > 0 else breaker.JUSTIFY_SHRINK
    segs: list[Segment] = []
    x = 0.0
    ascent = descent = 0.0
    space = 0.0
    spaced = ratio != 0.0
    for it in its[start:end]:
        kind = it.kind
        if kind == breaker.GLUE:
            if segs:
                space += it.width * (1 + ratio * grow) if spaced else it.width
            continue
        if kind != breaker.BOX:
            continue
        if it.math is not None:
            box = it.math
            segs.append(Segment((" " if space else "") + box.text, it.font, x + space, box))
            x += space + it.width
            ascent, descent = max(ascent, box.ascent / size), max(descent, box.descent / size)
            space = 0.0
            continue
        last_seg = segs[-1] if segs else None
        if last_seg is not None and last_seg.font == it.font and last_seg.math is None and (not space or not spaced):
            segs[-1] = Segment(last_seg.text + (" " if space else "") + it.text, it.font, last_seg.x)
        elif space and spaced:
            # The space glyph is drawn at its natural width just before the word; the rest
            # of the widened space is left blank before it.
            sp = unit_width(" ", it.font)
            segs.append(Segment(" " + it.text, it.font, x + space - sp))
        else:
            segs.append(Segment((" " if space else "") + it.text, it.font, x))
        x += space + it.width
        space = 0.0
    if hyphen:
        last_seg = segs[-1]
        segs[-1] = Segment(last_seg.text + brk.text, last_seg.font, last_seg.x, last_seg.math)
        x += brk.width
    return Line(tuple(segs), x, ascent, descent)


def wrap(text: str, font: str, size: float, width: float) -> list[Line]:
    return wrap_spans([(text, font)], size, width)


# A line's own room: this share of the size above its baseline (page.placed_lines puts the
# first baseline there), the rest of the leading below it.
ASCENT_SHARE = 0.95
LINESKIP = 0.1  # ems kept between a tall formula and its neighbours' room (TeX: 1 pt at 10 pt)


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
        up = line.ascent * self.size - above
        down = line.descent * self.size - (self.leading - above)
        # Where a formula reaches past the line's room, TeX's \lineskip: without it a
        # broken display's fraction sat on the next line's numerator, ink to ink.
        return (up + LINESKIP * self.size if up > 0 else 0.0,
                down + LINESKIP * self.size if down > 0 else 0.0)

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


def plain_height(spans, size: float, width: float, leading_ratio: float = 1.2) -> float | None:
    """layout_at(spans, size, width, leading_ratio).height from the breaker's line count
    alone (no lines built); None for text with a formula, whose lines' heights vary."""
    if breaker.paragraph(spans).has_math:
        return None
    return line_count(spans, size, width) * (size * leading_ratio)


@lru_cache(maxsize=64)
def size_steps(smallest: float, largest: float, step: float = 0.25) -> tuple[float, ...]:
    """sizes_between, made once per pair of sizes instead of once per text."""
    return tuple(sizes_between(smallest, largest, step))


def fit_size(spans: list[Span], width: float, height: float, max_size: float, min_size: float,
             leading_ratio: float = 1.2, step: float = 0.25, hint: float | None = None) -> float | None:
    """The size fit_spans lays out at, found without laying anything out but formulas: the
    search probes the breaker's line counts (plain_height)."""
    spans = tuple(spans)

    def fits(s: float) -> bool:
        h = plain_height(spans, s, width, leading_ratio)
        if h is None:
            return _fits(layout_at(spans, s, width, leading_ratio), width, height)
        return h <= height + 1e-6

    return largest_fitting(size_steps(min_size, max_size, step), fits, hint)


def height_at(spans: list[Span], size: float, width: float, leading_ratio: float = 1.2) -> float:
    """layout_at(...).height, from the line count when the text has no formula."""
    h = plain_height(spans, size, width, leading_ratio)
    return layout_at(spans, size, width, leading_ratio).height if h is None else h


def fit_spans(spans: list[Span], width: float, height: float, max_size: float, min_size: float,
              leading_ratio: float = 1.2, step: float = 0.25, hint: float | None = None) -> Fit | None:
    """The largest layout between the sizes whose lines fit the box, or None if even min_size
    overflows. Only the answer is laid out (fit_size)."""
    size = fit_size(spans, width, height, max_size, min_size, leading_ratio, step, hint)
    return None if size is None else layout_at(spans, size, width, leading_ratio)


def fit_text(text: str, font: str, width: float, height: float, max_size: float, min_size: float,
             leading_ratio: float = 1.2, step: float = 0.25) -> Fit | None:
    return fit_spans([(text, font)], width, height, max_size, min_size, leading_ratio, step)


def formula_overruns(fit: Fit, width: float) -> list[tuple[str, float]]:
    """(TeX, points) for each formula of `fit` that reaches past `width` (issue 21).

    Words are broken to fit a line; a formula is not, so a line holding one can be wider
    than its box. The engines refuse such a size (a smaller one may fit) and, when even
    the smallest overruns, name the formula and by how much.
    """
    out = []
    for line in fit.lines:
        if not (line.ascent or line.descent):
            continue
        for seg in line.segments:
            if seg.math is not None:
                reach = seg.x * fit.size + seg.math.width  # a formula's x is its box's origin
                if reach > width + 1e-6:
                    out.append((getattr(seg.math, "tex", "") or seg.text.strip(), round(reach - width, 2)))
    return out
