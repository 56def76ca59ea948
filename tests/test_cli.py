"""The command line as a user meets it: exit codes, messages, help, and a safe build."""

from __future__ import annotations

import json

import os
import subprocess
import sys

import pytest


def test_build_on_the_shipped_catalog_exits_0(cli, shipped_catalog, tmp_path):
    result = cli("build", "--catalog", shipped_catalog, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "from 17 cards" in result.stdout


def test_build_writes_every_output_and_rebuilds_byte_identical(cli, shipped_catalog, tmp_path):
    from conftest import SHIPPED_CATALOG
    from cardpress.catalog import load_catalog

    ids = [c.id for c in load_catalog(SHIPPED_CATALOG).cards]
    expected = {"deck-3x5.pdf", "deck-letter.pdf", "deck-a4.pdf", "calibrate-letter.pdf", "calibrate-a4.pdf",
                "revision-sheet-letter.pdf", "revision-sheet-a4.pdf", "worksheets.pdf",
                "worksheets-answers.pdf"}
    expected |= {f"worksheets/{i}.pdf" for i in ids}
    expected.add(".cardpress-build.json")  # build's list of its own files
    runs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        assert cli("build", "--catalog", shipped_catalog, "--out", out).exit_code == 0
        runs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert set(runs[0]) == expected
    # The manifest lists the same files; each entry's identity (inode, mtime) is its copy's own.
    manifests = [json.loads(run.pop(".cardpress-build.json"))["files"] for run in runs]
    assert manifests[0] == manifests[1]
    assert runs[0] == runs[1]


def test_failed_build_leaves_earlier_outputs_untouched(cli, make_catalog, tmp_path):
    out = tmp_path / "out"
    good = make_catalog(3)
    assert cli("build", "--catalog", good, "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace('title = "Generated deck of 3"', 'titel = "x"'), encoding="utf-8")
    result = cli("build", "--catalog", bad, "--out", out)
    assert result.exit_code == 1
    assert "did you mean `title`" in result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_list_shows_protocol_column(cli, shipped_catalog):
    result = cli("list", "--catalog", shipped_catalog)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + 17
    attention = next(l for l in lines if l.startswith("vaswani-2017-attention"))
    assert "2017" in attention and "Vaswani" in attention and attention.rstrip().endswith("yes")


def test_list_selection_and_unknown_id(cli, shipped_catalog):
    result = cli("list", "--catalog", shipped_catalog, "--only", "hu-2021-lora,dao-2022-flashattention")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3
    result = cli("list", "--catalog", shipped_catalog, "--only", "hu-2021-lorra")
    assert result.exit_code == 1 and "did you mean hu-2021-lora" in result.stderr


@pytest.mark.parametrize("command", ["validate", "list", "build"])
def test_help_has_an_example(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "--catalog" in result.stdout


def test_module_entry_point_prints_no_traceback(tmp_path):
    bad = tmp_path / "cards.toml"
    bad.write_text("[deck\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cardpress", "validate", "--catalog", str(bad)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad}:1:" in proc.stderr


def test_empty_only_is_refused_not_everything(cli, shipped_catalog):
    result = cli("list", "--catalog", shipped_catalog, "--only", "")
    assert result.exit_code == 1 and "--only was given an empty value" in result.stderr


def test_seed_alone_shuffles_reproducibly(cli, shipped_catalog, tmp_path):
    from cardpress.catalog import load_catalog
    from cardpress.catalog.select import selection_from
    from cardpress.catalog.select import choose

    cat = load_catalog(shipped_catalog)
    a = [c.id for c in choose(cat, selection_from(None, None, None, False, False, 7))]
    b = [c.id for c in choose(cat, selection_from(None, None, None, False, True, 7))]
    assert a == b and a != [c.id for c in cat.cards] and sorted(a) == sorted(c.id for c in cat.cards)
