"""What a PDF asks of the printer, read back from the file: sides and media.

Reading the file rather than the options that built it means any PDF (a renamed deck,
a half printed earlier) prints the way its /ViewerPreferences say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import logging
import os
import stat
import math
import warnings

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from cardpress.errors import CardpressError, Problem

LARGEST = 200 * 72.0  # pt: no printer takes a page longer than this (banner rolls aside)

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


# Reading a file's settings parses all of it (pypdf): a 4 GB file took minutes and 4.6 GB.
MAX_PDF_BYTES = 512 * 2**20


def read_settings(path: Path) -> PrintSettings:
    """The file's sides and media; one clear line for anything that is not a printable PDF
    (a folder, another kind of file, a damaged or crafted one), with nothing from pypdf."""
    where = str(path)
    if path.is_dir():
        raise CardpressError(Problem("is a folder, not a PDF to print", file=where))
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
                raise CardpressError(Problem("not a regular file, so not a PDF to print", file=where))
            if info.st_size > MAX_PDF_BYTES:
                raise CardpressError(Problem(f"is {info.st_size / 2**20:,.0f} MiB, more than the "
                                             f"{MAX_PDF_BYTES // 2**20} MiB cardpress reads to print "
                                             "(its own largest file, 1,000 worksheets, is 24 MiB)", file=where))
            head = fh.read(1024)
    except OSError as exc:
        raise CardpressError(Problem(f"cannot read it: {exc.strerror or exc}", file=where)) from None
    if b"%PDF-" not in head:
        raise CardpressError(Problem("not a PDF file", file=where))
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(where)
            root = reader.trailer["/Root"]
            prefs = root.get("/ViewerPreferences")
            prefs = prefs.get_object() if prefs is not None else {}
            if not hasattr(prefs, "get"):
                prefs = {}  # not a dictionary: as if the file said nothing
            page = reader.pages[0]
            width, height = (abs(float(v)) for v in (page.mediabox.width, page.mediabox.height))
            duplex, scaling = prefs.get("/Duplex"), prefs.get("/PrintScaling")
    except (PyPdfError, OSError, KeyError, IndexError, ValueError, TypeError, AttributeError, RecursionError):
        raise CardpressError(Problem("not a PDF cardpress can print (damaged, or not a PDF inside)",
                                     file=where)) from None
    finally:
        log.setLevel(level)
    if not all(math.isfinite(v) and 1.0 <= v <= LARGEST for v in (width, height)):
        raise CardpressError(Problem(f"its first page is {width:g} x {height:g} pt, not a paper size a printer "
                                     "takes", file=where))
    return PrintSettings(
        sides=SIDES.get(str(duplex)) if duplex is not None else None,
        media=media_name(width, height),
        scaling_none=str(scaling) == "/None",
    )
