"""Issue 18: every limit checked where the input enters, with a clear message (D4, D5/D7/D8,
D11, D15, D17, D18, D24, D25, D26, D27, D29, D31). Expected values come from the rules: a
file name has at most 255 bytes; what validate accepts must build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from conftest import REPO, card_data, catalog_data
from cardpress.errors import CardpressError

LAYOUT_3X5 = (REPO / "layouts" / "index-3x5.toml").read_text(encoding="utf-8")


def _catalog(tmp_path, **card) -> Path:
    data = catalog_data(1)
    data["cards"][0].update(card)
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def _refused(cli, *args) -> str:
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.output


# ---------------------------------------------------------------------------- D4


@pytest.mark.parametrize("length", [252, 300])
def test_d4_an_id_too_long_for_a_file_name_is_refused_by_validate(cli, tmp_path, length):
    cid = ("a" * (length - 5)) + "-2020"
    assert len(f"worksheets/{cid}.pdf".split("/")[-1].encode()) > 255  # would not fit a file name
    out = _refused(cli, "validate", "--catalog", _catalog(tmp_path, id=cid))
    assert "field 'id'" in out and f"{length} characters long" in out


def test_d4_add_refuses_a_long_id(cli, tmp_path):
    catalog = _catalog(tmp_path)
    before = catalog.read_bytes()
    out = _refused(cli, "add", "--catalog", catalog, "--id", "b" * 252, "--author", "B", "--year", "2020",
                   "--title", "T", "--summary", "S.", "--number", "1 | one", "--number", "2 | two",
                   "--number", "3 | three")
    assert "characters long" in out
    assert catalog.read_bytes() == before


def test_d4_the_longest_id_validate_accepts_builds(cli, tmp_path):
    from cardpress.catalog.schema import ID_LEN

    assert ID_LEN == 251  # worksheets/<id>.pdf: 251 + 4 bytes
    cid = "a" * (ID_LEN - 5) + "-2020"
    catalog = _catalog(tmp_path, id=cid)
    assert cli("validate", "--catalog", catalog).exit_code == 0
    result = cli("build", "--catalog", catalog, "--out", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "worksheets" / f"{cid}.pdf").is_file()


def test_d4_a_300_character_layout_output_is_refused(tmp_path):
    from cardpress.deck.layout_spec import load_layout_text

    text = LAYOUT_3X5.replace('output = "3x5"', f'output = "{"o" * 300}"')
    with pytest.raises(CardpressError, match="300 characters long"):
        load_layout_text(text, tmp_path / "long.toml")


def test_d4_a_build_whose_file_name_is_too_long_changes_nothing(tmp_path):
    from cardpress.files.output import Output
    from cardpress.files.staging import write_outputs

    out = tmp_path / "out"
    write_outputs(out, [Output("a.pdf", b"old")])
    with pytest.raises(CardpressError, match="more than the 255"):
        write_outputs(out, [Output("a.pdf", b"new"), Output("worksheets/" + "x" * 252 + ".pdf", b"x")])
    assert (out / "a.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf"]


# ---------------------------------------------------------------------------- D5, D7, D8, D29


@pytest.mark.parametrize("tex, says", [
    ("{" * 30 + "x" + "}" * 30, "nests groups more than"),
    ("\\frac{1}{" * 22 + "x" + "}" * 22, "nests groups more than"),
    ("+".join(f"x_{{{i}}}" for i in range(1000)), "characters long"),
])
def test_d5_d7_d8_deep_or_long_formulas_get_a_message(cli, tmp_path, tex, says):
    out = _refused(cli, "validate", "--catalog", _catalog(tmp_path, summary=f"See \\({tex}\\)."))
    assert says in out and "Traceback" not in out


def test_d29_an_emoji_in_a_formula_is_named(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", "")
    out = _refused(cli, "validate", "--catalog", _catalog(tmp_path, summary="See \\(x + \U0001f600\\)."))
    assert "U+1F600" in out


# ---------------------------------------------------------------------------- D11


@pytest.mark.parametrize("ch", ["\u200e", "\u200f", "\u2028", "\u2029", "\u00ad", "\u2061", "\u2062", "\u2063",
                                "\u2064"])
def test_d11_invisible_characters_are_refused(cli, tmp_path, ch):
    out = _refused(cli, "validate", "--catalog", _catalog(tmp_path, category=f"Cat {ch}One"))
    assert f"U+{ord(ch):04X}" in out or "field 'category'" in out


# ---------------------------------------------------------------------------- D15, D17, D18, D24


def test_d15_a_fifo_as_catalog_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "cards.toml"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "cardpress", "validate", "--catalog", str(fifo)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "FIFO" in run.stderr, run.stderr


def test_d15_dev_zero_as_catalog_is_refused(cli):
    out = _refused(cli, "validate", "--catalog", "/dev/zero")
    assert "device" in out


def test_d15_a_huge_catalog_is_refused(cli, tmp_path):
    from cardpress.catalog.load import READ_LIMIT

    big = tmp_path / "cards.toml"
    with open(big, "wb") as fh:
        fh.truncate(READ_LIMIT + 1)  # sparse: no disk used
    assert "the limit is" in _refused(cli, "validate", "--catalog", big)


def test_d17_toml_nested_past_400_levels_is_a_message(cli, tmp_path):
    deep = tmp_path / "cards.toml"
    deep.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n")
    assert "nested too deeply" in _refused(cli, "validate", "--catalog", deep)


def test_d18_a_table_with_no_columns_is_refused(cli, tmp_path):
    catalog = _catalog(tmp_path)
    catalog.write_text(catalog.read_text() + '\n[[tables]]\ntitle = "Empty"\ncolumns = []\nrows = []\n')
    out = _refused(cli, "validate", "--catalog", catalog)
    assert "field 'columns'" in out and "must not be empty" in out


def test_d24_a_formula_as_category_is_refused(cli, tmp_path):
    out = _refused(cli, "validate", "--catalog", _catalog(tmp_path, category="\\(x^2\\)"))
    assert "category is printed as plain text" in out


# ---------------------------------------------------------------------------- D25


@pytest.mark.parametrize("width", ['"1' + "0" * 400 + 'in"', '"2000in"'])
def test_d25_a_layout_length_past_any_paper_is_refused(tmp_path, width):
    from cardpress.deck.layout_spec import load_layout_text

    text = LAYOUT_3X5.replace('[sheet]\nwidth = "5in"', f"[sheet]\nwidth = {width}")
    assert text != LAYOUT_3X5
    with pytest.raises(CardpressError, match="width"):
        load_layout_text(text, tmp_path / "wide.toml")


# ---------------------------------------------------------------------------- D26, D27


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_d26_a_killed_edits_temp_file_is_swept_by_the_next_edit(cli, tmp_path):
    catalog = _catalog(tmp_path)
    litter = tmp_path / f".cardpress-{_dead_pid()}-abcdefgh.tmp"
    litter.write_text("half a catalog")
    theirs = tmp_path / ".cards.toml.abcdefgh.tmp"  # not cardpress's name: not ours to judge
    theirs.write_text("someone else's")
    cid = card_data(1)["id"]
    assert cli("mark", "--catalog", catalog, cid).exit_code == 0
    assert not litter.exists()
    assert theirs.read_text() == "someone else's"


def test_d27_mark_the_last_card_of_a_file_without_a_final_newline(cli, tmp_path):
    catalog = tmp_path / "cards.toml"
    catalog.write_text('[deck]\ntitle = "T"\n\n[[cards]]\nid = "a-2020-x"\nauthor = "A"\nyear = 2020\n'
                       'title = "X"\nsummary = "S."\nnumbers = [{figure = "1", text = "one."}, '
                       '{figure = "2", text = "two."}, {figure = "3", text = "three."}]')
    before = catalog.read_text()
    result = cli("mark", "--catalog", catalog, "a-2020-x")
    assert result.exit_code == 0, result.output
    assert catalog.read_text() == before + "\nmastered = true\n"


# ---------------------------------------------------------------------------- D31


def test_d31_the_cache_is_bounded_and_keeps_the_recently_used(tmp_path):
    from cardpress.files import cache

    where = tmp_path / "c"
    where.mkdir()
    names = [f"{i:064x}.json" for i in range(30)]
    for age, name in enumerate(names):
        (where / name).write_bytes(b"x" * 100)
        os.utime(where / name, (1_000_000 + age, 1_000_000 + age))
    os.utime(where / names[0])  # the oldest, just used
    (where / "README").write_text("not an entry")
    removed = cache.evict(where, max_files=10, max_bytes=10**9)
    left = sorted(p.name for p in where.iterdir())
    assert removed == 30 - 8 and len(left) == 8 + 1  # down to 80% of the bound; README kept
    assert names[0] in left and "README" in left
    assert set(left) - {"README", names[0]} == set(names[-7:])


def test_d15_print_refuses_a_huge_file_without_reading_it(tmp_path):
    # A sparse 4 GB file with a PDF header: pypdf read it all (minutes, 4.6 GB of memory).
    from typer.testing import CliRunner

    from cardpress.cli import app

    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(4 * 2**30)
    result = CliRunner().invoke(app, ["print", str(big), "--dry-run"])
    assert result.exit_code == 1
    assert "MiB, more than the 512 MiB" in result.output and "Traceback" not in result.output
