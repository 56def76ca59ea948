"""Time of the Markdown import's line patterns on adversarial lines (issue 18, D13).

Not collected by pytest. Each line is `## Card 1 — Alpha`-shaped with a 50,000-space run
placed where a backtracking pattern would re-scan it from each of its positions. The
baseline is a bare pass over the same text (splitlines + split) in the same run, so the
ratio says how far from linear the parser is on this machine at this moment.

Run: .venv/bin/python tests/bench_import_lines.py
"""

import time

from cardpress.grow.markdown_import import parse_markdown

SPACES = " " * 50_000
LINES = {
    "heading, spaces, then a word": f"## Card 1 — Alpha{SPACES}x",
    "Card, spaces, then a word": f"## Card{SPACES}x",
    "plain heading, spaces inside": f"## Vaswani{SPACES}2017 — Attention",
    "label, spaces, then a word": f"## Card 1 — A 2017, B\nSummary{SPACES}x",
    "three, spaces, then a word": f"## Card 1 — A 2017, B\n3{SPACES}x",
    "number item, spaces inside": f"## Card 1 — A 2017, B\n3 numbers.\n1.{SPACES}a\n2.{SPACES}b\n3.{SPACES}c",
}


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    for name, text in LINES.items():
        base = best(lambda: [line.split() for line in text.splitlines()])
        parse = best(lambda: parse_markdown(text, "bench.md"))
        print(f"{name:32s} parse {parse * 1000:8.2f} ms   bare pass {base * 1000:6.2f} ms   ratio {parse / base:6.1f}")


if __name__ == "__main__":
    main()
