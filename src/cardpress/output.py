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


# How a file asks to be printed, stored in its /ViewerPreferences so print dialogs (and
# `cardpress print`) need not be told: a deck's flip is the same notion as PDF's flip edge.
DUPLEX = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "simplex": "Simplex"}
LANG = "en"


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark: engines hand these over as data, `pdf_output` places them."""
    title: str
    page: int  # 0-based
    top: float | None = None  # the y the viewer scrolls to; None: the page's top
    level: int = 0


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


def _staged(target: Path, data: bytes) -> str:
    """Write `data` to a synced temporary file beside `target`; returns its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_outputs(out_dir: str | Path, outputs: Iterable[Output]) -> list[Path]:
    """Write every output under out_dir, all or nothing as far as the disk allows.

    Every file is first written in full to a temporary name; only when all of them are on
    disk are they renamed into place. A full disk or a permission error therefore leaves
    the folder exactly as it was, and renames (which need no space) cannot fail halfway
    through a PDF.
    """
    out_dir = Path(out_dir)
    staged: list[tuple[str, Path]] = []
    try:
        for out in outputs:
            target = out_dir.joinpath(*out.relpath.split("/"))
            try:
                staged.append((_staged(target, out.data), target))
            except OSError as exc:
                blocker = file_in_the_way(target.parent)
                if blocker is not None:
                    raise CardpressError(Problem(f"cannot write: `{blocker}` is a file, not a folder "
                                                 "(choose another --out)", file=str(target))) from None
                raise CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(target))) from None
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


class _OutliningCanvas(Canvas):
    """A canvas that bookmarks each page's outline entries as the page is finished.

    reportlab can only point a bookmark at the page being drawn, so the entries wait
    here, by page, for their page's showPage.
    """

    def __init__(self, *args, outline: Iterable[OutlineEntry] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._pending: dict[int, list[OutlineEntry]] = {}
        for entry in outline:
            self._pending.setdefault(entry.page, []).append(entry)
        self._bookmarks = 0

    def showPage(self):
        for entry in self._pending.pop(self.getPageNumber() - 1, ()):
            key = f"outline{self._bookmarks}"
            self._bookmarks += 1
            top = self._pagesize[1] if entry.top is None else entry.top
            self.bookmarkPage(key, fit="XYZ", left=0, top=top)
            self.addOutlineEntry(entry.title, key, level=entry.level)
        super().showPage()


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str,
               author: str | None = None, subject: str | None = None, duplex: str = "long",
               outline: Iterable[OutlineEntry] = ()) -> Canvas:
    """A reportlab canvas set up for byte-identical output with the embedded fonts.

    invariant=1 pins the creation date and document id, so the same input always gives
    the same bytes (reportlab's own test_invariant does the same). The viewer preferences
    carry the print settings users most often get wrong: scaling, and the flip edge.
    """
    fonts.register()
    canvas = _OutliningCanvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1, lang=LANG,
                              outline=outline)
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX[duplex])
    canvas.setViewerPreference("DisplayDocTitle", "true")
    canvas.setTitle(title)
    canvas.setAuthor(author or "cardpress")
    if subject:
        canvas.setSubject(subject)
    canvas.setCreator("cardpress")
    return canvas


def pdf_output(relpath: str, pagesize: tuple[float, float], draw: Callable[[Canvas], None], *,
               title: str, author: str | None = None, subject: str | None = None, duplex: str = "long",
               outline: Iterable[OutlineEntry] = ()) -> Output:
    """Render a PDF in memory: `draw` paints every page on the canvas it is given.

    `duplex` is "long" or "short" (the flip edge of a two-sided print) or "simplex";
    `outline` lists the bookmarks, each placed when its page is finished.
    """
    buffer = io.BytesIO()
    outline = tuple(outline)
    canvas = new_canvas(buffer, pagesize, title=title, author=author, subject=subject, duplex=duplex,
                        outline=outline)
    draw(canvas)
    if outline:
        canvas.showOutline()
    canvas.save()
    return Output(relpath, buffer.getvalue())
