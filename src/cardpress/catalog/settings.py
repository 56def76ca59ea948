"""Defaults a user sets once: paper, layout, flip edge and printer.

Each is taken from the first of: the command's flag, the environment (CARDPRESS_PAPER,
CARDPRESS_LAYOUT, CARDPRESS_FLIP, CARDPRESS_PRINTER), the catalog's [defaults] table,
cardpress's own default. One place decides, so `deck`, `build` and `print` agree on which
file is meant.
"""

from __future__ import annotations

import os
from pathlib import Path

from cardpress.catalog.model import Defaults
from cardpress.errors import CardpressError, Problem

NAMES = ("paper", "layout", "flip", "printer")
CHOICES = {"paper": ("letter", "a4"), "flip": ("long", "short")}


def env_name(name: str) -> str:
    return f"CARDPRESS_{name.upper()}"


def from_env(name: str) -> str | None:
    value = os.environ.get(env_name(name), "").strip()
    if not value:
        return None  # unset or empty: an empty variable means "not set", not an empty value
    choices = CHOICES.get(name)
    if choices:
        value = value.lower()
        if value not in choices:
            raise CardpressError(Problem(f"{env_name(name)}={value}: use one of {', '.join(choices)}"))
    return value


def catalog_layout(value: str | None, catalog: Path | None) -> str | None:
    """A layout path in [defaults] is relative to the catalog's folder, not the current one."""
    if value is None or catalog is None:
        return value
    if value.endswith(".toml") or "/" in value or "\\" in value:
        path = Path(value)
        if not path.is_absolute():
            return str(Path(catalog).parent / path)
    return value


def pick(name: str, flag, defaults: Defaults | None, catalog: Path | None = None):
    """The value for option `name`: the flag, else the environment, else [defaults], else None."""
    if flag is not None:
        return flag
    env = from_env(name)
    if env is not None:
        return env
    value = getattr(defaults, name) if defaults is not None else None
    return catalog_layout(value, catalog) if name == "layout" else value


def read_defaults(catalog: Path) -> Defaults:
    """The [defaults] table alone, for commands that do not read the cards (calibrate,
    print): a mistake elsewhere in the catalog must not stop them; one in [defaults] does."""
    from cardpress.catalog import schema
    from cardpress.catalog.load import parse_toml, read_text
    from cardpress.catalog.locate import LineIndex

    if not Path(catalog).is_file():
        return Defaults()
    text = read_text(Path(catalog))
    table = parse_toml(Path(catalog), text).get("defaults")
    if table is None:
        return Defaults()
    issues = schema.check(table, schema.DEFAULTS, ("defaults",))
    if issues:
        index = LineIndex(text)
        raise CardpressError([Problem(msg, file=str(catalog), line=index.line_of(path),
                                      field=schema.field_name(path))
                              for path, msg in issues])
    return Defaults(**table)
