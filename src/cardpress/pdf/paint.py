"""The painter: the one module that touches a reportlab canvas. It draws any page of the
page model (cardpress.pdf.page) and decides nothing about where things go.

Paint order is record order. Inside a Group, shapes come first and every text follows in
one text object (LeanText): a deck page holds thousands of short texts, and one text
object per face instead of one per line saves reportlab most of its per-string work.
"""

from __future__ import annotations

import io
from typing import Iterable

from reportlab.lib.colors import CMYKColor, HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from cardpress.typeset import fonts
from cardpress.pdf import form_fields
from cardpress.pdf.canvas import Gray, OutlineEntry, new_canvas
from cardpress.files.output import Output
from cardpress.pdf.page import (
    Bookmark, Box, CheckBox, Formula, Group, Link, Page, Rule, Text, TextField, TextLine,
)

FIELD_INK = "#1a3d8f"

_colors: dict[str, HexColor] = {}


def _color(hex_: str) -> HexColor:
    c = _colors.get(hex_)
    if c is None:
        c = _colors[hex_] = HexColor(hex_)
    return c


_inks: dict[tuple[str, str], object] = {}


def ink(hex_color: str, mono: bool = False, cmyk: bool = False):
    """The colour to print, in the file's colour space.

    mono: DeviceGray (canvas.Gray); a colour that is not a grey prints black. cmyk:
    DeviceCMYK, by the usual rgb -> cmyk with the grey component all in K, so black and
    every grey are K alone (one plate, no registration between four). Else DeviceRGB.
    """
    if not (mono or cmyk):
        return _color(hex_color)
    key = (hex_color, "gray" if mono else "cmyk")
    out = _inks.get(key)
    if out is None:
        r, g, b = (int(hex_color[k:k + 2], 16) / 255 for k in (1, 3, 5))
        if mono:
            out = Gray(r if r == g == b else 0.0)
        else:
            k = 1 - max(r, g, b)
            if k >= 1:
                out = CMYKColor(0, 0, 0, 1)
            else:
                out = CMYKColor(*(round((1 - v - k) / (1 - k), 6) for v in (r, g, b)), round(k, 6))
        _inks[key] = out
    return out


def pdf(relpath: str, pages: Iterable[Page], pagesize: tuple[float, float], *, title: str,
        author: str | None = None, subject: str | None = None, mono: bool = False, cmyk: bool = False,
        duplex: str = "long", outline: Iterable[OutlineEntry] = (), trim: bool = False) -> Output:
    """A PDF in memory from pages (any iterable: a deck's pages are made while painting).

    `duplex` ("long", "short" or "simplex") goes into the viewer preferences; `outline`
    lists bookmarks by page. The outline panel opens with the document when there are any.
    mono writes DeviceGray, cmyk DeviceCMYK (see ink). trim: each page is cut to its own
    size (a 5x3 card), so its TrimBox is the whole page.
    """
    buffer = _Kept()
    outline = tuple(outline)
    canvas = new_canvas(buffer, pagesize, title=title, author=author, subject=subject,
                        duplex=duplex, outline=outline)
    if trim:
        canvas.setTrimBox((0, 0, *pagesize))
    painter = Painter(canvas, mono, cmyk)
    for page in pages:
        painter.page(page)
    painter.finish(show_outline=bool(outline))
    return Output(relpath, buffer.getvalue())


class _Kept(io.RawIOBase):
    """The file canvas.save writes to: keeps the bytes reportlab made rather than copying
    them into a BytesIO (a 10,000-card deck's 16 MB, held twice at the peak)."""

    def __init__(self):
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(data)
        return len(data)

    def getvalue(self) -> bytes:
        if len(self._chunks) != 1:
            self._chunks = [b"".join(self._chunks)]
        return bytes(self._chunks[0])


class Painter:
    """Draws pages onto one canvas, page after page; remembers whether any carried bookmarks."""

    def finish(self, show_outline: bool = False) -> None:
        """Close the document: the outline panel if any page was bookmarked, dotted field
        names made into a field hierarchy, then reportlab's save."""
        if self.bookmarked or show_outline:
            self.canvas.showOutline()
        if self.dotted_fields:
            form_fields.nest(self.canvas)
        self.canvas.save()

    def __init__(self, canvas: Canvas, mono: bool = False, cmyk: bool = False):
        self.canvas = canvas
        self.mono = mono
        self.cmyk = cmyk
        self.size = tuple(canvas._pagesize)
        self.bookmarked = False
        self.dotted_fields = False  # field names that say a hierarchy (cardpress.pdf.form_fields)

    def page(self, page: Page) -> None:
        c = self.canvas
        if (page.width, page.height) != self.size:
            self.size = (page.width, page.height)
            c.setPageSize(self.size)
        for r in page.records:
            self.record(r)
        c.showPage()

    def ink(self, hex_: str) -> HexColor:
        return ink(hex_, self.mono, self.cmyk) if self.mono or self.cmyk else _color(hex_)

    def record(self, r, state: dict | None = None) -> None:
        """One record; `state` (inside a group) drops stroke settings that repeat the last ones."""
        c = self.canvas
        if isinstance(r, Text):
            c.setFillColor(self.ink(r.color))
            for ln in r.lines:
                draw_line(c, ln)
        elif isinstance(r, Rule):
            if state is None or state.get("stroke") != (r.color, r.width):
                c.setStrokeColor(self.ink(r.color))
                c.setLineWidth(r.width)
                if state is not None:
                    state["stroke"] = (r.color, r.width)
            c.line(r.x1, r.y1, r.x2, r.y2)
        elif isinstance(r, Box):
            self.box(r)
        elif isinstance(r, TextLine):
            draw_line(c, r)
        elif isinstance(r, Group):
            self.group(r)
        elif isinstance(r, Bookmark):
            c.bookmarkPage(r.key, fit="XYZ", left=r.left, top=r.top)
            c.addOutlineEntry(r.title, r.key, level=r.level)
            self.bookmarked = True
        elif isinstance(r, TextField):
            b = r.rect
            self.dotted_fields = self.dotted_fields or "." in r.name
            form_fields.text_field(c, r.name, r.tooltip, b.x, b.y, b.w, b.h, r.size, _color(FIELD_INK), r.multiline)
        elif isinstance(r, CheckBox):
            # The printed square is page content; the widget only adds the tick on screen.
            b = r.rect
            self.dotted_fields = self.dotted_fields or "." in r.name
            form_fields.check_box(c, r.name, r.tooltip, b.x, b.y, b.w, _color("#000000"))
        elif isinstance(r, Link):
            b = r.rect
            c.linkURL(r.url, (b.x, b.y, b.right, b.top), relative=0, thickness=0)
        elif isinstance(r, Formula):
            self.formula(r)
        else:  # a new record type without a painter is a programming error
            raise TypeError(f"no painter for {type(r).__name__}")

    def box(self, r: Box) -> None:
        c = self.canvas
        if r.dash:
            c.saveState()  # a dash pattern must not leak into what follows
        if r.fill:
            c.setFillColor(self.ink(r.fill))
        if r.stroke:
            c.setStrokeColor(self.ink(r.stroke))
            c.setLineWidth(r.line_width)
        if r.dash:
            c.setDash(*r.dash)
        c.rect(r.x, r.y, r.w, r.h, stroke=1 if r.stroke else 0, fill=1 if r.fill else 0)
        if r.dash:
            c.restoreState()

    def formula(self, r: Formula) -> None:
        # Glyphs stay real text in our own embedded fonts; a marked-content span around them
        # carries the formula's TeX as /ActualText, so a copy or a search gets `\(...\)` as
        # the catalog wrote it, not the glyphs one by one (issue 21: "dk", "N0.34").
        c = self.canvas
        tex = getattr(r.box, "tex", "")
        if tex:
            c._code.append(f"/Span <</ActualText {actual_text(tex)}>> BDC")
        c.setFillColor(self.ink(r.color))
        for g in r.box.glyphs:
            fonts.use(g.font_name)
            c.setFont(g.font_name, g.size)
            c.drawString(r.x + g.x, r.baseline + g.y, g.char)
        for x, y, w, h in r.box.rules:
            c.rect(r.x + x, r.baseline + y, w, h, stroke=0, fill=1)
        if tex:
            c._code.append("EMC")

    def group(self, g: Group) -> None:
        c = self.canvas
        if g.form is not None:
            if not c.hasForm(g.form):
                c.beginForm(g.form)
                self.group(Group(g.records, g.origin))
                c.endForm()
            c.doForm(g.form)
            return
        c.saveState()
        if g.origin is not None:
            c.translate(*g.origin)
        state: dict = {}
        texts = []
        for r in g.records:
            if isinstance(r, (Text, TextLine)):
                texts.append(r)
            else:
                self.record(r, state)
        if texts:
            t = LeanText(c)
            color = None
            for r in texts:
                if isinstance(r, Text):
                    if r.color != color:
                        t.setFillColor(self.ink(r.color))
                        color = r.color
                    lines = r.lines
                else:
                    lines = (r,)
                for ln in lines:
                    line_into(t, ln)
            c.drawText(t)
        c.restoreState()


def actual_text(tex: str) -> str:
    """`\\(tex\\)` as a PDF text string: UTF-16BE with its byte-order mark, in hex (no escaping)."""
    return "<FEFF" + ("\\(" + tex + "\\)").encode("utf-16-be").hex().upper() + ">"


def draw_line(canvas: Canvas, ln: TextLine) -> None:
    size = ln.size
    for seg in ln.line.segments:
        fonts.use(seg.font)
        canvas.setFont(seg.font, size)
        canvas.drawString(ln.x + seg.x * size, ln.baseline, seg.text)


def line_into(text: PDFTextObject, ln: TextLine) -> None:
    """A line into an open text object (drawn later with canvas.drawText)."""
    size = ln.size
    for seg in ln.line.segments:
        # Font changes cost bytes and time; most lines are one run in the current font.
        if getattr(text, "_fontname", None) != seg.font or getattr(text, "_fontsize", None) != size:
            fonts.use(seg.font)
            text.setFont(seg.font, size)
        text.setTextOrigin(ln.x + seg.x * size, ln.baseline)
        text.textOut(seg.text)


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
        if type(aColor) is Gray and alpha is None:
            self._fillColorObj = aColor
            self._code.append(aColor.fill)
            return
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
        for subset, t in _split(font, text, doc):
            if subset != self._curSubset:
                if tmpl is None:
                    tmpl = f"{fp(self._fontsize)} Tf {fp(self._leading)} TL"
                out.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                self._curSubset = subset
            out.append(f"({escape(t)}) Tj")
        self._code.append(" ".join(out))


def _split(font, text: str, doc):
    """font.splitString(text, doc), without its per-character Python loop when it can be skipped.

    When every character already has its code in the document's first subset (after the
    first few cards, nearly every text), reportlab's loop only looks the codes up: the same
    (subset 0, bytes) it would return. A new character, one the font lacks, or a code past
    the first subset takes reportlab's own path, which assigns codes as it always does.
    """
    state = font.state.get(doc)
    if state is not None and text:
        assigned = state.assignments
        try:
            return ((0, bytes([assigned[c] for c in map(ord, text)])),)
        except (KeyError, ValueError):  # not yet assigned / not in subset 0 (a code > 255)
            pass
    return font.splitString(text, doc)
