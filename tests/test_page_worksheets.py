"""Worksheets speak the page model: fields and writing lines read back from the records (no PDF)."""

from __future__ import annotations

import math

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog
from cardpress.pdf.page import Box, CheckBox, Page, Rule, TextField
from cardpress.units import INCH
from cardpress.worksheets import Variant, worksheet_pages

PITCH = 0.3125 * INCH  # 5/16 in, the worksheet's handwriting pitch


def _pages():
    cat = load_catalog(SHIPPED_CATALOG)
    return worksheet_pages(cat, cat.card("vaswani-2017-attention"), Variant())


def test_every_text_field_stands_on_its_own_rule_and_no_rule_crosses_it():
    """One single-line field per writing line: its box rests on the rule (within a point),
    spans it, and no other rule runs through the box (typed text is never struck through)."""
    pages = _pages()
    assert all(isinstance(p, Page) for p in pages)
    checked = 0
    for page in pages:
        rules = [r for r in page.records if isinstance(r, Rule) and r.y1 == r.y2]
        for f in page.records:
            if not isinstance(f, TextField):
                continue
            r = f.rect
            assert not f.multiline, f.name
            under = [ru for ru in rules if 0 <= r.y - ru.y1 <= 1.0 and ru.x1 <= r.x + 1e-6 and r.right <= ru.x2 + 1e-6]
            assert under, f.name
            assert not [ru for ru in rules if r.y < ru.y1 < r.top and ru.x1 < r.right and ru.x2 > r.x], f.name
            checked += 1
    assert checked >= 20


def test_the_lines_of_a_writing_box_are_one_pitch_apart_and_numbered_top_down():
    groups: dict[str, list] = {}
    for page in _pages():
        for f in page.records:
            if isinstance(f, TextField) and "." in f.name:
                stem, n = f.name.rsplit(".", 1)
                groups.setdefault(stem, []).append((int(n), f.rect.y))
    assert "claim" in groups and "phase-1-notes" in groups
    for stem, lines in groups.items():
        lines.sort()
        assert [n for n, _ in lines] == list(range(1, len(lines) + 1)), stem
        for (_, upper), (_, lower) in zip(lines, lines[1:]):
            assert abs(upper - lower - PITCH) < 1e-6, stem


def test_every_checkbox_has_its_printed_square_under_it():
    for page in _pages():
        squares = {(b.x, b.y, b.w, b.h) for b in page.records if isinstance(b, Box) and b.stroke == "#000000"}
        boxes = [c for c in page.records if isinstance(c, CheckBox)]
        for c in boxes:
            assert (c.rect.x, c.rect.y, c.rect.w, c.rect.h) in squares, c.name
            assert c.rect.w == c.rect.h
