"""The one shortcut `validate` keeps never accepts what the real layout refuses.

worksheets.fitcheck remembers which worksheet sides fit, keyed by what decides their
height (its line counts come from the one breaker, textfit.line_count). Its claims are
checked against the worksheets' own layout over random texts; validate with and without
it must report the very same problems.
"""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_CATALOG, card_data, catalog_data
from cardpress.typeset import fonts
from cardpress.catalog import load_catalog
from cardpress.deck.faces import face_key
from cardpress.deck.layout_spec import DEFAULT_LAYOUTS, load_layout
from cardpress.errors import CardpressError
from cardpress.units import PAPER
from cardpress.worksheets import layout as ws_layout
from cardpress.worksheets.content import Box, Para, Paper, protocol_sheet
from cardpress.worksheets.fitcheck import ProtocolFit, header_two_height, recall_key
from cardpress.worksheets.geometry import MARGIN

EXAMPLES = int(os.environ.get("CARDPRESS_BOUND_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# Narrow, wide and non-Latin characters, and the odd spaces str.split() breaks at.
CHARS = st.sampled_from(list("iljtf.,'WMmw@—–→≈βΩ²0123456789abcdefghnopqrsuvxyz") + ["\u00a0", "\u2009"])
WORD = st.text(CHARS, min_size=1, max_size=16)
SEP = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0"])


@st.composite
def texts(draw, max_words: int) -> str:
    words = draw(st.lists(WORD, max_size=max_words))
    out = ""
    for k, w in enumerate(words):
        out += (draw(SEP) if k else "") + w
    return out


FONTS = st.sampled_from([fonts.SANS, fonts.SANS_BOLD, fonts.COND, fonts.COND_BOLD, fonts.MONO])


def test_layouts_that_share_a_card_share_a_face_key():
    keys = {name: face_key(load_layout(name)) for name in DEFAULT_LAYOUTS}
    assert keys["letter-4up"] == keys["a4-4up"] != keys["index-3x5"]
    layout = load_layout("letter-4up")
    assert face_key(replace(layout, safe=layout.safe + 1)) != keys["letter-4up"]


PAGE = PAPER["letter"]
WIDTH = PAGE[0] - 2 * MARGIN


@PROPERTY
@given(author=texts(6), year=st.integers(1900, 2100), title=texts(40))
def test_side_two_header_height_is_the_layouts(author, year, title):
    paper = Paper("x", author, year, title, "Cat", "CAT", "#336699")
    assert header_two_height(paper, WIDTH) == ws_layout._header(paper, WIDTH, "", 2).need.fixed
    # and side one's header is one height, whatever the paper says
    plain = Paper("x", "A", 2000, "T", "Cat", "CAT", "#336699")
    assert ws_layout._header(paper, WIDTH, "", 1).need == ws_layout._header(plain, WIDTH, "", 1).need


@PROPERTY
@given(a=st.lists(texts(12), min_size=1, max_size=4), b=st.lists(texts(12), min_size=1, max_size=4))
def test_recall_boxes_with_one_key_have_one_height(a, b):
    a, b = tuple(a), tuple(b)
    if recall_key(a, WIDTH) == recall_key(b, WIDTH):
        for size in ws_layout.SIZES:
            assert ws_layout._recall(a, WIDTH, size, "").need == ws_layout._recall(b, WIDTH, size, "").need


PROTOCOL = st.fixed_dictionaries({}, optional={
    "claim": texts(200), "read": st.lists(texts(40), max_size=6), "skip": st.lists(texts(30), max_size=4),
    "equation_note": texts(40), "remember": st.lists(texts(30), max_size=4),
    "followups": st.lists(texts(60), max_size=5), "pitfall": texts(120)})


def _pages_raise(sheet) -> bool:
    try:
        ws_layout.protocol_pages(sheet, PAGE)
    except CardpressError:
        return True
    return False


@settings(max_examples=max(EXAMPLES // 3, 10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(protocol=PROTOCOL, title=texts(40), answers=st.booleans())
def test_the_worksheet_check_agrees_with_the_layout(tmp_path, protocol, title, answers):
    data = catalog_data(2)
    data["cards"][0].update(title=title or "T", protocol=protocol) if protocol else data["cards"][0].update(
        title=title or "T")
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    try:
        catalog = load_catalog(path)
    except CardpressError:
        return  # text the catalog refuses never reaches a worksheet
    check = ProtocolFit(PAGE)
    for card in catalog.cards:
        sheet = protocol_sheet(catalog, card, answers)
        raises = _pages_raise(sheet)
        assert check.fits(sheet) is not raises
        # asked again, from what it remembers, and from the card
        assert check.fits(sheet) is not raises
        assert ProtocolFit(PAGE).card_fits(catalog, card, answers) is not raises
        assert check.card_fits(catalog, card, answers) is not raises


@pytest.mark.parametrize("answers", [False, True])
def test_a_worksheet_depends_on_its_card_only_through_protocol_paper_and_numbers(answers):
    """What ProtocolFit.card_fits assumes when it builds one sheet per distinct protocol."""
    from cardpress.worksheets.content import paper_of

    catalog = load_catalog(SHIPPED_CATALOG)
    with_protocol = [c for c in catalog.cards if c.protocol]
    assert with_protocol
    for a in with_protocol + [catalog.cards[0]]:
        for other in catalog.cards:
            b = replace(other, protocol=a.protocol)
            expected = replace(protocol_sheet(catalog, a, answers), paper=paper_of(catalog, b),
                               recall=tuple(n.full if answers else None for n in b.numbers))
            assert protocol_sheet(catalog, b, answers) == expected


def _catalogs(tmp_path):
    """The shipped catalog and generated ones with every kind of overflow in them."""
    import tomllib

    yield SHIPPED_CATALOG
    shipped = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    data = catalog_data(12)
    data["cards"][0]["summary"] = "word " * 1000
    data["cards"][1]["title"] = "Title " * 120
    data["cards"][2]["author"] = "Averyveryverylongauthornamethatnobodyhas" * 2
    data["cards"][3]["numbers"][0] = {"figure": "a b c d e f g h i j k l m n o p", "text": "long " * 80}
    data["cards"][4]["protocol"] = {"claim": "a long claim sentence here " * 150}
    data["cards"][5]["protocol"] = {"followups": ["a very long question " * 200]}
    data["cards"][6]["title"] = "Long but not too long, and it wraps on the worksheet's second side " * 2
    data["cards"][7]["summary"] = "Summary words " * 40
    shipped["cards"][0]["summary"] = "More and more words " * 30
    for k, d in enumerate((data, shipped)):
        path = tmp_path / f"cards{k}.toml"
        path.write_bytes(tomli_w.dumps(d).encode())
        yield path


def test_validate_with_and_without_shortcuts_reports_the_same(tmp_path, monkeypatch):
    from cardpress.pipeline.preflight import preflight

    fast = []
    for path in _catalogs(tmp_path):
        f = preflight(load_catalog(path))
        fast.append((f.problems, f.warnings))
    monkeypatch.setattr(ProtocolFit, "card_fits", lambda self, *a: False)
    slow = []
    for path in _catalogs(tmp_path):
        f = preflight(load_catalog(path))
        slow.append((f.problems, f.warnings))
    assert fast == slow
    assert len(fast[1][0]) >= 7  # every planted overflow is found


def test_validate_reports_an_overflow_only_the_facilitators_copy_has(cli, tmp_path):
    data = catalog_data(3)
    data["cards"][0]["protocol"] = {"claim": "a long claim sentence here " * 150}
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert (f"card '{data['cards'][0]['id']}', field 'protocol.followups': worksheet (facilitator's copy): "
            "side 2 of the worksheet is") in result.stderr
    built = cli("build", "--catalog", path, "--out", tmp_path / "out")
    assert built.exit_code == 1
    assert "side 2 of the worksheet is" in built.stderr
