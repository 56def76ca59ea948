"""The canvas every PDF is drawn on: byte-identical output, viewer preferences, bookmarks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Iterable

from cardpress.typeset import fonts

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


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

        # --mono paints in DeviceGray: reportlab's setters know rg and k only.
        def setFillColor(self, aColor, alpha=None):
            if type(aColor) is _gray_cached() and alpha is None:
                self._fillColorObj = aColor
                self._code.append(aColor.fill)
                return
            super().setFillColor(aColor, alpha)

        def setStrokeColor(self, aColor, alpha=None):
            if type(aColor) is _gray_cached() and alpha is None:
                self._strokeColorObj = aColor
                self._code.append(aColor.stroke)
                return
            super().setStrokeColor(aColor, alpha)

        def save(self):
            # reportlab tags every font's first subset AAAAAA+, its second AAAAAB+ …, so two
            # faces in one file share a tag; the PDF rule wants a tag per subset in a file.
            # Tags are handed out in the order fonts are written: same input, same tags.
            from reportlab.pdfbase import ttfonts

            own = ttfonts.SUBSETN
            count = iter(range(26 ** 4))  # the first two letters are left to pdf.join's parts
            ttfonts.SUBSETN = lambda n: subset_tag(next(count)).encode()
            try:
                super().save()
            finally:
                ttfonts.SUBSETN = own

    return _OutliningCanvas


def _gray_class():
    from reportlab.lib.colors import Color
    from reportlab.lib.rl_accel import fp_str

    class Gray(Color):
        """A DeviceGray level (`g`/`G`); an RGB grey to anything that reads it as a Color."""

        def __init__(self, level: float):
            super().__init__(level, level, level)
            self.level = level
            self.fill = f"{fp_str(level)} g"
            self.stroke = f"{fp_str(level)} G"

    return Gray


def __getattr__(name: str):
    # Gray is made on first use, so that importing this module does not import reportlab.
    if name == "Gray":
        cls = _gray_cached()
        globals()["Gray"] = cls
        return cls
    raise AttributeError(name)


@cache
def _gray_cached():
    return _gray_class()


def _check_epoch() -> None:
    """SOURCE_DATE_EPOCH (reproducible builds) dates the files when set; reportlab reads it
    itself, and raised on anything but whole seconds. Unset, the date stays 2000-01-01."""
    import os

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value and not (value.isdigit() and int(value) <= 253402300799):  # up to 9999-12-31
        from cardpress.errors import CardpressError, Problem

        raise CardpressError(Problem(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 (e.g. 1767225600), "
                                     f"not `{value}`"))


def subset_tag(n: int) -> str:
    """The n-th six-letter subset tag: AAAAAA, AAAAAB, … (n in base 26)."""
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(ord("A") + r))
    return "".join(reversed(letters))


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

    _check_epoch()
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
