"""The type layer: fonts, measuring and breaking text, and math.

`fonts` (the embedded faces), `textfit` (measuring, wrapping and fitting),
`breaker` (the one paragraph breaker), `mathtext` (formulas as measured boxes).

Imports: `cardpress.files` and `cardpress.errors`/`units`; never the catalog, pages or engines.
"""
