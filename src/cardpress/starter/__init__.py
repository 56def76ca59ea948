"""`cardpress init`: a new deck's folder, with a catalog that teaches its own format.

starter.toml is the catalog a new user starts from (two cards, one with a formula, and
comments on every rule); example.toml is a copy of the shipped catalog for `--example`
(tests/test_init.py keeps it byte-identical to the repository's cards.toml).
"""
