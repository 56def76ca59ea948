"""Card faces: everything inside the safe area, text fitted, overflow named. No PDF."""

from __future__ import annotations

import re

import pytest

from cardpress.catalog import load_catalog
from cardpress.catalog.model import Card, Category, Number
from cardpress.deck.faces import LEADING, FaceLayout, pairing_mark
from cardpress.deck.layout_spec import load_layout
from cardpress.errors import CardpressError

from cardpress.pdf.page import Box, Rule, Text

EPS = 1e-6


def top(t: Text) -> float:
    """The top of a text's first line: its baseline sits 0.95 of the size below it."""
    return t.lines[0].baseline + 0.95 * t.lines[0].size


def bottom(t: Text) -> float:
    """The foot of a text's box: one leading per line below its top."""
    return top(t) - len(t.lines) * LEADING * t.lines[0].size


def words(t: Text) -> str:
    return " ".join(ln.text for ln in t.lines)
CAT = Category("Systems & Efficiency", "SYS", "#9a5200")


def card(**kw) -> Card:
    base = dict(id="x-2020-y", author="Author", year=2020, title="A title", summary="A summary.",
                numbers=(Number("65M", "parameters."), Number("", "A plain number."), Number("3.5 days", "to train.")),
                category=CAT.name)
    base.update(kw)
    return Card(**base)


def assert_inside_safe_area(face, layout):
    lo_x, lo_y = layout.safe, layout.safe
    hi_x, hi_y = layout.card_w - layout.safe, layout.card_h - layout.safe
    for item in face.items:
        if isinstance(item, Text):
            assert top(item) <= hi_y + EPS and bottom(item) >= lo_y - EPS, item
            for ln in item.lines:
                assert lo_x - EPS <= ln.x and ln.x + ln.width <= hi_x + EPS, ln.text
        elif isinstance(item, Box):
            assert lo_x - EPS <= item.x and item.x + item.w <= hi_x + EPS
            assert lo_y - EPS <= item.y and item.y + item.h <= hi_y + EPS
        elif isinstance(item, Rule):
            assert lo_x - EPS <= min(item.x1, item.x2) and max(item.x1, item.x2) <= hi_x + EPS
            assert lo_y - EPS <= min(item.y1, item.y2) and max(item.y1, item.y2) <= hi_y + EPS


def text_of(face) -> str:
    return " ".join(words(it) for it in face.items if isinstance(it, Text))


@pytest.mark.parametrize("name", ["index-3x5", "letter-4up", "a4-4up", "letter-3up"])
def test_every_shipped_card_fits_inside_the_safe_area(shipped_catalog, name):
    layout = load_layout(name)
    cat = load_catalog(shipped_catalog)
    cats = {c.name: c for c in cat.category_order()}
    faces = FaceLayout(layout)
    for i, c in enumerate(cat.cards):
        mark = pairing_mark(i + 1, len(cat.cards))
        front, back = faces.front(c, cats[c.category], mark), faces.back(c, cats[c.category], mark)
        assert_inside_safe_area(front, layout)
        assert_inside_safe_area(back, layout)
        assert mark in text_of(front) and mark in text_of(back)


def test_the_safe_margin_is_at_least_0_15_in():
    for name in ("index-3x5", "letter-4up", "a4-4up", "letter-3up"):
        assert load_layout(name).safe >= 0.15 * 72


def test_title_is_the_largest_text_on_the_front_and_figures_outsize_the_body():
    layout = load_layout("index-3x5")
    faces = FaceLayout(layout)
    front = faces.front(card(title="Attention Is All You Need"), CAT, "01/17")
    sizes = {words(it): it.lines[0].size for it in front.items if isinstance(it, Text)}
    assert sizes["Attention Is All You Need"] == max(sizes.values())
    back = faces.back(card(), CAT, "01/17")
    texts = {words(it): it for it in back.items if isinstance(it, Text)}
    assert texts["65M"].lines[0].size == pytest.approx(texts["parameters."].lines[0].size * layout.figure_scale)
    assert all(seg.font.endswith("Bold") for ln in texts["65M"].lines for seg in ln.line.segments)


def test_number_blocks_do_not_overlap_and_follow_the_summary():
    back = FaceLayout(load_layout("letter-4up")).back(card(summary="word " * 40), CAT, "01/17")
    boxes = [it for it in back.items if isinstance(it, Text)]
    summary = next(b for b in boxes if b.lines[0].text.startswith("word"))
    x0 = summary.lines[0].x
    below = [b for b in boxes if top(b) < top(summary)]
    assert len(below) == 5  # two figures and three number texts
    for column in ([b for b in below if b.lines[0].x == x0], [b for b in below if b.lines[0].x > x0]):
        floor = bottom(summary)
        for b in sorted(column, key=lambda b: -top(b)):
            assert top(b) <= floor + EPS
            floor = bottom(b)


def test_plain_text_keeps_markup_characters():
    front = FaceLayout(load_layout("index-3x5")).front(card(title="r << min(d, k) & <b>x</b>"), CAT, "01/01")
    assert "r << min(d, k) & <b>x</b>" in text_of(front)


def test_a_token_wider_than_the_card_is_broken_inside_not_clipped():
    layout = load_layout("index-3x5")
    front = FaceLayout(layout).front(card(title="X" * 120), CAT, "01/01")
    assert_inside_safe_area(front, layout)
    assert text_of(front).replace(" ", "").count("X") == 120


def test_pairing_mark_pads_to_the_deck_size():
    assert pairing_mark(7, 17) == "07/17"
    assert pairing_mark(1, 1) == "01/1"
    assert pairing_mark(7, 10000) == "00007/10000"


def test_a_2000_word_summary_names_card_face_field_and_excess():
    layout = load_layout("index-3x5")
    with pytest.raises(CardpressError) as exc:
        FaceLayout(layout).back(card(summary=" ".join(["overlong"] * 2000)), CAT, "01/01")
    msg = exc.value.render()
    assert "card 'x-2020-y'" in msg and "field 'summary'" in msg and "back face" in msg
    m = re.search(r"needs ([\d.]+) pt more height at ([\d.]+) pt", msg)
    assert m and float(m.group(1)) > 1000 and float(m.group(2)) == layout.body.smallest


def test_an_overlong_title_is_blamed_on_the_front_title():
    with pytest.raises(CardpressError) as exc:
        FaceLayout(load_layout("index-3x5")).front(card(title="title words " * 300), CAT, "01/01")
    msg = exc.value.render()
    assert "field 'title'" in msg and "front face" in msg and "more height at 10 pt" in msg
