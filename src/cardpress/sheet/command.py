"""The `cardpress sheet` command."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from cardpress.catalog import select
from cardpress.catalog import load_catalog
from cardpress.errors import CardpressError
from cardpress.options import (
    DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, CategoryOpt, OnlyOpt, OutOpt, SkipMasteredOpt, TagOpt,
    reports_errors, without_drafts,
)
from cardpress.catalog.select import selection_from
from cardpress.files.staging import write_outputs


class Paper(str, Enum):
    letter = "letter"
    a4 = "a4"


# A plain string checked in the command, so a wrong size is reported like every other bad
# input (exit 1, as `worksheets --paper` does) rather than as a usage error (exit 2).
PaperOpt = Annotated[Optional[str], typer.Option(
    "--paper", metavar="[letter|a4]", show_default=False,
    help="letter or a4 [default: $CARDPRESS_PAPER, else the catalog's [defaults] paper, else both].")]
MonoOpt = Annotated[bool, typer.Option("--mono", help="Print everything in black and greys (DeviceGray; no category colours).")]
CmykOpt = Annotated[bool, typer.Option("--cmyk", help="Write DeviceCMYK for a print shop (black and greys on K alone).")]
SectionsOpt = Annotated[Optional[list[str]], typer.Option(
    "--sections", metavar="NAME[,NAME]",
    help="Sections to print, in the sheet's order whatever the order given: concepts, tables, answers, "
         "cards, method, protocols, followups, papers, checklist. All when left out.",
    show_default=False)]


def parse_sections(values: list[str] | None) -> tuple[str, ...] | None:
    """--sections values (repeated or comma-separated) checked against the sheet's sections."""
    from cardpress.catalog.schema import suggest
    from cardpress.sheet.content import SECTION_CHOICES

    if not values:
        return None
    names = [v.strip().lower() for value in values for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in SECTION_CHOICES]
    if unknown or not names:
        bad = unknown[0] if unknown else ""
        raise CardpressError(f"--sections: unknown section `{bad}`{suggest(bad, SECTION_CHOICES)}; "
                             f"use any of: {', '.join(SECTION_CHOICES)}")
    return tuple(names)


def sheet(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    out: OutOpt = DEFAULT_OUT,
    paper: PaperOpt = None,
    mono: MonoOpt = False,
    cmyk: CmykOpt = False,
    sections: SectionsOpt = None,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None,
    skip_mastered: SkipMasteredOpt = False,
) -> None:
    """Typeset the four-page revision sheet: the concepts, tables and model answers, every
    chosen card, the reading method, the protocol papers, follow-ups and further papers.

    The type size is the largest (up to 9 pt, never under 6 pt) at which everything fits
    on exactly four pages, balanced so the pages fill alike; only content that fits at
    9 pt leaves room, which becomes a ruled notes area. Writes revision-sheet-letter.pdf
    and/or revision-sheet-a4.pdf into --out.

    Example: cardpress sheet --paper a4 --sections cards,answers --skip-mastered --mono
    """
    from cardpress.sheet import PAPERS, build_outputs

    from cardpress.catalog.settings import pick

    if paper is not None and paper.lower() not in Paper.__members__:
        raise CardpressError(f"--paper: unknown paper size `{paper}`; use one of: {', '.join(Paper.__members__)}")
    choose = parse_sections(sections)
    whole = load_catalog(catalog)
    paper = pick("paper", paper, whole.defaults)
    cat = without_drafts(whole, "the revision sheet")
    cat = select.apply(cat, selection_from(tag, category, only, skip_mastered, False, None))
    papers = (Paper(paper.lower()).value,) if paper else PAPERS
    if mono and cmyk:
        raise CardpressError("--mono and --cmyk: choose one (--mono is grey only, --cmyk for a print shop)")
    outputs = build_outputs(cat, papers, mono, choose, cmyk)
    for path in write_outputs(out, outputs):
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("sheet")(reports_errors(sheet))
