"""Render formulas with cardpress and with pdflatex, side by side, to look at (issue 21).

    .venv/bin/python tests/render_math_compare.py OUTDIR [--display] [index ...]

Writes OUTDIR/cardpress.pdf (each formula at 10 pt, its own line) and OUTDIR/latex.pdf
(the same formulas inline, \\(...\\), in 10 pt Computer Modern), then PNGs of both at
200 dpi. With --display, both as display math (cardpress's display style, LaTeX's \\[...\\]).
Not a test: a look. The issue's note carries the PNGs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from math_formulas import CONSTRUCTS, ISSUE_21  # noqa: E402

ALL = ISSUE_21 + [t for t, _ in CONSTRUCTS]


def cardpress_pdf(path: Path, formulas: list[str], size: float = 10.0, display: bool = False) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from cardpress.pdf.page import Formula, Rule
    from cardpress.pdf.paint import Painter
    from cardpress.typeset import fonts
    from cardpress.typeset.mathtext import layout

    fonts.register()
    boxes = [layout(t, size, display=display) for t in formulas]
    height = sum(b.ascent + b.descent + 8 for b in boxes) + 20
    c = Canvas(str(path), pagesize=(460, height), invariant=1)
    painter = Painter(c)
    y = height - 10
    for b in boxes:
        y -= b.ascent
        painter.record(Rule(10, y, 450, y, "#cccccc", 0.2))  # the baseline
        painter.record(Formula(20, y, b))
        y -= b.descent + 8
    c.showPage()
    c.save()


def latex_pdf(path: Path, formulas: list[str], display: bool = False) -> None:
    if display:
        body = "\n".join(r"\[" + t + r"\]" for t in formulas)
    else:
        body = "\n\n".join(r"\noindent\(" + t + r"\)\vspace{4pt}" for t in formulas)
    height = (40 if display else 24) * len(formulas) + 30
    doc = (r"\documentclass[10pt]{article}\usepackage{amsmath,amssymb,bm}"
           r"\usepackage[paperwidth=460pt,paperheight=" + str(height) + r"pt,margin=10pt]{geometry}"
           r"\DeclareMathOperator*{\argmax}{arg\,max}\DeclareMathOperator*{\argmin}{arg\,min}"
           r"\pagestyle{empty}\begin{document}" + body + r"\end{document}")
    tex = path.with_suffix(".tex")
    tex.write_text(doc)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-output-directory", str(path.parent), str(tex)],
                   capture_output=True, check=False)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    display = "--display" in sys.argv[2:]
    picks = [ALL[int(i)] for i in sys.argv[2:] if i != "--display"] or ALL
    cardpress_pdf(out / "cardpress.pdf", picks, display=display)
    latex_pdf(out / "latex.pdf", picks, display=display)
    for name in ("cardpress", "latex"):
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(out / f"{name}.pdf"), str(out / name)], check=True)
