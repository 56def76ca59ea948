"""`validate`'s sheet check measures heights without lines; it must say what lay_out says.

item_height (line counts from the one breaker) against measure_item (lines from it), and
check() against lay_out on catalogs that fit, fit only at a smaller size, and do not fit
at all.
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
from cardpress.sheet.layout import check, lay_out

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


def _verdict(fn, catalog, paper):
    try:
        fn(catalog, paper)
    except CardpressError as exc:
        return type(exc).__name__, [str(p) for p in exc.problems], exc.hint
    return None


@pytest.mark.parametrize("n", [3, 17, 120, 200, 250, 1000])
def test_check_raises_what_lay_out_raises(n, tmp_path):
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
