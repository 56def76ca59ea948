"""Worksheets speak the page model: fields and writing lines read back from the records (no PDF)."""

from __future__ import annotations

import math

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog
from cardpress.page import Box, CheckBox, Page, Rule, TextField
from cardpress.units import INCH
from cardpress.worksheets import Variant, worksheet_pages

PITCH = 0.3125 * INCH  # 5/16 in, the worksheet's handwriting pitch


def _pages():
    cat = load_catalog(SHIPPED_CATALOG)
    return worksheet_pages(cat, cat.card("vaswani-2017-attention"), Variant())


def test_writing_lines_of_each_multiline_field_sit_one_pitch_apart_from_its_top():
    pages = _pages()
    assert all(isinstance(p, Page) for p in pages)
    checked = 0
    for page in pages:
        rules = [r for r in page.records if isinstance(r, Rule)]
        for f in page.records:
            if not (isinstance(f, TextField) and f.multiline):
                continue
            r = f.rect
            mine = sorted((ru.y1 for ru in rules if ru.x1 == r.x and ru.x2 == r.right and r.y - 1e-6 <= ru.y1 <= r.top),
                          reverse=True)
            n = int(math.floor(r.h / PITCH + 1e-6))
            assert len(mine) == n, f.name
            for i, y in enumerate(mine):
                assert abs(y - (r.top - (i + 1) * PITCH)) < 1e-6, (f.name, i)
            assert all(ru.y1 == ru.y2 for ru in rules)  # writing lines are horizontal
            checked += 1
    assert checked >= 5


def test_every_checkbox_has_its_printed_square_under_it():
    for page in _pages():
        squares = {(b.x, b.y, b.w, b.h) for b in page.records if isinstance(b, Box) and b.stroke == "#000000"}
        boxes = [c for c in page.records if isinstance(c, CheckBox)]
        for c in boxes:
            assert (c.rect.x, c.rect.y, c.rect.w, c.rect.h) in squares, c.name
            assert c.rect.w == c.rect.h
