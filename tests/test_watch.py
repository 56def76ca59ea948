"""`cardpress watch` on a real pseudo-terminal: a save rebuilds, a bad save keeps the last
good PDFs and prints the error, Ctrl-C ends it with exit 0."""

from __future__ import annotations

import os
import sys
import time

import pytest
from pypdf import PdfReader

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("watchfiles")

TITLE = "Attention Is All You Need"  # a starter card's title


def save(path, text: str) -> None:
    """As an editor saves: a new file renamed over the old one."""
    tmp = path.with_name(".cards.toml.swp-save")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def deck_text(out) -> str:
    """The 3x5 deck's words, line breaks as spaces (a title wraps on the card)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(out / "deck-3x5.pdf").pages).split())


@pytest.fixture
def watching(cli, tmp_path):
    assert cli("init", tmp_path).exit_code == 0
    child = pexpect.spawn(sys.executable, ["-m", "cardpress", "watch"], cwd=str(tmp_path), encoding="utf-8",
                          dimensions=(40, 200), timeout=90, env={**os.environ, "CARDPRESS_JOBS": "1"})
    yield child, tmp_path
    if child.isalive():
        child.kill(9)


def test_a_save_rebuilds_and_a_bad_save_keeps_the_last_good_pdfs(watching):
    child, folder = watching
    catalog, out = folder / "cards.toml", folder / "output"
    child.expect("Ctrl-C stops")
    child.expect(r"\d\d:\d\d:\d\d rebuilt decks \(3\)")  # the first, whole build
    child.expect("\n")
    assert TITLE in deck_text(out)

    good = catalog.read_text(encoding="utf-8").replace(TITLE, "Attention Is Still All You Need")
    save(catalog, good)
    child.expect(r"rebuilt decks \(3\) at [\d.]+ m?s, sheets \(2\) at [\d.]+ m?s, worksheets \((\d+)\)")
    # One card changed: its worksheet and the two combined files, not the other card's.
    assert int(child.match.group(1)) == 3
    assert "Attention Is Still All You Need" in deck_text(out)
    before = {p: p.read_bytes() for p in out.rglob("*.pdf")}

    save(catalog, good.replace("year = 2017", 'year = "twenty seventeen"'))
    child.expect(r"error, kept the last good PDFs: cards.toml:\d+: card 'vaswani-2017-attention', field 'year'")
    time.sleep(0.5)  # anything it might (wrongly) still write
    assert {p: p.read_bytes() for p in out.rglob("*.pdf")} == before

    save(catalog, good.replace("Attention Is Still", "Attention Is Again"))  # fixed: builds again
    child.expect(r"rebuilt decks \(3\)")
    assert "Attention Is Again All You Need" in deck_text(out)

    child.sendintr()
    child.expect("stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_comment_only_save_rebuilds_nothing(watching):
    child, folder = watching
    catalog = folder / "cards.toml"
    child.expect(r"rebuilt decks \(3\)")
    child.expect("\n")
    stamp = (folder / "output" / "deck-letter.pdf").stat().st_mtime_ns
    save(catalog, catalog.read_text(encoding="utf-8") + "\n# a note to self\n")
    child.expect("nothing to rebuild")
    assert (folder / "output" / "deck-letter.pdf").stat().st_mtime_ns == stamp
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


SAME_BYTES = r"""
import shutil, sys
from pathlib import Path
from cardpress.live import warm
from cardpress.live.rebuild import Rebuilder

folder = Path(sys.argv[1])
catalog = folder / "cards.toml"
warm.install()
rebuilder = Rebuilder(catalog, folder / "watched", jobs=int(sys.argv[2]))
assert rebuilder.rebuild().error is None
text = catalog.read_text(encoding="utf-8")
for edit in ("Swaps recurrence", "Cuts recurrence", "Drops recurrence"):
    catalog.write_text(text.replace("Replaces recurrence", edit), encoding="utf-8")
    result = rebuilder.rebuild()
    assert result.error is None and result.parts[0][:2] == ("decks", 3), result.parts
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_watch_writes_the_same_bytes_as_build(cli, tmp_path, jobs):
    # Three saves in one warm process (memoised deflation, subsets and faces), then a cold
    # `build` of the last state: every file the same bytes.
    import subprocess

    assert cli("init", tmp_path).exit_code == 0
    run = subprocess.run([sys.executable, "-c", SAME_BYTES, str(tmp_path), str(jobs)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert cli("build", "--catalog", tmp_path / "cards.toml", "--out", tmp_path / "built", "--jobs", "1").exit_code == 0
    built = {p.relative_to(tmp_path / "built"): p.read_bytes() for p in (tmp_path / "built").rglob("*.pdf")}
    watched = {p.relative_to(tmp_path / "watched"): p.read_bytes() for p in (tmp_path / "watched").rglob("*.pdf")}
    assert "Drops recurrence" in (tmp_path / "cards.toml").read_text()
    assert sorted(watched) == sorted(built)
    assert [k for k in built if watched[k] != built[k]] == []
