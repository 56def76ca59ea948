"""Layouts as data: the built-in files, user files, and every kind of mistake named."""

from __future__ import annotations

import pytest

from cardpress.deck.layout_spec import builtin_names, load_layout, load_layout_text
from cardpress.errors import CardpressError

INCH = 72.0
MM = 72 / 25.4

GOOD = '''
name = "my-4x6"
output = "4x6"
[sheet]
paper = "letter"
orientation = "portrait"
[card]
width = "6in"
height = "4in"
safe = "0.2in"
[grid]
columns = 1
rows = 2
row_gap = "0.25in"
'''


def test_the_four_builtin_layouts_exist():
    assert {"index-3x5", "letter-4up", "a4-4up", "letter-3up"} <= set(builtin_names())


@pytest.mark.parametrize("name, sheet, grid", [
    ("index-3x5", (360, 216), (1, 1)),
    ("letter-4up", (792, 612), (2, 2)),
    ("a4-4up", (297 * MM, 210 * MM), (2, 2)),
    ("letter-3up", (612, 792), (1, 3)),
])
def test_builtin_sizes(name, sheet, grid):
    lay = load_layout(name)
    assert (lay.sheet_w, lay.sheet_h) == pytest.approx(sheet)
    assert (lay.card_w, lay.card_h) == pytest.approx((5 * INCH, 3 * INCH))
    assert (lay.columns, lay.rows) == grid
    assert lay.safe >= 0.15 * INCH


def test_a_user_layout_by_path(tmp_path):
    path = tmp_path / "my-4x6.toml"
    path.write_text(GOOD)
    lay = load_layout(str(path))
    assert (lay.card_w, lay.card_h) == (6 * INCH, 4 * INCH)
    assert lay.output == "4x6"
    # centred: (11 in - 2*4 in - 0.25 in) / 2 from the top
    assert lay.top == pytest.approx((11 - 8.25) / 2 * INCH)
    assert lay.left == pytest.approx(1.25 * INCH)


def problems(text: str) -> str:
    with pytest.raises(CardpressError) as exc:
        load_layout_text(text, "bad.toml")
    return exc.value.render()


def test_unknown_key_is_named_with_a_suggestion_and_line():
    msg = problems(GOOD.replace('safe = "0.2in"', 'saef = "0.2in"'))
    assert "unknown key `saef`" in msg and "did you mean `safe`" in msg
    assert "bad.toml:10" in msg  # the line of `saef`


def test_length_without_unit_is_rejected():
    msg = problems(GOOD.replace('width = "6in"', 'width = 6'))
    assert "card.width" in msg and "unit" in msg


def test_every_problem_is_reported_at_once():
    msg = problems(GOOD.replace('width = "6in"', 'width = "6 inches"').replace("columns = 1", "colums = 1"))
    assert "card.width" in msg and "`colums`" in msg and "grid.columns" in msg


def test_cards_that_do_not_fit_the_sheet():
    msg = problems(GOOD.replace("rows = 2", "rows = 3"))
    assert "3 row(s)" in msg and "11 in tall" in msg


def test_size_range_order_and_legibility():
    msg = problems(GOOD + '[type]\ntitle = ["10pt", "20pt"]\nbody = ["9pt", "3pt"]\n')
    assert "largest size comes first" in msg and "type.body[1]" in msg


def test_unknown_builtin_name_suggests_the_near_one():
    with pytest.raises(CardpressError, match="did you mean letter-4up"):
        load_layout("leter-4up")


def test_missing_layout_file():
    with pytest.raises(CardpressError, match="layout file not found"):
        load_layout("nowhere/my.toml")
