"""`cardpress mark`: one key's line changes, and nothing else, on LF, CRLF and BOM catalogs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SHIPPED_CATALOG
from cardpress.errors import CardpressError

CARD = "hu-2021-lora"  # in the middle of the file, followed by a comment for the next card
LAST = "dubey-2024-llama3"  # the file's last card, no table after it
FIRST = "vaswani-2017-attention"  # followed by its [cards.protocol] table

VARIANTS = {
    "lf": lambda b: b,
    "crlf": lambda b: b.replace(b"\n", b"\r\n"),
    "bom": lambda b: b"\xef\xbb\xbf" + b,
    "bom-crlf": lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"),
}


def cardpress(*args):
    """The command in-process (fast); `returncode`, `stdout`, `stderr` like a finished process."""
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from cardpress.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def catalog_variant(tmp_path, variant: str):
    path = tmp_path / "cards.toml"
    path.write_bytes(VARIANTS[variant](SHIPPED_CATALOG.read_bytes()))
    return path


def card_block_end(lines: list[bytes], card_id: str) -> int:
    """Index of the line after the card's last key: its `numbers = [...]` closes with `]`."""
    i = [l.rstrip(b"\r\n") for l in lines].index(f'id = "{card_id}"'.encode())
    while not lines[i].startswith(b"numbers = ["):
        i += 1
    while lines[i].rstrip(b"\r\n") != b"]":
        i += 1
    return i + 1


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("card_id", [CARD, LAST, FIRST])
def test_mark_mastered_adds_exactly_one_line_after_the_cards_keys(tmp_path, variant, card_id):
    path = catalog_variant(tmp_path, variant)
    old = path.read_bytes()
    proc = cardpress("mark", card_id, "--mastered", "--catalog", str(path))
    assert proc.returncode == 0, proc.stderr
    eol = b"\r\n" if b"\r\n" in old else b"\n"
    lines = old.splitlines(keepends=True)
    at = card_block_end(lines, card_id)
    expected = b"".join(lines[:at] + [b"mastered = true" + eol] + lines[at:])
    assert path.read_bytes() == expected


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_not_mastered_removes_the_line_and_restores_the_original_bytes(tmp_path, variant):
    path = catalog_variant(tmp_path, variant)
    original = path.read_bytes()
    assert cardpress("mark", CARD, "--mastered", "--catalog", str(path)).returncode == 0
    assert path.read_bytes() != original
    proc = cardpress("mark", CARD, "--not-mastered", "--catalog", str(path))
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == original


def test_an_existing_false_is_changed_in_its_own_line_keeping_its_comment(tmp_path):
    path = catalog_variant(tmp_path, "lf")
    lines = path.read_bytes().splitlines(keepends=True)
    at = card_block_end(lines, CARD)
    lines.insert(at, b"mastered = false  # not yet\n")
    path.write_bytes(b"".join(lines))
    assert cardpress("mark", CARD, "--mastered", "--catalog", str(path)).returncode == 0
    lines[at] = b"mastered = true  # not yet\n"
    assert path.read_bytes() == b"".join(lines)


def test_marking_twice_changes_nothing_the_second_time(tmp_path):
    path = catalog_variant(tmp_path, "lf")
    assert cardpress("mark", CARD, "--mastered", "--catalog", str(path)).returncode == 0
    once = path.read_bytes()
    proc = cardpress("mark", CARD, "--mastered", "--catalog", str(path))
    assert proc.returncode == 0 and "already mastered" in proc.stdout
    assert path.read_bytes() == once


def test_unknown_id_is_an_error_naming_the_file_and_nothing_is_written(tmp_path):
    path = catalog_variant(tmp_path, "lf")
    before = path.read_bytes()
    proc = subprocess.run([sys.executable, "-m", "cardpress", "mark", "hu-2021-lorra", "--mastered", "--catalog", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{path}: no card with id `hu-2021-lorra`; did you mean hu-2021-lora" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert path.read_bytes() == before


def test_done_means_mark_then_build_skip_mastered_leaves_the_card_out(tmp_path):
    """The issue's flow: one changed line in the catalog, and the deck is one card shorter."""
    path = catalog_variant(tmp_path, "lf")
    old_lines = path.read_bytes().splitlines()
    assert cardpress("mark", CARD, "--mastered", "--catalog", str(path)).returncode == 0
    new_lines = path.read_bytes().splitlines()
    assert len(new_lines) == len(old_lines) + 1
    assert [l for l in new_lines if l not in old_lines] == [b"mastered = true"]
    out = tmp_path / "out"
    proc = cardpress("build", "--skip-mastered", "--catalog", str(path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "files from 16 cards" in proc.stdout
    from pypdf import PdfReader

    deck = PdfReader(out / "deck-3x5.pdf")
    assert len(deck.pages) == 2 * 16  # front and back per card
    text = "".join(p.extract_text() for p in deck.pages)
    assert "LoRA" not in text and "FlashAttention" in text


def test_mark_waits_for_the_catalog_lock_that_add_and_import_take(tmp_path, monkeypatch, shipped_copy):
    # Another process holds the catalog's lock (an `add` between its read and its write):
    # `mark` must not write underneath it. With the wait cut short it gives up, nothing written.
    from cardpress.catalog import lock
    from cardpress.catalog.edit import set_mastered

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "l = FileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(60)",
         str(lock.lock_path(shipped_copy))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
        before = shipped_copy.read_bytes()
        with pytest.raises(CardpressError, match="another cardpress has been writing this catalog"):
            set_mastered(shipped_copy, "vaswani-2017-attention", True)
        assert shipped_copy.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
