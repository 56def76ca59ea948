"""Benchmark (not collected by pytest): `validate` on 1,000 cards and `worksheets` on 1,000.

Each run is a real `cardpress` process; time is wall-clock and CPU (user + system, the
figure to compare on a shared machine), peak memory is the child's maximum resident set
size (resource.getrusage), the figure the 500 MiB target is about.

    .venv/bin/python tests/bench_reliability.py [VALIDATE_CARDS] [WORKSHEET_CARDS]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import catalog_data  # noqa: E402


def run(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one cardpress process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cardpress", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # ru_maxrss of the largest child so far (KiB on Linux); each run here is bigger than the last.
    return seconds, cpu, after.ru_maxrss / 1024


def main() -> None:
    n_validate = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_sheets = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in {n_validate, n_sheets}:
            (tmp / f"c{n}.toml").write_bytes(tomli_w.dumps(catalog_data(n)).encode())
        seconds, cpu, peak = run(["validate", "--catalog", str(tmp / f"c{n_validate}.toml")])
        print(f"validate, {n_validate} cards: {seconds:.1f} s ({cpu:.1f} s CPU), peak {peak:.0f} MiB")
        seconds, cpu, peak = run(["worksheets", "--catalog", str(tmp / f"c{n_sheets}.toml"), "--out", str(tmp / "out")])
        files = sum(1 for _ in (tmp / "out").rglob("*.pdf"))
        size = (tmp / "out" / "worksheets.pdf").stat().st_size / 2**20
        print(f"worksheets, {n_sheets} cards: {seconds:.1f} s ({cpu:.1f} s CPU), peak {peak:.0f} MiB, {files} files, "
              f"worksheets.pdf {size:.0f} MiB (target: peak <= 500 MiB)")


if __name__ == "__main__":
    main()
