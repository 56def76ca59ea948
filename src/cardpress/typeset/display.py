r"""Display math: a formula that stands on its own line (issue 21), set by one rule.

A formula stands alone when it is `\[...\]` in a text, an `equation` field, or a figure that
is all formula. Every engine reaches it through the one breaker (breaker.at_size), and so
does `validate`, so what validate accepts is what build draws. The rule:

1. On its own line at the text's size, in display style (mathmacros: `\dfrac`, limits over
   and under big operators), centred in the measure.
2. If it is wider than the measure, it breaks before top-level relations and operators
   (mathtext.break_points: a `\left...\right` group, braces and environments are atoms),
   each line as full as fits. A continuation line that starts with a relation puts it
   under the first line's relation; one that starts with an operator sits a quad further
   in (TeX's `split` with `&\quad + c`). Every line is set at the same size, and the
   block is centred as one.
3. Still too wide: the same in text style (fractions and limits as inline), then both again
   half a point smaller (mathtext's layout grid), down to FLOOR (scripts keep their 5 pt
   floor, mathbox.SCRIPT_FLOOR).
4. Wider than the measure even at FLOOR: the narrowest arrangement at FLOOR is returned with
   its overrun; the engines refuse it (textfit.formula_overruns names the piece and the points).

Pure geometry over boxes mathtext lays out; nothing here draws.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from cardpress.typeset.mathbox import MathBox

FLOOR = 6.0  # points: no display formula is shrunk below this (or below its text, if smaller)
STEP = 0.5  # the shrink's steps: mathtext.GRID, so each size tried is one cached layout
EPS = 1e-6

# A piece that starts with one of these is a relation (it aligns under the first relation).
_RELATION = re.compile(r"\s*(=|<|>|\\(?:approx|propto|le|leq|ge|geq|ne|neq|equiv|sim|simeq|cong|ll|gg|to|mapsto"
                       r"|coloneqq|triangleq|iff|implies|Longrightarrow|Rightarrow)(?![A-Za-z]))")


@dataclass(frozen=True)
class Display:
    """A display formula set in a measure: its lines, placed."""

    size: float  # the size every line is set at (the text's, or shrunk toward FLOOR)
    style: str  # "display" or "text"
    lines: tuple[MathBox, ...]  # each moved right to its place: its width is where its ink ends
    over: float  # points the widest line reaches past the measure; 0 when it fits


def display_tex(text: str) -> str | None:
    r"""The TeX of a text that is one formula and nothing else (`\(...\)` or `\[...\]`,
    spaces around allowed), else None: such a field is set as display math."""
    s = text.strip()
    for a, b in ((r"\(", r"\)"), (r"\[", r"\]")):
        if s.startswith(a) and s.endswith(b) and s.count(a) == 1 and s.count(b) == 1 and len(s) > 4:
            return s[2:-2]
    return None


def as_display(text: str) -> str:
    r"""`text` written as display math if it is all formula (`\(x\)` becomes `\[x\]`), else as it is."""
    tex = display_tex(text)
    return text if tex is None else text[: len(text) - len(text.lstrip())] + r"\[" + tex + r"\]"


def sizes(size: float) -> list[float]:
    """The sizes tried, largest first: the text's, then down the grid to FLOOR."""
    floor = min(size, FLOOR)
    out = [size]
    s = math.ceil(size / STEP - EPS) * STEP - STEP  # the grid size just below the text's
    while s > floor + EPS:
        out.append(round(s, 4))
        s -= STEP
    if out[-1] > floor + EPS:
        out.append(floor)
    return out


@lru_cache(maxsize=4096)
def set_display(tex: str, size: float, width: float) -> Display:
    """`tex` as display math at `size` in a measure `width` points wide, by the rule above."""
    narrowest = None
    for s in sizes(size):
        for style in ("display", "text"):
            lines = arrange(tex, s, width, style == "display")
            widest = max(indent + box.width for indent, box in lines)
            if widest <= width + EPS:
                return Display(s, style, _placed(lines, width), 0.0)
            if narrowest is None or widest < narrowest[0]:
                narrowest = (widest, lines, s, style)
    widest, lines, s, style = narrowest
    return Display(s, style, _placed(lines, width), round(widest - width, 2))


def arrange(tex: str, size: float, width: float, display: bool) -> list[tuple[float, MathBox]]:
    """(indent, box) per line: the whole formula if it fits, else its top-level pieces packed
    into lines as full as fit (a piece wider than the measure alone on its line)."""
    from cardpress.typeset.mathtext import break_points, layout

    whole = layout(tex, size, display=display)
    pieces = break_points(tex)
    if whole.width <= width + EPS or len(pieces) < 2:
        return [(0.0, whole)]
    quad = size
    rel_x = layout(pieces[0], size, display=display).width if _RELATION.match(pieces[1]) else 0.0

    def line(src: str, first: bool) -> tuple[float, MathBox]:
        if first:
            return 0.0, layout(src, size, display=display)
        # "{}" makes a leading relation or operator binary (spaced), as after `&` in TeX.
        box = replace(layout("{}" + src, size, display=display), tex=src)
        return (rel_x if _RELATION.match(src) else rel_x + quad), box

    out: list[tuple[float, MathBox]] = []
    i = 0
    while i < len(pieces):
        j = i + 1
        best = line(pieces[i], i == 0)
        while j < len(pieces):
            cand = line(" ".join(pieces[i:j + 1]), i == 0)
            if cand[0] + cand[1].width > width + EPS:
                break
            best, j = cand, j + 1
        indent, box = best
        # A lone piece too wide for its indent moves left as far as it must (to the margin).
        out.append((max(0.0, min(indent, width - box.width)), box))
        i = j
    return out


def _placed(lines: list[tuple[float, MathBox]], width: float) -> tuple[MathBox, ...]:
    """Each line moved right by its indent plus the block's centring offset."""
    from cardpress.typeset.mathcompose import shifted

    block = max(indent + box.width for indent, box in lines)
    dx = max(0.0, (width - block) / 2)
    out = []
    for indent, box in lines:
        # Rounded down to the 1e-4 pt the boxes are kept in, so a line that fits still does.
        move = math.floor((dx + indent) * 1e4 + EPS) / 1e4
        if move:
            glyphs, rules = shifted(box, move, 0.0)
            box = MathBox(box.width + move, box.ascent, box.descent, glyphs, rules, box.tex)
        out.append(box)
    return tuple(out)


def is_equation(tex: str) -> bool:
    """Whether a formula has a relation at its top level (`L = ...`, `a \\le b`): a figure
    that is such a formula is an equation and stands on its own line (sheet, deck)."""
    from cardpress.typeset.mathtext import break_points

    return any(_RELATION.match(p) for p in break_points(tex)[1:])


def equation_figure(text: str) -> str:
    r"""A number's figure as it is set: one that is all formula and an equation becomes
    display math (`\[...\]`); a symbol or a value (`\(\beta\)`, `\(O(n)\)`) stays inline."""
    tex = display_tex(text)
    return as_display(text) if tex is not None and is_equation(tex) else text
