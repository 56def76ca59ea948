"""Writing a file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Callable

from cardpress.errors import CardpressError, Problem
from cardpress.files.safe import refuse_link, sweep_temps, temp_prefix


def atomic_write(path: str | Path, write: Callable[[io.BufferedWriter], None], *, follow_link: bool = False,
                 sweep: bool = False) -> None:
    """Call write(file) on a temporary file beside `path`, then rename it over `path`.

    If `write` raises, the temporary file is removed and `path` is left exactly as it was.
    A link (or a device, a FIFO) at `path` is refused, never replaced nor written through:
    outputs, caches and manifests are cardpress's own files. Only the catalog passes
    `follow_link`: a symlinked cards.toml is the user's choice, and its edit belongs in the
    file the link names. `sweep` first removes the temporary files killed runs left there.
    """
    if follow_link:
        path = Path(os.path.realpath(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        current = refuse_link(path)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        current = refuse_link(path)
    if sweep:
        sweep_temps(path.parent)
    # Our own prefix and pid (files.safe): a sweep removes only a dead cardpress's; short,
    # so the temporary name is never longer than a long final name. mkstemp opens it with
    # O_EXCL and O_NOFOLLOW.
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fchmod(fh.fileno(), current.st_mode & 0o7777 if current is not None else 0o644)
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # a rename replaces a name, never what a link there names
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, follow_link: bool = False, sweep: bool = False) -> None:
    atomic_write(path, lambda fh: fh.write(data), follow_link=follow_link, sweep=sweep)


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
