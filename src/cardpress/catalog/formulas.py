r"""Formula checks for `validate`: every string in the parsed catalog, whatever its section.

Walking the parsed TOML instead of the typed model means a section added later (concepts,
questions, tables) is checked with no change here. `mathtext.formula_problems` returns at
once for text without `\(`, so a catalog with no math never imports matplotlib.
"""

from __future__ import annotations

from cardpress.typeset import mathtext


def formula_issues(strings) -> list[tuple[tuple, str]]:
    """(path, message) for every malformed formula among (path, text) pairs."""
    return [(path, message) for path, text in strings for message in mathtext.formula_problems(text)]
