"""Lengths from data files ("5in", "3mm", "12pt") parsed in one place; points inside.

Following rinohtype's dimension/paper split: every length the program handles is a float
in PostScript points, and paper sizes are named constants.
"""

from __future__ import annotations

import re

PT = 1.0
INCH = 72.0
MM = 72.0 / 25.4
CM = 10 * MM

_UNITS = {"pt": PT, "in": INCH, "mm": MM, "cm": CM}
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|in|mm|cm)\s*$")

# Portrait (width, height) in points.
PAPER = {
    "letter": (8.5 * INCH, 11 * INCH),
    "a4": (210 * MM, 297 * MM),
}
# No length in a layout can exceed the longest side of the largest paper cardpress prints on.
LONGEST = max(max(size) for size in PAPER.values())


def parse_length(text: str) -> float:
    """Parse "5in", "3mm", "-0.5mm", "12pt" or "1.2cm" to points; ValueError on anything else."""
    if not isinstance(text, str):
        raise ValueError(f"expected a length with a unit such as \"5in\" or \"3mm\", got {text!r}")
    m = _LENGTH.match(text)
    if not m:
        raise ValueError(
            f"{text!r} is not a length; write a number and a unit: pt, in, mm or cm (e.g. \"5in\", \"3mm\")"
        )
    value = float(m.group(1)) * _UNITS[m.group(2)]
    if value != value or value in (float("inf"), float("-inf")):  # 1 followed by 400 digits
        raise ValueError(f"{text[:40]!r} is not a length a page can hold")
    return value


def parse_offset(text: str) -> tuple[float, float]:
    """Parse "DX,DY" (e.g. "0.5mm,-1mm") to a pair of points."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not an offset; write DX,DY such as \"0.5mm,-1mm\"")
    return parse_length(parts[0]), parse_length(parts[1])
