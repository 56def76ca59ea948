"""What a PDF asks of the printer, read back from the file: sides and media.

Reading the file rather than the options that built it means any PDF (a renamed deck,
a half printed earlier) prints the way its /ViewerPreferences say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from cardpress.errors import CardpressError, Problem

# /ViewerPreferences /Duplex -> the IPP `sides` keyword CUPS takes.
SIDES = {
    "/DuplexFlipLongEdge": "two-sided-long-edge",
    "/DuplexFlipShortEdge": "two-sided-short-edge",
    "/Simplex": "one-sided",
}
# CUPS's names for the papers cardpress prints on, by (short, long) side in points.
NAMED_MEDIA = {(612.0, 792.0): "Letter", (595.28, 841.89): "A4"}
TOLERANCE = 1.0  # pt: A4 is 595.2756 x 841.8898 and rounds differently in other tools


@dataclass(frozen=True)
class PrintSettings:
    sides: str | None  # None: the file does not say, so the queue's default stands
    media: str
    scaling_none: bool  # the file asks for /PrintScaling /None


def media_name(width: float, height: float) -> str:
    """`Letter`, `A4`, or `Custom.WxHin` in the page's own orientation (5x3 card stock: Custom.5x3in)."""
    short, long_ = sorted((width, height))
    for (s, l), name in NAMED_MEDIA.items():
        if abs(short - s) <= TOLERANCE and abs(long_ - l) <= TOLERANCE:
            return name
    return f"Custom.{width / 72:.4g}x{height / 72:.4g}in"


def read_settings(path: Path) -> PrintSettings:
    try:
        reader = PdfReader(str(path))
        root = reader.trailer["/Root"]
        prefs = root.get("/ViewerPreferences")
        prefs = prefs.get_object() if prefs is not None else {}
        box = reader.pages[0].mediabox
    except (PdfReadError, OSError, KeyError, IndexError, ValueError) as exc:
        raise CardpressError(Problem(f"not a PDF cardpress can print ({exc})", file=str(path))) from None
    duplex = prefs.get("/Duplex")
    return PrintSettings(
        sides=SIDES.get(str(duplex)) if duplex is not None else None,
        media=media_name(float(box.width), float(box.height)),
        scaling_none=str(prefs.get("/PrintScaling")) == "/None",
    )
