"""Per-paper reading-group worksheets: one duplex sheet per paper, pen first, fillable too.

`build_outputs` gives what `cardpress build` writes: `worksheets/<id>.pdf` per card and
`worksheets.pdf` with all of them, on Letter. `render_worksheets` makes every variant
(A4, the facilitator's copy, the three-pass template) under names `variant_names` gives.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterator

from cardpress.catalog.model import Card, Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.files.output import Output
from cardpress.units import PAPER

if TYPE_CHECKING:
    from cardpress.pdf.page import Page

# The engine's layout and painting modules (and reportlab) load when first used, so
# registering the `worksheets` command costs the other commands nothing.

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
    from cardpress.worksheets.content import protocol_sheet, three_pass_sheet
    from cardpress.worksheets.layout import protocol_pages, three_pass_pages

    size = PAPER[variant.paper]
    tag = variant.suffix
    if variant.template == "three-pass":
        return three_pass_pages(three_pass_sheet(catalog, card), size, prefix, tag)
    return protocol_pages(protocol_sheet(catalog, card, variant.answers), size, prefix, tag)


def prefixed(pages: list[Page], prefix: str) -> list[Page]:
    """The same pages with every form field's name starting with `prefix`.

    Field names are the only thing a prefix changes in a layout, so the combined file
    reuses a paper's own pages instead of laying them out a second time.
    """
    if not prefix:
        return list(pages)
    return [replace(page, records=_renamed(page.records, prefix)) for page in pages]


def _renamed(records: tuple, prefix: str) -> tuple:
    from cardpress.pdf.page import CheckBox, Group, TextField

    out = []
    for r in records:
        if isinstance(r, (CheckBox, TextField)):
            r = replace(r, name=prefix + r.name)
        elif isinstance(r, Group):
            r = replace(r, records=_renamed(r.records, prefix))
        out.append(r)
    return tuple(out)


def _kind(variant: Variant) -> str:
    kind = "three-pass reading note" if variant.template == "three-pass" else "20-minute paper-read worksheet"
    if variant.answers:
        kind += " (facilitator's copy)"
    return kind


def _kinds(variant: Variant) -> str:
    """The kind in the plural, for the combined file's title: the facilitator's copy says so."""
    kind = _kind(variant)
    return kind.replace("worksheet", "worksheets", 1) if "worksheet" in kind else kind.replace("note", "notes", 1)


def _pdf(relpath: str, catalog: Catalog, pages: list[Page], title: str, variant: Variant) -> Output:
    from cardpress.pdf.canvas import OutlineEntry
    from cardpress.pdf.paint import pdf

    # A bookmark per side, so the outline panel says where the back of the sheet starts.
    outline = [OutlineEntry(f"Side {i + 1} ({'front' if i % 2 == 0 else 'back'})", i) for i in range(len(pages))]
    return pdf(relpath, pages, PAPER[variant.paper], title=title, author=catalog.deck.author,
               subject=_kind(variant), duplex="long", outline=outline)


def laid_out(catalog: Catalog, card: Card, variant: Variant, prefix: str = "") -> list[Page]:
    """worksheet_pages, with the catalog file named in any overflow (the layout knows only card and field)."""
    try:
        return worksheet_pages(catalog, card, variant, prefix)
    except CardpressError as exc:
        raise CardpressError([p if p.file else replace(p, file=str(catalog.path)) for p in exc.problems],
                             hint=exc.hint) from None


def iter_worksheets(catalog: Catalog, variant: Variant = Variant(), cards: tuple[Card, ...] | None = None,
                    combined: bool = True, singles: bool = True) -> Iterator[Output]:
    """One PDF per card, yielded as soon as it is rendered, then the combined file (if `combined`).

    The combined file is painted page by page alongside, on one canvas: at 1,000 papers
    that peaks at 248 MiB and takes 16 s of CPU, where painting it in parts of 100 and
    joining them took 123 MiB and 20 s, so the joiner went (issue 19). In it every field name
    is prefixed with its card's id (`<id>.claim`), so the papers' fields stay separate; in
    a single paper's file they are bare (`claim`).
    """
    check_variant(variant)
    cards = catalog.cards if cards is None else cards
    if not cards:
        # An empty worksheets.pdf (no pages) is not a PDF any viewer opens.
        raise CardpressError(Problem("no cards to print", file=str(catalog.path)))
    from cardpress.pdf.canvas import new_canvas
    from cardpress.pdf.page import Bookmark
    from cardpress.pdf.paint import Painter

    def new_part() -> tuple[io.BytesIO, Painter]:
        buffer = io.BytesIO()
        return buffer, Painter(new_canvas(buffer, PAPER[variant.paper], title=f"{catalog.deck.title}: {_kinds(variant)}",
                                          author=catalog.deck.author, subject=_kind(variant), duplex="long"))

    painter = None
    for n, card in enumerate(cards):
        own = laid_out(catalog, card, variant)
        if singles:
            yield _pdf(variant.card_path(card.id), catalog, own, f"{card.heading}: {_kind(variant)}", variant)
        if not combined:
            continue
        if painter is None:
            buffer, painter = new_part()
        pages = prefixed(own, f"{card.id}.")
        # One bookmark per paper, on its first page (each paper starts on a front).
        first = pages[0]
        pages[0] = replace(first, records=(Bookmark(f"paper{n}", card.heading, 0, first.height),
                                           *first.records))
        for page in pages:
            painter.page(page)
    if painter is not None:
        painter.finish()
        yield Output(variant.combined_path, buffer.getvalue())


def render_worksheets(catalog: Catalog, variant: Variant = Variant(), cards: tuple[Card, ...] | None = None,
                      combined: bool = True) -> list[Output]:
    """Every output of iter_worksheets, in memory (for callers that want a list)."""
    return list(iter_worksheets(catalog, variant, cards, combined))


def build_outputs(catalog: Catalog) -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory: the reader's
    copies and the facilitator's combined copy (worksheets-answers.pdf). build streams
    the same files through iter_build."""
    return list(iter_build(catalog))


def iter_build(catalog: Catalog) -> Iterator[Output]:
    yield from iter_worksheets(catalog)
    yield from iter_worksheets(catalog, Variant(answers=True), singles=False)
