"""The `cardpress sheet` command (placeholder until the sheet issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    pass
