"""`build` without the drawing: everything it would refuse, found in one pass.

`validate`, `add` and `import` run this so that a catalog they accept also builds. It
calls the engines' own layout code (the deck's faces, the worksheets' pages, the sheet's
size search), which measures and fits text but paints nothing, and collects each
engine's refusals instead of stopping at the first.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace

from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, OverFull, Problem


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raise_if_any(self, hint: str | None = None) -> None:
        if self.problems:
            raise CardpressError(self.problems, hint=hint)


def _named(problems: list[Problem], catalog: Catalog) -> list[Problem]:
    problems = [p if p.file else replace(p, file=str(catalog.path)) for p in problems]
    if any(p.line is None and p.card and p.field for p in problems):
        problems = _located(problems, catalog)
    return problems


def _located(problems: list[Problem], catalog: Catalog) -> list[Problem]:
    """Line numbers for the engines' problems (they know the card and field, not the line):
    the field's own line, or its element's inside `numbers = [...]`."""
    import re

    import tomli

    from cardpress.catalog.locate import LineIndex

    try:
        text = catalog.path.read_text(encoding="utf-8")
        cards = tomli.loads(text).get("cards", [])
    except (OSError, ValueError, AttributeError):
        return problems
    index = LineIndex(text)
    at = {c.get("id"): i for i, c in enumerate(cards) if isinstance(c, dict)}
    out = []
    for p in problems:
        if p.line is None and p.card in at and p.field:
            path: list = ["cards", at[p.card]]
            for name, k in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", p.field):
                path.append(name if name else int(k))
            p = replace(p, line=index.line_of(tuple(path)))
        out.append(p)
    return out


def deck_findings(catalog: Catalog, findings: Findings, only=None) -> None:
    from cardpress.deck.assemble import DeckRequest, check_room
    from cardpress.deck.calibrate import calibration_pages
    from cardpress.deck.faces import FaceLayout, face_key, pairing_mark
    from cardpress.deck.imposition import cut_mark_warnings
    from cardpress.deck.layout_spec import CALIBRATION_LAYOUTS, DEFAULT_LAYOUTS, load_layout

    cards = catalog.cards
    categories = {c.name: c for c in catalog.category_order(cards)}
    # Layouts that share a card (face_key) lay out every face alike: fit each card once for them.
    shared: dict = {}
    for name in DEFAULT_LAYOUTS:
        try:
            layout = load_layout(name)
            imp = check_room(DeckRequest(layout))
        except CardpressError as exc:
            findings.problems += exc.problems
            continue
        findings.warnings += cut_mark_warnings(layout, imp)
        shared.setdefault(face_key(layout), []).append(layout)
    # The same overflow in several layouts of one card size is one mistake: list it once.
    seen: dict[tuple, list[str]] = {}
    order: list[tuple] = []
    for layouts in shared.values():
        faces = FaceLayout(layouts[0])
        for i, card in enumerate(cards):
            if only is not None and card.id not in only:
                continue
            cat = categories[card.category]
            mark = pairing_mark(i + 1, len(cards))
            for face in (faces.check_front, faces.check_back):
                try:
                    face(card, cat, mark)
                except CardpressError as exc:
                    for p in exc.problems:
                        key = (p.card, p.field, p.message)
                        if key not in seen:
                            seen[key] = []
                            order.append(key)
                        seen[key] += [lay.name for lay in layouts]
    rank = {name: k for k, name in enumerate(DEFAULT_LAYOUTS)}
    for key in order:
        card, fld, message = key
        names = sorted(seen[key], key=rank.__getitem__)
        findings.problems.append(Problem(f"{message} (layout{'s' if len(names) > 1 else ''} {', '.join(names)})",
                                         file=str(catalog.path), card=card, field=fld))
    for name in CALIBRATION_LAYOUTS:
        try:
            calibration_pages(load_layout(name))  # its records and its reach check, as build makes them
        except CardpressError as exc:
            findings.problems += exc.problems


def worksheet_findings(catalog: Catalog, findings: Findings, only=None) -> None:
    """Both worksheets build makes of each card: the reader's copy and the facilitator's."""
    from cardpress.units import PAPER
    from cardpress.worksheets import Variant, worksheet_pages
    from cardpress.worksheets.fitcheck import ProtocolFit

    variants = ((Variant(), "worksheet"), (Variant(answers=True), "worksheet (facilitator's copy)"))
    check = ProtocolFit(PAPER[Variant().paper])
    for card in catalog.cards:
        if only is not None and card.id not in only:
            continue
        reported: set = set()
        for variant, what in variants:
            if check.card_fits(catalog, card, variant.answers):
                continue
            try:
                worksheet_pages(catalog, card, variant)
            except CardpressError as exc:
                for p in exc.problems:
                    if (p.field, p.message) not in reported:
                        reported.add((p.field, p.message))
                        findings.problems.append(replace(p, message=f"{what}: {p.message}"))


def sheet_findings(catalog: Catalog, findings: Findings) -> None:
    from cardpress.sheet import PAPERS
    from cardpress.sheet.content import sheet_sections
    from cardpress.sheet.layout import check

    sections = sheet_sections(catalog, None)  # what the sheet says does not depend on the paper
    for paper in PAPERS:
        try:
            check(catalog, paper, sections)
        except OverFull as exc:
            # Depends on how many cards are chosen (--tag, --only ...): a warning, not a refusal.
            findings.warnings += [f"{p} ({paper}); {exc.hint}" if exc.hint else f"{p} ({paper})"
                                  for p in exc.problems]
        except CardpressError as exc:
            findings.problems += [replace(p, message=f"{p.message} ({paper})") for p in exc.problems]


def preflight(catalog: Catalog, only=None, sheet: bool = True) -> Findings:
    """What `build` (all cards, default layouts) would refuse, and what it would warn about.

    `only` (a set of ids) limits the per-card checks to those cards (the ones `add` and
    `import` are about to write); `sheet=False` leaves out the sheet's over-full warning.
    """
    findings = Findings()
    if not catalog.cards:
        findings.problems.append(Problem("no cards to print", file=str(catalog.path)))
        return findings
    # The checks make many small objects and no reference cycles; the cyclic collector would
    # only scan the whole catalog again and again (7% of validate's CPU time at 10,000 cards).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Drafts are checked where they print: on the worksheets, not the decks or the sheet.
        ready = catalog.ready()
        if ready.cards:
            deck_findings(ready, findings, only)
        worksheet_findings(catalog, findings, only)
        if sheet and ready.cards:
            sheet_findings(ready, findings)
    finally:
        if collecting:
            gc.enable()
    findings.problems = _named(findings.problems, catalog)
    return findings
