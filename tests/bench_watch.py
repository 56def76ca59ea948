"""`cardpress watch`: how long after a one-card save the decks are rewritten, warm.

Runs the watch's Rebuilder in this process on a copy of the shipped catalog, as the
watching process does (modules, fonts, formula cache and parsed layouts loaded once;
cardpress.live.warm installed), edits one card's summary, and times rebuild() until the
decks are on disk (catalog read and validated, what changed worked out, three decks
rendered and written). In the same run it measures the bare baseline a user had before:
`cardpress build` in a fresh process, cold (empty HOME caches) and warm, and prints the
ratios. Target (issue 22): decks rewritten in at most 150 ms.

    .venv/bin/python tests/bench_watch.py [--rounds N] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CARD_TEXT = "Replaces RNN/CNN encoder-decoder"  # the Vaswani card's summary, once in the catalog


def build_seconds(folder: Path, home: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of `cardpress build` in a fresh process, one process (--jobs 1)
    so the CPU figure is the wall time an idle machine would take."""
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "MPLCONFIGDIR": str(home / "mpl")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cardpress", "build", "--jobs", "1", "--catalog", str(folder / "cards.toml"),
                    "--out", str(folder / "build-out")], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class DecksOnly:
    """A Rebuilder that stops at the decks, to time their CPU alone (one process)."""

    def __new__(cls, *args, **kwargs):
        from cardpress.live.rebuild import Rebuilder

        class _DecksOnly(Rebuilder):
            def groups(self, cat):
                return [g for g in super().groups(cat) if g.what == "decks"]

        return _DecksOnly(*args, **kwargs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--jobs", type=int, default=None, help="processes for the decks (default: the watch's)")
    args = ap.parse_args()

    from cardpress.live import warm
    from cardpress.live.command import deck_jobs
    from cardpress.live.rebuild import Rebuilder

    jobs = args.jobs or deck_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = folder / "cards.toml"
        shutil.copyfile(REPO / "cards.toml", catalog)
        text = catalog.read_text(encoding="utf-8")
        assert text.count(CARD_TEXT) == 1

        # The baseline: a whole build, as a fresh process (what a save cost before watch).
        cold, cold_cpu = build_seconds(folder, folder / "home-cold")
        runs = [build_seconds(folder, folder / "home-warm") for _ in range(3)]
        warm_builds, warm_cpus = [w for w, _ in runs], [c for _, c in runs]

        warm.install()
        rebuilder = Rebuilder(catalog, folder / "output", jobs=jobs)
        first = rebuilder.rebuild()
        assert first.error is None, first.error
        decks, totals = [], []
        for i in range(args.rounds):
            catalog.write_text(text.replace(CARD_TEXT, f"{CARD_TEXT} (edit {i})"), encoding="utf-8")
            result = rebuilder.rebuild()
            assert result.error is None and result.parts[0][:2] == ("decks", 3), result.parts
            decks.append(result.parts[0][2])
            totals.append(result.seconds)

        # CPU of the same one-card save, decks only, in one process: what an idle machine waits.
        only = DecksOnly(catalog, folder / "output-cpu", jobs=1)
        only.rebuild()
        cpus = []
        for i in range(args.rounds):
            catalog.write_text(text.replace(CARD_TEXT, f"{CARD_TEXT} (cpu {i})"), encoding="utf-8")
            t = time.process_time()
            result = only.rebuild()
            cpus.append(time.process_time() - t)
            assert result.error is None and result.parts[0][:2] == ("decks", 3)

    ms = lambda s: f"{s * 1000:.0f} ms"
    warm_build = statistics.median(warm_builds)
    d = statistics.median(decks)
    warm_cpu = statistics.median(warm_cpus)
    print(f"cardpress build --jobs 1, fresh process, cold (empty HOME caches): wall {ms(cold)}, CPU {ms(cold_cpu)}")
    print(f"cardpress build --jobs 1, fresh process, warm (median of 3): wall {ms(warm_build)}, CPU {ms(warm_cpu)} "
          f"(cold/warm CPU {cold_cpu / warm_cpu:.2f}x)")
    print(f"watch, one-card save -> 3 decks on disk (median of {args.rounds}, jobs={jobs}): {ms(d)} "
          f"(min {ms(min(decks))}, max {ms(max(decks))}); target <= 150 ms")
    print(f"watch, one-card save -> 3 decks, CPU in one process (median of {args.rounds}): "
          f"{ms(statistics.median(cpus))} (min {ms(min(cpus))}); target <= 150 ms")
    print(f"watch, one-card save -> every changed output on disk (median): {ms(statistics.median(totals))}")
    print(f"ratio: warm build CPU / watch decks CPU = {warm_cpu / statistics.median(cpus):.1f}x")
    print(f"ratio: warm build / watch decks = {warm_build / d:.1f}x faster to see the edit")
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
