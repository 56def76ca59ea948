"""Where cardpress keeps what is safe to reuse between runs (laid-out formulas, parsed fonts)."""

from __future__ import annotations

import os
from pathlib import Path


def folder(kind: str) -> Path | None:
    """~/.cache/cardpress/<kind> (or under $XDG_CACHE_HOME); $CARDPRESS_CACHE_DIR replaces it
    for every kind (their file names differ), and an empty value turns caching off."""
    env = os.environ.get("CARDPRESS_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cardpress" / kind


# A cache write takes milliseconds: a temporary file this old was left by a killed run.
STALE_SECONDS = 600


def store(path: Path, data: bytes) -> None:
    """`data` as `path`, whole or not at all (output.atomic_write), after sweeping the
    temporary files a killed run left in the folder. A cache that cannot be written is not
    an error: it only costs the work next time."""
    import time

    from cardpress.files.atomic import atomic_write_bytes

    try:
        cutoff = time.time() - STALE_SECONDS
        for tmp in path.parent.glob(".*.tmp"):  # atomic_write's temporary names
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass  # gone already (another run swept it)
        atomic_write_bytes(path, data)
    except OSError:
        pass
