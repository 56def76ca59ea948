"""Deck PDFs read back with pypdf: page counts and sizes from the rule, cards on the right pages."""

from __future__ import annotations

import io
import math

import pytest
from pypdf import PdfReader

from cardpress.catalog import load_catalog
from cardpress.deck import build_outputs
from cardpress.deck.assemble import DeckRequest, deck_pdf
from cardpress.deck.layout_spec import load_layout

MM = 72 / 25.4


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_text(data: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    import tomli_w

    from conftest import catalog_data

    out = {}
    for n in (1, 4, 5, 17):
        path = tmp_path_factory.mktemp(f"n{n}") / "cards.toml"
        data = catalog_data(n, title=f"Deck of {n}")
        data["deck"]["author"] = "Ada Lovelace"
        path.write_bytes(tomli_w.dumps(data).encode())
        out[n] = load_catalog(path)
    return out


def number_words(number) -> str:
    return flat(number.full)


@pytest.mark.parametrize("n", [1, 4, 5, 17])
def test_index_3x5_has_two_pages_per_card_fronts_on_odd_pages(catalogs, n):
    cat = catalogs[n]
    out = deck_pdf(cat, DeckRequest(load_layout("index-3x5")))
    assert out.relpath == "deck-3x5.pdf"
    reader = PdfReader(io.BytesIO(out.data))
    assert len(reader.pages) == 2 * n
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((360, 216))
    texts = pages_text(out.data)
    for i, card in enumerate(cat.cards):
        front, back = texts[2 * i], texts[2 * i + 1]  # pages 2i+1 (odd) and 2i+2
        mark = f"{i + 1:02d}/{n}"
        assert flat(card.title) in front and mark in front
        assert flat(card.summary) not in front
        assert mark in back and flat(card.summary) in back
        for number in card.numbers:
            assert number.figure in back and flat(number.text) in back


@pytest.mark.parametrize("name, size", [("letter-4up", (792, 612)), ("a4-4up", (841.89, 595.28))])
@pytest.mark.parametrize("n", [1, 4, 5, 17])
def test_4up_sheets_have_each_card_front_and_back_on_the_same_sheet(catalogs, n, name, size):
    cat = catalogs[n]
    out = deck_pdf(cat, DeckRequest(load_layout(name)))
    reader = PdfReader(io.BytesIO(out.data))
    sheets = math.ceil(n / 4)
    assert len(reader.pages) == 2 * sheets
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)
    texts = pages_text(out.data)
    for i, card in enumerate(cat.cards):
        front, back = texts[2 * (i // 4)], texts[2 * (i // 4) + 1]
        assert flat(card.title) in front
        assert flat(card.summary) in back
        for number in card.numbers:
            assert number.figure in back and flat(number.text) in back
    # the instruction line names the edge and the scale on every page
    for t in texts:
        assert "flip on long edge" in t and "actual size / 100%" in t


@pytest.mark.parametrize("name", ["index-3x5", "letter-4up", "a4-4up", "letter-3up"])
def test_card_count_outline_and_metadata(catalogs, name):
    cat = catalogs[17]
    reader = PdfReader(io.BytesIO(deck_pdf(cat, DeckRequest(load_layout(name))).data))
    titles = [entry.title for entry in reader.outline]
    assert len(titles) == 17
    assert titles[6] == f"07/17 {cat.cards[6].heading}"
    assert reader.metadata.title.startswith("Deck of 17") and reader.metadata.author == "Ada Lovelace"
    marks = [f"{i:02d}/17" for i in range(1, 18)]
    text = " ".join(pages_text(deck_pdf(cat, DeckRequest(load_layout(name))).data))
    assert all(text.count(m) == 2 for m in marks)  # once on the front, once on the back


def test_outline_points_at_the_page_holding_the_front(catalogs):
    cat = catalogs[5]
    reader = PdfReader(io.BytesIO(deck_pdf(cat, DeckRequest(load_layout("letter-4up"))).data))
    pages = [reader.get_destination_page_number(e) for e in reader.outline]
    assert pages == [0, 0, 0, 0, 2]


def test_halves_for_printers_without_duplex(catalogs):
    cat = catalogs[5]
    layout = load_layout("letter-4up")
    fronts = deck_pdf(cat, DeckRequest(layout, sides=("front",)))
    backs = deck_pdf(cat, DeckRequest(layout, sides=("back",)))
    assert (fronts.relpath, backs.relpath) == ("deck-letter-fronts.pdf", "deck-letter-backs.pdf")
    ft, bt = pages_text(fronts.data), pages_text(backs.data)
    assert len(ft) == len(bt) == 2
    assert flat(cat.cards[4].title) in ft[1] and flat(cat.cards[4].summary) in bt[1]
    assert flat(cat.cards[0].summary) not in ft[0] and flat(cat.cards[0].title) not in bt[0]


def test_plain_text_prints_markup_characters_as_themselves(catalogs):
    text = " ".join(pages_text(deck_pdf(catalogs[1], DeckRequest(load_layout("index-3x5"))).data))
    assert "attention & <scaling>" in text


def test_rebuild_is_byte_identical(catalogs):
    cat = catalogs[5]
    for name in ("index-3x5", "letter-4up"):
        req = DeckRequest(load_layout(name), "short", (0.5 * MM, -1 * MM))
        assert deck_pdf(cat, req).data == deck_pdf(cat, req).data


def test_build_outputs_writes_three_decks_and_two_calibration_sheets(shipped_catalog):
    cat = load_catalog(shipped_catalog)
    outs = build_outputs(cat)
    assert [o.relpath for o in outs] == ["deck-3x5.pdf", "deck-letter.pdf", "deck-a4.pdf",
                                         "calibrate-letter.pdf", "calibrate-a4.pdf"]
    n = len(cat.cards)
    counts = [len(PdfReader(io.BytesIO(o.data)).pages) for o in outs]
    assert counts == [2 * n, 2 * math.ceil(n / 4), 2 * math.ceil(n / 4), 2, 2]
