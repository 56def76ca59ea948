"""One test per smaller defect of issue 14: message, exit code, and nothing of the user's lost."""

from __future__ import annotations

import os
import shutil
import tomllib

import pytest
import tomli_w
from typer.testing import CliRunner

from conftest import SHIPPED_CATALOG, catalog_data
from reliability_helpers import snapshot
from cardpress.catalog import load_catalog
from cardpress.grow import command as grow_command

ADD = ["--author", "Zed", "--year", "2021", "--title", "Symlinks", "--summary", "Low-rank updates.",
       "--number", "r = 8 | typical rank.", "--number", "30x | fewer parameters.", "--number", "0 | latency."]


# ---------------------------------------------------------------- unreadable catalog


def test_unreadable_catalog_exits_1_naming_the_file(cli, tmp_path):
    folder = tmp_path / "cards.toml"
    folder.mkdir()  # a folder where the file should be: unreadable for anyone, root included
    for command in ("validate", "build", "list", "sheet"):
        result = cli(command, "--catalog", folder, *(["--out", tmp_path / "out"] if command in ("build", "sheet") else []))
        assert result.exit_code == 1, (command, result.output)
        assert f"{folder}: cannot read catalog" in result.stderr
        assert "Usage:" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_catalog_without_read_permission_exits_1(cli, shipped_copy):
    shipped_copy.chmod(0)
    try:
        result = cli("validate", "--catalog", shipped_copy)
    finally:
        shipped_copy.chmod(0o644)
    assert result.exit_code == 1
    assert f"{shipped_copy}: cannot read catalog: Permission denied" in result.stderr


# ---------------------------------------------------------------- --out ""


@pytest.mark.parametrize("command", ["build", "deck", "sheet", "worksheets", "calibrate"])
def test_empty_out_is_refused(cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SHIPPED_CATALOG, tmp_path / "cards.toml")
    before = snapshot(tmp_path)
    result = cli(command, "--out", "")
    assert result.exit_code == 1
    assert "--out is empty" in result.stderr
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- symlinked catalog


def test_add_through_a_symlinked_catalog_writes_the_real_file(cli, tmp_path):
    real = tmp_path / "real" / "cards.toml"
    real.parent.mkdir()
    shutil.copyfile(SHIPPED_CATALOG, real)
    link = tmp_path / "cards.toml"
    link.symlink_to(real)
    before = real.read_bytes()
    result = cli("add", "--catalog", link, *ADD)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes().startswith(before)
    assert load_catalog(real).cards[-1].title == "Symlinks"


# ---------------------------------------------------------------- whitespace and ' | '


def test_add_keeps_whitespace_exactly(cli, shipped_copy):
    title = "LoRA:  Low-Rank   Adaptation"
    summary = "Freeze the weights,  train   low-rank updates."
    args = ["--author", "Hu", "--year", "2021", "--title", title, "--summary", summary,
            "--number", "r = 8  | typical  rank.", "--number", "plain   number text", "--number", "0 | latency."]
    result = cli("add", "--catalog", shipped_copy, *args)
    assert result.exit_code == 0, result.output
    card = tomllib.loads(shipped_copy.read_text(encoding="utf-8"))["cards"][-1]
    assert card["title"] == title and card["summary"] == summary
    assert card["numbers"][0] == {"figure": "r = 8 ", "text": "typical  rank."}
    full = card["numbers"][1] if isinstance(card["numbers"][1], str) else \
        card["numbers"][1]["figure"] + " " + card["numbers"][1]["text"]
    assert full == "plain   number text"


def test_two_bars_in_a_number_are_refused(cli, shipped_copy):
    before = snapshot(shipped_copy)
    args = ADD[:-6] + ["--number", "N1 a | b | c", "--number", "2 | two", "--number", "3 | three"]
    result = cli("add", "--catalog", shipped_copy, *args)
    assert result.exit_code == 1
    assert "'N1 a | b | c' has ' | ' more than once" in result.stderr
    assert snapshot(shipped_copy) == before


def test_one_bar_round_trips(cli, shipped_copy):
    args = ADD[:-6] + ["--number", "N1 a | b c", "--number", "2 | two", "--number", "3 | three"]
    assert cli("add", "--catalog", shipped_copy, *args).exit_code == 0
    card = load_catalog(shipped_copy).cards[-1]
    assert (card.numbers[0].figure, card.numbers[0].text) == ("N1 a", "b c")


# ---------------------------------------------------------------- CRLF without a final newline


def test_add_to_crlf_catalog_without_final_newline_keeps_crlf(cli, tmp_path):
    path = tmp_path / "cards.toml"
    text = tomli_w.dumps(catalog_data(2)).rstrip("\n").replace("\n", "\r\n")
    path.write_bytes(text.encode())
    before = path.read_bytes()
    assert not before.endswith(b"\n")
    result = cli("add", "--catalog", path, *ADD)
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line ending is CRLF
    assert len(load_catalog(path).cards) == 3


# ---------------------------------------------------------------- long ids


def test_a_250_character_id_builds(cli, make_catalog, tmp_path):
    long_id = "-".join(["abcdefghi"] * 25)[:250].rstrip("-")
    assert len(long_id) >= 245
    data = catalog_data(1)
    data["cards"][0]["id"] = long_id
    path = make_catalog(data=data)
    out = tmp_path / "out"
    result = cli("worksheets", "--catalog", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "worksheets" / f"{long_id}.pdf").exists()
    assert cli("add", "--catalog", path, "--id", long_id[:-10], *ADD).exit_code == 0


# ---------------------------------------------------------------- the build manifest


def test_build_removes_its_own_outputs_it_no_longer_makes_and_nothing_else(cli, make_catalog, tmp_path):
    data = catalog_data(3)
    path = make_catalog(data=data)
    out = tmp_path / "out"
    assert cli("build", "--catalog", path, "--out", out).exit_code == 0
    old_id = data["cards"][0]["id"]
    assert (out / "worksheets" / f"{old_id}.pdf").exists()
    mine = out / "worksheets" / "my-notes.pdf"
    mine.write_bytes(b"the user's own file")
    (out / "deck-a4-fronts.pdf").write_bytes(b"made by `deck --fronts-only`, not by build")

    data["cards"][0]["id"] = "renamed-2001-paper"
    path.write_bytes(tomli_w.dumps(data).encode())
    result = cli("build", "--catalog", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert not (out / "worksheets" / f"{old_id}.pdf").exists()
    assert (out / "worksheets" / "renamed-2001-paper.pdf").exists()
    assert mine.read_bytes() == b"the user's own file"
    assert (out / "deck-a4-fronts.pdf").exists()


def test_a_failed_build_removes_nothing(cli, make_catalog, tmp_path):
    data = catalog_data(3)
    path = make_catalog(data=data)
    out = tmp_path / "out"
    assert cli("build", "--catalog", path, "--out", out).exit_code == 0
    before = snapshot(out)
    data["cards"][0]["id"] = "renamed-2001-paper"
    data["cards"][1]["summary"] = "word " * 1000
    path.write_bytes(tomli_w.dumps(data).encode())
    assert cli("build", "--catalog", path, "--out", out).exit_code == 1
    assert snapshot(out) == before


def test_a_tampered_manifest_cannot_reach_outside_the_output_folder(cli, make_catalog, tmp_path):
    path = make_catalog(3)
    out = tmp_path / "out"
    assert cli("build", "--catalog", path, "--out", out).exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / ".cardpress-build.json").write_text('{"files": ["../victim.txt", "/etc/hostname", ""]}')
    assert cli("build", "--catalog", path, "--out", out).exit_code == 0
    assert victim.read_text() == "keep me"


# ---------------------------------------------------------------- cut marks


def test_layout_without_room_for_cut_marks_warns(cli, tmp_path):
    from cardpress.deck.layout_spec import LAYOUT_DIR

    text = (LAYOUT_DIR / "letter-4up.toml").read_text(encoding="utf-8")
    assert 'cut_length' in text or '[marks]' in text
    layout = tmp_path / "tight.toml"
    layout.write_text(text.replace('name = "letter-4up"', 'name = "tight"'), encoding="utf-8")
    data = tomllib.loads(layout.read_text(encoding="utf-8"))
    data["name"] = "tight"
    # 2 x 5.3 in on an 11 in sheet: 0.2 in left each side, all of it the printer's margin.
    data["card"]["width"] = "5.3in"
    layout.write_bytes(tomli_w.dumps(data).encode())
    out = tmp_path / "out"
    result = cli("deck", "--layout", layout, "--catalog", SHIPPED_CATALOG, "--out", out)
    assert "warning: layout tight: no room for" in result.stderr, result.output
    # 2 x 2 cards without gaps: 3 vertical and 3 horizontal cut lines, a mark at each end of each
    # (12); the 6 at the left and right ends have no room.
    assert "no room for 6 of the 12 cut marks on the fronts" in result.stderr
    assert result.exit_code == 0


# ---------------------------------------------------------------- interactive add


def _interactive(shipped_copy, monkeypatch, answers):
    from cardpress.cli import app

    monkeypatch.setattr(grow_command, "interactive", lambda: True)
    return CliRunner().invoke(app, ["add", "--catalog", str(shipped_copy)], input=answers)


def test_interactive_category_out_of_range_asks_again(shipped_copy, monkeypatch):
    n_categories = len(load_catalog(shipped_copy).category_order())
    answers = "Hu\n2021\nLoRA again\nLow-rank.\n1 one\n2 two\n3 three\n99\n2\n\n"
    result = _interactive(shipped_copy, monkeypatch, answers)
    assert result.exit_code == 0, result.output
    assert f"choose a number from 1 to {n_categories}" in result.output
    card = load_catalog(shipped_copy).cards[-1]
    assert card.category == load_catalog(SHIPPED_CATALOG).category_order()[1].name
    assert "99" not in [c.name for c in load_catalog(shipped_copy).category_order()]


def test_interactive_bad_year_is_refused_at_its_prompt(shipped_copy, monkeypatch):
    answers = "Hu\n1017\n20x1\n2021\nLoRA again\nLow-rank.\n1 one\n2 two\n3 three\n\n\n"
    result = _interactive(shipped_copy, monkeypatch, answers)
    assert result.exit_code == 0, result.output
    assert "1017 is not a year from 1900 to 2100" in result.output
    assert "'20x1' is not a year" in result.output
    assert result.output.count("Title") == 1  # asked once, after the year was right
    assert load_catalog(shipped_copy).cards[-1].year == 2021


# ---------------------------------------------------------------- help, -h, --version, plurals


def _all_commands():
    return ["validate", "list", "build", "deck", "calibrate", "sheet", "worksheets", "add", "import",
            "schema", "export anki", "export csv"]


@pytest.mark.parametrize("command", _all_commands())
def test_help_shows_readable_metavars_and_h_works(cli, command):
    long = cli(*command.split(), "--help")
    short = cli(*command.split(), "-h")
    assert long.exit_code == 0 and short.exit_code == 0
    assert long.stdout == short.stdout
    for python_type in ("<str>", "<int>", "<list", "<path>", "<Path>", "<bool>"):
        assert python_type not in long.stdout, (command, python_type)


def test_add_help_names_the_number_option_plainly(cli):
    assert "--number TEXT" in cli("add", "--help").stdout


def test_version(cli):
    from importlib.metadata import version

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cardpress {version('cardpress')}"


def test_messages_say_one_card_not_one_cards(cli, make_catalog, tmp_path):
    path = make_catalog(1)
    assert "OK, 1 card (" in cli("validate", "--catalog", path).stdout
    result = cli("build", "--catalog", path, "--out", tmp_path / "out")
    assert "from 1 card\n" in result.stdout
    added = cli("add", "--catalog", path, *ADD).stdout
    assert "(2 cards now)" in added
