"""The `cardpress worksheets` command (placeholder until the worksheets issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    pass
