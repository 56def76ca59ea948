"""Benchmark (not collected by pytest): `validate` on 1,000 cards and `worksheets` on 5,000.

Each run is a real `cardpress` process; time is wall-clock, peak memory is the child's
maximum resident set size (resource.getrusage), the figure the 500 MiB target is about.

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


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one cardpress process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cardpress", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    # ru_maxrss of the largest child so far (KiB on Linux); each run here is bigger than the last.
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    n_validate = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_sheets = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in {n_validate, n_sheets}:
            (tmp / f"c{n}.toml").write_bytes(tomli_w.dumps(catalog_data(n)).encode())
        seconds, peak = run(["validate", "--catalog", str(tmp / f"c{n_validate}.toml")])
        print(f"validate, {n_validate} cards: {seconds:.1f} s, peak {peak:.0f} MiB")
        seconds, peak = run(["worksheets", "--catalog", str(tmp / f"c{n_sheets}.toml"), "--out", str(tmp / "out")])
        files = sum(1 for _ in (tmp / "out").rglob("*.pdf"))
        print(f"worksheets, {n_sheets} cards: {seconds:.1f} s, peak {peak:.0f} MiB, {files} files")


if __name__ == "__main__":
    main()
