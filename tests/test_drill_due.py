"""Paper and memory: `deck --due [--within]`, `build --due` and `list`'s due line print and
count exactly the cards the drill history says are due. Expected due dates come from the
fsrs library driven directly; a 3x5 deck has 2 pages (front, back) per card."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from conftest import catalog_data
from drill_days import DAY0, utc  # noqa: F401  (utc is an autouse fixture)
from test_drill_store import fsrs_reference

DAY = 86400
# card index -> grade at DAY0 09:00:10; the rest of the 8 cards were never drilled (due at once)
GRADES = {1: 3, 2: 1, 3: 4, 4: 2, 5: 3}


def card_id(i):
    return f"author{i}-{2000 + i % 25}-paper{i}"


@pytest.fixture
def drilled(make_catalog, monkeypatch, tmp_path):
    from cardpress.drill.store import default_path, open_store

    cat = make_catalog(data=catalog_data(8))
    store = open_store(default_path(cat))
    sid = store.start_session(DAY0, None, 200, 5, 1, str(cat))
    for i, g in GRADES.items():
        store.add_attempt(sid, card_id(i), DAY0 + 10, 10, g)
    store.end_session(sid, DAY0 + 20, False)
    store.close()
    clock = tmp_path / "clock"
    monkeypatch.setenv("CARDPRESS_FAKE_CLOCK", str(clock))

    def at_day(day):
        clock.write_text(repr(DAY0 + day * DAY))
    return cat, at_day


def due_by_rule(today: date, extra_days: int = 0) -> list[str]:
    """New cards, and drilled ones whose library due date is on or before today + extra_days."""
    out = []
    for i in range(1, 9):
        if i not in GRADES or fsrs_reference([(DAY0 + 10, GRADES[i])]).due.date() <= today + timedelta(days=extra_days):
            out.append(card_id(i))
    return out


def pages_and_text(path):
    reader = PdfReader(str(path))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.parametrize("day, within, extra", [(0, None, 0), (1, None, 0), (2, "7d", 6), (1, "2w", 13)])
def test_deck_due_prints_exactly_the_due_cards(cli, drilled, tmp_path, day, within, extra):
    cat, at_day = drilled
    at_day(day)
    today = date(2023, 11, 14) + timedelta(days=day)
    want = due_by_rule(today, extra)
    out = tmp_path / "out"
    args = ["deck", "--due", "-c", cat, "-o", out, "-l", "index-3x5"] + (["--within", within] if within else [])
    res = cli(*args)
    assert res.exit_code == 0, res.output
    assert f"{len(want)} cards" in res.stdout
    pages, text = pages_and_text(out / "deck-3x5.pdf")
    assert pages == 2 * len(want)  # a front and a back per card on 3x5
    for i in range(1, 9):
        assert (f"Paper number {i} on" in text) == (card_id(i) in want)
    assert f"01/{len(want)} " in text  # pairing marks count the printed cards


def test_the_rule_really_leaves_cards_out(drilled):
    # the parametrised days above must not all print everything
    assert len(due_by_rule(date(2023, 11, 14))) == 8 - len(GRADES)
    assert 8 - len(GRADES) < len(due_by_rule(date(2023, 11, 15))) < 8  # the Again is back, the Good not yet


def test_build_due_writes_only_the_due_cards(cli, drilled, tmp_path):
    cat, at_day = drilled
    at_day(1)
    want = due_by_rule(date(2023, 11, 15))
    out = tmp_path / "out"
    res = cli("build", "--due", "-c", cat, "-o", out, "-j", "1")
    assert res.exit_code == 0, res.output
    assert f"from {len(want)} cards" in res.stdout
    assert pages_and_text(out / "deck-3x5.pdf")[0] == 2 * len(want)


def test_due_with_no_history_is_a_message_and_no_pdf(cli, make_catalog, tmp_path):
    cat = make_catalog(3)
    out = tmp_path / "out"
    for args in (["deck", "--due", "-l", "index-3x5"], ["build", "--due"]):
        res = cli(*args, "-c", cat, "-o", out)
        assert res.exit_code == 1
        assert "no drill history yet" in res.stderr and "Traceback" not in res.stderr
        assert not out.exists()


def test_within_needs_due_and_a_number_of_days(cli, drilled, tmp_path):
    cat, at_day = drilled
    at_day(0)
    res = cli("deck", "--within", "7d", "-c", cat, "-o", tmp_path / "o")
    assert res.exit_code == 1 and "--within only means something with --due" in res.stderr
    res = cli("deck", "--due", "--within", "soon", "-c", cat, "-o", tmp_path / "o")
    assert res.exit_code == 1 and "`soon` is not a number of days" in res.stderr
    res = cli("deck", "--due", "--within", "0d", "-c", cat, "-o", tmp_path / "o")
    assert res.exit_code == 1 and "must be 1 day to ten years" in res.stderr


def test_nothing_due_is_a_message_not_an_empty_pdf(cli, drilled, tmp_path):
    cat, at_day = drilled
    at_day(1)
    out = tmp_path / "out"
    res = cli("deck", "--due", "-c", cat, "-o", out, "--only", card_id(1))  # Good: not due on day 1
    assert res.exit_code == 1 and "none of the chosen cards is due today" in res.stderr
    assert not out.exists()


def test_list_says_how_many_are_due_today_and_this_week(cli, drilled):
    cat, at_day = drilled
    at_day(1)
    today = date(2023, 11, 15)
    res = cli("list", "-c", cat)
    assert res.exit_code == 0, res.output
    line = res.stdout.splitlines()[-1]
    n_today, n_week = len(due_by_rule(today)), len(due_by_rule(today, 6))
    assert line == (f"drill: {n_today} due today, {n_week} this week (through 2023-11-21), "
                    f"{8 - len(GRADES)} never drilled")
    assert n_week > n_today


def test_list_without_a_history_has_no_due_line(cli, make_catalog):
    res = cli("list", "-c", make_catalog(2))
    assert res.exit_code == 0 and "drill:" not in res.stdout
