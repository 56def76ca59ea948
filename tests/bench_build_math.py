"""What a first run after install costs against a second one (issues 21 and 22).

cold: a fresh process with an empty HOME, no XDG_CACHE_HOME, no MPLCONFIGDIR and no
CARDPRESS_CACHE_DIR, so cardpress's formula cache (~/.cache/cardpress) and matplotlib's
config and font list (~/.config/matplotlib, ~/.cache/matplotlib) all start empty, as right
after `pip install`. warm: the same command again with what the cold run left in that HOME.

Two catalogs: the shipped cards.toml and the one `cardpress init` writes into an empty
folder. The bare baselines are `build` and `deck` of the shipped catalog with its formulas
written out as plain text (no formula at all). Each run is a fresh process timed from
outside; it reports whether matplotlib was imported. Not collected by pytest.

    python tests/bench_build_math.py [runs]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

REPO = Path(__file__).resolve().parent.parent
CODE = """
import atexit, sys
atexit.register(lambda: print("MATPLOTLIB", "matplotlib" in sys.modules))
from cardpress.cli import app
app(sys.argv[1:], prog_name="cardpress")
"""

def run(args: list[str], home: Path, cwd: Path | None = None) -> tuple[float, float, bool]:
    """(wall seconds, CPU seconds of the process and its workers, whether matplotlib was
    imported). CPU time moves less than wall time when other work shares the machine."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "MPLCONFIGDIR", "CARDPRESS_CACHE_DIR")}
    env["HOME"] = str(home)
    home.mkdir(exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CODE, *args], env=env, cwd=cwd, capture_output=True,
                         text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if out.returncode or "MATPLOTLIB" not in out.stdout or "problem" in out.stdout + out.stderr:
        raise SystemExit(f"cardpress {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
    return elapsed, cpu, "MATPLOTLIB True" in out.stdout


def cold_warm(tmp: Path, name: str, args: list[str], runs: int, cwd: Path | None = None):
    """`runs` pairs: a cold run in a new empty HOME, then a warm one in that HOME (paired, so
    a change in the machine's load hits both alike)."""
    cold, warm = [], []
    for i in range(runs):
        cold.append(run(args, tmp / f"{name}-home{i}", cwd))
        warm.append(run(args, tmp / f"{name}-home{i}", cwd))
    return cold, warm


def show(name: str, results) -> tuple[float, float]:
    times, cpus = [t for t, _, _ in results], [c for _, c, _ in results]
    imported = {m for _, _, m in results}
    print(f"{name:30s} median {statistics.median(times):5.2f} s wall (min {min(times):.2f}), "
          f"{statistics.median(cpus):5.2f} s CPU  matplotlib imported: {'/'.join(sorted(map(str, imported)))}")
    return statistics.median(times), statistics.median(cpus)


def _strip_math(node):
    if isinstance(node, str):
        return node.replace("\\(", "").replace("\\)", "")
    if isinstance(node, dict):
        return {k: _strip_math(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip_math(v) for v in node]
    return node


def main(runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shipped = REPO / "cards.toml"
        plain = tmp / "plain.toml"
        # The same catalog with the math delimiters dropped: its TeX prints as plain text.
        plain.write_text(tomli_w.dumps(_strip_math(tomllib.loads(shipped.read_text(encoding="utf-8")))),
                         encoding="utf-8")
        starter = tmp / "starter"
        starter.mkdir()
        run(["init"], tmp / "init-home", cwd=starter)

        ratios = []
        for label, args, cwd in (
            ("build shipped", ["build", "--catalog", str(shipped), "--out", str(tmp / "out")], None),
            ("build `init` catalog", ["build"], starter),
            ("validate shipped", ["validate", "--catalog", str(shipped)], None),
        ):
            cold, warm = cold_warm(tmp, label.split()[0] + str(len(ratios)), args, runs, cwd)
            (c, cc), (w, wc) = show(f"{label}, cold", cold), show(f"{label}, warm", warm)
            ratios.append((label, c / w, cc / wc))
        show("build, no formulas", [run(["build", "--catalog", str(plain), "--out", str(tmp / "o2")],
                                        tmp / "plain-home") for _ in range(runs)])
        show("deck, no formulas", [run(["deck", "--catalog", str(plain), "--out", str(tmp / "o3")],
                                       tmp / "plain-home") for _ in range(runs)])
        for label, ratio, cpu_ratio in ratios:
            print(f"cold / warm, {label}: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (issue 21's target: at most 1.5x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
