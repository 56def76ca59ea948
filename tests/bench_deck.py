"""Benchmark (not a test): the deck engine against a bare reportlab loop.

Run:  python tests/bench_deck.py [--sizes 17,1000,10000]

For each deck size it builds the index-3x5 and letter-4up decks through cardpress and
through a bare loop that draws the same texts at fixed sizes (reportlab's simpleSplit
wrapping, no fitting, no imposition, no marks, no outline), then prints the time, the
peak traced memory and the ratios. Targets (issue 3): at 1,000 cards cardpress within
1.5x the bare loop; time linear from 1,000 to 10,000 cards; peak under 200 MB at 10,000.
Each case runs in a fresh process so one case's memory never counts against another.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def make_catalog(n: int):
    from conftest import card_data

    from cardpress.catalog.model import Catalog, Card, Deck, Number

    cards = []
    for i in range(1, n + 1):
        d = card_data(i)
        cards.append(Card(id=d["id"], author=d["author"], year=d["year"], title=d["title"], summary=d["summary"],
                          numbers=tuple(Number(x["figure"], x["text"]) for x in d["numbers"]),
                          category=d["category"], tags=tuple(d["tags"])))
    return Catalog(Path("bench.toml"), Deck(f"Bench deck of {n}", author="bench"), tuple(cards))


def run_cardpress(cat, layout_name: str) -> int:
    from cardpress.deck.assemble import DeckRequest, deck_pdf
    from cardpress.deck.layout_spec import load_layout

    return len(deck_pdf(cat, DeckRequest(load_layout(layout_name))).data)


def run_bare(cat, layout_name: str) -> int:
    """The same texts, fixed sizes, one card per page slot, nothing fitted or imposed."""
    import io

    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from cardpress import fonts

    fonts.register()
    four_up = layout_name == "letter-4up"
    page = (792, 612) if four_up else (360, 216)
    slots = [(36, 324), (396, 324), (36, 90), (396, 90)] if four_up else [(0, 0)]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=page, invariant=1, pageCompression=1)
    width = 334

    def lines(x, y, text, font, size):
        for line in simpleSplit(text, font, size, width):
            c.setFont(font, size)
            c.drawString(x, y, line)
            y -= size * 1.2
        return y

    cards = cat.cards
    per = len(slots)
    for first in range(0, len(cards), per):
        group = cards[first:first + per]
        for i, ((x0, y0), card) in enumerate(zip(slots, group)):
            lines(x0 + 300, y0 + 190, f"{first + i + 1:02d}/{len(cards)}", fonts.MONO, 7)
            lines(x0 + 13, y0 + 190, f"{card.author} {card.year}", fonts.SANS_BOLD, 12)
            lines(x0 + 13, y0 + 120, card.title, fonts.SANS_BOLD, 20)
            lines(x0 + 13, y0 + 20, card.category, fonts.COND, 8)
        c.showPage()
        for i, ((x0, y0), card) in enumerate(zip(slots, group)):
            lines(x0 + 300, y0 + 190, f"{first + i + 1:02d}/{len(cards)}", fonts.MONO, 7)
            y = lines(x0 + 13, y0 + 180, card.summary, fonts.SANS, 10)
            for n in card.numbers:
                y = lines(x0 + 13, y - 6, n.full, fonts.SANS, 10)
        c.showPage()
    c.save()
    return len(buf.getvalue())


def one_case(engine: str, n: int, layout: str) -> dict:
    cat = make_catalog(n)
    run = run_cardpress if engine == "cardpress" else run_bare
    # Warm the font registration and caches on a tiny deck so one-time costs don't skew small runs.
    run(make_catalog(2), layout)
    tracemalloc.start()
    t0 = time.perf_counter()
    size = run(cat, layout)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Time again without tracemalloc's overhead, which inflates pure-Python work unevenly.
    t0 = time.perf_counter()
    run(cat, layout)
    untraced = time.perf_counter() - t0
    return {"engine": engine, "n": n, "layout": layout, "seconds": untraced, "traced_seconds": elapsed,
            "peak_mb": peak / 2**20, "pdf_kb": size / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="17,1000,10000")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        engine, n, layout = args.case.split(":")
        print(json.dumps(one_case(engine, int(n), layout)))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for layout in ("index-3x5", "letter-4up"):
        for n in sizes:
            for engine in ("cardpress", "bare"):
                out = subprocess.run([sys.executable, __file__, "--case", f"{engine}:{n}:{layout}"],
                                     capture_output=True, text=True, check=True)
                results[(engine, n, layout)] = json.loads(out.stdout)

    print(f"{'layout':<11} {'cards':>6} {'cardpress s':>11} {'bare s':>8} {'ratio':>6} "
          f"{'cp peak MB':>10} {'bare MB':>8} {'cp ms/card':>10}")
    for layout in ("index-3x5", "letter-4up"):
        for n in sizes:
            cp, bare = results[("cardpress", n, layout)], results[("bare", n, layout)]
            print(f"{layout:<11} {n:>6} {cp['seconds']:>11.3f} {bare['seconds']:>8.3f} "
                  f"{cp['seconds'] / bare['seconds']:>6.2f} {cp['peak_mb']:>10.1f} {bare['peak_mb']:>8.1f} "
                  f"{1000 * cp['seconds'] / n:>10.3f}")
        if 1000 in sizes and 10000 in sizes:
            a, b = results[("cardpress", 1000, layout)], results[("cardpress", 10000, layout)]
            print(f"{layout:<11} growth 1,000 -> 10,000 cards: x{b['seconds'] / a['seconds']:.2f} time "
                  f"(linear = x10.0), per card {1000 * a['seconds'] / 1000:.3f} -> {1000 * b['seconds'] / 10000:.3f} ms")


if __name__ == "__main__":
    main()
