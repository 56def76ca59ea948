"""The embedded DejaVu families, registered with reportlab in one place.

reportlab's 14 standard fonts cover Latin-1 only; the catalog needs β, →, ≈, ∝ and ².
DejaVu (Bitstream Vera licence, see fonts/LICENSE-DejaVu.txt) covers them and ships
inside the package so output never depends on what the machine has installed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"

# Logical names used by every engine and the painter.
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_OBLIQUE = "DejaVuSans-Oblique"
SANS_BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
COND = "DejaVuSansCondensed"
COND_BOLD = "DejaVuSansCondensed-Bold"
MONO = "DejaVuSansMono"
MONO_BOLD = "DejaVuSansMono-Bold"

ALL_FONTS = (SANS, SANS_BOLD, SANS_OBLIQUE, SANS_BOLD_OBLIQUE, COND, COND_BOLD, MONO, MONO_BOLD)

# Faces only math uses (issue 11): matplotlib's mathtext takes big operators from DejaVu
# Sans Display and tall radicals and delimiters from the STIX size fonts (STIX licence,
# fonts/LICENSE-STIX.txt). Embedding the same files keeps every formula glyph real text.
SANS_DISPLAY = "DejaVuSansDisplay"
STIX_SIZES = tuple(f"STIXSiz{n}SymReg" for n in ("One", "Two", "Three", "Four", "Five"))
MATH_FONTS = (SANS_DISPLAY, *STIX_SIZES)

# Coverage is checked against the faces catalog text is actually set in.
TEXT_FONTS = (SANS, SANS_BOLD, SANS_OBLIQUE, COND, COND_BOLD)


@cache
def register() -> None:
    """Register every embedded face once per process (idempotent)."""
    for name in (*ALL_FONTS, *MATH_FONTS):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    # Families let Paragraph-style <b>/<i> markup pick the right face.
    for family, regular, bold, italic, bold_italic in (
        (SANS, SANS, SANS_BOLD, SANS_OBLIQUE, SANS_BOLD_OBLIQUE),
        (COND, COND, COND_BOLD, COND, COND_BOLD),
        (MONO, MONO, MONO_BOLD, MONO, MONO_BOLD),
    ):
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold_italic)


@cache
def _codepoints(font_name: str) -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def missing_chars(text: str, fonts: tuple[str, ...] = TEXT_FONTS) -> list[str]:
    """Characters of `text` (in order, once each) that some face in `fonts` cannot draw."""
    seen: set[str] = set()
    missing: list[str] = []
    for ch in text:
        if ch in seen or ch in "\n\t":
            continue
        seen.add(ch)
        if any(ord(ch) not in _codepoints(f) for f in fonts):
            missing.append(ch)
    return missing
