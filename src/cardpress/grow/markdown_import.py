"""Reading pitch cards from Markdown notes in the form of the pitch-card document.

    Card 01 — Vaswani 2017, Attention Is All You Need
    Summary. Replaces RNN/CNN encoder-decoder with pure attention; ...
    3 numbers. 1. 65M parameters ... 2. 3.5 days on 8 P100 GPUs ... 3. 28.4 BLEU ...

Headings may carry Markdown marks (`## Card 01 — ...`, `**Card 01 — ...**`) or the
scraped pilcrow (`...¶`); labels may be bold (`**Summary.**`) and end in `.` or `:`;
numbers may be inline or one per line (`1.`, `2)` or `-` bullets). Optional `Category.`
and `Tags.` lines fill those fields. A block that does not parse is reported with its
line number and skipped; the parser never guesses a missing field.

Plain notes are read too: a Markdown heading (`##` or deeper) of the form

    ## Vaswani 2017 — Attention Is All You Need

starts a paper, and labelled paragraphs under it (`Summary:`, `Numbers:` or `3 numbers:`,
`Category:`, `Tags:`, `DOI:`, `arXiv:`, `URL:`) fill it in. Such a paper without its
summary and three numbers comes in as a draft. The report says which of the two forms
the file was read in.
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
_LABEL = re.compile(r"^(?P<label>summary|(?:(?:3|three)\s++)?numbers|category|tags|doi|arxiv|url)\s*+[.:]\s*+"
                    r"(?P<rest>.*)$", re.IGNORECASE)
# A plain heading's author is a name, not a sentence: a few words, no digits
# ("Vaswani", "van der Maaten", "Vaswani et al."); so "## Notes 2024 — plans" is no paper.
_PLAIN_AUTHOR = re.compile(r"^[^\W\d_][^\d,;:()\[\]]{0,60}$")
_PLAIN_HEADING = re.compile(r"^#{2,6}\s")
CARD_FORM = "`Card NN — Author Year, Title` headings"
PLAIN_FORM = "`## Author Year — Title` headings"
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
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    plain: bool = False  # from a plain `## Author Year — Title` heading


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
    ids: dict = field(default_factory=dict)  # "doi", "arxiv", "url" as written
    plain: bool = False


_PARTICLES = frozenset("van von der den de du da di la le".split())
_ET_AL = re.compile(r"\s+et\.?\s+al\.?$")


def plain_author(text: str) -> str | None:
    """The first author's surname in a plain heading ("Ho et al." -> "Ho"), or None when the
    words are not a name: each capitalised but for particles ("van der Maaten"), at most five."""
    name = _ET_AL.sub("", text.strip())
    words = name.split()
    if not words or len(words) > 5 or not _PLAIN_AUTHOR.match(name):
        return None
    if not all(w[:1].isupper() or w in _PARTICLES for w in words) or not words[-1][:1].isupper():
        return None
    return name


def _plain_heading(raw: str, line: str) -> bool:
    """A `## Author Year — Title` heading (not a `Card NN` one, not a bold line)."""
    if not _PLAIN_HEADING.match(raw.lstrip()):
        return False
    m = _AUTHOR_YEAR_TITLE.match(line)
    return bool(m) and plain_author(m.group("author")) is not None


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
        if head or _plain_heading(raw, line):
            current = _Block(lineno, head.group("rest") if head else line, plain=not head)
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
            elif kind in ("doi", "arxiv", "url"):
                current.ids[kind], mode = rest, None
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
        return None, Problem(f"{message}; not imported", file=file, line=line or block.line)

    m = _AUTHOR_YEAR_TITLE.match(block.heading)
    if not m:
        return bad("heading should read `Card NN — Author Year, Title` "
                   f"(got `{block.heading or '(nothing after the dash)'}`)")
    summary = " ".join(" ".join(block.summary or []).split())
    author = plain_author(m.group("author")) if block.plain else m.group("author").strip()
    head = (block.line, author, int(m.group("year")), m.group("title").strip())
    extra = dict(category=block.category, tags=block.tags, doi=block.ids.get("doi"), arxiv=block.ids.get("arxiv"),
                 url=block.ids.get("url"))
    if block.plain:
        # Plain notes may hold only the paper so far: a draft, with what there is.
        numbers = _numbers(block.numbers or [])
        if len(numbers) > 3:
            return bad(f"found {len(numbers)} numbers, a card has at most 3", block.numbers_line)
        return MarkdownCard(*head, summary, numbers, **extra, plain=True), None
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
    return MarkdownCard(*head, summary, numbers, **extra), None


def read_markdown(text: str, file: str):
    """The notes as an import Source, saying which heading form(s) they were written in."""
    from cardpress.grow.sources import Entry, Source

    parsed = parse_markdown(text, file)
    forms = [f for f, used in ((CARD_FORM, any(not c.plain for c in parsed.cards)),
                               (PLAIN_FORM, any(c.plain for c in parsed.cards))) if used]
    entries = [Entry(where=f"line {c.line}", line=c.line, author=c.author, year=c.year, title=c.title,
                     summary=c.summary or None, numbers=c.numbers, category=c.category, tags=c.tags,
                     doi=c.doi, arxiv=c.arxiv, url=c.url) for c in parsed.cards]
    fmt = f"Markdown ({' and '.join(forms)})" if forms else "Markdown"
    return Source(fmt, "block", entries, parsed.problems, parsed.blocks, parsed.title)
