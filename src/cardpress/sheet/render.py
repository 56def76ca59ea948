"""Painting a laid-out sheet: boxes, rules and lines exactly where the layout put them."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from cardpress.draw import draw_line
from cardpress.sheet.layout import Rect, Rule, SheetLayout, Text


def ink(hex_color: str, mono: bool) -> HexColor:
    """The colour to print; with mono, any colour (not a grey) prints black."""
    if mono:
        r, g, b = (int(hex_color[k:k + 2], 16) for k in (1, 3, 5))
        if not (r == g == b):
            return HexColor("#000000")
    return HexColor(hex_color)


def paint(canvas: Canvas, sheet: SheetLayout, mono: bool = False) -> None:
    for page in sheet.pages:
        for op in page.ops:
            if isinstance(op, Rect):
                if op.fill:
                    canvas.setFillColor(ink(op.fill, mono))
                if op.stroke:
                    canvas.setStrokeColor(ink(op.stroke, mono))
                    canvas.setLineWidth(op.line_width)
                canvas.rect(op.x, op.y, op.w, op.h, stroke=1 if op.stroke else 0, fill=1 if op.fill else 0)
            elif isinstance(op, Rule):
                canvas.setStrokeColor(ink(op.color, mono))
                canvas.setLineWidth(op.line_width)
                canvas.line(op.x1, op.y1, op.x2, op.y2)
            elif isinstance(op, Text):
                canvas.setFillColor(ink(op.color, mono))
                draw_line(canvas, op.line, op.x, op.baseline, op.size)
        canvas.showPage()
