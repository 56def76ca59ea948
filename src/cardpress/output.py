"""Getting files onto disk without ever losing the previous ones.

Every engine renders into memory and hands back `Output`s, one file at a time. Each is
written to a staging file in the output folder as it arrives; only when every engine has
succeeded are they renamed over the old ones, so a crash, a kill or a bad card never
leaves a half-written PDF or destroys the last good one.
"""

from __future__ import annotations

import io
from functools import cache
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable

from cardpress import fonts
from cardpress.errors import CardpressError, Problem

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Output:
    relpath: str  # relative to the output folder, "/"-separated
    data: bytes


@dataclass(frozen=True)
class Streamed:
    """A file too big to hold in memory: `write(fh)` copies it to the staging file."""
    relpath: str
    write: Callable[[BinaryIO], None]

    @property
    def data(self) -> bytes:
        """The whole file in memory, for callers that want it so (tests, small catalogs)."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()


def payload(out: Output | Streamed) -> bytes | Callable[[BinaryIO], None]:
    """What _stage_file writes for an output: its bytes, or its writer."""
    return out.write if isinstance(out, Streamed) else out.data


@dataclass(frozen=True)
class Staged:
    """A file another process already wrote, in full, to a staging file (parallel build)."""
    relpath: str
    tmp: Path


# How a file asks to be printed, stored in its /ViewerPreferences so print dialogs (and
# `cardpress print`) need not be told: a deck's flip is the same notion as PDF's flip edge.
DUPLEX = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "simplex": "Simplex"}
LANG = "en"


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark: engines hand these over as data, the canvas places them as pages end."""
    title: str
    page: int  # 0-based
    top: float | None = None  # the y the viewer scrolls to; None: the page's top
    level: int = 0


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


def _stage_file(stage: Path, n: int, data: bytes | Callable[[BinaryIO], None], owner: int | None = None) -> Path:
    """Write `data` (bytes, or a writer) to a synced staging file named for the `owner` pid
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
            data(fh) if callable(data) else fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_error(target: Path, exc: OSError, hint: str = "") -> CardpressError:
    """The message for a file that could not be written: a file where a folder should be is
    named (with `hint` after it), else the system's reason."""
    blocker = file_in_the_way(target.parent)
    if blocker is not None:
        return CardpressError(Problem(f"cannot write: `{blocker}` is a file, not a folder{hint}", file=str(target)))
    return CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(target)))


def write_outputs(out_dir: str | Path, outputs: Iterable[Output | Streamed | Staged], *, manifest: bool = False,
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
                tmp = out.tmp if isinstance(out, Staged) else _stage_file(stage, n, payload(out))
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


@cache
def _outlining_canvas_class():
    """Built on first use, so that importing this module does not import reportlab."""
    from reportlab.pdfgen.canvas import Canvas

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
            _compress_now(self._doc.Pages.pages[-1])

    return _OutliningCanvas


class _Deflated:
    """The Flate filter for content deflated already: reportlab writes it out as it is."""
    pdfname = "FlateDecode"

    @staticmethod
    def encode(content: bytes) -> bytes:
        return content


@cache
def _stream_class():
    from reportlab.pdfbase.pdfdoc import PDFStream

    class _SavedOnce(PDFStream):
        """A page's stream, which lets its bytes go once save has copied them into the file:
        at save, reportlab holds every object and the file it is making at the same time."""

        def format(self, document):
            out = super().format(document)
            self.content = None  # formatted once, by PDFDocument.format; a second time would raise
            return out

    return _SavedOnce


@cache
def _page_class():
    from reportlab.pdfbase.pdfdoc import PDFPage

    class _FinishedPage(PDFPage):
        """A page whose unset entries are None on the class, not on each page (see _compress_now)."""

        def format(self, document):
            out = super().format(document)
            # Made by check_format at save for this page alone, and in the file now.
            self.__dict__.pop("Resources", None)
            self.__dict__.pop("MediaBox", None)
            return out

    for name in PDFPage.__NoDefault__:
        setattr(_FinishedPage, name, None)
    return _FinishedPage


def _compress_now(page) -> None:
    """Deflate a finished page's content stream now rather than at save.

    reportlab keeps every page's stream as text until save: 10,000 cards held 20,000 of
    them. The bytes written are the same: reportlab would deflate the same text the same
    way (Flate only, see new_canvas), into the same stream object made at the same point.
    """
    import zlib

    stream = getattr(page, "stream", None)
    if not stream or page.Contents or not page.compression or not isinstance(stream, str):
        return
    contents = _stream_class()(content=zlib.compress(stream.encode("utf8")), filters=[_Deflated])
    contents.__Comment__ = "page stream"
    page.Contents = contents
    page.stream = None
    # Most of a page's 31 entries are unset (None); they are read from the class instead,
    # which halves what each of a big deck's 20,000 finished pages holds until save.
    lean = _page_class()
    if type(page) is lean.__base__:
        page.__class__ = lean
        page.__dict__ = {k: v for k, v in vars(page).items() if v is not None or getattr(lean, k, 0) is not None}


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str,
               author: str | None = None, subject: str | None = None, duplex: str = "long",
               outline: Iterable[OutlineEntry] = ()) -> Canvas:
    """A reportlab canvas set up for byte-identical output with the embedded fonts.

    invariant=1 pins the creation date and document id, so the same input always gives
    the same bytes (reportlab's own test_invariant does the same). The viewer preferences
    carry the print settings users most often get wrong: scaling, and the flip edge.
    """
    from reportlab import rl_config

    fonts.families()  # the faces themselves are registered as text first uses them (fonts.use)
    # Streams are Flate-compressed binary already; ASCII85 on top only made them 25 % larger
    # and cost a pure-Python encode per stream (read when each stream is made, so set here).
    rl_config.useA85 = 0
    canvas = _outlining_canvas_class()(buffer, pagesize=pagesize, invariant=1, pageCompression=1,
                                       lang=LANG, outline=outline)
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX[duplex])
    canvas.setViewerPreference("DisplayDocTitle", "true")
    canvas.setTitle(title)
    canvas.setAuthor(author or "cardpress")
    if subject:
        canvas.setSubject(subject)
    canvas.setCreator("cardpress")
    return canvas
