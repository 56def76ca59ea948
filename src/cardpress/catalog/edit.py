"""Editing the catalog in place: set or clear one card's `mastered` flag (`cardpress mark`, the drill).

tomlkit keeps every comment, blank line and quote style; this module adds what it does
not: the file's own line ending for the new line, the byte-order mark, the key placed
right after the card's own keys (not after a comment that belongs to the next table),
and a final check that exactly one line changed before the file is replaced.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from cardpress.errors import CardpressError, Problem

BOM = "\ufeff"


def mastered_text(text: str, card_id: str, mastered: bool, file: str) -> str:
    """The catalog text with card `card_id`'s `mastered` key set (mastered) or removed (not)."""
    import tomlkit
    from tomlkit.items import AoT, Table

    bom = BOM if text.startswith(BOM) else ""
    doc = tomlkit.parse(text.removeprefix(BOM))
    cards = doc.get("cards")
    table = next((c for c in (cards or []) if isinstance(c, Table) and c.get("id") == card_id), None)
    if table is None:
        from cardpress.catalog.select import near
        ids = [c.get("id") for c in (cards or []) if isinstance(c, Table)]
        raise CardpressError(Problem(f"no card with id `{card_id}`{near(card_id, [i for i in ids if isinstance(i, str)])}",
                                     file=file))
    if not mastered:
        if "mastered" in table:
            del table["mastered"]
    elif "mastered" in table:
        table["mastered"] = True  # tomlkit swaps the value and keeps the line's comment
    else:
        newline = "\r\n" if "\r\n" in text else "\n"
        last_index = None
        for index, (key, item) in enumerate(table.value.body):
            if key is not None and not isinstance(item, (Table, AoT)):
                last_index, last_item = index, item
        flag = tomlkit.item(True)
        flag.trivia.trail = newline
        if last_index is None or last_index + 1 == len(table.value.body):
            table.add("mastered", flag)
        else:
            if not last_item.trivia.trail.endswith("\n"):  # a card at the very end, no final newline
                last_item.trivia.trail += newline
            # Public tomlkit appends after the table's trailing comments and blank line,
            # which belong to the next table; insert after the card's last key instead.
            # `_insert_at` is the one positional insert tomlkit has kept from 0.11 to 0.15
            # (`_insert_after` went in 0.14); the one-changed-line check below guards it.
            table.value._insert_at(last_index + 1, "mastered", flag)
    return bom + doc.as_string()


def changed_lines(old: str, new: str) -> int:
    """How many lines differ: an added, removed or replaced line counts once."""
    sm = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def set_mastered(path: Path, card_id: str, mastered: bool) -> int | None:
    """Write the flag into the catalog atomically; the changed line's number, or None if it was already so."""
    from cardpress.catalog.lock import catalog_lock

    path = Path(path)
    # The same lock as `add` and `import`, from reading to the rename: a `mark` or a drill
    # writing between their read and their write would otherwise drop the cards they add.
    with catalog_lock(path):
        return _set_mastered(path, card_id, mastered)


def _set_mastered(path: Path, card_id: str, mastered: bool) -> int | None:
    from cardpress.catalog.load import load_catalog_text, read_text
    from cardpress.files.atomic import atomic_write_bytes

    old = read_text(path)
    load_catalog_text(old, path)  # refuse to edit a catalog that does not validate
    new = mastered_text(old, card_id, mastered, str(path))
    if new == old:
        return None
    card = load_catalog_text(new, path).card(card_id)
    # A file without a final newline gains one before the new line: not a changed line of
    # the user's (issue 18, D27: the last card of such a file could not be marked).
    ending = "\r\n" if "\r\n" in old else "\n"
    ended = old if not old or old.endswith("\n") else old + ending
    if card.mastered != mastered or changed_lines(ended, new) != 1:
        # Never write a catalog that lost or gained more than the one key.
        raise CardpressError(Problem("could not change `mastered` without touching other lines; nothing was written",
                                     file=str(path), card=card_id, field="mastered"))
    atomic_write_bytes(path, new.encode("utf-8"), follow_link=True, sweep=True)  # the catalog: see atomic_write
    sm = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    first_change = next(op for op in sm.get_opcodes() if op[0] != "equal")
    return first_change[3] + 1 if mastered else first_change[1] + 1
