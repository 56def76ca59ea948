"""What a save changed, and rebuilding only that.

Every output group (a deck per layout, a calibration sheet per layout, a revision sheet
per paper, a worksheet per card, the two combined worksheet files) has a fingerprint:
the part of the catalog and settings it is made from, as the catalog's own frozen values.
After a save, the groups whose fingerprint differs from the last written one are
rendered again, decks first (the file a viewer has open while cards are edited), each
group written all or nothing; a group that fails keeps its previous files and its old
fingerprint, so the next save tries it again.

The process stays warm between saves: fonts, the formula cache, parsed layouts and the
imported engines are loaded once, so a one-card change costs its rendering alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardpress.catalog.model import Catalog, Defaults
from cardpress.errors import CardpressError


@dataclass
class Result:
    """One rebuild: what was written, how long each part took, or why nothing was."""

    parts: list[tuple[str, int, float]] = field(default_factory=list)  # (what, files, seconds since start)
    warnings: list[str] = field(default_factory=list)
    error: CardpressError | None = None
    seconds: float = 0.0
    drafts_left_out: int = 0

    @property
    def written(self) -> int:
        return sum(n for _, n, _ in self.parts)


@dataclass(frozen=True)
class Group:
    key: str
    what: str  # how the result line names it: "decks", "sheets", "worksheets"
    fingerprint: object
    render: object  # () -> iterable of Output


def _layout_fingerprint(name: str):
    """A layout by its file's bytes, so a saved layout file counts as a change."""
    from cardpress.deck.layout_spec import resolve

    path = resolve(name)
    return path, path.read_bytes()


class Rebuilder:
    def __init__(self, catalog: Path, out: Path, include_drafts: bool = False, jobs: int = 1):
        self.catalog = Path(catalog)
        self.out = Path(out)
        self.include_drafts = include_drafts
        self.done: dict[str, object] = {}  # group key -> fingerprint last written
        self.owners: dict[str, str] = {}  # relpath this process wrote -> its group's key
        self.jobs = jobs

    def groups(self, cat: Catalog) -> list[Group]:
        from cardpress import deck, sheet, worksheets
        from cardpress.pipeline.defaults import build_settings
        from cardpress.deck.assemble import DeckRequest, deck_pdf
        from cardpress.deck.calibrate import calibration_pdf
        from cardpress.deck.layout_spec import CALIBRATION_LAYOUTS, load_layout

        layouts, flip, paper = build_settings(cat)
        decked = cat if self.include_drafts else cat.ready()
        ready = cat.ready()
        # What every deck shows besides the cards: the deck's title and author, and the
        # categories (an undeclared one's colour depends on the order cards use them).
        deck_common = (decked.cards, tuple(decked.category_order()), cat.deck, flip)
        groups: list[Group] = []
        if decked.cards:
            for name in layouts:
                groups.append(Group(f"deck:{name}", "decks", (deck_common, _layout_fingerprint(name)),
                                    lambda name=name: [deck_pdf(decked, DeckRequest(load_layout(name), flip))]))
        for name in CALIBRATION_LAYOUTS:
            groups.append(Group(f"calibrate:{name}", "calibration sheets", (_layout_fingerprint(name), flip),
                                lambda name=name: [calibration_pdf(load_layout(name), flip)]))
        if ready.cards:
            # The sheet reads everything but the defaults and the drafts.
            sheet_fp = replace(ready, defaults=Defaults(), path=Path())
            for p in sheet.PAPERS:
                groups.append(Group(f"sheet:{p}", "sheets", sheet_fp,
                                    lambda p=p: _sheet_or_skip(ready, p)))
        variant = worksheets.Variant(paper=paper)
        common = (cat.deck, cat.protocol, cat.three_pass, paper)
        order = {c.name: c for c in cat.category_order()}
        fps = {}
        for card in cat.cards:
            fps[card.id] = (card, order[card.category], common)
            groups.append(Group(f"worksheet:{card.id}", "worksheets", fps[card.id],
                                lambda card=card: worksheets.iter_worksheets(cat, variant, (card,), combined=False)))
        everything = (tuple(fps.items()),)
        groups.append(Group("worksheets:combined", "worksheets", everything,
                            lambda: _combined(cat, variant)))
        groups.append(Group("worksheets:answers", "worksheets", everything,
                            lambda: worksheets.iter_worksheets(cat, replace(variant, answers=True), singles=False)))
        return groups

    def rebuild(self) -> Result:
        """Load the catalog; render and write every group whose input changed."""
        from cardpress.catalog import load_catalog
        from cardpress.files.staging import write_outputs

        start = time.perf_counter()
        result = Result()
        try:
            cat = load_catalog(self.catalog)
            groups = self.groups(cat)
        except CardpressError as exc:
            result.error = exc
            result.seconds = time.perf_counter() - start
            return result
        result.drafts_left_out = 0 if self.include_drafts else len(cat.drafts)
        todo = [g for g in groups if self.done.get(g.key, _NEVER) != g.fingerprint]
        # Decks first, then the rest in build's order; one write per kind, so the decks
        # are on disk before the sheets start rendering.
        kinds = list(dict.fromkeys(g.what for g in todo))
        for kind in kinds:
            part = [g for g in todo if g.what == kind]
            try:
                written = write_outputs(self.out, self._outputs(part, self.jobs if kind == "decks" else 1))
            except CardpressError as exc:
                result.error = exc
                break
            for g in part:
                self.done[g.key] = g.fingerprint
            result.parts.append((kind, len(written), time.perf_counter() - start))
        if result.error is None:
            self._forget_removed(cat)
        result.seconds = time.perf_counter() - start
        return result

    def _outputs(self, part: list[Group], jobs: int = 1):
        """The groups' files in order; with `jobs` > 1 rendered in that many processes
        (cardpress.pipeline.parallel: forked from this warm one, so they start warm too)."""
        if jobs > 1 and len(part) > 1:
            from cardpress.files.staging import STAGING
            from cardpress.pipeline.parallel import Unit, stream_units

            units = [Unit(1.0, lambda skipped, g=g: g.render()) for g in part]
            yield from stream_units(units, self.out / STAGING, jobs, [])
            return
        for g in part:
            for o in g.render():
                self.owners[o.relpath] = g.key
                yield o

    def _forget_removed(self, cat: Catalog) -> None:
        """A card removed or renamed since this process wrote its worksheet: that file goes
        (only files this process wrote; never anything else)."""
        ids = {c.id for c in cat.cards}
        for key in [k for k in self.done if k.startswith("worksheet:") and k.split(":", 1)[1] not in ids]:
            del self.done[key]
        for rel, key in sorted(self.owners.items()):
            if key.startswith("worksheet:") and key.split(":", 1)[1] not in ids:
                path = self.out / rel
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                del self.owners[rel]


class _Never:
    pass


_NEVER = _Never()


def _sheet_or_skip(cat: Catalog, paper: str):
    from cardpress import sheet
    from cardpress.errors import OverFull
    from cardpress.options import warn

    try:
        return sheet.build_outputs(cat, (paper,))
    except OverFull as exc:
        warn(f"{exc.problems[0]}; the revision sheet is left out")
        return []


def _combined(cat: Catalog, variant):
    from cardpress import worksheets

    # The combined file alone: the singles are their own groups.
    return worksheets.iter_worksheets(cat, variant, singles=False)
