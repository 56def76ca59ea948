"""Is this paper already in the catalog? By DOI, by arXiv id, or by title, author and year.

`add` and every `import` ask here before a card is appended, so the same paper added twice
(or a .bib imported twice) is refused with the card it would repeat, instead of becoming
`vaswani-2017-attention-2`. Identifiers are compared bare and case-folded; titles with
accents, case, punctuation and spacing folded away, so "Attention is all you need." and
"Attention Is All You Need" are the same paper, as are "Schölkopf" and "Scholkopf".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardpress.grow.ids import ascii_fold

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(r"^(?:https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)
_ARXIV_ID = re.compile(r"^(?P<id>[0-9]{4}\.[0-9]{4,5}|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7})(?P<v>v[0-9]+)?(?:\.pdf)?$")
# arXiv's own DOIs (10.48550/arXiv.1706.03762) name the same paper as its arXiv id.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def bare_doi(text: str | None) -> str | None:
    """'https://doi.org/10.1/ABC' -> '10.1/ABC' (as written otherwise); None if not a DOI."""
    if not text:
        return None
    doi = _DOI_PREFIX.sub("", text.strip())
    return doi if _DOI.match(doi) else None


def bare_arxiv(text: str | None) -> str | None:
    """'arXiv:1706.03762v5' or its abs/pdf address -> '1706.03762v5'; None if not an arXiv id."""
    if not text:
        return None
    text = _ARXIV_PREFIX.sub("", text.strip())
    m = _ARXIV_DOI.match(text)
    if m:
        text = m.group("id")
    m = _ARXIV_ID.match(text)
    return m.group("id") + (m.group("v") or "") if m else None


def arxiv_key(arxiv: str | None) -> str | None:
    """The id without its version: v1 and v5 are the same paper."""
    a = bare_arxiv(arxiv)
    return _ARXIV_ID.match(a).group("id").casefold() if a else None


def doi_key(doi: str | None) -> str | None:
    d = bare_doi(doi)
    return d.casefold() if d else None


def text_key(text: str) -> str:
    """Letters and digits only, accents and case folded, words single-spaced."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(text).casefold()))


@dataclass(frozen=True)
class Paper:
    """What identifies a paper, from a card or from an entry about to become one."""

    title: str
    author: str
    year: int | None
    doi: str | None = None
    arxiv: str | None = None

    def keys(self) -> list[tuple[str, str]]:
        """(kind, key) pairs, strongest first; an arXiv DOI also counts as the arXiv id."""
        out = []
        doi = doi_key(self.doi)
        arxiv = arxiv_key(self.arxiv) or (arxiv_key(self.doi) if doi and _ARXIV_DOI.match(doi) else None)
        if doi and not _ARXIV_DOI.match(doi):
            out.append(("DOI", doi))
        if arxiv:
            out.append(("arXiv id", arxiv))
        title = text_key(self.title)
        if title and self.year is not None:
            out.append(("title, author and year", f"{title}\x1f{text_key(self.author)}\x1f{self.year}"))
        return out


@dataclass(frozen=True)
class Match:
    card_id: str  # the card already holding the paper
    why: str  # "same DOI 10.1/x"

    def message(self, heading: str | None = None) -> str:
        named = f"`{self.card_id}`" + (f" ({heading})" if heading else "")
        return f"already in the catalog as {named}: {self.why}"


class PaperIndex:
    """The papers of a catalog, looked up by each of their keys; grows as cards are added."""

    def __init__(self, cards=()):
        self._by_key: dict[tuple[str, str], str] = {}
        for card in cards:
            self.add(paper_of(card), card.id)

    def find(self, paper: Paper) -> Match | None:
        for kind, key in paper.keys():
            owner = self._by_key.get((kind, key))
            if owner is not None:
                shown = key if kind != "title, author and year" else ""
                return Match(owner, f"same {kind}" + (f" {shown}" if shown else ""))
        return None

    def add(self, paper: Paper, card_id: str) -> None:
        for key in paper.keys():
            self._by_key.setdefault(key, card_id)


def paper_of(card) -> Paper:
    """The identifying fields of a catalog Card (or of card TOML data)."""
    if isinstance(card, dict):
        return Paper(card.get("title", ""), card.get("author", ""), card.get("year"), card.get("doi"), card.get("arxiv"))
    return Paper(card.title, card.author, card.year, card.doi, card.arxiv)
