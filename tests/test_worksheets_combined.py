"""The combined worksheets file (one canvas, every paper) and the lean form fields: read back
with pypdf (and qpdf where installed)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdf
import pytest

from cardpress.catalog import load_catalog
from cardpress.files.output import Output
from cardpress.worksheets import Variant, iter_worksheets
from tests.conftest import card_data, catalog_data

CARDS = 7


def _combined(cat, variant=Variant()):
    outs = list(iter_worksheets(cat, variant, singles=False))
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
    out = _combined(catalog)
    assert isinstance(out, Output)
    return out.data


def _reader(data):
    return pypdf.PdfReader(io.BytesIO(data))


def _outline(reader):
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_every_paper_in_one_document(catalog, whole):
    a = _reader(whole)
    assert len(a.pages) == 2 * CARDS
    assert _outline(a) == [(c.heading, 2 * k) for k, c in enumerate(catalog.cards)]
    assert a.metadata.title == f"{catalog.deck.title}: 20-minute paper-read worksheets"


def test_fields_keep_their_names_and_hierarchy(catalog, whole):
    b = _reader(whole)
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


def test_combined_file_is_deterministic(catalog, whole):
    assert _combined(catalog).data == whole


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_combined_file_passes_qpdf_check(whole, tmp_path):
    path = tmp_path / "combined.pdf"
    path.write_bytes(whole)
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No syntax or stream encoding errors" in proc.stdout


def test_combined_file_fills_in_its_last_paper(catalog, whole):
    last = catalog.cards[-1].id
    writer = pypdf.PdfWriter(clone_from=_reader(whole))
    page = 2 * (CARDS - 1)
    writer.update_page_form_field_values(writer.pages[page], {f"{last}.name": "Ada", f"{last}.phase-1": "/Yes"},
                                         auto_regenerate=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    fields = _reader(buffer.getvalue()).get_fields()
    assert fields[f"{last}.name"]["/V"] == "Ada"
    assert fields[f"{last}.phase-1"]["/V"] == "/Yes"
    assert fields[f"{catalog.cards[0].id}.name"].get("/V", "") == ""


def test_check_boxes_share_their_appearances(whole):
    # Empty text fields each carry their own empty appearance (tests/test_pdf_fonts.py).
    reader = _reader(whole)
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == True  # noqa: E712 (a BooleanObject)
    widgets = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
               if a.get_object().get("/Subtype") == "/Widget"]
    texts = [w for w in widgets if w.get("/FT") == "/Tx"]
    boxes = [w for w in widgets if w.get("/FT") == "/Btn"]
    assert texts and boxes
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


def test_the_form_resources_hold_the_check_boxes_tick_font(whole):
    """NeedAppearances asks a viewer to redraw the fields, check boxes too: a box's tick is
    its /MK /CA character in ZapfDingbats (/ZaDb), which must then be in the AcroForm's /DR
    (poppler: "Unknown font tag 'ZaDb'" for every ticked box otherwise)."""
    for data in (whole,):
        reader = _reader(data)
        form = reader.trailer["/Root"]["/AcroForm"]
        boxes = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
                 if a.get_object().get("/FT") == "/Btn" and "/CA" in a.get_object().get("/MK", {})]
        assert boxes and form["/NeedAppearances"]
        font = form["/DR"]["/Font"]["/ZaDb"].get_object()
        assert font["/BaseFont"] == "/ZapfDingbats"


def test_the_facilitators_copy_says_so_in_its_title(catalog):
    titles = []
    for variant in (Variant(), Variant(answers=True)):
        outs = list(iter_worksheets(catalog, variant, cards=catalog.cards[:1]))
        titles.append([pypdf.PdfReader(io.BytesIO(o.data)).metadata.title for o in outs])
    reader, facilitator = titles
    assert all("facilitator" not in t for t in reader)
    assert all(t.endswith("(facilitator's copy)") for t in facilitator)
    assert set(reader).isdisjoint(facilitator)
