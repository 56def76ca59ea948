"""The combined worksheets file painted in parts and joined (cardpress.pdf.join), and the lean
form fields: read back with pypdf (and qpdf where installed) against the file painted whole."""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdf
import pytest

from cardpress.catalog import load_catalog
from cardpress.files.output import Output, Streamed
from cardpress.files.staging import write_outputs
from cardpress.worksheets import Variant, iter_worksheets
from tests.conftest import card_data, catalog_data

CARDS = 7
PART = 3  # 7 papers: parts of 3, 3 and 1


def _combined(cat, part, variant=Variant()):
    outs = list(iter_worksheets(cat, variant, singles=False, part=part))
    assert [o.relpath for o in outs] == [variant.combined_path]
    return outs[0]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    import tomli_w

    data = catalog_data(CARDS, title="Deck (with 2 0 R and /Next 3 0 R in it")
    # Strings that look like references or outline links must come through untouched.
    data["cards"][4] = card_data(5, title="Paper 12 0 R /Prev 4 0 R (a) \\ b")
    data["cards"][2] = card_data(3, title="Paper /Next 2 0 R /Kids [ 1 0 R ] (x")
    path = tmp_path_factory.mktemp("parts") / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return load_catalog(path)


@pytest.fixture(scope="module")
def whole(catalog):
    out = _combined(catalog, part=CARDS)
    assert isinstance(out, Output)  # one part: the file as reportlab writes it
    return out.data


@pytest.fixture(scope="module")
def joined(catalog):
    out = _combined(catalog, part=PART)
    assert isinstance(out, Streamed)
    return out.data


def _reader(data):
    return pypdf.PdfReader(io.BytesIO(data))


def _outline(reader):
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_parts_join_into_the_same_document(catalog, whole, joined):
    a, b = _reader(whole), _reader(joined)
    assert len(b.pages) == len(a.pages) == 2 * CARDS
    for i in range(len(a.pages)):
        assert b.pages[i].extract_text() == a.pages[i].extract_text()
        assert b.pages[i].mediabox == a.pages[i].mediabox
    assert _outline(b) == _outline(a) == [(c.heading, 2 * k) for k, c in enumerate(catalog.cards)]
    assert b.metadata.title == a.metadata.title == f"{catalog.deck.title}: worksheets"
    assert b.trailer["/Root"]["/ViewerPreferences"] == a.trailer["/Root"]["/ViewerPreferences"]


def test_joined_fields_keep_their_names_and_hierarchy(catalog, whole, joined):
    a, b = _reader(whole), _reader(joined)
    assert set(b.get_fields()) == set(a.get_fields())
    top = [f.get_object() for f in b.trailer["/Root"]["/AcroForm"]["/Fields"]]
    assert [str(f["/T"]) for f in top] == [c.id for c in catalog.cards]
    # Every widget on a page is a field of that page's paper, under its parent.
    for k, card in enumerate(catalog.cards):
        for page in b.pages[2 * k:2 * k + 2]:
            for annot in page.get("/Annots", []):
                node = annot.get_object()
                if node.get("/Subtype") != "/Widget":
                    continue
                while "/Parent" in node:
                    node = node["/Parent"].get_object()
                assert str(node["/T"]) == card.id


def test_parts_are_deterministic(catalog, joined):
    assert _combined(catalog, part=PART).data == joined


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_joined_file_passes_qpdf_check(joined, tmp_path):
    path = tmp_path / "joined.pdf"
    path.write_bytes(joined)
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No syntax or stream encoding errors" in proc.stdout


def test_joined_file_fills_in_a_later_part(catalog, joined):
    last = catalog.cards[-1].id  # in the third part
    writer = pypdf.PdfWriter(clone_from=_reader(joined))
    page = 2 * (CARDS - 1)
    writer.update_page_form_field_values(writer.pages[page], {f"{last}.name": "Ada", f"{last}.phase-1": "/Yes"},
                                         auto_regenerate=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    fields = _reader(buffer.getvalue()).get_fields()
    assert fields[f"{last}.name"]["/V"] == "Ada"
    assert fields[f"{last}.phase-1"]["/V"] == "/Yes"
    assert fields[f"{catalog.cards[0].id}.name"].get("/V", "") == ""


def test_empty_text_fields_carry_no_appearance_and_check_boxes_share_theirs(whole):
    reader = _reader(whole)
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == True  # noqa: E712 (a BooleanObject)
    widgets = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
               if a.get_object().get("/Subtype") == "/Widget"]
    texts = [w for w in widgets if w.get("/FT") == "/Tx"]
    boxes = [w for w in widgets if w.get("/FT") == "/Btn"]
    assert texts and boxes
    # Filling a field replaces its /N stream in place (pypdf): a shared one would repaint others.
    assert not [w for w in texts if "/AP" in w]
    assert all(w["/DA"].startswith("/Helv ") for w in texts)
    sizes = {}
    for w in boxes:
        rect = [float(v) for v in w["/Rect"]]
        on = w["/AP"].get_object()["/N"].get_object().raw_get("/Yes").idnum
        sizes.setdefault(round(rect[2] - rect[0], 3), set()).add(on)
        assert w["/AS"] == "/Off"
    assert all(len(streams) == 1 for streams in sizes.values())


def test_filling_one_text_field_leaves_the_others_without_text(whole):
    writer = pypdf.PdfWriter(clone_from=_reader(whole))
    first = _reader(whole).get_fields()
    name = next(n for n, f in first.items() if f.get("/FT") == "/Tx" and n.endswith(".name"))
    writer.update_page_form_field_values(writer.pages[0], {name: "Typed"}, auto_regenerate=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    after = _reader(buffer.getvalue())
    typed = [n for n, f in after.get_fields().items() if f.get("/V") == "Typed"]
    assert typed == [name]


def test_strings_are_never_taken_for_references():
    from cardpress.pdf.join import _ref, _renumber

    body = b"<< /T (a (1 0 R) \\) (b) c) /P 1 0 R /K [ 2 0 R ] >>"
    assert _renumber(body, {1: 9, 2: 8}) == b"<< /T (a (1 0 R) \\) (b) c) /P 9 0 R /K [ 8 0 R ] >>"
    assert _ref(b"<< /Title (x /Next 4 0 R) /Parent 3 0 R >>", b"Next") is None


def test_a_streamed_output_that_fails_leaves_the_old_files(tmp_path):
    write_outputs(tmp_path, [Output("a.pdf", b"old a"), Output("b.pdf", b"old b")])

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception):
        write_outputs(tmp_path, [Output("a.pdf", b"new a"), Streamed("b.pdf", broken)])
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"
    assert (tmp_path / "b.pdf").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def test_a_streamed_output_is_written_whole(tmp_path):
    chunks = [bytes([i]) * 100_000 for i in range(5)]
    write_outputs(tmp_path, [Streamed("big.pdf", lambda fh: [fh.write(c) for c in chunks])])
    assert (tmp_path / "big.pdf").read_bytes() == b"".join(chunks)


def test_sigkill_while_joining_parts_leaves_old_files_and_no_temporary_file(tmp_path):
    """A real `worksheets` run on two parts' worth of papers, killed after the first part
    was joined: the old outputs stay as they were and the joined parts leave no file."""
    import os
    import signal
    import sys
    import time

    import tomli_w

    from cardpress.files.staging import STAGING
    from cardpress.worksheets import PART

    def catalog(name, n):
        path = tmp_path / name
        path.write_bytes(tomli_w.dumps(catalog_data(n)).encode())
        return path

    def run(cat, temp):
        env = dict(os.environ, TMPDIR=str(temp))
        return subprocess.Popen([sys.executable, "-m", "cardpress", "worksheets", "--catalog", str(cat),
                                 "--out", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    out = tmp_path / "out"
    temp = tmp_path / "tmp"
    temp.mkdir()
    small = catalog("small.toml", 2)
    assert run(small, temp).wait(timeout=600) == 0
    old = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    proc = run(catalog("big.toml", PART + 20), temp)
    stage = out / STAGING
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        if stage.is_dir() and len(list(stage.iterdir())) >= PART + 5:  # the second part is being painted
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert list(temp.iterdir()) == []  # the joined parts were an unnamed file
    now = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
           if p.is_file() and STAGING not in p.parts}
    assert now == old
    assert run(small, temp).wait(timeout=600) == 0
    assert not stage.exists()


def test_a_full_temporary_folder_while_joining_is_a_message_not_a_traceback(catalog, tmp_path, monkeypatch):
    """The parts are joined in a temporary file (TMPDIR): when that disk is full, the run
    stops with a message naming the folder, like any other write, and the old file stays."""
    import errno
    import tempfile

    from cardpress.errors import CardpressError

    class Full(io.BytesIO):
        def write(self, data):
            if self.tell() + len(data) > 50_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            return super().write(data)

    write_outputs(tmp_path, [Output(Variant().combined_path, b"old")])
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: Full())
    with pytest.raises(CardpressError) as caught:
        write_outputs(tmp_path, iter_worksheets(catalog, Variant(), singles=False, part=PART))
    message = caught.value.render()
    assert "No space left on device" in message and tempfile.gettempdir() in message
    assert Variant().combined_path in message
    assert (tmp_path / Variant().combined_path).read_bytes() == b"old"


def test_the_form_resources_hold_the_check_boxes_tick_font(whole, joined):
    """NeedAppearances asks a viewer to redraw the fields, check boxes too: a box's tick is
    its /MK /CA character in ZapfDingbats (/ZaDb), which must then be in the AcroForm's /DR
    (poppler: "Unknown font tag 'ZaDb'" for every ticked box otherwise)."""
    for data in (whole, joined):
        reader = _reader(data)
        form = reader.trailer["/Root"]["/AcroForm"]
        boxes = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
                 if a.get_object().get("/FT") == "/Btn" and "/CA" in a.get_object().get("/MK", {})]
        assert boxes and form["/NeedAppearances"]
        font = form["/DR"]["/Font"]["/ZaDb"].get_object()
        assert font["/BaseFont"] == "/ZapfDingbats"
