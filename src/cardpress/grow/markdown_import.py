"""Reading pitch cards from Markdown notes in the form of the pitch-card document.

    Card 01 — Vaswani 2017, Attention Is All You Need
    Summary. Replaces RNN/CNN encoder-decoder with pure attention; ...
    3 numbers. 1. 65M parameters ... 2. 3.5 days on 8 P100 GPUs ... 3. 28.4 BLEU ...

Headings may carry Markdown marks (`## Card 01 — ...`, `**Card 01 — ...**`) or the
scraped pilcrow (`...¶`); labels may be bold (`**Summary.**`) and end in `.` or `:`;
numbers may be inline or one per line (`1.`, `2)` or `-` bullets). Optional `Category.`
and `Tags.` lines fill those fields. A block that does not parse is reported with its
line number and skipped; the parser never guesses a missing field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardpress.errors import Problem

_HEADING_MARKS = re.compile(r"^\s{0,3}#{1,6}\s+")
_BOLD = re.compile(r"\*\*|__")
# Every pattern here must run in time linear in the line (issue 18, D13: a heading with
# 50,000 spaces took 21 s). So whitespace runs are matched possessively (`\s*+`, which
# never gives characters back: the next token is never whitespace, so nothing is lost),
# and a lazily-grown field ends on a non-space (`.*?\S`), so a run of spaces is not
# re-scanned from each of its own positions.
_CARD_HEAD = re.compile(r"^Card\b\s*+(?P<no>\d+)?\s*+[—–:-]++\s*+(?P<rest>.*)$", re.IGNORECASE)
_AUTHOR_YEAR_TITLE = re.compile(r"^(?P<author>.*?\S),?\s++(?P<year>\d{4})\s*+[,:—–-]\s*+(?P<title>\S.*)$")
_LABEL = re.compile(r"^(?P<label>summary|(?:3|three)\s++numbers|category|tags)\s*+[.:]\s*+(?P<rest>.*)$",
                    re.IGNORECASE)
_ITEM = re.compile(r"^\s*+(?:\d++[.)]|[-*+])\s+")
_BULLET = re.compile(r"^\s*+[-*+]\s+")


def _clean(line: str) -> str:
    """A line without Markdown heading marks, bold marks or a trailing pilcrow."""
    line = _HEADING_MARKS.sub("", line.rstrip())
    line = _BOLD.sub("", line).strip()
    return line.removesuffix("¶").rstrip()


def _is_heading(raw: str) -> bool:
    return bool(_HEADING_MARKS.match(raw)) or raw.rstrip().endswith("¶")


@dataclass
class MarkdownCard:
    """One parsed block: the fields as written, and where the block starts."""

    line: int
    author: str
    year: int
    title: str
    summary: str
    numbers: list[str]
    category: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class ParsedNotes:
    cards: list[MarkdownCard]
    problems: list[Problem]  # one per skipped block
    blocks: int  # card headings seen, parsed or not
    title: str | None  # the first heading before any card: a title for a new deck


@dataclass
class _Block:
    line: int
    heading: str
    summary: list[str] | None = None
    numbers: list[str] | None = None
    numbers_line: int = 0
    category: str | None = None
    tags: list[str] = field(default_factory=list)


def _split_numbered(text: str) -> list[str]:
    """'1. a 2. b 3. c' (inline or one per line) -> ['a', 'b', 'c'].

    Markers are looked for in sequence (1, then 2, ...), each after whitespace, so a
    figure such as 'GPT-2.' or '0.5' inside a number is never taken for a marker.
    """
    text = text.strip()
    first = re.match(r"1[.)]\s+", text)
    if not first:
        return [text] if text else []
    starts = [(0, first.end())]
    n = 2
    while m := re.compile(rf"\s{n}[.)]\s+").search(text, starts[-1][1]):
        starts.append((m.start(), m.end()))
        n += 1
    items = []
    for i, (_, body_start) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        items.append(" ".join(text[body_start:end].split()))
    return items


def _numbers(lines: list[str]) -> list[str]:
    if lines and all(_BULLET.match(line) for line in lines if line.strip()):
        return [" ".join(_BULLET.sub("", line).split()) for line in lines if line.strip()]
    return [n for n in _split_numbered("\n".join(lines)) if n]


def parse_markdown(text: str, file: str) -> ParsedNotes:
    blocks: list[_Block] = []
    title = None
    current: _Block | None = None
    mode = None  # which multi-line field the next lines continue: "summary" or "numbers"
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _clean(raw)
        head = _CARD_HEAD.match(line)
        if head:
            current = _Block(lineno, head.group("rest"))
            blocks.append(current)
            mode = None
            continue
        if _is_heading(raw):
            if current is None and title is None and line:
                title = line
            current, mode = None, None  # any other heading ends the card
            continue
        if current is None:
            continue
        if not line:
            if mode == "summary":
                mode = None
            continue
        label = _LABEL.match(line)
        if label:
            kind, rest = label.group("label").lower(), label.group("rest").strip()
            if kind == "summary":
                current.summary, mode = ([rest] if rest else []), "summary"
            elif kind == "category":
                current.category, mode = rest, None
            elif kind == "tags":
                current.tags, mode = [t.strip() for t in rest.split(",") if t.strip()], None
            else:
                current.numbers, current.numbers_line, mode = ([rest] if rest else []), lineno, "numbers"
            continue
        if mode == "summary":
            current.summary.append(line)
        elif mode == "numbers":
            if _ITEM.match(line):
                current.numbers.append(line)
            elif raw[:1] in (" ", "\t") and current.numbers:
                current.numbers[-1] += " " + line  # an indented continuation of the last item
            else:
                mode = None  # prose after the numbers ("→ See ...") is not part of the card
    cards, problems = [], []
    for block in blocks:
        card, problem = _card(block, file)
        if card:
            cards.append(card)
        else:
            problems.append(problem)
    return ParsedNotes(cards, problems, len(blocks), title)


def _card(block: _Block, file: str) -> tuple[MarkdownCard | None, Problem | None]:
    def bad(message: str, line: int | None = None):
        return None, Problem(f"{message}; block skipped", file=file, line=line or block.line)

    m = _AUTHOR_YEAR_TITLE.match(block.heading)
    if not m:
        return bad("heading should read `Card NN — Author Year, Title` "
                   f"(got `{block.heading or '(nothing after the dash)'}`)")
    summary = " ".join(" ".join(block.summary or []).split())
    if block.summary is None:
        return bad("no `Summary.` line")
    if not summary:
        return bad("the `Summary.` line is empty")
    if block.numbers is None:
        return bad("no `3 numbers.` line")
    numbers = _numbers(block.numbers)
    if len(numbers) != 3:
        return bad(f"found {len(numbers)} number{'s' if len(numbers) != 1 else ''}, a card needs exactly 3",
                   block.numbers_line)
    return MarkdownCard(block.line, m.group("author").strip(), int(m.group("year")), m.group("title").strip(),
                        summary, numbers, block.category, block.tags), None
