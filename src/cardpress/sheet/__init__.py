"""Engine placeholder: filled in by the sheet issue."""

from cardpress.catalog.model import Catalog
from cardpress.output import Output


def build_outputs(catalog: Catalog) -> list[Output]:
    """Everything `cardpress build` writes for this engine, rendered in memory."""
    return []
