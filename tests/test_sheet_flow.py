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


def _attempt(threshold, growth=None, step=0.25):
    """Fits when size <= threshold. Without `growth`, the content takes 12 or 13 columns of 3
    per page whatever the size (a search gets no help from the page count); with it, the
    columns used grow as size ** growth, reaching 12 of the 12 there are halfway between
    the threshold and the next size up (`step` above it)."""

    def attempt(size):
        if growth is None:
            used = 12 if size <= threshold else 13
        else:
            used = 12 * (size / (threshold + step / 2)) ** growth
        full = math.ceil(used)  # the last column holds what is left over
        heights = [50.0] * (full - 1) + [50 * (used - full + 1)]
        return Attempt(size, 3, 50.0, tuple(Column((Fragment(0, 0, 1, False, 0, h),)) for h in heights))

    return attempt


SIZES = [round(6 + 0.25 * i, 2) for i in range(13)]


def _largest_fitting(sizes, attempt):
    """The answer by the rule itself: try every size."""
    return max((s for s in sizes if attempt(s).fits), default=None)


@pytest.mark.parametrize("growth", [None, 1.5, 2.0, 2.5])
@pytest.mark.parametrize("threshold", SIZES[:-1])
def test_search_finds_the_largest_fitting_size(threshold, growth):
    attempt = _attempt(threshold, growth)
    result = search_size(SIZES, attempt)
    assert result.chosen.size == threshold == _largest_fitting(SIZES, attempt)
    # Gallop and bisection: at most two probes per halving, the ceiling and the floor.
    assert result.passes <= 2 + 2 * math.ceil(math.log2(len(SIZES) - 1))


@pytest.mark.parametrize("growth", [2.0, 2.1, 2.2])
def test_content_that_grows_as_the_size_squared_is_found_in_fewer_passes_than_a_bisection(growth):
    sizes = [round(6 + 0.05 * i, 2) for i in range(61)]  # the sheet's own candidates
    for threshold in sizes[:-1]:
        result = search_size(sizes, _attempt(threshold, growth, 0.05))
        assert result.chosen.size == threshold
        # A bisection between the ceiling and the floor takes 2 + log2(60) = 8 passes.
        assert result.passes <= 6, threshold


def test_short_content_stays_at_the_ceiling_in_one_pass():
    result = search_size(SIZES, _attempt(99))
    assert (result.chosen.size, result.passes) == (9.0, 1)


def test_over_full_content_stops_at_the_floor():
    result = search_size(SIZES, _attempt(5.5, 2.0))
    assert result.chosen is None and result.floor.size == 6.0 and result.passes == 2
    # 12 columns at 5.625 pt grow to 12 * (6 / 5.625) ** 2 at the floor, 3 to a page.
    assert result.floor.pages == pytest.approx(12 * (6 / 5.625) ** 2 / 3)


def test_over_full_content_with_no_help_from_the_page_count_still_ends_at_the_floor():
    result = search_size(SIZES, _attempt(5))
    assert result.chosen is None and result.floor.size == 6.0
    # 13 columns of 3 per page, the last one full: 13 / 3 pages.
    assert result.floor.pages == pytest.approx(13 / 3)
