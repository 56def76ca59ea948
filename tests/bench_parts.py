"""Benchmark (not collected by pytest): each home-made part kept in issue 19 against the
simpler thing it would be replaced by, interleaved in one run, medians and the ratio.

Run:  .venv/bin/python tests/bench_parts.py [RUNS]

- startup.py (the collector held off while a run imports, then gc.freeze): `python -m
  cardpress deck` against the same command entered without it;
- tomli (compiled) against the standard library's tomllib: parsing the shipped catalog and
  a generated one of 1,000 cards;
- pipeline/parallel.py: `build --jobs 2` against `build --jobs 1` (wall time: what a user
  waits; it only pays on an idle machine with two free cores);
- the combined worksheets on one canvas (pdf/join.py was retired): peak memory and CPU at
  1,000 papers, against the 500 MiB limit.

Nothing is asserted: a part stays where it saves 10 % of a user-visible time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from conftest import SHIPPED_CATALOG, catalog_data  # noqa: E402

PY = sys.executable
NO_STARTUP = "import sys; from cardpress.cli import main; sys.argv[0] = 'cardpress'; main()"


def wall_and_cpu(cmd: list[str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime


def paired(a: list[str], b: list[str], cwd: Path, runs: int) -> tuple[float, float, float, float]:
    """Median wall and CPU of A and of B, run in turn (A B A B ...) after one warm-up each."""
    wall_and_cpu(a, cwd), wall_and_cpu(b, cwd)
    ra, rb = [], []
    for _ in range(runs):
        ra.append(wall_and_cpu(a, cwd))
        rb.append(wall_and_cpu(b, cwd))
    med = lambda rs, i: statistics.median(r[i] for r in rs)  # noqa: E731
    return med(ra, 0), med(ra, 1), med(rb, 0), med(rb, 1)


def parse_ms(loads, text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        loads(text)
        best = min(best, time.perf_counter() - t)
    return best * 1000


def row(part: str, case: str, kept: str, kept_s: float, other: str, other_s: float, unit: str = "s") -> None:
    print(f"{part:<12} {case:<34} {kept:<14} {kept_s:8.3f} {unit:<3} {other:<16} {other_s:8.3f} {unit:<3} "
          f"ratio {kept_s / other_s:5.2f}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "cards.toml").write_bytes(SHIPPED_CATALOG.read_bytes())
        print(f"{'part':<12} {'case':<34} {'kept':<14} {'':>12} {'alternative':<16} {'':>12}")

        deck = ["deck", "--layout", "letter-4up", "--out", str(work / "o")]
        aw, ac, bw, bc = paired([PY, "-m", "cardpress", *deck], [PY, "-c", NO_STARTUP, *deck], work, runs)
        row("startup", "deck letter-4up, 17 cards (CPU)", "startup", ac, "Python defaults", bc)
        row("startup", "deck letter-4up, 17 cards (wall)", "startup", aw, "Python defaults", bw)

        import tomllib

        import tomli

        big = tomli_w.dumps(catalog_data(1000))
        shipped = SHIPPED_CATALOG.read_text(encoding="utf-8")
        row("tomli", "parse the shipped catalog", "tomli", parse_ms(tomli.loads, shipped), "tomllib",
            parse_ms(tomllib.loads, shipped), "ms")
        row("tomli", "parse 1,000 cards", "tomli", parse_ms(tomli.loads, big, 3), "tomllib",
            parse_ms(tomllib.loads, big, 3), "ms")

        build = [PY, "-m", "cardpress", "build", "--out", str(work / "b")]
        aw, ac, bw, bc = paired([*build, "--jobs", "2"], [*build, "--jobs", "1"], work, runs)
        row("parallel", "build, shipped catalog (wall)", "--jobs 2", aw, "--jobs 1", bw)
        print(f"{'':<12} (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
              "two jobs only pay with a core free)")

        (work / "big.toml").write_text(big, encoding="utf-8")
        probe = ("import resource, sys, time; from cardpress.catalog import load_catalog; "
                 "from cardpress.worksheets import iter_worksheets; "
                 f"cat = load_catalog({str(work / 'big.toml')!r}); t = time.process_time(); "
                 "n = sum(len(o.data) for o in iter_worksheets(cat, singles=False)); "
                 "print(n / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.process_time() - t)")
        size, peak, cpu = (float(v) for v in subprocess.run([PY, "-c", probe], capture_output=True, text=True,
                                                            check=True).stdout.split())
        print(f"{'one canvas':<12} worksheets.pdf of 1,000 papers: {size:.0f} MiB, peak {peak:.0f} MiB "
              f"(limit 500 MiB), {cpu:.1f} s CPU; the retired joiner: 123 MiB, 20.0 s (issue 19's run)")



if __name__ == "__main__":
    main()
