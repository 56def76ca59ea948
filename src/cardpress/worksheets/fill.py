"""`cardpress fill`: type answers into a worksheet's fields from the command line.

Fillers differ in what they draw. pypdf's appearance streams clip with `re W` and no
`n`, which Ghostscript 10.00 takes as a broken content stream (a blank page 2 and black
tick boxes in print); viewers redraw fields themselves. This filler sets each field's
value and writes its appearance itself: the text in the worksheet's own field font
(cardpress.field_font, by code point), clipped to the field with `re W n`, its baseline
placed so ascenders and descenders sit inside the box that stands on the printed rule.

It reads only worksheets cardpress made (the field font in the form's resources) and
writes a new file (the worksheet itself is never rewritten), all or nothing.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from cardpress.errors import CardpressError, Problem
from cardpress.pdf.field_font import BASE_FONT, RESOURCE, field_font
from cardpress.catalog.select import near

TRUE = {"yes", "y", "true", "on", "x", "1"}
FALSE = {"no", "n", "false", "off", "", "0"}
PAD = 2.0  # the text's inset from the field's left edge, as viewers draw it


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}-filled.pdf")


def _read(path: Path):
    """The worksheet as a pypdf writer, or a one-line reason it is not one."""
    if path.is_dir():
        raise CardpressError(Problem("is a folder, not a worksheet PDF", file=str(path)))
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise CardpressError(Problem("no such file", file=str(path))) from None
    except OSError as exc:
        raise CardpressError(Problem(f"cannot read it: {exc.strerror}", file=str(path))) from None
    if b"%PDF-" not in head:
        raise CardpressError(Problem("not a PDF file", file=str(path)))
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # our message, not pypdf's warnings about a damaged file
    try:
        return PdfWriter(clone_from=PdfReader(str(path)))
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise CardpressError(Problem(f"cannot read this PDF ({type(exc).__name__})", file=str(path))) from None
    finally:
        quiet.setLevel(level)


def fields_of(writer) -> dict[str, object]:
    """Every terminal field by its full dotted name (parents joined with '.')."""
    form = writer._root_object.get("/AcroForm")
    out: dict[str, object] = {}

    def walk(ref, prefix: str) -> None:
        node = ref.get_object()
        name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else str(node.get("/T", prefix))
        kids = node.get("/Kids")
        if kids:
            for kid in kids:
                walk(kid, name)
        else:
            out[name] = node

    for ref in (form.get_object().get("/Fields", []) if form else []):
        walk(ref, "")
    return out


def _field_font_ref(writer, path: Path):
    """The reference to the worksheet's field font, or a message that it has none."""
    form = writer._root_object.get("/AcroForm")
    fonts = form.get_object().get("/DR", {}).get("/Font", {}) if form is not None else {}
    if f"/{RESOURCE}" not in fonts:
        if form is not None and form.get_object().get("/Fields"):
            raise CardpressError(Problem(
                "its fields are not in cardpress's field font (made by an older cardpress, or by another "
                "program): make it again with `cardpress worksheets`", file=str(path)))
        raise CardpressError(Problem("has no form fields; `cardpress worksheets` makes fillable ones", file=str(path)))
    if fonts[f"/{RESOURCE}"].get("/BaseFont") != f"/{BASE_FONT}":
        raise CardpressError(Problem("its field font is not cardpress's; make it again with `cardpress worksheets`",
                                     file=str(path)))
    return fonts.raw_get(f"/{RESOURCE}")


_DA = re.compile(r"/(\S+)\s+([\d.]+)\s+Tf\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+rg")


def appearance(text: str, w: float, h: float, size: float, rgb: tuple[str, str, str]) -> bytes:
    """The content of a filled single-line field: the text on a baseline that puts the
    font's ascent-to-descent span in the middle of the box, clipped to the box."""
    f = field_font()
    span = (f.ascent - f.descent) / 1000 * size
    baseline = (h - span) / 2 - f.descent / 1000 * size
    return (b"/Tx BMC q 1 1 %.3f %.3f re W n BT /%s %g Tf %s %s %s rg %.3f %.3f Td <%s> Tj ET Q EMC"
            % (w - 2, h - 2, RESOURCE.encode(), size, *(v.encode() for v in rgb), PAD, baseline,
               f.encode(text).hex().upper().encode()))


def fill(path: Path, pairs: list[str], out: Path) -> list[str]:
    """Write `out`: the worksheet at `path` with each key=value typed in. Returns the names filled."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, \
        TextStringObject

    writer = _read(path)
    font_ref = _field_font_ref(writer, path)
    fields = fields_of(writer)
    font = field_font()
    problems, todo = [], []
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq:
            problems.append(Problem(f"`{pair}`: write NAME=VALUE, e.g. claim.1=\"Attention is all you need\"",
                                    file=str(path)))
            continue
        field = fields.get(key)
        if field is None:
            problems.append(Problem(f"no field `{key}`{near(key, fields)}", file=str(path), field=key))
            continue
        kind = field.get("/FT") or field.get("/Parent", {}).get("/FT")
        if kind == "/Btn":
            if value.strip().lower() not in TRUE | FALSE:
                problems.append(Problem(f"a tick box takes yes or no, not `{value}`", file=str(path), field=key))
                continue
        elif kind == "/Tx":
            missing = font.missing(value)
            if missing:
                problems.append(Problem(f"the field font has no {' '.join(missing)} "
                                        f"(it holds Latin-1, Greek, arrows and math operators)", file=str(path), field=key))
                continue
            x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
            m = _DA.search(str(field.get("/DA", "")))
            size = float(m.group(2)) if m else 11.0
            room = x1 - x0 - 2 * PAD
            if font.width(value, size) > room + 1e-6:
                problems.append(Problem(
                    f"{font.width(value, size):.0f} pt of text in a {room:.0f} pt line: split it over this "
                    "field and the next line's (e.g. claim.1, claim.2)", file=str(path), field=key))
                continue
        else:
            problems.append(Problem(f"`{key}` is not a text field or a tick box", file=str(path), field=key))
            continue
        todo.append((key, field, kind, value))
    if problems:
        raise CardpressError(problems, hint="`cardpress fill WORKSHEET.pdf --list` names every field.")

    for key, field, kind, value in todo:
        if kind == "/Btn":
            states = [k for k in field["/AP"]["/N"].keys() if k != "/Off"]
            state = NameObject(states[0] if value.strip().lower() in TRUE and states else "/Off")
            field[NameObject("/V")] = state
            field[NameObject("/AS")] = state
            continue
        x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
        m = _DA.search(str(field.get("/DA", "")))
        size, rgb = (float(m.group(2)), m.group(3, 4, 5)) if m else (11.0, ("0", "0", "0"))
        stream = DecodedStreamObject()
        stream.set_data(appearance(value, x1 - x0, y1 - y0, size, rgb))
        stream.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(x1 - x0), FloatObject(y1 - y0)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject(
                {NameObject(f"/{RESOURCE}"): font_ref})}),
        })
        field[NameObject("/V")] = TextStringObject(value)
        # A new stream object: the empty one may be shared by nothing, but never rewrite in place.
        field[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})

    from cardpress.files.atomic import atomic_write

    atomic_write(out, writer.write)
    return [key for key, *_ in todo]
