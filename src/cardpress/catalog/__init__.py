"""The card catalog: its schema, its typed model, and the loader that validates it."""

from cardpress.catalog.load import load_catalog, load_catalog_text
from cardpress.catalog.model import Card, Catalog, Category, Number, PaperProtocol

__all__ = ["load_catalog", "load_catalog_text", "Card", "Catalog", "Category", "Number", "PaperProtocol"]
