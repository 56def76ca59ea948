"""The shipped catalog: 17 cards, three numbers each, faithful to the source documents."""

from __future__ import annotations

import re

import pytest

from as_written import AS_WRITTEN, as_written

from cardpress.catalog import load_catalog
from conftest import PITCH_DOC, SEEDS

PITCH_CARD_COUNT = 17  # "17 Paper Pitch Cards"
PROTOCOL_PAPERS = {"Attention Is All You Need", "CLIP", "Direct Preference Optimization (DPO)", "Chinchilla"}


@pytest.fixture(scope="module")
def catalog(request):
    from conftest import SHIPPED_CATALOG

    return load_catalog(SHIPPED_CATALOG)


def test_seventeen_cards_each_with_three_numbers(catalog):
    assert len(catalog.cards) == PITCH_CARD_COUNT
    for card in catalog.cards:
        assert len(card.numbers) == 3, card.id
        assert all(n.full.strip() for n in card.numbers)


def test_ids_are_unique_slugs(catalog):
    ids = [c.id for c in catalog.cards]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert "vaswani-2017-attention" in ids


def test_the_four_drill_papers_carry_protocol_content(catalog):
    with_protocol = {c.title for c in catalog.cards if c.protocol}
    assert with_protocol == PROTOCOL_PAPERS
    for card in catalog.cards:
        if card.protocol:
            p = card.protocol
            assert p.claim and p.read and p.skip and p.followups and p.pitfall
            assert len(p.remember) == 3


def test_revision_notes_present(catalog):
    assert [(p.start, p.end) for p in catalog.protocol.phases] == [(0, 2), (2, 5), (5, 12), (12, 16), (16, 18), (18, 20)]
    assert len(catalog.protocol.grading) == 4
    assert [p.name for p in catalog.three_pass.passes] == ["Survey", "Comprehension", "Deep Dive"]
    assert len(catalog.three_pass.fields) == 7
    assert catalog.drill.protocol
    assert catalog.deck.title and catalog.deck.description


def _seed_cards():
    """Cards parsed straight from the pitch-card source, independently of cardpress."""
    text = PITCH_DOC.read_text(encoding="utf-8")
    blocks = re.split(r"^Card \d\d — ", text, flags=re.M)[1:]
    cards = []
    for block in blocks:
        heading, rest = block.split("\n", 1)
        m = re.match(r"(\S+) (\d{4}), (.*?)¶?$", heading)
        summary = re.search(r"^Summary\. (.*)$", rest, re.M).group(1)
        nums_text = rest.split("3 numbers.", 1)[1]
        nums_text = re.split(r"\n(?:→|How to drill)", nums_text)[0]
        nums = [n.strip() for n in re.split(r"(?:^|\s)[123]\. ", nums_text.strip()) if n.strip()]
        cards.append((m.group(1), int(m.group(2)), m.group(3), summary, nums))
    return cards


def test_every_seed_card_appears_verbatim(catalog):
    seed = _seed_cards()
    assert len(seed) == PITCH_CARD_COUNT
    for card, (author, year, title, summary, numbers) in zip(catalog.cards, seed):
        assert (card.author, card.year, card.title) == (author, year, title)
        assert as_written(card.summary) == summary
        assert [as_written(n.full) for n in card.numbers] == numbers
    every = " ".join(c.summary + " ".join(n.full for n in c.numbers) for c in catalog.cards)
    for math in AS_WRITTEN:
        assert math in every, math  # each mapping is used: none hides a stale conversion


def test_symbols_survive(catalog):
    cards = as_written(" ".join(c.summary + " ".join(n.full for n in c.numbers) for c in catalog.cards))
    for symbol in "→×∝β²":
        assert symbol in cards, symbol
    chinchilla = next(c for c in catalog.cards if c.title == "Chinchilla").protocol
    for symbol in "≈×":
        assert symbol in chinchilla.equation_note, symbol


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not beside the repo")
def test_fixture_copy_is_still_the_source_document():
    [source] = SEEDS.glob("000_*.txt")
    assert PITCH_DOC.read_bytes() == source.read_bytes()
