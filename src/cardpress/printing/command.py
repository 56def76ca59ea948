"""The `cardpress print` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cardpress.errors import CardpressError, Problem
from cardpress.options import DEFAULT_OUT, OutOpt, reports_errors
from cardpress.units import PAPER

TARGETS = ("deck", "sheet", "worksheets", "calibrate")
DEFAULT_LAYOUT = "letter-4up"
DEFAULT_PAPER = "letter"


def built_file(target: str, out: Path, layout: str | None, paper: str | None,
               half: str | None) -> tuple[Path, str]:
    """The file a target names under `out`, and the command that builds it."""
    if target in ("deck", "calibrate"):
        if paper is not None:
            raise CardpressError(Problem(f"--paper is for sheet and worksheets; {target} takes --layout"))
        from cardpress.deck.assemble import SIDES, DeckRequest
        from cardpress.deck.calibrate import calibration_relpath
        from cardpress.deck.layout_spec import load_layout

        name = layout or DEFAULT_LAYOUT
        spec = load_layout(name)
        if target == "calibrate":
            return out / calibration_relpath(spec), f"cardpress calibrate --layout {name}"
        sides = (half[:-1],) if half else SIDES  # "fronts" -> ("front",)
        return (out / DeckRequest(spec, sides=sides).relpath,
                f"cardpress deck --layout {name}" + (f" --{half}-only" if half else ""))
    if layout is not None:
        raise CardpressError(Problem(f"--layout is for deck and calibrate; {target} takes --paper"))
    paper = paper or DEFAULT_PAPER
    if paper not in PAPER:
        raise CardpressError(Problem(f"--paper: unknown paper size `{paper}`; use one of: {', '.join(PAPER)}"))
    if target == "sheet":
        from cardpress.sheet import filename

        return out / filename(paper), f"cardpress sheet --paper {paper}"
    from cardpress.worksheets import Variant

    return out / Variant(paper=paper).combined_path, f"cardpress worksheets --paper {paper}"


def _with_defaults(what: str, printer, layout, paper):
    """Flags, else CARDPRESS_*, else the catalog's [defaults] (cardpress.catalog.settings); the
    layout only for deck and calibrate, the paper only for sheet and worksheets."""
    from cardpress.options import found_catalog
    from cardpress.catalog.settings import pick, read_defaults

    catalog = found_catalog(None)
    defaults = read_defaults(catalog)
    if what in ("deck", "calibrate") and paper is None:
        layout = pick("layout", layout, defaults, catalog)
    if what in ("sheet", "worksheets") and layout is None:
        paper = pick("paper", paper, defaults)
    return pick("printer", printer, defaults), layout, paper, catalog


def _warn_if_stale(pdf: Path, catalog: Path, layout: str | None, sheets: bool) -> None:
    """Warn when the PDF is older than what it is made from: the catalog, and for a deck the
    layout files (a print of last week's deck is a wasted stack of card stock)."""
    from cardpress.deck.layout_spec import LAYOUT_DIR, resolve
    from cardpress.options import warn

    sources = [catalog] + ([] if sheets else sorted(LAYOUT_DIR.glob("*.toml")))
    if layout and (layout.endswith(".toml") or "/" in layout):
        sources.append(resolve(layout))
    built = pdf.stat().st_mtime
    newer = [s for s in sources if s.is_file() and s.stat().st_mtime > built]
    if newer:
        warn(f"{pdf} is older than {', '.join(str(s) for s in newer[:3])}"
             + (f" and {len(newer) - 3} more" if len(newer) > 3 else "")
             + "; run `cardpress build` first to print the current cards")


def register(app: typer.Typer) -> None:
    @app.command("print")
    @reports_errors
    def print_(
        what: Annotated[str, typer.Argument(metavar="deck|sheet|worksheets|calibrate|FILE",
                                            help="What to print: a built output, or any PDF file.")],
        printer: Annotated[Optional[str], typer.Option(
            "--printer", "-P", metavar="NAME", help="CUPS queue (default: $CARDPRESS_PRINTER, else the catalog's "
                                                    "[defaults] printer, else the system's default printer).")] = None,
        copies: Annotated[int, typer.Option("--copies", min=1, metavar="N", help="Number of copies.")] = 1,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the lp command instead of running it.")] = False,
        layout: Annotated[Optional[str], typer.Option(
            "--layout", "-l", metavar="NAME|PATH",
            help=f"For deck and calibrate: which layout's file [default: {DEFAULT_LAYOUT}].")] = None,
        paper: Annotated[Optional[str], typer.Option(
            "--paper", metavar="PAPER", help=f"For sheet and worksheets: letter or a4 [default: {DEFAULT_PAPER}].")] = None,
        fronts_only: Annotated[bool, typer.Option(
            "--fronts-only", help="For deck: the fronts file (deck-<layout>-fronts.pdf), one-sided.")] = False,
        backs_only: Annotated[bool, typer.Option(
            "--backs-only", help="For deck: the backs file (deck-<layout>-backs.pdf), one-sided.")] = False,
        out: OutOpt = DEFAULT_OUT,
        force: Annotated[bool, typer.Option(
            "--force", help="Send even when the printer says it has not the file's paper size or duplex.")] = False,
    ) -> None:
        """Send a built PDF to a CUPS printer with lp, set to print it right.

        Two-sided on the flip edge the file was built for (one-sided for deck halves), at
        actual size (no fit-to-page), on the paper the pages are cut for: Letter, A4 or
        Custom.5x3in card stock. The settings are read from the PDF itself, so any file
        cardpress wrote prints right. `deck` is deck-letter.pdf unless --layout says
        otherwise; build first with `cardpress build` (or `cardpress deck`). The printer is
        asked first (lpoptions): a file it has not the paper or the duplex for is refused,
        with what it offers (--force sends it anyway).

        Example: cardpress print deck --printer office --dry-run

        Example: cardpress print deck --layout index-3x5 --copies 2

        Example: cardpress print output/worksheets/vaswani-2017-attention.pdf
        """
        if printer is not None and not printer.strip():
            raise CardpressError(Problem("--printer is empty: name a queue (`lpstat -p` lists them), "
                                         "or leave --printer out for the default printer"))
        if fronts_only and backs_only:
            raise CardpressError(Problem("print one half at a time: --fronts-only, then --backs-only "
                                         "on the other side of the printed stack"))
        half = "fronts" if fronts_only else "backs" if backs_only else None
        printer, layout, paper, catalog = _with_defaults(what, printer, layout, paper)
        if what in TARGETS:
            if half and what != "deck":
                raise CardpressError(Problem("--fronts-only and --backs-only are for deck"))
            path, builder = built_file(what, out, layout, paper, half)
            if not path.is_file():
                # `build` writes whole decks only; a half comes from `cardpress deck --fronts-only`.
                first = f"`{builder}`" if half else f"`cardpress build` first (or `{builder}`)"
                raise CardpressError(Problem(f"not built yet: run {first}", file=str(path)))
        else:
            if layout or paper or half:
                raise CardpressError(Problem("--layout, --paper, --fronts-only and --backs-only choose a "
                                             "built output; a FILE needs none of them"))
            path = Path(what)
            if path.is_dir():
                raise CardpressError(Problem("is a folder, not a PDF to print", file=what))
            if not path.is_file():
                raise CardpressError(Problem(
                    f"no such file, and not one of {', '.join(TARGETS)}; run `cardpress build` first "
                    "to make the outputs", file=what))
        # pypdf loads only when something is printed, not for every `cardpress` start.
        from cardpress.printing.lp import check_printer, check_server, lp_command, require_lp, send, shell_line
        from cardpress.printing.settings import read_settings

        if what in TARGETS or Path(out).resolve() in path.resolve().parents:
            _warn_if_stale(path, catalog, layout if what in ("deck", "calibrate") else None, what in ("sheet", "worksheets"))
        settings = read_settings(path)
        if settings.sides is None:
            typer.echo(f"note: {path} does not say one- or two-sided; the printer's default applies", err=True)
        argv = lp_command(path, settings, printer, copies)
        if dry_run:
            typer.echo(shell_line(argv, path))
            return
        require_lp()
        import shutil

        if shutil.which("lpstat") is not None:
            check_server()
            if printer:
                check_printer(printer)
        if shutil.which("lpoptions") is not None:
            from cardpress.printing.queue import read_queue, refusal

            queue = read_queue(printer)
            reason = refusal(queue, settings, path.name)
            if reason and not force:
                raise CardpressError(Problem(reason, file=str(path)))
            if reason:
                typer.echo(f"note: sent anyway (--force): {reason.split('; --force')[0]}", err=True)
            elif not queue.options:
                typer.echo(f"note: {queue.name} lists no paper sizes or duplex (a raw queue?); "
                           "check it prints two-sided at actual size", err=True)
        typer.echo(send(argv, path) or f"sent {path}")
