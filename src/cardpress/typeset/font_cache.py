"""Parsed TrueType faces kept on disk, so a process need not parse them again.

reportlab reads a face's character map and widths in pure Python: 5-8 ms per face, six
faces on a typical deck, a fifth of a small deck's run. What it builds from the file is
plain data (dicts, lists, numbers, name strings), so it is stored once and read back.

Safe to reuse because the key is the font file's own bytes (its SHA-256), the reportlab
version and Python's, plus a format number; the file's bytes are always read from the
font itself, never from the cache. A stored face carries a SHA-256 of its pickle, checked
before it is read: a damaged file (a flipped bit in a width table still unpickles) must
not print other widths, and pickle raises almost anything on junk. The unpickler accepts
only the two reportlab classes the data holds, so a foreign file in the cache cannot run
code. Anything unreadable is ignored and the face parsed as before; a cache that cannot
be written is not an error.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from array import array
from pathlib import Path
from weakref import WeakKeyDictionary

_FORMAT = 3
_MAGIC = b"cardpress face\n"  # then the pickle's SHA-256, then the pickle
# Per face, not per font: the font's own parts (its name, encoding, state) are made fresh.
_NOT_STORED = ("_ttf_data", "_pdfScale")


def cache_dir() -> Path | None:
    """CARDPRESS_CACHE_DIR (shared with the formula cache; "" turns caching off), else ~/.cache."""
    from cardpress.files.cache import folder

    return folder("fonts")


def _key_path(data: bytes) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    from reportlab import Version

    ident = f"{_FORMAT}|{Version}|{sys.version_info[0]}.{sys.version_info[1]}|".encode() + data
    return directory / f"face-{hashlib.sha256(ident).hexdigest()[:32]}.pickle"


class _FaceUnpickler(pickle.Unpickler):
    _ALLOWED = {("reportlab.pdfbase.ttfonts", "TTFNameBytes"), ("array", "array"),
                ("array", "_array_reconstructor")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not font data")


def _scale(units_per_em: int):
    """reportlab's glyph-unit to 1/1000-em scaling (TTFontFile.extractInfo), made the same way."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def load_ttfont(name: str, path: Path):
    """A reportlab TTFont for `path`, its parsed face read from the cache when it is there."""
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

    data = path.read_bytes()
    where = _key_path(data)
    if where is not None:
        try:
            stored = _read(where)
            font = TTFont.__new__(TTFont)
            font.__dict__.update(stored["font"], fontName=name, encoding=TTEncoding(),
                                 state=WeakKeyDictionary())  # per-document subsets: none yet
            face = TTFontFace.__new__(TTFontFace)
            face.__dict__.update({k: _unpack(v) for k, v in stored["face"].items()})
            face._ttf_data = data
            face._pdfScale = _scale(face.unitsPerEm)
            font.face = face
            return font
        except Exception:  # noqa: BLE001 (any failure here only costs the parse)
            pass  # not there, damaged, or not ours: parse the file
    font = TTFont(name, str(path))
    if where is not None:
        _store(where, font)
    return font


def _read(where: Path) -> dict:
    with open(where, "rb") as fh:
        blob = fh.read()
    head = len(_MAGIC)
    payload = blob[head + 32:]
    if blob[:head] != _MAGIC or hashlib.sha256(payload).digest() != blob[head:head + 32]:
        raise ValueError(f"{where} is damaged or not a cardpress face")
    return _FaceUnpickler(io.BytesIO(payload)).load()


# The big tables (character map, widths, glyph offsets: ~6,000 entries each) go in as flat
# arrays: unpickling them is a few memory copies instead of 6,000 small objects each.
def _typecode(values: list) -> str | None:
    if all(type(v) is int for v in values):
        return "q"
    if all(type(v) is float for v in values):
        return "d"
    return None


def _pack(value):
    if type(value) is dict and len(value) > 64:
        keys, values = list(value), list(value.values())
        kc, vc = _typecode(keys), _typecode(values)
        if kc == "q" and vc:
            return ("dict", array(kc, keys), array(vc, values))
    elif type(value) is list and len(value) > 64:
        code = _typecode(value)
        if code:
            return ("list", array(code, value))
        if all(type(v) is tuple and len(v) == 2 for v in value):
            firsts, seconds = [a for a, _ in value], [b for _, b in value]
            c1, c2 = _typecode(firsts), _typecode(seconds)
            if c1 and c2:
                return ("pairs", array(c1, firsts), array(c2, seconds))
    return ("as is", value)


def _unpack(packed):
    kind = packed[0]
    if kind == "dict":
        return dict(zip(packed[1].tolist(), packed[2].tolist()))
    if kind == "list":
        return packed[1].tolist()
    if kind == "pairs":
        return list(zip(packed[1].tolist(), packed[2].tolist()))
    return packed[1]


def _store(where: Path, font) -> None:
    face = {k: _pack(v) for k, v in font.face.__dict__.items() if k not in _NOT_STORED}
    own = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "fontName", "encoding")}
    buffer = io.BytesIO()
    try:
        pickle.dump({"font": own, "face": face}, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # not plain data after all: parsed again next time
    from cardpress.files.cache import store

    payload = buffer.getvalue()
    store(where, _MAGIC + hashlib.sha256(payload).digest() + payload)
