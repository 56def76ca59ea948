"""The `cardpress watch` command: watchfiles' loop around a warm Rebuilder."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from cardpress.options import DEFAULT_CATALOG, DEFAULT_OUT, CatalogOpt, IncludeDraftsOpt, OutOpt, reports_errors


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def result_line(result) -> str:
    """One line per save: what was rebuilt and when each part was on disk, or the error."""
    stamp = time.strftime("%H:%M:%S")
    if result.error is not None:
        problems = result.error.problems
        more = f" (and {len(problems) - 1} more: `cardpress validate` lists them)" if len(problems) > 1 else ""
        return f"{stamp} error, kept the last good PDFs: {problems[0]}{more}"
    if not result.parts:
        return f"{stamp} nothing to rebuild ({_ms(result.seconds)})"
    # "at": since the save was seen, so the decks' figure is what a viewer waits for.
    done = ", ".join(f"{what} ({n}) at {_ms(at)}" for what, n, at in result.parts)
    drafts = f"; {result.drafts_left_out} draft(s) not on the decks" if result.drafts_left_out else ""
    return f"{stamp} rebuilt {done}{drafts}"


def watched(catalog: Path) -> tuple[list[Path], set[Path]]:
    """(folders to watch, files whose saves count): the catalog and every layout file.

    Folders, not files: editors save by writing a new file and renaming it over the old
    one, which a watch on the old file would miss. Not recursive: output/ lives beside the
    catalog and its writes must not wake the loop.
    """
    from cardpress.deck.layout_spec import LAYOUT_DIR

    catalog = catalog.resolve()
    files = {catalog, *(p.resolve() for p in LAYOUT_DIR.glob("*.toml"))}
    # A user's layout files sit beside the catalog (a [defaults] layout path is relative to it).
    files |= {p.resolve() for p in catalog.parent.glob("*.toml") if p != catalog}
    return sorted({catalog.parent, LAYOUT_DIR.resolve()}), files


def deck_jobs() -> int:
    """Processes for the decks after a save: one. Measured with tests/bench_watch.py on 2
    cores: a pool forked per save made the decks land later (median 335 ms) than this
    warm process alone (244 ms, under more load), whose CPU for them is about 95 ms."""
    return 1


def register(app: typer.Typer) -> None:
    @app.command()
    @reports_errors
    def watch(
        catalog: CatalogOpt = DEFAULT_CATALOG,
        out: OutOpt = DEFAULT_OUT,
        include_drafts: IncludeDraftsOpt = False,
    ) -> None:
        """Rebuild what changed whenever the catalog or a layout file is saved, until Ctrl-C.

        Builds everything once, then after each save renders again only the outputs that
        the change touches (a card's edit: the decks, the sheets, its worksheet and the
        combined worksheets), decks first, and prints one line: what was rebuilt and how
        long after the save each part was on disk, or the error. A catalog with errors
        leaves the last good PDFs as they were. Keep a PDF viewer that reloads on change
        (evince, zathura, Skim) open on output/deck-letter.pdf.

        Example: cardpress watch
        """
        from watchfiles import watch as watch_files

        from cardpress.live import warm
        from cardpress.live.rebuild import Rebuilder

        warm.install()
        rebuilder = Rebuilder(catalog, out, include_drafts, jobs=deck_jobs())
        folders, files = watched(Path(catalog))
        # The watcher starts before the first build (its first, empty yield comes once it is
        # listening), so a save made while that build runs is caught, not lost.
        changes = watch_files(*folders, recursive=False, raise_interrupt=False, debounce=400, step=20,
                              yield_on_timeout=True, rust_timeout=1000,
                              watch_filter=lambda change, path: Path(path).resolve() in files)
        try:
            next(changes)
            typer.echo(f"watching {catalog} and the layout files; writing into {out}; Ctrl-C stops")
            typer.echo(result_line(rebuilder.rebuild()))
            for changed in changes:
                if changed:  # an empty set is a timeout: nothing was saved
                    typer.echo(result_line(rebuilder.rebuild()))
        except (KeyboardInterrupt, StopIteration):  # Ctrl-C, even mid-rebuild: its files were all or nothing
            pass
        typer.echo("stopped")
