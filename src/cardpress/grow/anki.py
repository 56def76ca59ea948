"""An Anki package (.apkg) of the deck, one note per card.

One note type with a field per part of the card (Title, Author, Year, Category, Summary,
Number1-3, Figure1-3, Protocol), so Anki users can restyle, search and sort by them;
formulas stay `\\(...\\)`, which Anki's MathJax sets. An optional second card asks for the
paper from its summary.

Notes are keyed by a GUID derived from the card id, so after fixing a typo in a card and
re-importing, Anki updates the note and keeps its review history. The note type and the
decks have fixed ids (hashes of fixed names, never random) for the same reason: a second
import lands in the same note type and decks instead of creating copies.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import time
import zipfile

from cardpress.catalog.model import Card, Catalog
from cardpress.errors import CardpressError, Problem
from cardpress.typeset.mathtext import DisplayTex, split_runs

INSTALL_HINT = "pip install 'cardpress[anki]'"
# A new name (and so a new fixed id) for the note type with real fields: Anki keeps a
# note type's fields once imported, so the old four-field "cardpress pitch card" type
# could not be widened in place.
MODEL_NAME = "cardpress paper"
FIELDS = ("Title", "Author", "Year", "Category", "Summary", "Number1", "Number2", "Number3",
          "Figure1", "Figure2", "Figure3", "Protocol", "Reverse")
# "Reverse" is not printed: any text in it makes Anki add the second card (summary -> paper),
# as Anki's own "Basic (optional reversed card)" does with its "Add Reverse" field.
REVERSE_FIELD = "Reverse"

CSS = """\
.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18px; text-align: left;
        color: #111; background: #fff; max-width: 40em; margin: 0 auto; }
.byline { font-size: 15px; color: #555; }
.title { font-size: 26px; font-weight: bold; margin: 0.3em 0 0.5em; }
.category { font-size: 13px; color: #555; text-transform: uppercase; letter-spacing: 0.05em; }
.summary { margin-bottom: 0.8em; }
.prompt { font-size: 15px; color: #555; margin-top: 0.8em; }
ol.numbers { padding-left: 1.4em; }
ol.numbers li { margin-bottom: 0.4em; }
.figure { font-weight: bold; }
.protocol { font-size: 15px; margin-top: 1em; border-top: 1px solid #ccc; padding-top: 0.5em; }
.protocol h4 { margin: 0.6em 0 0.2em; font-size: 14px; text-transform: uppercase; color: #555; }
"""

_PAPER = ('<div class="byline">{{Author}} {{Year}}</div><div class="title">{{Title}}</div>'
          '<div class="category">{{Category}}</div>')
_NUMBER = '<li>{{#Figure%d}}<span class="figure">{{Figure%d}}</span> {{/Figure%d}}{{Number%d}}</li>'
_NUMBERS = "".join("{{#Number%d}}" % i + _NUMBER % (i, i, i, i) + "{{/Number%d}}" % i for i in (1, 2, 3))
_DETAILS = ('<div class="summary">{{Summary}}</div><ol class="numbers">' + _NUMBERS + "</ol>"
            '{{#Protocol}}<div class="protocol">{{Protocol}}</div>{{/Protocol}}')
TEMPLATES = [
    # As the printed card: the paper on the front; the summary, numbers and protocol behind it.
    {"name": "Paper", "qfmt": _PAPER, "afmt": "{{FrontSide}}<hr id=answer>" + _DETAILS},
    # The reverse: from the summary, name the paper. Empty (so not made) unless Reverse is set.
    {"name": "Which paper", "qfmt": "{{#Reverse}}<div class=\"summary\">{{Summary}}</div>"
                                     "<div class=\"prompt\">Which paper?</div>{{/Reverse}}",
     "afmt": "{{FrontSide}}<hr id=answer>" + _PAPER},
]

# Zip entries get this fixed date so the same input and timestamp give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def stable_id(name: str) -> int:
    """A fixed Anki object id from a name: the same name always gives the same id.

    Anki ids are 64-bit signed; keep them well inside the range genanki's own examples use.
    """
    return (1 << 30) + int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % (1 << 30)


def tag_name(text: str) -> str:
    """Anki tags cannot contain spaces: 'Speech & Audio' -> 'Speech_&_Audio'."""
    return "_".join(text.split())


def mathjax_html(text: str | None) -> str:
    r"""Catalog text as an Anki field: HTML-escaped, formulas kept as MathJax `\(...\)`.

    The catalog already marks formulas with `\(...\)`, the delimiters Anki's MathJax reads;
    only the characters HTML would take (`<`, `>`, `&`) are escaped, inside formulas too
    (MathJax reads the text, so `&lt;` is `<` to it). A formula's TeX is mathtext, a subset
    of what MathJax sets.
    """
    if not text:
        return ""
    out = []
    for is_math, run in split_runs(text):
        if is_math:  # display math keeps its \[...\], which MathJax reads too
            a, b = (r"\[", r"\]") if isinstance(run, DisplayTex) else (r"\(", r"\)")
            out.append(a + html.escape(run, quote=False) + b)
        else:
            out.append(html.escape(run, quote=False))
    return "".join(out)


def protocol_html(card: Card) -> str:
    """The paper's 20-minute protocol, one short section per part the catalog gives."""
    p = card.protocol
    if p is None:
        return ""
    m = mathjax_html
    parts = []

    def section(title: str, body: str) -> None:
        parts.append(f"<h4>{title}</h4>{body}")

    def items(values) -> str:
        return "<ul>" + "".join(f"<li>{m(v)}</li>" for v in values) + "</ul>"

    if p.claim:
        section("Claim", f"<div>{m(p.claim)}</div>")
    if p.read:
        section("Read", items(p.read))
    if p.skip:
        section("Skip", items(p.skip))
    if p.equation:
        note = f"<div>{m(p.equation_note)}</div>" if p.equation_note else ""
        section("Equation", f"<div>{m(p.equation)}</div>{note}")
    if p.remember:
        section("Remember", items(p.remember))
    if p.followups:
        section("Follow-ups", items(p.followups))
    if p.pitfall:
        section("Pitfall", f"<div>{m(p.pitfall)}</div>")
    return "".join(parts)


def note_fields(card: Card, reverse: bool = False) -> list[str]:
    """The note's fields in FIELDS order: text as HTML, formulas as MathJax."""
    numbers = list(card.numbers)[:3] + [None] * (3 - len(card.numbers))
    texts = [mathjax_html(n.text) if n else "" for n in numbers]
    figures = [mathjax_html(n.figure) if n else "" for n in numbers]
    return [mathjax_html(card.title), mathjax_html(card.author), str(card.year), mathjax_html(card.category),
            mathjax_html(card.summary), *texts, *figures, protocol_html(card), "y" if reverse else ""]


def _genanki():
    try:
        import genanki
    except ImportError:
        raise CardpressError(Problem("exporting to Anki needs the optional genanki package, which is not installed"),
                             hint=f"Install it with: {INSTALL_HINT}") from None
    return genanki


def build_package(catalog: Catalog, reverse: bool = False):
    """The genanki Package: a parent deck named after the catalog's deck, one subdeck per category.

    With `reverse`, each note also gets the summary -> paper card.
    """
    genanki = _genanki()
    model = genanki.Model(
        stable_id(MODEL_NAME), MODEL_NAME,
        fields=[{"name": f} for f in FIELDS],
        templates=TEMPLATES,
        css=CSS,
        sort_field_index=0,
    )
    decks: dict[str, object] = {}
    for category in catalog.category_order():
        name = f"{catalog.deck.title}::{category.name}"
        decks[category.name] = genanki.Deck(stable_id(f"cardpress deck {name}"), name)
    for card in catalog.cards:
        tags = [tag_name(card.category)] + [tag_name(t) for t in card.tags]
        if card.mastered:
            tags.append("mastered")
        note = genanki.Note(
            model=model,
            fields=note_fields(card, reverse),
            guid=genanki.guid_for(card.id),
            tags=tags,
        )
        decks[card.category].add_note(note)
    return genanki.Package(list(decks.values()))


def export_timestamp() -> float:
    """Notes' modification time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.

    Anki updates an existing note on re-import only when the incoming one is newer, so a
    fixed timestamp would make typo fixes never arrive; reproducibility is opt-in.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return float(int(epoch))
        except ValueError:
            raise CardpressError(Problem(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}")) from None
    return time.time()


def apkg_bytes(catalog: Catalog, timestamp: float | None = None, reverse: bool = False) -> bytes:
    """The .apkg file's bytes; the same catalog and timestamp give the same bytes."""
    package = build_package(catalog, reverse)
    raw = io.BytesIO()
    package.write_to_file(raw, timestamp=export_timestamp() if timestamp is None else timestamp)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    # genanki stamps each zip entry with the temporary database's mtime; re-pack with a
    # fixed date so the only thing that varies between runs is the chosen timestamp.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
