"""Which catalog a command reads when --catalog is not given: found as git finds its repo.

./cards.toml first, then the same name in each parent folder up to the filesystem root,
so a command run anywhere inside a deck's folder (say, in its worksheets/ or notes/)
reads that deck's catalog and writes beside it, not a fresh ./output in the subfolder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NAME = "cards.toml"


@dataclass(frozen=True)
class Found:
    path: Path  # the catalog to read (./cards.toml when there is none anywhere)
    here: bool  # in the current folder (or not found at all): nothing to tell the user


def find_catalog(start: Path | None = None) -> Found:
    start = Path.cwd() if start is None else start
    for folder in (start, *start.parents):
        candidate = folder / NAME
        if candidate.is_file():
            if folder == start:
                return Found(Path(NAME), True)
            return Found(Path(shown(candidate, start)), False)
    # None anywhere: the relative name, so `add` creates it here and the others say
    # "catalog not found" about the file a user expects.
    return Found(Path(NAME), True)


def shown(path: Path, start: Path | None = None) -> str:
    """The path as a person would type it from the current folder (../../cards.toml)."""
    import os

    start = Path.cwd() if start is None else start
    try:
        rel = os.path.relpath(path, start)
    except ValueError:  # another drive (Windows)
        return str(path)
    return rel if len(rel) <= len(str(path)) else str(path)
