"""Appending cards to a hand-edited catalog without disturbing a byte of it.

The catalog is the user's file: comments, order, spacing and quoting are theirs. So it is
never parsed and re-written; new `[[cards]]` tables, serialised on their own with tomli-w,
are added after the last byte. The result is validated as a whole before anything is
written, and the write is a single rename, so the file on disk is always either the old
bytes or the old bytes plus complete, valid cards.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from cardpress.catalog.load import load_catalog_text, read_text
from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.files.atomic import atomic_write_bytes
from cardpress.pipeline.preflight import preflight

# Key order of the shipped cards, so appended cards read like the hand-written ones.
CARD_KEY_ORDER = ("id", "status", "author", "year", "title", "category", "tags", "doi", "arxiv", "url", "summary",
                  "numbers", "mastered")


def _literal(value) -> str:
    """A scalar as TOML, escaped by tomli-w (always a one-line basic string for text)."""
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _literal(key)


def _value(key: str, value) -> str:
    if key == "numbers" and isinstance(value, list):
        # One number per line with inline tables, as the shipped cards are written; tomli-w
        # alone would turn long numbers into [[cards.numbers]] sub-tables.
        items = []
        for n in value:
            if isinstance(n, dict):
                items.append("  { " + ", ".join(f"{k} = {_literal(v)}" for k, v in n.items()) + " },")
            else:
                items.append(f"  {_literal(n)},")
        return "[\n" + "\n".join(items) + "\n]"
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return _literal(value)


def card_toml(card: dict) -> str:
    """One card as a `[[cards]]` table in the shipped style: key order, inline lists.

    Every value is escaped by tomli-w; only the layout of lists is chosen here. Values of
    any other shape (a protocol table) are left to tomli-w entirely.
    """
    ordered = {k: card[k] for k in CARD_KEY_ORDER if k in card}
    ordered.update({k: v for k, v in card.items() if k not in ordered})
    simple = {k: v for k, v in ordered.items() if not isinstance(v, dict)}
    nested = {k: v for k, v in ordered.items() if isinstance(v, dict)}
    lines = ["[[cards]]"] + [f"{_key(k)} = {_value(k, v)}" for k, v in simple.items()]
    text = "\n".join(lines) + "\n"
    if nested:
        text += tomli_w.dumps({"cards": [nested]}, indent=2).removeprefix("[[cards]]\n")
    return text


def separator(old: str) -> str:
    """What goes between the old text and a new table: enough newlines for one blank line."""
    if not old or old.endswith("\n\n") or old.endswith("\r\n\r\n"):
        return ""
    # A file whose last line has no newline still has a style: take it from the others.
    newline = "\r\n" if "\r\n" in old else "\n"
    if old.endswith("\n"):
        return newline
    return newline * 2


def appended_text(old: str, cards: list[dict]) -> str:
    """The text to add after `old` for these cards (the old text itself is not included)."""
    body = "\n".join(card_toml(c) for c in cards)
    if "\r\n" in old:
        # Keep a Windows-edited file in one line-ending style.
        body = body.replace("\n", "\r\n")
    return separator(old) + body


@dataclass(frozen=True)
class Appended:
    catalog: Catalog  # the catalog as it is after the append
    text: str  # what was (or, in a dry run, would be) appended
    first_line: int  # 1-based line of the first new `[[cards]]` header


def _relocate(exc: CardpressError, old_lines: int, path: Path) -> CardpressError:
    """Problems inside the new text point at lines that do not exist yet; say so instead."""
    problems = []
    for p in exc.problems:
        if p.line and p.line > old_lines:
            p = Problem(p.message, file=str(path), line=None, card=p.card or "(new card)", field=p.field)
        problems.append(p)
    return CardpressError(problems, hint="Nothing was written.")


def append_cards(path: str | Path, cards: list[dict], *, old: str | None = None, dry_run: bool = False) -> Appended:
    """Validate the catalog-with-these-cards and, unless dry_run, write it atomically.

    `old` is None to read the catalog from `path`, or the header of a catalog that does not
    exist yet (the file is then created). Refuses with a CardpressError, leaving the file untouched, if the result
    would not be a valid catalog or if the file changed while we were working.
    """
    path = Path(path)
    creating = old is not None
    if old is None:
        old = read_text(path)
    new_text = appended_text(old, cards)
    old_lines = old.count("\n")
    try:
        catalog = load_catalog_text(old + new_text, path)
    except CardpressError as exc:
        raise _relocate(exc, old_lines, path) from None
    # The new cards must also build: faces and worksheets that fit, as `validate` checks.
    findings = preflight(catalog, only={c.get("id") for c in cards}, sheet=False)
    if findings.problems:
        raise _relocate(CardpressError(findings.problems), old_lines, path) from None
    first_line = old_lines + new_text.count("\n", 0, new_text.find("[[cards]]")) + 1
    if not dry_run:
        _write_if_unchanged(path, old, old + new_text, creating)
    return Appended(catalog, new_text, first_line)


def _writable(path: Path) -> bool:
    # os.access is always true for root, so also look at the file's own write bits.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _write_if_unchanged(path: Path, old: str, new: str, creating: bool) -> None:
    # Another editor may have saved the file since we read it; appending to the stale
    # copy would silently drop their edit.
    current = path.read_bytes() if path.exists() else None
    if (current is None) != creating or (current is not None and current != old.encode("utf-8")):
        raise CardpressError(Problem("the file changed while cards were being added; nothing was written, "
                                     "run the command again", file=str(path)))
    if current is not None and not _writable(path):
        # The write is a rename, which a read-only file does not stop; honour the
        # read-only bit the user set instead of silently replacing their file.
        raise CardpressError(Problem("cannot write: the catalog is read-only; nothing was written "
                                     "(make it writable, e.g. chmod u+w, and run the command again)",
                                     file=str(path)))
    try:
        atomic_write_bytes(path, new.encode("utf-8"), follow_link=True, sweep=True)  # the catalog: see atomic_write
    except OSError as exc:
        raise CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(path))) from None
