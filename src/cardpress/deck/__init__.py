"""The duplex 3x5 index-card deck: card pages, imposed Letter/A4 sheets and calibration sheets.

catalog + layouts/*.toml -> imposition (slots, flip rule, offset) + faces (fitted text)
-> pages of cardpress.pdf.page records -> cardpress.pdf.paint -> in-memory PDFs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cardpress.catalog.model import Catalog
from cardpress.files.output import Output

if TYPE_CHECKING:
    from cardpress.deck.assemble import DeckRequest, deck_pdf
    from cardpress.deck.calibrate import calibration_pdf
    from cardpress.deck.layout_spec import load_layout

__all__ = ["build_outputs", "DeckRequest", "deck_pdf", "calibration_pdf", "load_layout"]

# The engine's modules (and reportlab) load on first use (PEP 562), so registering the
# `deck` command costs the other commands nothing.
_LAZY = {"DeckRequest": "assemble", "deck_pdf": "assemble", "calibration_pdf": "calibrate",
         "load_layout": "layout_spec"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"cardpress.deck.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'cardpress.deck' has no attribute {name!r}")


def build_outputs(catalog: Catalog, layouts=None, flip: str = "long") -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory.

    deck-3x5.pdf, deck-letter.pdf and deck-a4.pdf (no back offset) and any other `layouts`,
    plus calibrate-letter.pdf and calibrate-a4.pdf so a calibration sheet is always at hand.
    """
    from cardpress.deck.assemble import DeckRequest, deck_pdf
    from cardpress.deck.calibrate import calibration_pdf
    from cardpress.deck.layout_spec import CALIBRATION_LAYOUTS, DEFAULT_LAYOUTS, load_layout

    outputs = [deck_pdf(catalog, DeckRequest(load_layout(name), flip)) for name in layouts or DEFAULT_LAYOUTS]
    outputs += [calibration_pdf(load_layout(name), flip) for name in CALIBRATION_LAYOUTS]
    return outputs
