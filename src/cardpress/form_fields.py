"""Form fields nested by their dotted names: `paper.claim.1` becomes a field `paper` with a
kid `claim` with a kid `1`.

The PDF spec forbids "." inside a field's partial name (/T): the dot is what joins partial
names into a full name, so a flat field called `paper.claim` is malformed, and viewers
disagree about it. reportlab's AcroForm only writes flat fields (its radio groups are the
one parent it knows), so before the canvas is saved the field list is rebuilt here: one
parent dictionary per prefix, each widget keeping only its last name part. Parents are
made in the order their first field appears, so the same input gives the same bytes.

This works on reportlab's document objects (AcroForm.fields, the document's object
table) rather than re-reading the finished PDF with pypdf: that did the same in 1-2 s
per build, this in milliseconds.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFString
from reportlab.pdfgen.canvas import Canvas


def nest(canvas: Canvas) -> None:
    """Turn the canvas's flat dotted field names into a field hierarchy (call before save)."""
    form = canvas.acroForm
    doc = canvas._doc
    top: list = []
    parents: dict[str, tuple] = {}  # full name of a parent -> (its reference, its dictionary)
    for ref in form.fields:
        field = doc.idToObject[ref.name]
        *path, leaf = field.dict["T"].s.split(".")
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
        field.dict["T"] = PDFString(leaf)
        field.dict["Parent"] = parent[0]
        parent[1].dict["Kids"].sequence.append(ref)
    form.fields = top
