"""Touching only what is ours: no links followed, only cardpress's own names swept.

cardpress writes, renames and deletes only inside its own folders, only files it made, and
never through a symbolic link (issue 18: a repository cloned with a symlink inside
output/ made `build` delete a file in the user's home). So:

- a folder inside the output folder is walked one name at a time on lstat: a link, or a
  file where a folder should be, is refused, never followed;
- a file is opened for writing with O_NOFOLLOW, new ones with O_EXCL as well;
- a temporary file carries cardpress's own prefix and its maker's pid
  (`.cardpress-<pid>-<random>.tmp`), so a sweep removes only those whose maker is dead,
  never another program's `.X.abcdefgh.tmp` nor a live cardpress's.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from cardpress.errors import CardpressError, Problem

TEMP_PREFIX = ".cardpress-"
# mkstemp adds eight characters from [a-z0-9_].
TEMP_NAME = re.compile(r"\.cardpress-(\d+)-[a-z0-9_]{8}\.tmp")
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# A file name of more bytes than this cannot be made on the common file systems.
NAME_MAX = 255


def temp_prefix() -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-"


def alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's live process
    return True


def ours(st: os.stat_result) -> bool:
    """A regular file this user owns (a link's own lstat is never regular)."""
    return stat.S_ISREG(st.st_mode) and (not hasattr(os, "geteuid") or st.st_uid == os.geteuid())


def sweep_temps(folder: Path, older_than: float | None = None) -> list[Path]:
    """Remove the temporary files cardpress runs that are no longer alive left in `folder`.

    Only our own names, only regular files this user owns, only a dead maker's (and, with
    `older_than`, only one not touched for that many seconds: another machine's or
    container's pid cannot be asked).
    """
    import time

    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = TEMP_NAME.fullmatch(name)
        if not m or alive(int(m.group(1))):
            continue
        path = folder / name
        try:
            st = os.lstat(path)
            if not ours(st) or (older_than is not None and st.st_mtime > time.time() - older_than):
                continue
            os.unlink(path)
            removed.append(path)
        except OSError:
            pass  # gone already
    return removed


def refuse_link(path: Path, shown: Path | None = None) -> os.stat_result | None:
    """lstat of `path` if it is a regular file, None if there is nothing; a link or any other
    kind of file there is refused with a message naming it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(st.st_mode):
        return st
    what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else ("a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file")
    raise CardpressError(Problem(f"`{shown or path}` is {what}; cardpress writes only its own files and never "
                                 "through a link: move it away or choose another --out", file=str(shown or path)))


def safe_folder(root: Path, parts: list[str] | tuple[str, ...], shown: Path | None = None, mode: int = 0o777,
                made: list[Path] | None = None) -> Path:
    """root/parts..., each folder made if missing (and added to `made`, so that a failed run
    can remove it again); a link or a file on the way is refused.

    `root` is already resolved (no link in it is followed after this point).
    """
    here, seen = root, shown or root
    for part in parts:
        here, seen = here / part, seen / part
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            try:
                os.mkdir(here, mode)
                if made is not None:
                    made.append(here)
                continue
            except FileExistsError:
                st = os.lstat(here)  # another run made it just now
        if stat.S_ISLNK(st.st_mode):
            raise CardpressError(Problem(f"`{seen}` is a symbolic link to a folder; cardpress writes only in its own "
                                         "folders and never through a link: move it away or choose another --out",
                                         file=str(seen)))
        if not stat.S_ISDIR(st.st_mode):
            raise CardpressError(Problem(f"cannot write: `{seen}` is a file, not a folder (choose another --out)",
                                         file=str(seen)))
    return here


def open_new(path: Path, mode: int = 0o644) -> int:
    """A new file, opened for writing; never through a link, never over anything there."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | getattr(os, "O_CLOEXEC", 0), mode)


def read_own(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file this user owns, of at most `limit` bytes;
    None when there is nothing there. A link, a device, a FIFO, a foreign or oversized file
    raises NotOurs (opened without following and without blocking on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotOurs(f"{path} is a symbolic link") from None
        raise
    try:
        st = os.fstat(fd)
        if not ours(st):
            raise NotOurs(f"{path} is not a regular file of this user's")
        if st.st_size > limit:
            raise NotOurs(f"{path} is larger than cardpress makes it")
        data = _read_at_most(fd, limit)
        if data is None:
            raise NotOurs(f"{path} is larger than cardpress makes it")
        return data
    finally:
        os.close(fd)


def _read_at_most(fd: int, limit: int) -> bytes | None:
    """All of an open file's bytes, or None once they pass `limit`: a file can grow after
    fstat sized it, so the read itself stops at the limit."""
    chunks, total = [], 0
    while chunk := os.read(fd, 1 << 20):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class NotOurs(Exception):
    """A file in one of cardpress's folders that cardpress did not make (a link, a stranger)."""


def name_too_long(name: str) -> bool:
    return len(name.encode("utf-8", "surrogatepass")) > NAME_MAX


def lock_folder(folder: Path, shown: Path | None = None, wait_note=None):
    """An exclusive lock on `folder` itself (flock on the folder's own descriptor: no lock
    file to plant a link in), held until the returned descriptor is closed; the kernel
    drops it if the process dies. `wait_note` is called once if another run holds it."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (Windows builds are single-user in practice)
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if wait_note is not None:
            wait_note()
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


class NotRegular(Exception):
    """A file to read that is a FIFO, a device, a folder, or larger than its limit."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (FileNotFoundError if none).

    Opened without blocking, so a FIFO named as a file cannot hang the run, and checked on
    the open descriptor: a device (/dev/zero) or a huge file is refused before a byte is
    read (issue 18, D15). Links are followed: a catalog or layout may be a symlink.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotRegular("is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if (
                stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)) else "a socket"
            raise NotRegular(f"is {kind}, not a regular file")
        if st.st_size > limit:
            raise NotRegular(f"is {st.st_size:,} bytes; the limit is {limit:,}")
        data = _read_at_most(fd, limit)
        if data is None:
            raise NotRegular(f"is more than {limit:,} bytes; the limit is {limit:,}")
        return data
    finally:
        os.close(fd)
