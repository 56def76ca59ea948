"""The deck and the painter speak the page model: records read back as numbers; one PDF for the painter."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from cardpress.catalog import load_catalog
from cardpress.deck.assemble import DeckRequest, check_room, deck_pages
from cardpress.deck.layout_spec import load_layout
from cardpress.geometry import Rect
from cardpress.pdf.page import Bookmark, Box, Formula, Group, Link, Page, Rule, Text, TextLine, placed_lines
from cardpress.pdf.paint import pdf
from cardpress.typeset.textfit import layout_at

MM = 72 / 25.4


def mirrored(slot: Rect, w: float, h: float, horizontal: bool) -> tuple[float, float]:
    """The slot's lower-left corner reflected through the flip axis, written out from the rule."""
    if horizontal:
        return slot.x, h - (slot.y + slot.h)
    return w - (slot.x + slot.w), slot.y


@pytest.mark.parametrize("name", ["letter-4up", "letter-3up"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_each_back_lands_in_the_mirrored_slot_of_its_front(shipped_catalog, name, flip):
    layout = load_layout(name)
    offset = (0.5 * MM, -1.0 * MM)
    req = DeckRequest(layout, flip, offset)
    imp = check_room(req)
    pages = list(deck_pages(load_catalog(shipped_catalog), req, imp))
    front, back = pages[0], pages[1]
    assert all(isinstance(p, Page) and (p.width, p.height) == (layout.sheet_w, layout.sheet_h) for p in pages)
    faces_front = [g for g in front.records if isinstance(g, Group) and g.origin is not None]
    faces_back = [g for g in back.records if isinstance(g, Group) and g.origin is not None]
    assert len(faces_front) == len(faces_back) == layout.per_sheet
    horizontal = (layout.sheet_w >= layout.sheet_h) == (flip == "long")
    for f, b in zip(faces_front, faces_back):
        slot = Rect(*f.origin, layout.card_w, layout.card_h)
        x, y = mirrored(slot, layout.sheet_w, layout.sheet_h, horizontal)
        assert b.origin == pytest.approx((x + offset[0], y + offset[1]))
        # the same pairing mark on both faces
        mark = lambda g: next(ln.text for ln in Page(0, 0, g.records).of(TextLine) if "/" in ln.text)
        assert mark(f) == mark(b)


def test_bookmarks_point_at_the_front_slots_and_cut_marks_are_one_form_per_side(shipped_catalog):
    layout = load_layout("letter-4up")
    req = DeckRequest(layout)
    pages = list(deck_pages(load_catalog(shipped_catalog), req, check_room(req)))
    marks = {}
    for i, page in enumerate(pages):
        side = "front" if i % 2 == 0 else "back"
        faces = [g for g in page.records if isinstance(g, Group) and g.origin is not None]
        books = [r for r in page.records if isinstance(r, Bookmark)]
        if side == "front":
            assert [(b.left, b.top) for b in books] == [(g.origin[0], g.origin[1] + layout.card_h) for g in faces]
        else:
            assert books == []
        forms = [g for g in page.records if isinstance(g, Group) and g.form]
        assert [g.form for g in forms] == [f"cutmarks-{side}"]
        assert all(isinstance(r, Rule) for r in forms[0].records)
        assert marks.setdefault(side, forms[0]) == forms[0]  # the same marks on every sheet


class _Glyph(SimpleNamespace):
    pass


def test_the_painter_draws_formula_glyphs_as_text_links_and_boxes():
    box = SimpleNamespace(
        glyphs=[_Glyph(font_name="DejaVuSans", char="x", x=0.0, y=0.0, size=10.0),
                _Glyph(font_name="DejaVuSans", char="2", x=6.0, y=4.0, size=7.0)],
        rules=[(0.0, -3.0, 10.0, 0.5)], width=10.0, ascent=10.0, descent=3.0)
    fit = layout_at([("hello page", "DejaVuSans")], 12, 200)
    page = Page(200, 100, (Box(1, 1, 198, 98, stroke="#888888", line_width=0.4, dash=(3, 2)),
                           Text(placed_lines(fit, 10, 90)),
                           Formula(20, 40, box),
                           Link(Rect(10, 10, 50, 10), "https://example.org/")))
    out = pdf("t.pdf", [page], (200, 100), title="t")
    reader = PdfReader(io.BytesIO(out.data))
    text = reader.pages[0].extract_text()
    assert "hello page" in text and "x" in text and "2" in text
    annots = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert any(a["/A"]["/URI"] == "https://example.org/" for a in annots)
