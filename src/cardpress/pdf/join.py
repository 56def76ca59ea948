"""Joining PDFs that cardpress's own canvases wrote into one file, streamed to disk.

Why not a PDF library: the combined worksheets of 5,000 papers are ~10,000 pages and
~400,000 form fields. reportlab holds every object of a document until it saves; qpdf
(`qpdf --empty --pages`) took 115 s and 1.7 GB for 600 papers, and pypdf holds the whole
output in memory too. These inputs are one writer's output with a known shape (a
classic xref table, no object streams, no encryption), so joining them is renumbering
objects and rewriting the five objects that tie a document together: the catalog, the
document info, the page tree, the AcroForm and the outline root. Memory holds one
part's bytes and one offset per object written.

Each part keeps its own fonts (its own subsets), pages, form fields and outline items;
the joined file's page tree, field list and outline list them part after part. Every
part must come from the same canvas setup (title, viewer preferences): the first part's
catalog and document info are the joined file's.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from typing import BinaryIO

# A literal string: escapes, and balanced parentheses two deep (the spec allows them
# unescaped; reportlab escapes them, but a string must never be taken for a reference).
_STRING = rb"\((?:[^\\()]|\\.|\((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*\))*\)"
# A literal string, a hex string, a dictionary bracket or a reference.
_TOKEN = re.compile(_STRING + rb"|<<|>>|<[0-9A-Fa-f\s]*>|(\d+) (\d+) R", re.S)
_REF = rb"(\d+) 0 R"
# An outline item's links to its siblings (strings matched only to be skipped).
_LINK = re.compile(_STRING + rb"|\s*/(Next|Prev) \d+ 0 R", re.S)
_CATALOG, _INFO, _PAGES, _FORM, _OUTLINES = 1, 2, 3, 4, 5  # the joined file's own objects


class JoinError(ValueError):
    """A part is not a PDF of the shape cardpress's canvases write."""


_STRINGS = re.compile(_STRING, re.S)


def _ref(body: bytes, key: bytes) -> int | None:
    body = _STRINGS.sub(b"()", body)  # a title may read like an entry
    m = re.search(rb"/" + key + rb"\s+" + _REF, body)
    return int(m.group(1)) if m else None


def _refs(body: bytes, key: bytes) -> list[int]:
    body = _STRINGS.sub(b"()", body)
    m = re.search(rb"/" + key + rb"\s*\[([^\]]*)\]", body)
    return [int(n) for n in re.findall(_REF, m.group(1))] if m else []


class _Part:
    """One input PDF: its objects' byte spans, by object number."""

    def __init__(self, data: bytes):
        self.data = data
        start = data.rfind(b"startxref")
        m = re.match(rb"startxref\s+(\d+)", data[start:])
        if start < 0 or not m:
            raise JoinError("no startxref")
        xref = int(m.group(1))
        m = re.match(rb"xref\s+0 (\d+)\s+", data[xref:])
        if not m:
            raise JoinError("not a classic xref table")
        count = int(m.group(1))
        table = data[xref + m.end():xref + m.end() + 20 * count]
        self.offsets = {n: int(table[20 * n:20 * n + 10]) for n in range(1, count)
                        if table[20 * n + 17:20 * n + 18] == b"n"}
        ends = sorted(self.offsets.values()) + [xref]
        after = dict(zip(ends, ends[1:]))
        self.spans = {n: (off, after[off]) for n, off in self.offsets.items()}
        trailer = data[data.rfind(b"trailer", 0, start):start]
        self.root = _ref(trailer, b"Root")
        self.info = _ref(trailer, b"Info")
        catalog = self.body(self.root)
        self.pages_root = _ref(catalog, b"Pages")
        self.form = _ref(catalog, b"AcroForm")
        self.outlines = _ref(catalog, b"Outlines")
        if None in (self.root, self.info, self.pages_root):
            raise JoinError("no catalog, info or page tree")
        self.pages = _refs(self.body(self.pages_root), b"Kids")
        self.fields = _refs(self.body(self.form), b"Fields") if self.form else []
        self.header = data[:min(self.offsets.values())]

    def raw(self, n: int) -> bytes:
        """Object n as written, from `n 0 obj` to `endobj`."""
        a, b = self.spans[n]
        return self.data[a:b]

    def body(self, n: int) -> bytes:
        raw = self.raw(n)
        return raw[raw.index(b"obj") + 3:raw.rindex(b"endobj")]

    def outline_items(self) -> list[int]:
        """The top-level outline items, first to last."""
        items = []
        n = _ref(self.body(self.outlines), b"First") if self.outlines else None
        while n is not None:
            items.append(n)
            n = _ref(self.body(n), b"Next")
        return items


def _renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    """`body` with every reference renumbered; strings are left as they are."""
    def sub(m: re.Match) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        return b"%d %s R" % (mapping[int(m.group(1))], m.group(2))
    return _TOKEN.sub(sub, body)


def _renumber_object(raw: bytes, new: int, mapping: dict[int, int]) -> bytes:
    """A whole object under its new number; a stream's data is copied byte for byte."""
    start = raw.index(b"obj") + 3
    depth = 0
    end = len(raw)
    for m in _TOKEN.finditer(raw, start):
        tok = m.group(0)
        if tok == b"<<":
            depth += 1
        elif tok == b">>":
            depth -= 1
            if depth == 0:
                end = m.end()
                break
    if not raw[end:end + 16].lstrip().startswith(b"stream"):  # not a stream: renumber all of it
        end = len(raw)
    return b"%d 0 obj" % new + _renumber(raw[start:end], mapping) + raw[end:]


class Joiner:
    """Writes parts to `out` as they come (add), then the joined file's own objects (close)."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.digest = hashlib.md5()
        self.offsets = array("q")  # by object number; -1: not written (yet)
        self.position = 0
        self.next = _OUTLINES + 1
        self.first: _Part | None = None
        self.first_mapping: dict[int, int] = {}
        self.pages: list[int] = []
        self.fields: list[int] = []
        self.outline: list[bytes] = []  # top-level items, renumbered, written at close
        self.outline_numbers: list[int] = []
        self.outline_count = 0

    def _write(self, data: bytes, number: int | None = None) -> None:
        if number is not None:
            if number >= len(self.offsets):
                self.offsets.extend([-1] * (number + 1 - len(self.offsets)))
            self.offsets[number] = self.position
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)

    def add(self, data: bytes) -> None:
        part = _Part(data)
        if self.first is None:
            self.first = part
            self._write(part.header)
        outline = part.outline_items()
        mapping = {part.root: _CATALOG, part.info: _INFO, part.pages_root: _PAGES}
        if part.form:
            mapping[part.form] = _FORM
        if part.outlines:
            mapping[part.outlines] = _OUTLINES
        for n in sorted(part.spans):
            if n not in mapping:
                mapping[n] = self.next
                self.next += 1
        if self.first is part:
            self.first_mapping = mapping
        held = set(outline) | {part.root, part.info, part.pages_root, part.form, part.outlines}
        for n in sorted(part.spans):
            if n not in held:
                self._write(_renumber_object(part.raw(n), mapping[n], mapping), mapping[n])
        self.pages += [mapping[n] for n in part.pages]
        self.fields += [mapping[n] for n in part.fields]
        if part.outlines:
            m = re.search(rb"/Count\s+(-?\d+)", part.body(part.outlines))
            self.outline_count += abs(int(m.group(1))) if m else len(outline)
        for n in outline:
            self.outline.append(_renumber(part.body(n), mapping))
            self.outline_numbers.append(mapping[n])

    def close(self) -> None:
        """The catalog, info, page tree, AcroForm, outline, xref and trailer."""
        part, mapping = self.first, self.first_mapping
        if part is None:
            raise JoinError("nothing to join")
        items = self.outline_numbers
        for i, (n, body) in enumerate(zip(items, self.outline)):
            # Each part's items link among themselves; link the parts' runs to each other.
            body = _LINK.sub(lambda m: m.group(0) if m.group(1) is None else b"", body).rstrip()
            links = (b" /Prev %d 0 R" % items[i - 1] if i else b"") + \
                (b" /Next %d 0 R" % items[i + 1] if i + 1 < len(items) else b"")
            self._write(b"%d 0 obj" % n + body[:-2] + links + b" >>\nendobj\n", n)
        self._write(b"%d 0 obj" % _CATALOG + _renumber(part.body(part.root), mapping) + b"endobj\n", _CATALOG)
        self._write(b"%d 0 obj" % _INFO + _renumber(part.body(part.info), mapping) + b"endobj\n", _INFO)
        kids = b" ".join(b"%d 0 R" % n for n in self.pages)
        self._write(b"%d 0 obj\n<< /Count %d /Kids [ %s ] /Type /Pages >>\nendobj\n"
                    % (_PAGES, len(self.pages), kids), _PAGES)
        if part.form:
            form = _renumber(part.body(part.form), mapping)
            fields = b" ".join(b"%d 0 R" % n for n in self.fields)
            form = re.sub(rb"/Fields\s*\[[^\]]*\]", lambda _: b"/Fields [ " + fields + b" ]", form)
            self._write(b"%d 0 obj" % _FORM + form + b"endobj\n", _FORM)
        if part.outlines:
            ends = (b"/First %d 0 R /Last %d 0 R " % (items[0], items[-1])) if items else b""
            self._write(b"%d 0 obj\n<< /Count %d %s/Type /Outlines >>\nendobj\n" % (_OUTLINES, self.outline_count, ends),
                        _OUTLINES)
        size = self.next
        xref = self.position
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        for n in range(1, size):
            off = self.offsets[n] if n < len(self.offsets) else -1
            rows.append(b"%010d 00000 n \n" % off if off >= 0 else b"0000000000 65535 f \n")
        self._write(b"".join(rows))
        # The same parts give the same id: a digest of everything written.
        file_id = self.digest.hexdigest().encode()
        self._write(b"trailer\n<< /ID [<%s><%s>] /Info %d 0 R /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n"
                    % (file_id, file_id, _INFO, _CATALOG, size, xref))
