"""cardpress: printable pitch cards, revision sheets and reading worksheets from one TOML catalog."""

__version__ = "0.1.0"
