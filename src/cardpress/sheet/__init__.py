"""The four-page revision sheet: every chosen card and the catalog's revision notes.

content (catalog -> sections) -> blocks (measured at one size) -> paginate (columns,
size search) -> layout (page-model records) -> cardpress.pdf.paint (reportlab draws them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cardpress.catalog.model import Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.files.output import Output

if TYPE_CHECKING:
    from cardpress.sheet.layout import SheetLayout

# The engine's layout and painting modules (and reportlab) load when first used, so
# registering the `sheet` command costs the other commands nothing.

PAPERS = ("letter", "a4")


def filename(paper: str) -> str:
    return f"revision-sheet-{paper}.pdf"


def render_sheet(catalog: Catalog, sheet: SheetLayout, mono: bool = False, cmyk: bool = False) -> Output:
    from cardpress.pdf.paint import pdf

    return pdf(filename(sheet.paper), sheet.pages, sheet.pagesize, mono=mono, cmyk=cmyk,
               title=f"{catalog.deck.title} — revision sheet ({'Letter' if sheet.paper == 'letter' else 'A4'})",
               author=catalog.deck.author,
               subject=f"{len(catalog.cards)} cards on 4 pages ({sheet.paper})",
               duplex="long", outline=sheet.outline)


def build_sheet(catalog: Catalog, paper: str, mono: bool = False, sections: tuple[str, ...] | None = None,
                cmyk: bool = False) -> Output:
    if not catalog.cards:
        raise CardpressError(Problem("no cards to print", file=str(catalog.path)))
    from cardpress.sheet.layout import lay_out

    return render_sheet(catalog, lay_out(catalog, paper, sections), mono, cmyk)


def build_outputs(catalog: Catalog, papers=PAPERS, mono: bool = False,
                  sections: tuple[str, ...] | None = None, cmyk: bool = False) -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory."""
    return [build_sheet(catalog, paper, mono, sections, cmyk) for paper in papers]
