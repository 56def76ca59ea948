"""The catalog as CSV, one row per card, for spreadsheets."""

from __future__ import annotations

import csv
import io

from cardpress.catalog.model import Card

COLUMNS = ("id", "author", "year", "title", "category", "tags", "summary", "number1", "number2", "number3", "mastered")
TAG_SEPARATOR = ", "


def card_row(card: Card) -> list[str]:
    numbers = [n.full for n in card.numbers] + [""] * (3 - len(card.numbers))
    return [card.id, card.author, str(card.year), card.title, card.category, TAG_SEPARATOR.join(card.tags),
            card.summary, *numbers[:3], "true" if card.mastered else "false"]


def cards_csv(cards) -> str:
    """RFC 4180 CSV (CRLF rows, quotes where needed) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for card in cards:
        writer.writerow(card_row(card))
    return buffer.getvalue()
