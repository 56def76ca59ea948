"""Which reader reads a file: each format's reader, imported only when used (bibtexparser
is not light). Readers build on `sources`; this module picks one of them."""

from __future__ import annotations

from pathlib import Path

from cardpress.grow.sources import Source


def read_source(path: Path, fmt: str) -> Source:
    """The file read by the reader for `fmt` (imported only when used: bibtexparser is not light)."""
    from cardpress.catalog.load import read_text

    if fmt == "apkg":
        from cardpress.grow.apkg_import import read_apkg

        return read_apkg(path)
    # A byte-order mark (Notepad's UTF-8, Excel's CSV) is not content.
    text = read_text(path, f"{fmt} file").removeprefix("\ufeff")
    if fmt == "bibtex":
        from cardpress.grow.bibtex_import import read_bibtex

        return read_bibtex(text, str(path))
    if fmt == "csl-json":
        from cardpress.grow.csl_import import read_csl_json

        return read_csl_json(text, str(path))
    if fmt == "csv":
        from cardpress.grow.csv_import import read_csv

        return read_csv(text, str(path))
    from cardpress.grow.markdown_import import read_markdown

    return read_markdown(text, str(path))
