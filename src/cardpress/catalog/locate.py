"""Line numbers for catalog values.

tomllib returns plain dicts with no positions, so a light scan of the source text maps
each table and key to the line it starts on. It only has to be right for the ordinary,
hand-written shapes (headers, `key = value` lines); anything it cannot place falls back
to the enclosing table's line, which is still the right card.
"""

from __future__ import annotations

import re

_AOT = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")

Path = tuple  # of str | int


def _split_dotted(name: str) -> list[str]:
    return [part.strip().strip('"') for part in name.split(".")]


class LineIndex:
    """Maps value paths such as ("cards", 3, "numbers") to 1-based line numbers."""

    def __init__(self, text: str):
        # Scanned on the first lookup: a catalog with no problem never needs a line number.
        self._text = text
        self._scanned: dict[Path, int] | None = None

    @property
    def _lines(self) -> dict[Path, int]:
        if self._scanned is None:
            self._scanned = {}
            self._scan(self._text)
        return self._scanned

    def _scan(self, text: str) -> None:
        lines = self._scanned
        aot_counts: dict[tuple[str, ...], int] = {}
        current: Path = ()
        in_multiline: str | None = None
        for lineno, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            stripped = line.split("#", 1)[0] if '"' not in line and "'" not in line else line
            if m := _AOT.match(stripped):
                names = _split_dotted(m.group(1))
                key = tuple(names)
                aot_counts[key] = aot_counts.get(key, -1) + 1
                current = self._resolve(names, aot_counts)
                lines.setdefault(current, lineno)
                continue
            if m := _TABLE.match(stripped):
                current = self._resolve(_split_dotted(m.group(1)), aot_counts)
                lines.setdefault(current, lineno)
                continue
            if m := _KEY.match(line):
                lines.setdefault(current + (m.group(1).strip('"'),), lineno)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
                    break

    @staticmethod
    def _resolve(names: list[str], aot_counts: dict[tuple[str, ...], int]) -> Path:
        path: list = []
        for i, name in enumerate(names):
            path.append(name)
            prefix = tuple(names[: i + 1])
            if prefix in aot_counts:
                path.append(aot_counts[prefix])
        return tuple(path)

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of its nearest enclosing table or key."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None
