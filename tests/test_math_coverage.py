r"""Math as LaTeX users write it (issue 21): acceptance, refusals, and geometry read from
the page records of real decks, table-driven over tests/math_formulas.py.

Expected values come from the rules: a formula is set at its text's size; scripts at 70 %
and second-level scripts at 49 % of it (TeX's ratios, mathtext's SHRINK_FACTOR), never
under 5 pt; big delimiters from the STIX size fonts may take any size. A formula's ink
stays inside the card it is printed on, and its baseline is its line's baseline.
"""

from __future__ import annotations

import pytest

from math_formulas import CONSTRUCTS, ISSUE_21, REFUSED
from conftest import card_data

from cardpress.catalog import load_catalog
from cardpress.deck.assemble import DeckRequest, check_room, deck_pages
from cardpress.deck.layout_spec import DEFAULT_LAYOUTS, load_layout
from cardpress.geometry import Rect
from cardpress.pdf.page import Formula, Group, Page, TextLine
from cardpress.typeset import fonts, mathtext

ALL = ISSUE_21 + [tex for tex, _ in CONSTRUCTS]
SCRIPT_FLOOR = 5.0
# Glyphs mathtext scales to what they enclose (delimiters, radicals, big operators).
SCALED_FONTS = {fonts.SANS_DISPLAY, *fonts.STIX_SIZES}
SCALED_CHARS = set("()[]{}|‖⟨⟩⌊⌋⌈⌉√∑∏/")


def scaled(g) -> bool:
    return g.font_name in SCALED_FONTS or g.char in SCALED_CHARS


def test_the_issue_set_has_30_formulas_and_the_table_60_more_constructs():
    assert len(ISSUE_21) == 30 and len(set(ISSUE_21)) == 30
    assert len(CONSTRUCTS) >= 60


@pytest.mark.parametrize("tex", ISSUE_21)
def test_every_formula_of_the_issue_set_is_accepted(tex):
    assert mathtext.check(tex) is None


@pytest.mark.parametrize("tex, what", CONSTRUCTS)
def test_every_construct_is_accepted(tex, what):
    assert mathtext.check(tex) is None, what


@pytest.mark.parametrize("tex", ALL)
def test_no_glyph_is_a_private_use_character_without_a_font_that_has_it(tex):
    box = mathtext.layout(tex, 10)
    for g in box.glyphs:
        assert g.font_name in fonts.EMBEDDED
        assert ord(g.char) in fonts._codepoints(g.font_name), (tex, g)


@pytest.mark.parametrize("tex, words", REFUSED)
def test_refusals_name_the_command_and_where_it_is(tex, words):
    problem = mathtext.check(tex)
    assert problem is not None and words in problem, problem
    assert "U+E" not in problem  # never a private-use character's name


def allowed_sizes(size: float) -> set[float]:
    """Text, script, second- and third-level script sizes for text of `size` (rounded as boxes
    are): set at the grid size at or below it (mathtext.GRID), then scaled to the text's size."""
    base = int(size / mathtext.GRID + 1e-9) * mathtext.GRID
    return {round(max(base * 0.7 ** k, SCRIPT_FLOOR if k else base) * size / base, 2) for k in range(4)}


def check_sizes(tex: str, box, size: float) -> None:
    ok = allowed_sizes(size)
    for g in box.glyphs:
        assert g.size <= size + 0.01 or scaled(g), (tex, g)
        assert g.size >= SCRIPT_FLOOR - 0.01 or scaled(g), (tex, g)  # the floor holds after scaling too
        if not scaled(g):
            assert any(abs(g.size - a) < 0.011 for a in ok), (tex, g, ok)


@pytest.mark.parametrize("size", [6.0, 7.0, 7.15, 8.0, 9.75, 10.0, 11.0])
def test_script_sizes_follow_texs_ratios_with_a_5_pt_floor(size):
    for tex in ALL:
        check_sizes(tex, mathtext.layout(tex, size), size)


def test_inline_big_operators_put_their_limits_at_the_side():
    box = mathtext.layout(r"\sum_{i=1}^{n} x_i", 10)
    sigma = next(g for g in box.glyphs if g.char == "∑")
    i = next(g for g in box.glyphs if g.char == "i")
    assert i.x > sigma.x  # the lower limit follows the sign, not under it
    assert box.ascent + box.descent < 2.0 * 10  # one line's height, not three


def test_minus_in_a_script_and_a_unary_minus_get_no_binary_space():
    # x_{t-1}: the script's minus sits between t and 1 with no space on either side.
    tight = mathtext.layout(r"x_{t-1}", 10)
    spaced = mathtext.layout(r"x_{t} - 1", 10)
    assert tight.width < spaced.width
    unary = mathtext.layout(r"(-x)", 10)
    binary = mathtext.layout(r"(y - x)", 10)
    y = mathtext.layout(r"y", 10)
    assert binary.width - unary.width > y.width + 0.2 * 10  # the binary spaces: 2 x 0.2 em


def test_a_thin_space_before_an_operator_name():
    joined = mathtext.layout(r"\beta\log x", 10)
    parts = mathtext.layout(r"\beta", 10).width + mathtext.layout(r"\log x", 10).width
    assert joined.width == pytest.approx(parts + 10 / 6, abs=0.05)  # \, = 1/6 em


@pytest.fixture(scope="module")
def deck_catalog(tmp_path_factory):
    """One card per formula, each in its summary: 'Loss \\(tex\\) here.'"""
    import tomli_w

    cards = [card_data(i, summary=f"Loss \\({tex}\\) here.") for i, tex in enumerate(ALL, 1)]
    path = tmp_path_factory.mktemp("cov") / "cards.toml"
    path.write_bytes(tomli_w.dumps({"deck": {"title": "coverage"}, "cards": cards}).encode())
    return path


def face_groups(page: Page):
    return [g for g in page.records if isinstance(g, Group) and g.origin is not None]


@pytest.mark.parametrize("name", DEFAULT_LAYOUTS)
def test_every_formula_sits_on_its_line_inside_its_card_at_its_texts_size(deck_catalog, name):
    layout = load_layout(name)
    req = DeckRequest(layout)
    catalog = load_catalog(deck_catalog)
    seen = 0
    for page in deck_pages(catalog, req, check_room(req)):
        for g in face_groups(page):
            slot = Rect(0, 0, layout.card_w, layout.card_h)
            inner = Page(0, 0, g.records)
            lines = inner.of(TextLine)
            for f in inner.of(Formula):
                seen += 1
                r = f.rect
                assert r.x >= slot.x - 0.01 and r.right <= slot.right + 0.01, (name, f.box.tex, r)
                assert r.y >= slot.y - 0.01 and r.top <= slot.top + 0.01, (name, f.box.tex, r)
                # On its line: the word before it ("Loss") shares its baseline and its size,
                # or, when the formula starts a line of its own, "Loss" ends the line above.
                loss = next(ln for ln in lines if ln.text.startswith("Loss"))
                size = loss.size
                mine = [ln for ln in lines if abs(ln.baseline - f.baseline) < 1e-6]
                if mine:
                    assert mine[0].size == size
                else:
                    assert f.baseline <= loss.baseline - size and f.x == pytest.approx(loss.x), (name, f.box.tex)
                assert max(gl.size for gl in f.box.glyphs if not scaled(gl)) <= size + 0.01
                check_sizes(f.box.tex, f.box, size)
    assert seen >= len(ALL)  # every formula, on the back of its card


@pytest.mark.parametrize("tex", ALL)
def test_each_piece_the_sheet_may_cut_a_formula_into_is_a_formula_of_its_own(tex):
    # The sheet cuts a formula too wide for its column before top-level operators; never
    # inside braces, \left...\right or an environment (a matrix's rows stay together).
    from cardpress.typeset.mathtext import break_points

    pieces = break_points(tex)
    assert "".join("".join(p.split()) for p in pieces) == "".join(tex.split())
    for piece in pieces:
        assert mathtext.check(piece) is None, piece
