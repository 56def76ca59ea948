"""The `cardpress worksheets` command: worksheets for some or all papers, in any variant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cardpress.catalog import load_catalog
from cardpress.errors import CardpressError, Problem
from cardpress.options import DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, OutOpt, reports_errors
from cardpress.files.staging import write_outputs
from cardpress.catalog.select import near


def pick_cards(catalog, ids: list[str]):
    """The cards named by `ids`, in the order given (each once); every card when none are named."""
    if not ids:
        return catalog.cards
    by_id = {c.id: c for c in catalog.cards}
    problems = [Problem(f"no card with id `{i}`{near(i, by_id)}", file=str(catalog.path))
                for i in ids if i not in by_id]
    if problems:
        raise CardpressError(problems, hint="`cardpress list` shows every card id.")
    return tuple(by_id[i] for i in dict.fromkeys(ids))


def register(app: typer.Typer) -> None:
    @app.command()
    @reports_errors
    def fill(
        worksheet: Annotated[Path, typer.Argument(metavar="WORKSHEET.pdf", help="A worksheet `cardpress worksheets` wrote.")],
        values: Annotated[Optional[list[str]], typer.Argument(metavar="NAME=VALUE", show_default=False,
                                                              help="A field and what to type in it; tick boxes take yes or no.")] = None,
        output: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE",
                                                       help="Where to write the filled copy (default: WORKSHEET-filled.pdf beside it).")] = None,
        list_fields: Annotated[bool, typer.Option("--list", help="Print the worksheet's field names and stop.")] = False,
    ) -> None:
        """Type answers into a worksheet's fields and write a filled copy that prints everywhere.

        Text goes in the worksheet's own embedded font (Latin-1, Greek, arrows, math operators:
        β ≈ → √ all print), one printed line per field (claim.1, claim.2, …). The filled copy
        prints the same from a viewer, Ghostscript or CUPS; the worksheet itself is left as it is.

        Example: cardpress fill worksheets/vaswani-2017-attention.pdf name=Ada "claim.1=Attention ≈ β" phase-1=yes
        """
        import os

        from cardpress.worksheets.fill import _read, default_output, fields_of
        from cardpress.worksheets.fill import fill as fill_in

        if list_fields:
            for name, field in fields_of(_read(worksheet)).items():
                kind = "tick box" if (field.get("/FT") or "") == "/Btn" else "text"
                typer.echo(f"{name}\t{kind}\t{field.get('/TU', '')}")
            return
        if not values:
            raise CardpressError(Problem("nothing to fill: give NAME=VALUE pairs (`--list` names the fields)",
                                         file=str(worksheet)))
        target = output or default_output(worksheet)
        if target.is_symlink() or target.is_dir():
            raise CardpressError(Problem("is a link or a folder: give another --out", file=str(target)))
        if worksheet.exists() and target.exists() and os.path.samefile(worksheet, target):
            raise CardpressError(Problem("the filled copy would replace the worksheet: give another --out",
                                         file=str(target)))
        filled = fill_in(worksheet, values, target)
        typer.echo(f"wrote {target} ({len(filled)} field{'s' if len(filled) != 1 else ''} filled)")

    @app.command()
    @reports_errors
    def worksheets(
        ids: Annotated[Optional[list[str]], typer.Argument(metavar="ID", help="Card ids (default: every card).", show_default=False)] = None,
        catalog: CatalogOpt = DEFAULT_CATALOG,
        out: OutOpt = DEFAULT_OUT,
        paper: Annotated[Optional[str], typer.Option(
            "--paper", metavar="letter|a4", show_default=False,
            help="Paper size: letter or a4 [default: $CARDPRESS_PAPER, else the catalog's [defaults] paper, "
                 "else letter].")] = None,
        answers: Annotated[bool, typer.Option("--answers", help="The facilitator's copy: claim, central equation, "
                                              "three things to remember, pit-of-failure and the three numbers filled in.")] = False,
        template: Annotated[str, typer.Option("--template", metavar="protocol|three-pass", help="protocol (the 20-minute paper-read drill) or "
                                              "three-pass (the structured reading note).")] = "protocol",
    ) -> None:
        """Print-and-fill worksheets, two pages (one duplex sheet) per paper.

        Writes worksheets/<id>.pdf per paper and worksheets.pdf with all of them (naming ids
        writes only their files and leaves worksheets.pdf as it was). Variants add
        a suffix: -three-pass, -answers, -a4 (in that order), e.g. worksheets/<id>-answers-a4.pdf
        and worksheets-answers-a4.pdf. Every writing box is also a fillable form field; in the
        combined file field names are prefixed with the card id (<id>.claim).

        Example: cardpress worksheets vaswani-2017-attention --answers --paper a4
        """
        from cardpress.worksheets import Variant, iter_worksheets

        from cardpress.catalog.settings import pick

        cat = load_catalog(catalog)
        paper = pick("paper", paper, cat.defaults) or "letter"
        variant = Variant(paper=paper.lower(), answers=answers, template=template.lower())
        # Naming papers writes just their files: the combined worksheets.pdf stays the whole set.
        outputs = iter_worksheets(cat, variant, pick_cards(cat, ids or []), combined=not ids)
        written = write_outputs(out, outputs)
        for path in written:
            typer.echo(f"wrote {path}")
