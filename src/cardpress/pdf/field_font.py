"""The font typed answers are set in: a DejaVu Sans subset embedded once per file.

A form field's text is drawn by whatever fills it (a viewer, pypdf, PyMuPDF,
`cardpress fill`) in the font its default appearance (/DA) names from the form's /DR.
Helvetica, unembedded and single-byte encoded, has no Greek and no math: typed β, ≈, →
and √ came out as `?` or not at all. So the fields name this font instead: a Type0
(Identity-H) font whose descendant is a TrueType subset of DejaVu Sans holding Latin-1,
Greek and Coptic, general punctuation, super- and subscripts, arrows and the whole
mathematical operators block; a ToUnicode map lets fillers find a character's glyph, and
copy and search give the characters back.

The subset is made with reportlab's own subsetter (already a dependency; 10 ms, the same
bytes every run). A character's CID is its Unicode code point, mapped to its glyph by a
CIDToGIDMap stream: poppler, when it redraws a field (NeedAppearances), writes the code
point of each typed character as its two-byte code, whatever the font; and two characters
drawn by one glyph (space and no-break space) keep apart in the ToUnicode map, where a
glyph-id CID would give fillers only one of them. The subset tag is fixed: every file
holds one copy of these same bytes (pdf.join keeps one when joining).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache

# The code points typed answers may use (DejaVu Sans draws every one that it has).
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x2010, 0x205E),  # general punctuation: dashes, quotes, bullet, ellipsis, primes
    (0x2070, 0x209C),  # superscripts and subscripts
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
)
RESOURCE = "CPF"  # the font's name in the form's /DR and in every field's /DA
TAG = "CPFFLD"  # the subset tag: one subset, always these bytes
BASE_FONT = f"{TAG}+DejaVuSans"


@dataclass(frozen=True)
class FieldFont:
    data: bytes  # the TrueType subset
    gid: dict[int, int]  # code point (= CID) -> glyph id
    widths: dict[int, int]  # code point -> advance, 1/1000 em
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    stem_v: int

    def encode(self, text: str) -> bytes:
        """`text` as the font's two-byte codes (KeyError for a character it lacks)."""
        return b"".join(struct.pack(">H", ord(c)) for c in text if self.gid[ord(c)])

    def missing(self, text: str) -> list[str]:
        return sorted({c for c in text if ord(c) not in self.gid})

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[ord(c)] for c in text) * size / 1000


@cache
def field_font() -> FieldFont:
    from reportlab.pdfbase import pdfmetrics

    from cardpress.typeset import fonts

    fonts.use(fonts.SANS)
    face = pdfmetrics.getFont(fonts.SANS).face
    codes = [c for lo, hi in RANGES for c in range(lo, hi + 1) if c in face.charToGlyph]
    data = face.makeSubset(codes)
    gid = dict(zip(codes, _cmap6(data)))
    widths = {c: int(round(face.charWidths.get(c, face.defaultWidth))) for c in gid}
    return FieldFont(data, gid, widths, int(face.ascent), int(face.descent), int(face.capHeight),
                     tuple(int(v) for v in face.bbox), int(face.stemV))


def _cmap6(font: bytes) -> list[int]:
    """The glyph ids of reportlab's subset cmap (format 6, codes 0..n-1 in subset order)."""
    (count,) = struct.unpack(">H", font[4:6])  # the table directory's numTables
    for i in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        if tag == b"cmap":
            sub = offset + 12  # skip version, count and the one encoding record
            fmt, _, _, first, n = struct.unpack(">HHHHH", font[sub:sub + 10])
            assert fmt == 6 and first == 0
            return list(struct.unpack(f">{n}H", font[sub + 10:sub + 10 + 2 * n]))
    raise ValueError("subset without a cmap")


def cid_to_gid(f: FieldFont) -> bytes:
    """The CIDToGIDMap stream's bytes: two per CID from 0 to the highest code point."""
    table = [0] * (max(f.gid) + 1)
    for c, g in f.gid.items():
        table[c] = g
    return struct.pack(f">{len(table)}H", *table)


def _runs(codes: list[int], split_at_256: bool = False) -> list[list[int]]:
    runs: list[list[int]] = []
    for c in codes:
        if runs and c == runs[-1][-1] + 1 and not (split_at_256 and c % 256 == 0):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def to_unicode(f: FieldFont) -> bytes:
    """The ToUnicode CMap: each CID is its own code point (ranges within one high byte)."""
    runs = _runs(sorted(f.gid), split_at_256=True)
    out = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
           b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for i in range(0, len(runs), 100):
        chunk = runs[i:i + 100]
        out.append(b"%d beginbfrange" % len(chunk))
        out += [b"<%04X> <%04X> <%04X>" % (r[0], r[-1], r[0]) for r in chunk]
        out.append(b"endbfrange")
    out += [b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    return b"\n".join(out)


def width_array(f: FieldFont) -> str:
    """/W: runs of consecutive CIDs with their widths."""
    return "[" + " ".join(f"{run[0]} [{' '.join(str(f.widths[c]) for c in run)}]"
                          for run in _runs(sorted(f.widths))) + "]"
