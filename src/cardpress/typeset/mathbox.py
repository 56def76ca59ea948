"""A laid-out formula: glyphs and rules in a box, measured from its baseline.

Its own module so that mathtext (which lays formulas out) and mathcompose (which stacks
mathtext's boxes into matrices, cases and braces) both build on it without a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

# No glyph of a formula's scripts is set below this (LaTeX's \scriptsize at 7 pt body).
# Scripts are 70 % and second-level scripts 49 % of the text (mathtext's, TeX's ratios),
# floored here; the formula itself is never enlarged to lift a script (issue 21).
SCRIPT_FLOOR = 5.0


@dataclass(frozen=True)
class MathGlyph:
    font_name: str  # as registered with reportlab by cardpress.typeset.fonts
    char: str
    x: float
    y: float  # baseline of the glyph, relative to the formula's baseline, y up
    size: float


@dataclass(frozen=True)
class MathBox:
    width: float
    ascent: float  # above the baseline
    descent: float  # below the baseline, positive
    glyphs: tuple[MathGlyph, ...]
    rules: tuple[tuple[float, float, float, float], ...]  # (x, y, w, h) filled, y up
    tex: str = ""  # the formula as written: what a copy from the PDF gives (/ActualText)

    @property
    def text(self) -> str:
        """The characters in drawing order, as a PDF text search sees them."""
        return "".join(g.char for g in self.glyphs)
