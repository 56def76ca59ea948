"""Form fields written lean, and nested by their dotted names: `paper.claim.1` becomes a
field `paper` with a kid `claim` with a kid `1`.

Lean: reportlab's acroform builds, for every field, an appearance stream (text fields) or
six of them (check boxes) and a tree of dictionary objects, then formats it all through
its generic object formatter at save. A worksheet has ~83 fields a paper, and that was
most of its build time and of the combined file's memory. Here a widget is one object
holding its constant entries already formatted; only the page, the parent and the
partial name (which nesting changes) are formatted at save.
- Text fields are always empty when printed, so they carry no appearance stream:
  the AcroForm says NeedAppearances, and a viewer or pypdf makes the stream when text is
  typed. (A stream shared between fields would not do: pypdf replaces the /N stream
  object in place when it fills a field, which would repaint every field sharing it.)
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
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFObject, PDFString, PDFtrue
from reportlab.pdfgen.canvas import Canvas

# Field font: AcroForm fields cannot use embedded fonts in reportlab, so a standard one.
FONT = "Helvetica"
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

    __slots__ = ("head", "page", "name", "parent", "__InternalName__")

    def __init__(self, head: bytes, page: str, name: str):
        self.head = head  # every entry but /P, /Parent and /T, formatted
        self.page = page  # the reportlab name of the page object
        self.name = name  # the partial name (/T)
        self.parent = None  # a PDFObjectReference once nested

    def format(self, doc) -> bytes:
        numbers = doc.idToObjectNumberAndVersion
        tail = b" /P %d %d R" % numbers[self.page]
        if self.parent is not None:
            tail += b" /Parent %d %d R" % numbers[self.parent.name]
        return b"<< " + self.head + tail + b" /T " + _string(self.name, doc) + b" >>"


def _form(canvas: Canvas):
    form = canvas.acroForm
    if "NeedAppearances" not in form.extras:
        form.extras["NeedAppearances"] = PDFtrue
        form.makeFont(FONT)  # the AcroForm's /DR and /DA that the widgets' /DA names
    return form


def _add(canvas: Canvas, form, head: bytes, name: str) -> None:
    widget = LeanWidget(head, canvas._doc.thisPageName(), name)
    canvas._addAnnotation(widget)
    form.fields.append(form.getRef(widget))


def _tooltip(tooltip: str, doc) -> bytes:
    return b" /TU " + _string(tooltip, doc) if tooltip else b""


def text_field(canvas: Canvas, name: str, tooltip: str, x: float, y: float, w: float, h: float,
               size: float, color, multiline: bool) -> None:
    """An empty text field over (x, y, w, h) whose typed text is `size` points in `color`."""
    form = _form(canvas)
    da = "/%s %d Tf %s rg" % (form.formFontNames[FONT], size, fp_str(*color.rgb()))
    head = (b"/Type /Annot /Subtype /Widget /FT /Tx /F %d /Ff %d /Rect [%s] /V () /DV () /DA %s%s"
            % (_PRINT, _MULTILINE if multiline else 0, fp_str(x, y, x + w, y + h).encode(),
               _string(da, canvas._doc), _tooltip(tooltip, canvas._doc)))
    _add(canvas, form, head, name)


def check_box(canvas: Canvas, name: str, tooltip: str, x: float, y: float, size: float, tick) -> None:
    """An unticked check box, a square of `size` at (x, y), ticking in the colour `tick`."""
    form = _form(canvas)
    if "DR" not in form.extras:
        _add_tick_font(form)
    head = (b"/Type /Annot /Subtype /Widget /FT /Btn /F %d /Ff 0 /Rect [%s] /V /Off /AS /Off /H /N "
            b"/MK << /CA (4) >> /AP %s%s"
            % (_PRINT, fp_str(x, y, x + size, y + size).encode(), _tick_appearances(canvas, form, size, tick),
               _tooltip(tooltip, canvas._doc)))
    _add(canvas, form, head, name)


def _add_tick_font(form) -> None:
    """Put ZapfDingbats in the AcroForm's /DR beside the text font: a viewer redrawing a box
    (NeedAppearances) draws its /MK /CA tick in it. Written here because reportlab's own /DR
    repeats the /Font key for a second font (the last wins), and form.makeFont takes text
    fonts only."""
    tick = form.getRefStr(PDFFromString(
        f"<< /BaseFont /ZapfDingbats /Name /{_TICK_FONT} /Subtype /Type1 /Type /Font >>"))
    text = form.formFontNames[FONT]
    form.extras["DR"] = PDFFromString(
        f"<< /Encoding << /RLAFencoding {form.encRefStr} >> "
        f"/Font << /{text} {form.fonts[text]} /{_TICK_FONT} {tick} >> >>")


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
