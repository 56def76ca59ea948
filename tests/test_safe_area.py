"""The safe area and the 6 pt floor, read back from the PDFs themselves.

The rules: no ink within 12 pt of any page edge (printers leave that strip blank), and no
text smaller than 6 pt, in every output of `build` and every variant of `deck` and
`calibrate`. An offset that would break the first is refused, naming its limit.
"""

from __future__ import annotations

import itertools
import math

import pytest

from conftest import catalog_data
from pdf_readback import HAVE_POPPLER, ink_margins, text_sizes

SAFE_EDGE = 12.0  # points, the rule
SMALLEST_TEXT = 6.0  # points, the rule
MM = 72 / 25.4

needs_poppler = pytest.mark.skipif(not HAVE_POPPLER, reason="needs poppler-utils (pdftoppm)")

LAYOUTS = ["index-3x5", "letter-4up", "a4-4up", "letter-3up"]
# Offsets inside every built-in layout's room; index-3x5's is the tightest (0.3 in safe margin).
OFFSETS = [None, "3mm,-3mm", "-3.2mm,3.2mm"]
VARIANTS = [(), ("--fronts-only", "--backs-only")]


def assert_safe(pdf):
    margins, sizes = ink_margins(pdf), text_sizes(pdf)
    assert min(margins) >= SAFE_EDGE, f"{pdf.name}: ink {min(margins):g} pt from the edge"
    assert sizes and min(sizes) >= SMALLEST_TEXT - 1e-6, f"{pdf.name}: text at {min(sizes):.2f} pt"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    import tomli_w

    root = tmp_path_factory.mktemp("safe")
    # Five cards fill more than one 4-up sheet, so a partial last sheet is in the matrix too.
    (root / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(5)).encode())
    return root / "cards.toml"


@needs_poppler
def test_every_built_output(cli, catalog, tmp_path):
    res = cli("build", "-c", catalog, "-o", tmp_path)
    assert res.exit_code == 0, res.output
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    # 3 decks, 2 calibration sheets, 2 revision sheets, a worksheet per card (5), the
    # combined worksheets.pdf and the facilitator's worksheets-answers.pdf.
    assert len(pdfs) == 3 + 2 + 2 + 5 + 1 + 1
    for pdf in pdfs:
        assert_safe(pdf)


@needs_poppler
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_deck_variant(cli, catalog, tmp_path, layout, flip):
    for i, (offset, variant) in enumerate(itertools.product(OFFSETS, VARIANTS)):
        out = tmp_path / str(i)
        args = ["deck", "-c", catalog, "-o", out, "-l", layout, "--flip", flip, *variant]
        res = cli(*args, *(["--back-offset", offset] if offset else []))
        assert res.exit_code == 0, res.output
        for pdf in out.glob("*.pdf"):
            assert_safe(pdf)


@needs_poppler
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_calibration_sheet(cli, tmp_path, layout, flip):
    for i, offset in enumerate(OFFSETS):
        out = tmp_path / str(i)
        res = cli("calibrate", "-o", out, "-l", layout, "--flip", flip, *(["--back-offset", offset] if offset else []))
        assert res.exit_code == 0, res.output
        (pdf,) = out.glob("*.pdf")
        assert_safe(pdf)


@needs_poppler
@pytest.mark.parametrize("extra", [[], ["--paper", "a4"], ["--answers"], ["--template", "three-pass"]])
def test_worksheet_variants(cli, catalog, tmp_path, extra):
    res = cli("worksheets", "-c", catalog, "-o", tmp_path, *extra)
    assert res.exit_code == 0, res.output
    for pdf in tmp_path.rglob("*.pdf"):
        assert_safe(pdf)


@needs_poppler
def test_sheet_mono(cli, catalog, tmp_path):
    assert cli("sheet", "-c", catalog, "-o", tmp_path, "--mono").exit_code == 0
    for pdf in tmp_path.glob("*.pdf"):
        assert_safe(pdf)


# ---------------------------------------------------------------- the offset limit, from the layout's numbers


def index_3x5_room() -> float:
    """index-3x5: the card is the 5x3 in page, its text inset by 0.3 in; backs may move until
    that inset is down to the safe edge, with half a point in hand for hairlines and glyph
    overshoot (3.2 mm)."""
    return 0.3 * 72 - SAFE_EDGE - 0.5


@pytest.mark.parametrize("command", ["deck", "calibrate"])
@pytest.mark.parametrize("offset", ["5mm,5mm", "0mm,-3.5mm", "-4mm,0mm"])
def test_offset_past_the_safe_edge_is_refused(cli, catalog, tmp_path, command, offset):
    args = [command, "-o", tmp_path, "-l", "index-3x5", "--back-offset", offset]
    res = cli(*args, *(["-c", catalog] if command == "deck" else []))
    assert res.exit_code == 1
    message = " ".join(res.output.split())
    assert f"--back-offset {offset}: at most {index_3x5_room() / MM:.1f} mm on this layout" in message
    assert "Traceback" not in res.output and not list(tmp_path.glob("*.pdf"))


def test_offset_at_the_limit_is_accepted(cli, catalog, tmp_path):
    limit_mm = index_3x5_room() / MM
    offset = f"{limit_mm - 0.01:.2f}mm,-{limit_mm - 0.01:.2f}mm"
    assert cli("deck", "-c", catalog, "-o", tmp_path, "-l", "index-3x5", "--back-offset", offset).exit_code == 0


def test_a_large_layout_margin_allows_more(cli, catalog, tmp_path):
    # letter-4up: the cards' text starts 0.5 in + 0.18 in from the side, far beyond 3 mm of drift.
    res = cli("deck", "-c", catalog, "-o", tmp_path, "-l", "letter-4up", "--back-offset", "8mm,-8mm")
    assert res.exit_code == 0, res.output


def test_layout_file_with_text_at_the_edge_is_refused(cli, catalog, tmp_path):
    from cardpress.deck.layout_spec import LAYOUT_DIR

    text = (LAYOUT_DIR / "index-3x5.toml").read_text()
    text = text.replace('safe = "0.3in"', 'safe = "0.1in"')  # 7.2 pt from the page edge
    layout = tmp_path / "my-3x5.toml"
    layout.write_text(text)
    res = cli("deck", "-c", catalog, "-o", tmp_path / "out", "-l", layout)
    assert res.exit_code == 1
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("safe ="))
    assert f"{layout}:{line}:" in res.output and "card.safe" in res.output and "7.2 pt" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()


def test_calibration_marks_reaching_the_blank_strip_are_refused():
    from cardpress.deck.calibrate import check_reach
    from cardpress.deck.layout_spec import load_layout
    from cardpress.errors import CardpressError
    from cardpress.pdf.page import Rule

    layout = load_layout("index-3x5")
    check_reach(layout, {"front": [Rule(SAFE_EDGE, 50, 100, 50)]})  # exactly at the edge of the strip: fine
    with pytest.raises(CardpressError, match="11.5 pt from the sheet's edge"):
        check_reach(layout, {"back": [Rule(50, 20, 50, layout.sheet_h - SAFE_EDGE + 0.5)]})


def test_layout_file_with_type_below_6_pt_is_refused(cli, catalog, tmp_path):
    from cardpress.deck.layout_spec import LAYOUT_DIR

    text = (LAYOUT_DIR / "letter-4up.toml").read_text().replace('body = ["11pt", "6pt"]', 'body = ["11pt", "5.5pt"]')
    layout = tmp_path / "small-type.toml"
    layout.write_text(text)
    res = cli("deck", "-c", catalog, "-o", tmp_path / "out", "-l", layout)
    assert res.exit_code == 1
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("body ="))
    assert f"{layout}:{line}:" in res.output and "at least 6 pt" in res.output


# ---------------------------------------------------------------- every mark counts, at the extremes


def _expected_side_room(layout: str, axis: str) -> float:
    """The largest DX (axis "x") or DY-down (axis "y") from the layout file's numbers alone:
    the cards' text (the grid's margin plus the safe inset) and, where the layout has cut
    marks, the marks on the block's outer cut lines (the margin less half their 0.35 pt
    width) must stay 12.5 pt (12 pt plus the half point kept in hand) from the edge."""
    import tomllib

    from cardpress.deck.layout_spec import LAYOUT_DIR

    spec = tomllib.loads((LAYOUT_DIR / f"{layout}.toml").read_text())
    inch = 72.0
    if "paper" in spec["sheet"]:
        w, h = {"letter": (8.5 * inch, 11 * inch), "a4": (210 * MM, 297 * MM)}[spec["sheet"]["paper"]]
        if spec["sheet"].get("orientation") == "landscape":
            w, h = h, w
    else:
        w, h = (float(spec["sheet"][k].removesuffix("in")) * inch for k in ("width", "height"))
    card_w, card_h = (float(spec["card"][k].removesuffix("in")) * inch for k in ("width", "height"))
    safe = float(spec["card"]["safe"].removesuffix("in")) * inch
    cols, rows = spec["grid"]["columns"], spec["grid"]["rows"]
    if axis == "x":
        margin = (float(spec["grid"]["left"].removesuffix("in")) * inch if "left" in spec["grid"]
                  else (w - cols * card_w) / 2)
        far = w - margin - cols * card_w
    else:
        top = float(spec["grid"]["top"].removesuffix("in")) * inch if "top" in spec["grid"] else (h - rows * card_h) / 2
        margin = h - top - rows * card_h  # the bottom margin: moving down shrinks it
        far = margin
    margin = min(margin, far)
    room = margin + safe - 12.5
    if spec["marks"].get("cut", True):
        room = min(room, margin - 0.35 / 2 - 12.5)
    return min(room, 10 * MM)


def _limits(cli, layout, flip, tmp_path) -> dict[str, float]:
    """The limits each way, as the refusal of a 10 mm offset states them (10 mm if accepted)."""
    import re

    out = {}
    for way, offset in (("right", "10mm,0mm"), ("left", "-10mm,0mm"), ("up", "0mm,10mm"), ("down", "0mm,-10mm")):
        res = cli("calibrate", "-o", tmp_path / "probe", "-l", layout, "--flip", flip, "--back-offset", offset)
        if res.exit_code == 0:
            out[way] = 10.0
            continue
        message = " ".join(res.output.split())
        assert res.exit_code == 1 and "Traceback" not in res.output
        found = re.search(r"at most (\d+\.\d) mm on this layout \(" + re.escape(layout) + r", D[XY] " + way
                          + f", flip on {flip} edge\\)", message)
        assert found, message
        assert "This layout and flip allow DX from" in message
        out[way] = float(found.group(1))
    return out


@needs_poppler
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_offset_extremes_keep_every_mark_off_the_strip(cli, catalog, tmp_path, layout, flip):
    lim = _limits(cli, layout, flip, tmp_path)
    # The sides and the bottom follow from the layout's numbers; the top is the instruction
    # line's, checked below by building at it.
    assert lim["right"] == lim["left"] == pytest.approx(math.floor(_expected_side_room(layout, "x") / MM * 10) / 10)
    assert lim["down"] == pytest.approx(math.floor(_expected_side_room(layout, "y") / MM * 10) / 10)
    for i, (sx, sy) in enumerate(((1, 1), (-1, -1), (1, -1), (-1, 1))):
        dx = lim["right"] if sx > 0 else lim["left"]
        dy = lim["up"] if sy > 0 else lim["down"]
        at = f"{sx * dx:.1f}mm,{sy * dy:.1f}mm"
        for j, (command, extra) in enumerate((("deck", ()), ("deck", ("--fronts-only", "--backs-only")),
                                              ("calibrate", ()))):
            out = tmp_path / f"at{i}-{j}"
            res = cli(command, "-o", out, "-l", layout, "--flip", flip, "--back-offset", at, *extra,
                      *(["-c", catalog] if command == "deck" else []))
            assert res.exit_code == 0, (at, res.output)
            for pdf in out.glob("*.pdf"):
                assert_safe(pdf)
        # One step (0.1 mm) past each limit that is the layout's (not the 10 mm cap) is refused.
        for past in (f"{sx * (dx + 0.1):.1f}mm,{sy * dy:.1f}mm", f"{sx * dx:.1f}mm,{sy * (dy + 0.1):.1f}mm"):
            out = tmp_path / f"past{i}"
            for command in ("deck", "calibrate"):
                res = cli(command, "-o", out, "-l", layout, "--flip", flip, "--back-offset", past,
                          *(["-c", catalog] if command == "deck" else []))
                assert res.exit_code == 1, (past, res.output)
                assert "Traceback" not in res.output and not out.exists()
