"""Flowing measured sections into columns, and choosing the one type size: pure numbers.

Rules the flow keeps:
- an item (a card, a protocol step) is never split across columns (keep-together), and an
  item marked `keep` stays in the column of the one before it (keep-with-next);
- a heading is only placed if its first items fit under it, so no heading ends a column;
- a group split across columns keeps at least MIN_SPLIT items on each side of the break
  (unless a column could hold no more than one), so no list splits 1 + n or n + 1;
- a section that continues in the next column repeats its heading with "(cont.)", and only
  then;
- the last page's columns are balanced (the shortest column height that still holds it).

The size search finds the largest candidate size that fits, assuming fitting is monotone in
the size. The ceiling is tried first (short content stops there). Its page count then
estimates the answer (content grows about as the size squared), and the search probes
that size and gallops outward from it until the answer is bracketed, then bisects: the
shipped catalog's sheets take 3 to 5 passes where a plain bisection took 8. The floor is
tried first when the estimate is near it, so over-full content still stops after two
passes, with the measure of how much is over. Every pass is a full measure of the
content at one size, so each saved pass is a sheet's worth of line breaking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

EPS = 1e-6
MIN_SPLIT = 2  # a group split across columns keeps at least this many items on each side


@dataclass(frozen=True)
class Group:
    """A section as pagination sees it: heights only."""

    head: float
    cont_head: float
    items: tuple[float, ...]
    pad_top: float = 0.0
    pad_bottom: float = 0.0
    item_gap: float = 0.0
    leads: tuple[float, ...] = ()  # extra space above item k unless it starts a fragment
    keeps: tuple[bool, ...] = ()  # item k stays in the column of item k - 1

    def lead(self, k: int) -> float:
        return self.leads[k] if self.leads else 0.0


@dataclass(frozen=True)
class Fragment:
    """The part of group `group` (items first..end-1) that sits in one column."""

    group: int
    first: int
    end: int
    cont: bool
    top: float  # from the column's top
    height: float


@dataclass(frozen=True)
class Column:
    fragments: tuple[Fragment, ...]

    @property
    def used(self) -> float:
        return self.fragments[-1].top + self.fragments[-1].height if self.fragments else 0.0


class TooTall(Exception):
    """An item that does not fit even in an empty column."""

    def __init__(self, group: int, item: int, need: float, capacity: float):
        super().__init__(f"group {group} item {item} needs {need:.1f} pt of {capacity:.1f}")
        self.group, self.item, self.need, self.capacity = group, item, need, capacity


def flow(groups: list[Group], capacity: float, group_gap: float, start: tuple[int, int] = (0, 0),
         max_columns: int | None = None) -> list[Column]:
    """Fill columns of height `capacity` greedily from `start` (group, item).

    With `max_columns`, stops once that many columns are full (the result then has
    max_columns + 1 columns when content remains, enough to say "it does not fit").
    """
    columns: list[Column] = []
    current: list[Fragment] = []
    used = 0.0
    g, i = start
    while g < len(groups):
        grp = groups[g]
        if not grp.items:
            g, i = g + 1, 0
            continue
        cont = i > 0
        head = grp.cont_head if cont else grp.head
        lead = group_gap if current else 0.0
        need = lead + head + grp.pad_top + grp.items[i] + grp.pad_bottom
        if used + need > capacity + EPS:
            if not current:
                raise TooTall(g, i, need, capacity)
            columns.append(Column(tuple(current)))
            current, used = [], 0.0
            if max_columns is not None and len(columns) > max_columns:
                return columns
            continue
        top = used + lead
        height = head + grp.pad_top + grp.items[i]
        j = i + 1
        while j < len(grp.items) and (top + height + grp.item_gap + grp.lead(j) + grp.items[j] + grp.pad_bottom
                                      <= capacity + EPS):
            height += grp.item_gap + grp.lead(j) + grp.items[j]
            j += 1
        n_items = len(grp.items)
        moved = True
        while moved:
            moved = False
            if j < n_items and grp.keeps and grp.keeps[j] and j - i >= 2:
                # An item kept with the one before (a trap with its concept) takes that one along.
                moved = True
            elif j < n_items and n_items - j < MIN_SPLIT and j - i > MIN_SPLIT:
                # Fewer than two items would go on under a "(cont.)" heading: send the one
                # before them along, so a list never splits with a lone item after the break.
                moved = True
            if moved:
                j -= 1
                height -= grp.item_gap + grp.lead(j) + grp.items[j]
        if j < n_items and (j - i < MIN_SPLIT or n_items - j < MIN_SPLIT) and current:
            # Fewer than two items would stay before the break (a heading over one block at
            # a column's foot), or after it with none to send along (a 3-item group as 2 + 1):
            # the group starts in the next column instead.
            columns.append(Column(tuple(current)))
            current, used = [], 0.0
            if max_columns is not None and len(columns) > max_columns:
                return columns
            continue
        height += grp.pad_bottom
        current.append(Fragment(g, i, j, cont, top, height))
        used = top + height
        if j < len(grp.items):
            columns.append(Column(tuple(current)))
            current, used = [], 0.0
            g, i = g, j
            if max_columns is not None and len(columns) > max_columns:
                return columns
        else:
            g, i = g + 1, 0
    if current:
        columns.append(Column(tuple(current)))
    return columns


def pages_needed(columns: list[Column], per_page: int, capacity: float) -> float:
    """Pages the flow fills, counting the last column's used share as a fraction."""
    if not columns:
        return 0.0
    return (len(columns) - 1 + columns[-1].used / capacity) / per_page


def balance(groups: list[Group], start: tuple[int, int], n_columns: int, capacity: float,
            group_gap: float, tolerance: float = 0.25) -> tuple[float, list[Column]]:
    """The smallest column height (to `tolerance`) holding everything from `start` in n columns."""
    best = flow(groups, capacity, group_gap, start)
    assert len(best) <= n_columns, "balance() needs content that fits at full height"
    lo, hi = 0.0, capacity
    while hi - lo > tolerance:
        mid = (lo + hi) / 2
        try:
            cols = flow(groups, mid, group_gap, start, max_columns=n_columns)
        except TooTall:
            lo = mid
            continue
        if len(cols) <= n_columns:
            hi, best = mid, cols
        else:
            lo = mid
    return hi, best


def page_starts(columns: list[Column], per_page: int) -> list[tuple[int, int]]:
    """(group, item) where each page's content begins."""
    return [(columns[k].fragments[0].group, columns[k].fragments[0].first)
            for k in range(0, len(columns), per_page)]


@dataclass(frozen=True)
class Attempt:
    """One layout pass: the flow at one size."""

    size: float
    columns_per_page: int
    capacity: float
    columns: tuple[Column, ...]
    too_tall: TooTall | None = None

    @property
    def fits(self) -> bool:
        return self.too_tall is None and len(self.columns) <= 4 * self.columns_per_page

    @property
    def pages(self) -> float:
        return pages_needed(list(self.columns), self.columns_per_page, self.capacity)


@dataclass(frozen=True)
class Search:
    chosen: Attempt | None  # None: nothing fits, not even at the floor
    floor: Attempt | None  # the floor's attempt when it was tried
    passes: int


# How content's height grows with the size: each line is taller and holds fewer words, so
# about as the size squared. Fitted from the ceiling to where the sheet fills its pages on
# the shipped catalog and on generated ones (tests/bench_sheet.py's catalogs, Letter and
# A4): 2.04 to 2.17 (a paragraph's last line is a whole line, and above ~7 pt there are
# fewer, wider columns). Only where the search starts depends on it, never its answer.
GROWTH = 2.1
PAGES = 4  # Attempt.fits: the columns of four pages
NEAR_FLOOR = 0.4  # pt: an estimate this close to the floor tries the floor first


def search_size(sizes: list[float], attempt: Callable[[float], Attempt]) -> Search:
    """The largest size whose attempt fits, assuming fitting is monotone in size."""
    passes = 0
    tried: dict[int, Attempt] = {}

    def fits(k: int) -> bool:
        nonlocal passes
        passes += 1
        tried[k] = attempt(sizes[k])
        return tried[k].fits

    last = len(sizes) - 1
    if fits(last) or last == 0:
        top = tried[last]
        return Search(top if top.fits else None, None if top.fits else top, passes)
    lo, hi = -1, last  # sizes[hi] does not fit; sizes[lo] does (-1: none known to)
    start = None  # where the estimate says content fills the pages
    top = tried[last]
    if top.pages > 0:  # 0: an item taller than a column (no flow to count)
        guess = sizes[last] * (PAGES / top.pages) ** (1 / GROWTH)
        start = max(k for k in range(last) if k == 0 or sizes[k] <= guess + EPS)
    if start is None or sizes[start] - sizes[0] < NEAR_FLOOR - EPS:
        if not fits(0):
            return Search(None, tried[0], passes)
        lo = 0
    if start is not None and lo + 1 < hi:
        # Probe the estimate, then step outward from it by 1, 2, 4, ... until a probe
        # lands on the other side: the answer is then bracketed by the last two probes.
        k = min(max(start, lo + 1), hi - 1)
        step = 1
        if fits(k):
            lo = k
            while lo + step < hi:
                if not fits(lo + step):
                    hi = lo + step
                    break
                lo, step = lo + step, step * 2
        else:
            hi = k
            while hi - step > lo:
                if fits(hi - step):
                    lo = hi - step
                    break
                hi, step = hi - step, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    if lo < 0:
        return Search(None, tried[0], passes)
    return Search(tried[lo], tried.get(0), passes)
