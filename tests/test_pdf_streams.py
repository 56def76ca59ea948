"""Stream encoding: Flate only, no ASCII85 on top of already-binary streams."""

from __future__ import annotations

import io
import re
import zlib

from pypdf import PdfReader

from cardpress.catalog import load_catalog
from cardpress.deck.assemble import DeckRequest, deck_pdf
from cardpress.deck.layout_spec import load_layout


def test_deck_streams_are_flate_only_and_decode(make_catalog):
    data = deck_pdf(load_catalog(make_catalog(5)), DeckRequest(load_layout("letter-4up"))).data
    assert b"ASCII85Decode" not in data
    # Every stream dictionary names FlateDecode alone, and each stream inflates on its own.
    streams = re.findall(rb"/Filter\s*(\[[^\]]*\]|/\w+)[^>]*>>\s*stream\r?\n(.*?)endstream", data, re.S)
    assert streams
    for filters, body in streams:
        assert filters.strip(b"[] ") == b"/FlateDecode"
        zlib.decompress(body)
    assert len(PdfReader(io.BytesIO(data)).pages) == 4
