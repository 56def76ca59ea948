"""One paragraph breaker: the deck, the sheet, the worksheets and validate all break text
with breaker.break_lines, and nothing else wraps text.

The breaker is swapped for one that breaks at 90 % of the width asked for. Every line any
engine then prints must be a line that swapped breaker made (a second wrap, working at the
full width, would print lines it never made), and validate must go through it too.
"""

from __future__ import annotations

import pytest

from cardpress.catalog import load_catalog
from cardpress.pdf.page import TextLine
from cardpress.typeset import breaker, textfit

from conftest import SHIPPED_CATALOG


@pytest.fixture
def narrow(monkeypatch):
    """break_lines at 90 % of the width; returns the set of line texts it made and a call count."""
    made: set[str] = set()
    calls = {"n": 0}
    real = breaker.break_lines

    def tight(run, limit, justify=False):
        calls["n"] += 1
        lines = real(run, limit * 0.9, justify)
        for a, b in lines:
            made.add(_plain(textfit._line(run.items, a, b, 1.0, limit * 0.9, False)))
        return lines

    monkeypatch.setattr(breaker, "break_lines", tight)
    textfit._layout_at.cache_clear()  # layouts made before the swap would not go through it
    yield made, calls
    textfit._layout_at.cache_clear()


def _plain(line) -> str:
    """A line's text without its formulas (the page records keep formulas apart)."""
    return "".join(seg.text for seg in line.segments if seg.math is None).strip()


# Labels are set as one line by construction, never wrapped ("page 1 of 4", "0–2 min",
# "07/17"): lines of fewer than three words are not asked about.
def _one_line_label(text: str) -> bool:
    return len(text.split()) < 3 or text.startswith("page ") or " · revision sheet · " in text


def _texts(pages) -> list[str]:
    out = []
    for page in pages:
        for ln in page.of(TextLine):
            t = _plain(ln.line)
            if t:
                out.append(t)
    return out


def _unmade(texts, made) -> list[str]:
    return [t for t in texts if t not in made and not _one_line_label(t)]


def test_the_deck_prints_only_lines_the_breaker_made(narrow):
    from cardpress.deck.assemble import DeckRequest, check_room, deck_pages
    from cardpress.deck.layout_spec import load_layout

    made, calls = narrow
    catalog = load_catalog(SHIPPED_CATALOG).ready()
    req = DeckRequest(load_layout("index-3x5"))
    texts = _texts(deck_pages(catalog, req, check_room(req)))
    assert calls["n"] > 0
    assert _unmade(texts, made) == []


def test_the_sheet_prints_only_lines_the_breaker_made(narrow):
    from cardpress.sheet.layout import lay_out

    made, calls = narrow
    catalog = load_catalog(SHIPPED_CATALOG).ready()
    texts = _texts(lay_out(catalog, "letter").pages)
    legend = {f"{c.short} {c.name}" for c in catalog.category_order(catalog.cards)}  # the footer's key
    assert calls["n"] > 0
    assert _unmade([t for t in texts if t not in legend], made) == []


def test_the_worksheets_print_only_lines_the_breaker_made(narrow):
    from cardpress.worksheets import Variant, worksheet_pages

    made, calls = narrow
    catalog = load_catalog(SHIPPED_CATALOG)
    texts = []
    for card in catalog.cards[:4]:
        texts += _texts(worksheet_pages(catalog, card, Variant(answers=True)))
    assert calls["n"] > 0
    assert _unmade(texts, made) == []


def test_validate_measures_with_the_breaker(narrow):
    from cardpress.pipeline.preflight import preflight

    made, calls = narrow
    preflight(load_catalog(SHIPPED_CATALOG))
    assert calls["n"] > 0


def test_the_swap_would_catch_a_second_wrap():
    """The check above can fail: lines wrapped at the full width are not all lines the
    narrowed breaker makes."""
    from cardpress.typeset import fonts

    text = "Contrastive image-text pretraining on 400M web pairs produces a vision encoder " * 3
    full = [ln.text.strip() for ln in textfit.wrap_spans([(text, fonts.SANS)], 9, 200)]
    run = breaker.at_size(breaker.paragraph([(text, fonts.SANS)]), 9, 200 / 9)
    narrow = {textfit._line(run.items, a, b, 9, 200 / 9 * 0.9, False).text.strip()
              for a, b in breaker.break_lines(run, 200 / 9 * 0.9)}
    assert set(full) - narrow
