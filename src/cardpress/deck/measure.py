"""Fast "how many lines at this size?" for one-font text, for the size searches.

textfit.wrap_spans builds Line and Segment objects, which is right for the one layout
that gets drawn but wasteful for the half-dozen probes a binary search makes per text
(the benchmark showed wrapping at 35% of a 1,000-card build). This counts lines with the
same greedy rule over cached word widths and builds nothing. The real layout is always
made by textfit at the chosen size and checked again, so if this ever disagreed with
wrap_spans the result would still never overflow its box.
"""

from __future__ import annotations

from functools import lru_cache

from cardpress.typeset.textfit import (
    MATH_OPEN, Fit, Line, Segment, fit_spans, largest_fitting, layout_at, sizes_between, unit_width,
)

_EPS = 1e-9  # the same float allowance wrap_spans uses


@lru_cache(maxsize=64)
def size_steps(smallest: float, largest: float) -> tuple[float, ...]:
    """textfit.sizes_between, made once per pair of sizes instead of once per text."""
    return tuple(sizes_between(smallest, largest))


class Measured:
    """One text in one font, its word widths at 1 pt measured once."""

    __slots__ = ("text", "font", "words", "widths", "space", "simple")

    def __init__(self, text: str, font: str):
        self.text, self.font = text, font
        self.words = text.split()
        self.widths = [unit_width(w, font) for w in self.words]
        self.space = unit_width(" ", font)
        # Hard line breaks and formulas take the general path; catalog text is one paragraph.
        self.simple = "\n" not in text and MATH_OPEN not in text

    def lines_at(self, size: float, width: float) -> int | None:
        """Line count at `size` in `width`, or None when a word must be broken (general path)."""
        if not self.simple:
            return None
        limit = width / size
        lines, x, space = 1, -1.0, self.space
        for w in self.widths:
            if w > limit + _EPS:
                return None
            if x < 0:
                x = w
            elif x + space + w > limit + _EPS:
                lines += 1
                x = w
            else:
                x += space + w
        return lines

    def height_at(self, size: float, width: float, leading: float) -> float | None:
        n = self.lines_at(size, width)
        return None if n is None else n * size * leading

    def layout(self, size: float, width: float, leading: float) -> Fit:
        """textfit.layout_at for this text: the same Fit, made from the cached widths when simple.

        wrap_spans rebuilds a Segment for every word it adds to a line; here each line's
        words are joined once. Same greedy rule, same float sums in the same order.
        """
        lines = self._lines(size, width) if self.simple and self.words else None
        if lines is None:
            return layout_at([(self.text, self.font)], size, width, leading)
        return Fit(size, size * leading, lines)

    def _lines(self, size: float, width: float) -> tuple[Line, ...] | None:
        limit = width / size + _EPS
        space, font = self.space, self.font
        lines: list[Line] = []
        start, x = 0, -1.0
        for i, w in enumerate(self.widths):
            if w > limit:
                return None  # wrap_spans breaks this word inside itself: its own path
            if x < 0:
                x = 0.0 + (0.0 + w)
            elif x + space + w > limit:
                lines.append(Line((Segment(" ".join(self.words[start:i]), font, 0.0),), x))
                start, x = i, 0.0 + (0.0 + w)
            else:
                x += space + w
        lines.append(Line((Segment(" ".join(self.words[start:]), font, 0.0),), x))
        return tuple(lines)


def fit_measured(m: Measured, width: float, height: float, largest: float, smallest: float,
                 leading: float, hint: float | None = None) -> Fit | None:
    """The largest fitting layout between the sizes, like textfit.fit_text but cheaper to search.

    `hint` (the size a similar text got last time) starts the search there; same answer.
    """
    general = False

    def fits(size: float) -> bool:
        nonlocal general
        h = m.height_at(size, width, leading)
        if h is None:
            general = True
            return False
        return h <= height + 1e-6

    size = largest_fitting(size_steps(smallest, largest), fits, hint)
    if not general:
        if size is None:
            return None
        fit = m.layout(size, width, leading)
        if fit.height <= height + 1e-6:
            return fit
    return fit_spans([(m.text, m.font)], width, height, largest, smallest, leading, hint=hint)
