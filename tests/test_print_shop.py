"""Print-shop basics read back from the PDFs: the colour space of every colour operator
(--mono: DeviceGray; --cmyk: DeviceCMYK with greys and black on K alone), the TrimBox of
pages cut to their own size, and SOURCE_DATE_EPOCH in the document dates."""

from __future__ import annotations

import collections

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import catalog_data

COLOUR_OPS = {b"rg", b"RG", b"k", b"K", b"g", b"G", b"sc", b"scn", b"SC", b"SCN", b"cs", b"CS"}


def colour_ops(path) -> list[tuple[str, list[float]]]:
    """Every colour operator in every page's content and the forms it draws, with its operands."""
    reader = PdfReader(str(path))
    out = []

    def scan(stream):
        for operands, op in ContentStream(stream, reader).operations:
            if op in COLOUR_OPS:
                out.append((op.decode(), [float(v) for v in operands if not isinstance(v, str)]))

    for page in reader.pages:
        if page.get_contents() is not None:
            scan(page.get_contents())
        for _, form in ((page.get("/Resources") or {}).get("/XObject") or {}).items():
            scan(form.get_object())
    return out


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    import tomli_w

    path = tmp_path_factory.mktemp("shop") / "cards.toml"
    path.write_bytes(tomli_w.dumps(catalog_data(5)).encode())
    return path


def test_mono_is_device_gray(cli, catalog, tmp_path):
    assert cli("sheet", "-c", catalog, "-o", tmp_path, "--mono").exit_code == 0
    for pdf in tmp_path.glob("*.pdf"):
        ops = collections.Counter(op for op, _ in colour_ops(pdf))
        assert ops and set(ops) <= {"g", "G"}, (pdf.name, ops)


@pytest.mark.parametrize("command", [("sheet",), ("deck", "-l", "letter-4up"), ("deck", "-l", "index-3x5")])
def test_cmyk_is_device_cmyk_with_black_on_k_alone(cli, catalog, tmp_path, command):
    assert cli(*command, "-c", catalog, "-o", tmp_path, "--cmyk").exit_code == 0
    pdfs = list(tmp_path.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        ops = colour_ops(pdf)
        assert ops and {op for op, _ in ops} <= {"k", "K"}, pdf.name
        # A grey (equal C, M and Y) is never mixed from the three inks: greys and black are K only.
        mixed = [(op, v) for op, v in ops if v[0] == v[1] == v[2] and v[0] > 0]
        assert not mixed, mixed[:3]
        assert any(v == [0, 0, 0, 1] for _, v in ops)  # black text, on the K plate alone


def test_mono_and_cmyk_together_are_refused(cli, catalog, tmp_path):
    res = cli("sheet", "-c", catalog, "-o", tmp_path, "--mono", "--cmyk")
    assert res.exit_code == 1 and "choose one" in res.output and "Traceback" not in res.output


def test_card_pages_carry_a_trim_box_and_sheets_none(cli, catalog, tmp_path):
    assert cli("deck", "-c", catalog, "-o", tmp_path, "-l", "index-3x5", "-l", "letter-4up").exit_code == 0
    for page in PdfReader(str(tmp_path / "deck-3x5.pdf")).pages:
        assert "/TrimBox" in page and [float(v) for v in page["/TrimBox"]] == [0, 0, 5 * 72, 3 * 72]
    assert all("/TrimBox" not in p for p in PdfReader(str(tmp_path / "deck-letter.pdf")).pages)


def _dates(path) -> tuple[str, str]:
    info = PdfReader(str(path)).metadata
    return info["/CreationDate"], info["/ModDate"]


def test_source_date_epoch_dates_the_files(cli, tmp_path, monkeypatch):
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert cli("calibrate", "-o", tmp_path / "plain").exit_code == 0
    assert _dates(tmp_path / "plain" / "calibrate-letter.pdf") == ("D:20000101000000+00'00'",) * 2
    epoch = 1767225600 + 3 * 3600 + 25 * 60 + 7
    want = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    for run in ("a", "b"):
        assert cli("calibrate", "-o", tmp_path / run).exit_code == 0
        assert _dates(tmp_path / run / "calibrate-letter.pdf") == (want, want)
    # Same input, same epoch: the same bytes.
    assert (tmp_path / "a" / "calibrate-letter.pdf").read_bytes() == (tmp_path / "b" / "calibrate-letter.pdf").read_bytes()


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999"])
def test_a_bad_source_date_epoch_is_one_clear_line(cli, tmp_path, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    res = cli("calibrate", "-o", tmp_path)
    assert res.exit_code == 1 and "SOURCE_DATE_EPOCH must be whole seconds" in res.output
    assert "Traceback" not in res.output and not list(tmp_path.glob("*.pdf"))
