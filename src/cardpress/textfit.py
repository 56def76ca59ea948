"""Measuring, wrapping and fitting text: pure functions over numbers.

Following platypus's wrap-then-draw: nothing here touches a canvas. Word widths are
measured once at 1 pt and scaled, so trying a dozen sizes on a card costs arithmetic,
not re-measurement. Fitting is a binary search over sizes with a "does it fit?"
predicate (Squib's `sizes.bsearch`), never a loop of drawing and erasing.
"""

from __future__ import annotations

import re

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from cardpress import fonts

_unit_widths: dict[tuple[str, str], float] = {}


def unit_width(text: str, font: str) -> float:
    """Width of `text` at 1 pt in `font` (cached: catalogs repeat words a lot)."""
    key = (font, text)
    w = _unit_widths.get(key)
    if w is None:
        fonts.register()
        w = _unit_widths[key] = stringWidth(text, font, 1.0)
    return w


def text_width(text: str, font: str, size: float) -> float:
    return unit_width(text, font) * size


@dataclass(frozen=True)
class Segment:
    """A run of text in one font, placed at x (points from the line's left edge) at size 1."""

    text: str
    font: str
    x: float  # at 1 pt; multiply by the size


@dataclass(frozen=True)
class Line:
    segments: tuple[Segment, ...]
    width: float  # at 1 pt

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


Span = tuple[str, str]  # (text, font)


# A hyphen between letters is a place a line may end ("masked-language-" / "modeling").
_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


def _tokens(spans: list[Span], break_hyphens: bool = False):
    """(word, font, space_before, hard_break) tokens; "\\n" starts a new line.

    With `break_hyphens`, a hyphenated word comes as its parts, the later ones without
    a space before them, so the wrap may end a line after any of its hyphens.
    """
    for text, font in spans:
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


def wrap_spans(spans: list[Span], size: float, width: float, break_hyphens: bool = False) -> list[Line]:
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

    def flush():
        nonlocal segs, x
        lines.append(Line(tuple(segs), x))
        segs, x = [], 0.0

    for word, font, space_before, hard in _tokens(spans, break_hyphens):
        if hard:
            flush()
            continue
        space = unit_width(" ", font) if (space_before and segs) else 0.0
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
        if segs and segs[-1].font == font:
            last = segs[-1]
            segs[-1] = Segment(last.text + (" " if space else "") + word, font, last.x)
        else:
            # The space travels with the new run so extracted text reads "65M parameters".
            segs.append(Segment((" " if space else "") + word, font, x))
        x += space + w
    if segs or not lines:
        flush()
    return lines


def wrap(text: str, font: str, size: float, width: float) -> list[Line]:
    return wrap_spans([(text, font)], size, width)


@dataclass(frozen=True)
class Fit:
    size: float
    leading: float  # baseline-to-baseline distance in points
    lines: tuple[Line, ...]

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


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


def fit_spans(spans: list[Span], width: float, height: float, max_size: float, min_size: float,
              leading_ratio: float = 1.2, step: float = 0.25, hint: float | None = None) -> Fit | None:
    """The largest layout between the sizes whose lines fit the box, or None if even min_size overflows."""
    size = largest_fitting(
        sizes_between(min_size, max_size, step),
        lambda s: layout_at(spans, s, width, leading_ratio).height <= height + 1e-6,
        hint,
    )
    return None if size is None else layout_at(spans, size, width, leading_ratio)


def fit_text(text: str, font: str, width: float, height: float, max_size: float, min_size: float,
             leading_ratio: float = 1.2, step: float = 0.25) -> Fit | None:
    return fit_spans([(text, font)], width, height, max_size, min_size, leading_ratio, step)
