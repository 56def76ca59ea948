"""`build`'s work spread over the machine's cores, with the serial build's output.

The work is a list of units in build order (an engine, or one file of it), each with a
rough cost. It is cut into contiguous runs of about equal cost, one per process. This
process renders the first run itself, streaming each file to the caller as it comes; each
other run renders in a forked worker, which writes its files straight into output.py's
staging folder and hands back only their names. The caller receives every file in build
order either way, so staging, renaming, the manifest and the messages are those of a
serial build, and the PDFs are the same bytes (they are rendered by the same code from the
same catalog; only the process differs).

A worker's staging files carry this process's pid, so if this process is killed they are
swept by the next run like its own; workers die with it (Linux's parent-death signal).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from cardpress.files.atomic import write_error
from cardpress.files.output import Output
from cardpress.files.staging import Staged, _stage_file

# A unit renders its files; a sheet too full for four pages appends its relpath to `skipped`.
Render = Callable[[list], Iterator[Output]]


@dataclass(frozen=True)
class Unit:
    cost: float  # any common scale: only ratios between units matter
    render: Render


def jobs_wanted(option: int | None = None) -> int:
    """--jobs, else $CARDPRESS_JOBS, else the cores this process may run on."""
    if option is not None:
        return max(1, option)
    env = os.environ.get("CARDPRESS_JOBS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split(costs: list[float], parts: int) -> list[list[int]]:
    """Unit indices cut into at most `parts` contiguous runs, the costliest run as cheap as it can be.

    Contiguous, so that the files still arrive in build order; a greedy cut against a
    target found by bisection (at most a handful of units, so this costs nothing).
    """
    if not costs:
        return []
    parts = max(1, min(parts, len(costs)))

    def cut(limit: float) -> list[list[int]] | None:
        runs: list[list[int]] = [[]]
        total = 0.0
        for i, c in enumerate(costs):
            if runs[-1] and total + c > limit:
                runs.append([])
                total = 0.0
            runs[-1].append(i)
            total += c
        return runs if len(runs) <= parts else None

    lo, hi = max(costs), sum(costs)
    for _ in range(40):
        mid = (lo + hi) / 2
        if cut(mid) is None:
            lo = mid
        else:
            hi = mid
    return cut(hi)


# The plan a forked worker reads: set just before the workers fork, so the units (closures
# over the catalog) reach them by fork, never by pickling.
_PLAN: list[list[Unit]] = []

# Worker staging numbers start here times the run's number, clear of this process's own.
_NUMBERING = 1_000_000


def _die_with_parent() -> None:
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: a killed build's workers finish their run, and the next run sweeps it


def _run(run: int, stage: str, owner: int) -> tuple[list[tuple[str, str]], list[str], str]:
    """In a worker: render run `run` into staging files.

    Returns (relpath, staging path) per file, the skipped relpaths and the warnings it
    printed, which the parent prints in its turn (its stderr may not be the worker's fd 2:
    a test runner's capture, say).
    """
    import contextlib
    import io

    staged: list[tuple[str, str]] = []
    skipped: list[str] = []
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            k = 0
            for unit in _PLAN[run]:
                for out in unit.render(skipped):
                    try:
                        tmp = _stage_file(Path(stage), run * _NUMBERING + k, out.data, owner=owner)
                    except OSError as exc:
                        # The serial build's message for the same failure (a full disk, a
                        # read-only folder), not the worker's traceback.
                        target = Path(stage).parent.joinpath(*out.relpath.split("/"))
                        raise write_error(target, exc, " (choose another --out)") from None
                    staged.append((out.relpath, str(tmp)))
                    k += 1
    except BaseException:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return staged, skipped, err.getvalue()


def stream_units(units: list[Unit], stage: Path | None, jobs: int,
                 skipped: list[str] | None = None) -> Iterator[Output | Staged]:
    """Every unit's files in build order; in parallel when `jobs` > 1 and `stage` is given.

    Items are Outputs (rendered here) or Staged files (rendered by a worker). A failure
    anywhere is raised here, after every worker's staging files are removed.
    """
    import multiprocessing

    skipped = [] if skipped is None else skipped
    runs = split([u.cost for u in units], jobs) if stage is not None else []
    if len(runs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for unit in units:
            yield from unit.render(skipped)
        return

    from concurrent.futures import ProcessPoolExecutor

    global _PLAN
    _PLAN = [[units[i] for i in run] for run in runs]
    stage.mkdir(parents=True, exist_ok=True)
    pool = ProcessPoolExecutor(max_workers=len(runs) - 1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent)
    # Frozen, the objects both processes share are not touched by the workers' collector,
    # so their pages stay shared instead of being copied on the first collection.
    import gc

    gc.freeze()
    try:
        futures = [pool.submit(_run, r, str(stage), os.getpid()) for r in range(1, len(runs))]
    finally:
        gc.unfreeze()
    delivered = 0
    untaken: list[tuple[str, str]] = []
    try:
        for unit in _PLAN[0]:
            yield from unit.render(skipped)
        for fut in futures:
            files, worker_skipped, warnings = fut.result()
            delivered += 1
            skipped += worker_skipped
            if warnings:
                sys.stderr.write(warnings)
            untaken = list(files)
            while untaken:
                relpath, tmp = untaken.pop(0)
                yield Staged(relpath, Path(tmp))
    except BaseException:
        # Files the caller has not taken are ours to remove; it removes the ones it took.
        for _, tmp in untaken:
            Path(tmp).unlink(missing_ok=True)
        for fut in futures[delivered:]:
            if fut.cancel():
                continue
            try:
                files = fut.result()[0]
            except BaseException:
                continue  # the worker removed its own files
            for _, tmp in files:
                Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        pool.shutdown(wait=True)
        _PLAN = []
