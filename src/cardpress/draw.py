"""Painting laid-out text: the only place fitted lines meet the canvas."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from cardpress.textfit import Fit, Line


def draw_line(canvas: Canvas, line: Line, x: float, baseline: float, size: float) -> None:
    for seg in line.segments:
        canvas.setFont(seg.font, size)
        canvas.drawString(x + seg.x * size, baseline, seg.text)


def placed_lines(fit: Fit, x: float, top: float, align: str = "left", width: float = 0.0):
    """(line, left x, baseline) for each fitted line, from `top` downwards.

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
        yield line, lx, baseline
        baseline -= fit.leading


def draw_fit(canvas: Canvas, fit: Fit, x: float, top: float, align: str = "left", width: float = 0.0) -> float:
    """Draw fitted lines from `top` downwards; returns the y just below the last line."""
    for line, lx, baseline in placed_lines(fit, x, top, align, width):
        draw_line(canvas, line, lx, baseline, fit.size)
    return top - fit.height


def draw_fit_into(text: PDFTextObject, fit: Fit, x: float, top: float, align: str = "left",
                  width: float = 0.0) -> float:
    """draw_fit into an open text object (same baselines), for pages with many small texts.

    One text object per face instead of one per line saves reportlab most of its
    per-string overhead; the caller draws it with canvas.drawText(text).
    """
    for line, lx, baseline in placed_lines(fit, x, top, align, width):
        for seg in line.segments:
            # Font changes cost bytes and time; most lines are one run in the current font.
            if getattr(text, "_fontname", None) != seg.font or getattr(text, "_fontsize", None) != fit.size:
                text.setFont(seg.font, fit.size)
            text.setTextOrigin(lx + seg.x * fit.size, baseline)
            text.textOut(seg.text)
    return top - fit.height


# --- A leaner text object for pages with thousands of short texts ---------------------------
#
# reportlab formats every number through its pure-Python fp_str (a log10 and a string trim per
# number) and measures every string again in textOut just to advance a cursor nobody reads.
# On a 1,000-card deck that was a third of the paint time. LeanText emits exactly the same
# operators (same bytes) but memoises the number formatting, skips the cursor measurement
# and caches the colour operators. It uses only the documented dynamic-font interface
# (font.splitString / font.getSubsetInternalName, see reportlab.pdfbase.pdfmetrics); any
# other kind of font takes reportlab's own path.

from reportlab.lib.colors import Color  # noqa: E402
from reportlab.lib.rl_accel import fp_str as _fp_str  # noqa: E402
from reportlab.pdfbase.pdfmetrics import getFont as _get_font  # noqa: E402

_numbers: dict[float, str] = {}
_NUMBERS_MAX = 50_000  # bounded, so a huge deck never grows it without limit


def fp(x: float) -> str:
    """reportlab's fp_str for one number, memoised (positions and sizes repeat card after card)."""
    s = _numbers.get(x)
    if s is None:
        if len(_numbers) >= _NUMBERS_MAX:
            _numbers.clear()
        s = _numbers[x] = _fp_str(x)
    return s


class LeanText(PDFTextObject):
    """A PDFTextObject whose output is byte-for-byte reportlab's, made with less Python work."""

    _fill_codes: dict = {}

    def setTextOrigin(self, x, y):
        if not self._canvas.bottomup:
            return super().setTextOrigin(x, y)
        self._code.append(f"1 0 0 1 {fp(x)} {fp(y)} Tm")
        self._x0 = self._x = x
        self._y0 = self._y = y

    def setFillColor(self, aColor, alpha=None):
        # Only opaque plain RGB colours (what cardpress uses) are cached; all else as reportlab does.
        # (A text object has no fill alpha of its own: reportlab's setFillAlpha(1) here is a no-op.)
        if alpha is None and type(aColor) is Color and aColor.alpha == 1 and not self._enforceColorSpace:
            key = (aColor.red, aColor.green, aColor.blue)
            code = LeanText._fill_codes.get(key)
            if code is None:
                code = LeanText._fill_codes[key] = "%s rg" % _fp_str(key)
            self._fillColorObj = aColor
            self._code.append(code)
            return
        super().setFillColor(aColor, alpha)

    def textOut(self, text):
        """Like PDFTextObject.textOut, without measuring the text to advance the cursor (unused here)."""
        font = _get_font(self._fontname)
        if not font._dynamicFont or type(text) is not str:  # shaped strings, static fonts: reportlab's path
            return super().textOut(text)
        canv = self._canvas
        doc = canv._doc
        escape = canv._escape
        out = []
        tmpl = None
        for subset, t in font.splitString(text, doc):
            if subset != self._curSubset:
                if tmpl is None:
                    tmpl = f"{fp(self._fontsize)} Tf {fp(self._leading)} TL"
                out.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                self._curSubset = subset
            out.append(f"({escape(t)}) Tj")
        self._code.append(" ".join(out))


def lean_text(canvas: Canvas) -> LeanText:
    """A fresh LeanText on the canvas (draw it with canvas.drawText)."""
    return LeanText(canvas)
