"""The catalog as typed, immutable values. Knows nothing of pages or PDFs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

NUMBERS_PER_CARD = 3  # as catalog.schema says; the model stays free of the schema's import


@dataclass(frozen=True)
class Number:
    figure: str  # "" for a plain-string number
    text: str

    @property
    def full(self) -> str:
        """The number as one line of text, exactly as the source wrote it."""
        return f"{self.figure} {self.text}" if self.figure else self.text


@dataclass(frozen=True)
class PaperProtocol:
    claim: str | None = None
    read: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    equation: str | None = None
    equation_note: str | None = None
    remember: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    pitfall: str | None = None
    # What 001 names for the paper's headline figure, key ablation and one weakness: the
    # facilitator's copy prints them in the boxes the reader fills.
    headline: str | None = None
    ablation: str | None = None
    weakness: str | None = None


@dataclass(frozen=True)
class PaperNote:
    """What the reading guides say of a paper (002's structured note, 003's one line), beside its card."""

    problem: str | None = None
    idea: str | None = None
    result: str | None = None
    limits: str | None = None
    discussion: tuple[str, ...] = ()  # 002's discussion points: the worksheet's follow-ups
    also: tuple[str, ...] = ()  # what other sources add to the card, printed under it on the sheet


@dataclass(frozen=True)
class Card:
    id: str
    author: str
    year: int
    title: str
    summary: str
    numbers: tuple[Number, ...]
    category: str = "Uncategorised"
    tags: tuple[str, ...] = ()
    doi: str | None = None  # bare identifiers, by which a second card for the paper is refused
    arxiv: str | None = None
    url: str | None = None
    mastered: bool = False
    protocol: PaperProtocol | None = None
    note: PaperNote | None = None
    status: str = "ready"  # or "draft": the paper only, summary and numbers to come

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    def lacks(self) -> list[str]:
        """What a draft still needs before it can go on a deck ("summary", "2 numbers")."""
        out = [] if self.summary.strip() else ["summary"]
        short = NUMBERS_PER_CARD - len(self.numbers)
        if short > 0:
            out.append(f"{short} number" + ("s" if short > 1 else ""))
        return out

    @property
    def heading(self) -> str:
        """ "Author Year — Title", the card's one-line name."""
        return f"{self.author} {self.year} — {self.title}"


@dataclass(frozen=True)
class Category:
    name: str
    short: str
    color: str  # "#rrggbb"


@dataclass(frozen=True)
class Phase:
    start: int
    end: int
    title: str
    text: str

    @property
    def minutes(self) -> str:
        return f"{self.start}–{self.end}"


@dataclass(frozen=True)
class ReadingProtocol:
    intro: str | None = None
    outcome: str | None = None
    grading: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()


@dataclass(frozen=True)
class Pass:
    name: str
    time: str
    text: str
    outcome: str | None = None


@dataclass(frozen=True)
class NoteField:
    name: str
    text: str


@dataclass(frozen=True)
class ThreePass:
    passes: tuple[Pass, ...] = ()
    fields: tuple[NoteField, ...] = ()


@dataclass(frozen=True)
class Drill:
    protocol: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    customization: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    title: str
    points: tuple[str, ...]
    angle: str | None = None
    trap: str | None = None


@dataclass(frozen=True)
class Question:
    question: str
    answer: str
    label: str | None = None
    paper: str | None = None  # the card id this is a follow-up on


@dataclass(frozen=True)
class TextTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FurtherPaper:
    title: str
    idea: str
    year: int | None = None
    result: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    paper: str
    why: str | None = None


@dataclass(frozen=True)
class Checklist:
    title: str
    items: tuple[ChecklistItem, ...]
    intro: str | None = None


@dataclass(frozen=True)
class Defaults:
    """The catalog's [defaults]: what a command uses when neither its flag nor the
    environment says (cardpress.catalog.settings)."""

    paper: str | None = None
    layout: str | None = None
    flip: str | None = None
    printer: str | None = None


@dataclass(frozen=True)
class Deck:
    title: str
    description: str | None = None
    author: str | None = None
    lang: str = "en"  # hyphenation patterns (pyphen) for the sheet's justified columns


# Used for categories the catalog does not declare: distinct in colour and in label.
_FALLBACK_COLORS = ("#1f5fa8", "#b5452b", "#2e7d32", "#7b3fa0", "#a66f00", "#00838f", "#6d4c41", "#c2185b")


def default_short(name: str) -> str:
    """Initials of a category name ("Systems & Efficiency" -> "SE"), its greyscale label."""
    return "".join(w[0] for w in name.replace("&", " ").split() if w[0].isalnum())[:3].upper() or "?"


def fallback_color(index: int) -> str:
    return _FALLBACK_COLORS[index % len(_FALLBACK_COLORS)]


@dataclass(frozen=True)
class Catalog:
    path: Path
    deck: Deck
    cards: tuple[Card, ...]
    categories: tuple[Category, ...] = ()
    protocol: ReadingProtocol = field(default_factory=ReadingProtocol)
    three_pass: ThreePass = field(default_factory=ThreePass)
    drill: Drill = field(default_factory=Drill)
    notes: tuple[Note, ...] = ()
    concepts: tuple[Concept, ...] = ()
    questions: tuple[Question, ...] = ()
    tables: tuple[TextTable, ...] = ()
    papers: tuple[FurtherPaper, ...] = ()
    checklist: Checklist | None = None
    defaults: Defaults = field(default_factory=Defaults)

    @property
    def drafts(self) -> tuple[Card, ...]:
        return tuple(c for c in self.cards if c.draft)

    def ready(self) -> "Catalog":
        """The catalog without its drafts: what the decks, the sheet, Anki and the drill use."""
        if not any(c.draft for c in self.cards):
            return self
        return self.with_cards(c for c in self.cards if not c.draft)

    def card(self, card_id: str) -> Card:
        for c in self.cards:
            if c.id == card_id:
                return c
        raise KeyError(card_id)

    def category_order(self, cards: tuple[Card, ...] | None = None) -> list[Category]:
        """Categories in catalog order: declared ones first, then undeclared ones as cards use them.

        Undeclared categories get a colour and a short label of their own, so every
        category stays distinguishable in colour and in greyscale.
        """
        if cards is None:
            # Asked once per card by the worksheets: worked out once per catalog (which is frozen).
            whole = self.__dict__.get("_whole_category_order")
            if whole is None:
                whole = self.category_order(self.cards)
                object.__setattr__(self, "_whole_category_order", whole)
            return list(whole)
        declared = {c.name: c for c in self.categories}
        used = list(dict.fromkeys(card.category for card in cards))
        order = [c for c in self.categories if c.name in used]
        extra = [name for name in used if name not in declared]
        for i, name in enumerate(extra):
            order.append(Category(name, default_short(name), fallback_color(len(self.categories) + i)))
        return order

    def with_cards(self, cards) -> "Catalog":
        """The same catalog holding only `cards` (a selection for one output)."""
        from dataclasses import replace

        return replace(self, cards=tuple(cards))
