"""Revision sheet PDFs read back with pypdf, and the `cardpress sheet` command."""

from __future__ import annotations

import io
import re

import shutil
import subprocess

import pytest
import tomli_w
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import catalog_data
from cardpress.catalog import load_catalog, load_catalog_text
from cardpress.sheet import build_outputs
from cardpress.units import PAPER

FLOOR = 6.0
SIZES = {"letter": (612, 792), "a4": (595.28, 841.89)}


def _catalog(n):
    return load_catalog_text(tomli_w.dumps(catalog_data(n)), f"gen{n}.toml")


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _flat(text: str) -> str:
    """Whitespace folded, a word broken after its hyphen at a line end joined again, and
    one hyphenated at a line end (a soft hyphen) joined without it."""
    text = re.sub(r"\u00ad\s*", "", text)
    return re.sub(r"(?<=[^\W\d_]-) (?=[^\W\d_])", "", " ".join(text.split()))


# Issue 21: math scripts have their own floor, 5 pt; a radical or delimiter from the STIX
# size fonts is a glyph drawn tall at a small nominal size, so it is not text to read.
MATH_SCRIPT_FLOOR = 5.0
SIZED_GLYPH_FONTS = ("STIXSiz",)


def _font_sizes(reader: PdfReader, with_fonts: bool = False) -> list:
    sizes = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        ops = ContentStream(page.get_contents(), reader).operations
        for operands, op in ops:
            if op == b"Tf":
                base = str(fonts[operands[0]].get_object().get("/BaseFont", "")) if operands[0] in fonts else ""
                sizes.append((float(operands[1]), base) if with_fonts else float(operands[1]))
    return sizes


def _fill_colours(reader: PdfReader) -> set[tuple[float, ...]]:
    colours = set()
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"rg", b"RG"):
                colours.add(tuple(round(float(v), 3) for v in operands))
    return colours


@pytest.fixture(scope="module")
def shipped_outputs():
    from conftest import SHIPPED_CATALOG

    cat = load_catalog(SHIPPED_CATALOG)
    return cat, {o.relpath: o.data for o in build_outputs(cat)}


def _check_sheet(cat, outputs):
    assert sorted(outputs) == ["revision-sheet-a4.pdf", "revision-sheet-letter.pdf"]
    for paper in ("letter", "a4"):
        reader = _reader(outputs[f"revision-sheet-{paper}.pdf"])
        assert len(reader.pages) == 4
        for page in reader.pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            assert (w, h) == pytest.approx(PAPER[paper], abs=0.01)
        text = [page.extract_text() for page in reader.pages]
        flat = _flat(" ".join(text))
        for card in cat.cards:
            assert _flat(card.heading) in flat, (paper, card.id)
        for n, page_text in enumerate(text, 1):
            assert f"page {n} of 4" in page_text
            assert cat.deck.title in page_text
        sizes = [(size, base) for size, base in _font_sizes(reader, with_fonts=True)
                 if not any(f in base for f in SIZED_GLYPH_FONTS)]
        # Text is never under the sheet's floor; a formula's scripts (in the same DejaVu
        # faces, so the PDF cannot tell them apart) are never under theirs.
        assert min(size for size, _ in sizes) >= min(FLOOR, MATH_SCRIPT_FLOOR)


def test_shipped_sheet(shipped_outputs, tmp_path):
    cat, outputs = shipped_outputs
    _check_sheet(cat, outputs)
    flat = _flat(" ".join(p.extract_text() for p in _reader(outputs["revision-sheet-letter.pdf"]).pages))
    for heading in ("What interviewers grade", "The three-pass method", "The drill protocol",
                    "The 20-minute paper-read protocol"):
        assert heading in flat
    # Symbols from the embedded font and plain-text specials print as themselves (the
    # cards' "N ∝ D" and "O(n²)" are formulas now, checked as math below).
    for s in ("EN→DE", "16×16", "≤ 30 seconds", "≈ 20 tokens per parameter"):
        assert s in flat, s
    # Formulas print as math, glyph by glyph: their spacing is mathtext's, not the catalog's.
    # pypdf reads a formula's glyphs out of line order, so read them as a viewer does.
    if shutil.which("pdftotext"):
        path = tmp_path / "sheet.pdf"
        path.write_bytes(outputs["revision-sheet-letter.pdf"])
        shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        # A formula copies as its TeX (/ActualText, issue 21), as the catalog wrote it.
        for s in (r"\(r \ll \min(d, k)\)", r"\(\beta\) (typically"):
            assert s.replace(" ", "") in shown.replace(" ", "").replace("\n", ""), s


@pytest.mark.parametrize("n", [3, 120])
def test_generated_sheets(n):
    cat = _catalog(n)
    _check_sheet(cat, {o.relpath: o.data for o in build_outputs(cat)})


def test_rebuild_is_byte_identical(shipped_outputs):
    cat, outputs = shipped_outputs
    again = {o.relpath: o.data for o in build_outputs(cat)}
    assert again == outputs


def test_colour_by_default_and_black_with_mono(shipped_outputs):
    cat, outputs = shipped_outputs
    colours = _fill_colours(_reader(outputs["revision-sheet-letter.pdf"]))
    assert any(len(set(c)) > 1 for c in colours)  # the category colours
    mono = build_outputs(cat, ("letter",), mono=True)[0]
    assert all(len(set(c)) == 1 for c in _fill_colours(_reader(mono.data)))  # greys and black only
    # Grey prints still tell categories apart: every short label is printed.
    flat = _flat(" ".join(p.extract_text() for p in _reader(mono.data).pages))
    for category in cat.category_order():
        assert f"{category.short} {category.name}" in flat


# --- the command ---------------------------------------------------------------------------


def test_sheet_command_writes_both_papers(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    result = cli("sheet", "--catalog", make_catalog(3), "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["revision-sheet-a4.pdf", "revision-sheet-letter.pdf"]


def test_sheet_command_one_paper_and_a_selection(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    catalog = make_catalog(6)
    result = cli("sheet", "--catalog", catalog, "--out", out, "--paper", "a4", "--category", "Computer Vision")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["revision-sheet-a4.pdf"]
    flat = _flat(" ".join(p.extract_text() for p in PdfReader(out / "revision-sheet-a4.pdf").pages))
    data = catalog_data(6)["cards"]
    for card in data:
        heading = f"{card['author']} {card['year']} — {card['title']}"
        assert (heading in flat) == (card["category"] == "Computer Vision"), heading
    assert "page 4 of 4" in flat


def test_over_full_sheet_fails_and_keeps_the_previous_one(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    ok = cli("sheet", "--catalog", make_catalog(3, name="small.toml"), "--out", out, "--paper", "letter")
    assert ok.exit_code == 0
    before = (out / "revision-sheet-letter.pdf").read_bytes()
    result = cli("sheet", "--catalog", make_catalog(320, name="huge.toml"), "--out", out, "--paper", "letter")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.search(r"needs? about \d+\.\d more pages at the 6 pt floor", result.stderr)
    for option in ("--tag", "--category", "--only", "--skip-mastered"):
        assert option in result.stderr
    assert (out / "revision-sheet-letter.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["revision-sheet-letter.pdf"]  # no temp files


def test_sheet_help_has_an_example(cli):
    result = cli("sheet", "--help")
    assert result.exit_code == 0
    assert "Example: cardpress sheet" in result.stdout
    for option in ("--paper", "--mono", "--catalog", "--out", "--tag", "--category", "--only", "--skip-mastered"):
        assert option in result.stdout


def test_bad_paper_is_refused(cli, make_catalog, tmp_path):
    result = cli("sheet", "--catalog", make_catalog(3), "--out", tmp_path, "--paper", "legal")
    assert result.exit_code != 0
    assert not list(tmp_path.glob("*.pdf"))


def test_build_runs_the_sheet_engine(shipped_catalog):
    from cardpress.cli import run_engines

    cat = load_catalog(shipped_catalog)
    names = [o.relpath for o in run_engines(cat, ["sheet"])]
    assert names == ["revision-sheet-letter.pdf", "revision-sheet-a4.pdf"]
