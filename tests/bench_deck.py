"""Benchmark (not a test): the deck engine against a bare reportlab loop.

Run:  python tests/bench_deck.py [--sizes 17,1000,10000]

For each deck size it builds the index-3x5 and letter-4up decks through cardpress and
through a bare loop that draws the same texts at fixed sizes (every string cardpress
draws: pairing marks, byline, title, category labels, summary, figures and number texts,
the sheet's instruction line; wrapped naively by textwrap at a fixed character count; no
measuring, fitting or imposition, no shapes, marks or outline), then prints the time
(best of --repeats runs), the peak traced memory and the ratios. Targets (issue 3): at 1,000 cards cardpress within
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
    return len(_bare_bytes(cat, layout_name))


def _bare_bytes(cat, layout_name: str) -> bytes:
    """The same texts as cardpress draws, at fixed sizes, in a plain reportlab loop.

    Per card face: front = pairing mark, author and year, title, category short label and
    name; back = pairing mark, category short label, summary, each number's figure and
    text. Per sheet side (letter-4up only, like cardpress): the instruction line. Long
    texts are wrapped naively with textwrap at a fixed character count; nothing is
    measured, fitted or imposed (backs go in the same slots as fronts), no colours, shapes,
    cut marks or outline.
    """
    import io
    from textwrap import wrap

    from reportlab.pdfgen.canvas import Canvas

    from cardpress.typeset import fonts

    fonts.register()
    four_up = layout_name == "letter-4up"
    page = (792, 612) if four_up else (360, 216)
    slots = [(36, 324), (396, 324), (36, 90), (396, 90)] if four_up else [(0, 0)]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=page, invariant=1, pageCompression=1)
    cards = cat.cards
    total = len(cards)
    shorts = {k.name: k.short for k in cat.category_order(cards)}
    digits = max(2, len(str(total)))

    def block(x, y, text, font, size, chars):
        """One text, wrapped at `chars` characters, drawn line by line; returns the next y."""
        c.setFont(font, size)
        step = size * 1.2
        for line in wrap(text, chars):
            c.drawString(x, y, line)
            y -= step
        return y

    def one(x, y, text, font, size):
        c.setFont(font, size)
        c.drawString(x, y, text)

    per = len(slots)
    sheets = (total + per - 1) // per
    for first in range(0, total, per):
        group = cards[first:first + per]
        sheet = first // per + 1
        for side in ("FRONT", "BACK"):
            for i, ((x0, y0), card) in enumerate(zip(slots, group)):
                mark = f"{first + i + 1:0{digits}d}/{total}"
                one(x0 + 320, y0 + 192, mark, fonts.MONO, 7)
                if side == "FRONT":
                    one(x0 + 13, y0 + 190, f"{card.author} {card.year}", fonts.SANS_BOLD, 12)
                    block(x0 + 13, y0 + 140, card.title, fonts.SANS_BOLD, 20, 28)
                    one(x0 + 13, y0 + 20, shorts[card.category], fonts.COND_BOLD, 8)
                    one(x0 + 40, y0 + 20, card.category, fonts.COND, 8)
                else:
                    one(x0 + 13, y0 + 192, shorts[card.category], fonts.COND_BOLD, 7)
                    y = block(x0 + 13, y0 + 175, card.summary, fonts.SANS, 10, 60)
                    for n in card.numbers:
                        y -= 6
                        if n.figure:
                            one(x0 + 13, y, n.figure, fonts.SANS_BOLD, 13)
                        y = block(x0 + 90, y, n.text, fonts.SANS, 10, 45)
            if four_up:
                one(30, 590, f"{side} of sheet {sheet} of {sheets}. Print at actual size / 100% (not 'fit to page'), "
                    f"two-sided, flip on long edge." + (" Cut the inner lines first." if side == "FRONT" else ""),
                    fonts.SANS, 7)
            c.showPage()
    c.save()
    return buf.getvalue()


def floor_process(catalog: str, layout: str, out: str) -> None:
    """The floor as a whole process, for bench.py: parse the TOML (no validation), draw, write."""
    import tomllib

    from cardpress.catalog.load import build

    data = tomllib.loads(Path(catalog).read_text(encoding="utf-8"))
    cat = build(data, Path(catalog))
    Path(out).write_bytes(_bare_bytes(cat, layout))


def one_case(engine: str, n: int, layout: str, repeats: int) -> dict:
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
    # Time again without tracemalloc's overhead (which inflates pure-Python work unevenly),
    # a few times, keeping the best: the least disturbed by whatever else the machine does.
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(cat, layout)
        times.append(time.perf_counter() - t0)
    return {"engine": engine, "n": n, "layout": layout, "seconds": min(times), "all_seconds": times,
            "traced_seconds": elapsed, "peak_mb": peak / 2**20, "pdf_kb": size / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="17,1000,10000")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per case (the best is kept); "
                    "at 10,000 cards and more, at most 2")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--floor", nargs=3, metavar=("CATALOG", "LAYOUT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor:
        floor_process(*args.floor)
        return
    if args.case:
        engine, n, layout, repeats = args.case.split(":")
        print(json.dumps(one_case(engine, int(n), layout, int(repeats))))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for layout in ("index-3x5", "letter-4up"):
        for n in sizes:
            repeats = args.repeats if n < 10000 else min(args.repeats, 2)
            for engine in ("cardpress", "bare"):
                out = subprocess.run([sys.executable, __file__, "--case", f"{engine}:{n}:{layout}:{repeats}"],
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
