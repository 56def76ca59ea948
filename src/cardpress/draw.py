"""Transitional: the deck's and worksheets' old painters until they speak the page model."""

from __future__ import annotations

from cardpress.page import placed_lines
from cardpress.paint import LeanText, draw_line, line_into


def draw_fit(canvas, fit, x, top, align="left", width=0.0):
    for ln in placed_lines(fit, x, top, align, width):
        draw_line(canvas, ln)
    return top - fit.height


def draw_fit_into(text, fit, x, top, align="left", width=0.0):
    for ln in placed_lines(fit, x, top, align, width):
        line_into(text, ln)
    return top - fit.height


def lean_text(canvas):
    return LeanText(canvas)
