"""A `build` killed with SIGKILL mid-write leaves every earlier output whole; the next run cleans up.

Real processes: the build is killed while it is writing staging files (seen on disk),
at several points, and the output folder is checked file by file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import tomli_w

from conftest import catalog_data
from cardpress.files.staging import STAGING

KILL_AFTER_STAGED = (0, 1, 6, 20)  # staging files on disk when the kill lands (0: as soon as it starts)
CARDS = 20


def _build(catalog, out) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cardpress", "build", "--catalog", str(catalog), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _catalog(tmp_path, name, title):
    data = catalog_data(CARDS, title=title)
    path = tmp_path / name
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


@pytest.mark.parametrize("staged", KILL_AFTER_STAGED)
def test_sigkill_mid_build_keeps_earlier_outputs_and_next_run_cleans_up(tmp_path, staged):
    old_cat = _catalog(tmp_path, "old.toml", "Old deck")
    new_cat = _catalog(tmp_path, "new.toml", "New deck")
    out = tmp_path / "out"
    assert _build(old_cat, out).wait(timeout=600) == 0
    old = _files(out)
    # What a killed cardpress leaves beside a target: its own temp name, with its dead pid;
    # and another program's temp name, which is not ours to remove (issue 18, D10).
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    litter = f"worksheets/.cardpress-{dead.pid}-abcd_123.tmp"
    (out / litter).write_bytes(b"half a PDF")
    (out / "worksheets" / ".x.pdf.abcd_123.tmp").write_bytes(b"someone else's")

    proc = _build(new_cat, out)
    stage = out / STAGING
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if staged == 0 or (stage.is_dir() and len(list(stage.iterdir())) >= staged):
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the build finished before it could be killed; raise CARDS"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after_kill = _files(out)
    visible = {rel for rel in after_kill if not rel.startswith(STAGING + "/")}
    # No temporary file of the killed run shows up as an output; every output is its old self.
    # (the old-style litter may already be gone: a run sweeps before it stages)
    assert set(old) | {"worksheets/.x.pdf.abcd_123.tmp"} <= visible <= set(old) | {
        litter, "worksheets/.x.pdf.abcd_123.tmp"}
    for rel, data in old.items():
        assert after_kill[rel] == data, rel

    # The next run cleans up the killed run's staging files and the old-style litter.
    assert _build(new_cat, out).wait(timeout=600) == 0
    rebuilt = _files(out)
    assert not (out / STAGING).exists()
    assert not (out / litter).exists()
    assert rebuilt.pop("worksheets/.x.pdf.abcd_123.tmp") == b"someone else's"
    assert set(rebuilt) == set(old)
    assert rebuilt["deck-letter.pdf"] != old["deck-letter.pdf"]  # it really is the new build
