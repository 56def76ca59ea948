"""The card catalog: its schema, its typed model, and the loader that validates it.

Also what reads or edits the catalog for every command: `select` (choosing cards),
`lock` (one writer at a time) and `edit` (changing one key in place, every other byte kept).

Imports: `cardpress.typeset` (formulas are checked as they load), `cardpress.files`,
`cardpress.errors`; never pages, engines or commands.
"""

from cardpress.catalog.load import load_catalog, load_catalog_text
from cardpress.catalog.model import Card, Catalog, Category, Number, PaperProtocol

__all__ = ["load_catalog", "load_catalog_text", "Card", "Catalog", "Category", "Number", "PaperProtocol"]
