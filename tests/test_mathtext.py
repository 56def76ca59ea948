r"""Inline math: `\(...\)` runs, formula checks, mathtext layout, its caches, a demo painter.

Expected values come from the rules themselves (TeX spacing in ems, our fonts' advance
widths measured by reportlab, where a numerator sits relative to a fraction bar), never
from the code under test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from cardpress.typeset import fonts
from cardpress.typeset import mathtext as m

TOL = 0.02  # pt: mathtext rounds its box to 1/100 pt at our layout resolution

ATTENTION = r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V"
CHINCHILLA = r"L(N, D) = E + \frac{A}{N^{0.34}} + \frac{B}{D^{0.28}}"
DPO = (
    r"L_{\mathrm{DPO}} = -\log\sigma\left(\beta\log\frac{\pi_\theta(y_w|x)}{\pi_{\mathrm{ref}}(y_w|x)}"
    r" - \beta\log\frac{\pi_\theta(y_l|x)}{\pi_{\mathrm{ref}}(y_l|x)}\right)"
)


@pytest.fixture(autouse=True)
def fresh_caches(tmp_path, monkeypatch):
    """Each test starts with empty caches and never touches the user's cache directory; the
    shipped formula store is off, so a formula is laid out (or read from that cache)."""
    from cardpress.typeset import mathstore

    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(tmp_path / "math-cache"))
    monkeypatch.setattr(mathstore, "enabled", False)
    m._memory.clear()
    yield
    m._memory.clear()


# ---------------------------------------------------------------------------- split_runs


def test_split_runs_plain_text_is_one_run():
    assert m.split_runs("Attention is all you need.") == [(False, "Attention is all you need.")]


def test_split_runs_dollar_is_always_literal():
    text = r"costs ~$4.6M, not $x$; \(\beta\) is math"
    assert m.split_runs(text) == [
        (False, "costs ~$4.6M, not $x$; "),
        (True, r"\beta"),
        (False, " is math"),
    ]


def test_split_runs_several_formulas_and_edges():
    assert m.split_runs(r"\(a\) and \(b^2\)") == [(True, "a"), (False, " and "), (True, "b^2")]


@pytest.mark.parametrize(
    "text, words",
    [
        (r"see \(x^2 and more", "never closed"),
        (r"a \) b", "stray"),
        (r"\(a \(b\)", "inside the formula"),
        (r"x \(\) y", "empty formula"),
        (r"x \(  \) y", "empty formula"),
    ],
)
def test_split_runs_rejects_bad_delimiters(text, words):
    with pytest.raises(m.MathError, match=words):
        m.split_runs(text)


# ---------------------------------------------------------------------------- check


@pytest.mark.parametrize(
    "tex, words",
    [
        (r"\frac{a}", r"\\frac at character 1 needs an argument"),
        (r"\foo x", r"unknown command \\foo"),
        (r"\sqrt{d_k", "unbalanced braces"),
        (r"a}", "unbalanced braces"),
        (r"x^", "'\\^' at character 2 has nothing to attach"),
        (r"a $ b", "dollar"),
        (r"x + \boxed{y}", r"\\boxed at character 5; write the formula without a box"),
    ],
)
def test_check_reports_malformed_formulas(tex, words):
    problem = m.check(tex)
    assert problem is not None
    assert "\n" not in problem and "Traceback" not in problem
    import re

    assert re.search(words, problem), problem


@pytest.mark.parametrize("tex", [ATTENTION, CHINCHILLA, DPO, r"r \ll \min(d, k)", r"\$4.6M"])
def test_check_accepts_the_catalog_formulas(tex):
    assert m.check(tex) is None


def test_formula_problems_name_the_formula():
    problems = m.formula_problems(r"loss \(\frac{a}\) and \(\beta\) and \(\nope\)")
    assert len(problems) == 2
    assert problems[0].startswith(r"formula \(\frac{a}\):")
    assert r"unknown command \nope" in problems[1]
    assert m.formula_problems("plain ~$4.6M") == []
    assert m.formula_problems(r"half \(open") == [r"\( at character 6 is never closed with \)"]


def test_text_without_formulas_never_imports_matplotlib(tmp_path):
    code = (
        "import sys; from cardpress.typeset import mathtext as m\n"
        "assert m.formula_problems('~$4.6M and r << min(d, k)') == []\n"
        "assert m.split_runs('$5') == [(False, '$5')]\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- layout


def registered() -> set[str]:
    fonts.register()
    return set(pdfmetrics.getRegisteredFontNames())


def test_plain_letter_sits_on_the_baseline_in_oblique():
    box = m.layout("x", 10)
    (g,) = box.glyphs
    assert (g.font_name, g.char, g.size) == (fonts.SANS_OBLIQUE, "x", 10)
    assert g.x == pytest.approx(0, abs=TOL) and g.y == pytest.approx(0, abs=TOL)
    assert box.width == pytest.approx(stringWidth("x", fonts.SANS_OBLIQUE, 10), abs=TOL)
    assert box.rules == ()


def test_superscript_is_raised_and_smaller_subscript_lowered():
    sup = m.layout("x^2", 10).glyphs
    sub = m.layout("a_i", 10).glyphs
    assert [g.char for g in sup] == ["x", "2"]
    assert sup[1].y > 2 and sup[1].size < 10
    # the exponent starts after the base's advance width
    assert sup[1].x >= stringWidth("x", fonts.SANS_OBLIQUE, 10) - TOL
    assert sub[1].char == "i" and sub[1].y < 0 and sub[1].size < 10


def test_fraction_numerator_above_bar_denominator_below():
    box = m.layout(r"\frac{a}{b}", 10)
    a, b = box.glyphs
    (bar,) = box.rules
    bx, by, bw, bh = bar
    assert a.y > by + bh  # numerator baseline above the bar
    assert b.y < 0 < by  # denominator below the baseline, the bar on the math axis above it
    for g in (a, b):  # both centred over the bar
        mid = g.x + stringWidth(g.char, g.font_name, g.size) / 2
        assert mid == pytest.approx(bx + bw / 2, abs=0.5)


@pytest.mark.parametrize("tex", [r"\frac{QK^\top}{\sqrt{d_k}}", r"\frac{A}{N^{0.34}}"])
def test_a_fraction_is_taller_than_a_text_line(tex):
    # a 10 pt text line with the usual 1.2 leading is 12 pt; these must push it
    box = m.layout(tex, 10)
    assert box.ascent + box.descent > 10 * 1.2
    plain = m.layout("QK", 10)
    assert box.ascent > plain.ascent and box.descent > plain.descent


def test_sqrt_has_a_radical_glyph_and_an_overbar_in_embedded_fonts():
    for tex in (r"\sqrt{x}", r"\sqrt{d_k}", r"\sqrt{\frac{a}{b}}"):
        box = m.layout(tex, 10)
        radicals = [g for g in box.glyphs if g.char == "\u221a"]
        assert len(radicals) == 1, tex
        assert radicals[0].font_name in registered()
        overbar = max(box.rules, key=lambda r: r[1])  # the highest rule (a fraction bar is lower)
        assert overbar[0] > radicals[0].x and overbar[1] > 0


def test_greek_operators_and_functions_map_to_their_characters():
    box = m.layout(r"\alpha\beta\sigma\pi\theta \top \ll \approx \propto \sum \log \exp \min", 10)
    text = box.text
    for ch in "αβσπθ⊤≪≈∝∑":
        assert ch in text
    for word in ("log", "exp", "min"):
        assert word in text
    upright = {g.char for g in box.glyphs if g.font_name == fonts.SANS}
    assert set("logexpmin") <= upright  # operator names are set upright


def test_mathrm_is_upright_with_our_advance_widths():
    box = m.layout(r"\mathrm{softmax}", 10)
    assert box.text == "softmax"
    assert {g.font_name for g in box.glyphs} == {fonts.SANS}
    # DejaVu kerns a few pairs (f-t), so compare the total, not every step
    assert box.width == pytest.approx(stringWidth("softmax", fonts.SANS, 10), abs=0.5)


@pytest.mark.parametrize("space, ems", [(r"\,", 3 / 18), (r"\;", 5 / 18), (r"\quad", 1), (r"\qquad", 2)])
def test_spacing_commands_are_fractions_of_an_em(space, ems):
    # mathtext's em is the advance of 'm' in the default (italic) math font
    em = stringWidth("m", fonts.SANS_OBLIQUE, 10)
    tight = m.layout("ab", 10).width
    spaced = m.layout(f"a{space} b", 10).width
    assert spaced - tight == pytest.approx(ems * em, abs=0.05)


def test_width_grows_with_content_and_scales_with_size():
    assert m.layout("a+b+c", 10).width > m.layout("a+b", 10).width
    small, big = m.layout(CHINCHILLA, 10), m.layout(CHINCHILLA, 20)
    assert big.width == pytest.approx(2 * small.width, rel=0.02)
    assert big.ascent == pytest.approx(2 * small.ascent, rel=0.05)


@pytest.mark.parametrize("tex", [ATTENTION, CHINCHILLA, DPO, r"\sum_i x_i", r"\mathtt{code}"])
def test_every_glyph_is_real_text_in_a_registered_font(tex):
    box = m.layout(tex, 9)
    names = registered()
    for g in box.glyphs:
        assert g.font_name in names
        assert ord(g.char) in pdfmetrics.getFont(g.font_name).face.charToGlyph, g
    assert box.width > 0 and box.ascent > 0 and box.descent >= 0


def test_every_glyph_stays_inside_the_reported_width():
    for tex in (ATTENTION, CHINCHILLA, DPO):
        box = m.layout(tex, 10)
        for g in box.glyphs:
            assert -TOL <= g.x <= box.width
        for x, y, w, h in box.rules:
            assert -TOL <= x and x + w <= box.width + TOL
            assert -box.descent - TOL <= y and y + h <= box.ascent + TOL


def test_boxes_are_frozen():
    box = m.layout("x", 10)
    with pytest.raises(AttributeError):
        box.width = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        box.glyphs[0].x = 3  # type: ignore[misc]


# ---------------------------------------------------------------------------- caches


def test_memory_cache_returns_the_same_box():
    assert m.layout(CHINCHILLA, 10) is m.layout(CHINCHILLA, 10)
    assert m.layout(CHINCHILLA, 10) is not m.layout(CHINCHILLA, 11)


def test_disk_cache_round_trips_exactly(tmp_path):
    fresh = m.layout(DPO, 10)
    files = list((tmp_path / "math-cache").glob("*.json"))
    assert len(files) == 1
    m._memory.clear()
    again = m.layout(DPO, 10)
    assert again == fresh and again is not fresh


def test_corrupt_or_foreign_cache_entries_are_ignored(tmp_path):
    fresh = m.layout(CHINCHILLA, 10)
    (path,) = (tmp_path / "math-cache").glob("*.json")
    for junk in ("{not json", json.dumps({"key": ["other", 10.0, "dejavusans"]}), "[]", ""):
        path.write_text(junk, encoding="utf-8")
        m._memory.clear()
        assert m.layout(CHINCHILLA, 10) == fresh
    # rewritten (after the header line that carries its checksum)
    assert json.loads(path.read_bytes().partition(b"\n")[2])["key"][0] == CHINCHILLA


def test_disk_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", "")
    m.layout("x^2", 10)
    assert not (tmp_path / "math-cache").exists()


def test_unwritable_cache_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(blocker / "sub"))
    assert m.layout("x^2", 10).text == "x2"


def test_warm_disk_cache_skips_matplotlib(tmp_path):
    env = dict(os.environ, CARDPRESS_CACHE_DIR=str(tmp_path / "shared"))
    code = (
        "import sys; from cardpress.typeset import mathtext as m, mathstore\n"
        "mathstore.enabled = False\n"  # what the disk cache alone does
        f"box = m.layout({CHINCHILLA!r}, 10.0)\n"
        "print('matplotlib' in sys.modules, box.width)\n"
    )
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    cold, warm = run(), run()
    assert cold[0] == "True" and warm[0] == "False"
    assert cold[1] == warm[1]


# ---------------------------------------------------------------------------- demo painter


def demo_pdf(path: Path) -> None:
    """A page of formulas drawn by the painter's Formula records, each on its own baseline."""
    from cardpress.pdf.page import Formula
    from cardpress.pdf.paint import Painter

    fonts.register()
    c = Canvas(str(path), pagesize=(400, 200), invariant=1)
    painter = Painter(c)
    y = 170.0
    for tex in (ATTENTION, CHINCHILLA, DPO, r"r \ll \min(d, k)"):
        box = m.layout(tex, 11)
        painter.record(Formula(20, y, box))
        y -= box.ascent + box.descent + 12
    c.showPage()
    c.save()


def test_demo_painter_is_byte_identical(tmp_path):
    demo_pdf(tmp_path / "a.pdf")
    m._memory.clear()  # the second run reads the disk cache: same bytes either way
    demo_pdf(tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_demo_pdf_is_searchable_text(tmp_path):
    demo_pdf(tmp_path / "demo.pdf")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "demo.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Each formula copies and searches as its TeX, delimiters included (/ActualText).
    for tex in (ATTENTION, CHINCHILLA, DPO, r"r \ll \min(d, k)"):
        assert "\\(" + tex + "\\)" in text, tex


def test_ink_stays_inside_ascent_and_descent():
    # The fitting engine leads lines by ascent + descent; ink outside would overlap a
    # neighbour. Glyph outlines are read from our font files with fontTools, not mathtext.
    ttlib = pytest.importorskip("fontTools.ttLib")
    from fontTools.pens.boundsPen import BoundsPen

    faces: dict[str, object] = {}
    for tex in (ATTENTION, CHINCHILLA, DPO, r"\sum_i x_i^2", r"\sqrt{\frac{a}{b}}"):
        box = m.layout(tex, 10)
        for g in box.glyphs:
            face = faces.setdefault(g.font_name, ttlib.TTFont(str(fonts.FONT_DIR / f"{g.font_name}.ttf")))
            glyphs = face.getGlyphSet()
            pen = BoundsPen(glyphs)
            glyphs[face.getBestCmap()[ord(g.char)]].draw(pen)
            if pen.bounds is None:
                continue
            scale = g.size / face["head"].unitsPerEm
            assert g.y + pen.bounds[3] * scale <= box.ascent + TOL, (tex, g)
            assert g.y + pen.bounds[1] * scale >= -box.descent - TOL, (tex, g)


def test_matplotlib_measures_with_the_same_advances_we_draw_with():
    # mathtext measures with matplotlib's own copies of the fonts (DejaVu 2.35 in
    # matplotlib 3.11) while we embed ours (2.37); positions are only right if every
    # advance width matches. Compared straight from the two sets of font files.
    ttlib = pytest.importorskip("fontTools.ttLib")
    import matplotlib

    theirs = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    for name in sorted(set(m._FONT_NAMES.values())):
        ours_f = ttlib.TTFont(str(fonts.FONT_DIR / f"{name}.ttf"))
        their_f = ttlib.TTFont(str(theirs / f"{name}.ttf"))
        ours_map, their_map = ours_f.getBestCmap(), their_f.getBestCmap()
        upm_ours, upm_theirs = ours_f["head"].unitsPerEm, their_f["head"].unitsPerEm
        common = set(ours_map) & set(their_map)
        assert len(common) > 0.9 * len(their_map), name
        for cp in common:
            a = ours_f["hmtx"][ours_map[cp]][0] * upm_theirs
            b = their_f["hmtx"][their_map[cp]][0] * upm_ours
            assert a == b, (name, hex(cp))


@pytest.mark.parametrize("text, shown", [
    (r"rank \(r \ll \min(d, k)\) into", "rank r ≪ min(d, k) into"),
    (r"\(\beta\) (typically 0.1-0.5)", "β (typically 0.1-0.5)"),
    (r"\(L(N, D) = E + \dfrac{A}{N^{0.34}} + \dfrac{B}{D^{0.28}}\)", "L(N, D) = E + A/N^0.34 + B/D^0.28"),
    (r"\(\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V\)", "softmax(QK^⊤/√d_k)V"),
    (r"\(-\log\sigma(\beta\log x)\)", "-log σ(β log x)"),
    ("costs ~$4.6M", "costs ~$4.6M"),
])
def test_plain_spells_formulas_for_a_terminal(text, shown):
    # Written out by hand from how each formula reads; the drill shows these in a terminal.
    assert m.plain(text) == shown


def test_the_cache_key_names_the_installed_matplotlib():
    # Read from the dist-info directly (importlib.metadata costs a small deck ~15 ms of imports);
    # it must be the version the packaging metadata gives.
    from importlib.metadata import version

    m._mpl_version.cache_clear()
    assert m._mpl_version() == version("matplotlib")
