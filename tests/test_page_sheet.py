"""The revision sheet speaks the page model: its records read back as plain numbers (no PDF)."""

from __future__ import annotations

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog
from cardpress.pdf.page import Box, Formula, Group, Page, Rule, Text, TextLine
from cardpress.sheet import geometry as geo
from cardpress.sheet.layout import lay_out
from cardpress.units import PAPER


def test_sheet_pages_are_page_model_pages_of_the_paper_size():
    sheet = lay_out(load_catalog(SHIPPED_CATALOG), "letter")
    for page in sheet.pages:
        assert isinstance(page, Page)
        assert (page.width, page.height) == PAPER["letter"]
        assert all(isinstance(r, (Box, Rule, Text)) or _text_with_formulas(r) for r in page.records)


def test_category_bands_start_at_the_columns_x_positions():
    sheet = lay_out(load_catalog(SHIPPED_CATALOG), "a4")
    n = sheet.columns_per_page
    width, _ = PAPER["a4"]
    # The rule: n equal columns between the margins, COLUMN_GAP apart.
    col_w = (width - 2 * geo.MARGIN - (n - 1) * geo.COLUMN_GAP) / n
    lefts = [geo.MARGIN + i * (col_w + geo.COLUMN_GAP) for i in range(n)]
    colours = {c.color for c in load_catalog(SHIPPED_CATALOG).categories}
    bands = [r for page in sheet.pages for r in page.records
             if isinstance(r, Box) and r.fill in colours and abs(r.w - col_w) < 1e-6]
    assert bands
    for band in bands:
        assert min(abs(band.x - left) for left in lefts) < 1e-6, band.x
    # And every text line of page 1 starts inside one column.
    for ln in sheet.pages[0].of(TextLine):
        if ln.baseline < sheet.pages[0].height - geo.MARGIN - 2 * geo.HEADER_SIZE and ln.baseline > 2 * geo.MARGIN:
            assert any(left - 1e-6 <= ln.x <= left + col_w for left in lefts), (ln.text, ln.x)


def test_header_rule_spans_the_margins():
    sheet = lay_out(load_catalog(SHIPPED_CATALOG), "letter")
    width, _ = PAPER["letter"]
    rules = [r for r in sheet.pages[0].records if isinstance(r, Rule) and r.width == 0.7]
    assert len(rules) == 1
    assert (rules[0].x1, rules[0].x2) == (geo.MARGIN, width - geo.MARGIN)


def _text_with_formulas(r) -> bool:
    """A line with math is a Group of its Text and Formula records (page.lines_record)."""
    return isinstance(r, Group) and all(isinstance(x, (Text, Formula)) for x in r.records)


def test_every_formula_stays_inside_its_column():
    # The protocol papers' equations are wider than a column as written; the sheet cuts them
    # before top-level operators (textfit break_math) instead of letting them run into the
    # next column or off the page.
    for paper in ("letter", "a4"):
        sheet = lay_out(load_catalog(SHIPPED_CATALOG), paper)
        n = sheet.columns_per_page
        width, _ = PAPER[paper]
        col_w = (width - 2 * geo.MARGIN - (n - 1) * geo.COLUMN_GAP) / n
        lefts = [geo.MARGIN + i * (col_w + geo.COLUMN_GAP) for i in range(n)]
        formulas = [f for page in sheet.pages for f in page.of(Formula)]
        assert len(formulas) >= 3  # Attention, Chinchilla and DPO at least
        for f in formulas:
            left = max(x for x in lefts if x <= f.x + 1e-6)
            assert f.x + f.box.width <= left + col_w + 1e-6, (paper, f.x, f.box.width)


def test_a_formula_wider_than_the_line_breaks_before_its_top_level_operators():
    from cardpress.typeset.mathtext import break_points

    # Written out from the rule: cut before =, + and - at the top level only; a minus right
    # after an operator stays with what follows; \left...\right and braces are never cut.
    assert break_points(r"L(N, D) = E + \dfrac{A}{N^\alpha} + \dfrac{B}{D^\beta}") == [
        "L(N, D)", "= E", r"+ \dfrac{A}{N^\alpha}", r"+ \dfrac{B}{D^\beta}"]
    assert break_points(r"y = -\log\sigma\left(a - b\right)") == ["y", r"= -\log\sigma\left(a - b\right)"]
    assert break_points(r"x^{a-b}") == [r"x^{a-b}"]
