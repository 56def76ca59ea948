"""Print the safe-area figures over the option matrix: per output, the smallest distance from
ink to a page edge and the smallest text size, read back from the PDFs (not a test; run
`python tests/report_safe_area.py [catalog]`, needs poppler-utils)."""

from __future__ import annotations

import itertools
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from pdf_readback import ink_margins, text_sizes  # noqa: E402

from cardpress.cli import app  # noqa: E402

LAYOUTS = ["index-3x5", "letter-4up", "a4-4up", "letter-3up"]
OFFSETS = [None, "3.2mm,3.2mm", "-3.2mm,-3.2mm", "2mm,-1mm"]
DPI = 288  # a quarter point per pixel


def run(*args) -> None:
    res = CliRunner().invoke(app, [str(a) for a in args])
    if res.exit_code:
        raise SystemExit(f"{' '.join(map(str, args))}: {res.output}")


def main() -> None:
    catalog = Path(sys.argv[1] if len(sys.argv) > 1 else "cards.toml").resolve()
    figures: dict[str, list] = defaultdict(lambda: [float("inf"), float("inf"), 0])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jobs = [("build", ["build", "-c", catalog])]
        jobs += [("worksheets " + " ".join(x), ["worksheets", "-c", catalog, *x])
                 for x in ([], ["--paper", "a4"], ["--answers"], ["--template", "three-pass"])]
        jobs += [("sheet --mono", ["sheet", "-c", catalog, "--mono"])]
        for lay, flip, off, halves in itertools.product(LAYOUTS, ("long", "short"), OFFSETS, (False, True)):
            extra = (["--back-offset", off] if off else []) + (["--fronts-only", "--backs-only"] if halves else [])
            jobs.append(("deck", ["deck", "-c", catalog, "-l", lay, "--flip", flip, *extra]))
        for lay, flip, off in itertools.product(LAYOUTS, ("long", "short"), OFFSETS):
            jobs.append(("calibrate", ["calibrate", "-l", lay, "--flip", flip, *(["--back-offset", off] if off else [])]))
        for i, (kind, args) in enumerate(jobs):
            out = root / str(i)
            run(*args, "-o", out)
            for pdf in out.rglob("*.pdf"):
                name = pdf.relative_to(out).as_posix()
                if name.startswith("worksheets/"):
                    name = "worksheets/<id>.pdf"  # one row for all papers
                key = f"{name} ({kind})" if kind.startswith("worksheets ") else name
                f = figures[key]
                f[0] = min(f[0], min(ink_margins(pdf, DPI)))
                f[1] = min(f[1], min(text_sizes(pdf)))
                f[2] += 1
    print("| output | files read | min ink distance from edge (pt) | min text size (pt) |")
    print("|---|---|---|---|")
    for key in sorted(figures):
        ink, size, n = figures[key]
        print(f"| {key} | {n} | {ink:.2f} | {size:.2f} |")


if __name__ == "__main__":
    main()
