"""From a read `Source` to cards appended to the catalog: one rule for every format.

Each entry ends as exactly one of: added (a card, or a draft when the file has only the
paper), already there (the catalog, or an earlier entry of the same file, has the paper:
same DOI, arXiv id, or title, author and year), or refused (the reader or the catalog's
validation said why). Importing the same file twice therefore adds nothing the second
time. Runs under the catalog lock (taken by the command), appends after the last byte,
and validates the catalog-with-the-new-cards before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from cardpress.errors import CardpressError, Problem
from cardpress.grow.duplicates import PaperIndex, paper_of
from cardpress.grow.sources import Entry, Source


@dataclass
class Outcome:
    added: list[tuple[Entry, dict]] = field(default_factory=list)  # (entry, card data)
    already: list[tuple[Entry, str, str]] = field(default_factory=list)  # (entry, card id, why)
    refused: list[Problem] = field(default_factory=list)  # the reader's and the catalog's reasons
    text: str = ""  # the TOML appended (or, in a dry run, that would be)
    cards_now: int = 0


def plan(source: Source, catalog, *, category: str | None, tags: list[str], allow_duplicate: bool,
         file: str) -> tuple[list[tuple[Entry, dict]], list[tuple[Entry, str, str]], list[Problem]]:
    """Which entries become which cards, which are there already, and which cannot come in."""
    from cardpress.grow.add import card_data, split_tags

    cards = catalog.cards if catalog else ()
    index = PaperIndex(cards)
    taken = {c.id for c in cards}
    from_file: dict[str, Entry] = {}  # card id -> the entry of this file that made it
    candidates, already, refused = [], [], list(source.problems)
    for entry in source.entries:
        draft = entry.draft if entry.draft is not None else not entry.complete
        card_id = entry.card_id if entry.card_id and entry.card_id not in taken else None
        fields = replace(entry, numbers=list(entry.numbers), category=entry.category or category,
                         tags=entry.tags + split_tags(tags), card_id=card_id, draft=draft)
        try:
            card = card_data(fields, taken)
        except CardpressError as exc:
            refused += [Problem(f"{p.message}; not imported", file=file, line=entry.line,
                                field=p.field, item=None if entry.line else entry.where) for p in exc.problems]
            continue
        match = index.find(paper_of(card))
        if match and not allow_duplicate:
            earlier = from_file.get(match.card_id)
            why = (f"repeats {earlier.where}" if earlier else
                   f"already in the catalog ({match.why})")
            already.append((entry, match.card_id, why))
            continue
        index.add(paper_of(card), card["id"])
        taken.add(card["id"])
        from_file[card["id"]] = entry
        candidates.append((entry, card))
    return candidates, already, refused


def run_import(path: Path, source: Source, *, file: str, category: str | None, tags: list[str],
               allow_duplicate: bool, dry_run: bool) -> Outcome:
    """Plan, validate and (unless dry_run) append; the caller holds the catalog lock."""
    from cardpress.catalog.load import read_text
    from cardpress.grow.add import existing_catalog, new_catalog_header
    from cardpress.grow.append import append_cards

    catalog = existing_catalog(path)
    header = None if catalog else new_catalog_header(source.title or Path(file).stem,
                                                      f"cardpress import {Path(file).name}")
    old = read_text(path) if catalog else header
    candidates, already, refused = plan(source, catalog, category=category, tags=tags,
                                        allow_duplicate=allow_duplicate, file=file)
    good = _valid(path, old, candidates, refused, file)
    outcome = Outcome(good, already, refused, cards_now=len(catalog.cards) if catalog else 0)
    if good:
        result = append_cards(path, [card for _, card in good], old=header, dry_run=dry_run)
        outcome.text, outcome.cards_now = result.text, len(result.catalog.cards)
    return outcome


def _valid(path: Path, old: str, candidates, refused: list[Problem], file: str):
    """The candidates the catalog accepts: all at once when all are good (the usual case),
    else one by one, so one bad entry cannot keep the others out."""
    from cardpress.grow.append import append_cards

    if not candidates:
        return []
    try:
        append_cards(path, [card for _, card in candidates], old=old, dry_run=True)
        return candidates
    except CardpressError:
        pass
    good = []
    for entry, card in candidates:
        try:
            append_cards(path, [card], old=old, dry_run=True)
        except CardpressError as exc:
            refused += [Problem(f"{p.message}; not imported", file=file, line=entry.line, card=card["id"],
                                field=p.field, item=None if entry.line else entry.where) for p in exc.problems]
            continue
        good.append((entry, card))
    return good
