"""Getting files onto disk without ever losing the previous ones.

Every engine renders into memory and hands back `Output`s; nothing touches the output
folder until every engine has succeeded. Each file is then written to a temporary name
in its target folder and renamed over the old one, so a crash or a bad card never leaves
a half-written PDF or destroys the last good one.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from reportlab.pdfgen.canvas import Canvas

from cardpress import fonts
from cardpress.errors import CardpressError, Problem


@dataclass(frozen=True)
class Output:
    relpath: str  # relative to the output folder, "/"-separated
    data: bytes


def atomic_write(path: str | Path, write: Callable[[io.BufferedWriter], None]) -> None:
    """Call write(file) on a temporary file beside `path`, then rename it over `path`.

    If `write` raises, the temporary file is removed and `path` is left exactly as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def write_outputs(out_dir: str | Path, outputs: Iterable[Output]) -> list[Path]:
    """Write every output atomically under out_dir; returns the paths written."""
    out_dir = Path(out_dir)
    written = []
    for out in outputs:
        target = out_dir.joinpath(*out.relpath.split("/"))
        try:
            atomic_write_bytes(target, out.data)
        except OSError as exc:
            blocker = file_in_the_way(target.parent)
            if blocker is not None:
                raise CardpressError(Problem(f"cannot write: `{blocker}` is a file, not a folder "
                                             "(choose another --out)", file=str(target))) from None
            raise CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(target))) from None
        written.append(target)
    return written


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str,
               author: str | None = None, subject: str | None = None) -> Canvas:
    """A reportlab canvas set up for byte-identical output with the embedded fonts.

    invariant=1 pins the creation date and document id, so the same input always gives
    the same bytes (reportlab's own test_invariant does the same).
    """
    fonts.register()
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author or "cardpress")
    if subject:
        canvas.setSubject(subject)
    canvas.setCreator("cardpress")
    return canvas


def pdf_output(relpath: str, pagesize: tuple[float, float], draw: Callable[[Canvas], None], *,
               title: str, author: str | None = None, subject: str | None = None) -> Output:
    """Render a PDF in memory: `draw` paints every page on the canvas it is given."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, pagesize, title=title, author=author, subject=subject)
    draw(canvas)
    canvas.save()
    return Output(relpath, buffer.getvalue())
