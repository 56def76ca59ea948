"""Benchmark: fitting and writing the revision sheet (not collected by pytest).

Run: .venv/bin/python tests/bench_sheet.py

For 17 cards (the shipped catalog) and 200 generated cards (with and without the shipped
revision notes), on Letter and A4: the time to lay out (size search + flow + balance),
the time to render the PDF and write it, the number of layout passes and the size chosen.
A catalog that does not fit is timed to its error, which is also an answer.

Every layout starts from cold paragraphs (the breaker's per-paragraph tables and answers
forgotten, as in a fresh `build`; word widths and hyphenation stay warm, as after the
first word). The baseline, measured in the same run: one heights-only pass at the chosen
size from the same cold start, the least any layout must do. "x pass" is layout / baseline:
the size search's cost in passes (a plain bisection over 6..9 pt cost about 9).
"""

from __future__ import annotations

import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SHIPPED_CATALOG, card_data, catalog_data  # noqa: E402

from cardpress.catalog import load_catalog, load_catalog_text  # noqa: E402
from cardpress.errors import CardpressError  # noqa: E402
from cardpress.files.staging import write_outputs  # noqa: E402
from cardpress.sheet import render_sheet  # noqa: E402
from cardpress.sheet import geometry  # noqa: E402
from cardpress.sheet.content import sheet_sections  # noqa: E402
from cardpress.sheet.layout import _Pass, lay_out  # noqa: E402
from cardpress.typeset import breaker  # noqa: E402

REPEAT = 5


def catalogs():
    """(name, catalog, --sections) triples."""
    yield "shipped 17", load_catalog(SHIPPED_CATALOG), None
    yield "200 generated", load_catalog_text(tomli_w.dumps(catalog_data(200)), "gen200.toml"), None
    data = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    data.pop("questions")  # the follow-ups name the shipped ids
    data["cards"] = [card_data(i) for i in range(1, 201)]
    yield "200 + all", load_catalog_text(tomli_w.dumps(data), "gen200-notes.toml"), None
    # The capacity case: the shipped cards repeated to 120, cards only.
    shipped = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))["cards"]
    data["cards"] = [dict(shipped[i % 17], id=f"{shipped[i % 17]['id']}-{i // 17}") for i in range(120)]
    for card in data["cards"]:
        card.pop("protocol", None)
    yield "120 cards only", load_catalog_text(tomli_w.dumps(data), "rep120.toml"), ("cards",)


def best_of(fn, cold: bool = False):
    """Best of REPEAT runs; with `cold`, each from cold paragraphs (see the module's doc)."""
    best, result = float("inf"), None
    for _ in range(REPEAT):
        if cold:
            breaker._paragraph.cache_clear()
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="bench-sheet-"))
    t = time.perf_counter()
    first = list(catalogs())[1][1]
    lay_out(first, "a4")
    print(f"cold start (fonts, word widths): 200 generated cards on A4 laid out in "
          f"{(time.perf_counter() - t) * 1000:.0f} ms including catalog load")
    print(f"{'catalog':<15} {'paper':<6} {'layout':>8} {'1 pass':>8} {'x pass':>6} {'render+write':>13} {'total':>8} "
          f"passes  size  cols")
    for name, cat, sections in catalogs():
        for paper in ("letter", "a4"):
            def layout():
                try:
                    return lay_out(cat, paper, sections)
                except CardpressError as exc:
                    return exc

            t_layout, sheet = best_of(layout, cold=True)
            if isinstance(sheet, CardpressError):
                print(f"{name:<15} {paper:<6} {t_layout * 1000:7.1f}ms {'-':>8} {'-':>6} {'-':>13} "
                      f"{t_layout * 1000:7.1f}ms   -     -     -"
                      f"   over-full: {sheet.problems[0].message.split(': ', 1)[-1][:90]}")
                continue
            fr, secs = geometry.frame(paper), sheet_sections(cat, sections)
            t_pass, _ = best_of(lambda: _Pass(secs, fr, sheet.size, True, cat.deck.lang), cold=True)
            t_write, _ = best_of(lambda: write_outputs(out, [render_sheet(cat, sheet)]))
            print(f"{name:<15} {paper:<6} {t_layout * 1000:7.1f}ms {t_pass * 1000:6.1f}ms {t_layout / t_pass:6.1f} "
                  f"{t_write * 1000:11.1f}ms {(t_layout + t_write) * 1000:7.1f}ms {sheet.passes:>6} {sheet.size:5.2f} "
                  f"{sheet.columns_per_page:>5}")


if __name__ == "__main__":
    main()
