"""One writer at a time per catalog.

`add` and `import` read the catalog, check the new cards against it and write it back;
two of them at once would each append to the same old text and one card would be lost.
A lock file beside the catalog (filelock: fcntl locks, released by the kernel if the
process dies) makes the second wait for the first and then read what it wrote.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from cardpress.errors import CardpressError, Problem

WAIT_SECONDS = 60


def lock_path(catalog: Path) -> Path:
    """`.cards.toml.lock` beside the real file (a symlinked catalog locks its target)."""
    real = Path(os.path.realpath(catalog))
    return real.with_name(f".{real.name}.lock")


@contextmanager
def catalog_lock(catalog: Path, writing: bool = True):
    """Held from reading the catalog to renaming the new one into place; a dry run needs none."""
    if not writing:
        yield
        return
    path = lock_path(catalog)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the write itself would
        lock = FileLock(str(path), timeout=WAIT_SECONDS)
        lock.acquire()
    except Timeout:
        raise CardpressError(Problem(f"another cardpress has been writing this catalog for {WAIT_SECONDS} s "
                                     f"(lock file {path.name}); nothing was written, try again",
                                     file=str(catalog))) from None
    except OSError as exc:
        raise CardpressError(Problem(f"cannot lock the catalog for writing: {exc.strerror} ({path})",
                                     file=str(catalog))) from None
    try:
        yield
    finally:
        lock.release()
