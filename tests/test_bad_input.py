"""Bad input a hurried user gives: exit code 1, no traceback, a message that says where."""

from __future__ import annotations

import os
import stat

import tomli_w
from conftest import catalog_data


def assert_clean_failure(result, *needles: str) -> str:
    """Exit 1 with a message (not an uncaught exception) containing every needle."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    text = result.output
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, text
    return text


def _empty_catalog(tmp_path):
    path = tmp_path / "cards.toml"
    path.write_text('cards = []\n[deck]\ntitle = "Nothing yet"\n', encoding="utf-8")
    return path


def test_sheet_with_a_catalog_of_zero_cards(cli, tmp_path):
    path = _empty_catalog(tmp_path)
    result = cli("sheet", "--catalog", path, "--out", tmp_path / "out")
    assert_clean_failure(result, f"{path}: no cards to print")
    assert not (tmp_path / "out").exists()


def test_worksheets_with_a_catalog_of_zero_cards_writes_no_empty_pdf(cli, tmp_path):
    path = _empty_catalog(tmp_path)
    result = cli("worksheets", "--catalog", path, "--out", tmp_path / "out")
    assert_clean_failure(result, f"{path}: no cards to print")
    assert not (tmp_path / "out" / "worksheets.pdf").exists()


def test_list_with_a_catalog_of_zero_cards_says_the_catalog_is_empty(cli, tmp_path):
    path = _empty_catalog(tmp_path)
    result = cli("list", "--catalog", path)
    text = assert_clean_failure(result, f"{path}: the catalog has no cards yet")
    assert "selection options" not in text


def test_byte_order_mark_is_not_a_syntax_error(cli, make_catalog):
    data = catalog_data(3)
    data["cards"][1]["sumary"] = data["cards"][1].pop("summary")
    path = make_catalog(data=data)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                if text.startswith("sumary"))
    text = assert_clean_failure(cli("validate", "--catalog", path),
                                f"{path}:{line}: card '{data['cards'][1]['id']}', field 'sumary': unknown key")
    assert "TOML syntax error" not in text


def test_worksheet_overflow_names_the_file_and_the_long_title(cli, make_catalog, tmp_path):
    data = catalog_data(2)
    data["cards"][0]["title"] = " ".join(["Supercalifragilistic"] * 60)
    path = make_catalog(data=data)
    result = cli("worksheets", data["cards"][0]["id"], "--catalog", path, "--out", tmp_path / "out")
    assert_clean_failure(result, f"{path}: card '{data['cards'][0]['id']}', field 'title': side 2 of the worksheet")
    assert not (tmp_path / "out").exists()


def test_add_into_a_read_only_catalog_leaves_it_alone(cli, make_catalog):
    path = make_catalog(3)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        result = cli("add", "--catalog", path, "--author", "Bai", "--year", "2022", "--title", "Constitutional AI",
                     "--summary", "Principles instead of labels.", "--number", "16 principles.",
                     "--number", "2 stages.", "--number", "52B parameters.")
        assert_clean_failure(result, f"{path}: cannot write: the catalog is read-only", "nothing was written")
        assert path.read_bytes() == before
        assert not stat.S_IMODE(os.stat(path).st_mode) & 0o222
    finally:
        path.chmod(0o644)


def test_out_pointing_at_a_file(cli, make_catalog, tmp_path):
    path = make_catalog(3)
    blocker = tmp_path / "output"
    blocker.write_bytes(b"not a folder")
    result = cli("sheet", "--catalog", path, "--out", blocker)
    assert_clean_failure(result, f"`{blocker}` is a file, not a folder")
    assert blocker.read_bytes() == b"not a folder"


def test_export_out_under_a_file(cli, make_catalog, tmp_path):
    path = make_catalog(3)
    blocker = tmp_path / "exports"
    blocker.write_bytes(b"")
    result = cli("export", "csv", "--catalog", path, "--out", blocker / "cards.csv")
    assert_clean_failure(result, f"`{blocker}` is a file, not a folder")


def test_sheet_unknown_paper_is_exit_1_like_worksheets(cli, make_catalog, tmp_path):
    path = make_catalog(3)
    result = cli("sheet", "--catalog", path, "--out", tmp_path / "out", "--paper", "legal")
    assert_clean_failure(result, "--paper: unknown paper size `legal`; use one of: letter, a4")
    ok = cli("sheet", "--catalog", path, "--out", tmp_path / "out", "--paper", "A4")
    assert ok.exit_code == 0, ok.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["revision-sheet-a4.pdf"]


def test_import_of_a_markdown_file_with_a_byte_order_mark(cli, make_catalog, tmp_path):
    path = make_catalog(3)
    notes = tmp_path / "notes.md"
    notes.write_bytes("\ufeff## Card 18 — Bai 2022, Constitutional AI\r\n"
                      "**Summary.** Trains a harmless assistant from a list of principles.\r\n"
                      "**3 numbers.** 1. 16 principles. 2. 2 stages. 3. 52B parameters.\r\n".encode("utf-8"))
    result = cli("import", notes, "--catalog", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "no cards found" not in result.output
    assert "bai-2022" in result.output
    # A file with no card heading at all still fails cleanly.
    notes.write_bytes("\ufeff# just a title\r\n".encode("utf-8"))
    assert_clean_failure(cli("import", notes, "--catalog", path), f"{notes}: no cards found")


def test_a_language_with_no_hyphenation_patterns_is_named(cli, tmp_path):
    data = catalog_data(3)
    data["deck"]["lang"] = "xx"
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    text = assert_clean_failure(cli("validate", "--catalog", path), "deck.lang", "no hyphenation patterns for language `xx`")
    data["deck"]["lang"] = "english"
    path.write_bytes(tomli_w.dumps(data).encode())
    assert_clean_failure(cli("validate", "--catalog", path), "a language code")
    assert text


def test_a_known_language_is_accepted(cli, tmp_path):
    data = catalog_data(3)
    data["deck"]["lang"] = "de"
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    assert cli("validate", "--catalog", path).exit_code == 0
