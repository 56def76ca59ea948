"""Anki packages (.apkg) of front/back notes into draft entries: the front is the title.

An .apkg is a zip holding an SQLite collection; its `notes` table keeps each note's
fields joined by U+001F, in the same columns in every Anki version, so the standard
library's zipfile and sqlite3 read it. Anki 2.1.50+ writes `collection.anki21b`, the
same database compressed with Zstandard (the `zstandard` package, in the `anki` extra);
older packages and genanki's hold `collection.anki21` or `collection.anki2`.

A front/back note has no author or year of its own, and a draft needs both. They are
taken from the front when it reads `Author Year — Title`, else from an `Author Year`,
`Author et al., Year` or `(Author, Year)` on the back; a note with neither is reported,
not guessed. Cloze notes are not front/back notes and are reported too.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from cardpress.errors import CardpressError, Problem
from cardpress.grow.sources import Entry, Source, one_line

# An author is looked for only in the few words before each year, so the time is linear
# in the field however it is spaced or repeated (issue 18, D13, in another coat).
_WORD = r"[^\W\d_][\w'’-]*+"
_BEFORE_YEAR = re.compile(rf"(?<![\w'’-])(?P<author>{_WORD}(?:\s++(?:van|von|de|der|den|du|da|di|la|le)\s++{_WORD})*+)"
                          rf"(?:\s++(?:&|and)\s++{_WORD})?+(?:\s++et\s++al\.?+)?+\s*+,?+\s*+\(?+$")
_YEAR = re.compile(r"(?<![\w.])(?:19|20)[0-9]{2}(?![\w])")
_WINDOW = 80


def author_year(text: str) -> tuple[str, int] | None:
    """The first `Author Year`, `Author et al., Year` or `(Author, Year)` in the text."""
    for year in _YEAR.finditer(text):
        start = max(0, year.start() - _WINDOW)
        window = text[start:year.start()]
        if start:  # the window may begin inside a word: drop that part-word
            window = " " + window.split(None, 1)[-1] if len(window.split(None, 1)) > 1 else ""
        pos = 0
        while m := _BEFORE_YEAR.search(window, pos):
            # A surname is capitalised ("in 2017" is no author); particles may not be ("van der Maaten").
            if m.group("author").split()[-1][:1].isupper():
                return m.group("author"), int(year.group())
            pos = m.start() + 1
    return None


_CLOZE = re.compile(r"\{\{c\d+::")


class _Text(HTMLParser):
    """A field's HTML as plain text: tags dropped, line-breaking tags a space."""

    BREAKS = {"br", "div", "p", "li", "tr", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def field_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return one_line(unescape("".join(parser.parts)).replace("\xa0", " ")) or ""


def _database(archive: zipfile.ZipFile, path: Path) -> bytes:
    names = set(archive.namelist())
    if "collection.anki21b" in names:
        try:
            import zstandard
        except ImportError:
            raise CardpressError(Problem("this package is in Anki's newer format (collection.anki21b), which needs "
                                         "the zstandard package", file=str(path)),
                                 hint="Install it with: pip install 'cardpress[anki]', or export from Anki with "
                                      "\"Support older Anki versions\" ticked.") from None
        with archive.open("collection.anki21b") as raw:
            return zstandard.ZstdDecompressor().stream_reader(raw).read()
    for name in ("collection.anki21", "collection.anki2"):
        if name in names:
            return archive.read(name)
    raise CardpressError(Problem("not an Anki package: no collection inside", file=str(path)))


def _notes(data: bytes) -> list[tuple[str, str]]:
    """(fields joined by U+001F, tags) of every note, oldest first."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.db"
        db.write_bytes(data)
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return list(con.execute("select flds, tags from notes order by id"))
        finally:
            con.close()


def read_apkg(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as archive:
            data = _database(archive, path)
    except FileNotFoundError:
        raise CardpressError(Problem("Anki package not found", file=str(path))) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise CardpressError(Problem(f"not an Anki package (not a readable zip file: {exc})", file=str(path))) from None
    try:
        notes = _notes(data)
    except sqlite3.DatabaseError as exc:
        raise CardpressError(Problem(f"not an Anki package (its collection is not a database: {exc})",
                                     file=str(path))) from None
    entries, problems = [], []
    for n, (flds, tags) in enumerate(notes, start=1):
        fields = flds.split("\x1f")
        front = field_text(fields[0])
        back = field_text(fields[1]) if len(fields) > 1 else ""
        where = f"note {n}" + (f" “{front[:40]}…”" if len(front) > 40 else f" “{front}”" if front else "")
        if _CLOZE.search(flds):
            problems.append(Problem("a cloze note, not a front/back note; not imported", file=str(path), item=where))
            continue
        entry = _entry(where, front, back, tags)
        if isinstance(entry, str):
            problems.append(Problem(f"{entry}; not imported", file=str(path), item=where))
        else:
            entries.append(entry)
    # "Please update to the latest Anki version" is the one note of the stub collection an
    # old reader sees in a new package; it never gets here (anki21b is read first).
    return Source("an Anki package", "note", entries, problems, len(notes))


def _entry(where: str, front: str, back: str, tags: str) -> Entry | str:
    from cardpress.grow.markdown_import import _AUTHOR_YEAR_TITLE

    if not front:
        return "the front is empty"
    tag_list = [t for t in tags.split() if t and t != "leech"]
    m = _AUTHOR_YEAR_TITLE.match(front)
    if m and len(m.group("author").split()) <= 5:
        return Entry(where=where, author=m.group("author").strip(), year=int(m.group("year")),
                     title=m.group("title").strip(), tags=tag_list)
    found = author_year(back)
    if not found:
        return "no author and year: the front is the title, so write `Author Year` on the back (or the front " \
               "as `Author Year — Title`)"
    return Entry(where=where, author=found[0], year=found[1], title=front, tags=tag_list)
