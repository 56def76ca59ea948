"""The type layer: fonts, measuring and breaking text, and math.

`fonts` (the embedded faces), `textfit` (measuring, wrapping and fitting),
`breaker` (the one paragraph breaker), `mathtext` (formulas as measured boxes),
`mathmacros` (LaTeX as papers write it, rewritten for mathtext), `mathcompose`
(matrices, cases, aligned rows and braces composed from mathtext boxes).

Imports: `cardpress.files` and `cardpress.errors`/`units`; never the catalog, pages or engines.
"""
