"""Form fields written lean, and nested by their dotted names: `paper.claim.1` becomes a
field `paper` with a kid `claim` with a kid `1`.

Lean: reportlab's acroform builds, for every field, an appearance stream (text fields) or
six of them (check boxes) and a tree of dictionary objects, then formats it all through
its generic object formatter at save. A worksheet has ~83 fields a paper, and that was
most of its build time and of the combined file's memory. Here a widget is one object
holding its constant entries already formatted; only the page, the parent and the
partial name (which nesting changes) are formatted at save.
- Text fields are empty when printed, and each carries an empty appearance stream of its
  own (Ghostscript synthesises one for a field without, and reports the file as repaired);
  the AcroForm says NeedAppearances, so a viewer or a filler redraws it when text is typed.
  (A stream shared between fields would not do: pypdf replaces the /N stream object in
  place when it fills a field, which would repaint every field sharing it.)
- Typed text is set in cardpress.pdf.field_font (DejaVu Sans, embedded once per file, Greek
  and math included): the fields' /DA names it, the form's /DR holds it.
- Check boxes need their on/off appearances (their names are the states), so each size
  gets one set of streams per document, shared by every box of that size; filling only
  switches /AS.

Nesting: the PDF spec forbids "." inside a field's partial name (/T): the dot is what
joins partial names into a full name, so a flat field called `paper.claim` is malformed,
and viewers disagree about it. Before the canvas is saved the field list is rebuilt here:
one parent dictionary per prefix, each widget keeping only its last name part. Parents are
made in the order their first field appears, so the same input gives the same bytes.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.acroform import PDFFromString
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream, PDFString, PDFtrue
from reportlab.pdfgen.canvas import Canvas

from cardpress.pdf.field_font import BASE_FONT, RESOURCE, cid_to_gid, field_font, to_unicode, width_array

FONT = RESOURCE  # the fields' font, by its name in the form's /DR (cardpress.pdf.field_font)
_MULTILINE = 1 << 12  # /Ff bit 13
_PRINT = 4  # /F: the widget prints
_TICK_FONT = "ZaDb"  # the AcroForm's name for ZapfDingbats, the check boxes' tick


_strings: dict[str, bytes] = {}


def _string(s: str, doc) -> bytes:
    """A PDF string, formatted once per process: names, tooltips and /DA repeat on every
    paper, and cardpress's canvases are never encrypted (the one thing the document changes)."""
    out = _strings.get(s)
    if out is None:
        if len(_strings) > 10_000:
            _strings.clear()
        out = _strings[s] = PDFString(s).format(doc)
    return out


class LeanWidget(PDFObject):
    """A field and its widget annotation in one dictionary (a terminal field)."""

    __slots__ = ("head", "page", "name", "parent", "appearance", "__InternalName__")

    def __init__(self, head: bytes, page: str, name: str, appearance: str | None = None):
        self.head = head  # every entry but /P, /Parent, /T and /AP's reference, formatted
        self.page = page  # the reportlab name of the page object
        self.name = name  # the partial name (/T)
        self.parent = None  # a PDFObjectReference once nested
        self.appearance = appearance  # the reportlab name of its own empty /N stream

    def format(self, doc) -> bytes:
        numbers = doc.idToObjectNumberAndVersion
        tail = b" /P %d %d R" % numbers[self.page]
        if self.appearance is not None:
            tail += b" /AP << /N %d %d R >>" % numbers[self.appearance]
        if self.parent is not None:
            tail += b" /Parent %d %d R" % numbers[self.parent.name]
        return b"<< " + self.head + tail + b" /T " + _string(self.name, doc) + b" >>"


class EmptyAppearance(PDFObject):
    """A text field's appearance while nothing is typed: an empty form XObject its size."""

    __slots__ = ("w", "h", "__InternalName__")
    __RefOnly__ = 1

    def __init__(self, w: float, h: float):
        self.w, self.h = w, h

    def format(self, doc) -> bytes:
        return (b"<< /BBox [0 0 %s] /Length 0 /Subtype /Form /Type /XObject >>\nstream\n\nendstream"
                % fp_str(self.w, self.h).encode())


def _form(canvas: Canvas):
    form = canvas.acroForm
    if "NeedAppearances" not in form.extras:
        form.extras["NeedAppearances"] = PDFtrue
        form.extras["DA"] = PDFString(f"/{FONT} 0 Tf 0 g")
        form.__dict__["_cardpress_font"] = _embed_field_font(form)
        _set_resources(form)
    return form


def _embed_field_font(form) -> str:
    """The field font's objects (cardpress.pdf.field_font), once per document; its reference."""
    f = field_font()
    compressed = _compressed("font", lambda f: f.data)
    file = PDFStream(PDFDictionary({"Length1": len(f.data), "Filter": PDFName("FlateDecode")}), compressed, [])
    tounicode = PDFStream(PDFDictionary({"Filter": PDFName("FlateDecode")}), _compressed("cmap", to_unicode), [])
    gids = PDFStream(PDFDictionary({"Filter": PDFName("FlateDecode")}), _compressed("gids", cid_to_gid), [])
    descriptor = form.getRefStr(PDFFromString(
        f"<< /Type /FontDescriptor /FontName /{BASE_FONT} /Flags 4 /FontBBox [{' '.join(map(str, f.bbox))}] "
        f"/ItalicAngle 0 /Ascent {f.ascent} /Descent {f.descent} /CapHeight {f.cap_height} "
        f"/StemV {f.stem_v} /FontFile2 {form.getRefStr(file)} >>"))
    cid = form.getRefStr(PDFFromString(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{BASE_FONT} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} /DW 1000 /W {width_array(f)} /CIDToGIDMap {form.getRefStr(gids)} >>"))
    return form.getRefStr(PDFFromString(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{BASE_FONT} /Encoding /Identity-H "
        f"/DescendantFonts [{cid}] /ToUnicode {form.getRefStr(tounicode)} >>"))


_zipped: dict[str, bytes] = {}


def _compressed(key: str, make) -> bytes:
    """One of the field font's streams, deflated once per process (the same bytes every time)."""
    if key not in _zipped:
        import zlib

        _zipped[key] = zlib.compress(make(field_font()), 9)
    return _zipped[key]


def _set_resources(form) -> None:
    """The form's /DR: the field font, and the check boxes' tick font once one is drawn."""
    fonts = f"/{FONT} {form.__dict__['_cardpress_font']}"
    tick = form.__dict__.get("_cardpress_tick")
    if tick is not None:
        fonts += f" /{_TICK_FONT} {tick}"
    form.extras["DR"] = PDFFromString(f"<< /Font << {fonts} >> >>")


def _add(canvas: Canvas, form, head: bytes, name: str, appearance: str | None = None) -> None:
    widget = LeanWidget(head, canvas._doc.thisPageName(), name, appearance)
    canvas._addAnnotation(widget)
    form.fields.append(form.getRef(widget))


def _tooltip(tooltip: str, doc) -> bytes:
    return b" /TU " + _string(tooltip, doc) if tooltip else b""


def text_field(canvas: Canvas, name: str, tooltip: str, x: float, y: float, w: float, h: float,
               size: float, color, multiline: bool) -> None:
    """An empty text field over (x, y, w, h) whose typed text is `size` points in `color`."""
    form = _form(canvas)
    da = "/%s %d Tf %s rg" % (FONT, size, fp_str(*color.rgb()))
    head = (b"/Type /Annot /Subtype /Widget /FT /Tx /F %d /Ff %d /Rect [%s] /V () /DV () /DA %s%s"
            % (_PRINT, _MULTILINE if multiline else 0, fp_str(x, y, x + w, y + h).encode(),
               _string(da, canvas._doc), _tooltip(tooltip, canvas._doc)))
    _add(canvas, form, head, name, form.getRef(EmptyAppearance(w, h)).name)


def check_box(canvas: Canvas, name: str, tooltip: str, x: float, y: float, size: float, tick) -> None:
    """An unticked check box, a square of `size` at (x, y), ticking in the colour `tick`."""
    form = _form(canvas)
    if "_cardpress_tick" not in form.__dict__:
        _add_tick_font(form)
    head = (b"/Type /Annot /Subtype /Widget /FT /Btn /F %d /Ff 0 /Rect [%s] /V /Off /AS /Off /H /N "
            b"/MK << /CA (4) >> /AP %s%s"
            % (_PRINT, fp_str(x, y, x + size, y + size).encode(), _tick_appearances(canvas, form, size, tick),
               _tooltip(tooltip, canvas._doc)))
    _add(canvas, form, head, name)


def _add_tick_font(form) -> None:
    """Put ZapfDingbats in the AcroForm's /DR beside the text font: a viewer redrawing a box
    (NeedAppearances) draws its /MK /CA tick in it (form.makeFont takes text fonts only)."""
    form.__dict__["_cardpress_tick"] = form.getRefStr(PDFFromString(
        f"<< /BaseFont /ZapfDingbats /Name /{_TICK_FONT} /Subtype /Type1 /Type /Font >>"))
    _set_resources(form)


def _tick_appearances(canvas: Canvas, form, size: float, tick) -> bytes:
    """The /AP dictionary of a check box of this size: its streams made once per document."""
    cache = form.__dict__.setdefault("_cardpress_ticks", {})
    key = (size, tick.hexval())
    if key not in cache:
        doc = canvas._doc
        states = []
        for look in "DNR":  # down, normal, rollover, as reportlab draws them
            colour = form.varyColors(look, tick, None, None)[0]
            refs = []
            for value in ("Off", "Yes"):
                stream = form.checkboxAP(look, value, buttonStyle="check", shape="square", fillColor=None,
                                         borderColor=None, textColor=colour, borderWidth=0, size=size)
                ref = form._refMap.get(stream._af_refstr)
                if ref is None:
                    ref = form._refMap[stream._af_refstr] = form.getRef(stream)
                refs.append(b"/%s %d %d R" % (value.encode(), *doc.idToObjectNumberAndVersion[ref.name]))
            states.append(b"/%s << %s >>" % (look.encode(), b" ".join(refs)))
        cache[key] = b"<< " + b" ".join(states) + b" >>"
    return cache[key]


def nest(canvas: Canvas) -> None:
    """Turn the canvas's flat dotted field names into a field hierarchy (call before save)."""
    form = canvas.acroForm
    doc = canvas._doc
    top: list = []
    parents: dict[str, tuple] = {}  # full name of a parent -> (its reference, its dictionary)
    for ref in form.fields:
        field = doc.idToObject[ref.name]
        *path, leaf = field.name.split(".")
        parent = None
        for depth, part in enumerate(path, 1):
            full = ".".join(path[:depth])
            if full not in parents:
                node = PDFDictionary({"T": PDFString(part), "Kids": PDFArray([])})
                if parent is not None:
                    node.dict["Parent"] = parent[0]
                node_ref = doc.Reference(node)
                (top if parent is None else parent[1].dict["Kids"].sequence).append(node_ref)
                parents[full] = (node_ref, node)
            parent = parents[full]
        if parent is None:
            top.append(ref)
            continue
        field.name = leaf
        field.parent = parent[0]
        parent[1].dict["Kids"].sequence.append(ref)
    form.fields = top
