"""Getting files onto disk without ever losing the previous ones.

Every engine renders into memory and hands back `Output`s, one file at a time. Each is
written to a staging file in the output folder as it arrives; only when every engine has
succeeded are they renamed over the old ones, so a crash, a kill or a bad card never
leaves a half-written PDF or destroys the last good one.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cardpress.files.atomic import atomic_write_bytes, write_error
from cardpress.files.output import Output


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
# What cardpress 0.1 left behind beside its targets when killed: `.<name>.<random>.tmp`.
_OLD_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
# `build`'s own list of the files it wrote, so it can remove the ones it no longer makes.
MANIFEST = ".cardpress-build.json"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's live process
    return True


def sweep_leftovers(out_dir: Path) -> list[Path]:
    """Remove temporary files that killed runs left in `out_dir`; returns what was removed."""
    removed = []
    stage = out_dir / STAGING
    if stage.is_dir():
        for p in stage.iterdir():
            m = _STAGED_NAME.fullmatch(p.name)
            if m and not _alive(int(m.group(1))):
                p.unlink(missing_ok=True)
                removed.append(p)
    for folder in (out_dir, out_dir / "worksheets"):
        if folder.is_dir():
            for p in folder.iterdir():
                if _OLD_TEMP_NAME.fullmatch(p.name) and p.is_file() and not p.is_symlink():
                    p.unlink(missing_ok=True)
                    removed.append(p)
    return removed


def _stage_file(stage: Path, n: int, data: bytes, owner: int | None = None) -> Path:
    """Write `data` to a synced staging file named for the `owner` pid
    (default: this process)."""
    tmp = stage / f"{owner or os.getpid()}-{n}.tmp"
    for attempt in (1, 2):
        stage.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            break
        except FileNotFoundError:
            if attempt == 2:  # another run removed the emptied staging folder just now; once more
                raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_outputs(out_dir: str | Path, outputs: Iterable[Output | Staged], *, manifest: bool = False,
                  keep: Iterable[str] = ()) -> list[Path]:
    """Write every output under out_dir, all or nothing as far as the disk allows.

    Outputs are taken one at a time (a generator streams them) and each is written in full
    to a staging file as soon as it arrives; only when all of them are on disk are they
    renamed into place. A failure, a full disk or a kill therefore leaves every earlier
    output as it was, and renames (which need no space) cannot fail halfway through a PDF.

    With `manifest` (for `build`), files listed in the previous build's manifest that this
    run did not write are removed, except the relpaths in `keep`; nothing else is touched.
    """
    if isinstance(out_dir, str) and not out_dir.strip():
        raise CardpressError(Problem("--out is empty; give a folder, e.g. --out output"))
    out_dir = Path(out_dir)
    stage = out_dir / STAGING
    staged: list[tuple[Path, Path, str]] = []
    try:
        try:
            sweep_leftovers(out_dir)
        except OSError:
            pass  # a folder we cannot clean is reported by the write below, if it matters
        for n, out in enumerate(outputs):
            target = out_dir.joinpath(*out.relpath.split("/"))
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = out.tmp if isinstance(out, Staged) else _stage_file(stage, n, out.data)
                staged.append((tmp, target, out.relpath))
            except OSError as exc:
                if isinstance(out, Staged):
                    out.tmp.unlink(missing_ok=True)
                raise write_error(target, exc, " (choose another --out)") from None
            del out  # let a streamed PDF's bytes go before the next one is rendered
    except BaseException:
        for tmp, _, _ in staged:
            tmp.unlink(missing_ok=True)
        _remove_if_empty(stage)
        raise
    for tmp, target, _ in staged:
        os.replace(tmp, target)
    _remove_if_empty(stage)
    if manifest:
        _update_manifest(out_dir, [rel for _, _, rel in staged], set(keep))
    return [target for _, target, _ in staged]


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another run is staging) or already gone


def _read_manifest(out_dir: Path) -> list[str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def _inside(out_dir: Path, relpath: str) -> Path | None:
    """The file a manifest entry names, if it is a plain relative path inside out_dir."""
    parts = relpath.split("/")
    if not relpath or relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return out_dir.joinpath(*parts)


def _update_manifest(out_dir: Path, written: list[str], keep: set[str]) -> None:
    previous = _read_manifest(out_dir)
    now = set(written)
    for rel in previous:
        if rel in now or rel in keep:
            continue
        path = _inside(out_dir, rel)
        if path is not None and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
    listed = written + [rel for rel in previous if rel in keep and rel not in now]
    body = json.dumps({"written_by": "cardpress build", "files": listed}, indent=1) + "\n"
    atomic_write_bytes(out_dir / MANIFEST, body.encode("utf-8"))
