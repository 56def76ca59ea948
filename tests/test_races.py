"""Two `cardpress add` at the same moment on one catalog: both cards land, the file stays valid.

Real processes, not threads: the lock must hold between separate interpreters, as it
does between two terminals.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib

from conftest import SHIPPED_CATALOG

ROUNDS = 20


def _add(catalog, n: int) -> subprocess.Popen:
    args = [sys.executable, "-m", "cardpress", "add", "--catalog", str(catalog),
            "--author", f"Racer{n}", "--year", "2020", "--title", f"Concurrent paper {n}",
            "--summary", f"Card {n} was added while another add ran.",
            "--number", "1 | one", "--number", "2 | two", "--number", "3 | three"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_twenty_concurrent_pairs_of_add_lose_no_card(tmp_path):
    catalog = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, catalog)
    shipped = catalog.read_bytes()
    reported = 0
    # The pairs are started one after another without waiting, so they also overlap each
    # other: up to 40 writers contend for the catalog at once.
    procs = [proc for r in range(ROUNDS) for proc in (_add(catalog, 2 * r), _add(catalog, 2 * r + 1))]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        reported += "added to" in out
    assert reported == 2 * ROUNDS
    after = catalog.read_bytes()
    assert after.startswith(shipped)  # every old byte kept
    cards = tomllib.loads(after.decode("utf-8"))["cards"]
    racers = sorted(int(c["author"].removeprefix("Racer")) for c in cards if c["author"].startswith("Racer"))
    assert racers == list(range(2 * ROUNDS))
    ids = [c["id"] for c in cards]
    assert len(ids) == len(set(ids))
