"""Getting files onto disk without ever losing the previous ones.

Every engine renders into memory and hands back `Output`s, one file at a time. Each is
written to a staging file in the output folder as it arrives; only when every engine has
succeeded are they renamed over the old ones, so a crash, a kill or a bad card never
leaves a half-written PDF or destroys the last good one.

Only cardpress's own files, only inside the output folder, never through a link (issue 18):
--out is resolved once; every folder below it is walked on lstat (a link is refused); a
file is staged with O_EXCL|O_NOFOLLOW and renamed over a regular file or nothing. The whole
write holds a lock on the output folder (two builds never mix their files), and the rename
phase is journalled: a run killed among its renames is completed by the next one. The
manifest records each file's identity (inode, size, mtime in ns) as written, and a file it
lists is removed only while it is still that file: a manifest copied in with a repository
names nothing cardpress made on this machine, so it removes nothing.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cardpress.errors import CardpressError, Problem
from cardpress.files.atomic import atomic_write_bytes, write_error
from cardpress.files.output import Output
from cardpress.files.safe import (
    NAME_MAX, NotOurs, alive, lock_folder, open_new, ours, read_own, refuse_link, safe_folder, sweep_temps,
)


@dataclass(frozen=True)
class Staged:
    """A file another process already wrote, in full, to a staging file (parallel build)."""
    relpath: str
    tmp: Path


# Files are rendered to `<out>/.cardpress-staging/<pid>-<n>.tmp` and renamed into place
# only when every one is on disk. The pid says whose file it is: a run removes the files of
# runs that are no longer alive (a SIGKILL gives no chance to clean up), never a live one's.
STAGING = ".cardpress-staging"
_STAGED_NAME = re.compile(r"(\d+)-\d+\.tmp")
# `build`'s own list of the files it wrote, so it can remove the ones it no longer makes.
MANIFEST = ".cardpress-build.json"
# The renames (and the manifest's removals) a run is about to make: written before the
# first rename, removed after the last step; a run that finds one completes it.
JOURNAL = ".cardpress-journal.json"
_OWN_FILE_LIMIT = 16 * 1024 * 1024
_HINT = " (choose another --out)"


def _alive(pid: int) -> bool:
    return alive(pid)


def sweep_leftovers(out_dir: Path) -> list[Path]:
    """Remove temporary files that killed cardpress runs left in `out_dir`; returns them.

    Only cardpress's own names (a staging file of a dead pid; `.cardpress-<pid>-….tmp` of
    a dead pid), only regular files of this user's; another program's `.X.abcdefgh.tmp` is
    not ours to judge.
    """
    removed = []
    stage = out_dir / STAGING
    if stage.is_dir() and not stage.is_symlink():
        for p in stage.iterdir():
            m = _STAGED_NAME.fullmatch(p.name)
            if m and not alive(int(m.group(1))):
                try:
                    if ours(os.lstat(p)):
                        p.unlink()
                        removed.append(p)
                except OSError:
                    pass
    for folder in (out_dir, out_dir / "worksheets"):
        if folder.is_dir() and not folder.is_symlink():
            removed += sweep_temps(folder)
    return removed


def _stage_file(stage: Path, n: int, data: bytes, owner: int | None = None) -> Path:
    """Write `data` to a new, synced staging file named for the `owner` pid (default: this
    process); opened with O_EXCL|O_NOFOLLOW, so never through a link."""
    tmp = stage / f"{owner or os.getpid()}-{n}.tmp"
    try:
        fd = open_new(tmp)
    except FileExistsError:
        if refuse_link(tmp) is None:  # a link or a stranger there is refused, a leftover of ours removed
            raise
        tmp.unlink()
        fd = open_new(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def relpath_parts(relpath: str) -> list[str] | None:
    """The names of a plain relative "/"-path (no empty part, `.` or `..`), else None."""
    parts = relpath.split("/")
    if not relpath or relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return parts


def _checked_parts(relpath: str, shown: Path) -> list[str]:
    parts = relpath_parts(relpath)
    if parts is None:
        raise CardpressError(Problem(f"`{relpath}` is not a file name inside the output folder", file=str(shown)))
    for part in parts:
        size = len(part.encode("utf-8", "surrogatepass"))
        if size > NAME_MAX:
            raise CardpressError(Problem(f"the file name `{part[:40]}…` is {size} bytes, more than the {NAME_MAX} "
                                         "a file name may have; nothing was written", file=str(shown)))
    return parts


def resolve_out(out_dir: str | Path) -> Path:
    """--out resolved once, made if missing: every later step works below this real path."""
    if isinstance(out_dir, str) and not out_dir.strip():
        raise CardpressError(Problem("--out is empty; give a folder, e.g. --out output"))
    shown = Path(out_dir)
    real = Path(os.path.realpath(shown))
    try:
        real.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CardpressError(Problem(f"cannot write: `{shown}` is a file, not a folder (choose another --out)",
                                     file=str(shown))) from None
    except OSError as exc:
        raise write_error(shown / "x", exc, _HINT) from None
    return real


def write_outputs(out_dir: str | Path, outputs: Iterable[Output | Staged], *, manifest: bool = False,
                  keep: Iterable[str] = ()) -> list[Path]:
    """Write every output under out_dir, all or nothing as far as the disk allows.

    Outputs are taken one at a time (a generator streams them) and each is written in full
    to a staging file as soon as it arrives; only when all of them are on disk are they
    renamed into place. A failure, a full disk or a kill therefore leaves every earlier
    output as it was, and renames (which need no space) cannot fail halfway through a PDF.

    With `manifest` (for `build`), files listed in the previous build's manifest that this
    run did not write are removed (if still the files it wrote), except the relpaths in
    `keep`; nothing else is touched.
    """
    shown = Path(out_dir)
    made = not os.path.lexists(shown)
    root = resolve_out(out_dir)
    try:
        fd = lock_folder(root, wait_note=lambda: sys.stderr.write(
            f"cardpress: note: waiting for another cardpress writing in {shown}\n"))
    except OSError as exc:
        raise write_error(shown / "x", exc, _HINT) from None
    try:
        return _write_locked(root, shown, outputs, manifest, set(keep))
    except BaseException:
        # A run that fails writes nothing: not even the --out folder it had to make.
        if made:
            try:
                os.rmdir(root)
            except OSError:
                pass  # not empty: another run's files arrived meanwhile
        raise
    finally:
        os.close(fd)


def _write_locked(root: Path, shown: Path, outputs, manifest: bool, keep: set[str]) -> list[Path]:
    recover(root, shown)
    try:
        sweep_leftovers(root)
    except OSError:
        pass  # a folder we cannot clean is reported by the write below, if it matters
    made: list[Path] = []  # folders this run made: a failed run removes them again (if empty)
    try:
        stage = safe_folder(root, [STAGING], shown)
    except OSError as exc:
        raise write_error(shown / STAGING / "x", exc, _HINT) from None
    staged: list[tuple[str, list[str]]] = []

    def undo() -> None:
        for name, _ in staged:
            (stage / name).unlink(missing_ok=True)
        _remove_if_empty(stage)
        for folder in reversed(made):
            _remove_if_empty(folder)

    try:
        for n, out in enumerate(outputs):
            target = shown.joinpath(*out.relpath.split("/"))
            try:
                parts = _checked_parts(out.relpath, target)
                folder = safe_folder(root, parts[:-1], shown, made=made)
                refuse_link(folder / parts[-1], target)
                if isinstance(out, Staged):
                    tmp = _adopted(out.tmp, stage)
                else:
                    tmp = _stage_file(stage, n, out.data)
                staged.append((tmp.name, parts))
            except (OSError, CardpressError) as exc:
                if isinstance(out, Staged):
                    _adopted(out.tmp, stage, remove=True)
                if isinstance(exc, CardpressError):
                    raise
                raise write_error(target, exc, _HINT) from None
            del out  # let a PDF's bytes go before the next one is rendered
    except BaseException as exc:
        close = getattr(outputs, "close", None)
        if close is not None:
            close()  # a parallel build's workers stop, and their staging files go, before ours
        undo()
        if isinstance(exc, OSError):  # from a worker's hand-over, say
            raise write_error(shown / "x", exc, _HINT) from None
        raise
    try:
        if manifest:  # refused now, not after the renames
            refuse_link(root / MANIFEST, shown / MANIFEST)
        refuse_link(root / JOURNAL, shown / JOURNAL)
    except CardpressError:
        undo()
        raise
    plan = _plan(root, stage, staged, manifest, keep)
    try:
        atomic_write_bytes(root / JOURNAL, json.dumps(plan).encode("utf-8"))
    except OSError as exc:
        undo()
        raise write_error(shown / JOURNAL, exc, _HINT) from None
    _apply(root, shown, plan)
    return [shown.joinpath(*parts) for _, parts in staged]


def _adopted(tmp: Path, stage: Path, remove: bool = False) -> Path:
    """A worker's staging file, if it is one (a regular file of ours in our staging folder)."""
    tmp = Path(tmp)
    inside = os.path.realpath(tmp.parent) == str(stage) and _STAGED_NAME.fullmatch(tmp.name)
    if remove:
        if inside:
            (stage / tmp.name).unlink(missing_ok=True)
        return tmp
    if not inside or not ours(os.lstat(stage / tmp.name)):
        raise CardpressError(Problem(f"`{tmp}` is not one of this build's staging files"))
    return stage / tmp.name


def _ident(st: os.stat_result) -> list[int]:
    """What makes a file the one cardpress wrote: a copy, a checkout or an edit changes it."""
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _plan(root: Path, stage: Path, staged, manifest: bool, keep: set[str]) -> dict:
    renames = [{"tmp": name, "to": "/".join(parts), "id": _ident(os.lstat(stage / name))} for name, parts in staged]
    plan: dict = {"renames": renames}
    if manifest:
        previous = _read_manifest(root)
        made = {r["to"]: r["id"] for r in renames}
        listed = list(made)
        for rel in keep:
            if rel in previous and rel not in made:
                listed.append(rel)
                if previous[rel] is not None:
                    made[rel] = previous[rel]
        plan["deletes"] = [[rel, ident] for rel, ident in previous.items()
                           if rel not in made and rel not in keep and ident is not None]
        plan["manifest"] = {"written_by": "cardpress build", "files": listed, "made": made}
    return plan


def _apply(root: Path, shown: Path, plan: dict) -> int:
    """The renames, the removals and the manifest a plan names, then the journal removed;
    returns how many files were renamed. Each step checks again what it touches, so a plan
    read back from a journal does only what this machine's cardpress staged."""
    stage = root / STAGING
    renamed = 0
    for r in plan["renames"] if os.path.isdir(stage) and not os.path.islink(stage) else ():
        src = stage / r["tmp"]
        try:
            st = os.lstat(src)
        except OSError:
            continue  # renamed already (the run that wrote the journal got this far)
        parts = relpath_parts(r["to"])
        if parts is None or not ours(st) or _ident(st) != r["id"]:
            continue
        target = shown.joinpath(*parts)
        try:
            folder = safe_folder(root, parts[:-1], shown)
            refuse_link(folder / parts[-1], target)
            os.replace(src, folder / parts[-1])
            renamed += 1
        except OSError as exc:
            raise write_error(target, exc, _HINT) from None
    for rel, ident in plan.get("deletes", []):
        _remove_own(root, rel, ident)
    if "manifest" in plan:
        body = json.dumps(plan["manifest"], indent=1) + "\n"
        try:
            atomic_write_bytes(root / MANIFEST, body.encode("utf-8"))
        except OSError as exc:
            raise write_error(shown / MANIFEST, exc, _HINT) from None
    try:
        os.unlink(root / JOURNAL)
    except FileNotFoundError:
        pass
    _remove_if_empty(stage)
    return renamed


def _remove_own(root: Path, rel: str, ident) -> bool:
    """Remove the file a manifest entry names only if it is a regular file inside the
    resolved output folder, reached without a link, and still the file cardpress wrote."""
    parts = relpath_parts(rel) if isinstance(rel, str) else None
    if parts is None:
        return False
    path = root.joinpath(*parts)
    try:
        for i in range(1, len(parts)):
            if not os.path.isdir(root.joinpath(*parts[:i])) or os.path.islink(root.joinpath(*parts[:i])):
                return False
        st = os.lstat(path)
        if not ours(st) or _ident(st) != ident or os.path.realpath(path) != str(path):
            return False
        os.unlink(path)
        return True
    except OSError:
        return False


def recover(root: Path, shown: Path) -> int:
    """Complete the renames of a run killed among them (its journal is still there)."""
    try:
        raw = read_own(root / JOURNAL, _OWN_FILE_LIMIT)
    except (NotOurs, OSError):
        return 0
    if raw is None:
        return 0
    plan = _valid_plan(raw)
    if plan is None:
        return 0
    renamed = _apply(root, shown, plan)
    if renamed:
        sys.stderr.write(f"cardpress: note: completed the renames of a run that was stopped in {shown} "
                         f"({renamed} file{'s' if renamed != 1 else ''})\n")
    return renamed


def _is_ident(v) -> bool:
    return isinstance(v, list) and len(v) == 3 and all(type(x) is int for x in v)


def _valid_plan(raw: bytes) -> dict | None:
    try:
        plan = json.loads(raw.decode("utf-8"))
        renames = plan["renames"]
        ok = isinstance(renames, list) and all(
            isinstance(r, dict) and isinstance(r.get("tmp"), str) and _STAGED_NAME.fullmatch(r["tmp"])
            and isinstance(r.get("to"), str) and _is_ident(r.get("id")) for r in renames)
        deletes = plan.get("deletes", [])
        ok = ok and isinstance(deletes, list) and all(
            isinstance(d, list) and len(d) == 2 and isinstance(d[0], str) and _is_ident(d[1]) for d in deletes)
        if "manifest" in plan:
            m = plan["manifest"]
            ok = ok and isinstance(m, dict) and isinstance(m.get("files"), list) and isinstance(m.get("made"), dict)
        return plan if ok else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another run is staging) or already gone


def _read_manifest(out_dir: Path) -> dict[str, list[int] | None]:
    """relpath -> the identity it was written with (None: listed by an older cardpress,
    never removed), from a manifest that is a regular file of this user's."""
    try:
        raw = read_own(out_dir / MANIFEST, _OWN_FILE_LIMIT)
        if raw is None:
            return {}
        data = json.loads(raw.decode("utf-8"))
        files, made = data["files"], data.get("made", {})
    except (NotOurs, OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    if not isinstance(files, list) or not isinstance(made, dict):
        return {}
    return {f: (made.get(f) if _is_ident(made.get(f)) else None) for f in files if isinstance(f, str)}
