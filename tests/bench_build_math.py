"""What formulas cost a whole build: `cardpress build` of the shipped catalog with an empty
formula cache and an empty MPLCONFIGDIR (cold) and with what a previous build left (warm), and `cardpress deck`
of the same catalog with its formulas written out as ASCII (no formula at all).

Each run is a fresh process, timed from outside, and reports whether matplotlib was
imported. Not collected by pytest (timings vary by machine).

    python tests/bench_build_math.py [runs]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CODE = """
import sys
from typer.main import get_command
from cardpress.cli import app
get_command(app)(sys.argv[1:], standalone_mode=False)
print("MATPLOTLIB", "matplotlib" in sys.modules)
"""


def run(args: list[str], cache: str, mplconfig: str | None = None) -> tuple[float, bool]:
    env = dict(os.environ, CARDPRESS_CACHE_DIR=cache)
    if mplconfig is not None:  # issue 21's cold: matplotlib's own font list rebuilt too
        env["MPLCONFIGDIR"] = mplconfig
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CODE, *args], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    if "MATPLOTLIB" not in out.stdout or "problem" in out.stdout + out.stderr:
        raise SystemExit(f"cardpress {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
    return elapsed, "MATPLOTLIB True" in out.stdout


def main(runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shipped = REPO / "cards.toml"
        plain = tmp / "plain.toml"
        # The same catalog with the math delimiters dropped: its TeX prints as plain text.
        plain.write_text(re.sub(r"\\\(|\\\)", "", shipped.read_text(encoding="utf-8")), encoding="utf-8")
        build = ["build", "--catalog", str(shipped), "--out", str(tmp / "out")]
        rows = []
        cold = []
        for i in range(runs):
            cache = tmp / f"cold{i}"
            cold.append(run(build, str(cache), str(tmp / f"mpl{i}")))
        rows.append(("build, cold cache", cold))
        warm_cache = str(tmp / "cold0")
        warm = [run(build, warm_cache, str(tmp / "mpl0")) for _ in range(runs)]
        rows.append(("build, warm cache", warm))
        rows.append(("build, no formulas", [run(["build", "--catalog", str(plain), "--out", str(tmp / "o2")], "")
                                            for _ in range(runs)]))
        rows.append(("deck, no formulas", [run(["deck", "--catalog", str(plain), "--out", str(tmp / "o3")], "")
                                           for _ in range(runs)]))
        rows.append(("validate, cold cache", [run(["validate", "--catalog", str(shipped)], str(tmp / f"v{i}"))
                                              for i in range(runs)]))
        rows.append(("validate, warm cache", [run(["validate", "--catalog", str(shipped)], warm_cache)
                                              for _ in range(runs)]))
        ratio = statistics.median(t for t, _ in cold) / statistics.median(t for t, _ in warm)
        print(f"cold / warm build: {ratio:.2f}x (issue 21's target: at most 1.5x)")
        for name, results in rows:
            times = [t for t, _ in results]
            imported = {m for _, m in results}
            print(f"{name:24s} median {statistics.median(times):5.2f} s  (min {min(times):.2f})  "
                  f"matplotlib imported: {'/'.join(sorted(map(str, imported)))}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
