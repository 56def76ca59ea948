"""Per-paper reading-group worksheets: one duplex sheet per paper, pen first, fillable too.

`build_outputs` gives what `cardpress build` writes: `worksheets/<id>.pdf` per card and
`worksheets.pdf` with all of them, on Letter. `render_worksheets` makes every variant
(A4, the facilitator's copy, the three-pass template) under names `variant_names` gives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cardpress.catalog.model import Card, Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.output import OutlineEntry, Output
from cardpress.paint import pdf
from cardpress.units import PAPER
from cardpress.worksheets.content import protocol_sheet, three_pass_sheet
from cardpress.worksheets.geometry import Page
from cardpress.worksheets.layout import protocol_pages, three_pass_pages

TEMPLATES = ("protocol", "three-pass")


@dataclass(frozen=True)
class Variant:
    paper: str = "letter"
    answers: bool = False
    template: str = "protocol"

    @property
    def suffix(self) -> str:
        """"" for the default; otherwise "-three-pass", "-answers", "-a4" in that order."""
        parts = []
        if self.template != "protocol":
            parts.append(self.template)
        if self.answers:
            parts.append("answers")
        if self.paper != "letter":
            parts.append(self.paper)
        return "".join("-" + p for p in parts)

    def card_path(self, card_id: str) -> str:
        return f"worksheets/{card_id}{self.suffix}.pdf"

    @property
    def combined_path(self) -> str:
        return f"worksheets{self.suffix}.pdf"


def check_variant(variant: Variant) -> None:
    if variant.paper not in PAPER:
        raise CardpressError(f"--paper: unknown paper size `{variant.paper}`; use one of: {', '.join(PAPER)}")
    if variant.template not in TEMPLATES:
        raise CardpressError(f"--template: unknown template `{variant.template}`; use one of: {', '.join(TEMPLATES)}")
    if variant.answers and variant.template != "protocol":
        raise CardpressError(Problem("--answers fills in the protocol template only; the catalog holds no "
                                     "three-pass notes to fill in"))


def worksheet_pages(catalog: Catalog, card: Card, variant: Variant, prefix: str = "") -> list[Page]:
    """The two laid-out pages of one paper's worksheet; field names start with `prefix`."""
    size = PAPER[variant.paper]
    tag = variant.suffix
    if variant.template == "three-pass":
        return three_pass_pages(three_pass_sheet(catalog, card), size, prefix, tag)
    return protocol_pages(protocol_sheet(catalog, card, variant.answers), size, prefix, tag)


def _pdf(relpath: str, catalog: Catalog, pages: list[Page], title: str, variant: Variant,
         outline: list[OutlineEntry] = ()) -> Output:
    kind = "three-pass reading note" if variant.template == "three-pass" else "20-minute paper-read worksheet"
    if variant.answers:
        kind += " (facilitator's copy)"
    return pdf(relpath, pages, PAPER[variant.paper], title=title, author=catalog.deck.author, subject=kind,
               duplex="long", outline=outline)


def render_worksheets(catalog: Catalog, variant: Variant = Variant(), cards: tuple[Card, ...] | None = None) -> list[Output]:
    """One PDF per card plus the combined file, for `cards` (default: every card of the catalog).

    In the combined file every field name is prefixed with its card's id (`<id>.claim`),
    so the papers' fields stay separate; in a single paper's file they are bare (`claim`).
    """
    check_variant(variant)
    cards = catalog.cards if cards is None else cards
    if not cards:
        # An empty worksheets.pdf (no pages) is not a PDF any viewer opens.
        raise CardpressError(Problem("no cards to print", file=str(catalog.path)))
    outputs = []
    combined: list[Page] = []
    outline: list[OutlineEntry] = []
    for card in cards:
        try:
            pages = worksheet_pages(catalog, card, variant)
        except CardpressError as exc:
            # The layout knows the card and the field, not the file they came from.
            raise CardpressError([p if p.file else replace(p, file=str(catalog.path)) for p in exc.problems],
                                 hint=exc.hint) from None
        outputs.append(_pdf(variant.card_path(card.id), catalog, pages, f"Worksheet: {card.heading}", variant))
        outline.append(OutlineEntry(card.heading, len(combined)))  # each paper starts on a front
        combined += worksheet_pages(catalog, card, variant, prefix=f"{card.id}.")
    outputs.append(_pdf(variant.combined_path, catalog, combined, f"{catalog.deck.title}: worksheets", variant,
                        outline))
    return outputs


def build_outputs(catalog: Catalog) -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory: the reader's
    copies and the facilitator's combined copy (worksheets-answers.pdf)."""
    answers = Variant(answers=True)
    return render_worksheets(catalog) + [o for o in render_worksheets(catalog, answers)
                                         if o.relpath == answers.combined_path]
