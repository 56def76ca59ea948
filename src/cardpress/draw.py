"""Painting laid-out text: the only place fitted lines meet the canvas."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from cardpress.textfit import Fit, Line


def draw_line(canvas: Canvas, line: Line, x: float, baseline: float, size: float) -> None:
    for seg in line.segments:
        canvas.setFont(seg.font, size)
        canvas.drawString(x + seg.x * size, baseline, seg.text)


def draw_fit(canvas: Canvas, fit: Fit, x: float, top: float, align: str = "left", width: float = 0.0) -> float:
    """Draw fitted lines from `top` downwards; returns the y just below the last line.

    The first baseline sits one font size below `top` less the descent share, so ascenders
    stay inside the box the fit was computed for.
    """
    baseline = top - fit.size * 0.95
    for line in fit.lines:
        lx = x
        if align == "center":
            lx = x + (width - line.width * fit.size) / 2
        elif align == "right":
            lx = x + width - line.width * fit.size
        draw_line(canvas, line, lx, baseline, fit.size)
        baseline -= fit.leading
    return top - fit.height


def draw_fit_into(text: PDFTextObject, fit: Fit, x: float, top: float, align: str = "left",
                  width: float = 0.0) -> float:
    """draw_fit into an open text object (same baselines), for pages with many small texts.

    One text object per face instead of one per line saves reportlab most of its
    per-string overhead; the caller draws it with canvas.drawText(text).
    """
    baseline = top - fit.size * 0.95
    for line in fit.lines:
        lx = x
        if align == "center":
            lx = x + (width - line.width * fit.size) / 2
        elif align == "right":
            lx = x + width - line.width * fit.size
        for seg in line.segments:
            # Font changes cost bytes and time; most lines are one run in the current font.
            if getattr(text, "_fontname", None) != seg.font or getattr(text, "_fontsize", None) != fit.size:
                text.setFont(seg.font, fit.size)
            text.setTextOrigin(lx + seg.x * fit.size, baseline)
            text.textOut(seg.text)
        baseline -= fit.leading
    return top - fit.height
