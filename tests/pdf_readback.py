"""Read a PDF back the way a printer sees it: where the ink is, and how small the text is.

Ink: each page rendered by poppler (pdftoppm) at 72 dpi in grey, so one pixel is one point;
the distance from the edge is counted in whole pixels that hold any ink at all.
Text sizes: every text-showing operator's font size times the scale of the text and
current matrices (pypdf's visitor), so a 10 pt font drawn at 0.5x counts as 5 pt.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

HAVE_POPPLER = shutil.which("pdftoppm") is not None


def _pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary PGM (P5); Ghostscript writes a comment line into the header."""
    data = path.read_bytes()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        parts.append(data[start:pos])
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[pos + 1:pos + 1 + w * h]


def ink_margins(pdf: Path, dpi: int = 72) -> list[float]:
    """Per page: the distance in points from the nearest page edge to the nearest inked pixel
    (math.inf for a blank page)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{tmp}/p"], check=True)
        for page in sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
            w, h, px = _pgm(page)
            best = math.inf
            for y in range(h):
                row = px[y * w:(y + 1) * w]
                if row.count(255) == w:
                    continue
                first = next(i for i, v in enumerate(row) if v != 255)
                last = w - 1 - next(i for i, v in enumerate(reversed(row)) if v != 255)
                best = min(best, y, h - 1 - y, first, w - 1 - last)
            out.append(best * 72 / dpi)
    return out


def text_sizes(pdf: Path) -> list[float]:
    """Every non-blank text run's effective size in points, page after page."""
    sizes: list[float] = []
    for page in PdfReader(str(pdf)).pages:
        def visit(text, cm, tm, font_dict, font_size):
            if not text.strip():
                return
            # The vertical scale of text space in device space.
            a, b, c, d = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3], \
                tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            sizes.append(font_size * math.sqrt(abs(a * d - b * c)))
        page.extract_text(visitor_text=visit)
    return sizes
