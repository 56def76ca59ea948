"""Proofs that a text fits, without wrapping it: upper bounds on greedy word wrap.

`validate` must accept exactly what `build` accepts, but most cards fit with room to
spare, and wrapping every text of 10,000 cards at every size costs seconds. A bound that
can only over-count lines lets the check accept those cards from a few sums and send
every other one to the real fitting, so a bound never changes an answer, only its cost.

The bound. Greedy wrap (textfit.wrap_spans, deck.measure.Measured.lines_at) starts a new
line only when the next word does not fit on the current one: for every line i but the
last, width_i + space + first_word(i + 1) > limit. Summing over the n - 1 such lines, with
T the text's width as one line (words and the spaces between them) and W its widest word,
T + (n - 1) * W > (n - 1) * limit, so n < 1 + T / (limit - W) whenever W < limit (then no
word is broken inside). Widths come from the same per-character advances that
reportlab's stringWidth sums; T and W are rounded up a little so float noise only ever
makes the bound larger.
"""

from __future__ import annotations

import math

from cardpress.typeset.textfit import MATH_OPEN

_SLACK = 1e-6  # relative: far above float noise, far below anything a line count notices


class _Advances(dict):
    """Character -> advance at 1 pt; characters the font lacks get its default width."""

    def __init__(self, font: str):
        from reportlab.pdfbase.pdfmetrics import getFont

        from cardpress.typeset import fonts

        fonts.use(font)
        face = getFont(font).face
        super().__init__((chr(c), w * 0.001) for c, w in face.charWidths.items())
        self.default = face.defaultWidth * 0.001

    def __missing__(self, ch: str) -> float:
        return self.default


_advances: dict[str, _Advances] = {}
_stats: dict[tuple[str, str], tuple[float, float] | None] = {}


def advances(font: str) -> _Advances:
    table = _advances.get(font)
    if table is None:
        table = _advances[font] = _Advances(font)
    return table


def stats(text: str, font: str) -> tuple[float, float] | None:
    """(T, W) of a one-paragraph plain text at 1 pt, each rounded up; None for text with a
    hard line break or a formula (those take the general path)."""
    key = (text, font)
    hit = _stats.get(key, False)
    if hit is not False:
        return hit
    out = None
    if "\n" not in text and MATH_OPEN not in text:
        adv = advances(font)
        words = text.split()
        if words:
            get = adv.__getitem__
            # Whitespace counts at its own advance, and each gap between words as one space.
            total = sum(map(get, text)) + (len(words) - 1) * adv[" "]
            widest = max(map(len, words)) * max(map(get, set(text)))
            out = (total * (1 + _SLACK) + _SLACK, widest * (1 + _SLACK) + _SLACK)
        else:
            out = (0.0, 0.0)
    _stats[key] = out
    return out


def max_lines(text: str, font: str, size: float, width: float) -> int | None:
    """An upper bound on the lines greedy wrap gives `text` at `size` in `width` points,
    or None when no bound is proved (a formula, a line break, a word near the width)."""
    st = stats(text, font)
    if st is None:
        return None
    total, widest = st
    limit = width / size * (1 - _SLACK)
    if total <= limit:
        return 1  # the whole text is no wider than the line: no break anywhere
    if widest >= limit:
        return None
    return math.floor(total / (limit - widest)) + 1
