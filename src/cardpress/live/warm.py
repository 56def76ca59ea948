"""What a watching process keeps between saves beyond loaded modules: the results of the
deterministic steps that dominate a deck's save after a one-card change.

A deck of 17 cards re-made after one card changed repeats almost all its work: every
other page's content stream deflates to the same bytes, each font's subset (a pure
function of the font file and the characters used) is the same, and so is every other
card's laid-out faces. All three are memoised here,
keyed by their whole input, so the PDFs stay byte-identical to a cold build's. Only the
`watch` process installs this; bounded so a long session cannot grow without end.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict

LIMIT = 64 * 1024 * 1024  # bytes of inputs and outputs held; a large deck's streams fit many times

_installed = False


class _Memo:
    def __init__(self, limit: int):
        self.items: OrderedDict = OrderedDict()
        self.size = 0
        self.limit = limit
        self.hits = self.misses = 0

    def get(self, key, make, cost):
        hit = self.items.get(key)
        if hit is not None:
            self.items.move_to_end(key)
            self.hits += 1
            return hit
        self.misses += 1
        value = make()
        self.items[key] = value
        self.size += cost(key, value)
        while self.size > self.limit and self.items:
            old_key, old = self.items.popitem(last=False)
            self.size -= cost(old_key, old)
        return value


memo = _Memo(LIMIT)


def install() -> None:
    """Memoise zlib.compress (content streams) and reportlab's font subsetting, once."""
    global _installed
    if _installed:
        return
    _installed = True
    compress = zlib.compress

    def compress_memo(data, /, level=-1, wbits=15):
        if wbits != 15 or not isinstance(data, bytes):
            return compress(data, level, wbits)
        return memo.get(("z", data, level), lambda: compress(data, level), lambda k, v: len(k[1]) + len(v))

    zlib.compress = compress_memo

    from reportlab.pdfbase import ttfonts

    subset_of = ttfonts.TTFontFile.makeSubset

    def subset_memo(self, subset):
        key = ("subset", self.filename, getattr(self, "subfontNameX", None), tuple(subset))
        return memo.get(key, lambda: subset_of(self, subset), lambda k, v: len(v) + 8 * len(k[3]))

    ttfonts.TTFontFile.makeSubset = subset_memo

    # A card's faces are a pure function of the layout, the card, its category and its
    # pairing mark: an unchanged card at an unchanged place is laid out once.
    from cardpress.deck.faces import FaceLayout

    for side in ("front", "back"):
        lay_out = getattr(FaceLayout, side)

        def face_memo(self, card, category, mark, lay_out=lay_out, side=side):
            key = ("face", side, self.layout, card, category, mark)
            return memo.get(key, lambda: lay_out(self, card, category, mark), lambda k, v: 2048)

        setattr(FaceLayout, side, face_memo)
