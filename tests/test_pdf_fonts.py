"""Fonts and form resources in the files cardpress writes, read back with pypdf and qpdf.

The rule on subset tags (ISO 32000-1, 9.6.4): a subset font's name starts with six
upper-case letters and a `+`, and different subsets in one file have different tags.
reportlab tagged every face's first subset AAAAAA, so a worksheet with five faces had
five AAAAAA subsets. The worksheets' field font is one more subset, held once per file.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess

import pypdf
import pytest

from conftest import catalog_data


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every file `build` writes for a six-card catalog (worksheets.pdf holds six papers)."""
    import tomli_w
    from typer.testing import CliRunner

    from cardpress.cli import app

    root = tmp_path_factory.mktemp("fonts")
    (root / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(6)).encode())
    res = CliRunner().invoke(app, ["build", "-c", str(root / "cards.toml"), "-o", str(root / "out")])
    assert res.exit_code == 0, res.output
    return sorted((root / "out").rglob("*.pdf"))


def subset_fonts(path) -> dict[str, set[bytes]]:
    """Every embedded font's name (its descriptor's FontName) -> digests of the programs under it."""
    reader = pypdf.PdfReader(str(path))
    out: dict[str, set[bytes]] = {}
    for num in sorted(reader.xref.get(0, {})):
        obj = reader.get_object(num)
        if isinstance(obj, dict) and obj.get("/Type") == "/FontDescriptor":
            program = obj.get("/FontFile2") or obj.get("/FontFile") or obj.get("/FontFile3")
            digest = hashlib.sha256(program.get_object().get_data()).digest() if program is not None else b""
            out.setdefault(str(obj["/FontName"]).lstrip("/"), set()).add(digest)
    return out


def test_every_subset_in_every_file_has_its_own_tag(built):
    checked = 0
    for path in built:
        tags: dict[str, set[bytes]] = {}
        for name, programs in subset_fonts(path).items():
            tag, plus, _ = name.partition("+")
            assert plus and len(tag) == 6 and tag.isalpha() and tag.isupper(), f"{path.name}: {name}"
            assert len(programs) == 1, f"{path.name}: {name} names {len(programs)} different subsets"
            tags.setdefault(tag, set()).update(programs)
            checked += 1
        shared = {t: len(p) for t, p in tags.items() if len(p) > 1}
        assert not shared, f"{path.name}: one tag on different subsets: {shared}"
    assert checked > 20


def test_the_combined_worksheets_hold_the_field_font_once(built):
    (combined,) = [p for p in built if p.name == "worksheets.pdf"]
    fields = [n for n in subset_fonts(combined) if n.endswith("+DejaVuSans") and n.startswith("CPF")]
    assert len(fields) == 1


def test_every_empty_text_field_has_its_own_empty_appearance(built):
    (combined,) = [p for p in built if p.name == "worksheets.pdf"]
    reader = pypdf.PdfReader(str(combined))
    widgets = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
               if a.get_object().get("/Subtype") == "/Widget"]
    texts = [w for w in widgets if w.get("/FT") == "/Tx"]
    assert len(texts) > 100
    # Its own: pypdf replaces a field's /N stream in place when it fills it.
    assert len({w["/AP"].raw_get("/N").idnum for w in texts}) == len(texts)
    for w in texts:
        n = w["/AP"]["/N"].get_object()
        x0, y0, x1, y1 = (float(v) for v in w["/Rect"])
        assert n["/Subtype"] == "/Form" and n.get_data() == b""
        assert [float(v) for v in n["/BBox"]] == pytest.approx([0, 0, x1 - x0, y1 - y0])
        assert str(w["/DA"]).startswith("/CPF ")
    font = reader.trailer["/Root"]["/AcroForm"]["/DR"]["/Font"]["/CPF"].get_object()
    assert font["/Subtype"] == "/Type0"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_qpdf_finds_every_file_clean(built):
    for path in built:
        res = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert res.returncode == 0 and "No syntax or stream encoding errors" in res.stdout, path.name


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_ghostscript_is_silent_on_every_file(built):
    noise = ("GPL Ghostscript", "Copyright", "This software", "see the file", "Processing pages", "Page ",
             "Loading font")
    for path in built:
        res = subprocess.run(["gs", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(path)],
                             capture_output=True, text=True)
        said = [ln for ln in (res.stdout + res.stderr).splitlines() if ln.strip() and not ln.startswith(noise)]
        assert res.returncode == 0 and not said, f"{path.name}: {said[:5]}"


def test_a_papers_own_file_bookmarks_its_sides(built):
    own = [p for p in built if p.parent.name == "worksheets"]
    assert own
    for path in own:
        reader = pypdf.PdfReader(str(path))
        marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
        assert marks == [("Side 1 (front)", 0), ("Side 2 (back)", 1)], path.name
        assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
