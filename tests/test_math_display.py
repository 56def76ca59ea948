r"""Display math (issue 21): a formula that stands alone is set on its own line, centred, at
its text's size in display style; too wide, it breaks before top-level relations and
operators (continuation lines aligned, every line at one size), then shrinks to 6 pt, then
is refused with file:line, card, field and the overrun in points.

Geometry is read from page records (the sheet's columns, the worksheet's equation box, the
deck's backs); expected values come from the rule (centred: equal room left and right;
one size; inside the measure), not from the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomli_w

from conftest import card_data, catalog_data
from math_formulas import ISSUE_21
from test_math_slots import all_strays

from cardpress.catalog import load_catalog
from cardpress.pdf.page import Formula, Group, Text, TextLine
from cardpress.sheet import geometry as geo
from cardpress.sheet.layout import lay_out
from cardpress.typeset import fonts
from cardpress.typeset.display import FLOOR, set_display
from cardpress.typeset.mathcompose import BRACES
from cardpress.typeset.mathtext import DisplayTex, MathError, layout, split_runs
from cardpress.typeset.textfit import wrap_spans
from cardpress.worksheets import Variant, worksheet_pages

EPS = 1e-6
BRACE_CHARS = "\u23de\u23df"
# The measures a display formula meets: the sheet's 3- and 4-column widths (Letter), the
# narrowest sheet column at the 6 pt floor, a deck back and a worksheet box.
MEASURES = [(7.15, 176.64), (7.15, 129.42), (6.0, 121.0), (9.0, 230.0)]
# One atom (a \left...\right group) far too wide for any column, even at 6 pt.
WIDE = r"L = \left(" + " ".join(f"a_{{{k}}}" for k in range(1, 44)) + r"\right)"
# Plain letters and operators only: every glyph is at the formula's one size.
LETTERS = "y = " + " + ".join("abcdefghkmnpqrsuvw")


def sizes_of(box) -> set[float]:
    return {round(g.size, 3) for g in box.glyphs if g.char not in BRACE_CHARS}


# ------------------------------------------------------------------ the rule, table-driven


@pytest.mark.parametrize("size, width", MEASURES)
@pytest.mark.parametrize("k", range(len(ISSUE_21)))
def test_every_issue_formula_as_display_math_fits_its_measure_at_one_size_or_is_refused(k, size, width):
    tex = ISSUE_21[k]
    d = set_display(tex, size, width)
    assert min(size, FLOOR) - EPS <= d.size <= size + EPS  # shrunk at most to the floor, never enlarged
    whole = layout(tex, d.size, display=d.style == "display")
    for line in d.lines:
        # Every line is a piece of the formula at the formula's one size: its glyph sizes
        # are the whole formula's at that size (a script stays a script, nothing else).
        assert sizes_of(line) <= sizes_of(whole) | {round(d.size, 3)}, (k, line.tex)
        letters = [g.size for g in line.glyphs if g.font_name.startswith("DejaVuSans") and g.font_name != fonts.SANS_DISPLAY]
        assert max(letters, default=0.0) <= d.size + EPS  # (delimiters and radicals come in their own sizes)
    widest = max(line.width for line in d.lines)
    if d.over == 0:
        assert widest <= width + EPS
    else:
        assert d.size == pytest.approx(min(size, FLOOR))  # refused only after shrinking to the floor
        assert d.over == pytest.approx(widest - width, abs=0.01) and d.over > 0


def test_a_formula_that_fits_is_one_line_centred_in_display_style():
    d = set_display(r"\frac{a}{b} = \sum_{i=1}^{n} x_i", 10.0, 200.0)
    [line] = d.lines
    natural = layout(r"\frac{a}{b} = \sum_{i=1}^{n} x_i", 10.0, display=True)
    shift = line.width - natural.width
    assert shift == pytest.approx((200.0 - natural.width) / 2, abs=1e-3)  # room left == room right
    assert [g.x - shift for g in line.glyphs] == pytest.approx([g.x for g in natural.glyphs], abs=1e-3)


def test_display_style_sets_fractions_whole_and_limits_over_and_under():
    size = 10.0
    inline = layout(r"\frac{a}{b} + \sum_{i=1}^{n} x_i", size)
    shown = layout(r"\frac{a}{b} + \sum_{i=1}^{n} x_i", size, display=True)
    glyph = {True: {g.char: g for g in shown.glyphs}, False: {g.char: g for g in inline.glyphs}}
    assert glyph[False]["a"].size == pytest.approx(0.7 * size)  # text style: a script-size fraction
    assert glyph[True]["a"].size == pytest.approx(size)  # display style: \dfrac
    for display in (False, True):
        sigma, n = glyph[display]["∑"], glyph[display]["n"]
        above = sigma.x - 0.1 <= n.x <= sigma.x + 0.8 * sigma.size  # n over the sign, not beside it
        assert above is display
    # \textstyle inside display math turns it off; inline, \displaystyle is ignored.
    assert {g.char: g.size for g in layout(r"\textstyle \frac{a}{b}", size, display=True).glyphs}["a"] == pytest.approx(7.0)
    assert {g.char: g.size for g in layout(r"\displaystyle \frac{a}{b}", size).glyphs}["a"] == pytest.approx(7.0)


def test_too_wide_breaks_before_a_relation_aligned_under_the_first():
    size, width = 10.0, 150.0
    tex = LETTERS
    d = set_display(tex, size, width)
    assert len(d.lines) >= 2 and d.size == size and d.over == 0
    assert {sizes for line in d.lines for sizes in sizes_of(line)} == {size}  # one size, every line
    assert all(line.width <= width + EPS for line in d.lines)
    # The continuation lines start with "+" a quad right of the "=" of the first line.
    first, *rest = d.lines
    eq = next(g.x for g in first.glyphs if g.char == "=")
    for line in rest:
        plus = line.glyphs[0]
        assert plus.char == "+"
        assert plus.x >= eq + size - 0.5  # a quad in from the relation (less the centring's rounding)


def test_a_single_atom_too_wide_is_shrunk_to_the_floor_then_refused():
    d = set_display(WIDE, 9.0, 120.0)
    assert d.size == FLOOR and d.over > 0


# ------------------------------------------------------------------ text: \[...\]


def test_display_runs_are_split_out_of_text_and_malformed_ones_refused():
    runs = split_runs(r"before \(x\) then \[y = 1\] after")
    assert [(m, str(t)) for m, t in runs] == [(False, "before "), (True, "x"), (False, " then "),
                                             (True, "y = 1"), (False, " after")]
    assert isinstance(runs[3][1], DisplayTex) and not isinstance(runs[1][1], DisplayTex)
    for bad, words in [(r"a \] b", r"stray \]"), (r"\[x", "never closed"), (r"\[ \]", "empty formula"),
                       (r"\[a \(b\) c\]", "opens inside")]:
        with pytest.raises(MathError, match=re.escape(words)):
            split_runs(bad)


def test_a_display_in_a_paragraph_has_its_own_line_and_the_text_resumes_below():
    size, width = 9.0, 220.0
    lines = wrap_spans([(r"The loss is \[" + ISSUE_21[0] + r"\] where z are the logits.", fonts.SANS)],
                       size, width, justify=True)
    kinds = [[s.math is not None for s in ln.segments] for ln in lines]
    assert kinds == [[False], [True], [False]]
    assert lines[0].segments[0].text == "The loss is" and lines[2].segments[0].text.startswith("where")


# ------------------------------------------------------------------ page records


def display_catalog(path: Path, formulas: list[str]) -> Path:
    cards = []
    for i, tex in enumerate(formulas, 1):
        card = card_data(i)
        card["numbers"][0] = {"figure": f"\\({tex}\\)", "text": "the loss."}
        card["protocol"] = {"claim": "The claim.", "equation": f"\\({tex}\\)", "equation_note": "The note."}
        cards.append(card)
    path.write_bytes(tomli_w.dumps({"deck": {"title": "display"}, "cards": cards}).encode())
    return path


def formulas_of(records, origin=(0.0, 0.0)):
    for r in records:
        if isinstance(r, Group):
            o = r.origin or (0.0, 0.0)
            yield from formulas_of(r.records, (origin[0] + o[0], origin[1] + o[1]))
        elif isinstance(r, Formula):
            yield Formula(r.x + origin[0], r.baseline + origin[1], r.box, r.color)


PICKS = [0, 6, 15, 22, 25]  # softmax, Adam, GELU (breaks on a narrow column), scaling law, Gaussian


def test_on_the_sheet_display_lines_are_centred_in_their_column_at_one_size(tmp_path):
    catalog = load_catalog(display_catalog(tmp_path / "cards.toml", [ISSUE_21[k] for k in PICKS]))
    wanted = {ISSUE_21[k] for k in PICKS}
    seen = 0
    for paper in ("letter", "a4"):
        sheet = lay_out(catalog, paper)
        fr = geo.frame(paper)
        width = geo.column_width(fr, sheet.columns_per_page)
        lefts = geo.column_lefts(fr, sheet.columns_per_page)
        for page in sheet.pages:
            for f in formulas_of(page.records):
                if f.box.tex not in wanted:
                    continue
                seen += 1
                left = max(x for x in lefts if x <= f.x + EPS)
                natural = layout(f.box.tex, max(sizes_of(f.box)), display=True)
                shift = f.box.width - natural.width
                # The block's measure: a card's text is inset from the column's left (its bar),
                # a boxed section's from both sides, a topic's is the column.
                scale = geo.Scale(sheet.size)
                measures = [(left, left + width), (left + scale.card_inset, left + width),
                            (left + scale.box_pad, left + width - scale.box_pad)]
                gaps = [(f.x + shift - a) - (b - (f.x + f.box.width)) for a, b in measures]
                assert min(abs(g) for g in gaps) < 0.02, (paper, f.box.tex, gaps)  # as much room left as right
                assert max(sizes_of(f.box)) == pytest.approx(sheet.size)  # at the text's size
    assert seen >= 2 * (len(PICKS) - 1)


def test_every_display_stays_in_its_slot_and_broken_ones_stack_without_overlap(tmp_path):
    catalog = load_catalog(display_catalog(tmp_path / "cards.toml", [ISSUE_21[k] for k in PICKS] + [LETTERS]))
    assert all_strays(catalog) == []
    # The facilitator's worksheet prints the equation in a half-width box: the long LETTERS
    # equation is broken there, every line at one size, each line below the one before.
    card = catalog.cards[-1]
    for page in worksheet_pages(catalog, card, Variant(answers=True)):
        lines = [f for f in formulas_of(page.records) if f.box.tex.replace("{}", "").strip() in LETTERS]
        if not lines:
            continue
        assert len(lines) >= 2
        assert len({s for f in lines for s in sizes_of(f.box)}) == 1  # one size across the lines
        lines.sort(key=lambda f: -f.baseline)
        for upper, lower in zip(lines, lines[1:]):
            assert upper.baseline - upper.box.descent >= lower.baseline + lower.box.ascent - EPS
        return
    pytest.fail("no worksheet page holds the equation")


def test_validate_refuses_a_display_too_wide_even_at_the_floor_with_the_overrun(make_catalog, cli, tmp_path):
    data = catalog_data(2)
    data["cards"][0]["protocol"] = {"claim": "The claim.", "equation": f"\\({WIDE}\\)"}
    path = make_catalog(data=data)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    out = result.output
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "a_{43}" in t)
    assert f"{path}:{line}:" in out and "card 'author1-2001-paper1'" in out and "protocol.equation" in out, out
    overs = re.findall(r"(\d+\.\d+) pt wider than", out)
    assert overs and all(float(o) > 0 for o in overs), out
    assert "Traceback" not in out
    out_dir = tmp_path / "out"
    assert cli("build", "--catalog", path, "--out", out_dir).exit_code == 1


# ------------------------------------------------------------------ glyphs


def test_the_brace_table_is_what_the_fonts_hold():
    from fontTools.ttLib import TTFont

    here = Path(fonts.__file__).resolve().parent.parent / "fonts"
    for font, left, right, ob, ot, ub, ut in BRACES:
        t = TTFont(here / f"{font}.ttf")
        glyf, cmap = t["glyf"], t.getBestCmap()
        over, under = glyf[cmap[0x23DE]], glyf[cmap[0x23DF]]
        assert (over.xMin, over.xMax, over.yMin, over.yMax) == (left, right, ob, ot)
        assert (under.xMin, under.xMax, under.yMin, under.yMax) == (left, right, ub, ut)


@pytest.mark.parametrize("tex, under", [(r"\underbrace{a + b + c}_{3}", True), (r"\overbrace{x_1 + x_2}^{n}", False),
                                        (r"\underbrace{x}_{k}", True),
                                        (r"\underbrace{a + b + c + d + e + f + g + h + i + j}_{\text{ten}}", True)])
def test_braces_are_brace_glyphs_as_wide_as_their_body(tex, under):
    size = 10.0
    box = layout(tex, size)
    body_tex = re.match(r"\\(?:under|over)brace\{(.*)\}[_^]", tex).group(1)
    body = layout(body_tex, size)
    [brace] = [g for g in box.glyphs if g.char in BRACE_CHARS]
    assert brace.char == ("\u23df" if under else "\u23de") and box.rules == body.rules  # no rule drawn for it
    font, left, right, ob, ot, ub, ut = next(b for b in BRACES if b[0] == brace.font_name)
    ink = (right - left) / 1000 * brace.size
    assert ink == pytest.approx(body.width, abs=0.01)  # exactly the body's width
    # the widest drawn width that is not wider than the body (the narrowest when all are)
    fitting = [b for b in BRACES if (b[2] - b[1]) / 1000 * size <= body.width]
    assert brace.font_name == (fitting[-1][0] if fitting else BRACES[0][0])
    top = brace.y + (ut if under else ot) / 1000 * brace.size
    bottom = brace.y + (ub if under else ob) / 1000 * brace.size
    if under:
        assert top < -body.descent and bottom >= -box.descent - EPS  # under the body, inside the box
    else:
        assert bottom > body.ascent and top <= box.ascent + EPS


@pytest.mark.parametrize("label", ["f", r"\text{a long label}", r"\theta_1 + \theta_2 + \theta_3"])
def test_xrightarrow_runs_under_its_whole_label(label):
    size = 10.0
    box = layout(rf"x \xrightarrow{{{label}}} y", size)
    head = next(g for g in box.glyphs if g.char == "→")
    tip = head.x + 1616 / 2048 * head.size  # DejaVu's arrow ink ends at 1616/2048 em
    tail = min([r[0] for r in box.rules] + [head.x + 117 / 2048 * head.size])
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register()
    lab = [g for g in box.glyphs if g.size < size - EPS]  # the label: a script
    left = min(g.x for g in lab)
    right = max(g.x + stringWidth(g.char, g.font_name, g.size) for g in lab)
    assert tip - tail >= (right - left) + 0.8 * size - 0.05  # under the whole label, with room
    assert tip - tail >= (1616 - 117) / 2048 * size - EPS  # never shorter than the plain arrow
    assert left >= tail - EPS and right <= tip + EPS
    assert (left + right) / 2 == pytest.approx((tip + tail) / 2, abs=0.3)  # centred over the arrow
