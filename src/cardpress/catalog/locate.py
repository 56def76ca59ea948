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
        """The line of `path`, or of its nearest enclosing table or key; an element of an
        inline array written over several lines (`numbers = [ {...}, {...} ]`) gets its own."""
        full = tuple(path)
        path = full
        while path:
            if path in self._lines:
                line = self._lines[path]
                if len(full) > len(path) and isinstance(full[len(path)], int):
                    return self._element_line(line, full[len(path)]) or line
                return line
            path = path[:-1]
        return None

    def _element_line(self, key_line: int, k: int) -> int | None:
        """The line where element `k` of the inline array whose key is on `key_line` starts."""
        lines = self._text.removeprefix("\ufeff").splitlines()
        depth, count, quote, expect = 0, -1, None, False
        for lineno in range(key_line, len(lines) + 1):
            text = lines[lineno - 1]
            i = text.find("=") + 1 if lineno == key_line else 0
            while i < len(text):
                ch = text[i]
                if quote:
                    if ch == "\\" and quote == '"':
                        i += 2
                        continue
                    if ch == quote:
                        quote = None
                    i += 1
                    continue
                if ch == "#":
                    break
                if depth == 1 and expect and not ch.isspace() and ch not in ",]":
                    count, expect = count + 1, False  # an element starts here
                    if count == k:
                        return lineno
                if ch in "'\"":
                    quote = ch
                elif ch in "[{":
                    depth += 1
                    expect = depth == 1
                elif ch in "]}":
                    depth -= 1
                    if depth == 0:
                        return None
                elif ch == "," and depth == 1:
                    expect = True
                i += 1
        return None
