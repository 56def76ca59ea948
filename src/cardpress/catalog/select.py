"""Choosing which cards go into an output: tags, categories, ids, mastered, shuffle."""

from __future__ import annotations

import difflib
import random
import sys
from dataclasses import dataclass

from cardpress.catalog.model import Card, Catalog
from cardpress.errors import CardpressError, Problem


@dataclass(frozen=True)
class Selection:
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    skip_mastered: bool = False
    shuffle: bool = False
    seed: int | None = None

    @property
    def is_everything(self) -> bool:
        return self == Selection()


def _split(values) -> tuple[str, ...]:
    """Options may be repeated or comma-separated: --only a,b --only c."""
    out = []
    for v in values or ():
        out += [p.strip() for p in v.split(",") if p.strip()]
    return tuple(out)


def make_selection(tags=(), categories=(), only=(), skip_mastered=False, shuffle=False, seed=None) -> Selection:
    return Selection(_split(tags), _split(categories), _split(only), skip_mastered, shuffle, seed)


def near(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""


def choose(catalog: Catalog, sel: Selection) -> tuple[Card, ...]:
    """The cards `sel` picks, in catalog order (or shuffled by its seed)."""
    cards = list(catalog.cards)
    file = str(catalog.path)
    problems = []
    if sel.only:
        by_id = {c.id: c for c in cards}
        for cid in sel.only:
            if cid not in by_id:
                problems.append(Problem(f"--only: no card with id `{cid}`{near(cid, by_id)}", file=file))
        wanted = set(sel.only)
        cards = [c for c in cards if c.id in wanted]
    if sel.categories:
        known = {}
        for cat in catalog.category_order():
            known[cat.name.lower()] = cat.name
            known[cat.short.lower()] = cat.name
        names = set()
        for want in sel.categories:
            if want.lower() in known:
                names.add(known[want.lower()])
            else:
                problems.append(Problem(f"--category: no category `{want}`{near(want, [c.name for c in catalog.category_order()])}",
                                        file=file))
        cards = [c for c in cards if c.category in names]
    if sel.tags:
        all_tags = sorted({t for c in catalog.cards for t in c.tags})
        for t in sel.tags:
            if t not in all_tags:
                problems.append(Problem(f"--tag: no card has tag `{t}`{near(t, all_tags)}", file=file))
        wanted = set(sel.tags)
        cards = [c for c in cards if wanted & set(c.tags)]
    if problems:
        raise CardpressError(problems)
    if sel.skip_mastered:
        cards = [c for c in cards if not c.mastered]
    if not catalog.cards:
        raise CardpressError(Problem("the catalog has no cards yet (add one with `cardpress add`)", file=file))
    if not cards:
        raise CardpressError(Problem("no cards are left after the selection options", file=file))
    if sel.shuffle:
        random.Random(sel.seed).shuffle(cards)
    return tuple(cards)


def apply(catalog: Catalog, sel: Selection) -> Catalog:
    return catalog if sel.is_everything else catalog.with_cards(choose(catalog, sel))


def selection_from(tag, category, only, skip_mastered, shuffle, seed) -> Selection:
    for name, values in (("--tag", tag), ("--category", category), ("--only", only)):
        # `--only ""` (an unset shell variable, say) must not quietly mean "every card".
        if values and not any(v.strip(" ,") for v in values):
            raise CardpressError(f"{name} was given an empty value")
    shuffle = shuffle or seed is not None  # a seed only means something for a shuffle
    if shuffle and seed is None:
        # A shuffle must be reproducible: pick a seed and say which, so it can be reused.
        seed = random.SystemRandom().randrange(1_000_000)
        print(f"shuffled with --seed {seed}", file=sys.stderr)
    return make_selection(tag, category, only, skip_mastered, shuffle, seed)
