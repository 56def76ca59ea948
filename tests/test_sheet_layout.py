"""Revision sheet layout: what the size search chose and where every mark went (no PDF)."""

from __future__ import annotations

import re
import tomllib

import pytest
import tomli_w

from conftest import SHIPPED_CATALOG, card_data, catalog_data
from cardpress.catalog import load_catalog_text
from cardpress.errors import CardpressError
from cardpress.sheet import geometry as geo
from cardpress.sheet.content import sheet_sections
from cardpress.pdf.page import Box, TextLine
from cardpress.sheet.layout import lay_out
from cardpress.units import PAPER

PAPERS = ("letter", "a4")


def generated(n: int, with_notes: bool = False):
    data = catalog_data(n)
    if with_notes:
        data = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
        data["cards"] = [card_data(i) for i in range(1, n + 1)]
        for section in ("concepts", "questions", "tables", "papers", "checklist"):
            data.pop(section, None)  # the method notes only: 120 cards leave no room for more
    return load_catalog_text(tomli_w.dumps(data), f"generated-{n}.toml")


@pytest.fixture(scope="module")
def big():
    """120 generated cards plus the shipped revision notes: the dense case."""
    return generated(120, with_notes=True)


def _texts(sheet):
    return [(p, op) for p, page in enumerate(sheet.pages) for op in page.of(TextLine)]


def _check_marks_inside_the_page(sheet):
    w, h = PAPER[sheet.paper]
    m = geo.MARGIN - 1e-6
    for _, op in _texts(sheet):
        assert op.size >= geo.FLOOR
        assert m <= op.x and op.x + op.line.width * op.size <= w - m
        assert m <= op.baseline - 0.236 * op.size and op.baseline + 0.95 * op.size <= h - m
    for page in sheet.pages:
        for op in page.records:
            if isinstance(op, Box):
                assert m <= op.x and op.x + op.w <= w - m and m <= op.y and op.y + op.h <= h - m


@pytest.mark.parametrize("paper", PAPERS)
def test_120_cards_with_notes_fit_four_pages_above_the_floor(big, paper):
    sheet = lay_out(big, paper)
    assert len(sheet.pages) == 4
    assert geo.FLOOR <= sheet.size < geo.CEILING
    assert sheet.passes <= 12
    _check_marks_inside_the_page(sheet)


@pytest.mark.parametrize("paper", PAPERS)
def test_three_cards_fill_the_rest_with_notes(paper):
    sheet = lay_out(generated(3), paper)
    assert len(sheet.pages) == 4 and sheet.size == geo.CEILING
    assert [a[0] for a in sheet.notes_areas] == [0, 1, 2, 3]
    _check_marks_inside_the_page(sheet)


def _column_boxes(sheet, page):
    fr = geo.frame(sheet.paper)
    n = sheet.columns_per_page
    return [(x, x + geo.column_width(fr, n)) for x in geo.column_lefts(fr, n)]


def test_text_in_columns_stays_inside_its_column(big):
    sheet = lay_out(big, "letter")
    fr = geo.frame("letter")
    for p, op in _texts(sheet):
        if fr.footer_baseline + 1 < op.baseline < fr.header_baseline - 1:
            assert fr.bottom - 1e-6 <= op.baseline - 0.236 * op.size
            assert op.baseline + 0.95 * op.size <= fr.top + 1e-6
            right = op.x + op.line.width * op.size
            assert any(l - 1e-6 <= op.x and right <= r + 1e-6 for l, r in _column_boxes(sheet, p)), op


def _card_headings_in_order(sheet):
    """Card headings as they appear page by page, column by column (bold lines after a bar)."""
    return [op.line.text for _, op in _texts(sheet)]


def _joined(lines) -> str:
    """Lines as one text, a line that ends after a word's hyphen joined to the next."""
    text = re.sub(r"\u00ad\s*", "", " ".join(lines))  # a word hyphenated at a line end
    return re.sub(r"(?<=[^\W\d_]-) (?=[^\W\d_])", "", " ".join(text.split()))


def test_every_card_appears_once_grouped_by_category(shipped):
    sheet = lay_out(shipped, "a4")
    text = _joined(_card_headings_in_order(sheet))
    for card in shipped.cards:
        # once as a card, and again as the title of its protocol notes and of its follow-ups
        again = (card.protocol is not None) + any(q.paper == card.id for q in shipped.questions)
        assert text.count(" ".join(card.heading.split())) == 1 + again, card.id
    # Category order: each card's heading comes after its category's first heading band.
    positions = [text.index(" ".join(c.heading.split())) for c in shipped.cards]
    order = [c.name for c in shipped.category_order()]
    by_category = sorted(range(len(shipped.cards)),
                         key=lambda i: (order.index(shipped.cards[i].category), i))
    assert sorted(positions) == [positions[i] for i in by_category]


def test_continued_categories_repeat_their_heading(big):
    sheet = lay_out(big, "letter")
    lines = [op.line.text for _, op in _texts(sheet)]
    assert any(t.endswith("(cont.)") for t in lines)


def test_last_page_columns_are_balanced(big):
    sheet = lay_out(big, "a4")
    fr = geo.frame("a4")
    last = sheet.pages[3]
    # Lowest line in each column of the last page: the columns end within one card of each other.
    lefts = geo.column_lefts(fr, sheet.columns_per_page)
    bottoms = {}
    for ln in last.of(TextLine):
        if fr.bottom - 1 <= ln.baseline <= fr.top:
            col = min(range(sheet.columns_per_page), key=lambda k: abs(lefts[k] - ln.x) if ln.x >= lefts[k] - 1e-6
                      else 1e9)
            bottoms[col] = min(bottoms.get(col, fr.top), ln.baseline)
    assert len(bottoms) == sheet.columns_per_page
    tallest_block = 6 * sheet.size * 1.5 * 1.17 + 3 * sheet.size  # a generated card, generously
    assert max(bottoms.values()) - min(bottoms.values()) <= tallest_block


def test_mono_does_not_change_the_layout(shipped):
    # Colour is decided when painting; the same layout serves both.
    a, b = lay_out(shipped, "letter"), lay_out(shipped, "letter")
    assert a == b


def test_empty_revision_notes_are_left_out():
    cat = generated(3)
    assert [s.kind for s in sheet_sections(cat)] == ["category"] * len(cat.category_order())


def test_shipped_sections_hold_every_revision_note(shipped):
    titles = [s.title for s in sheet_sections(shipped) if s.choice == "method"]
    assert titles[:4] == ["The 20-minute paper-read protocol", "What interviewers grade",
                          "The three-pass method", "The drill protocol"]
    assert titles[4:] == [n.title for n in shipped.notes]


def test_over_full_catalog_says_how_much_is_over_and_what_to_do():
    with pytest.raises(CardpressError) as info:
        lay_out(generated(300), "letter")
    msg = info.value.render()
    assert "more pages at the 6 pt floor" in msg
    for option in ("--tag", "--category", "--only", "--skip-mastered"):
        assert option in msg


def test_a_card_taller_than_a_column_is_named():
    data = catalog_data(2)
    data["cards"][1]["summary"] = "word " * 3000
    cat = load_catalog_text(tomli_w.dumps(data), "tall.toml")
    with pytest.raises(CardpressError) as info:
        lay_out(cat, "letter")
    assert f"card '{data['cards'][1]['id']}'" in info.value.render()
    assert "one column" in info.value.render()


def test_column_count_keeps_a_readable_measure():
    for paper in PAPERS:
        fr = geo.frame(paper)
        for size in geo.sizes():
            n = geo.columns_for(size, fr)
            chars = geo.column_width(fr, n) / (geo.average_char() * size)
            assert geo.MIN_COLUMNS <= n <= geo.MAX_COLUMNS
            assert chars >= geo.MIN_MEASURE or n == geo.MIN_COLUMNS
