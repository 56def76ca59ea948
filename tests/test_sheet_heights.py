"""`validate`'s sheet check measures heights without lines; it must say what lay_out says.

count_lines against wrap_spans, item_height against measure_item, surely_over_full
against a real pass, and check() against lay_out on catalogs that fit, fit only at a
smaller size, and do not fit at all.
"""

from __future__ import annotations

import os

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_CATALOG, catalog_data
from cardpress.typeset import fonts
from cardpress.catalog import load_catalog
from cardpress.errors import CardpressError
from cardpress.sheet import geometry as geo
from cardpress.sheet.blocks import item_height, measure_item
from cardpress.sheet.content import Item, Para, card_item, sheet_sections
from cardpress.sheet.layout import _Pass, check, lay_out, surely_over_full
from cardpress.typeset.textfit import count_lines, wrap_spans

EXAMPLES = int(os.environ.get("CARDPRESS_BOUND_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

CHARS = st.sampled_from(list("iljtf.,'WMmw@—–→≈βΩ²0123456789abcdefghnopqrs-") + ["\u00a0"])
# Hyphenated words too: the sheet may end a line after any hyphen between letters.
HYPHENATED = st.lists(st.text(st.sampled_from("abcdefmwW"), min_size=1, max_size=9), min_size=2, max_size=4).map("-".join)
TEXT = st.one_of(st.text(st.one_of(CHARS, st.sampled_from([" ", " ", " ", "\n"])), max_size=300),
                 st.lists(st.one_of(HYPHENATED, st.text(CHARS, min_size=1, max_size=12)), max_size=40).map(" ".join))
FONT = st.sampled_from([fonts.COND, fonts.COND_BOLD, fonts.SANS])
SPANS = st.lists(st.tuples(TEXT, FONT), min_size=1, max_size=4)


@PROPERTY
@given(spans=SPANS, size=st.floats(5, 12), width=st.floats(5, 300), hyphens=st.booleans())
def test_count_lines_is_the_wraps_line_count(spans, size, width, hyphens):
    assert count_lines(spans, size, width, hyphens) == len(wrap_spans(spans, size, width, break_hyphens=hyphens))


def test_count_lines_leaves_formulas_to_the_wrap():
    assert count_lines([(r"a \(x^2\) b", fonts.COND)], 8, 100) is None


@PROPERTY
@given(paras=st.lists(st.tuples(SPANS, st.floats(0, 0.3), st.sampled_from([1.0, 1.1]), st.floats(0, 3)),
                      min_size=1, max_size=4),
       size=st.floats(6, 9), width=st.floats(60, 250), lead=st.floats(0, 1))
def test_item_height_is_measure_items(paras, size, width, lead):
    item = Item(tuple(Para(tuple(spans), "1." if hang else "", hang, before, scale)
                      for spans, before, scale, hang in paras), "x", lead=lead)
    scale = geo.Scale(round(size, 2))
    assert item_height(item, scale, width) == measure_item(item, scale, width).height


def _write(tmp_path, n, name="cards.toml", **deck):
    path = tmp_path / name
    path.write_bytes(tomli_w.dumps(catalog_data(n, **deck)).encode())
    return path


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_surely_over_full_never_rules_out_a_fitting_size(paper, tmp_path):
    fr = geo.frame(paper)
    for n in (17, 120, 300, 600):
        sections = sheet_sections(load_catalog(_write(tmp_path, n)), None)
        for size in (geo.FLOOR, 7.5, geo.CEILING):
            if surely_over_full(sections, fr, size):
                assert not _Pass(sections, fr, size).attempt.fits
    # and it does rule out the ceiling for a catalog far over
    assert surely_over_full(sheet_sections(load_catalog(_write(tmp_path, 1000)), None), fr, geo.CEILING)


def _verdict(fn, catalog, paper):
    try:
        fn(catalog, paper)
    except CardpressError as exc:
        return type(exc).__name__, [str(p) for p in exc.problems], exc.hint
    return None


@pytest.mark.parametrize("n", [3, 17, 120, 200, 250, 1000])
@pytest.mark.parametrize("proofs", [True, False], ids=["with-bound", "ceiling-pass"])
def test_check_raises_what_lay_out_raises(n, proofs, tmp_path, monkeypatch):
    if not proofs:  # the path where the ceiling is measured, not ruled out
        monkeypatch.setattr("cardpress.sheet.layout.surely_over_full", lambda *a: False)
    catalogs = [load_catalog(SHIPPED_CATALOG)] if n == 17 else []
    catalogs.append(load_catalog(_write(tmp_path, n)))
    if n == 3:
        catalogs.append(load_catalog(_write(tmp_path, n, "long-title.toml", title="A deck title " * 40)))
        data = catalog_data(3)
        data["cards"][0]["summary"] = "word " * 1000  # taller than a column
        path = tmp_path / "tall.toml"
        path.write_bytes(tomli_w.dumps(data).encode())
        catalogs.append(load_catalog(path))
    for catalog in catalogs:
        for paper in ("letter", "a4"):
            assert _verdict(check, catalog, paper) == _verdict(lay_out, catalog, paper)
