"""Typed text sits on the printed rules: fill a field of each kind with pypdf, render the page
with poppler, and find the typed ink between the rules.

The rules come from the rendered empty page (rows of grey across the field's width), the
typed ink from the difference between the filled and the empty rendering, so nothing here
takes the layout's word for where anything is.
"""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from pdf_readback import HAVE_POPPLER, _pgm

DPI = 100
PX = DPI / 72  # pixels per point
PITCH = 0.3125 * 72  # the worksheet's 5/16 in handwriting pitch
TYPED = "Hgjy typed on the line"  # ascenders and descenders both

pytestmark = pytest.mark.skipif(not HAVE_POPPLER, reason="needs poppler-utils (pdftoppm)")

# One field of each kind: a header line, a phase's notes, a writing box's first and a later
# line, the equation box, a recall number.
FIELDS = {0: ["name", "phase-1-notes.1"], 1: ["claim.1", "equation.1", "followup-1.2", "recall-1"]}


def render(data: bytes, page: int, tmp_path, tag: str):
    pdf = tmp_path / f"{tag}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page + 1), "-l", str(page + 1),
                    "-singlefile", str(pdf), str(tmp_path / tag)], check=True)
    return _pgm(tmp_path / f"{tag}.pgm")


def widget_rects(reader: PdfReader, page: int) -> dict[str, list[float]]:
    out = {}
    for annot in reader.pages[page].get("/Annots", []):
        a = annot.get_object()
        if a.get("/Subtype") != "/Widget":
            continue
        names, node = [], a
        while node is not None:
            names.append(str(node["/T"]))
            node = node.get("/Parent")
            node = node.get_object() if node is not None else None
        out[".".join(reversed(names))] = [float(v) for v in a["/Rect"]]
    return out


@pytest.fixture(scope="module")
def worksheet(shipped_catalog_module):
    from cardpress.catalog import load_catalog
    from cardpress.worksheets import render_worksheets

    cat = load_catalog(shipped_catalog_module)
    outs = render_worksheets(cat, cards=(cat.card("vaswani-2017-attention"),))
    return next(o.data for o in outs if o.relpath.endswith("vaswani-2017-attention.pdf"))


@pytest.fixture(scope="module")
def shipped_catalog_module():
    from conftest import SHIPPED_CATALOG
    return SHIPPED_CATALOG


@pytest.mark.parametrize("page", sorted(FIELDS))
def test_typed_text_lies_between_the_rules(worksheet, tmp_path, page):
    reader = PdfReader(io.BytesIO(worksheet))
    writer = PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[page], {name: TYPED for name in FIELDS[page]},
                                         auto_regenerate=True)
    filled = io.BytesIO()
    writer.write(filled)
    w, h, empty = render(worksheet, page, tmp_path, "empty")
    _, _, typed = render(filled.getvalue(), page, tmp_path, "filled")
    rects = widget_rects(reader, page)
    page_h = float(reader.pages[page].mediabox.height)
    for name in FIELDS[page]:
        x0, y0, x1, y1 = rects[name]
        cols = range(int(x0 * PX) + 3, int(x1 * PX) - 3)
        # Rows to search: the field's box and a pitch either side of it.
        rows = range(max(0, int((page_h - y1 - PITCH) * PX)), min(h, int((page_h - y0 + PITCH) * PX)))
        ink = [r for r in rows if any(typed[r * w + c] < empty[r * w + c] - 60 for c in cols)]
        assert ink, f"{name}: no typed text rendered"
        # A printed rule: a row inked across (nearly) the whole field width on the empty page.
        rules = [r for r in rows if sum(empty[r * w + c] < 235 for c in cols) > 0.9 * len(cols)]
        top, bottom = min(ink), max(ink)
        below = [r for r in rules if r > bottom]
        assert below, f"{name}: no rule under the typed text"
        assert not [r for r in rules if top <= r <= bottom], f"{name}: a rule runs through the typed text"
        # On the line: the lowest ink (descenders) within a quarter pitch above the rule.
        gap = (min(below) - bottom) / PX
        assert 0 < gap <= PITCH / 4, f"{name}: typed text {gap:.1f} pt above its rule"
        # Sized for the line: ascender to descender takes 40-80 % of the pitch, as a hand would.
        height = (bottom - top + 1) / PX
        assert 0.4 * PITCH <= height <= 0.8 * PITCH, f"{name}: typed text {height:.1f} pt tall"
