"""The one exception type users see, and the problem records it carries.

Every engine raises `CardpressError` for bad input; the command line prints its lines
and exits 1 without a traceback. A problem names the file, the line where known, the
card and the field, so a person can go straight to the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    file: str | None = None
    line: int | None = None
    card: str | None = None
    field: str | None = None
    item: str | None = None  # an item of a sheet section: "concept #2 'Tokens'"

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line:
            where += f":{self.line}"
        parts = []
        if self.card:
            parts.append(f"card '{self.card}'")
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field '{self.field}'")
        head = ", ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        return f"{where}: {text}" if where else text


class CardpressError(Exception):
    """Bad input or an impossible request; carries one or more problems."""

    def __init__(self, problems: list[Problem] | Problem | str, *, hint: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.hint = hint
        super().__init__(self.render())

    def __reduce__(self):
        # Whole, problems and hint, when a parallel build's worker hands it to the parent.
        return _rebuilt, (type(self), self.problems, self.hint)

    def render(self) -> str:
        lines = [str(p) for p in self.problems]
        if len(lines) > 1:
            lines.append(f"{len(lines)} problems found.")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class OverFull(CardpressError):
    """More content than the revision sheet's four pages hold: a matter of how many cards
    were chosen, so `validate` and `build` warn instead of refusing the catalog."""


def _rebuilt(cls, problems, hint):
    return cls(problems, hint=hint)
