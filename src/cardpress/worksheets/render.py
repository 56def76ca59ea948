"""Painting laid-out worksheet pages, AcroForm fields included. Makes no layout decisions."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from cardpress.draw import draw_fit
from cardpress.worksheets.geometry import CheckBox, Frame, Page, Rule, Text, TextField

# Typed answers use a standard form font: AcroForm fields cannot use embedded fonts in reportlab.
FIELD_FONT = "Helvetica"
FIELD_SIZE = 10


def paint_page(canvas: Canvas, page: Page) -> None:
    for item in page.items:
        if isinstance(item, Frame):
            r = item.rect
            canvas.setLineWidth(item.line_width)
            if item.stroke:
                canvas.setStrokeColor(HexColor(item.stroke))
            if item.fill:
                canvas.setFillColor(HexColor(item.fill))
            canvas.rect(r.x, r.y, r.w, r.h, stroke=1 if item.stroke else 0, fill=1 if item.fill else 0)
        elif isinstance(item, Rule):
            canvas.setLineWidth(item.line_width)
            canvas.setStrokeColor(HexColor(item.color))
            canvas.line(item.x1, item.y, item.x2, item.y)
        elif isinstance(item, Text):
            canvas.setFillColor(HexColor(item.color))
            draw_fit(canvas, item.fit, item.x, item.top, item.align, item.width)
        elif isinstance(item, CheckBox):
            # The printed square is page content; the widget only adds the tick on screen.
            r = item.rect
            canvas.acroForm.checkbox(name=item.name, tooltip=item.tooltip or None, x=r.x, y=r.y, size=r.w,
                                     buttonStyle="check", borderWidth=0, fillColor=None, borderColor=None,
                                     textColor=HexColor("#000000"), fieldFlags="", forceBorder=False)
        elif isinstance(item, TextField):
            r = item.rect
            canvas.acroForm.textfield(name=item.name, tooltip=item.tooltip or None, x=r.x, y=r.y,
                                      width=r.w, height=r.h, borderWidth=0, fillColor=None, borderColor=None,
                                      textColor=HexColor("#1a3d8f"), fieldFlags="multiline" if item.multiline else "",
                                      maxlen=0, fontName=FIELD_FONT, fontSize=FIELD_SIZE, forceBorder=False)
        else:  # pragma: no cover - a new item type without a painter is a programming error
            raise TypeError(f"no painter for {type(item).__name__}")
    canvas.showPage()
