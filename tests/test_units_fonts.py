"""Lengths with units, font coverage, and the line index behind error messages."""

from __future__ import annotations

import pytest

from cardpress.catalog.locate import LineIndex
from cardpress.fonts import missing_chars
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


def test_line_index():
    text = '[deck]\ntitle = "T"\n\n[[cards]]\nid = "a"\n\n[[cards]]\nid = "b"\nnumbers = [\n  "x",\n]\n[cards.protocol]\nclaim = "c"\n'
    idx = LineIndex(text)
    assert idx.line_of(("deck", "title")) == 2
    assert idx.line_of(("cards", 0, "id")) == 5
    assert idx.line_of(("cards", 1)) == 7
    assert idx.line_of(("cards", 1, "numbers", 0)) == 9
    assert idx.line_of(("cards", 1, "protocol", "claim")) == 13
    assert idx.line_of(("cards", 1, "summary")) == 7  # missing key: the card's header
