"""Defaults set once: [defaults] in the catalog, CARDPRESS_* in the environment, and the
flag above both; `print` warns about a PDF older than its catalog."""

from __future__ import annotations

import os
import shutil

import pytest
import tomli_w
from pypdf import PdfReader

from conftest import catalog_data

ENV = ("CARDPRESS_PAPER", "CARDPRESS_LAYOUT", "CARDPRESS_FLIP", "CARDPRESS_PRINTER")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def deck(tmp_path, monkeypatch):
    """A deck folder whose catalog sets every default; the test runs inside it."""
    data = catalog_data(3)
    data["defaults"] = {"paper": "a4", "layout": "a4-4up", "flip": "short", "printer": "office"}
    (tmp_path / "cards.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lp(cli, *args) -> list[str]:
    result = cli("print", *args, "--dry-run")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def duplex(pdf) -> str:
    return str(PdfReader(pdf).trailer["/Root"]["/ViewerPreferences"]["/Duplex"])


def test_catalog_defaults_reach_build_and_print(cli, deck):
    assert cli("build", "--jobs", "1").exit_code == 0
    out = deck / "output"
    assert (out / "worksheets-a4.pdf").is_file() and not (out / "worksheets.pdf").exists()
    assert duplex(out / "deck-a4.pdf") == duplex(out / "deck-letter.pdf") == "/DuplexFlipShortEdge"
    argv = lp(cli, "deck")
    assert argv[-1] == "output/deck-a4.pdf" and argv[argv.index("-d") + 1] == "office"
    assert "sides=two-sided-short-edge" in argv
    assert lp(cli, "worksheets")[-1] == "output/worksheets-a4.pdf"


def test_environment_beats_the_catalog_and_the_flag_beats_both(cli, deck, monkeypatch):
    monkeypatch.setenv("CARDPRESS_FLIP", "long")
    monkeypatch.setenv("CARDPRESS_PAPER", "letter")
    monkeypatch.setenv("CARDPRESS_PRINTER", "hall")
    assert cli("deck", "--layout", "index-3x5").exit_code == 0
    assert duplex(deck / "output" / "deck-3x5.pdf") == "/DuplexFlipLongEdge"
    assert cli("deck", "--layout", "index-3x5", "--flip", "short").exit_code == 0
    assert duplex(deck / "output" / "deck-3x5.pdf") == "/DuplexFlipShortEdge"
    assert cli("worksheets").exit_code == 0
    assert (deck / "output" / "worksheets.pdf").is_file()  # letter, from the environment
    argv = lp(cli, "worksheets", "--printer", "desk")
    assert argv[argv.index("-d") + 1] == "desk"
    argv = lp(cli, "worksheets")
    assert argv[argv.index("-d") + 1] == "hall"


def test_deck_without_layout_uses_the_default_layout_only(cli, deck):
    result = cli("deck")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (deck / "output").iterdir()) == ["deck-a4.pdf"]


def test_sheet_uses_the_default_paper(cli, deck):
    assert cli("sheet").exit_code == 0
    assert sorted(p.name for p in (deck / "output").iterdir()) == ["revision-sheet-a4.pdf"]


def test_a_layout_path_in_defaults_is_relative_to_the_catalog(cli, deck):
    from conftest import REPO

    shutil.copyfile(REPO / "layouts" / "letter-3up.toml", deck / "mine.toml")
    text = (deck / "cards.toml").read_text().replace('layout = "a4-4up"', 'layout = "mine.toml"')
    (deck / "cards.toml").write_text(text)
    sub = deck / "notes" / "week1"
    sub.mkdir(parents=True)
    os.chdir(sub)
    result = cli("deck")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (deck / "output").iterdir()] == ["deck-letter-3up.pdf"]


@pytest.mark.parametrize("table, field", [({"paper": "A5"}, "paper"), ({"flip": "sideways"}, "flip"),
                                          ({"printr": "x"}, "printr")])
def test_a_bad_default_is_named(cli, make_catalog, table, field):
    data = catalog_data(2)
    data["defaults"] = table
    result = cli("validate", "--catalog", make_catalog(data=data))
    assert result.exit_code == 1 and f"field 'defaults.{field}'" in result.stderr


def test_a_bad_environment_value_is_named(cli, deck, monkeypatch):
    monkeypatch.setenv("CARDPRESS_PAPER", "A5")
    result = cli("sheet")
    assert result.exit_code == 1 and "CARDPRESS_PAPER=a5: use one of letter, a4" in result.stderr


def test_print_warns_when_the_pdf_is_older_than_the_catalog(cli, deck):
    assert cli("sheet").exit_code == 0
    pdf = deck / "output" / "revision-sheet-a4.pdf"
    assert "older than" not in cli("print", "sheet", "--dry-run").stderr
    built = pdf.stat().st_mtime
    os.utime(deck / "cards.toml", (built + 5, built + 5))
    result = cli("print", "sheet", "--dry-run")
    assert result.exit_code == 0
    assert f"{os.path.join('output', 'revision-sheet-a4.pdf')} is older than cards.toml" in result.stderr


def test_print_warns_when_the_deck_is_older_than_its_layout_file(cli, deck):
    from conftest import REPO

    shutil.copyfile(REPO / "layouts" / "letter-3up.toml", deck / "mine.toml")
    assert cli("deck", "--layout", "mine.toml").exit_code == 0
    built = (deck / "output" / "deck-letter-3up.pdf").stat().st_mtime
    assert "older than" not in cli("print", "deck", "--layout", "mine.toml", "--dry-run").stderr
    os.utime(deck / "mine.toml", (built + 5, built + 5))
    assert "is older than mine.toml" in cli("print", "deck", "--layout", "mine.toml", "--dry-run").stderr
