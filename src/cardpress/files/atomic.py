"""Writing a file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Callable

from cardpress.errors import CardpressError, Problem


def atomic_write(path: str | Path, write: Callable[[io.BufferedWriter], None]) -> None:
    """Call write(file) on a temporary file beside `path`, then rename it over `path`.

    If `write` raises, the temporary file is removed and `path` is left exactly as it was.
    """
    # Through a symlink to the file it names: replacing the link would leave the real file
    # without the change (a symlinked cards.toml, say).
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A short prefix: the temporary name must not be longer than a long final name.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:24]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    atomic_write(path, lambda fh: fh.write(data))


def file_in_the_way(folder: Path) -> Path | None:
    """The nearest of `folder` and its parents that exists but is not a folder, if any."""
    for p in (folder, *folder.parents):
        if p.exists() or p.is_symlink():
            return None if p.is_dir() else p
    return None


def write_error(target: Path, exc: OSError, hint: str = "") -> CardpressError:
    """The message for a file that could not be written: a file where a folder should be is
    named (with `hint` after it), else the system's reason."""
    blocker = file_in_the_way(target.parent)
    if blocker is not None:
        return CardpressError(Problem(f"cannot write: `{blocker}` is a file, not a folder{hint}", file=str(target)))
    return CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(target)))
