"""The four-page revision sheet: every chosen card and the catalog's revision notes.

content (catalog -> sections) -> blocks (measured at one size) -> paginate (columns,
size search) -> layout (positioned marks) -> render (reportlab paints them).
"""

from __future__ import annotations

from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.output import Output, pdf_output
from cardpress.sheet.layout import SheetLayout, lay_out
from cardpress.sheet.render import paint

PAPERS = ("letter", "a4")


def filename(paper: str) -> str:
    return f"revision-sheet-{paper}.pdf"


def render_sheet(catalog: Catalog, sheet: SheetLayout, mono: bool = False) -> Output:
    return pdf_output(filename(sheet.paper), sheet.pagesize, lambda canvas: paint(canvas, sheet, mono),
                      title=f"{catalog.deck.title} — revision sheet",
                      author=catalog.deck.author,
                      subject=f"{len(catalog.cards)} cards on 4 pages ({sheet.paper})",
                      duplex="long", outline=sheet.outline)


def build_sheet(catalog: Catalog, paper: str, mono: bool = False) -> Output:
    if not catalog.cards:
        raise CardpressError(Problem("no cards to print", file=str(catalog.path)))
    return render_sheet(catalog, lay_out(catalog, paper), mono)


def build_outputs(catalog: Catalog, papers=PAPERS, mono: bool = False) -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory."""
    return [build_sheet(catalog, paper, mono) for paper in papers]
