"""Painting laid-out faces, marks and instruction lines. Makes no layout decisions."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from cardpress.deck.faces import Face, Rule, Swatch, TextBox
from cardpress.deck.imposition import Rect, Segment
from cardpress.draw import draw_fit, draw_fit_into, lean_text

_colors: dict[str, HexColor] = {}


def _color(hex_: str) -> HexColor:
    c = _colors.get(hex_)
    if c is None:
        c = _colors[hex_] = HexColor(hex_)
    return c


def paint_text(canvas: Canvas, box: TextBox) -> None:
    canvas.setFillColor(_color(box.color))
    draw_fit(canvas, box.fit, box.x, box.top, box.align, box.width)


def paint_items(canvas: Canvas, items) -> None:
    for item in items:
        if isinstance(item, TextBox):
            paint_text(canvas, item)
        elif isinstance(item, Swatch):
            canvas.setFillColor(_color(item.color))
            canvas.rect(item.x, item.y, item.w, item.h, stroke=0, fill=1)
        elif isinstance(item, Rule):
            canvas.setStrokeColor(_color(item.color))
            canvas.setLineWidth(0.4)
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, Segment):
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        else:
            raise TypeError(f"cannot paint {item!r}")


def paint_face(canvas: Canvas, face: Face, slot: Rect) -> None:
    """Shapes first, then every text of the face in one text object (far cheaper than one per line)."""
    canvas.saveState()
    canvas.translate(slot.x, slot.y)
    paint_items(canvas, [it for it in face.items if not isinstance(it, TextBox)])
    text = lean_text(canvas)
    color = None
    for item in face.items:
        if isinstance(item, TextBox):
            if item.color != color:
                text.setFillColor(_color(item.color))
                color = item.color
            draw_fit_into(text, item.fit, item.x, item.top, item.align, item.width)
    canvas.drawText(text)
    canvas.restoreState()


def paint_cut_marks(canvas: Canvas, marks: list[Segment], form: str | None = None) -> None:
    """The marks on the current page; with `form`, drawn once into a form XObject of that name
    and from then on only referenced (the marks are the same on every sheet of a side)."""
    if not marks:
        return
    if form is not None:
        if not canvas.hasForm(form):
            canvas.beginForm(form)
            paint_cut_marks(canvas, marks)
            canvas.endForm()
        canvas.doForm(form)
        return
    canvas.saveState()
    canvas.setStrokeColor(_color("#000000"))
    canvas.setLineWidth(0.35)
    for m in marks:
        canvas.line(m.x1, m.y1, m.x2, m.y2)
    canvas.restoreState()


def paint_outline(canvas: Canvas, rect: Rect, color: str = "#bbbbbb", width: float = 0.3, dash=None) -> None:
    canvas.saveState()
    canvas.setStrokeColor(_color(color))
    canvas.setLineWidth(width)
    if dash:
        canvas.setDash(*dash)
    canvas.rect(rect.x, rect.y, rect.w, rect.h, stroke=1, fill=0)
    canvas.restoreState()
