"""Reading cards.toml: parse, validate everything, then build the typed catalog.

Validation collects every problem in one pass (not only the first), each placed by file,
line, card and field, so a person fixing typos runs the command once, not once per typo.
"""

from __future__ import annotations

import difflib
import re
import tomli as tomllib  # TOML 1.1 (tomlkit, which edits in place, reads it too); compiled: 3x tomllib's speed
from pathlib import Path

from cardpress.typeset import fonts
from cardpress.catalog import schema
from cardpress.catalog.formulas import formula_issues
from cardpress.typeset.mathtext import has_math
from cardpress.catalog.locate import LineIndex
from cardpress.catalog.model import (
    Card, Catalog, Category, Checklist, Defaults, ChecklistItem, Concept, Deck, FurtherPaper, Question, TextTable, default_short, fallback_color, Drill, Note, NoteField, Number, PaperNote, PaperProtocol, Pass, Phase,
    ReadingProtocol, ThreePass,
)
from cardpress.errors import CardpressError, Problem

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(path: Path, text: str) -> dict:
    """tomllib with its error turned into a Problem that names the line and column."""
    try:
        # Windows editors (Notepad) may save UTF-8 with a byte-order mark, which tomllib
        # rejects as "Invalid statement"; it is not content, so read past it.
        return tomllib.loads(text.removeprefix("\ufeff"))
    except RecursionError:
        # tomli refuses nesting past 400 levels with a RecursionError, not a decode error.
        raise CardpressError(Problem("TOML nested too deeply: arrays or tables inside one another more than "
                                     "400 levels", file=str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m else None
        if m:
            msg = _TOML_POS.sub(f"(column {m.group(2)})", msg).strip()
        raise CardpressError(Problem(f"TOML syntax error: {msg}", file=str(path), line=line)) from None


# A catalog of 1,000 cards is about 1 MB; a file 16 times that is not a catalog.
READ_LIMIT = 16 * 1024 * 1024


def read_text(path: Path, what: str = "catalog") -> str:
    from cardpress.files.safe import NotRegular, read_regular

    try:
        raw = read_regular(path, READ_LIMIT)
    except NotRegular as exc:
        raise CardpressError(Problem(f"cannot read {what}: it {exc}", file=str(path))) from None
    except FileNotFoundError:
        hint = ("No cards.toml here or in a folder above: `cardpress init` starts one."
                if what == "catalog" else None)
        raise CardpressError(Problem(f"{what} not found", file=str(path)), hint=hint) from None
    except OSError as exc:
        raise CardpressError(Problem(f"cannot read {what}: {exc.strerror}", file=str(path))) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CardpressError(Problem("file is not UTF-8 text", file=str(path), line=line)) from None


def load_catalog(path: str | Path) -> Catalog:
    """Load and fully validate a catalog; raises CardpressError listing every problem."""
    path = Path(path)
    return load_catalog_text(read_text(path), path)


def load_catalog_text(text: str, path: str | Path) -> Catalog:
    """Validate and build a catalog from its text; `path` is only used to name it in messages."""
    path = Path(path)
    data = parse_toml(path, text)
    problems = validate(data, LineIndex(text), str(path))
    if problems:
        raise CardpressError(problems)
    return build(data, path)


def _card_label(data: dict, path: tuple) -> tuple[str | None, tuple]:
    """(card id or '#n', path inside the card) for paths under cards[n]."""
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        cards = data.get("cards")
        card = cards[path[1]] if isinstance(cards, list) and path[1] < len(cards) else None
        cid = card.get("id") if isinstance(card, dict) else None
        label = cid if isinstance(cid, str) and cid.strip() else f"#{path[1] + 1} (no id)"
        if not label.isprintable():
            label = label.encode("unicode_escape").decode("ascii")  # a newline must not split the message
        return label, path[2:]
    return None, path


# Sheet sections whose items a message names by a field of their own, not by position.
_ITEM_NAMES = {"concepts": ("concept", "title"), "questions": ("question", "question"),
               "tables": ("table", "title"), "papers": ("paper", "title")}


def _item_label(data: dict, path: tuple) -> tuple[str | None, tuple]:
    """("concept 'Tokens'", path inside the item) for paths under a sheet section's items."""
    if len(path) >= 2 and path[0] in _ITEM_NAMES and isinstance(path[1], int):
        kind, key = _ITEM_NAMES[path[0]]
        items = data.get(path[0])
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        name = item.get(key) if isinstance(item, dict) else None
        if isinstance(name, str) and name.strip():
            name = name if len(name) <= 40 else name[:39] + "…"
            return f"{kind} #{path[1] + 1} '{name}'", path[2:]
        return f"{kind} #{path[1] + 1}", path[2:]
    return None, path


def validate(data: dict, index: LineIndex, file: str) -> list[Problem]:
    issues = schema.check(data, schema.CATALOG)
    issues += _cross_checks(data)
    issues += _section_checks(data)
    joined = "".join(_texts(data, []))  # every string at once, for the catalog-wide tests
    issues += _coverage(data, joined)
    if has_math(joined):  # else no string has a formula to check
        issues += formula_issues(_strings(data, ()))
    problems = []
    for path, message in issues:
        card, inner = _card_label(data, path)
        item, inner = _item_label(data, inner)
        problems.append(Problem(message, file=file, line=index.line_of(path), card=card, item=item,
                                field=schema.field_name(inner) or None))
    problems.sort(key=lambda p: (p.line or 0))
    return problems


def _cross_checks(data: dict) -> list[schema.Issue]:
    issues: list[schema.Issue] = []
    cards = data.get("cards") if isinstance(data.get("cards"), list) else []
    seen: dict[str, int] = {}
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        cid = card.get("id")
        if isinstance(cid, str):
            if cid in seen:
                issues.append((("cards", i, "id"), f"duplicate id `{cid}` (card #{seen[cid] + 1} has it too)"))
            else:
                seen[cid] = i

    cats = data.get("categories") if isinstance(data.get("categories"), list) else []
    # A category is set as plain text (the sheet's footer and headings, the worksheets):
    # a formula in it would print as raw TeX with a "?" (issue 18, D24).
    named = [(("cards", i, "category"), c.get("category")) for i, c in enumerate(cards) if isinstance(c, dict)]
    named += [(("categories", j, key), c.get(key)) for j, c in enumerate(cats) if isinstance(c, dict)
              for key in ("name", "short")]
    for path, name in named:
        if isinstance(name, str) and has_math(name):
            issues.append((path, "a category is printed as plain text: write it without a formula `\\(…\\)`"))
    declared = [c.get("name") for c in cats if isinstance(c, dict) and isinstance(c.get("name"), str)]
    for j, name in enumerate(declared):
        if name in declared[:j]:
            issues.append((("categories", j, "name"), f"category `{name}` is declared twice"))
    if declared:
        for i, card in enumerate(cards):
            cat = card.get("category") if isinstance(card, dict) else None
            if isinstance(cat, str) and cat not in declared:
                close = difflib.get_close_matches(cat, declared, n=1, cutoff=0.75)
                if close:
                    issues.append((("cards", i, "category"),
                                   f"unknown category `{cat}` (did you mean `{close[0]}`? "
                                   "a new category goes under [[categories]])"))

    deck = data.get("deck") if isinstance(data.get("deck"), dict) else {}
    lang = deck.get("lang")
    if isinstance(lang, str) and re.fullmatch(schema.LANG_PATTERN, lang) and lang != "en":
        import pyphen

        if pyphen.language_fallback(lang.replace("-", "_")) is None:
            known = ", ".join(sorted({k.split("_")[0] for k in pyphen.LANGUAGES}))
            issues.append((("deck", "lang"), f"no hyphenation patterns for language `{lang}` (known: {known})"))

    proto = data.get("protocol") if isinstance(data.get("protocol"), dict) else {}
    phases = proto.get("phases") if isinstance(proto.get("phases"), list) else []
    for j, ph in enumerate(phases):
        if isinstance(ph, dict) and isinstance(ph.get("start"), int) and isinstance(ph.get("end"), int):
            if ph["end"] <= ph["start"]:
                issues.append((("protocol", "phases", j, "end"), "a phase must end after it starts"))
    return issues


def _section_checks(data: dict) -> list[schema.Issue]:
    """Rules across fields of the sheet's own sections."""
    issues: list[schema.Issue] = []
    tables = data.get("tables") if isinstance(data.get("tables"), list) else []
    for t, table in enumerate(tables):
        if not isinstance(table, dict) or not isinstance(table.get("columns"), list):
            continue
        width = len(table["columns"])
        rows = table.get("rows") if isinstance(table.get("rows"), list) else []
        for r, row in enumerate(rows):
            if isinstance(row, list) and len(row) != width:
                issues.append((("tables", t, "rows", r),
                               f"row has {len(row)} cell{'s' if len(row) != 1 else ''}, "
                               f"the table has {width} columns"))
    cards = data.get("cards") if isinstance(data.get("cards"), list) else []
    ids = [c.get("id") for c in cards if isinstance(c, dict) and isinstance(c.get("id"), str)]
    questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    for q, question in enumerate(questions):
        paper = question.get("paper") if isinstance(question, dict) else None
        if isinstance(paper, str) and paper.strip() and paper not in ids:
            issues.append((("questions", q, "paper"),
                           f"no card has the id `{paper}`{schema.suggest(paper, ids)}"))
    papers = data.get("papers") if isinstance(data.get("papers"), list) else []
    seen: dict[str, int] = {}
    for n, paper in enumerate(papers):
        title = paper.get("title") if isinstance(paper, dict) else None
        if isinstance(title, str):
            key = title.strip().lower()
            if key in seen:
                issues.append((("papers", n, "title"), f"paper `{title}` is listed twice "
                                                       f"(paper #{seen[key] + 1} has it too)"))
            else:
                seen[key] = n
    return issues


def _strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def _texts(value, out: list[str]) -> list[str]:
    """Every string in the data, without the paths `_strings` builds (one catalog-wide pass)."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _texts(v, out)
    elif isinstance(value, list):
        for v in value:
            _texts(v, out)
    return out


# Text that prints must be text a reader can see: control characters, bidi marks,
# overrides and isolates (which silently reorder what prints), zero-width characters, the
# soft hyphen (cardpress hyphenates itself), the line and paragraph separators and the
# invisible math operators (U+2061-2064) are refused: "Cat One" and "Cat \u200eOne" must
# not be two categories that look the same (issue 18, D11).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")
# Fields printed on one line (and ids, which are file names): no tab or newline either.
_ONE_LINE_KEYS = {"id", "doi", "arxiv", "url", "author", "title", "category", "tags", "figure", "name", "short", "color", "time", "start", "end"}


def _one_line(path: tuple) -> bool:
    keys = [p for p in path if isinstance(p, str)]
    return not keys or keys[-1] in _ONE_LINE_KEYS or path[:2] == ("deck", "title")


def unseen_chars(text: str, one_line: bool = False) -> dict[str, int]:
    """Each invisible or control character in `text` (once), with its first offset.

    A tab or newline is allowed unless `one_line`. A CR is never text: tomllib turns a
    CRLF file's line breaks into "\n", so a CR in a value was typed as the escape "\r".
    """
    found: dict[str, int] = {}
    for m in _INVISIBLE.finditer(text):
        found.setdefault(m.group(), m.start())
    if one_line:
        for ch in "\t\n":
            if ch in text:
                found.setdefault(ch, text.index(ch))
    return found


def _char_name(ch: str) -> str:
    import unicodedata

    names = {"\t": "tab", "\n": "newline", "\r": "carriage return"}
    return names.get(ch) or unicodedata.name(ch, "control character").lower()


def _coverage(data: dict, joined: str) -> list[schema.Issue]:
    # One set difference over the whole catalog's characters; only a catalog with an
    # uncovered character pays for the per-string search that places it.
    # Invisible characters, tabs and newlines need the per-field check too (tabs and
    # newlines are allowed in some fields only).
    if not set(joined).difference(fonts.covered(), "\n\t") and not _INVISIBLE.search(joined) \
            and "\t" not in joined and "\n" not in joined:
        return []
    issues = []
    for path, text in _strings(data, ()):
        hidden = unseen_chars(text, one_line=_one_line(path))
        if path[-1:] == ("id",) and path[:1] == ("cards",):
            hidden = {}  # the slug rule already refuses anything but letters, digits and hyphens
        for ch, offset in hidden.items():
            where = f"character U+{ord(ch):04X} ({_char_name(ch)}) at character {offset + 1}"
            if ch in "\t\n":
                issues.append((path, f"{where}: this field is printed on one line; use a space"))
            else:
                issues.append((path, f"{where} would not show on paper; delete it"))
        for ch in fonts.missing_chars(text):
            if ch in hidden:
                continue
            issues.append((path, f"character {ch!r} (U+{ord(ch):04X}) is not in the embedded font "
                                 "(DejaVu Sans); replace it or spell it out"))
    return issues


# ---------------------------------------------------------------- building the model


def _tuple(value) -> tuple:
    return tuple(value or ())


def _number(value) -> Number:
    if isinstance(value, str):
        return Number("", value)
    return Number(value["figure"], value["text"])


def _card(d: dict) -> Card:
    proto = d.get("protocol")
    note = d.get("note")
    return Card(
        id=d["id"], author=d["author"], year=d["year"], title=d["title"], summary=d.get("summary", ""),
        numbers=tuple(_number(n) for n in d.get("numbers", ())), status=d.get("status", "ready"),
        category=d.get("category", "Uncategorised"),
        tags=_tuple(d.get("tags")), mastered=d.get("mastered", False),
        doi=d.get("doi"), arxiv=d.get("arxiv"), url=d.get("url"),
        protocol=None if proto is None else PaperProtocol(
            claim=proto.get("claim"), read=_tuple(proto.get("read")), skip=_tuple(proto.get("skip")),
            equation=proto.get("equation"), equation_note=proto.get("equation_note"),
            remember=_tuple(proto.get("remember")), followups=_tuple(proto.get("followups")),
            pitfall=proto.get("pitfall"), headline=proto.get("headline"), ablation=proto.get("ablation"),
            weakness=proto.get("weakness"),
        ),
        note=None if note is None else PaperNote(
            problem=note.get("problem"), idea=note.get("idea"), result=note.get("result"), limits=note.get("limits"),
            discussion=_tuple(note.get("discussion")), also=_tuple(note.get("also")),
        ),
    )


def build(data: dict, path: Path) -> Catalog:
    """Typed catalog from already-validated data."""
    deck = data["deck"]
    proto = data.get("protocol", {})
    tp = data.get("three_pass", {})
    drill = data.get("drill", {})
    declared = tuple(
        Category(c["name"], c.get("short") or default_short(c["name"]), c.get("color") or fallback_color(i))
        for i, c in enumerate(data.get("categories", []))
    )
    return Catalog(
        path=path,
        deck=Deck(deck["title"], deck.get("description"), deck.get("author"), deck.get("lang", "en")),
        cards=tuple(_card(c) for c in data["cards"]),
        categories=declared,
        protocol=ReadingProtocol(
            intro=proto.get("intro"), outcome=proto.get("outcome"), grading=_tuple(proto.get("grading")),
            phases=tuple(Phase(p["start"], p["end"], p["title"], p["text"]) for p in proto.get("phases", [])),
        ),
        three_pass=ThreePass(
            passes=tuple(Pass(p["name"], p["time"], p["text"], p.get("outcome")) for p in tp.get("passes", [])),
            fields=tuple(NoteField(f["name"], f["text"]) for f in tp.get("fields", [])),
        ),
        drill=Drill(_tuple(drill.get("protocol")), _tuple(drill.get("rounds")), _tuple(drill.get("customization"))),
        notes=tuple(Note(n["title"], _tuple(n["items"])) for n in data.get("notes", [])),
        defaults=Defaults(**data.get("defaults", {})),
        **_sheet_sections(data),
    )


def _sheet_sections(data: dict) -> dict:
    checklist = data.get("checklist")
    return dict(
        concepts=tuple(Concept(c["title"], _tuple(c["points"]), c.get("angle"), c.get("trap"))
                       for c in data.get("concepts", [])),
        questions=tuple(Question(q["question"], q["answer"], q.get("label"), q.get("paper"))
                        for q in data.get("questions", [])),
        tables=tuple(TextTable(t["title"], _tuple(t["columns"]), tuple(tuple(r) for r in t["rows"]))
                     for t in data.get("tables", [])),
        papers=tuple(FurtherPaper(p["title"], p["idea"], p.get("year"), p.get("result"))
                     for p in data.get("papers", [])),
        checklist=None if checklist is None else Checklist(
            checklist["title"], tuple(ChecklistItem(i["paper"], i.get("why")) for i in checklist["items"]),
            checklist.get("intro")),
    )
