"""The sheet's vertical rhythm and its lines, read from the page records (no PDF).

- the gaps between cards are equal within a page (to 0.1 pt), the type size's item gap;
- no heading band ends a column: text of its section follows it in the same column;
- no list splits with fewer than two items on either side of a column break;
- no line ends in a list marker;
- every justified line's word spaces are within the stated stretch limit.
"""

from __future__ import annotations

import pytest

from cardpress.catalog import load_catalog
from cardpress.pdf.page import Box, Text, TextLine
from cardpress.sheet import PAPERS
from cardpress.sheet import geometry as geo
from cardpress.sheet.content import TOPIC_COLOR, sheet_sections
from cardpress.sheet.layout import _Pass, lay_out
from cardpress.sheet.paginate import MIN_SPLIT, balance
from cardpress.typeset.breaker import MARKERS, MAX_SPACE
from cardpress.typeset.textfit import unit_width

from conftest import SHIPPED_CATALOG
from test_sheet_full import _repeated_cards


@pytest.fixture(scope="module")
def shipped_catalog():
    return load_catalog(SHIPPED_CATALOG).ready()


@pytest.fixture(scope="module")
def layouts(shipped_catalog):
    cards120 = _repeated_cards(120)
    return {(name, paper): lay_out(cat, paper, choose)
            for name, cat, choose in (("shipped", shipped_catalog, None), ("120", cards120, ("cards",)))
            for paper in PAPERS}


CASES = [(name, paper) for name in ("shipped", "120") for paper in PAPERS]


def _columns(sheet):
    fr = geo.frame(sheet.paper)
    return fr, geo.column_lefts(fr, sheet.columns_per_page), geo.column_width(fr, sheet.columns_per_page)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_gaps_between_cards_are_equal_within_a_page(layouts, case):
    sheet = layouts[case]
    fr, lefts, width = _columns(sheet)
    bar = geo.Scale(sheet.size).card_bar
    expected = geo.Scale(sheet.size).item_gap
    for page in sheet.pages:
        gaps = []
        for left in lefts:
            bars = sorted((r for r in page.records if isinstance(r, Box) and abs(r.x - left) < 1e-6
                           and abs(r.w - bar) < 1e-6), key=lambda r: -r.y)
            gaps += [upper.y - (lower.y + lower.h) for upper, lower in zip(bars, bars[1:])
                     if upper.fill == lower.fill]  # two cards of one category, one under the other
        if gaps:
            assert max(gaps) - min(gaps) <= 0.1, gaps
            assert min(gaps) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_no_heading_ends_a_column(layouts, case):
    sheet = layouts[case]
    fr, lefts, width = _columns(sheet)
    scale = geo.Scale(sheet.size)
    for page in sheet.pages:
        bands = [r for r in page.records if isinstance(r, Box) and r.fill is not None
                 and abs(r.w - width) < 1e-6 and r.h < 4 * scale.heading_leading]
        assert bands
        lines = page.of(TextLine)
        for band in bands:
            below = [ln for ln in lines if band.x - 1e-6 <= ln.x < band.x + width and ln.baseline < band.y]
            # a body line within two leadings of the band's foot: its section goes on under it
            assert below and max(ln.baseline for ln in below) >= band.y - 2 * scale.heading_leading - scale.leading


@pytest.mark.parametrize("paper", PAPERS)
def test_no_list_splits_with_fewer_than_two_items_on_either_side(shipped_catalog, paper):
    fr = geo.frame(paper)
    sheet = lay_out(shipped_catalog, paper)
    p = _Pass(sheet_sections(shipped_catalog, None), fr, sheet.size, True, shipped_catalog.deck.lang)
    _, columns = balance(p.groups, (0, 0), geo.PAGES * p.n, p.capacity, p.scale.group_gap)
    for col in columns:
        for k, frag in enumerate(col.fragments):
            n = len(p.groups[frag.group].items)
            split_before, split_after = frag.first > 0, frag.end < n
            alone = len(col.fragments) == 1  # a column holding nothing else could not do better
            if split_before or split_after:
                assert frag.end - frag.first >= MIN_SPLIT or alone, (frag, n)
            if split_after:
                assert n - frag.end >= MIN_SPLIT, (frag, n)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_no_line_ends_in_a_list_marker(layouts, case):
    for page in layouts[case].pages:
        for ln in page.of(TextLine):
            text = ln.text.strip()
            # (a bullet hanging in its gutter is a line of its own: the marker alone)
            assert text in MARKERS or text[-1:] not in MARKERS, ln.text


def _plain_lines(page):
    """Text lines not grouped with a formula (their segments sit side by side)."""
    return [ln for r in page.records if isinstance(r, Text) for ln in r.lines]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_every_word_space_is_within_the_stretch_limit(layouts, case):
    sheet = layouts[case]
    stretched = 0
    for page in sheet.pages:
        for ln in _plain_lines(page):
            segs = ln.line.segments
            for a, b in zip(segs, segs[1:]):
                if not b.text.startswith(" "):
                    continue
                natural = unit_width(" ", b.font)
                gap = (b.x + natural) - (a.x + unit_width(a.text, a.font))
                ratio = gap / natural
                assert 0.8 - 1e-6 <= ratio <= MAX_SPACE + 1e-6, (ln.text, ratio)
                stretched += ratio > 1.01
    assert stretched > 100  # the columns are justified: spaces do stretch


def test_body_text_is_not_set_under_the_floor(layouts):
    for sheet in layouts.values():
        assert min(ln.size for page in sheet.pages for ln in page.of(TextLine)) >= geo.FLOOR
