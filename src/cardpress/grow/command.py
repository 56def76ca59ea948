"""The `add`, `import`, `export` and `schema` commands: growing the catalog and taking it elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cardpress.catalog import select
from cardpress.catalog.load import load_catalog, read_text
from cardpress.errors import CardpressError, Problem
from cardpress.catalog.schema import YEAR_RANGE
from cardpress.options import (
    DEFAULT_CATALOG, CatalogOpt, CategoryOpt, OnlyOpt, SkipMasteredOpt, TagOpt, plural, reports_errors,
)
from cardpress.catalog.select import selection_from
from cardpress.files.atomic import atomic_write_bytes, write_error

if TYPE_CHECKING:
    from cardpress.grow.add import CardFields

# The grow engine is imported inside each command: registering these commands must cost
# the other commands nothing.

DryRunOpt = Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would be added; write nothing.")]
AllowDuplicateOpt = Annotated[bool, typer.Option(
    "--allow-duplicate", help="Add a paper even when the catalog has it already (same DOI, arXiv id, or title, author and year).")]


def _year(text: str) -> int:
    """The year prompt's check; raising makes the prompt ask again."""
    low, high = YEAR_RANGE
    try:
        year = int(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a year; type a number such as 2021") from None
    if not low <= year <= high:
        raise typer.BadParameter(f"{year} is not a year from {low} to {high}")
    return year


def interactive() -> bool:
    """Prompting only makes sense with a person at a terminal; scripts get an error instead."""
    return sys.stdin.isatty()


def _prompt_missing(fields: CardFields, catalog) -> None:
    from cardpress.grow.add import split_tags

    if not (fields.author or "").strip():
        fields.author = typer.prompt("First author's surname")
    if fields.year is None:
        # Checked at its prompt, so a typo does not throw away everything typed after it.
        fields.year = typer.prompt("Year", value_proc=_year)
    if not (fields.title or "").strip():
        fields.title = typer.prompt("Title")
    if fields.draft:
        return  # the paper is enough for now; the summary and numbers come later
    if not (fields.summary or "").strip():
        fields.summary = typer.prompt("Summary (one sentence: claim + method)")
    while len(fields.numbers) < 3:
        fields.numbers.append(typer.prompt(f"Number {len(fields.numbers) + 1} of 3 (\"figure | text\" to set the split)"))
    if fields.category is None and catalog is not None:
        names = [c.name for c in catalog.category_order()]
        typer.echo("Categories: " + "; ".join(f"{i} {n}" for i, n in enumerate(names, 1)))
        while True:
            answer = typer.prompt("Category (number or name, empty for none)", default="", show_default=False).strip()
            if not answer.isdigit():
                fields.category = answer
                break
            if 1 <= int(answer) <= len(names):
                fields.category = names[int(answer) - 1]
                break
            # A number is a menu choice, never a new category called "99".
            typer.echo(f"Error: choose a number from 1 to {len(names)}, or type a name.", err=True)
    if not fields.tags:
        fields.tags = split_tags([typer.prompt("Tags (comma-separated, empty for none)", default="", show_default=False)])


def add(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    author: Annotated[Optional[str], typer.Option(metavar="TEXT", help="First author's surname.")] = None,
    year: Annotated[Optional[int], typer.Option(metavar="YEAR", help="Year of publication.")] = None,
    title: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The paper's title.")] = None,
    summary: Annotated[Optional[str], typer.Option(metavar="TEXT", help="One sentence: claim + method.")] = None,
    number: Annotated[Optional[list[str]], typer.Option(
        "--number", metavar="TEXT", help="A number to remember; give it three times. \"3.5 days | on 8 GPUs\" sets the figure by hand.")] = None,
    category: Annotated[Optional[str], typer.Option(metavar="NAME", help="Category name (one of [[categories]] or a new one).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="A tag (repeat or comma-separate).")] = None,
    card_id: Annotated[Optional[str], typer.Option("--id", metavar="ID", help="The card id; derived from author, year and title if left out.")] = None,
    mastered: Annotated[bool, typer.Option("--mastered", help="Mark the card mastered.")] = False,
    doi: Annotated[Optional[str], typer.Option(metavar="DOI", help="The paper's DOI (bare or as a doi.org address).")] = None,
    arxiv: Annotated[Optional[str], typer.Option(metavar="ID", help="The paper's arXiv id (1706.03762, arXiv:..., or its address).")] = None,
    url: Annotated[Optional[str], typer.Option(metavar="URL", help="Where the paper is read.")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="A draft: only author, year and title needed now (status = \"draft\").")] = False,
    allow_duplicate: AllowDuplicateOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Add one card to the end of the catalog; every byte already in the file stays as it was.

    Missing fields are asked for when run in a terminal. The card is validated with the
    whole catalog before anything is written, and the write is atomic.

    Example: cardpress add --author Hu --year 2021 --title LoRA --summary "..." --number "..." --number "..." --number "..."
    """
    from cardpress.grow.add import CardFields, card_data, duplicate_of, existing_catalog, id_clash, new_catalog_header
    from cardpress.grow.append import append_cards
    from cardpress.catalog.lock import catalog_lock

    path = Path(catalog)
    cat = existing_catalog(path)
    fields = CardFields(author, year, title, summary, list(number or []), category, list(tag or []), card_id, mastered,
                        doi, arxiv, url, draft=draft)
    if fields.missing() and interactive():
        _prompt_missing(fields, cat)
    missing = fields.missing()
    if missing:
        raise CardpressError(Problem(f"missing {', '.join(missing)}"),
                             hint="Give them as options; `cardpress add` asks for them only when run in a terminal. "
                                  "Nothing was written.")
    with catalog_lock(path, writing=not dry_run):
        # Read again under the lock: another `add` may have landed while we prompted.
        cat = existing_catalog(path)
        if card_id:
            id_clash(card_id, cat, path)
        taken = [c.id for c in cat.cards] if cat else []
        card = card_data(fields, taken)
        if not allow_duplicate:
            duplicate_of(card, cat, path)
        header = None if cat else new_catalog_header("Pitch cards", "cardpress add")
        result = append_cards(path, [card], old=header, dry_run=dry_run)
    if dry_run:
        typer.echo(result.text, nl=False)
        typer.echo(f"would add card `{card['id']}` to {path} (dry run: nothing written)", err=True)
    else:
        verb = "created" if header else "added to"
        typer.echo(f"{verb} {path}: card `{card['id']}` at line {result.first_line} "
                   f"({plural(len(result.catalog.cards), 'card')} now)")


def import_cards(
    source_file: Annotated[Path, typer.Argument(metavar="FILE", help="A .bib, CSL-JSON .json, .csv, Markdown .md or Anki .apkg file.")],
    catalog: CatalogOpt = DEFAULT_CATALOG,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", help="bibtex, csl-json, csv, markdown or apkg [default: from the extension].")] = None,
    category: Annotated[Optional[str], typer.Option(metavar="NAME", help="Category for cards whose entry names none.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="Tag added to every imported card.")] = None,
    allow_duplicate: AllowDuplicateOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Append the papers in a file to the catalog (created if it does not exist).

    Reads BibTeX/BibLaTeX (.bib), CSL-JSON (Zotero, Better BibTeX: .json), CSV (as `export
    csv` writes it), Markdown notes (`Card NN — Author Year, Title` or `## Author Year — Title`
    headings with labelled paragraphs) and Anki packages of front/back notes (.apkg). A paper
    without its summary and three numbers comes in as a draft (status = "draft").

    Each entry is reported: added, already there (same DOI, arXiv id, or title, author and
    year; importing a file twice adds nothing), or not imported with the reason. Every byte
    already in the catalog stays. Exit code 1 only when nothing could be imported because of
    problems.

    Example: cardpress import references.bib --dry-run
    """
    from cardpress.catalog.lock import catalog_lock
    from cardpress.grow.importer import run_import
    from cardpress.grow.readers import read_source
    from cardpress.grow.sources import detect_format

    path = Path(catalog)
    source = read_source(source_file, detect_format(source_file, fmt))
    if source.seen == 0:
        raise CardpressError(Problem(f"no cards found (read as {source.format})", file=str(source_file)),
                             hint=_NOTHING_FOUND_HINT.get(source.unit))
    with catalog_lock(path, writing=not dry_run):
        outcome = run_import(path, source, file=str(source_file), category=category, tags=list(tag or []),
                             allow_duplicate=allow_duplicate, dry_run=dry_run)
    _report(path, source, source_file, outcome, dry_run)


_NOTHING_FOUND_HINT = {
    "block": "Expected headings such as `Card 01 — Vaswani 2017, Attention Is All You Need` "
             "or `## Vaswani 2017 — Attention Is All You Need`.",
}


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit[:-1]}ies" if unit.endswith("y") else f"{n} {unit}s"


def _report(path: Path, source, source_file: Path, outcome, dry_run: bool) -> None:
    """One line per entry, then the counts; problems and skips on stderr, as before."""
    name = source_file.name
    typer.echo(f"read {source_file} as {source.format}: {_count(source.seen, source.unit)}", err=True)
    for p in sorted(outcome.refused, key=lambda p: p.line or 0):
        typer.echo(str(p), err=True)
    for entry, card_id, why in outcome.already:
        typer.echo(f"already there: {card_id}, {why} ({entry.where} of {name})", err=True)
    refused = len(outcome.refused)
    problems = f", {_count(refused, source.unit)} with problems" if refused else ""
    if not outcome.added:
        if refused and not outcome.already:
            raise CardpressError(Problem(f"nothing imported: every {source.unit} in {name} has a problem "
                                         "(listed above)", file=str(source_file)))
        # The same file again: nothing to do is success, whatever could never come in.
        typer.echo(f"nothing new: {_count(len(outcome.already), source.unit)} already in {path}{problems}")
        return
    if dry_run:
        typer.echo(outcome.text, nl=False)
    verb = "would add" if dry_run else "added"
    drafts = 0
    for entry, card in outcome.added:
        draft = card.get("status") == "draft"
        drafts += draft
        typer.echo(f"{verb} {card['id']}{' (draft)' if draft else ''}  "
                   f"({card['author']} {card['year']} — {card['title']})", err=dry_run)
    tail = " (dry run: nothing written)" if dry_run else ""
    also = f" ({drafts} as drafts)" if drafts else ""
    typer.echo(f"{verb} {_count(len(outcome.added), 'card')}{also} to {path}, "
               f"{len(outcome.already)} already there, {_count(refused, source.unit)} with problems{tail}",
               err=dry_run)


export_app = typer.Typer(help="Take the catalog elsewhere: an Anki package or a CSV spreadsheet.",
                         no_args_is_help=True, rich_markup_mode=None)


def _chosen(catalog, tag, category, only, skip_mastered, drafts_out: str | None = None):
    cat = load_catalog(catalog)
    if drafts_out:
        from cardpress.options import without_drafts

        cat = without_drafts(cat, drafts_out)
    return select.apply(cat, selection_from(tag, category, only, skip_mastered, False, None))


@export_app.command("anki")
@reports_errors
def export_anki(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="The .apkg file to write [default: output/<catalog>.apkg].")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Also a card from the summary to the paper.")] = False,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None, skip_mastered: SkipMasteredOpt = False,
) -> None:
    """Write an Anki package: one note per card, a subdeck and a tag per category.

    One note type, "cardpress paper", with the fields Title, Author, Year, Category,
    Summary, Number1-3, Figure1-3 and Protocol; formulas stay \\(...\\) for Anki's MathJax.
    Note GUIDs come from card ids, so re-importing after fixing a typo keeps review history.
    Needs the optional genanki package: pip install 'cardpress[anki]'.

    Example: cardpress export anki --out output/pitch-cards.apkg
    """
    from cardpress.grow.anki import apkg_bytes

    cat = _chosen(catalog, tag, category, only, skip_mastered, drafts_out="the Anki package")
    data = apkg_bytes(cat, reverse=reverse)
    target = out or Path("output") / f"{Path(catalog).stem}.apkg"
    _write(target, data)
    cards = len(cat.cards) * (2 if reverse else 1)
    typer.echo(f"wrote {target}: {len(cat.cards)} notes, {cards} cards")


@export_app.command("csv")
@reports_errors
def export_csv(
    catalog: CatalogOpt = DEFAULT_CATALOG,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="The .csv file to write [default: print to stdout].")] = None,
    tag: TagOpt = None, category: CategoryOpt = None, only: OnlyOpt = None, skip_mastered: SkipMasteredOpt = False,
) -> None:
    """Write the cards as CSV, one row per card: id, author, year, title, category, tags,
    summary, number1..3 (full text), mastered.

    Example: cardpress export csv --out output/cards.csv
    """
    from cardpress.grow.csv_export import cards_csv

    cat = _chosen(catalog, tag, category, only, skip_mastered)
    text = cards_csv(cat.cards)
    if out is None:
        typer.echo(text, nl=False)
        return
    _write(out, text.encode("utf-8"))
    typer.echo(f"wrote {out}: {len(cat.cards)} rows")


def _write(target: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise write_error(target, exc) from None


def schema() -> None:
    """Print the catalog's JSON Schema, for editors that underline mistakes while typing.

    Example: cardpress schema > cards.schema.json, then put `#:schema ./cards.schema.json`
    on the first line of cards.toml (Even Better TOML / taplo read it).
    """
    from cardpress.catalog.schema import schema_text

    typer.echo(schema_text(), nl=False)


def register(app: typer.Typer) -> None:
    app.command()(reports_errors(add))
    app.command("import")(reports_errors(import_cards))
    app.add_typer(export_app, name="export")
    app.command()(schema)
