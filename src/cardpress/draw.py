"""Painting laid-out text: the only place fitted lines meet the canvas."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

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
