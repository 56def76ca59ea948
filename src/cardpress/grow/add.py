"""A new card from loose fields (options, prompts or a Markdown block) to catalog TOML data.

Both `add` and `import` end here, so a card typed on the command line and a card read
from notes get the same id rule, the same number split and the same validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from cardpress.catalog.load import load_catalog
from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.grow.duplicates import PaperIndex, bare_arxiv, bare_doi, paper_of
from cardpress.grow.figures import split_number
from cardpress.grow.ids import derive_id

# "figure | text" on the command line sets the split by hand when the guess is wrong.
EXPLICIT_SPLIT = " | "


@dataclass
class CardFields:
    """What a person supplied for one card; anything may still be missing."""

    author: str | None = None
    year: int | None = None
    title: str | None = None
    summary: str | None = None
    numbers: list[str] = field(default_factory=list)
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    card_id: str | None = None
    mastered: bool = False
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    draft: bool = False  # only the paper (author, year, title) is needed yet

    def missing(self) -> list[str]:
        """The required options not yet given, as a person would type them."""
        names = ("author", "year", "title") if self.draft else ("author", "year", "title", "summary")
        out = [f"--{name}" for name in names if not _given(getattr(self, name))]
        if len(self.numbers) < 3 and not self.draft:
            out.append(f"--number ({len(self.numbers)} given, 3 needed)")
        return out


def _given(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def number_value(line: str) -> dict | str:
    """One number as TOML data: split by hand at ' | ', else by the figure rule.

    The text is kept exactly as given. ' | ' may appear once: with two, which one splits
    figure from text is a guess, and a guess would not print what was typed.
    """
    if line.count(EXPLICIT_SPLIT) > 1:
        raise CardpressError(Problem(f"{line!r} has ' | ' more than once; ' | ' separates the figure from "
                                     "the text, so use it once (\"65M | parameters\")", field="numbers"))
    if EXPLICIT_SPLIT in line:
        figure, text = line.split(EXPLICIT_SPLIT)
        if not figure.strip() or not text.strip():
            raise CardpressError(Problem(f"{line!r}: both sides of ' | ' must hold text (\"figure | text\")",
                                         field="numbers"))
        return {"figure": figure, "text": text}
    return split_number(line)


def split_tags(values) -> list[str]:
    """Tags may be repeated or comma-separated; order kept, duplicates dropped."""
    out: list[str] = []
    for v in values or ():
        for t in v.split(","):
            t = t.strip()
            if t and t not in out:
                out.append(t)
    return out


def card_data(fields: CardFields, taken=()) -> dict:
    """The card as catalog TOML data, its id derived (collision-free) unless given.

    Text goes in exactly as given (validation refuses what cannot print), so what the
    person typed is what the card says.
    """
    author, title = fields.author, fields.title
    card = {
        "id": fields.card_id if fields.card_id else derive_id(" ".join(author.split()), fields.year,
                                                                 " ".join(title.split()), taken),
        "author": author,
        "year": fields.year,
        "title": title,
    }
    if fields.category and fields.category.strip():
        card["category"] = fields.category
    tags = split_tags(fields.tags)
    if tags:
        card["tags"] = tags
    # Identifiers are stored bare ("10.1/x", "1706.03762") so duplicates compare; a form
    # that is not an identifier at all is kept as given, for validation to name it.
    for key, bare in (("doi", bare_doi), ("arxiv", bare_arxiv), ("url", None)):
        value = (getattr(fields, key) or "").strip()
        if value:
            card[key] = (bare(value) or value) if bare else value
    if fields.draft:
        card = {"id": card["id"], "status": "draft", **{k: v for k, v in card.items() if k != "id"}}
    if _given(fields.summary) or not fields.draft:
        card["summary"] = fields.summary
    if fields.numbers or not fields.draft:
        card["numbers"] = [number_value(n) for n in fields.numbers]
    if fields.mastered:
        card["mastered"] = True
    return card


def existing_catalog(path: Path) -> Catalog | None:
    """The catalog at `path`, fully validated, or None when there is no file yet."""
    if not path.exists():
        return None
    try:
        return load_catalog(path)
    except CardpressError as exc:
        raise CardpressError(exc.problems, hint="The catalog must be valid before cards are added to it; "
                                                "fix it first (cardpress validate).") from None


def new_catalog_header(deck_title: str, made_by: str) -> str:
    """The start of a catalog file that does not exist yet: a comment and its [deck] table."""
    return (f"# cardpress catalog, started by `{made_by}`.\n"
            "# Each [[cards]] table is one card; `cardpress schema` lists every field.\n\n"
            + tomli_w.dumps({"deck": {"title": deck_title}}))


def id_clash(card_id: str, catalog: Catalog | None, path: Path) -> None:
    if catalog is not None and any(c.id == card_id for c in catalog.cards):
        c = catalog.card(card_id)
        raise CardpressError(Problem(f"a card with id `{card_id}` already exists ({c.heading}); "
                                     "choose another --id or leave --id out to derive a free one", file=str(path)))


def duplicate_of(card: dict, catalog: Catalog | None, path: Path) -> None:
    """Refuse a card for a paper the catalog already has, naming the card that has it."""
    if catalog is None:
        return
    match = PaperIndex(catalog.cards).find(paper_of(card))
    if match:
        existing = catalog.card(match.card_id)
        raise CardpressError(Problem(match.message(existing.heading), file=str(path)),
                             hint="Nothing was written. Give --allow-duplicate to add it anyway.")
