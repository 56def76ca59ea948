"""Where cardpress keeps what is safe to reuse between runs (laid-out formulas).

The folder is private (0700) and every entry is checked before use: it must be a regular
file this user owns (opened without following a link, without blocking on a FIFO), and it
carries a SHA-256 of its content, so an edited or damaged entry is never read as if it were
cardpress's (issue 18: an edited formula entry printed other glyphs). A link or a foreign
file is ignored, left where it is, and reported once per run. The folder is bounded: past
MAX_FILES entries or MAX_BYTES, the least recently used are removed (a hit refreshes its
entry's time).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from functools import cache
from pathlib import Path

from cardpress.files.safe import NotOurs, ours, read_own, sweep_temps

# A cache write takes milliseconds: a temporary file this old was left by a killed run.
STALE_SECONDS = 600
MAX_FILES = 2000
MAX_BYTES = 32 * 1024 * 1024
ENTRY_LIMIT = 16 * 1024 * 1024  # far above any entry cardpress writes
_MAGIC = b"cardpress cache 1 "  # then the content's SHA-256 in hex, a newline, the content
# What cardpress names its entries (mathtext: "<sha256>.json"): only these are evicted.
ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")


def folder(kind: str) -> Path | None:
    """~/.cache/cardpress/<kind> (or under $XDG_CACHE_HOME); $CARDPRESS_CACHE_DIR replaces it
    for every kind (their file names differ), and an empty value turns caching off."""
    env = os.environ.get("CARDPRESS_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cardpress" / kind


def private(kind: str) -> Path | None:
    """The folder to use for `kind`, made private; None when caching is off or impossible.

    A folder named by $CARDPRESS_CACHE_DIR that others may write in (/tmp) or do not own is
    not ours to use or to chmod: cardpress keeps its entries in `cardpress-<uid>` inside it.
    """
    where = folder(kind)
    if where is None:
        return None
    return _private(str(where), os.environ.get("CARDPRESS_CACHE_DIR") is not None)


@cache
def _private(where: str, given: bool) -> Path | None:
    path = Path(where)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        made = _mkdir(path)
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            report(path, "is a link or not a folder")
            return None
        mine = not hasattr(os, "geteuid") or st.st_uid == os.geteuid()
        if mine and (made or not given):
            if st.st_mode & 0o077:
                os.chmod(path, 0o700)  # cardpress's own folder (~/.cache/cardpress/math)
            return path
        if mine and not st.st_mode & 0o022:
            return path  # the user's own folder, which no one else may write in
        sub = path / f"cardpress-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        _mkdir(sub)
        st = os.lstat(sub)
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            report(sub, "is not a folder of this user's")
            return None
        if st.st_mode & 0o077:
            os.chmod(sub, 0o700)
        return sub
    except OSError:
        return None  # a cache that cannot be made only costs the work


def _mkdir(path: Path) -> bool:
    try:
        os.mkdir(path, 0o700)
        return True
    except FileExistsError:
        return False


_reported: list[str] = []


def report(path: Path, what: str) -> None:
    """Say once per run that the cache holds something cardpress did not make."""
    if _reported:
        return
    _reported.append(str(path))
    sys.stderr.write(f"cardpress: note: ignored `{path}` in the cache: it {what} "
                     "(not used; the work is done again)\n")


def load(path: Path) -> bytes | None:
    """The content stored as `path`, if cardpress stored it and it is whole; else None."""
    try:
        blob = read_own(path, ENTRY_LIMIT)
    except NotOurs:
        report(path, "is a link or a file cardpress did not make")
        return None
    except OSError:
        return None
    if blob is None:
        return None
    head, _, body = blob.partition(b"\n")
    if not head.startswith(_MAGIC):
        return None  # an entry of an older cardpress (no checksum): made again, replaced
    if head[len(_MAGIC):] != hashlib.sha256(body).hexdigest().encode():
        report(path, "was changed since cardpress wrote it")
        return None
    try:
        os.utime(path, follow_symlinks=False)  # recently used: evicted last
    except (OSError, NotImplementedError):
        pass
    return body


_tidied: set[str] = set()


def store(path: Path, data: bytes) -> None:
    """`data` as `path`, whole or not at all (atomic_write, never through a link), after
    sweeping the temporary files killed runs left and evicting the least recently used
    entries (once per folder per run). A cache that cannot be written is not an error: it
    only costs the work next time."""
    from cardpress.errors import CardpressError
    from cardpress.files.atomic import atomic_write_bytes

    try:
        if str(path.parent) not in _tidied:
            _tidied.add(str(path.parent))
            sweep_temps(path.parent, older_than=STALE_SECONDS)
            evict(path.parent)
        atomic_write_bytes(path, _MAGIC + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    except CardpressError:
        report(path, "is a link or not a regular file")
    except OSError:
        pass


def evict(where: Path, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES) -> int:
    """Remove the least recently used entries until the folder holds at most 80% of either
    bound; returns how many were removed. Only cardpress's entry names, only its files."""
    entries = []
    try:
        names = os.listdir(where)
    except OSError:
        return 0
    for name in names:
        if ENTRY_NAME.fullmatch(name):
            try:
                st = os.lstat(where / name)
            except OSError:
                continue
            if ours(st):
                entries.append((st.st_mtime, st.st_size, name))
    total = sum(size for _, size, _ in entries)
    if len(entries) <= max_files and total <= max_bytes:
        return 0
    entries.sort()
    removed = 0
    while entries and (len(entries) > max_files * 0.8 or total > max_bytes * 0.8):
        _, size, name = entries.pop(0)
        try:
            os.unlink(where / name)
            removed += 1
        except OSError:
            pass
        total -= size
    return removed
