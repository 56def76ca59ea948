"""The painter's shortcuts around reportlab give what reportlab itself gives."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument

from cardpress.typeset import fonts
from cardpress.pdf.paint import _split


def test_split_matches_reportlabs_split_string_text_after_text():
    fonts.use(fonts.SANS)
    font = pdfmetrics.getFont(fonts.SANS)
    ours, theirs = PDFDocument(), PDFDocument()
    # Repeats (the shortcut), new characters, a no-break space, a character the face lacks,
    # and enough distinct characters to spill past the first 256-code subset.
    many = "".join(chr(c) for c in range(0x100, 0x100 + 300) if ord(chr(c)) in font.face.charToGlyph)
    texts = ["Chinchilla", "Chinchilla", "tokens\u00a0per param", "≈ 20", "\U0001F600 x", "",
             many[:150], "Chinchilla ≈", many, many[::-1], "Chinchilla", many[:10] + "a"]
    for text in texts:
        assert list(_split(font, text, ours)) == font.splitString(text, theirs), text
    assert font.state[ours].assignments == font.state[theirs].assignments
