"""The embedded DejaVu families, registered with reportlab in one place.

reportlab's 14 standard fonts cover Latin-1 only; the catalog needs β, →, ≈, ∝ and ².
DejaVu (Bitstream Vera licence, see fonts/LICENSE-DejaVu.txt) covers them and ships
inside the package so output never depends on what the machine has installed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

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
# \mathcal, \mathfrak, \mathbb and the symbols DejaVu lacks come from STIX General and
# STIX Non-Unicode (issue 21): mathtext falls back to them, so they ship beside the size
# fonts (same files and licence as matplotlib's mpl-data). Non-Unicode glyphs sit at
# private-use code points; the painter's /ActualText gives a copy the formula's TeX instead.
STIX_TEXT = ("STIXGeneral", "STIXGeneralItalic", "STIXGeneralBol", "STIXGeneralBolIta",
             "STIXNonUni", "STIXNonUniIta", "STIXNonUniBol", "STIXNonUniBolIta")
MATH_FONTS = (SANS_DISPLAY, *STIX_SIZES, *STIX_TEXT)

# Coverage is checked against the faces catalog text is actually set in.
TEXT_FONTS = (SANS, SANS_BOLD, SANS_OBLIQUE, COND, COND_BOLD)


EMBEDDED = frozenset((*ALL_FONTS, *MATH_FONTS))
_registered: set[str] = set()


def use(name: str) -> None:
    """Register one embedded face with reportlab the first time anything measures or draws it.

    Parsing a TrueType file is ~5 ms of pure Python per face; a deck with no formula never
    needs the six math faces, and most pages use three or four of the eight text faces.
    Names that are not ours (reportlab's standard Helvetica, say) are left to reportlab.
    """
    if name in _registered or name not in EMBEDDED:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Parsed every run: a pickled copy on disk saved 5% of a warm build's CPU (issue 18,
    # farm-bench, 15 interleaved runs) and was a file to trust; it is gone.
    pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    _registered.add(name)


@cache
def families() -> None:
    """Families let Paragraph-style <b>/<i> markup pick the right face (names only, no parsing)."""
    from reportlab.lib.fonts import addMapping

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
def register() -> None:
    """Register every embedded face at once (idempotent); the engines register each on first use."""
    # reportlab is imported inside use(), not at the top: `cardpress --help` and the
    # catalog's schema never need it, and it pulls in PIL.
    for name in (*ALL_FONTS, *MATH_FONTS):
        use(name)
    families()


# Which characters every text face draws, as code-point ranges: read from this small table
# instead of parsing five TrueType files, so `validate` never loads reportlab. A test
# checks it against the fonts themselves; regenerate with `python -m cardpress.typeset.fonts`.
COVERAGE_TABLE = FONT_DIR / "text-coverage.txt"


@cache
def _codepoints(font_name: str) -> frozenset[int]:
    """The code points one registered face draws, from its own character map."""
    from reportlab.pdfbase import pdfmetrics

    use(font_name)
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def faces_cover(fonts: tuple[str, ...]) -> frozenset[str]:
    """The characters every face in `fonts` can draw, read from the fonts' own character maps."""
    return frozenset.intersection(*(frozenset(map(chr, _codepoints(f))) for f in fonts))


def coverage_table(chars: frozenset[str]) -> str:
    points = sorted(map(ord, chars))
    ranges, start = [], 0
    for i in range(1, len(points) + 1):
        if i == len(points) or points[i] != points[i - 1] + 1:
            ranges.append(f"{points[start]:04X}-{points[i - 1]:04X}")
            start = i
    return "# code points every text face (fonts.TEXT_FONTS) draws; made by python -m cardpress.typeset.fonts\n" + \
        "\n".join(ranges) + "\n"


@cache
def covered(fonts: tuple[str, ...] = TEXT_FONTS) -> frozenset[str]:
    """The characters every face in `fonts` can draw, computed once per process."""
    if fonts != TEXT_FONTS:
        return faces_cover(fonts)
    chars: set[str] = set()
    for line in COVERAGE_TABLE.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            first, last = line.split("-")
            chars.update(map(chr, range(int(first, 16), int(last, 16) + 1)))
    return frozenset(chars)


def missing_chars(text: str, fonts: tuple[str, ...] = TEXT_FONTS) -> list[str]:
    """Characters of `text` (in order, once each) that some face in `fonts` cannot draw."""
    ok = covered(fonts)
    # A set difference first: almost every text is fully covered, and then costs one pass in C.
    if not set(text).difference(ok, "\n\t"):
        return []
    return [ch for ch in dict.fromkeys(text) if ch not in ok and ch not in "\n\t"]


if __name__ == "__main__":
    COVERAGE_TABLE.write_text(coverage_table(faces_cover(TEXT_FONTS)), encoding="ascii")
