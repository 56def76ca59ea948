"""`build` in several processes: the serial build's bytes, its all-or-nothing write, its errors."""

from __future__ import annotations

import json

import itertools

import pytest

from cardpress.errors import CardpressError, Problem
from cardpress.files.staging import MANIFEST, STAGING
from cardpress.pipeline.parallel import jobs_wanted, split
from tests.conftest import SHIPPED_CATALOG


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _best_split_cost(costs, parts):
    """The cheapest possible costliest run, by trying every way to cut the list."""
    best = sum(costs)
    for k in range(1, min(parts, len(costs))):
        for cuts in itertools.combinations(range(1, len(costs)), k):
            bounds = (0, *cuts, len(costs))
            best = min(best, max(sum(costs[a:b]) for a, b in zip(bounds, bounds[1:])))
    return best


@pytest.mark.parametrize("costs,parts", [([213, 214, 214, 476, 255], 2), ([5, 1, 1, 1, 9, 2], 3),
                                         ([1], 4), ([3, 3, 3, 3], 2), ([10, 1, 1], 2)])
def test_split_keeps_build_order_and_balances_the_runs(costs, parts):
    runs = split(costs, parts)
    assert [i for run in runs for i in run] == list(range(len(costs)))  # contiguous, in order
    assert len(runs) <= parts and all(runs)
    assert max(sum(costs[i] for i in run) for run in runs) == pytest.approx(_best_split_cost(costs, parts))


def test_jobs_from_option_then_environment(monkeypatch):
    monkeypatch.setenv("CARDPRESS_JOBS", "3")
    assert jobs_wanted(None) == 3
    assert jobs_wanted(1) == 1
    monkeypatch.setenv("CARDPRESS_JOBS", "1")
    assert jobs_wanted(None) == 1


def test_parallel_build_writes_the_serial_builds_bytes(cli, tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for out, jobs in ((serial, "1"), (parallel, "3")):
        result = cli("build", "--catalog", SHIPPED_CATALOG, "--out", out, "--jobs", jobs)
        assert result.exit_code == 0, result.output
    a, b = _files(serial), _files(parallel)
    assert sorted(a) == sorted(b) and MANIFEST in a
    assert [name for name in a if a[name] != b[name] and name != MANIFEST] == []
    # The manifest lists the same files; each entry's identity (inode, mtime) is its own copy's.
    assert json.loads(a[MANIFEST])["files"] == json.loads(b[MANIFEST])["files"]
    assert not (parallel / STAGING).exists()


def test_a_worker_failure_is_an_error_and_nothing_is_replaced(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("build", "--catalog", SHIPPED_CATALOG, "--out", out, "--jobs", "1").exit_code == 0
    before = _files(out)

    import cardpress.worksheets as ws

    real = ws.iter_worksheets

    def fails_after_one(catalog, variant=ws.Variant(), *args, **kwargs):
        # The facilitator's copy is the last unit, so a worker renders it (fork: it sees this patch).
        if variant.answers:
            raise CardpressError(Problem("cannot fit the pitfall", file="cards.toml", card="x", field="pitfall"))
        yield from real(catalog, variant, *args, **kwargs)

    monkeypatch.setattr(ws, "iter_worksheets", fails_after_one)
    (out / "deck-letter.pdf").write_bytes(b"previous")
    before["deck-letter.pdf"] = b"previous"
    result = cli("build", "--catalog", SHIPPED_CATALOG, "--out", out, "--jobs", "2")
    assert result.exit_code == 1
    assert "cards.toml: card 'x', field 'pitfall': cannot fit the pitfall" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert _files(out) == before
    assert not (out / STAGING).exists()


def test_worker_warnings_reach_the_parent(cli, tmp_path, monkeypatch):
    import cardpress.cli as cli_module
    from cardpress.options import warn

    real = cli_module.engine_units

    def noisy(cat, names=None, *more):
        units = real(cat, names, *more)
        last = units[-1]

        def render(skipped):
            warn("from the last unit")
            yield from last.render(skipped)

        return units[:-1] + [type(last)(last.cost, render)]

    monkeypatch.setattr(cli_module, "engine_units", noisy)
    result = cli("build", "--catalog", SHIPPED_CATALOG, "--out", tmp_path / "out", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "warning: from the last unit" in result.stderr
