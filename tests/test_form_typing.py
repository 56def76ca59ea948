"""Typing any character into a worksheet: fill fields with pypdf, PyMuPDF and `cardpress fill`,
render with poppler, MuPDF and Ghostscript, and find each typed text drawn as itself.

"As itself": the ink a filled field gains has the size of the same text drawn in DejaVu
Sans at the field's 11 pt by reportlab straight onto a page and rendered by the same
renderer. A `?` (what Helvetica's encoding made of β, ≈, → and √) or a dropped glyph
has another width or height. Nothing here asks cardpress how it drew anything.

PyMuPDF's widget API draws fields in its own fonts, not the one the field names: Helvetica
(with a Greek variant) when it judges the text fits those, else a font it embeds itself.
It judges ≈ and √ alone wrongly (both become `·`), so for it the issue's whole string is
checked, in one field, which it draws in its embedded font.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import SHIPPED_CATALOG
from pdf_readback import _pgm

DPI = 100
PX = DPI / 72
SIZE = 11.0  # the worksheet's typed-answer size (its fields' /DA says so; checked below)
# The string, one piece per field so each is measured on its own.
WHOLE = "β ≈ → √ ÄÉ π_ref"
TYPED = {"claim.1": "β", "claim.2": "≈", "equation.1": "→", "equation.2": "√", "followup-1.1": "ÄÉ",
         "followup-1.2": "π_ref", "ablation.1": WHOLE}
RENDERERS = [r for r, tool in (("poppler", "pdftoppm"), ("mupdf", "mutool"), ("ghostscript", "gs"))
             if shutil.which(tool)]

pytestmark = pytest.mark.skipif(len(RENDERERS) < 3, reason="needs pdftoppm, mutool and gs")


def render(pdf: Path, page: int, renderer: str, out: Path) -> tuple[int, int, bytes]:
    """Page `page` (1-based) as an 8-bit grey image at DPI."""
    pgm = out.with_suffix(".pgm")
    if renderer == "poppler":
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(out)], check=True)
    elif renderer == "mupdf":
        subprocess.run(["mutool", "draw", "-q", "-r", str(DPI), "-c", "gray", "-o", str(pgm), str(pdf), str(page)],
                       check=True, capture_output=True)
    else:
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pgmraw", f"-r{DPI}", f"-dFirstPage={page}",
                        f"-dLastPage={page}", f"-sOutputFile={pgm}", str(pdf)], check=True, capture_output=True)
    return _pgm(pgm)


def ink_box(img, region, base=None) -> tuple[int, int] | None:
    """Width and height in pixels of the ink in region (x0, y0, x1, y1 pixels), or of the ink
    that is new against `base` (the same page rendered empty)."""
    w, h, px = img
    x0, y0, x1, y1 = region
    rows, cols = [], []
    for y in range(max(0, y0), min(h, y1)):
        for x in range(max(0, x0), min(w, x1)):
            v = px[y * w + x]
            if (base is None and v < 160) or (base is not None and v < base[2][y * w + x] - 60):
                rows.append(y)
                cols.append(x)
    return (max(cols) - min(cols) + 1, max(rows) - min(rows) + 1) if rows else None


@pytest.fixture(scope="module")
def worksheet(tmp_path_factory) -> Path:
    from cardpress.catalog import load_catalog
    from cardpress.worksheets import render_worksheets

    cat = load_catalog(SHIPPED_CATALOG)
    out = next(o for o in render_worksheets(cat, cards=(cat.card("vaswani-2017-attention"),), combined=False))
    path = tmp_path_factory.mktemp("typing") / "worksheet.pdf"
    path.write_bytes(out.data)
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """Each typed text drawn plainly in DejaVu Sans at SIZE, one per line, on a Letter page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    import cardpress

    pdfmetrics.registerFont(TTFont("RefSans", str(Path(cardpress.__file__).parent / "fonts" / "DejaVuSans.ttf")))
    path = tmp_path_factory.mktemp("typing-ref") / "reference.pdf"
    c = Canvas(str(path), pagesize=(612, 792))
    c.setFont("RefSans", SIZE)
    for i, text in enumerate(TYPED.values()):
        c.drawString(72, 700 - 40 * i, text)
    c.showPage()
    c.save()
    return path


def reference_boxes(reference: Path, renderer: str, tmp: Path) -> dict[str, tuple[int, int]]:
    img = render(reference, 1, renderer, tmp / f"ref-{renderer}")
    out = {}
    for i, name in enumerate(TYPED):
        baseline = (792 - (700 - 40 * i)) * PX
        out[name] = ink_box(img, (int(60 * PX), int(baseline - 20 * PX), int(300 * PX), int(baseline + 10 * PX)))
    return out


def fill_pypdf(src: Path, dst: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.update_page_form_field_values(writer.pages[1], TYPED, auto_regenerate=True)
    writer.write(str(dst))


def fill_pymupdf(src: Path, dst: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open(str(src))
    for widget in doc[1].widgets():
        if widget.field_name in TYPED:
            widget.field_value = TYPED[widget.field_name]
            widget.update()
    doc.save(str(dst))


def fill_cardpress(src: Path, dst: Path) -> None:
    from typer.testing import CliRunner

    from cardpress.cli import app

    res = CliRunner().invoke(app, ["fill", str(src), "-o", str(dst), *(f"{k}={v}" for k, v in TYPED.items())])
    assert res.exit_code == 0, res.output


FILLERS = {"pypdf": fill_pypdf, "pymupdf": fill_pymupdf, "cardpress": fill_cardpress}


def field_rects(pdf: Path) -> dict[str, list[float]]:
    from cardpress.worksheets.fill import fields_of

    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    return {name: [float(v) for v in f["/Rect"]] for name, f in fields_of(writer).items() if name in TYPED}


def test_the_fields_name_the_embedded_font_at_the_typed_size(worksheet):
    from cardpress.worksheets.fill import fields_of

    fields = fields_of(PdfWriter(clone_from=PdfReader(str(worksheet))))
    for name in TYPED:
        font, size = str(fields[name]["/DA"]).split()[:2]
        assert (font, float(size)) == ("/CPF", SIZE)


CHECKED = {"pypdf": list(TYPED), "cardpress": list(TYPED), "pymupdf": ["ablation.1"]}


@pytest.mark.parametrize("filler", sorted(FILLERS))
def test_typed_characters_render_as_themselves(worksheet, reference, tmp_path, filler):
    filled = tmp_path / f"{filler}.pdf"
    FILLERS[filler](worksheet, filled)
    rects = field_rects(worksheet)
    for renderer in RENDERERS:
        empty = render(worksheet, 2, renderer, tmp_path / f"empty-{renderer}")
        typed = render(filled, 2, renderer, tmp_path / f"filled-{renderer}")
        expected = reference_boxes(reference, renderer, tmp_path)
        for name in CHECKED[filler]:
            text = TYPED[name]
            x0, y0, x1, y1 = rects[name]
            region = (int(x0 * PX), int((792 - y1 - 2) * PX), int(x1 * PX), int((792 - y0 + 2) * PX))
            got = ink_box(typed, region, base=empty)
            assert got is not None, f"{filler}, {renderer}: nothing drawn for {text!r} in {name}"
            want = expected[name]
            # Within 2 px (1.4 pt) each way: a `?` or another font's glyph differs by more.
            # PyMuPDF's own font is narrower than DejaVu Sans: its whole line within 12 %.
            slack = 2 if filler != "pymupdf" else max(2, round(0.12 * want[0]))
            assert abs(got[0] - want[0]) <= slack and abs(got[1] - want[1]) <= 2, \
                f"{filler}, {renderer}: {text!r} in {name} drawn {got} px, DejaVu Sans {SIZE:g} pt is {want} px"


def _gs_messages(pdf: Path) -> str:
    res = subprocess.run(["gs", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(pdf)], capture_output=True, text=True)
    noise = ("GPL Ghostscript", "Copyright", "This software", "see the file", "Processing pages", "Page ",
             "Loading font")
    return "\n".join(ln for ln in (res.stdout + res.stderr).splitlines()
                     if ln.strip() and not ln.startswith(noise))


def test_ghostscript_is_silent_on_the_worksheet_and_on_a_filled_copy(worksheet, tmp_path):
    filled = tmp_path / "filled.pdf"
    fill_cardpress(worksheet, filled)
    for pdf in (worksheet, filled):
        assert _gs_messages(pdf) == "", pdf.name


def test_cardpress_fill_ticks_boxes_and_keeps_the_worksheet(worksheet, tmp_path):
    from cardpress.worksheets.fill import fields_of

    before = worksheet.read_bytes()
    filled = tmp_path / "filled.pdf"
    from typer.testing import CliRunner

    from cardpress.cli import app

    res = CliRunner().invoke(app, ["fill", str(worksheet), "-o", str(filled), "name=Ada", "phase-1=yes"])
    assert res.exit_code == 0, res.output
    assert worksheet.read_bytes() == before
    fields = fields_of(PdfWriter(clone_from=PdfReader(str(filled))))
    assert fields["name"]["/V"] == "Ada"
    assert fields["phase-1"]["/V"] == fields["phase-1"]["/AS"] == "/Yes"
    # The tick is drawn from the box's own "Yes" appearance, not blacked out: in Ghostscript
    # a ticked box has ink on under half its area.
    x0, y0, x1, y1 = (float(v) for v in fields["phase-1"]["/Rect"])
    img = render(filled, 1, "ghostscript", tmp_path / "gs-tick")
    w, _, px = img
    cells = [px[y * w + x] for y in range(int((792 - y1) * PX) + 1, int((792 - y0) * PX) - 1)
             for x in range(int(x0 * PX) + 1, int(x1 * PX) - 1)]
    dark = sum(v < 128 for v in cells) / len(cells)
    assert 0.05 < dark < 0.5


@pytest.mark.parametrize("args, message", [
    (["nope=1"], "no field `nope`"),
    (["claim.1=✓"], "the field font has no ✓"),
    (["phase-1=maybe"], "a tick box takes yes or no"),
    (["claim.1"], "write NAME=VALUE"),
    (["claim.1=" + "m" * 120], "split it over this field and the next line's"),
])
def test_cardpress_fill_refuses_with_one_clear_line(cli, worksheet, tmp_path, args, message):
    res = cli("fill", worksheet, "-o", tmp_path / "out.pdf", *args)
    assert res.exit_code == 1 and message in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out.pdf").exists()


def test_cardpress_fill_refuses_what_is_not_a_worksheet(cli, tmp_path):
    (tmp_path / "notes.pdf").write_text("hello")
    for path, message in ((tmp_path, "is a folder"), (tmp_path / "notes.pdf", "not a PDF file"),
                          (tmp_path / "gone.pdf", "no such file")):
        res = cli("fill", path, "a=b", "-o", tmp_path / "out.pdf")
        assert res.exit_code == 1 and message in res.output and "Traceback" not in res.output
