"""What the sheet says, before any size is chosen: sections of items of paragraphs.

The catalog becomes a list of `Section`s: one per category (its cards, in catalog
order) and then one boxed section per kind of revision note. Nothing here knows a font
size; widths that must line up (the gutter for "0–2", "12–16" ...) are kept at 1 pt and
scaled later, which is exact because text width is linear in size.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress import fonts
from cardpress.catalog.model import Card, Catalog
from cardpress.textfit import Span, unit_width

BODY = fonts.COND
BOLD = fonts.COND_BOLD

BULLET = "•"
POINTER = "▸"  # marks each of a card's three numbers
GUTTER_GAP = 0.45  # ems between a hanging label and its text


@dataclass(frozen=True)
class Para:
    """One paragraph: wrapped text, optionally with a label hanging in a left gutter."""

    spans: tuple[Span, ...]
    label: str = ""
    hang: float = 0.0  # gutter width at 1 pt; the text starts this far in (x size)
    space_before: float = 0.0  # in ems of the body size


@dataclass(frozen=True)
class Item:
    """A keep-together unit: never split across columns or pages."""

    paras: tuple[Para, ...]
    name: str  # for messages: the card id, or "section title, item n"
    card_id: str | None = None


@dataclass(frozen=True)
class Section:
    kind: str  # "category" (coloured heading band, cards) or "box" (bordered revision note)
    title: str
    label: str  # the category's short label, printed so greyscale still tells them apart
    color: str  # "#rrggbb"
    items: tuple[Item, ...]


BOX_COLOR = "#555555"


def _gutter(labels) -> float:
    """Width (at 1 pt) of a gutter holding the widest of `labels`, plus the gap."""
    return max(unit_width(label, BOLD) for label in labels) + GUTTER_GAP


def card_item(card: Card) -> Item:
    hang = _gutter([POINTER])
    paras = [Para(((card.heading, BOLD),)), Para(((card.summary, BODY),), space_before=0.1)]
    for i, number in enumerate(card.numbers):
        spans = ((number.figure, BOLD), (" " + number.text, BODY)) if number.figure else ((number.text, BODY),)
        paras.append(Para(spans, POINTER, hang, space_before=0.12 if i == 0 else 0.04))
    return Item(tuple(paras), card.id, card.id)


def _bullets(title: str, texts, first_heading: str | None = None, numbered: bool = False) -> list[Item]:
    """One item per text, each with a bullet (or "1."); a sub-heading stays with the first item."""
    labels = [f"{n}." for n in range(1, len(texts) + 1)] if numbered else [BULLET] * len(texts)
    hang = _gutter(labels) if texts else 0.0
    items = []
    for n, (label, text) in enumerate(zip(labels, texts)):
        paras = [Para(((text, BODY),), label, hang, space_before=0.0)]
        if n == 0 and first_heading:
            # A sub-heading is merged into its first item so it can never end a column alone.
            paras.insert(0, Para(((first_heading, BOLD),), space_before=0.0))
            paras[1] = Para(paras[1].spans, label, hang, space_before=0.1)
        items.append(Item(tuple(paras), f"{title}, item {n + 1}"))
    return items


def _protocol_sections(catalog: Catalog) -> list[Section]:
    p = catalog.protocol
    out = []
    items: list[Item] = []
    title = "The 20-minute paper-read protocol"
    if p.intro:
        items.append(Item((Para(((p.intro, BODY),)),), f"{title}, intro"))
    if p.phases:
        labels = [f"{ph.minutes} min" for ph in p.phases]
        hang = _gutter(labels)
        for label, ph in zip(labels, p.phases):
            spans = ((ph.title.rstrip(".") + ".", BOLD), (" " + ph.text, BODY))
            items.append(Item((Para(spans, label, hang),), f"{title}, {label}"))
    if p.outcome:
        items.append(Item((Para((("→", BOLD), (" " + p.outcome, BODY))),), f"{title}, outcome"))
    if items:
        out.append(Section("box", title, "", BOX_COLOR, tuple(items)))
    if p.grading:
        grade_title = "What interviewers grade"
        out.append(Section("box", grade_title, "", BOX_COLOR, tuple(_bullets(grade_title, p.grading))))
    return out


def _three_pass_section(catalog: Catalog) -> list[Section]:
    tp = catalog.three_pass
    title = "The three-pass method"
    items: list[Item] = []
    if tp.passes:
        labels = [f"{n}." for n in range(1, len(tp.passes) + 1)]
        hang = _gutter(labels)
        for label, ps in zip(labels, tp.passes):
            spans = [(ps.name, BOLD), (f" ({ps.time}):" if ps.time else ":", BODY), (" " + ps.text, BODY)]
            if ps.outcome:
                spans += [("\n→", BOLD), (" " + ps.outcome, BODY)]
            items.append(Item((Para(tuple(spans), label, hang),), f"{title}, pass {label.rstrip('.')}"))
    if tp.fields:
        hang = _gutter([BULLET])
        for n, fld in enumerate(tp.fields):
            para = Para(((fld.name + ":", BOLD), (" " + fld.text, BODY)), BULLET, hang)
            paras: tuple[Para, ...] = (para,)
            if n == 0:
                head = Para((("A structured paper note", BOLD),), space_before=0.3 if items else 0.0)
                paras = (head, Para(para.spans, BULLET, hang, space_before=0.1))
            items.append(Item(paras, f"{title}, note field `{fld.name}`"))
    return [Section("box", title, "", BOX_COLOR, tuple(items))] if items else []


def _drill_section(catalog: Catalog) -> list[Section]:
    d = catalog.drill
    title = "The drill protocol"
    items = _bullets(title, d.protocol, numbered=True)
    for heading, texts in (("Rounds", d.rounds), ("Customization", d.customization)):
        sub = _bullets(f"{title}, {heading.lower()}", texts, first_heading=heading)
        if sub and items:
            first = sub[0]
            sub[0] = Item((Para(first.paras[0].spans, space_before=0.3),) + first.paras[1:], first.name)
        items += sub
    return [Section("box", title, "", BOX_COLOR, tuple(items))] if items else []


def _note_sections(catalog: Catalog) -> list[Section]:
    return [Section("box", note.title, "", BOX_COLOR, tuple(_bullets(note.title, note.items)))
            for note in catalog.notes if note.items]


def sheet_sections(catalog: Catalog) -> list[Section]:
    """Every section of the sheet in reading order; empty ones are left out."""
    sections = []
    for category in catalog.category_order(catalog.cards):
        cards = tuple(card_item(c) for c in catalog.cards if c.category == category.name)
        sections.append(Section("category", category.name, category.short, category.color, cards))
    sections += _protocol_sections(catalog)
    sections += _three_pass_section(catalog)
    sections += _drill_section(catalog)
    sections += _note_sections(catalog)
    return sections
