"""The `cardpress init` command."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from cardpress.errors import CardpressError, Problem
from cardpress.options import reports_errors

CATALOG = "cards.toml"
SCHEMA = "cards.schema.json"
GITIGNORE = ".gitignore"
# What a deck's folder makes that is not the user's: the PDFs and cardpress's own state
# (the drill history, .cardpress/ beside the catalog).
IGNORED = ("output/", ".cardpress/")


def starter_text(example: bool) -> str:
    name = "example.toml" if example else "starter.toml"
    return resources.files("cardpress.starter").joinpath(name).read_text(encoding="utf-8")


def gitignore_text() -> str:
    return "# made by `cardpress init`: the built PDFs and cardpress's own files\n" + "\n".join(IGNORED) + "\n"


def _create(path: Path, text: str) -> None:
    """Write a new file; never replace one (mode "x" fails on anything already there,
    a dangling link included)."""
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise CardpressError(Problem("already exists; nothing was overwritten", file=str(path))) from None
    except OSError as exc:
        raise CardpressError(Problem(f"cannot write: {exc.strerror}", file=str(path))) from None


def init(folder: Path, example: bool = False) -> list[str]:
    """Make `folder`'s catalog, its schema and a .gitignore; returns what it said it did."""
    from cardpress.catalog.schema import schema_text

    catalog = folder / CATALOG
    if catalog.exists() or catalog.is_symlink():
        raise CardpressError(Problem("already exists; nothing was written", file=str(catalog)),
                             hint="`cardpress init` only starts a new catalog; edit this one, "
                                  "or give another folder: cardpress init my-deck")
    if folder.exists() and not folder.is_dir():
        raise CardpressError(Problem("is a file, not a folder", file=str(folder)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CardpressError(Problem(f"cannot make the folder: {exc.strerror}", file=str(folder))) from None
    _create(catalog, starter_text(example))
    said = [f"created {catalog}" + (" (the shipped 17-card catalog)" if example else " (two example cards)")]
    for name, text in ((SCHEMA, schema_text()), (GITIGNORE, gitignore_text())):
        path = folder / name
        if path.exists() or path.is_symlink():
            # The user's own file: left as it is, with what it would have said.
            keep = "add these lines to it: " + " ".join(IGNORED) if name == GITIGNORE else \
                "`cardpress schema` prints the current one"
            said.append(f"kept the existing {path}; {keep}")
            continue
        _create(path, text)
        said.append(f"created {path}")
    return said


def register(app: typer.Typer) -> None:
    @app.command("init")
    @reports_errors
    def init_command(
        folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="The deck's folder (made if missing).",
                                               show_default=False)] = Path("."),
        example: Annotated[bool, typer.Option(
            "--example", help="Start from the shipped 17-card catalog instead of the two-card starter.")] = False,
    ) -> None:
        """Start a deck: cards.toml with two example cards and comments that teach the format,
        cards.schema.json for editors, and a .gitignore for output/ and .cardpress/.

        Never overwrites: an existing cards.toml stops it; an existing .gitignore or
        schema file is kept.

        Example: cardpress init my-deck && cd my-deck && cardpress build
        """
        for line in init(folder, example):
            typer.echo(line)
        go = "" if folder == Path(".") else f"cd {folder} && "
        typer.echo(f"next: {go}cardpress validate && cardpress build   (PDFs in output/; "
                   "`cardpress watch` rebuilds on every save)")
