"""What the sheet says, before any size is chosen: sections of items of paragraphs.

The catalog becomes a list of `Section`s: one per category (its cards, in catalog
order) and then one boxed section per kind of revision note. Nothing here knows a font
size; widths that must line up (the gutter for "0–2", "12–16" ...) are kept at 1 pt and
scaled later, which is exact because text width is linear in size.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardpress.typeset import fonts
from cardpress.catalog.model import Card, Catalog, TextTable
from cardpress.typeset.display import as_display, display_tex, equation_figure
from cardpress.typeset.textfit import Span, unit_width

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
    scale: float = 1.0  # size relative to the body (a card's title is set a step up)


@dataclass(frozen=True)
class Item:
    """A keep-together unit: never split across columns or pages."""

    paras: tuple[Para, ...]
    name: str  # for messages: the card id, or "section title, item n"
    card_id: str | None = None
    table: TextTable | None = None  # set as a table below the paragraphs
    lead: float = 0.0  # extra space above, in ems, unless the item starts a column
    keep: bool = False  # keep with the item before (a concept's angle and trap): no break between


@dataclass(frozen=True)
class Section:
    kind: str  # "category" (coloured band, cards), "topic" (dark band) or "box" (bordered note)
    title: str
    label: str  # the category's short label, printed so greyscale still tells them apart
    color: str  # "#rrggbb"
    items: tuple[Item, ...]
    choice: str = ""  # the --sections name that selects it


BOX_COLOR = "#555555"
TOPIC_COLOR = "#333333"
TITLE_SCALE = 1.1  # card and topic titles: a step above the body, below section heads


def _gutter(labels) -> float:
    """Width (at 1 pt) of a gutter holding the widest of `labels`, plus the gap."""
    return max(unit_width(label, BOLD) for label in labels) + GUTTER_GAP


def card_item(card: Card) -> Item:
    """A card on the sheet: its heading run in before its summary, then its three numbers as
    a list, a line each, each led by its figure in bold at the column's edge (the figures
    line up down the list). A gutter for the figures, as on the card's back, was measured:
    it puts the 120-card cards-only sheet at 4.4 Letter pages at the 6 pt floor."""
    paras = [Para(((card.heading + ".", BOLD), (" " + card.summary, BODY)))]
    for i, number in enumerate(card.numbers):
        # A figure that is an equation stands on its own line (display math), its text below.
        figure = equation_figure(number.figure) if number.figure else ""
        spans = ((figure, BOLD), (" " + number.text, BODY)) if figure else ((number.text, BODY),)
        paras.append(Para(spans, space_before=0.12 if i == 0 else 0.04))
    return Item(tuple(paras), card.id, card.id)


def _also_items(catalog: Catalog) -> list[Item]:
    """What other sources add to each card, or where they disagree, one item per card.

    Set apart from the cards (with the further papers) so that a card's size on the
    sheet is its own three lines: the cards-only sheet keeps its capacity."""
    return [Item((Para(((f"{card.author} {card.year}, {card.title}.", BOLD), (" " + " ".join(card.note.also), BODY))),),
                 f"{card.id}, also", card.id)
            for card in catalog.cards if card.note and card.note.also]


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
        # The note's fields run on in one paragraph: as a list, each short field took a
        # line of its own and most of that line stayed white.
        spans: list[Span] = [("A structured paper note:", BOLD)]
        for n, fld in enumerate(tp.fields):
            end = "." if n == len(tp.fields) - 1 else ";"
            spans += [(" " + fld.name + ":", BOLD), (" " + fld.text + end, BODY)]
        items.append(Item((Para(tuple(spans), space_before=0.3 if items else 0.0),), f"{title}, note fields"))
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


# The --sections names, in the order the sheet prints them: what an LLM is and the model
# answers first (the interview opens there), then the cards, how to read and drill a paper
# followed by the protocol papers it is applied to, and last the further reading.
SECTION_CHOICES = ("concepts", "tables", "answers", "cards", "method", "protocols", "followups", "papers",
                   "checklist")


def _topic(choice: str, title: str, items: list[Item]) -> list[Section]:
    return [Section("topic", title, "", TOPIC_COLOR, tuple(items), choice)] if items else []


def _titled(title: str, first: Item, lead: float = 0.55) -> Item:
    """`first` with a sub-title above it, kept together so the title never ends a column."""
    head = Para(((title, BOLD),), scale=TITLE_SCALE)
    paras = (head,) + (Para(first.paras[0].spans, first.paras[0].label, first.paras[0].hang, 0.08,
                            first.paras[0].scale),) + first.paras[1:]
    return Item(paras, first.name, first.card_id, first.table, lead, first.keep)


def _concept_items(catalog: Catalog) -> list[Item]:
    items: list[Item] = []
    hang = _gutter([BULLET])
    for c in catalog.concepts:
        name = f"concept '{c.title}'"
        parts = [Item((Para(((p, BODY),), BULLET, hang),), name) for p in c.points]
        if c.angle:
            parts.append(Item((Para((("Interview angle.", BOLD), (" " + c.angle, BODY))),), name, keep=True))
        if c.trap:
            parts.append(Item((Para((("Trap.", BOLD), (" " + c.trap, BODY))),), name, keep=True))
        if parts:
            parts[0] = _titled(c.title, parts[0], lead=0.55 if items else 0.0)
            items += parts
    return items


def _table_items(catalog: Catalog) -> list[Item]:
    return [Item((Para(((t.title, BOLD),), scale=TITLE_SCALE),), f"table '{t.title}'", table=t,
                 lead=0.55 if n else 0.0) for n, t in enumerate(catalog.tables)]


def _qa_item(label: str, question: str, answer: str, name: str) -> Item:
    head = f"{label} {question}" if label else question
    return Item((Para(((head, BOLD),)), Para(((answer, BODY),), space_before=0.05)), name)


def _answer_items(catalog: Catalog) -> list[Item]:
    return [_qa_item(q.label or "", q.question, q.answer, f"question '{q.question[:40]}'")
            for q in catalog.questions if not q.paper]


def _followup_items(catalog: Catalog) -> list[Item]:
    items: list[Item] = []
    for card in catalog.cards:
        qs = [q for q in catalog.questions if q.paper == card.id]
        if not qs:
            continue
        part = [_qa_item("", q.question, q.answer, f"question '{q.question[:40]}'") for q in qs]
        part[0] = _titled(card.heading, part[0], lead=0.55 if items else 0.0)
        items += part
    return items


def _protocol_items(catalog: Catalog) -> list[Item]:
    items: list[Item] = []
    for card in catalog.cards:
        pp = card.protocol
        if pp is None:
            continue
        name = f"{card.id}, protocol"
        part: list[Item] = []
        if pp.claim:
            part.append(Item((Para((("Claim.", BOLD), (" " + pp.claim, BODY))),), name, card.id))
        if pp.equation or pp.equation_note:
            spans: list[Span] = [("Equation.", BOLD)]
            display = bool(pp.equation) and display_tex(pp.equation) is not None
            if pp.equation:
                # An equation that is all formula is display math: a line of its own (issue 21).
                spans.append((" " + as_display(pp.equation), BOLD))
            if pp.equation_note:
                # Run on after the formula, set off by a dash so it reads as the formula's
                # gloss; after a display, on the line below it.
                spans.append(((" " if display or not pp.equation else " — ") + pp.equation_note, BODY))
            part.append(Item((Para(tuple(spans)),), name, card.id))
        # What 001 says to walk in with besides the claim and the equation, in one paragraph.
        walk: list[Span] = []
        for head, value in (("Headline.", pp.headline), ("Ablation.", pp.ablation), ("Weakness.", pp.weakness)):
            if value:
                walk += [((" " if walk else "") + head, BOLD), (" " + value, BODY)]
        if walk:
            part.append(Item((Para(tuple(walk)),), name, card.id))
        labels = [f"{n}." for n in range(1, len(pp.remember) + 1)]
        hang = _gutter(labels) if labels else 0.0
        for k, (label, text) in enumerate(zip(labels, pp.remember)):
            paras = (Para(((text, BODY),), label, hang),)
            if k == 0:
                paras = (Para((("Three things to remember", BOLD),)), Para(((text, BODY),), label, hang, 0.05))
            part.append(Item(paras, name, card.id))
        if pp.pitfall:
            part.append(Item((Para((("Pitfall.", BOLD), (" " + pp.pitfall, BODY))),), name, card.id, keep=True))
        if part:
            part[0] = _titled(card.heading, part[0], lead=0.55 if items else 0.0)
            items += part
    return items


def _further_items(catalog: Catalog) -> list[Item]:
    items = []
    for p in catalog.papers:
        head = f"{p.title} ({p.year})." if p.year else f"{p.title}."
        spans: list[Span] = [(head, BOLD), (" " + p.idea, BODY)]
        if p.result:
            spans += [(" →", BOLD), (" " + p.result, BODY)]
        items.append(Item((Para(tuple(spans)),), f"paper '{p.title}'"))
    return items


def _checklist_items(catalog: Catalog) -> list[Item]:
    cl = catalog.checklist
    if cl is None or not cl.items:
        return []
    labels = [f"{n}." for n in range(1, len(cl.items) + 1)]
    hang = _gutter(labels)
    items = []
    for label, it in zip(labels, cl.items):
        spans: tuple[Span, ...] = ((it.paper, BOLD),) + (((" — " + it.why, BODY),) if it.why else ())
        items.append(Item((Para(spans, label, hang),), f"{cl.title}, item {label.rstrip('.')}"))
    if cl.intro:
        items[0] = Item((Para(((cl.intro, BODY),)),) + tuple(
            Para(p.spans, p.label, p.hang, 0.08) for p in items[0].paras), items[0].name)
    return items


def sheet_sections(catalog: Catalog, choose: tuple[str, ...] | None = None) -> list[Section]:
    """Every section of the sheet in reading order; empty ones and unchosen ones are left out."""
    by_choice: dict[str, list[Section]] = {}
    by_choice["concepts"] = _topic("concepts", "How LLMs work", _concept_items(catalog))
    by_choice["tables"] = _topic("tables", "At a glance", _table_items(catalog))
    by_choice["answers"] = _topic("answers", "Model answers", _answer_items(catalog))
    cards = []
    for category in catalog.category_order(catalog.cards):
        items = tuple(card_item(c) for c in catalog.cards if c.category == category.name)
        cards.append(Section("category", category.name, category.short, category.color, items, "cards"))
    by_choice["cards"] = cards
    by_choice["protocols"] = _topic("protocols", "The protocol papers", _protocol_items(catalog))
    by_choice["followups"] = _topic("followups", "Follow-ups, answered", _followup_items(catalog))
    by_choice["papers"] = (_topic("papers", "What other sources add", _also_items(catalog))
                           + _topic("papers", "Further papers", _further_items(catalog)))
    title = catalog.checklist.title if catalog.checklist else ""
    by_choice["checklist"] = _topic("checklist", title, _checklist_items(catalog))
    method = _protocol_sections(catalog) + _three_pass_section(catalog) + _drill_section(catalog)
    method += _note_sections(catalog)
    # Set like the other topics (a dark band, full width): a box's padding costs a line in ten.
    by_choice["method"] = [Section("topic", s.title, s.label, TOPIC_COLOR, s.items, "method") for s in method]
    chosen = SECTION_CHOICES if choose is None else choose
    return [sec for name in SECTION_CHOICES if name in chosen for sec in by_choice[name]]
