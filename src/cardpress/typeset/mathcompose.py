r"""Formulas mathtext cannot parse whole, composed from boxes it can.

`mathmacros.expand` cuts a formula into pieces: mathtext source, `Grid`s (matrices,
cases, aligned rows) and `Brace`s (\underbrace, \overbrace). Here each cell, label and
run is laid out by mathtext (through the `lay` callback, so this module stays free of
matplotlib) and the boxes are set side by side on one baseline, as TeX sets an array:

- rows at least a strut apart (0.84 em above and 0.36 em below the baseline, plain
  TeX's \strut at \arraystretch 1), plus the environment's \jot;
- columns centred, left- or right-aligned, 1 em apart in matrices and cases; `aligned`
  pairs its columns right/left with no gap inside a pair and 2 em between pairs;
- the whole array centred on the math axis (the fraction bar's height), its delimiters
  made by mathtext's \left...\right around an invisible column as tall as the rows;
- a brace is STIX's curly bracket glyph under (or over) its body, in the drawn width that
  fits it best (brace_glyph), the label at script size.

Pure geometry: boxes in, one box out, in points, y up from the baseline.
"""

from __future__ import annotations

from typing import Callable

from cardpress.typeset.mathmacros import Arrow, Brace, Grid, Piece

# Struts, in ems: TeX's \strut is 0.7 and 0.3 of a 1.2 em \baselineskip.
STRUT_UP, STRUT_DOWN = 0.84, 0.36
SCRIPT = 0.7  # a brace's label is set at script size


def _box_type():
    from cardpress.typeset.mathbox import MathBox, MathGlyph

    return MathBox, MathGlyph


def _r(v: float) -> float:
    return round(float(v), 4)


def shifted(box, dx: float, dy: float):
    """The glyphs and rules of `box` moved by (dx, dy)."""
    _, MathGlyph = _box_type()
    glyphs = tuple(MathGlyph(g.font_name, g.char, _r(g.x + dx), _r(g.y + dy), g.size) for g in box.glyphs)
    rules = tuple((_r(x + dx), _r(y + dy), w, h) for x, y, w, h in box.rules)
    return glyphs, rules


def compose(pieces: list[Piece], size: float, lay: Callable[[str, float], object]):
    """One box for the pieces side by side, on one baseline."""
    MathBox, _ = _box_type()
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return lay(pieces[0], size)
    x, ascent, descent = 0.0, 0.0, 0.0
    glyphs: list = []
    rules: list = []
    for piece in pieces:
        if isinstance(piece, str):
            box = lay(piece, size)
        elif isinstance(piece, Grid):
            box = grid(piece, size, lay)
        elif isinstance(piece, Arrow):
            box = arrow(piece, size, lay)
        else:
            box = brace(piece, size, lay)
        g, r = shifted(box, x, 0.0)
        glyphs += g
        rules += r
        x += box.width
        ascent, descent = max(ascent, box.ascent), max(descent, box.descent)
    return MathBox(_r(x), _r(ascent), _r(descent), tuple(glyphs), tuple(rules))


def axis(size: float, lay) -> float:
    """The math axis (where fraction bars and minus signs sit) above the baseline."""
    box = lay(r"\frac{a}{b}", size)
    x, y, w, h = box.rules[0]
    return y + h / 2


def grid(g: Grid, size: float, lay):
    MathBox, _ = _box_type()
    cells = [[lay(src, size) if src else None for src in row] for row in g.rows]
    ncols = max(len(row) for row in cells)
    widths = [0.0] * ncols
    for row in cells:
        for j, box in enumerate(row):
            if box is not None:
                widths[j] = max(widths[j], box.width)
    ups = [max([STRUT_UP * size] + [b.ascent for b in row if b is not None]) for row in cells]
    downs = [max([STRUT_DOWN * size] + [b.descent for b in row if b is not None]) for row in cells]
    # Column left edges.
    lefts, x = [], 0.0
    for j in range(ncols):
        if j:
            if g.align == "rl":
                x += 0.0 if j % 2 else 2.0 * size
            else:
                x += g.colsep * size
        lefts.append(x)
        x += widths[j]
    body_w = x
    # Row baselines from the top of the array (y down), then the array centred on the axis.
    baselines, y = [], 0.0
    for i in range(len(cells)):
        if i:
            y += downs[i - 1] + g.rowgap * size
        y += ups[i]
        baselines.append(y)
    total = y + downs[-1]
    top = axis(size, lay) + total / 2  # the array's top, above the formula's baseline
    glyphs: list = []
    rules: list = []
    for i, row in enumerate(cells):
        for j, box in enumerate(row):
            if box is None:
                continue
            col = g.align[j % len(g.align)]
            if col == "l":
                cx = lefts[j]
            elif col == "r":
                cx = lefts[j] + widths[j] - box.width
            else:
                cx = lefts[j] + (widths[j] - box.width) / 2
            gg, rr = shifted(box, cx, top - baselines[i])
            glyphs += gg
            rules += rr
    up, down = top, total - top
    x0, width = 0.0, body_w
    if g.left or g.right:
        pad = 0.2 * size  # the delimiters' distance from the cells
        left = _delimiter(g.left, total, size, lay, opening=True) if g.left else None
        right = _delimiter(g.right, total, size, lay, opening=False) if g.right else None
        moved_g, moved_r = [], []
        x0 = (left.width + pad) if left else 0.0
        centre = top - total / 2
        gg, rr = shifted(MathBox(body_w, up, down, tuple(glyphs), tuple(rules)), x0, 0.0)
        moved_g += gg
        moved_r += rr
        width = x0 + body_w
        for d, dx in ((left, 0.0), (right, None)):
            if d is None:
                continue
            if dx is None:
                dx = width + pad
            dy = centre - (d.ascent - d.descent) / 2
            gg, rr = shifted(d, dx, dy)
            moved_g += gg
            moved_r += rr
            up, down = max(up, d.ascent + dy), max(down, d.descent - dy)
            if dx > 0:
                width = dx + d.width
        glyphs, rules = moved_g, moved_r
    # A thin space each side keeps the array off its neighbours, as TeX's \nulldelimiterspace.
    side = 0.1 * size
    gg, rr = shifted(MathBox(width, up, down, tuple(glyphs), tuple(rules)), side, 0.0)
    return MathBox(_r(width + 2 * side), _r(up), _r(down), gg, rr)


def _delimiter(delim: str, height: float, size: float, lay, opening: bool):
    """A delimiter at least `height` tall: mathtext's \\left...\\right around an invisible
    column of k rows, the smallest k whose delimiter reaches the height."""
    # Each row of the column is about 1.2 em: start near the answer (each try is a layout).
    k = max(1, int(height / (1.3 * size)))
    while True:
        column = r"\rlap{\phantom{\substack{" + r"\\".join([r"\mathrm{(}"] * k) + "}}}"
        src = (r"\left" + delim + column + r"\right.") if opening else (r"\left." + column + r"\right" + delim)
        box = lay(src, size)
        if box.ascent + box.descent >= 0.95 * height or k >= 40:
            return box
        k += 1


# STIX's horizontal curly brackets (U+23DE over, U+23DF under) in its six widths: (font,
# ink left, ink right, over's ink bottom and top, under's ink bottom and top), in 1/1000 em,
# read from the fonts cardpress embeds (tests/test_math_glyphs.py reads them again).
BRACES = (
    ("STIXGeneral", -10, 566, -88, 117, 564, 769),
    ("STIXSizOneSymReg", 0, 925, -89, 136, 564, 789),
    ("STIXSizTwoSymReg", 0, 1460, -81, 143, 573, 797),
    ("STIXSizThreeSymReg", 0, 1886, -86, 157, 572, 815),
    ("STIXSizFourSymReg", 0, 2328, -90, 175, 572, 837),
    ("STIXSizFiveSymReg", 0, 3238, -90, 181, 573, 844),
)
OVER_BRACE, UNDER_BRACE = "\u23de", "\u23df"


def brace_glyph(width: float, size: float, under: bool):
    """A curly bracket `width` points wide: the widest of STIX's drawn widths that is not
    wider at `size`, set at the font size that makes its ink exactly `width` wide (so it
    grows by at most the step to the next width, 1.6x; past the widest, 3.2 em, it grows
    with the body). Returns (glyph at x = 0, its ink bottom and top from its baseline)."""
    _, MathGlyph = _box_type()
    fits = [b for b in BRACES if (b[2] - b[1]) / 1000 * size <= width] or [BRACES[0]]
    font, left, right, ob, ot, ub, ut = fits[-1]
    gs = width / ((right - left) / 1000)
    bottom, top = (ub, ut) if under else (ob, ot)
    glyph = MathGlyph(font, UNDER_BRACE if under else OVER_BRACE, _r(-left / 1000 * gs), 0.0, _r(gs))
    return glyph, bottom / 1000 * gs, top / 1000 * gs


def brace(b: Brace, size: float, lay):
    MathBox, MathGlyph = _box_type()
    body = lay(b.body, size)
    from cardpress.typeset.mathbox import SCRIPT_FLOOR

    # The label is a script: 70 % of the size, floored as mathtext's scripts are.
    label = lay(b.label, round(max(size * SCRIPT, min(size, SCRIPT_FLOOR)), 4)) if b.label else None
    w = body.width
    gap = 0.15 * size  # between the body's ink and the brace, and the brace and its label
    glyphs, rules = list(body.glyphs), list(body.rules)
    g, ink_bottom, ink_top = brace_glyph(w, size, b.under)
    if b.under:
        y = -body.descent - gap - ink_top  # the brace's baseline: its ink's top just under the body
        glyphs.append(MathGlyph(g.font_name, g.char, g.x, _r(y), g.size))
        up, down = body.ascent, -(y + ink_bottom)
        if label is not None:
            baseline = y + ink_bottom - gap - label.ascent
            gg, rr = shifted(label, (w - label.width) / 2, baseline)
            glyphs += gg
            rules += rr
            down = max(down, label.descent - baseline)
    else:
        y = body.ascent + gap - ink_bottom
        glyphs.append(MathGlyph(g.font_name, g.char, g.x, _r(y), g.size))
        up, down = y + ink_top, body.descent
        if label is not None:
            baseline = y + ink_top + gap + label.descent
            gg, rr = shifted(label, (w - label.width) / 2, baseline)
            glyphs += gg
            rules += rr
            up = max(up, baseline + label.ascent)
    width = max(w, label.width if label else 0.0)
    box = MathBox(_r(width), _r(up), _r(down), tuple(glyphs),
                  tuple((_r(x), _r(y), _r(ww), _r(hh)) for x, y, ww, hh in rules))
    if width > w:  # a label wider than its body: everything moves right so none starts left of 0
        gg, rr = shifted(box, (width - w) / 2, 0.0)
        box = MathBox(box.width, box.ascent, box.descent, gg, rr)
    return box


# DejaVu Sans's arrows, in 1/2048 em (read from the embedded font; tests/test_math_glyphs.py
# reads them again): where the ink starts and ends, where the shaft is, and the head's
# extent. The shaft is a bar from y 557 to 727, the minus sign's bar.
ARROW_INK = {"→": (117, 1616), "←": (100, 1599)}
ARROW_SHAFT_Y = (557, 727)
ARROW_HEAD_Y = (204, 1080)
ARROW_UNITS = 2048.0
THICK = 5 / 18  # em: TeX's \thickmuskip, the space each side of a relation


def arrow(a: Arrow, size: float, lay):
    r"""\xrightarrow / \xleftarrow: DejaVu's arrow glyph at the tip, its shaft drawn on as a
    rule (the glyph's own bar, same height and thickness) to run under the labels with 0.8
    em to spare, as amsmath's arrows do; never shorter than the plain arrow."""
    MathBox, MathGlyph = _box_type()
    from cardpress.typeset import fonts
    from cardpress.typeset.mathbox import SCRIPT_FLOOR

    script = round(max(size * SCRIPT, min(size, SCRIPT_FLOOR)), 4)
    above = lay(a.above, script) if a.above else None
    below = lay(a.below, script) if a.below else None
    char = "←" if a.left else "→"
    ink0, ink1 = (v / ARROW_UNITS * size for v in ARROW_INK[char])
    natural = ink1 - ink0
    labels = max([b.width for b in (above, below) if b is not None], default=0.0)
    length = max(natural, labels + 0.8 * size)
    side = THICK * size
    u = size / ARROW_UNITS
    y0, y1 = ARROW_SHAFT_Y[0] * u, ARROW_SHAFT_Y[1] * u
    if a.left:
        gx = side - ink0  # the tip at the left
        bar = (gx + 1400 * u, length + side - (gx + 1400 * u))
    else:
        gx = side + length - ink1  # the tip at the right
        bar = (side, gx + 200 * u - side)
    glyphs = [MathGlyph(fonts.SANS, char, _r(gx), 0.0, _r(size))]
    rules = [(_r(bar[0]), _r(y0), _r(bar[1]), _r(y1 - y0))] if bar[1] > 0 else []
    up, down = ARROW_HEAD_Y[1] * u, 0.0
    gap = 0.15 * size
    centre = side + length / 2
    if above is not None:
        baseline = up + gap + above.descent
        gg, rr = shifted(above, centre - above.width / 2, baseline)
        glyphs += gg
        rules += rr
        up = baseline + above.ascent
    if below is not None:
        baseline = ARROW_HEAD_Y[0] * u - gap - below.ascent
        gg, rr = shifted(below, centre - below.width / 2, baseline)
        glyphs += gg
        rules += rr
        down = max(down, below.descent - baseline)
    return MathBox(_r(length + 2 * side), _r(up), _r(down), tuple(glyphs), tuple(rules))
