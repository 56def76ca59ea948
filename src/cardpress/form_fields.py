"""A PDF's form fields nested by their dotted names: `paper.claim.1` becomes a field `paper`
with a kid `claim` with a kid `1`.

The PDF spec forbids "." inside a field's partial name (/T): the dot is what joins partial
names into a full name, so a flat field called `paper.claim` is malformed, and viewers
disagree about it. reportlab writes fields flat, so the painter hands its file here and
the hierarchy is built afterwards with pypdf: one parent dictionary per prefix, each
widget keeping only its last name part. Same input, same bytes: parents are made in the
order their first field appears and the file's /ID is reportlab's invariant one.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def nest(data: bytes) -> bytes:
    """The PDF with its flat dotted field names turned into a field hierarchy."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    acro = writer._root_object["/AcroForm"]
    top = ArrayObject()
    parents: dict[str, object] = {}  # full name of a parent -> its indirect reference
    for ref in acro["/Fields"]:
        field = ref.get_object()
        *path, leaf = str(field["/T"]).split(".")
        parent = None
        for depth, part in enumerate(path, 1):
            full = ".".join(path[:depth])
            if full not in parents:
                node = DictionaryObject({NameObject("/T"): TextStringObject(part), NameObject("/Kids"): ArrayObject()})
                node_ref = writer._add_object(node)
                if parent is None:
                    top.append(node_ref)
                else:
                    node[NameObject("/Parent")] = parent
                    parent.get_object()["/Kids"].append(node_ref)
                parents[full] = node_ref
            parent = parents[full]
        if parent is None:
            top.append(ref)
            continue
        field[NameObject("/T")] = TextStringObject(leaf)
        field[NameObject("/Parent")] = parent
        parent.get_object()["/Kids"].append(ref)
    acro[NameObject("/Fields")] = top
    # reportlab gives every empty field its own, identical appearance stream: keep one of each.
    if hasattr(writer, "compress_identical_objects"):  # pypdf >= 4.3
        writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
