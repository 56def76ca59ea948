"""What goes on a worksheet, decided from the catalog and one card; no geometry here.

The page layouts take these values and only place them. Everything the worksheet says
about a paper is chosen here: which catalog text fills which box, what stays blank, and
what the facilitator's copy (`answers`) adds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardpress.catalog.model import NUMBERS_PER_CARD, Card, Catalog
from cardpress.typeset.display import as_display
from cardpress.worksheets import defaults


@dataclass(frozen=True)
class Paper:
    id: str
    author: str
    year: int
    title: str
    category: str
    short: str  # category label that still reads in greyscale
    color: str  # "#rrggbb"


@dataclass(frozen=True)
class Para:
    """A printed paragraph inside a box. `role` picks the face: text, equation, note, question."""

    text: str
    role: str = "text"
    bullet: str = ""


@dataclass(frozen=True)
class Box:
    """A writing box: a label, an optional prompt, printed paragraphs, then ruled lines."""

    name: str  # the AcroForm field name, stable across builds
    label: str
    prompt: str = ""
    printed: tuple[Para, ...] = ()
    min_lines: int = 2


@dataclass(frozen=True)
class PhaseRow:
    number: int
    minutes: str
    title: str
    text: str
    hint: str


@dataclass(frozen=True)
class ProtocolSheet:
    paper: Paper
    answers: bool
    outcome: str
    phases: tuple[PhaseRow, ...]
    read: Box
    skip: Box
    claim: Box
    pairs: tuple[tuple[Box, Box], ...]
    grading: tuple[str, ...]
    followups: tuple[Box, ...]
    recall: tuple[str | None, ...]  # None: a blank line to fill in
    extras: tuple[Box, ...] = ()  # the facilitator's copy only: remember, pit-of-failure


@dataclass(frozen=True)
class PassRow:
    number: int
    name: str
    time: str
    text: str
    outcome: str


@dataclass(frozen=True)
class ThreePassSheet:
    paper: Paper
    passes: tuple[PassRow, ...]
    boxes: tuple[Box, ...]


def paper_of(catalog: Catalog, card: Card) -> Paper:
    # Ask about the whole catalog, not just this card, so that an undeclared category
    # gets the same colour here as in every other output.
    cat = next(c for c in catalog.category_order() if c.name == card.category)
    return Paper(card.id, card.author, card.year, card.title, card.category, cat.short, cat.color)


_FIGURE_REF = re.compile(r"\b(?:Figure|Fig\.|Table)\s+\d+[a-z]?\b")


def _phase_hint(title: str, card: Card) -> str:
    """ "read: <the phase's part of the paper>", naming this paper's figures for the figures phase."""
    hint = defaults.PHASE_HINTS.get(title.strip().lower()) or f"read: {title[:1].lower()}{title[1:]}"
    if "figure" in title.lower() and card.protocol:
        refs: list[str] = []
        for item in card.protocol.read:
            for ref in _FIGURE_REF.findall(item):
                if ref not in refs:
                    refs.append(ref)
        if refs:
            hint += " — here " + ", ".join(refs)
    return hint


def split_followup(text: str) -> tuple[str, str]:
    """(question, model answer): the catalog writes the answer after " → "."""
    question, sep, answer = text.partition(" → ")
    return question.strip(), answer.strip() if sep else ""


def _followup_items(card: Card) -> tuple[str, ...]:
    """The protocol's follow-ups (001), else the paper's discussion points (002): both "question → answer"."""
    if card.protocol and card.protocol.followups:
        return card.protocol.followups
    return card.note.discussion if card.note else ()


def _followup_boxes(card: Card, answers: bool) -> tuple[Box, ...]:
    items = _followup_items(card)
    if answers and items:
        # The facilitator asks and checks; one list of questions with model answers, no writing room.
        paras: list[Para] = []
        for i, item in enumerate(items, 1):
            question, answer = split_followup(item)
            paras.append(Para(question, "question", f"{i}."))
            if answer:
                paras.append(Para("→ " + answer, "note", " "))
        return (Box("followups", defaults.FOLLOWUPS_TITLE, "", tuple(paras), 0),)
    boxes = []
    for i, item in enumerate(items, 1):
        # The reader's copy shows only the question; the model answer would give it away.
        question, _ = split_followup(item)
        boxes.append(Box(f"followup-{i}", f"Follow-up {i}", defaults.FOLLOWUPS_HINT if i == 1 else "",
                         (Para(question, "question"),), 2))
    if not boxes:
        for i in range(1, defaults.BLANK_FOLLOWUPS + 1):
            boxes.append(Box(f"followup-{i}", f"Follow-up {i}", "Write the question, then answer it aloud in 60 seconds.", (), 3))
    return tuple(boxes)


def protocol_sheet(catalog: Catalog, card: Card, answers: bool = False) -> ProtocolSheet:
    proto = defaults.protocol_for(catalog)
    pp = card.protocol
    phases = tuple(
        PhaseRow(i, ph.minutes, ph.title, ph.text, _phase_hint(ph.title, card))
        for i, ph in enumerate(proto.phases, 1)
    )
    read_items = pp.read if pp else ()
    skip_items = pp.skip if pp else ()
    if read_items:
        read = Box("read", defaults.READ_TITLE, "", tuple(Para(t, bullet=f"{i}.") for i, t in enumerate(read_items, 1)), 0)
    else:
        # No reading list for this paper: what the guides say it is about tells the reader
        # what the sections to find must show, and leaves the lines to write them on.
        read = Box("read", defaults.READ_TITLE, defaults.READ_PROMPT_FOR if _about(card) else defaults.READ_PROMPT,
                   _about(card), 3)
    skip = Box("skip", "What to skip", "" if skip_items else "What you will not spend time on.",
               tuple(Para(t, bullet="–") for t in skip_items), 0 if skip_items else 3)

    # The facilitator's copy: 001's claim for a protocol paper, else the card's summary,
    # which the deck's format defines as "claim + method" in one sentence.
    claim_text = ((pp.claim if pp and pp.claim else None) or card.summary or None) if answers else None
    claim = Box(*defaults.CLAIM, printed=(Para(claim_text),) if claim_text else (),
                min_lines=0 if claim_text else (1 if answers else 2))
    pairs = []
    for left, right in defaults.BOX_PAIRS:
        row = []
        for name, label, prompt in (left, right):
            printed: tuple[Para, ...] = ()
            if name == "equation" and pp and answers and (pp.equation or pp.equation_note):
                # A note alone (CLIP: the formula was lost, its description survives) still prints.
                # The equation, if all formula, is display math (centred, broken, shrunk: issue 21).
                printed = ((Para(as_display(pp.equation), "equation"),) if pp.equation else ()) + (
                    (Para(pp.equation_note, "note"),) if pp.equation_note else ())
            elif name == "equation" and pp and pp.equation_note and not pp.equation:
                # With no formula in the catalog (CLIP's was lost), the note describes what to
                # write and is the reader's prompt. A note that glosses a formula the reader's
                # copy does not print ("This is the DPO loss") would speak of nothing.
                prompt = pp.equation_note
            elif answers and _answer(card, name):
                printed = (Para(_answer(card, name)),)
            # The facilitator's copy is a reference, not a place to write: one line per box.
            row.append(Box(name, label, "" if printed else prompt, printed, 0 if printed else (1 if answers else 2)))
        pairs.append((row[0], row[1]))

    extras: tuple[Box, ...] = ()
    if answers and pp and (pp.remember or pp.pitfall):
        extras = (
            Box("remember", defaults.REMEMBER_TITLE, "",
                tuple(Para(t, bullet=f"{i}.") for i, t in enumerate(pp.remember, 1)), 0),
            Box("pitfall", defaults.PITFALL_TITLE, "", (Para(pp.pitfall),) if pp.pitfall else (), 0 if pp.pitfall else 1),
        )
    recall = recall_values(card, answers)
    return ProtocolSheet(
        paper=paper_of(catalog, card), answers=answers, outcome=proto.outcome or "", phases=phases,
        read=read, skip=skip, claim=claim, pairs=tuple(pairs), grading=proto.grading,
        followups=_followup_boxes(card, answers), recall=recall, extras=extras,
    )


def _about(card: Card) -> tuple[Para, ...]:
    """What the reading guides say the paper is about (002's problem and key idea, or 003's
    line), or, where they say nothing of it, the card's own summary."""
    note = card.note
    paras = []
    if note and note.problem:
        paras.append(Para(defaults.PROBLEM_LEAD + note.problem))
    if note and note.idea:
        paras.append(Para(defaults.IDEA_LEAD + note.idea))
    if not paras and card.summary:
        paras.append(Para(defaults.CARD_LEAD + card.summary))
    return tuple(paras)


def _answer(card: Card, box: str) -> str | None:
    """The facilitator's answer for a page-two box: what 001 names for a protocol paper,
    else what 002/003 say (the result for the headline, the limits for the weakness)."""
    pp, note = card.protocol, card.note
    own = {"headline-figure": pp and pp.headline, "ablation": pp and pp.ablation, "weakness": pp and pp.weakness}
    noted = {"headline-figure": note and note.result, "weakness": note and note.limits}
    return own.get(box) or noted.get(box) or None


def recall_values(card: Card, answers: bool) -> tuple[str | None, ...]:
    """The recall box's numbers: the card's (facilitator's copy) or blanks, always three:
    a draft's worksheet still asks for three numbers, and its facilitator's copy shows
    the ones it has and a dash for each still to come."""
    values = [n.full if answers else None for n in card.numbers]
    return tuple(values + [TO_COME if answers else None] * (NUMBERS_PER_CARD - len(values)))


TO_COME = "—"


def field_name(label: str) -> str:
    """A note field's label as a stable field name: "key idea" -> "key-idea"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "field"


def three_pass_sheet(catalog: Catalog, card: Card) -> ThreePassSheet:
    tp = defaults.three_pass_for(catalog)
    passes = tuple(PassRow(i, p.name, p.time, p.text, p.outcome or "") for i, p in enumerate(tp.passes, 1))
    boxes = tuple(
        Box(field_name(f.name), f.name[:1].upper() + f.name[1:], f.text, (), 3)
        for f in tp.fields if f.name.strip().lower() != defaults.METADATA_FIELD
    )
    return ThreePassSheet(paper_of(catalog, card), passes, boxes)
