"""Formulas laid out ahead of time and shipped with cardpress (issues 21 and 22).

A first `build` after install used to lay out every formula of the catalog through
matplotlib (import and font scan ~1.5 s, then 30-100 ms a formula: 10 s cold against 3 s
warm for the shipped catalog). mathstore.bin holds the boxes of the formulas of the shipped
catalog and of the starter catalog `cardpress init` writes, at the sizes their builds and
`validate` lay them out at, so such a first run imports no matplotlib at all.

mathtext consults it after its memory and disk caches and before laying out. It is used
only when it was made by this cardpress's layout code (mathtext's `_code_version`), this
matplotlib version and this entry format; otherwise it is ignored (the formulas are laid
out, slow but right). Its bytes carry a SHA-256, and each box is checked value by value as
a disk-cache entry is (mathtext.box_from), so a damaged store prints nothing it did not
lay out. Made again by `python tests/prebuild_math.py`; tests/test_mathstore.py
fails when it is stale.

Format: a line `cardpress math store 1 <sha256 of the rest>`, then zlib-compressed JSON
{"format", "matplotlib", "code", "formulas": [[tex, fontset, [[size, width, ascent,
descent, glyphs, rules], ...]], ...]} with glyphs and rules as the disk cache writes them.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from functools import cache
from pathlib import Path

STORE = Path(__file__).with_name("mathstore.bin")
MAGIC = b"cardpress math store 1 "
LIMIT = 8 * 1024 * 1024  # far above what the shipped catalogs need (the store is ~100 KB)

# Tests that measure the layout itself (and the regeneration, which must lay everything
# out) turn the store off.
enabled = True


def get(key: tuple[str, float, str]):
    """The shipped box for (tex, size, fontset), or None (not shipped, stale or damaged)."""
    if not enabled:
        return None
    fields = _entries().get(key)
    if fields is None:
        return None
    from cardpress.typeset.mathtext import box_from

    try:
        return box_from(key, *fields)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@cache
def _entries() -> dict:
    data = read()
    if data is None:
        return {}
    from cardpress.typeset.mathtext import _CACHE_FORMAT, _code_version, _mpl_version

    try:
        if (data["format"], data["matplotlib"], data["code"]) != (_CACHE_FORMAT, _mpl_version(), _code_version()):
            return {}  # made by other code or another matplotlib: its boxes may differ
        return {(tex, float(size), fontset): fields
                for tex, fontset, sizes in data["formulas"] for size, *fields in sizes
                if isinstance(tex, str) and isinstance(fontset, str) and type(size) in (int, float)}
    except (ValueError, KeyError, TypeError):
        return {}


def read(path: Path | None = None) -> dict | None:
    """The store's content (default: the shipped one) if it is whole (its checksum matches),
    else None."""
    try:
        with open(path or STORE, "rb") as fh:
            blob = fh.read(LIMIT + 1)
    except OSError:
        return None
    head, _, body = blob.partition(b"\n")
    if len(blob) > LIMIT or not head.startswith(MAGIC):
        return None
    if head[len(MAGIC):] != hashlib.sha256(body).hexdigest().encode():
        return None
    try:
        unzip = zlib.decompressobj()
        raw = unzip.decompress(body, 16 * LIMIT)
        if unzip.unconsumed_tail or not unzip.eof:
            return None  # larger than any store cardpress makes
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def encode(data: dict) -> bytes:
    """The store's bytes for `data` (deterministic: same data, same bytes)."""
    body = zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9)
    return MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
