"""The `add`, `import`, `export` and `schema` commands (placeholder until that issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    pass
