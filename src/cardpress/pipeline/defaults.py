"""What `build` (and `watch`) makes when the user set defaults once (catalog.settings)."""

from __future__ import annotations

from cardpress.catalog.model import Catalog


def build_settings(cat: Catalog) -> tuple[tuple[str, ...], str, str]:
    """The decks' layouts, their flip edge and the worksheets' paper that `build` uses: the
    built-in set plus the default layout (CARDPRESS_LAYOUT, else [defaults]), so that
    `print deck` finds its file; the default flip and paper, else long and letter."""
    from cardpress.deck.layout_spec import DEFAULT_LAYOUTS
    from cardpress.catalog.settings import pick

    layout = pick("layout", None, cat.defaults, cat.path)
    layouts = DEFAULT_LAYOUTS + ((layout,) if layout and layout not in DEFAULT_LAYOUTS else ())
    return layouts, pick("flip", None, cat.defaults) or "long", pick("paper", None, cat.defaults) or "letter"
