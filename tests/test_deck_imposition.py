"""The duplex flip rule, slots, partial sheets and marks, on numbers alone (no PDF)."""

from __future__ import annotations

import dataclasses

import pytest

from cardpress.deck.imposition import (
    HORIZONTAL, VERTICAL, Imposition, Rect, back_slot, flip_axis, reflect,
)
from cardpress.deck.layout_spec import load_layout

INCH = 72.0
MM = 72 / 25.4
BUILTIN = ["index-3x5", "letter-4up", "a4-4up", "letter-3up"]


def close(a: Rect, b: Rect, tol=1e-6) -> bool:
    return all(abs(u - v) <= tol for u, v in ((a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)))


def mirror(rect: Rect, axis: str, w: float, h: float) -> Rect:
    """Reflection written out independently of the module under test."""
    if axis == "horizontal":
        return Rect(rect.x, h - (rect.y + rect.h), rect.w, rect.h)
    return Rect(w - (rect.x + rect.w), rect.y, rect.w, rect.h)


def test_long_edge_is_horizontal_on_landscape_and_vertical_on_portrait():
    assert flip_axis(792, 612, "long") == HORIZONTAL
    assert flip_axis(792, 612, "short") == VERTICAL
    assert flip_axis(612, 792, "long") == VERTICAL
    assert flip_axis(612, 792, "short") == HORIZONTAL


def test_back_slot_rule():
    # C x R = 3 x 2
    assert back_slot(0, 0, 3, 2, HORIZONTAL) == (0, 1)
    assert back_slot(2, 1, 3, 2, HORIZONTAL) == (2, 0)
    assert back_slot(0, 0, 3, 2, VERTICAL) == (2, 0)
    assert back_slot(1, 1, 3, 2, VERTICAL) == (1, 1)


def test_reflect_matches_the_written_out_mirror():
    r = Rect(10, 20, 30, 40)
    for axis in (HORIZONTAL, VERTICAL):
        assert close(reflect(r, axis, 500, 300), mirror(r, axis, 500, 300))


@pytest.mark.parametrize("name", BUILTIN)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_back_reflected_through_the_flip_axis_lands_on_its_front(name, flip):
    layout = load_layout(name)
    imp = Imposition(layout, flip)
    landscape = layout.sheet_w >= layout.sheet_h
    axis = ("horizontal" if landscape else "vertical") if flip == "long" else ("vertical" if landscape else "horizontal")
    assert imp.axis == axis
    for front, back in zip(imp.front_slots, imp.back_slots):
        assert close(mirror(back, axis, layout.sheet_w, layout.sheet_h), front)


@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("portrait", [False, True])
def test_off_centre_grid_still_lands_behind_its_front(flip, portrait):
    # An asymmetric grid (fixed left/top) is where mirroring only the slot index would go wrong.
    base = load_layout("letter-4up")
    w, h = (base.sheet_h, base.sheet_w) if portrait else (base.sheet_w, base.sheet_h)
    layout = dataclasses.replace(base, sheet_w=w, sheet_h=h, columns=1 if portrait else 2, rows=3 if portrait else 2,
                                 left=0.3 * INCH, top=0.4 * INCH, column_gap=5.0, row_gap=7.0)
    imp = Imposition(layout, flip)
    for front, back in zip(imp.front_slots, imp.back_slots):
        assert close(mirror(back, imp.axis, w, h), front)
    # and the backs really are in other places than the fronts (the test can fail)
    assert any(not close(f, b) for f, b in zip(imp.front_slots, imp.back_slots))


@pytest.mark.parametrize("name", BUILTIN)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_back_offset_moves_every_back_by_exactly_that_much(name, flip):
    layout = load_layout(name)
    dx, dy = 0.5 * MM, -1 * MM
    plain, shifted = Imposition(layout, flip), Imposition(layout, flip, (dx, dy))
    for front, back, unshifted in zip(plain.front_slots, shifted.back_slots, plain.back_slots):
        assert close(mirror(back.moved(-dx, -dy), plain.axis, layout.sheet_w, layout.sheet_h), front)
        assert back.x - unshifted.x == pytest.approx(dx) and back.y - unshifted.y == pytest.approx(dy)
    for a, b in zip(plain.cut_marks("back"), shifted.cut_marks("back")):
        assert abs(b.x1 - a.x1 - dx) < 1e-9 and abs(b.y1 - a.y1 - dy) < 1e-9
    # fronts never move
    assert all(close(a, b) for a, b in zip(plain.front_slots, shifted.front_slots))


def test_letter_4up_slots_are_centred_5x3_cards():
    imp = Imposition(load_layout("letter-4up"))
    xs = sorted({round(r.x, 6) for r in imp.front_slots})
    ys = sorted({round(r.y, 6) for r in imp.front_slots})
    # 11 in sheet, two 5 in cards: 0.5 in each side; 8.5 in sheet, two 3 in cards: 1.25 in each side
    assert xs == [0.5 * INCH, 5.5 * INCH]
    assert ys == [1.25 * INCH, 4.25 * INCH]
    assert all((r.w, r.h) == (5 * INCH, 3 * INCH) for r in imp.front_slots)


def test_letter_3up_sits_at_avery_5388_positions():
    imp = Imposition(load_layout("letter-3up"))
    tops = [11 * INCH - r.top for r in imp.front_slots]
    assert tops == pytest.approx([1 * INCH, 4 * INCH, 7 * INCH])
    assert all(r.x == pytest.approx(1.75 * INCH) for r in imp.front_slots)


@pytest.mark.parametrize("n, per, sheets, last", [(1, 4, 1, 1), (4, 4, 1, 4), (5, 4, 2, 1), (17, 4, 5, 1), (17, 3, 6, 2)])
def test_partial_last_sheet_has_only_its_cards(n, per, sheets, last):
    layout = load_layout("letter-4up" if per == 4 else "letter-3up")
    imp = Imposition(layout)
    assert imp.sheet_count(n) == sheets
    placed = [p.card for s in range(sheets) for p in imp.placements(s, n)]
    assert placed == list(range(n))
    assert len(imp.placements(sheets - 1, n)) == last


@pytest.mark.parametrize("name", ["letter-4up", "a4-4up", "letter-3up"])
@pytest.mark.parametrize("side", ["front", "back"])
def test_cut_marks_stay_outside_every_card_and_on_the_sheet(name, side):
    layout = load_layout(name)
    imp = Imposition(layout, "long", (1 * MM, -1 * MM))
    slots = imp.front_slots if side == "front" else imp.back_slots
    marks = imp.cut_marks(side)
    assert marks
    for m in marks:
        for x, y in ((m.x1, m.y1), (m.x2, m.y2), ((m.x1 + m.x2) / 2, (m.y1 + m.y2) / 2)):
            assert 0 < x < layout.sheet_w and 0 < y < layout.sheet_h
            assert not any(r.x < x < r.right and r.y < y < r.top for r in slots)
    # every cut line has a mark: each card edge x and y appears among the marks
    xs = {round(m.x1, 6) for m in marks if m.x1 == m.x2}
    ys = {round(m.y1, 6) for m in marks if m.y1 == m.y2}
    for r in slots:
        assert {round(r.x, 6), round(r.right, 6)} <= xs
        assert {round(r.y, 6), round(r.top, 6)} <= ys


def test_index_card_pages_have_no_marks_or_instruction_box():
    imp = Imposition(load_layout("index-3x5"))
    assert imp.cut_marks("front") == [] and imp.instruction_box("front") is None


@pytest.mark.parametrize("name", ["letter-4up", "a4-4up", "letter-3up"])
def test_instruction_strip_is_in_the_top_margin_clear_of_cards_and_marks(name):
    layout = load_layout(name)
    imp = Imposition(layout)
    for side in ("front", "back"):
        box = imp.instruction_box(side)
        top_of_marks = max(max(m.y1, m.y2) for m in imp.cut_marks(side))
        assert box.y > top_of_marks and box.top < layout.sheet_h
