"""The catalog's shape, written once as data.

The same declarations drive validation (`check`, which collects every problem with the
path of the value that caused it) and `cardpress schema` (`json_schema`), so the editor's
underlining and the loader can never disagree.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
LANG_PATTERN = r"^[a-z]{2,3}([_-][A-Za-z]{2})?$"
YEAR_RANGE = (1900, 2100)
NUMBERS_PER_CARD = 3
DRAFT = "draft"
STATUSES = (DRAFT, "ready")
# A paper's identifiers, bare (no "https://doi.org/" or "arXiv:" prefix): duplicates are
# found by them, so one spelling per identifier.
DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
ARXIV_PATTERN = r"^([0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[A-Z]{2})?/[0-9]{7})(v[0-9]+)?$"
URL_PATTERN = r"^https?://\S+$"


@dataclass(frozen=True)
class Str:
    pattern: str | None = None
    pattern_hint: str | None = None
    # Characters at most: a value that names a file (an id, a layout's output) must leave
    # room in the 255 bytes a file name may have for what goes around it (issue 18, D4).
    max_len: int | None = None
    max_len_why: str = ""


# A file name holds 255 bytes: `build` writes worksheets/<id>.pdf, so an id of 251
# characters of [a-z0-9-] is the longest that builds (issue 18: 252 passed, then failed);
# a layout's output names deck-<output>-fronts.pdf, the longest name around it.
ID_LEN = 255 - len(".pdf")
NAME_LEN = 255 - len("deck-") - len("-fronts.pdf")


@dataclass(frozen=True)
class Int:
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Bool:
    pass


@dataclass(frozen=True)
class Choice:
    """A string from a fixed set (a card's status)."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    item: Any
    exact: int | None = None
    exact_reason: str = ""
    min_items: int | None = None


@dataclass(frozen=True)
class Relaxed:
    """Fields a table may leave out (and lists it may leave short) when `key` is `value`:
    a draft card needs only the paper, not yet its summary and numbers."""

    key: str
    value: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    fields: dict[str, "Field"]
    description: str = ""
    relaxed: Relaxed | None = None


@dataclass(frozen=True)
class StrOrTable:
    """A value that may be a plain string or a table (a card's number)."""

    table: Table


@dataclass(frozen=True)
class Field:
    spec: Any
    required: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


def _f(spec, required=False, description=""):
    return Field(spec, required, description)


TEXT = Str()
TEXT_LIST = ListOf(Str())

NUMBER = StrOrTable(
    Table(
        {
            "figure": _f(TEXT, True, "The leading figure, printed large (\"65M\", \"3.5 days\")."),
            "text": _f(TEXT, True, "The rest of the number: units and context."),
        },
        "One load-bearing number: a figure and its context, or a plain string.",
    )
)

PAPER_PROTOCOL = Table(
    {
        "claim": _f(TEXT, False, "The paper's claim in one sentence."),
        "read": _f(TEXT_LIST, False, "What to read, in priority order."),
        "skip": _f(TEXT_LIST, False, "What to skip."),
        "equation": _f(TEXT, False, "The central equation, as plain text."),
        "equation_note": _f(TEXT, False, "What to know about the equation."),
        "remember": _f(TEXT_LIST, False, "The three things to remember."),
        "followups": _f(TEXT_LIST, False, "Likely follow-up questions."),
        "pitfall": _f(TEXT, False, "The pit-of-failure."),
        "headline": _f(TEXT, False, "The headline figure or table (the facilitator's copy prints it)."),
        "ablation": _f(TEXT, False, "The most important ablation (the facilitator's copy prints it)."),
        "weakness": _f(TEXT, False, "One weakness (the facilitator's copy prints it)."),
    },
    "The 20-minute protocol content for this paper.",
)

PAPER_NOTE = Table(
    {
        "problem": _f(TEXT, False, "The problem the paper solves, in one sentence."),
        "idea": _f(TEXT, False, "The key idea."),
        "result": _f(TEXT, False, "The main result."),
        "limits": _f(TEXT, False, "What does not work, or what the paper leaves out."),
        "discussion": _f(TEXT_LIST, False, "Discussion points; the worksheet asks them as follow-ups."),
        "also": _f(TEXT_LIST, False, "What other sources add to the card (or where they disagree); "
                                     "printed under the card on the revision sheet."),
    },
    "What the reading guides say of this paper: it prefills the paper's worksheet.",
)

CARD = Table(
    {
        "id": _f(Str(SLUG_PATTERN, "lower-case letters, digits and single hyphens, e.g. vaswani-2017-attention",
                     ID_LEN, " (an id names its worksheet's file: choose a shorter one, e.g. vaswani-2017-attention)"),
                 True,
                 "Stable slug id, safe as a file name."),
        "author": _f(TEXT, True, "First author's surname."),
        "year": _f(Int(*YEAR_RANGE), True, "Year of publication."),
        "title": _f(TEXT, True, "The paper's title."),
        "category": _f(TEXT, False, "Category, one of [[categories]] or a new one."),
        "tags": _f(TEXT_LIST, False, "Free tags for --tag."),
        "doi": _f(Str(DOI_PATTERN, "a bare DOI such as \"10.18653/v1/N19-1423\""), False,
                  "The paper's DOI; `add` and `import` refuse a second card with it."),
        "arxiv": _f(Str(ARXIV_PATTERN, "a bare arXiv id such as \"1706.03762\" or \"hep-th/9901001\""), False,
                    "The paper's arXiv id; `add` and `import` refuse a second card with it."),
        "url": _f(Str(URL_PATTERN, "an http:// or https:// address"), False, "Where the paper is read."),
        "summary": _f(TEXT, True, "One sentence: claim + method."),
        "numbers": _f(ListOf(NUMBER, NUMBERS_PER_CARD, "three numbers per card is the deck's rule"), True,
                      "Exactly three load-bearing numbers."),
        "mastered": _f(Bool(), False, "Mastered cards are left out with --skip-mastered."),
        "status": _f(Choice(STATUSES), False,
                     "\"draft\": only id, author, year and title are needed yet; the card gets its worksheet "
                     "but stays off the decks, the sheet, Anki and the drill until the line goes."),
        "protocol": _f(PAPER_PROTOCOL),
        "note": _f(PAPER_NOTE),
    },
    "One pitch card.",
    relaxed=Relaxed("status", DRAFT, ("summary", "numbers")),
)

# The revision sheet's own sections (besides the cards). Each item is named in messages
# by its title (or question), so a mistake is found without counting [[...]] headers.
CONCEPT = Table(
    {
        "title": _f(TEXT, True, "The concept, as a heading."),
        "points": _f(TEXT_LIST, True, "Short revision points."),
        "angle": _f(TEXT, False, "The interview angle: what to say when it comes up."),
        "trap": _f(TEXT, False, "The trap or red flag to avoid."),
    },
    "One concept to revise.",
)

QUESTION = Table(
    {
        "label": _f(TEXT, False, "A short label printed before the question (\"Q1\")."),
        "question": _f(TEXT, True, "The question, as it is asked."),
        "answer": _f(TEXT, True, "The model answer, condensed."),
        "paper": _f(TEXT, False, "The id of the card this is a follow-up on; such questions print under "
                                 "that paper's follow-ups."),
    },
    "A question and its model answer.",
)

TABLE = Table(
    {
        "title": _f(TEXT, True),
        "columns": _f(ListOf(TEXT, min_items=1), True, "Column heads (a table has at least one column)."),
        "rows": _f(ListOf(TEXT_LIST), True, "Rows, each with one cell per column."),
    },
    "A small table.",
)

FURTHER_PAPER = Table(
    {
        "title": _f(TEXT, True, "The paper's title or common name."),
        "year": _f(Int(*YEAR_RANGE), False, "Year, where the source gives it."),
        "idea": _f(TEXT, True, "The key idea, in a line or two."),
        "result": _f(TEXT, False, "The result to remember."),
    },
    "A further paper.",
)

CHECKLIST = Table(
    {
        "title": _f(TEXT, True),
        "intro": _f(TEXT, False),
        "items": _f(ListOf(Table({
            "paper": _f(TEXT, True, "The paper."),
            "why": _f(TEXT, False, "What it stands for."),
        })), True),
    },
    "A checklist of papers to know first.",
)

# Settings a user would otherwise repeat on every command line; a flag, then the matching
# CARDPRESS_* environment variable, wins over them (cardpress.catalog.settings).
DEFAULTS = Table(
    {
        "paper": _f(Choice(("letter", "a4")), False, "Paper for the sheet and the worksheets: letter or a4."),
        "layout": _f(TEXT, False, "Deck layout for deck, calibrate and print: a built-in name "
                                  "(index-3x5, letter-4up, a4-4up, letter-3up) or a layout .toml path."),
        "flip": _f(Choice(("long", "short")), False, "The edge the duplex printer turns the sheet on."),
        "printer": _f(TEXT, False, "The CUPS queue `cardpress print` sends to."),
    },
    "Defaults for the command-line options of the same names.",
)

CATALOG = Table(
    {
        "deck": _f(Table({
            "title": _f(TEXT, True, "The deck's title."),
            "description": _f(TEXT, False),
            "author": _f(TEXT, False, "Written into the PDFs' metadata."),
            "lang": _f(Str(LANG_PATTERN, 'a language code such as "en", "en_GB" or "de"'), False,
                       'The language the text is written in: the revision sheet hyphenates by its rules. '
                       'Default "en".'),
        }), True),
        "categories": _f(ListOf(Table({
            "name": _f(TEXT, True),
            "short": _f(TEXT, False, "A short label printed beside the colour so greyscale prints still differ."),
            "color": _f(Str(COLOR_PATTERN, "a hex colour such as \"#1f5fa8\""), False),
        }))),
        "protocol": _f(Table({
            "intro": _f(TEXT),
            "outcome": _f(TEXT),
            "grading": _f(TEXT_LIST, False, "What interviewers grade."),
            "phases": _f(ListOf(Table({
                "start": _f(Int(0, 600), True, "Start minute."),
                "end": _f(Int(0, 600), True, "End minute."),
                "title": _f(TEXT, True),
                "text": _f(TEXT, True),
            }))),
        })),
        "three_pass": _f(Table({
            "passes": _f(ListOf(Table({
                "name": _f(TEXT, True),
                "time": _f(TEXT, True),
                "text": _f(TEXT, True),
                "outcome": _f(TEXT),
            }))),
            "fields": _f(ListOf(Table({
                "name": _f(TEXT, True),
                "text": _f(TEXT, True),
            }))),
        })),
        "drill": _f(Table({
            "protocol": _f(TEXT_LIST),
            "rounds": _f(TEXT_LIST),
            "customization": _f(TEXT_LIST),
        })),
        "notes": _f(ListOf(Table({
            "title": _f(TEXT, True),
            "items": _f(TEXT_LIST, True),
        }))),
        "concepts": _f(ListOf(CONCEPT), False, "Concepts to revise, in reading order."),
        "questions": _f(ListOf(QUESTION), False, "Questions with their model answers."),
        "tables": _f(ListOf(TABLE), False, "Small comparison tables, set as tables on the sheet."),
        "papers": _f(ListOf(FURTHER_PAPER), False, "Further papers: lighter than a card, no three-numbers rule."),
        "checklist": _f(CHECKLIST),
        "defaults": _f(DEFAULTS, False, DEFAULTS.description),
        "cards": _f(ListOf(CARD), True),
    }
)


# ---------------------------------------------------------------- validation

Issue = tuple[tuple, str]  # (path, message)


def suggest(word: str, options) -> str:
    """' (did you mean `x`?)' for the nearest option, or ''."""
    options = list(options)
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered:
        return f" (did you mean `{lowered[word.lower()]}`?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def field_name(path: tuple) -> str:
    """("numbers", 1, "figure") -> "numbers[1].figure", the way messages name a field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _type_name(value) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true/false",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def check(value, spec, path: tuple = ()) -> list[Issue]:
    """Every way `value` departs from `spec`, each with the path of the offending value."""
    if isinstance(spec, Field):
        spec = spec.spec
    if hasattr(spec, "check_value"):
        # Extension point for other data files (layouts add lengths with units).
        return spec.check_value(value, path)
    if isinstance(spec, Str):
        if not isinstance(value, str):
            return [(path, f"expected a string, got {_type_name(value)}")]
        if not value.strip():
            return [(path, "must not be empty")]
        if spec.max_len is not None and len(value) > spec.max_len:
            return [(path, f"is {len(value)} characters long, more than {spec.max_len}{spec.max_len_why}")]
        if spec.pattern:
            # fullmatch: `$` alone would let "vaswani-2017-attention\n" through.
            if not re.fullmatch(spec.pattern, value):
                return [(path, f"{value!r} is not valid: use {spec.pattern_hint}")]
        return []
    if isinstance(spec, Int):
        if isinstance(value, bool) or not isinstance(value, int):
            return [(path, f"expected an integer, got {_type_name(value)} {value!r}")]
        if (spec.minimum is not None and value < spec.minimum) or (
            spec.maximum is not None and value > spec.maximum
        ):
            return [(path, f"{value} is out of range ({spec.minimum}–{spec.maximum})")]
        return []
    if isinstance(spec, Bool):
        return [] if isinstance(value, bool) else [(path, f"expected true or false, got {_type_name(value)}")]
    if isinstance(spec, Choice):
        if isinstance(value, str) and value in spec.values:
            return []
        shown = f"`{value}`" if isinstance(value, str) else _type_name(value)
        hint = suggest(value, spec.values) if isinstance(value, str) else ""
        return [(path, f"{shown} is not one of: {', '.join(spec.values)}{hint}")]
    if isinstance(spec, StrOrTable):
        if isinstance(value, str):
            return check(value, TEXT, path)
        if isinstance(value, dict):
            return check(value, spec.table, path)
        return [(path, f"expected a string or a table {{ figure = ..., text = ... }}, got {_type_name(value)}")]
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            return [(path, f"expected a list, got {_type_name(value)}")]
        issues: list[Issue] = []
        if spec.exact is not None and len(value) != spec.exact:
            issues.append((path, f"expected exactly {spec.exact} ({spec.exact_reason}), found {len(value)}"))
        if spec.min_items is not None and len(value) < spec.min_items:
            issues.append((path, f"must not be empty (at least {spec.min_items})"))
        for i, item in enumerate(value):
            issues += check(item, spec.item, path + (i,))
        return issues
    if isinstance(spec, Table):
        if not isinstance(value, dict):
            return [(path, f"expected a table, got {_type_name(value)}")]
        issues = []
        loose = spec.relaxed.fields if spec.relaxed and value.get(spec.relaxed.key) == spec.relaxed.value else ()
        for key, f in spec.fields.items():
            if key not in value:
                if f.required and key not in loose:
                    issues.append((path + (key,), "is required but missing"))
            elif key in loose and isinstance(f.spec, ListOf) and f.spec.exact is not None:
                # A draft's list may be short (two numbers so far), never too long.
                issues += check(value[key], ListOf(f.spec.item), path + (key,))
                if isinstance(value[key], list) and len(value[key]) > f.spec.exact:
                    issues.append((path + (key,), f"expected at most {f.spec.exact} "
                                                  f"({f.spec.exact_reason}), found {len(value[key])}"))
            else:
                issues += check(value[key], f, path + (key,))
        for key in value:
            if key not in spec.fields:
                issues.append((path + (key,), f"unknown key `{key}`{suggest(key, spec.fields)}"))
        return issues
    raise TypeError(f"unknown spec {spec!r}")


# ---------------------------------------------------------------- JSON Schema


def _json(spec) -> dict:
    desc = ""
    if isinstance(spec, Field):
        desc, spec = spec.description, spec.spec
    if isinstance(spec, Str):
        out: dict = {"type": "string", "minLength": 1}
        if spec.max_len is not None:
            out["maxLength"] = spec.max_len
        if spec.pattern:
            out["pattern"] = spec.pattern
    elif isinstance(spec, Int):
        out = {"type": "integer"}
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
    elif isinstance(spec, Bool):
        out = {"type": "boolean"}
    elif isinstance(spec, Choice):
        out = {"type": "string", "enum": list(spec.values)}
    elif isinstance(spec, StrOrTable):
        out = {"oneOf": [{"type": "string", "minLength": 1}, _json(spec.table)]}
    elif isinstance(spec, ListOf):
        out = {"type": "array", "items": _json(spec.item)}
        if spec.exact is not None:
            out["minItems"] = out["maxItems"] = spec.exact
        if spec.min_items is not None:
            out["minItems"] = spec.min_items
    elif isinstance(spec, Table):
        out = {
            "type": "object",
            "properties": {k: _json(f) for k, f in spec.fields.items()},
            "required": [k for k, f in spec.fields.items() if f.required],
            "additionalProperties": False,
        }
        if spec.description:
            out["description"] = spec.description
        if spec.relaxed:
            _relax(out, spec)
    else:
        raise TypeError(spec)
    if desc:
        out["description"] = desc
    return out


def _relax(out: dict, spec: Table) -> None:
    """The relaxed fields required (and their lists full) only when `key` is not `value`."""
    r = spec.relaxed
    out["required"] = [k for k in out["required"] if k not in r.fields]
    full: dict = {}
    for key in r.fields:
        prop = out["properties"][key]
        if "minItems" in prop:
            full[key] = {"minItems": prop.pop("minItems")}
    out["if"] = {"properties": {r.key: {"const": r.value}}, "required": [r.key]}
    out["else"] = {"required": [k for k in r.fields if spec.fields[k].required], "properties": full}


def json_schema() -> dict:
    """The catalog as a JSON Schema (draft 2020-12), for editors and `cardpress schema`."""
    schema = _json(CATALOG)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cardpress catalog (cards.toml)",
        **schema,
    }


def schema_text() -> str:
    """The JSON Schema as `cardpress schema` prints it and `cardpress init` writes it."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
