r"""Formulas (`\(...\)`) through validation, the fitting engine and the engines; the backs'
figure rules (issue 10). Geometry is read back from page-model records, expected values are
computed from the rules, never by calling the code under test for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from cardpress.typeset import fonts
from cardpress.catalog import load_catalog
from cardpress.catalog.model import Number
from cardpress.deck.faces import LEADING, FaceLayout
from cardpress.deck.layout_spec import load_layout
from cardpress.pdf.page import Formula, Group, Text, TextLine
from cardpress.typeset.textfit import layout_at, wrap
from conftest import SHIPPED_CATALOG, catalog_data
from test_deck_faces import CAT, card  # one test card for the deck and the math tests

TALL = r"\(\dfrac{\sqrt{d_k}}{\sum_i x_i^2}\)"
EPS = 1e-6


def pushed(past: float, size: float) -> float:
    """What a formula adds to the leading on one side: what it reaches past the line's own
    room, plus TeX's lineskip (0.1 em) when it reaches past at all."""
    return past + 0.1 * size if past > 0 else 0.0
# DejaVu Sans's ascent and descent per em: where a plain line's ink can reach.
ASCENT, DESCENT = 0.928, 0.236


def flat(records):
    for r in records:
        if isinstance(r, Group):
            yield from flat(r.records)
        elif isinstance(r, Text):
            yield from r.lines
        else:
            yield r


def ink(r) -> tuple[float, float]:
    """(bottom, top) of a record's ink: a formula's box, or a text line's font extent."""
    if isinstance(r, Formula):
        return r.baseline - r.box.descent, r.baseline + r.box.ascent
    return r.baseline - DESCENT * r.size, r.baseline + ASCENT * r.size


# ------------------------------------------------------------------ leading


def test_a_tall_formula_pushes_its_lines_leading_and_nothing_overlaps():
    summary = "Words before the formula " * 6 + TALL + " and words after it " * 8
    back = FaceLayout(load_layout("index-3x5")).back(card(summary=summary), CAT, "01/01")
    records = list(flat(back.items))
    [formula] = [r for r in records if isinstance(r, Formula)]
    size = next(r.size for r in records if isinstance(r, TextLine) and r.text.startswith("Words"))
    assert formula.box.ascent + formula.box.descent > LEADING * size  # the case under test
    summary_lines = sorted({r.baseline for r in records if isinstance(r, TextLine) and r.size == size
                            and ("Words" in r.text or "words" in r.text)}, reverse=True)
    k = summary_lines.index(formula.baseline)
    assert 0 < k < len(summary_lines) - 1  # lines above and below it
    # More than one plain leading to the line above and to the line below...
    assert summary_lines[k - 1] - summary_lines[k] > LEADING * size + 0.5
    assert summary_lines[k] - summary_lines[k + 1] > LEADING * size + 0.5
    # ...and exactly what the formula reaches past its line's own room (0.95 of the size
    # above the baseline, the rest of the leading below), plus the lineskip.
    above = pushed(formula.box.ascent - 0.95 * size, size)
    below = pushed(formula.box.descent - (LEADING - 0.95) * size, size)
    assert summary_lines[k - 1] - summary_lines[k] == pytest.approx(LEADING * size + above)
    assert summary_lines[k] - summary_lines[k + 1] == pytest.approx(LEADING * size + below)
    # No ink of the formula reaches the neighbouring lines' ink.
    lo, hi = ink(formula)
    for r in records:
        if isinstance(r, TextLine) and r.baseline in (summary_lines[k - 1], summary_lines[k + 1]):
            b, t = ink(r)
            assert t <= lo + EPS or b >= hi - EPS, r.text


def test_fit_height_counts_the_pushed_leading():
    size, width = 10.0, 150.0
    plain = layout_at([("word " * 40, fonts.SANS)], size, width, LEADING)
    assert plain.height == pytest.approx(len(plain.lines) * LEADING * size)
    fit = layout_at([("word " * 20 + TALL + " word" * 20, fonts.SANS)], size, width, LEADING)
    [tall] = [ln for ln in fit.lines if any(s.math for s in ln.segments)]
    box = next(s.math for s in tall.segments if s.math)
    extra = pushed(box.ascent - 0.95 * size, size) + pushed(box.descent - (LEADING - 0.95) * size, size)
    assert extra > 0
    assert fit.height == pytest.approx(len(fit.lines) * LEADING * size + extra)


def test_a_formula_is_one_unbroken_token_spaced_as_written():
    lines = wrap(r"loss \(x^2\), then", fonts.SANS, 10, 500)
    [line] = lines
    kinds = [(s.math is not None, s.text) for s in line.segments]
    assert kinds[0] == (False, "loss") and kinds[1][0] and kinds[2] == (False, ", then")
    space = fonts_width(" ", 10)
    loss = fonts_width("loss", 10)
    assert line.segments[1].x * 10 == pytest.approx(loss + space)  # a space before the formula
    assert line.segments[2].x * 10 == pytest.approx(loss + space + line.segments[1].math.width)  # none after


def fonts_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register()
    return stringWidth(text, fonts.SANS, size)


@pytest.mark.parametrize("size", [6.0, 7.0, 8.0, 11.0])
def test_a_formula_keeps_its_texts_size_and_its_scripts_stay_at_or_over_5_pt(size):
    # Issue 21: never enlarged to lift a script; scripts at 0.7 and second-level ones at
    # 0.49 of the text (TeX's ratios), floored at 5 pt (LaTeX's \scriptsize at 7 pt body).
    fit = layout_at([(r"\(\frac{A}{N^{0.34}} + x\)", fonts.SANS)], size, 300, LEADING)
    box = fit.lines[0].segments[0].math
    sizes = {g.char: g.size for g in box.glyphs}
    assert sizes["x"] == size  # the formula is at the text's size
    assert sizes["A"] == pytest.approx(max(0.7 * size, 5.0), abs=0.01)  # a fraction's parts: script size
    assert sizes["3"] == pytest.approx(max(0.49 * size, 5.0), abs=0.01)  # a script's script
    assert max(g.size for g in box.glyphs) <= size


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("field, value, words", [
    ("summary", r"A bad \(\frac{a}\) formula.", ["frac"]),
    ("title", r"Uses \(\nosuchcommand x\)", ["unknown command", "\\nosuchcommand"]),
    ("summary", r"Opens \(x^2 and never closes.", ["never closed"]),
])
def test_bad_formulas_fail_validate_naming_file_line_card_and_field(make_catalog, cli, field, value, words):
    data = catalog_data(3)
    data["cards"][1][field] = value
    path = make_catalog(data=data)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    out = result.output
    cid = data["cards"][1]["id"]
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(f"{field} =")
                and value.split()[1][:3] in text)
    assert f"{path}:{line}:" in out or f"cards.toml:{line}:" in out, out
    assert f"card '{cid}'" in out and f"field '{field}'" in out, out
    for w in words:
        assert w in out, out
    assert "Traceback" not in out


def test_bad_formula_in_a_number_figure_and_an_unknown_section_is_found(make_catalog, cli):
    data = catalog_data(3)
    data["cards"][0]["numbers"][2]["figure"] = r"\(\frac{a}\)"
    data["protocol"] = data.get("protocol", {})
    path = make_catalog(data=data)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert "field 'numbers[2].figure'" in result.output, result.output


def test_formulas_are_checked_in_any_section_of_the_parsed_toml():
    # Walking the parsed data, not the typed model: a section added later is covered too.
    from cardpress.catalog.formulas import formula_issues
    from cardpress.catalog.load import _strings

    data = {"concepts": [{"name": "ok", "text": r"fine \(x^2\)"}, {"name": "bad", "text": r"\(\frac{a}\)"}]}
    issues = formula_issues(_strings(data, ()))
    assert [path for path, _ in issues] == [("concepts", 1, "text")]


# ------------------------------------------------------------------ printing


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_dollar_prints_as_a_dollar_beside_a_formula(make_catalog, cli, tmp_path):
    data = catalog_data(1)
    data["cards"][0]["summary"] = r"Training cost ~$4.6M, and the loss is \(x^2\) at $5 per run."
    path = make_catalog(data=data)
    result = cli("deck", "--catalog", path, "--out", tmp_path / "out", "--layout", "index-3x5")
    assert result.exit_code == 0, result.output
    [pdf] = (tmp_path / "out").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "~$4.6M" in text and "$5 per run" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_attention_worksheet_prints_softmax_as_searchable_text(cli, tmp_path):
    result = cli("worksheets", "vaswani-2017-attention", "--answers", "--catalog", SHIPPED_CATALOG,
                 "--out", tmp_path)
    assert result.exit_code == 0, result.output
    [pdf] = (tmp_path / "worksheets").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Each formula copies as its TeX (/ActualText), as the catalog wrote it.
    assert r"\(\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\dfrac{QK^\top}{\sqrt{d_k}}\right)V\)" in text


def test_a_deck_without_formulas_never_imports_matplotlib(make_catalog, tmp_path):
    path = make_catalog(3)
    code = textwrap.dedent(f"""
        import sys
        from typer.main import get_command
        from cardpress.cli import app
        try:
            get_command(app)(["deck", "--catalog", {str(path)!r}, "--out", {str(tmp_path / 'out')!r}],
                             standalone_mode=False)
            get_command(app)(["validate", "--catalog", {str(path)!r}], standalone_mode=False)
        finally:
            print(sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "numpy")))
    """)
    env = dict(os.environ, CARDPRESS_CACHE_DIR="")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert list((tmp_path / "out").glob("*.pdf"))


# ------------------------------------------------------------------ backs as a set (issue 10)

def _strip_math(text: str) -> str:
    """The plain words of a text, its formulas left out."""
    from cardpress.typeset.mathtext import split_runs

    return " ".join(run for is_math, run in split_runs(text) if not is_math) if "\\(" in text else text


def _shipped_and_hard_cards():
    shipped = list(load_catalog(SHIPPED_CATALOG).cards)
    hard = [card(id="long-fig", numbers=(Number("1.3B-parameter", "InstructGPT preferred over the rest."),
                                         Number("A very long figure that is a whole sentence", "and its text."),
                                         Number("", "No figure at all here.")))]
    return shipped + hard


@pytest.mark.parametrize("layout_name", ["index-3x5", "letter-4up", "letter-3up"])
def test_number_texts_share_one_left_edge_figure_or_not(layout_name):
    layout = load_layout(layout_name)
    faces = FaceLayout(layout)
    width = layout.card_w - 2 * layout.safe
    edges = set()
    for c in _shipped_and_hard_cards():
        items = faces.back(c, CAT, "01/17").items
        for n in c.numbers:
            # A text with a formula is a Group of its Text and Formulas; its Text holds the words.
            texts = [r.records[0] if isinstance(r, Group) else r for r in items
                     if isinstance(r, Text) or (isinstance(r, Group) and isinstance(r.records[0], Text))]
            words = "".join(_strip_math(n.text).split())  # spaces aside: a formula's neighbours touch it
            [t] = [r for r in texts if "".join("".join(ln.text for ln in r.lines).split()) == words]
            edges.add(round(min(ln.x for ln in t.lines), 6))
    assert edges == {round(layout.safe + 0.3 * width, 6)}


@pytest.mark.parametrize("layout_name", ["index-3x5", "letter-4up", "letter-3up"])
def test_figures_never_break_inside_a_word_and_long_ones_go_above(layout_name):
    layout = load_layout(layout_name)
    faces = FaceLayout(layout)
    width = layout.card_w - 2 * layout.safe
    for c in _shipped_and_hard_cards():
        items = faces.back(c, CAT, "01/17").items
        for n in c.numbers:
            if not n.figure:
                continue
            texts = [r.records[0] if isinstance(r, Group) else r for r in items
                     if isinstance(r, Text) or (isinstance(r, Group) and isinstance(r.records[0], Text))]
            plain = "".join(_strip_math(n.text).split())
            [body] = [r for r in texts if "".join("".join(ln.text for ln in r.lines).split()) == plain]
            if "\\(" in n.figure:
                # The figure's Group: the one whose formulas spell the figure (the text may hold some too).
                figs = [r for r in items if isinstance(r, Group) and any(isinstance(x, Formula) for x in r.records)
                        and r.records[0] is not body]
                [fig] = [g for g in figs if "".join("".join(ln.text for ln in g.records[0].lines).split())
                         == "".join(_strip_math(n.figure).split())][:1]
                lines = list(flat([fig]))
                words_seen = []
            else:
                [fig] = [r for r in items if isinstance(r, Text) and " ".join(ln.text for ln in r.lines).split()
                         == n.figure.split() and r is not body]
                lines = list(fig.lines)
                words_seen = " ".join(ln.text for ln in lines).split()
                assert words_seen == n.figure.split(), (c.id, [ln.text for ln in lines])  # whole words only
            left = min(ln.x for ln in lines)
            right = max((ln.x + (ln.width if isinstance(ln, TextLine) else ln.box.width)) for ln in lines)
            indent = layout.safe + 0.3 * width
            bottom_of_fig = min(ink(ln)[0] for ln in lines)
            body_top = body.lines[0].baseline + ASCENT * body.lines[0].size
            if right <= indent - 6.0 + EPS:  # in the column, beside the text: first baselines level
                assert len({round(ln.baseline, 6) for ln in lines}) <= 2
                assert max(ln.baseline for ln in lines) == pytest.approx(body.lines[0].baseline)
            else:  # above: the text starts below the figure's ink, at the same indent
                assert left == pytest.approx(layout.safe)
                assert body_top <= bottom_of_fig + EPS, (c.id, n.figure)
            if n.figure == "A very long figure that is a whole sentence":
                assert right > indent  # set above at full width
            if n.figure == "1.3B-parameter" and layout_name == "index-3x5":
                assert len(lines) == 1


def test_the_shipped_chinchilla_figure_is_math_above_its_text():
    shipped = load_catalog(SHIPPED_CATALOG)
    c = next(c for c in shipped.cards if c.title == "Chinchilla")
    layout = load_layout("index-3x5")
    items = FaceLayout(layout).back(c, CAT, "10/17").items
    [formula] = [r for r in flat(items) if isinstance(r, Formula) and "0.34" in r.box.text]
    assert "0.28" in formula.box.text
    [body] = [r for r in items if isinstance(r, Text) and r.lines[0].text.startswith("fitted")]
    assert body.lines[0].baseline + ASCENT * body.lines[0].size <= formula.baseline - formula.box.descent + EPS


# ------------------------------------------------------------------ the sheet


def test_a_sheet_item_with_a_tall_formula_pushes_its_leading_and_its_height():
    from cardpress.sheet.blocks import measure_item
    from cardpress.sheet.content import Item, Para
    from cardpress.sheet.geometry import Scale

    scale = Scale(7.0)
    s, lead = scale.size, scale.leading
    words = "word " * 30
    plain = measure_item(Item((Para(((words + words, fonts.SANS),)),), "plain"), scale, 150)
    item = measure_item(Item((Para(((words + TALL + " " + words, fonts.SANS),)),), "tall"), scale, 150)
    baselines = [pl.baseline for pl in item.lines]  # measured down from the block's top
    [k] = [i for i, pl in enumerate(item.lines) if any(seg.math for seg in pl.line.segments)]
    box = next(seg.math for seg in item.lines[k].line.segments if seg.math)
    # the line's own room: 0.95 of the size above the baseline, the rest of the leading below
    above = pushed(box.ascent - 0.95 * s, s)
    below = pushed(box.descent - (lead - 0.95 * s), s)
    assert above > 0 or below > 0
    assert baselines[k] - baselines[k - 1] == pytest.approx(lead + above)
    assert baselines[k + 1] - baselines[k] == pytest.approx(lead + below)
    assert item.height == pytest.approx(len(item.lines) * lead + above + below)
    assert plain.height == pytest.approx(len(plain.lines) * lead)
