"""Revision sheet: column flow, balancing and the size search as plain numbers (no PDF)."""

from __future__ import annotations

import math

import pytest

from cardpress.sheet.paginate import Attempt, Column, Fragment, Group, TooTall, balance, flow, search_size


def test_items_fill_a_column_then_continue_with_a_cont_heading():
    # head 10, items 30 each, gap 5, capacity 100: 10+30+5+30 = 75, a third item would need 110.
    g = Group(head=10, cont_head=12, items=(30, 30, 30, 30), item_gap=5)
    cols = flow([g], capacity=100, group_gap=8)
    assert [[(f.first, f.end, f.cont) for f in c.fragments] for c in cols] == [[(0, 2, False)], [(2, 4, True)]]
    assert cols[0].fragments[0].height == 10 + 30 + 5 + 30
    assert cols[1].fragments[0].height == 12 + 30 + 5 + 30  # the "(cont.)" heading's own height


def test_a_heading_never_ends_a_column():
    # After the first group 100 - 70 = 30 pt remain: room for gap + heading (8 + 10) but not
    # for its first item (30), so the whole second group starts the next column.
    a = Group(head=10, cont_head=10, items=(60,))
    b = Group(head=10, cont_head=10, items=(30,))
    cols = flow([a, b], capacity=100, group_gap=8)
    assert [[f.group for f in c.fragments] for c in cols] == [[0], [1]]
    assert cols[1].fragments[0].top == 0 and not cols[1].fragments[0].cont


def test_a_three_item_group_is_not_split_two_and_one():
    # After the first group (40), 100 - 40 - 8 = 52 pt remain: room for the heading and two
    # items of the second (10 + 20 + 20 = 50) but not the third, and sending one item along
    # would leave one before the break. So the whole group starts the next column.
    a = Group(head=10, cont_head=10, items=(30,))
    b = Group(head=10, cont_head=10, items=(20, 20, 20))
    cols = flow([a, b], capacity=100, group_gap=8)
    assert [[(f.group, f.first, f.end) for f in c.fragments] for c in cols] == [[(0, 0, 1)], [(1, 0, 3)]]


def test_groups_share_a_column_with_the_gap_between_them():
    a = Group(head=10, cont_head=10, items=(20,))
    b = Group(head=10, cont_head=10, items=(20,), pad_top=2, pad_bottom=3)
    cols = flow([a, b], capacity=100, group_gap=8)
    assert len(cols) == 1
    assert [f.top for f in cols[0].fragments] == [0, 30 + 8]
    assert cols[0].used == 38 + 10 + 2 + 20 + 3


def test_box_padding_is_paid_in_every_fragment():
    g = Group(head=10, cont_head=10, items=(40, 40), pad_top=5, pad_bottom=5, item_gap=4)
    # 10 + 5 + 40 + 4 + 40 + 5 = 104 > 100: the second item goes on, under a repeated heading.
    cols = flow([g], capacity=100, group_gap=0)
    assert [c.fragments[0].height for c in cols] == [60, 60]


def test_an_item_taller_than_a_column_is_reported():
    with pytest.raises(TooTall) as info:
        flow([Group(head=10, cont_head=10, items=(20, 200))], capacity=100, group_gap=0)
    assert (info.value.group, info.value.item) == (0, 1)


def test_balance_spreads_equal_items_evenly():
    g = Group(head=0, cont_head=0, items=(10,) * 6)
    height, cols = balance([g], (0, 0), 3, capacity=100, group_gap=0)
    assert [c.fragments[0].end - c.fragments[0].first for c in cols] == [2, 2, 2]
    assert 20 <= height <= 20.25
    assert max(c.used for c in cols) == 20


def test_balance_starts_mid_group_with_a_cont_heading():
    g = Group(head=5, cont_head=7, items=(10,) * 8)
    _, cols = balance([g], (0, 4), 2, capacity=100, group_gap=0)
    assert all(f.cont for c in cols for f in c.fragments)
    assert sum(f.end - f.first for c in cols for f in c.fragments) == 4


def _attempt(threshold):
    """Fits when size <= threshold: columns used grow as the size grows."""

    def attempt(size):
        n_cols = 12 if size <= threshold else 13
        return Attempt(size, 3, 100.0, tuple(Column((Fragment(0, 0, 1, False, 0, 50),)) for _ in range(n_cols)))

    return attempt


SIZES = [round(6 + 0.25 * i, 2) for i in range(13)]


@pytest.mark.parametrize("threshold", SIZES[:-1])
def test_search_finds_the_largest_fitting_size_in_few_passes(threshold):
    result = search_size(SIZES, _attempt(threshold))
    assert result.chosen.size == threshold
    assert result.passes <= 2 + math.ceil(math.log2(len(SIZES) - 1)) <= 12


def test_short_content_stays_at_the_ceiling_in_one_pass():
    result = search_size(SIZES, _attempt(99))
    assert (result.chosen.size, result.passes) == (9.0, 1)


def test_over_full_content_stops_at_the_floor():
    result = search_size(SIZES, _attempt(5))
    assert result.chosen is None and result.floor.size == 6.0 and result.passes == 2
    # 13 columns of 3 per page, the last half full: (12 + 0.5) / 3 pages.
    assert result.floor.pages == pytest.approx((12 + 0.5) / 3)
