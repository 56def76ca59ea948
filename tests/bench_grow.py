"""Timing of `import` and `add` on large inputs (not collected by pytest).

Run: /work/venv/bin/python tests/bench_grow.py
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SHIPPED_CATALOG  # noqa: E402
from cardpress.cli import app  # noqa: E402


def notes(n: int, bad_every: int = 0, bad_year_every: int = 0) -> str:
    blocks = []
    for i in range(n):
        year = 1800 if bad_year_every and i % bad_year_every == 0 else 2020
        numbers = f"1. {i}M params. 2. {i} days of training." + ("" if bad_every and i % bad_every == 0 else
                                                                   f" 3. +{i}% on the benchmark.")
        blocks.append(f"## Card {i} — Author{i} {year}, Paper number {i}\nSummary. Summary {i}.\n3 numbers. {numbers}\n")
    return "\n".join(blocks)


def main() -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n, bad_every, bad_year in ((200, 0, 0), (1000, 0, 0), (200, 10, 0), (200, 0, 10)):
            md = tmp / "notes.md"
            md.write_text(notes(n, bad_every, bad_year), encoding="utf-8")
            cat = tmp / "cards.toml"
            shutil.copyfile(SHIPPED_CATALOG, cat)
            t0 = time.perf_counter()
            result = runner.invoke(app, ["import", str(md), "--catalog", str(cat)])
            dt = time.perf_counter() - t0
            what = (f"every {bad_every}th with two numbers" if bad_every else
                    f"every {bad_year}th with year 1800, checked card by card" if bad_year else "all good")
            print(f"import {n} cards ({what}): {dt:.2f} s, exit {result.exit_code}")
        t0 = time.perf_counter()
        args = ["add", "--catalog", str(cat), "--author", "Hu", "--year", "2021", "--title", "LoRA again",
                "--summary", "S.", "--number", "1 a", "--number", "2 b", "--number", "3 c"]
        result = runner.invoke(app, args)
        print(f"add 1 card to a {len(cat.read_text().splitlines())}-line catalog: "
              f"{time.perf_counter() - t0:.2f} s, exit {result.exit_code}")


if __name__ == "__main__":
    main()
