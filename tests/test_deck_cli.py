"""`cardpress deck`, `cardpress calibrate` and `cardpress build` from the command line."""

from __future__ import annotations

import io
import math

import pytest
import tomli_w
from pypdf import PdfReader

from conftest import card_data, catalog_data
from cardpress.deck.calibrate import calibration_items
from cardpress.deck.imposition import Imposition
from cardpress.pdf.page import Box, Rule, Text
from cardpress.deck.layout_spec import load_layout

MM = 72 / 25.4


def pdf(path):
    return PdfReader(str(path))


def text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pdf(path).pages)


def test_deck_default_writes_the_three_decks(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    res = cli("deck", "--catalog", make_catalog(5), "--out", out)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["deck-3x5.pdf", "deck-a4.pdf", "deck-letter.pdf"]
    assert len(pdf(out / "deck-3x5.pdf").pages) == 10


def test_layout_by_path_and_halves(cli, make_catalog, tmp_path):
    layout = tmp_path / "my-4x6.toml"
    layout.write_text('name = "my-4x6"\n[sheet]\npaper = "letter"\norientation = "portrait"\n'
                      '[card]\nwidth = "6in"\nheight = "4in"\n[grid]\ncolumns = 1\nrows = 2\n')
    out = tmp_path / "out"
    res = cli("deck", "-c", make_catalog(3), "-o", out, "--layout", layout, "--fronts-only", "--backs-only")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["deck-my-4x6-backs.pdf", "deck-my-4x6-fronts.pdf"]
    assert len(pdf(out / "deck-my-4x6-fronts.pdf").pages) == math.ceil(3 / 2)


def test_selection_options_choose_the_cards(cli, make_catalog, tmp_path):
    data = catalog_data(8)
    data["cards"][0]["mastered"] = True
    cat = make_catalog(data=data)
    out = tmp_path / "out"
    res = cli("deck", "-c", cat, "-o", out, "-l", "index-3x5", "--tag", "group1", "--skip-mastered")
    assert res.exit_code == 0, res.output
    # group1 = cards 1 and 5 (i % 4 == 1); card 1 is mastered
    assert len(pdf(out / "deck-3x5.pdf").pages) == 2
    assert "Paper number 5 on" in text(out / "deck-3x5.pdf") and "01/1" in text(out / "deck-3x5.pdf")
    res = cli("deck", "-c", cat, "-o", out, "-l", "index-3x5", "--only", "author3-2003-paper3,author7-2007-paper7")
    assert len(pdf(out / "deck-3x5.pdf").pages) == 4


def test_shuffle_with_a_seed_is_repeatable(cli, make_catalog, tmp_path):
    cat = make_catalog(12)
    orders = []
    for run in range(2):
        out = tmp_path / f"out{run}"
        assert cli("deck", "-c", cat, "-o", out, "-l", "index-3x5", "--shuffle", "--seed", "3").exit_code == 0
        orders.append([e.title for e in pdf(out / "deck-3x5.pdf").outline])
        assert (out / "deck-3x5.pdf").read_bytes() == (tmp_path / "out0" / "deck-3x5.pdf").read_bytes()
    titles = [t.split(" ", 1)[1] for t in orders[0]]
    assert orders[0] == orders[1] and titles != sorted(titles, key=lambda t: int(t.split()[0][6:]))


def test_flip_and_offset_are_stated_on_the_sheet(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    res = cli("deck", "-c", make_catalog(2), "-o", out, "-l", "letter-4up", "--flip", "short", "--back-offset", "0.5mm,-1mm")
    assert res.exit_code == 0, res.output
    t = text(out / "deck-letter.pdf")
    assert "flip on short edge" in t and "left to right" in t and "backs shifted +0.50 mm, -1.00 mm" in t


@pytest.mark.parametrize("args, message", [
    (("--flip", "sideways"), "--flip must be long or short"),
    (("--back-offset", "1mm"), "--back-offset"),
    (("--layout", "leter-4up"), "did you mean letter-4up"),
])
def test_bad_options_exit_1_with_a_message_and_write_nothing(cli, make_catalog, tmp_path, args, message):
    out = tmp_path / "out"
    res = cli("deck", "-c", make_catalog(2), "-o", out, *args)
    assert res.exit_code == 1 and message in res.stderr and "Traceback" not in res.output
    assert not out.exists()


def test_overflow_stops_build_and_leaves_previous_output(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "deck-letter.pdf").write_bytes(b"previous")
    data = catalog_data(3)
    data["cards"][1] = card_data(2, summary=" ".join(["word"] * 2000))
    res = cli("build", "-c", make_catalog(data=data), "-o", out)
    assert res.exit_code == 1
    assert "card 'author2-2002-paper2'" in res.stderr and "field 'summary'" in res.stderr
    assert "back face" in res.stderr and "pt more height at 6 pt" in res.stderr
    assert [p.name for p in out.iterdir()] == ["deck-letter.pdf"]
    assert (out / "deck-letter.pdf").read_bytes() == b"previous"


def test_build_writes_decks_and_calibration_sheets(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    res = cli("build", "-c", make_catalog(4), "-o", out)
    assert res.exit_code == 0, res.output
    for name in ("deck-3x5.pdf", "deck-letter.pdf", "deck-a4.pdf", "calibrate-letter.pdf", "calibrate-a4.pdf"):
        assert (out / name).is_file()


def test_calibrate_command(cli, tmp_path):
    out = tmp_path / "out"
    res = cli("calibrate", "--layout", "a4-4up", "--out", out)
    assert res.exit_code == 0, res.output
    reader = pdf(out / "calibrate-a4.pdf")
    assert len(reader.pages) == 2
    front, back = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert all(f"FRONT {s}" in front for s in ("A1", "A2", "B1", "B2"))
    assert all(f"back of {s}" in back for s in ("A1", "A2", "B1", "B2"))
    assert "100 mm" in front and "4 in" in front and "--back-offset" in back


@pytest.mark.parametrize("name", ["letter-4up", "a4-4up", "letter-3up", "index-3x5"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_calibration_back_of_each_slot_sits_behind_its_front(name, flip):
    layout = load_layout(name)
    items = calibration_items(layout, flip)
    fronts = [it.rect for it in items["front"] if isinstance(it, Box) and it.dash]
    backs = [it.rect for it in items["back"] if isinstance(it, Box) and it.dash]
    landscape = layout.sheet_w >= layout.sheet_h
    horizontal = landscape == (flip == "long")
    for f, b in zip(fronts, backs):
        mirrored = (b.x, layout.sheet_h - b.top) if horizontal else (layout.sheet_w - b.right, b.y)
        assert mirrored == pytest.approx((f.x, f.y))

    def slot_of_label(side, prefix):
        """label name -> index of the outline holding it."""
        # Slots whose outline would fall in the printer's blank strip (index-3x5) have none.
        imp = Imposition(layout, flip)
        outlines = imp.front_slots if side == "front" else imp.back_slots
        found = {}
        for it in items[side]:
            if isinstance(it, Text) and (words := " ".join(ln.text for ln in it.lines)).startswith(prefix):
                x, y = it.lines[0].x, it.lines[0].baseline
                found[words[len(prefix):]] = next(i for i, r in enumerate(outlines)
                                                  if r.x <= x <= r.right and r.y <= y <= r.top)
        return found

    front, back = slot_of_label("front", "FRONT "), slot_of_label("back", "back of ")
    assert len(front) == layout.per_sheet and front == back


def test_calibration_bars_are_exactly_100_mm_and_4_in():
    items = calibration_items(load_layout("letter-4up"))["front"]
    horizontal = sorted(round(r.x2 - r.x1, 6) for r in items if isinstance(r, Rule) and r.y1 == r.y2)
    assert round(100 * MM, 6) in horizontal and 4 * 72.0 in horizontal


def test_help_explains_with_an_example(cli):
    for cmd in ("deck", "calibrate"):
        res = cli(cmd, "--help")
        assert res.exit_code == 0 and "Example: cardpress " + cmd in res.stdout


def test_overflow_message_names_the_catalog_file(cli, make_catalog, tmp_path):
    data = catalog_data(2)
    data["cards"][0] = card_data(1, title=" ".join(["Enormous"] * 400))
    path = make_catalog(data=data)
    res = cli("deck", "-c", path, "-o", tmp_path / "out")
    assert res.exit_code == 1
    assert f"{path}: card 'author1-2001-paper1', field 'title'" in res.stderr


def test_back_offset_beyond_misregistration_is_refused(cli, make_catalog, tmp_path):
    res = cli("deck", "-c", make_catalog(2), "-o", tmp_path / "out", "--back-offset", "5in,0mm")
    assert res.exit_code == 1 and "more than 10 mm" in res.stderr
    assert not (tmp_path / "out").exists()


def test_flip_is_case_insensitive(cli, make_catalog, tmp_path):
    res = cli("deck", "-c", make_catalog(2), "-o", tmp_path / "out", "--flip", "LONG", "--layout", "letter-4up")
    assert res.exit_code == 0, res.stderr
