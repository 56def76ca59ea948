"""The catalog as CSV, one row per card, for spreadsheets; `import` reads it back.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets, so a card's text could run as one on the reader's
machine (CSV injection; issue 18, D28). Such a cell is written with a leading `'`, as
OWASP advises. The rule counts `'`s already in front of the trigger, so it is reversible
and `import` restores the text exactly: `=x` -> `'=x`, `'=x` -> `''=x`, `'hello` stays.
"""

from __future__ import annotations

import csv
import io

from cardpress.catalog.model import Card

COLUMNS = ("id", "author", "year", "title", "category", "tags", "summary", "number1", "number2", "number3", "mastered",
           "status", "doi", "arxiv", "url")
TAG_SEPARATOR = ", "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defused(cell: str) -> str:
    """The cell as written to the file: a leading `'` before a would-be formula."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def restored(cell: str) -> str:
    """`defused` undone, for `import`."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def card_row(card: Card) -> list[str]:
    numbers = [n.full for n in card.numbers] + [""] * (3 - len(card.numbers))
    status = "draft" if card.draft else ""
    row = [card.id, card.author, str(card.year), card.title, card.category, TAG_SEPARATOR.join(card.tags),
           card.summary, *numbers[:3], "true" if card.mastered else "false", status,
           card.doi or "", card.arxiv or "", card.url or ""]
    return [defused(cell) for cell in row]


def cards_csv(cards) -> str:
    """RFC 4180 CSV (CRLF rows, quotes where needed) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for card in cards:
        writer.writerow(card_row(card))
    return buffer.getvalue()
