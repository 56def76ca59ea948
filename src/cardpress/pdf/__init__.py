"""The PDF layer: the page model every engine produces, and the one painter that draws it.

`page` (immutable, positioned records), `paint` (the only module that touches a reportlab
canvas), `reach` (no mark leaves its slot), `canvas` (byte-identical canvases, viewer preferences, bookmarks), `form_fields`.

Imports: `cardpress.typeset`, `cardpress.files`, `cardpress.geometry`/`units`/`errors`;
never the catalog or an engine.
"""
