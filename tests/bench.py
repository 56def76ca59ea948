"""The speed benchmark (not a test): one command, one table.

Run:  python tests/bench.py [--quick] [--sizes 17,1000,10000] [--json FILE] [--no-bytecode]

Every case is a whole process, as a user runs it (interpreter start, imports, parse,
layout, PDF, file written), timed from spawn to exit; peak memory is that child's own
maximum resident set, as GNU time reports it for its own fresh child (see run_once), and
CPU time from os.wait4 per child (RUSAGE_CHILDREN would accumulate over all children).
Several runs per case; the table shows medians.

- cardpress: `python -m cardpress deck --layout letter-4up` on the shipped 17 cards and on
  generated catalogs of 1,000 and 10,000 cards (tests/conftest.py's card_data).
- floor: bench_deck.py's bare reportlab loop on the same catalog, in its own process
  (tomllib parse, the same strings at fixed sizes, no validation, fitting or marks).
- pdflatex: the same cards as a LaTeX `flashcards` document, 4-up on landscape Letter
  (bench_latex.py says why that class and configuration), one pdflatex pass; skipped,
  saying so, when pdflatex is not installed.
- index-3x5 at the largest size (the memory target), `build` on the shipped catalog (on every
  core, and in one process with --jobs 1), and
  `validate` on the largest catalog against a bare `tomllib` parse of the same file.

Targets (issue 12) are printed beside the figures; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_latex import LETTER_4UP_CFG, flashcards_tex  # noqa: E402
from conftest import SHIPPED_CATALOG, catalog_data  # noqa: E402

PY = sys.executable


TIME = shutil.which("time") or "/usr/bin/time"
CHILD_ENV: dict[str, str] | None = None  # None: this process's own (see child_env)


def child_env(work: Path, bytecode: bool) -> dict[str, str]:
    """The measured processes' environment: an installed cardpress's, caches in `work`.

    An installed package has its bytecode compiled (pip does it), so Python's bytecode
    cache is allowed even where PYTHONDONTWRITEBYTECODE is set (as on the build machine,
    where every run otherwise compiled every cardpress module again: ~40 ms a run); it is
    kept in `work`, not beside the sources. cardpress's own caches (laid-out formulas,
    parsed fonts) go to `work` too: the warm-up run fills them, as a user's first run does.
    """
    env = dict(os.environ, CARDPRESS_CACHE_DIR=str(work / "cardpress-cache"))
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_once(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one child process; raises if it fails.

    Peak memory comes from GNU time's report of its own fresh child: Linux carries the
    high-water mark of the memory a process had before exec into ru_maxrss, so a child
    spawned straight from this (large) benchmark process would report our size, not its own.
    """
    report = cwd / ".bench-peak"
    wrapped = [TIME, "-f", "%M", "-o", str(report), *argv] if Path(TIME).exists() else argv
    t0 = time.perf_counter()
    proc = subprocess.Popen(wrapped, cwd=cwd, env=CHILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n{err[-2000:]}")
    # KiB on Linux, from GNU time or else from wait4 (then an upper bound, see above).
    peak_kib = int(report.read_text().split()[-1]) if wrapped is not argv else usage.ru_maxrss
    # CPU time (user + system, the child's and its own children's) is reported beside wall
    # time because it barely moves when other work shares the machine, and wall time does.
    return elapsed, usage.ru_utime + usage.ru_stime, peak_kib / 1024


def measure(argv: list[str], cwd: Path, runs: int) -> dict:
    run_once(argv, cwd)  # warm the page cache and any on-disk caches; not counted
    samples = [run_once(argv, cwd) for _ in range(runs)]
    return {"seconds": statistics.median(s for s, _, _ in samples),
            "cpu": statistics.median(c for _, c, _ in samples),
            "peak_mib": max(m for _, _, m in samples), "runs": runs}


def catalog_file(work: Path, n: int) -> Path:
    if n == 17:
        return SHIPPED_CATALOG
    path = work / f"cards-{n}.toml"
    if not path.exists():
        path.write_bytes(tomli_w.dumps(catalog_data(n)).encode())
    return path


def tex_dir(work: Path, catalog: Path, n: int) -> Path:
    d = work / f"tex-{n}"
    d.mkdir(exist_ok=True)
    (d / "letter4up.cfg").write_text(LETTER_4UP_CFG, encoding="utf-8")
    data = tomllib.loads(catalog.read_text(encoding="utf-8"))
    (d / "deck.tex").write_text(flashcards_tex(data), encoding="utf-8")
    return d


def cardpress(*args: str) -> list[str]:
    return [PY, "-m", "cardpress", *args]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs (3 small, 1 at 10,000 cards)")
    ap.add_argument("--sizes", default="17,1000,10000")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="run every process without Python's bytecode cache (compiles each module each run)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    biggest = max(sizes)

    def runs_for(n: int) -> int:
        if args.quick:
            return 3 if n <= 1000 else 1
        return 7 if n <= 1000 else 3

    pdflatex = shutil.which("pdflatex")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="cardpress-bench-") as tmp:
        work = Path(tmp)
        global CHILD_ENV
        CHILD_ENV = child_env(work, bytecode=not args.no_bytecode)
        out = work / "out"

        def deck_row(layout: str, n: int) -> dict:
            """cardpress's deck and the bare reportlab loop, on one layout and catalog size."""
            cat, r = catalog_file(work, n), runs_for(n)
            return {"work": f"deck {layout}, {n:,} cards", "n": n,
                    "cardpress": measure(cardpress("deck", "--layout", layout, "--catalog", str(cat),
                                                   "--out", str(out)), work, r),
                    "floor": measure([PY, str(HERE / "bench_deck.py"), "--floor", str(cat), layout,
                                      str(work / "floor.pdf")], work, r)}

        for n in sizes:
            cat = catalog_file(work, n)
            r = runs_for(n)
            row = deck_row("letter-4up", n)
            if pdflatex:
                d = tex_dir(work, cat, n)
                row["pdflatex"] = measure([pdflatex, "-interaction=batchmode", "-halt-on-error", "deck.tex"], d, r)
            rows.append(row)
            print(f"  measured {row['work']}", file=sys.stderr)

        cat = catalog_file(work, biggest)
        r = runs_for(biggest)
        rows.append(deck_row("index-3x5", biggest))

        rows.append({"work": "build, shipped catalog", "n": 17,
                     "cardpress": measure(cardpress("build", "--catalog", str(SHIPPED_CATALOG), "--out", str(out)),
                                          work, runs_for(17))})
        rows.append({"work": "build, shipped, --jobs 1", "n": 17,
                     "cardpress": measure(cardpress("build", "--jobs", "1", "--catalog", str(SHIPPED_CATALOG),
                                                    "--out", str(out)), work, runs_for(17))})
        rows.append({"work": f"validate, {biggest:,} cards", "n": biggest,
                     "cardpress": measure(cardpress("validate", "--catalog", str(cat)), work, r),
                     "tomllib": measure([PY, "-c", "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))",
                                         str(cat)], work, r)})
        rows.append({"work": "cardpress --help", "n": 0,
                     "cardpress": measure(cardpress("--help"), work, runs_for(17))})

    print_table(rows, pdflatex is not None)
    print("Python bytecode cache: " + ("off (--no-bytecode): every run compiles cardpress's modules" if args.no_bytecode
                                       else "on, as in an installed package") + "; cardpress caches warmed by one unmeasured run")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


TARGETS = {
    "deck letter-4up, 17 cards": "<= 1.5x pdflatex",
    "deck letter-4up, 1,000 cards": "<= 0.75x pdflatex",
    "deck letter-4up, 10,000 cards": "<= 0.75x pdflatex",
    "deck index-3x5, 10,000 cards": "peak <= 200 MiB",
    "build, shipped catalog": "<= 0.45 s",
    "validate, 10,000 cards": "<= 1.5x tomllib",
}


def print_table(rows: list[dict], have_latex: bool) -> None:
    if not have_latex:
        print("pdflatex is not installed (Debian: texlive-latex-extra): LaTeX columns left out, floor ratio only.")
    head = (f"| {'work':<30} | {'cardpress s':>11} | {'cpu s':>6} | {'MiB':>5} | {'other':<8} | {'other s':>7} | "
            f"{'cpu s':>6} | {'MiB':>5} | {'ratio':>6} | {'cpu ratio':>9} | {'x floor':>7} | target")
    print(head)
    print("|" + "|".join("-" * (len(c) + 2) for c in head.strip("| ").split(" | ")) + "|")
    for row in rows:
        cp = row["cardpress"]
        other_name = "pdflatex" if "pdflatex" in row else "tomllib" if "tomllib" in row else "floor" if "floor" in row else ""
        other = row.get(other_name)
        ratio = f"{cp['seconds'] / other['seconds']:.2f}" if other else ""
        cpu_ratio = f"{cp['cpu'] / other['cpu']:.2f}" if other else ""
        xfloor = f"{cp['seconds'] / row['floor']['seconds']:.2f}" if "floor" in row else ""
        print(f"| {row['work']:<30} | {cp['seconds']:>11.3f} | {cp['cpu']:>6.3f} | {cp['peak_mib']:>5.0f} | {other_name:<8} | "
              + (f"{other['seconds']:>7.3f} | {other['cpu']:>6.3f} | {other['peak_mib']:>5.0f} | " if other
                 else f"{'':>7} | {'':>6} | {'':>5} | ")
              + f"{ratio:>6} | {cpu_ratio:>9} | {xfloor:>7} | {TARGETS.get(row['work'], '')}")
    print("seconds are medians of whole-process runs (wall, and CPU = user + system); MiB is the largest "
          "peak RSS over the runs; ratio = cardpress / other; x floor = cardpress / bare reportlab loop (wall).")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
