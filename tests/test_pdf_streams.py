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


def _draw(canvas, pages: int = 3) -> None:
    from cardpress.typeset import fonts

    fonts.use(fonts.SANS)
    for n in range(pages):
        canvas.setFont(fonts.SANS, 11)
        canvas.drawString(72, 700, f"page {n + 1}: β ≈ 0.1 → r")
        canvas.rect(72, 600, 100, 50, fill=1)
        canvas.linkURL("https://example.org", (72, 600, 172, 650))
        canvas.showPage()


def test_finished_pages_hold_less_and_the_bytes_are_reportlabs():
    # cardpress's canvas deflates each page when it is finished, keeps only the entries a
    # page sets, and lets each stream's bytes go once save has put them in the file: the same
    # bytes as reportlab's own canvas, set up the same way, makes from the same drawing.
    from reportlab.pdfgen.canvas import Canvas

    from cardpress.pdf.canvas import LANG, new_canvas

    ours_out, theirs_out = io.BytesIO(), io.BytesIO()
    ours = new_canvas(ours_out, (360, 720), title="T", author="A", subject="S", duplex="short")
    theirs = Canvas(theirs_out, pagesize=(360, 720), invariant=1, pageCompression=1, lang=LANG)
    theirs.setViewerPreference("PrintScaling", "None")
    theirs.setViewerPreference("Duplex", "DuplexFlipShortEdge")
    theirs.setViewerPreference("DisplayDocTitle", "true")
    theirs.setTitle("T")
    theirs.setAuthor("A")
    theirs.setSubject("S")
    theirs.setCreator("cardpress")
    _draw(ours)
    _draw(theirs)
    finished = ours._doc.Pages.pages
    plain = theirs._doc.Pages.pages
    assert all(p.stream is None and p.Contents is not None for p in finished)
    assert all(len(vars(f)) < len(vars(p)) / 2 for f, p in zip(finished, plain))
    ours.save()
    theirs.save()
    assert all(p.Contents.content is None for p in finished)
    assert ours_out.getvalue() == theirs_out.getvalue()
