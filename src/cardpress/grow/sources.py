"""What every import format reads into: entries about papers, and the entries it refused.

Each reader (BibTeX, CSL-JSON, CSV, Markdown, Anki) turns its file into a `Source`; the
importer alone decides what becomes a card, what is already there, and what is written.
So duplicates, ids, drafts and validation follow one rule whatever the file was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cardpress.errors import CardpressError, Problem
from cardpress.grow.add import CardFields


@dataclass(kw_only=True)
class Entry(CardFields):
    """One paper as a file gave it: the fields `add` takes (any may be missing; `card_id` is
    a CSV row's id, kept when free) and where in the file it was read."""

    where: str  # how the report names it: "line 12 (`vaswani2017`)", "row 3", "item 2"
    line: int | None = None  # 1-based line it starts on, for formats that have lines
    draft: bool | None = None  # None: a draft exactly when the summary or a number is missing

    @property
    def complete(self) -> bool:
        return bool((self.summary or "").strip()) and len(self.numbers) == 3

    def missing_paper(self) -> list[str]:
        """What even a draft needs and this entry lacks."""
        return [name for name in ("author", "year", "title")
                if getattr(self, name) is None or (isinstance(getattr(self, name), str) and not getattr(self, name).strip())]


@dataclass
class Source:
    format: str  # what was read, for the report: "BibTeX", "Markdown (`## Author Year — Title` headings)"
    unit: str  # what one entry is called in this format: "entry", "block", "row", "item", "note"
    entries: list[Entry]
    problems: list[Problem]  # one per entry the reader refused, saying why
    seen: int  # entries found, read or refused
    title: str | None = None  # a deck title for a catalog that does not exist yet


# Which reader an extension means; `--format` overrides.
FORMATS = {
    "bibtex": (".bib", ".bibtex", ".biblatex"),
    "csl-json": (".json", ".csljson"),
    "csv": (".csv",),
    "markdown": (".md", ".markdown", ".txt"),
    "apkg": (".apkg",),
}


def detect_format(path: Path, override: str | None) -> str:
    if override:
        name = override.strip().lower()
        if name not in FORMATS:
            raise CardpressError(Problem(f"unknown import format `{override}`: use one of {', '.join(FORMATS)}"))
        return name
    suffix = path.suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
    raise CardpressError(Problem(f"cannot tell the format from the extension `{suffix or '(none)'}` "
                                 f"(known: {known})", file=str(path)),
                         hint=f"Name it with --format ({', '.join(FORMATS)}).")


_YEAR = re.compile(r"(?<![0-9])(1[0-9]{3}|20[0-9]{2}|2100)(?![0-9])")


def year_in(text) -> int | None:
    """The first plausible year in a field ("2017", "2017-06-12", "June 2017", "{2017a}")."""
    if isinstance(text, int):
        return text
    m = _YEAR.search(str(text or ""))
    return int(m.group(1)) if m else None


def one_line(text: str | None) -> str | None:
    """Titles and names wrapped over lines in the file are one line on a card."""
    if text is None:
        return None
    return " ".join(text.split()) or None


# `$x^2$` (LaTeX in .bib titles) is the catalog's `\(x^2\)`; `\$` is a dollar sign.
_DOLLAR_MATH = re.compile(r"(?<!\\)\$(?P<tex>[^$]+?)(?<!\\)\$")


def dollar_math(text: str | None) -> str | None:
    if text is None or "$" not in text:
        return text
    return _DOLLAR_MATH.sub(lambda m: rf"\({m.group('tex').strip()}\)", text).replace(r"\$", "$")
