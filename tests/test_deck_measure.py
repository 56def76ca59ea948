"""deck.measure's shortcuts give exactly what textfit gives for the same text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cardpress.typeset import fonts
from cardpress.deck.measure import Measured
from cardpress.typeset.textfit import layout_at, wrap_spans

WORDS = ["a", "of", "the", "Chinchilla", "20", "≈", "tokens/param", "scaling-law", "β", "x²",
         "transformer", "loooooooooooooooooooooooooooooongword", "(2022)", "—", "RLHF,"]
texts = st.builds(
    lambda lead, words, seps, trail: lead + "".join(w + s for w, s in zip(words, seps)) + trail,
    st.sampled_from(["", " "]),
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40),
    st.lists(st.sampled_from([" ", "  ", "\t", " "]), min_size=40, max_size=40),
    st.sampled_from(["", " "]),
)


@settings(max_examples=400, deadline=None, derandomize=True)  # CI sees the same examples every run
@given(text=texts, font=st.sampled_from([fonts.SANS, fonts.SANS_BOLD, fonts.COND, fonts.MONO]),
       size=st.sampled_from([5.5, 6.0, 7.25, 8.0, 9.5, 11.0, 14.0, 26.0]), width=st.floats(8.0, 400.0),
       leading=st.sampled_from([1.0, 1.2, 1.35]))
def test_layout_is_textfits_layout(text, font, size, width, leading):
    m = Measured(text, font)
    assert m.layout(size, width, leading) == layout_at([(text, font)], size, width, leading)
    lines = m.lines_at(size, width)
    if lines is not None:
        assert lines == len(wrap_spans([(text, font)], size, width))


def test_a_word_that_exactly_fills_the_line_stays_on_it():
    m = Measured("Chinchilla Chinchilla", fonts.SANS)
    exact = (m.widths[0] + m.space + m.widths[1]) * 10.0
    for width in (exact, exact - 1e-3):
        assert m.layout(10.0, width, 1.2) == layout_at([(m.text, fonts.SANS)], 10.0, width, 1.2)
    assert len(m.layout(10.0, exact, 1.2).lines) == 1
