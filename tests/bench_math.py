"""Benchmark (not a test): what inline math costs a build, and whether the disk cache pays.

Run:  python tests/bench_math.py [--repeats 3]

Each case is a fresh process (imports are per process), timed from the outside:
- baseline:  `import cardpress.typeset.mathtext` and split a text with no formula (must not import
  matplotlib);
- cold:      lay out the shipped catalog's formulas with an empty disk cache (imports
  matplotlib, parses every formula, writes the cache);
- warm:      the same with the cache the cold run left (a rebuild of an unchanged catalog);
- no-cache:  the same with the disk cache turned off.
Also prints the in-process time per formula once matplotlib is loaded. Best of --repeats.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

FORMULAS = [
    r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"\frac{QK^\top}{\sqrt{d_k}}",
    r"L(N, D) = E + \frac{A}{N^{0.34}} + \frac{B}{D^{0.28}}",
    r"\mathcal{L}_{\mathrm{DPO}} = -\log\sigma\left(\beta\log\frac{\pi_\theta(y_w|x)}{\pi_{\mathrm{ref}}(y_w|x)}"
    r" - \beta\log\frac{\pi_\theta(y_l|x)}{\pi_{\mathrm{ref}}(y_l|x)}\right)".replace(r"\mathcal{L}", "L"),
    r"r \ll \min(d, k)",
    r"\beta",
]

LAYOUT_ALL = (
    "import sys; from cardpress.typeset import mathtext as m; from bench_math import FORMULAS\n"
    "[m.layout(t, s) for t in FORMULAS for s in (8.0, 10.0)]\n"
    "assert ('matplotlib' in sys.modules) == (sys.argv[1] == 'imports')\n"
)
BASELINE = (
    "import sys; from cardpress.typeset import mathtext as m\n"
    "m.formula_problems('costs ~$4.6M, no formula here')\n"
    "assert 'matplotlib' not in sys.modules\n"
)


def run(code: str, cache: str, expect: str) -> float:
    env = dict(os.environ, CARDPRESS_CACHE_DIR=cache, PYTHONPATH=os.path.dirname(__file__))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, expect], env=env, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    best = {k: float("inf") for k in ("baseline", "cold", "warm", "no-cache")}
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as cache:
            best["baseline"] = min(best["baseline"], run(BASELINE, "", "none"))
            best["cold"] = min(best["cold"], run(LAYOUT_ALL, cache, "imports"))
            best["warm"] = min(best["warm"], run(LAYOUT_ALL, cache, "none"))
            best["no-cache"] = min(best["no-cache"], run(LAYOUT_ALL, "", "imports"))
    n = len(FORMULAS) * 2
    for k, v in best.items():
        print(f"{k:9s} {v * 1000:7.0f} ms  (fresh process, {n} layouts)")

    os.environ["CARDPRESS_CACHE_DIR"] = ""
    from cardpress.typeset import mathtext as m

    t = time.perf_counter()
    m.layout("x", 10.0)
    print(f"first layout in process (imports matplotlib): {(time.perf_counter() - t) * 1000:.0f} ms")
    for tex in FORMULAS:
        t = time.perf_counter()
        for i in range(10):
            m.layout(tex, 9.0 + i / 100)  # distinct sizes: no cache hits
        print(f"{(time.perf_counter() - t) * 100:6.1f} ms/formula  {tex[:50]}")


if __name__ == "__main__":
    main()
