"""Catalog discovery: ./cards.toml, then each parent folder, as git finds its repository."""

from __future__ import annotations

import shutil

from conftest import SHIPPED_CATALOG


def deck_with_subfolders(tmp_path):
    shutil.copyfile(SHIPPED_CATALOG, tmp_path / "cards.toml")
    deep = tmp_path / "notes" / "week1"
    deep.mkdir(parents=True)
    return deep


def test_found_from_a_subfolder_two_levels_down_and_named(cli, tmp_path, monkeypatch):
    deep = deck_with_subfolders(tmp_path)
    monkeypatch.chdir(deep)
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert "using ../../cards.toml" in result.stderr
    assert "17 cards" in result.stdout


def test_output_goes_beside_the_found_catalog(cli, tmp_path, monkeypatch):
    deep = deck_with_subfolders(tmp_path)
    monkeypatch.chdir(deep)
    result = cli("sheet", "--paper", "a4")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "revision-sheet-a4.pdf").is_file()
    assert list(deep.iterdir()) == []  # nothing written in the subfolder


def test_here_is_silent(cli, tmp_path, monkeypatch):
    deck_with_subfolders(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("validate")
    assert result.exit_code == 0 and result.stderr == ""


def test_the_nearest_catalog_wins(cli, tmp_path, monkeypatch, make_catalog):
    deep = deck_with_subfolders(tmp_path)
    make_catalog(2, name="notes/cards.toml")
    monkeypatch.chdir(deep)
    result = cli("validate")
    assert "using ../cards.toml" in result.stderr and "2 cards" in result.stdout


def test_catalog_flag_still_wins(cli, tmp_path, monkeypatch, make_catalog):
    deep = deck_with_subfolders(tmp_path)
    mine = make_catalog(3, name="mine.toml")
    monkeypatch.chdir(deep)
    result = cli("validate", "--catalog", mine)
    assert result.exit_code == 0 and "3 cards" in result.stdout and "using" not in result.stderr


def test_none_anywhere_says_how_to_start(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("build")
    assert result.exit_code == 1
    assert "cards.toml: catalog not found" in result.stderr and "cardpress init" in result.stderr
    assert not (tmp_path / "output").exists()
