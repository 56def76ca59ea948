r"""Nothing is drawn outside its box (issue 21), read from the page records.

Every text line and formula stays inside its slot (pdf/reach.py): a card on the deck's
sheets, a column of the revision sheet, the page of a worksheet. Checked on the shipped
catalog, on a catalog of the issue's formulas in every place a formula can go, and as a
property: any formula `validate` accepts is drawn inside its slot on every default layout.
"""

from __future__ import annotations

from dataclasses import replace

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_CATALOG, card_data
from math_formulas import ISSUE_21

from cardpress.catalog import load_catalog
from cardpress.deck.assemble import DeckRequest, check_room, deck_pages
from cardpress.deck.layout_spec import DEFAULT_LAYOUTS, load_layout
from cardpress.errors import CardpressError
from cardpress.geometry import Rect
from cardpress.pdf.page import Group, Page
from cardpress.pdf.reach import strays
from cardpress.pipeline.preflight import preflight
from cardpress.sheet import PAPERS
from cardpress.sheet import geometry as geo
from cardpress.sheet.layout import lay_out
from cardpress.worksheets import Variant, worksheet_pages


def deck_strays(catalog) -> list:
    out = []
    for name in DEFAULT_LAYOUTS:
        layout = load_layout(name)
        req = DeckRequest(layout)
        for page in deck_pages(catalog, req, check_room(req)):
            cards = [Rect(*g.origin, layout.card_w, layout.card_h) for g in page.records
                     if isinstance(g, Group) and g.origin is not None]
            out += [(name, s) for s in strays(page, cards)]
    return out


def sheet_strays(catalog) -> list:
    out = []
    for paper in PAPERS:
        sheet = lay_out(catalog, paper)
        fr = geo.frame(paper)
        width = geo.column_width(fr, sheet.columns_per_page)
        columns = [Rect(x, fr.bottom, width, fr.top - fr.bottom) for x in geo.column_lefts(fr, sheet.columns_per_page)]
        for page in sheet.pages:
            out += [(paper, s) for s in strays(page, columns)]
    return out


def worksheet_strays(catalog) -> list:
    out = []
    for card in catalog.cards:
        for variant in (Variant(), Variant(answers=True)):
            for page in worksheet_pages(catalog, card, variant):
                out += [(card.id, s) for s in strays(page)]
    return out


def all_strays(catalog) -> list:
    ready = catalog.ready()
    return deck_strays(ready) + sheet_strays(ready) + worksheet_strays(catalog)


def test_the_check_sees_a_mark_outside_its_slot():
    from cardpress.pdf.page import Formula
    from cardpress.typeset.mathtext import layout

    box = layout(r"\frac{a}{b} + c", 10)
    page = Page(100, 100, (Group((Formula(45, 20, box),), origin=(10, 10)),))
    [s] = strays(page, [Rect(10, 10, 50, 50)])  # the card is 50 wide; the formula starts at 45
    assert s.over == round(45 + box.width - 50, 3)
    assert strays(page, [Rect(10, 10, 60 + box.width, 50)]) == []


def test_the_shipped_catalog_keeps_every_mark_inside_its_slot():
    assert all_strays(load_catalog(SHIPPED_CATALOG)) == []


def formula_catalog(path, formulas):
    cards = []
    for i, tex in enumerate(formulas, 1):
        card = card_data(i, summary=f"We use \\({tex}\\) here.")
        card["numbers"][0] = {"figure": f"\\({tex}\\)", "text": "the loss."}
        card["numbers"][1]["text"] = f"then \\({tex}\\) again."
        cards.append(card)
    path.write_bytes(tomli_w.dumps({"deck": {"title": "formulas"}, "cards": cards}).encode())
    return path


def test_the_issues_formulas_stay_inside_their_slots_everywhere(tmp_path):
    catalog = load_catalog(formula_catalog(tmp_path / "cards.toml", ISSUE_21[:12]))
    findings = preflight(catalog)
    # What validate accepts is drawn inside; what it refuses names the formula and the overrun.
    refused = {p.card for p in findings.problems}
    for p in findings.problems:
        assert "pt wider than" in p.message and p.field, p
    kept = replace(catalog, cards=tuple(c for c in catalog.cards if c.id not in refused))
    assert all_strays(kept) == []


# ------------------------------------------------------------------ the property

ATOMS = st.sampled_from([
    "x", "y_i", "x^2", r"\alpha", r"\mathcal{L}", r"\mathbb{E}", r"\theta_t", "f'(x)", r"\log p(x)",
    r"\hat{y}", r"\sqrt{d_k}", r"\lVert w \rVert", r"\sum_{i=1}^{n} x_i", r"e^{-x}", "0.5", r"\pi_\theta",
])
BINARY = st.sampled_from(["+", "-", "=", r"\le", r"\approx", r"\cdot", ","])


@st.composite
def formulas(draw, depth: int = 0):
    parts = [draw(ATOMS)]
    for _ in range(draw(st.integers(0, 3))):
        parts += [draw(BINARY), draw(ATOMS)]
    tex = " ".join(parts)
    wrap = draw(st.sampled_from(["", "frac", "left", "big", "matrix", "cases"] if depth < 1 else [""]))
    if wrap == "frac":
        tex = rf"\frac{{{tex}}}{{{draw(formulas(depth + 1))}}}"
    elif wrap == "left":
        tex = rf"\left( {tex} \right)"
    elif wrap == "big":
        tex = rf"\bigl[ {tex} \bigr]"
    elif wrap == "matrix":
        tex = rf"\begin{{pmatrix}} {tex} & 0 \\ 0 & {draw(ATOMS)} \end{{pmatrix}}"
    elif wrap == "cases":
        tex = rf"\begin{{cases}} {tex} & x > 0 \\ 0 & \text{{otherwise}} \end{{cases}}"
    return tex


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(tex=formulas())
def test_any_formula_validate_accepts_is_drawn_inside_its_slot(tmp_path, tex):
    path = formula_catalog(tmp_path / "cards.toml", [tex])
    try:
        catalog = load_catalog(path)
    except CardpressError:
        return  # refused on reading: nothing is drawn
    if preflight(catalog).problems:
        return  # refused by validate: nothing is drawn
    assert all_strays(catalog) == [], tex
