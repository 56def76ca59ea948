r"""Copying a formula out of a PDF gives its LaTeX source (issue 21).

Each Formula record is painted inside a marked-content span whose /ActualText is the
formula as the catalog wrote it, delimiters included. Two readers are asked: poppler's
pdftotext and MuPDF (through PyMuPDF; the machine's mutool 1.21 predates MuPDF's
/ActualText support, which came in 1.23). MuPDF spaces the replacement text by the glyphs'
positions, so its answer is compared with spaces taken out.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from math_formulas import ISSUE_21

from cardpress.pdf.page import Formula, Page
from cardpress.pdf.paint import actual_text, pdf
from cardpress.typeset.mathtext import layout

PICKS = [ISSUE_21[0], ISSUE_21[1], ISSUE_21[9], ISSUE_21[19], ISSUE_21[29], r"x^{-1} \le \sqrt{d_k}"]


def formula_pdf(path, formulas) -> None:
    records, y = [], 560.0
    for tex in formulas:
        box = layout(tex, 10)
        y -= box.ascent + 14
        records.append(Formula(30, y, box))
        y -= box.descent
    path.write_bytes(pdf("f.pdf", [Page(600, 600, tuple(records))], (600, 600), title="formulas").data)


def test_actual_text_is_utf16_with_a_byte_order_mark():
    assert actual_text("β") == "<FEFF005C002803B2005C0029>"  # \ ( β \ )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_gives_back_each_formulas_source(tmp_path):
    formula_pdf(tmp_path / "f.pdf", PICKS)
    text = subprocess.run(["pdftotext", str(tmp_path / "f.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for tex in PICKS:
        assert "\\(" + tex + "\\)" in text, tex
    assert "\ue238" not in text and "U+E" not in text  # no private-use glyph reaches a copy


def test_mupdf_gives_back_each_formulas_source(tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    formula_pdf(tmp_path / "f.pdf", PICKS)
    text = "".join(pymupdf.open(tmp_path / "f.pdf")[0].get_text().split())
    for tex in PICKS:
        assert "".join(("\\(" + tex + "\\)").split()) in text, tex


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_built_deck_copies_its_formulas_as_tex(make_catalog, cli, tmp_path):
    from conftest import catalog_data

    data = catalog_data(2)
    data["cards"][0]["summary"] = r"Loss \(\mathcal{L} = -\sum_i y_i \log \hat{y}_i\) with \(\mathbb{E}[x]\)."
    path = make_catalog(data=data)
    result = cli("deck", "--catalog", path, "--layout", "index-3x5", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    [deck] = (tmp_path / "out").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(deck), "-"], capture_output=True, text=True, check=True).stdout
    assert r"\(\mathcal{L} = -\sum_i y_i \log \hat{y}_i\)" in text
    assert r"\(\mathbb{E}[x]\)" in text
