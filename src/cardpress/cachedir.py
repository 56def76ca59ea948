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


def store(path: Path, data: bytes, prefix: str) -> None:
    """`data` as `path`, whole or not at all (a reader sees the old file or the new one);
    temporary files named `prefix`*.tmp that a killed run left are swept first. A cache
    that cannot be written is not an error: it only costs the work next time."""
    import tempfile
    import time

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STALE_SECONDS
        for tmp in path.parent.glob(f"{prefix}*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass  # gone already (another run swept it)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
