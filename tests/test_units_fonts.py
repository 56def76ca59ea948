"""Lengths with units, font coverage, and the line index behind error messages."""

from __future__ import annotations

import pytest

from cardpress.catalog.locate import LineIndex
from cardpress.typeset.fonts import missing_chars
from cardpress.units import INCH, MM, parse_length, parse_offset


@pytest.mark.parametrize("text,points", [("5in", 360), ("3mm", 3 * 72 / 25.4), ("12pt", 12), ("-0.5mm", -0.5 * 72 / 25.4),
                                         ("1.5cm", 15 * 72 / 25.4), (" 2 in ", 144)])
def test_parse_length(text, points):
    assert parse_length(text) == pytest.approx(points)


@pytest.mark.parametrize("text", ["5", "5 inches", "in", "", "5px", "1e3in"])
def test_bad_lengths_are_refused(text):
    with pytest.raises(ValueError):
        parse_length(text)


def test_offset():
    assert parse_offset("0.5mm,-1mm") == pytest.approx((0.5 * MM, -1 * MM))
    assert INCH == 72
    with pytest.raises(ValueError):
        parse_offset("1mm")


def test_font_covers_the_catalog_symbols():
    assert missing_chars("β → ≈ ∝ ² × ≤ — – é ü ~$") == []


def test_font_coverage_reports_what_is_missing():
    assert missing_chars("Attention 注意 注") == ["注", "意"]


def test_covered_set_is_what_every_text_face_has():
    """The cached set equals the intersection of the faces' own character maps, read here afresh."""
    from reportlab.pdfbase.ttfonts import TTFont

    from cardpress.typeset import fonts

    faces = [TTFont(f"t-{name}", str(fonts.FONT_DIR / f"{name}.ttf")).face for name in fonts.TEXT_FONTS]
    expected = set.intersection(*({chr(cp) for cp in face.charToGlyph} for face in faces))
    assert fonts.covered() == expected
    # A glyph DejaVu Sans has but DejaVu Sans Condensed Bold lacks would be missing; one check
    # from each side keeps the intersection honest.
    assert "β" in fonts.covered() and "注" not in fonts.covered()


def test_coverage_problem_names_each_string_that_holds_the_character(tmp_path):
    from cardpress.catalog import load_catalog_text
    from cardpress.errors import CardpressError

    text = ('[deck]\ntitle = "T"\n\n[[cards]]\nid = "a"\nauthor = "A"\nyear = 2020\ntitle = "注"\n'
            'summary = "ok"\nnumbers = ["1", "2", "3 注意"]\n')
    with pytest.raises(CardpressError) as err:
        load_catalog_text(text, "c.toml")
    lines = [(p.line, p.field, p.message[:13]) for p in err.value.problems]
    assert lines == [(8, "title", "character '注'"), (10, "numbers[2]", "character '注'"),
                     (10, "numbers[2]", "character '意'")]


def test_line_index():
    text = '[deck]\ntitle = "T"\n\n[[cards]]\nid = "a"\n\n[[cards]]\nid = "b"\nnumbers = [\n  "x",\n]\n[cards.protocol]\nclaim = "c"\n'
    idx = LineIndex(text)
    assert idx.line_of(("deck", "title")) == 2
    assert idx.line_of(("cards", 0, "id")) == 5
    assert idx.line_of(("cards", 1)) == 7
    assert idx.line_of(("cards", 1, "numbers")) == 9
    assert idx.line_of(("cards", 1, "numbers", 0)) == 10  # an element's own line (issue 21)
    assert idx.line_of(("cards", 1, "protocol", "claim")) == 13
    assert idx.line_of(("cards", 1, "summary")) == 7  # missing key: the card's header
