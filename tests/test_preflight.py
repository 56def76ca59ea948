"""`validate` is a dry run of `build`; `add` and `import` refuse what `build` would refuse."""

from __future__ import annotations


import pytest
import tomli_w

from conftest import SHIPPED_CATALOG, catalog_data
from reliability_helpers import snapshot

LONG_SUMMARY = "word " * 1000  # 5,000 characters: no 3x5 back holds it at any size
LONG_FOLLOWUP = "a very long question " * 200


def _write(tmp_path, data, name="cards.toml"):
    path = tmp_path / name
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def _built_once(cli, catalog, tmp_path):
    out = tmp_path / "out"
    assert cli("build", "--catalog", SHIPPED_CATALOG, "--out", out).exit_code == 0
    return out


def test_validate_reports_every_overflow_build_would_refuse_in_one_run(cli, tmp_path):
    data = catalog_data(3)
    data["cards"][0]["summary"] = LONG_SUMMARY
    data["cards"][1]["title"] = "Title " * 120
    data["cards"][2]["protocol"] = {"claim": "x", "followups": [LONG_FOLLOWUP]}
    path = _write(tmp_path, data)
    out = _built_once(cli, path, tmp_path)
    before = snapshot(path, out)

    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err = result.stderr
    ids = [c["id"] for c in data["cards"]]
    # card, face, field and how much is over, for each
    assert f"card '{ids[0]}', field 'summary': back face: the text does not fit at the smallest size; needs" in err
    assert f"card '{ids[1]}', field 'title': front face: the text does not fit" in err
    assert f"card '{ids[2]}'" in err and "worksheet:" in err and "pt too tall" in err
    assert "pt more height at 6 pt" in err
    assert f"card '{ids[0]}': is 1.3 columns tall at the 6 pt floor of the revision sheet" in err
    assert "problems found." in err
    assert snapshot(path, out) == before

    # and build does refuse each of them
    built = cli("build", "--catalog", path, "--out", out)
    assert built.exit_code == 1
    assert snapshot(path, out) == before


def test_overflow_points_are_the_needed_height_minus_the_box(cli, tmp_path):
    import re

    data = catalog_data(1)
    data["cards"][0]["summary"] = LONG_SUMMARY
    path = _write(tmp_path, data)
    err = cli("validate", "--catalog", path).stderr
    over, needed, box = map(float, re.search(r"needs ([\d.]+) pt more height at 6 pt \(([\d.]+) pt of text in a "
                                             r"([\d.]+) pt box\)", err).groups())
    assert over == pytest.approx(needed - box, abs=0.11)


def test_validate_accepts_what_build_builds(cli, tmp_path):
    path = _write(tmp_path, catalog_data(5))
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 0, result.output
    assert "OK, 5 cards" in result.stdout
    assert cli("build", "--catalog", path, "--out", tmp_path / "out").exit_code == 0


def test_over_full_sheet_is_a_warning_with_the_sheet_commands_numbers(cli, tmp_path):
    path = _write(tmp_path, catalog_data(400))
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 0, result.output
    sheet = cli("sheet", "--catalog", path, "--out", tmp_path / "out", "--paper", "letter")
    assert sheet.exit_code == 1
    sheet_line = sheet.stderr.splitlines()[0].removeprefix("error: ")
    assert "does not fit on 4 pages" in sheet_line
    warning = next(l for l in result.stderr.splitlines() if "(letter)" in l)
    assert warning.startswith("warning: " + sheet_line)


def test_build_skips_an_over_full_sheet_with_a_warning_and_writes_the_rest(cli, tmp_path):
    path = _write(tmp_path, catalog_data(400))
    out = tmp_path / "out"
    result = cli("build", "--catalog", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert "warning: " in result.stderr and "the revision sheet is left out" in result.stderr
    assert not (out / "revision-sheet-letter.pdf").exists()
    assert (out / "deck-letter.pdf").exists() and (out / "worksheets.pdf").exists()


def test_over_full_estimate_never_exceeds_the_cards_there_are(cli, tmp_path):
    import re

    n = 1500
    path = _write(tmp_path, catalog_data(n))
    err = cli("sheet", "--catalog", path, "--out", tmp_path / "out", "--paper", "letter").stderr
    fewer = int(re.search(r"drop roughly (\d+) cards", err).group(1))
    assert 0 < fewer < n


def test_add_refuses_a_card_that_would_not_fit(cli, shipped_copy, tmp_path):
    before = snapshot(shipped_copy)
    result = cli("add", "--catalog", shipped_copy, "--author", "Long", "--year", "2020", "--title", "Long one",
                 "--summary", LONG_SUMMARY, "--number", "1 | a", "--number", "2 | b", "--number", "3 | c")
    assert result.exit_code == 1
    assert "card 'long-2020-long', field 'summary': back face: the text does not fit at the smallest size" in result.stderr
    assert "Nothing was written." in result.stderr
    assert snapshot(shipped_copy) == before


def test_import_refuses_the_block_that_would_not_fit_and_takes_the_rest(cli, shipped_copy, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(
        "## Card 18 — Bai 2022, Constitutional AI\n**Summary.** Trains a harmless assistant.\n"
        "**3 numbers.** 1. 16 principles. 2. 2 stages. 3. 52B parameters.\n\n"
        f"## Card 19 — Long 2020, Long one\n**Summary.** {LONG_SUMMARY}\n"
        "**3 numbers.** 1. 1 a. 2. 2 b. 3. 3 c.\n", encoding="utf-8")
    before = shipped_copy.read_bytes()
    result = cli("import", notes, "--catalog", shipped_copy)
    assert result.exit_code == 0, result.output
    assert "back face: the text does not fit" in result.stderr and "not imported" in result.stderr
    assert "added 1 card to" in result.stdout
    after = shipped_copy.read_bytes()
    assert after.startswith(before) and b"Long one" not in after

    # only the bad block: exit 1, nothing written
    notes.write_text(f"## Card 19 — Long 2020, Long one\n**Summary.** {LONG_SUMMARY}\n"
                     "**3 numbers.** 1. 1 a. 2. 2 b. 3. 3 c.\n", encoding="utf-8")
    result = cli("import", notes, "--catalog", shipped_copy)
    assert result.exit_code == 1
    assert shipped_copy.read_bytes() == after


def test_validate_on_the_shipped_catalog_is_ok(cli):
    result = cli("validate", "--catalog", SHIPPED_CATALOG)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
