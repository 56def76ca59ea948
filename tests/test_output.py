"""The atomic writer and the byte-identical canvas."""

from __future__ import annotations

import pytest

from cardpress.files.output import Output
from cardpress.files.atomic import atomic_write, atomic_write_bytes
from cardpress.files.staging import write_outputs


def test_writer_failing_midway_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "deck.pdf"
    target.write_bytes(b"previous good output")

    def half_then_crash(fh):
        fh.write(b"%PDF-1.4 half a file")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_crash)
    assert target.read_bytes() == b"previous good output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pdf"]  # no temp file left behind


def test_new_file_and_replacement(tmp_path):
    target = tmp_path / "sub" / "x.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"


def test_write_outputs_creates_folders(tmp_path):
    written = write_outputs(tmp_path, [Output("a.pdf", b"A"), Output("worksheets/b.pdf", b"B")])
    assert [p.read_bytes() for p in written] == [b"A", b"B"]
    assert (tmp_path / "worksheets" / "b.pdf").exists()


SYMBOLS = "β ≈ 0.1 → r << min(d, k) & more"


def pdf_output(relpath, pagesize, title):
    """One page with one line of text, through the one painter."""
    from cardpress.typeset import fonts
    from cardpress.pdf.page import Page, Text, TextLine
    from cardpress.pdf.paint import pdf
    from cardpress.typeset.textfit import wrap

    line = wrap(SYMBOLS, fonts.SANS, 12, 300)[0]
    return pdf(relpath, [Page(*pagesize, (Text((TextLine(72, 72, 12, line),)),))], pagesize, title=title)


def test_same_input_same_bytes():
    a = pdf_output("x.pdf", (360, 216), title="T")
    b = pdf_output("x.pdf", (360, 216), title="T")
    assert a.data == b.data
    assert a.data.startswith(b"%PDF")


def test_text_reads_back_with_symbols(tmp_path):
    from pypdf import PdfReader

    out = pdf_output("x.pdf", (360, 216), title="T")
    path = tmp_path / "x.pdf"
    path.write_bytes(out.data)
    reader = PdfReader(path)
    assert SYMBOLS in reader.pages[0].extract_text()
    assert reader.metadata.title == "T"


def test_write_outputs_is_all_or_nothing(tmp_path):
    """A failure on the second file leaves the first file's previous version in place."""
    from cardpress.errors import CardpressError

    (tmp_path / "a.pdf").write_bytes(b"old A")
    (tmp_path / "blocker").write_bytes(b"a file where a folder should be")
    with pytest.raises(CardpressError) as err:
        write_outputs(tmp_path, [Output("a.pdf", b"new A"), Output("blocker/b.pdf", b"B")])
    assert "is a file, not a folder" in str(err.value)
    assert (tmp_path / "a.pdf").read_bytes() == b"old A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "blocker"]
