"""The `cardpress deck` command (placeholder until the deck issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    pass
