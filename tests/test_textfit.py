"""Measuring, wrapping and fitting: plain numbers, no PDF."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from cardpress.typeset import fonts
from cardpress.typeset.textfit import fit_text, largest_fitting, sizes_between, wrap, wrap_spans

fonts.register()
SANS, BOLD = fonts.SANS, fonts.SANS_BOLD


def test_wrap_breaks_at_spaces_and_keeps_every_word():
    text = "Replaces RNN/CNN encoder-decoder with pure attention; introduces multi-head attention"
    lines = wrap(text, SANS, 10, 120)
    assert len(lines) > 1
    assert " ".join(l.text for l in lines) == text
    for line in lines:
        assert stringWidth(line.text, SANS, 10) <= 120 + 1e-6


def test_a_token_wider_than_the_box_is_broken_inside():
    lines = wrap("x" * 200, SANS, 10, 100)
    assert "".join(l.text for l in lines) == "x" * 200
    assert all(stringWidth(l.text, SANS, 10) <= 100 + 1e-6 for l in lines)


def test_mixed_fonts_keep_the_space_between_runs():
    [line] = wrap_spans([("65M", BOLD), (" parameters", SANS)], 9, 500)
    assert line.text == "65M parameters"
    assert line.segments[1].x * 9 == pytest.approx(stringWidth("65M", BOLD, 9))


def test_hard_line_breaks():
    assert [l.text for l in wrap("a\nb c", SANS, 10, 500)] == ["a", "b c"]


def test_fit_picks_the_largest_size_that_fits():
    text = "Tiles the attention computation to avoid materializing the n × n attention matrix in HBM."
    fit = fit_text(text, SANS, 200, 40, 14, 6)
    assert fit is not None and fit.height <= 40
    bigger = fit_text(text, SANS, 200, 40, fit.size + 0.25, fit.size + 0.25)
    assert bigger is None or fit.size == 14


def test_fit_returns_none_when_even_the_floor_overflows():
    assert fit_text("word " * 500, SANS, 100, 50, 12, 6) is None


def test_binary_search_finds_the_boundary():
    sizes = sizes_between(6, 12)
    assert sizes[0] == 6 and sizes[-1] == 12 and len(sizes) == 25
    assert largest_fitting(sizes, lambda s: s <= 9.3) == 9.25
    assert largest_fitting(sizes, lambda s: False) is None


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc xyz→β≈ 12345 ")), min_size=1, max_size=300),
       st.floats(min_value=30, max_value=400), st.floats(min_value=6, max_value=14))
def test_no_line_is_ever_wider_than_the_box(text, width, size):
    for line in wrap(text, SANS, size, width):
        assert line.width * size <= width + 1e-6
    assert "".join(text.split()) == "".join("".join(l.text for l in wrap(text, SANS, size, width)).split())
