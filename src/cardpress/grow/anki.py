"""An Anki package (.apkg) of the deck, one note per card.

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

INSTALL_HINT = "pip install 'cardpress[anki]'"
MODEL_NAME = "cardpress pitch card"
FIELDS = ("Id", "Front", "Back", "Category")

CSS = """\
.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18px; text-align: left;
        color: #111; background: #fff; max-width: 40em; margin: 0 auto; }
.byline { font-size: 15px; color: #555; }
.title { font-size: 26px; font-weight: bold; margin: 0.3em 0 0.5em; }
.category { font-size: 13px; color: #555; text-transform: uppercase; letter-spacing: 0.05em; }
.summary { margin-bottom: 0.8em; }
ol.numbers { padding-left: 1.4em; }
ol.numbers li { margin-bottom: 0.4em; }
.figure { font-weight: bold; }
"""
FRONT_TEMPLATE = "{{Front}}"
BACK_TEMPLATE = "{{Front}}<hr id=answer>{{Back}}"

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


def front_html(card: Card) -> str:
    """As on the printed front: author and year, the title large, the category."""
    e = html.escape
    return (f'<div class="byline">{e(card.author)} {card.year}</div>'
            f'<div class="title">{e(card.title)}</div>'
            f'<div class="category">{e(card.category)}</div>')


def back_html(card: Card) -> str:
    """As on the printed back: the summary, then the three numbers with their figures set bold."""
    e = html.escape
    items = "".join(
        f'<li><span class="figure">{e(n.figure)}</span> {e(n.text)}</li>' if n.figure else f"<li>{e(n.text)}</li>"
        for n in card.numbers
    )
    return f'<div class="summary">{e(card.summary)}</div><ol class="numbers">{items}</ol>'


def _genanki():
    try:
        import genanki
    except ImportError:
        raise CardpressError(Problem("exporting to Anki needs the optional genanki package, which is not installed"),
                             hint=f"Install it with: {INSTALL_HINT}") from None
    return genanki


def build_package(catalog: Catalog):
    """The genanki Package: a parent deck named after the catalog's deck, one subdeck per category."""
    genanki = _genanki()
    model = genanki.Model(
        stable_id(MODEL_NAME), MODEL_NAME,
        fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Pitch card", "qfmt": FRONT_TEMPLATE, "afmt": BACK_TEMPLATE}],
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
            fields=[card.id, front_html(card), back_html(card), html.escape(card.category)],
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


def apkg_bytes(catalog: Catalog, timestamp: float | None = None) -> bytes:
    """The .apkg file's bytes; the same catalog and timestamp give the same bytes."""
    package = build_package(catalog)
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
