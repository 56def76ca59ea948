"""The parsed-face cache (cardpress.typeset.font_cache): what it gives back is what reportlab parses."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
import tomli_w
from reportlab.pdfbase.ttfonts import TTFont

from cardpress.typeset import font_cache, fonts
from conftest import catalog_data


@pytest.fixture
def cache(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(where))
    return where


def _plain(font) -> tuple[dict, dict]:
    """A font's data, less what holds no data (per-document state, the scaling function)."""
    own = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "encoding")}
    face = {k: v for k, v in font.face.__dict__.items() if k != "_pdfScale"}
    return own, face


@pytest.mark.parametrize("name", [fonts.SANS, fonts.COND_BOLD, fonts.MONO, fonts.STIX_SIZES[0]])
def test_a_cached_face_is_the_parsed_face(cache, name):
    path = fonts.FONT_DIR / f"{name}.ttf"
    parsed = TTFont(name, str(path))
    font_cache.load_ttfont(name, path)  # parses and stores
    assert len(list(cache.glob("face-*.pickle"))) == 1
    again = font_cache.load_ttfont(name, path)  # from the cache
    own, face = _plain(again)
    want_own, want_face = _plain(parsed)
    assert own == want_own and face == want_face
    assert {k: type(v) for k, v in face.items()} == {k: type(v) for k, v in want_face.items()}
    assert again.fontName == name and again.encoding.name == parsed.encoding.name
    for units in (0, 1, 777, 2048):
        assert again.face._pdfScale(units) == parsed.face._pdfScale(units)
    assert again.stringWidth("Chinchilla ≈ 20 tokens/param", 9.5) == parsed.stringWidth("Chinchilla ≈ 20 tokens/param", 9.5)


def test_a_cache_file_that_is_not_font_data_is_ignored(cache, tmp_path):
    path = fonts.FONT_DIR / f"{fonts.MONO}.ttf"
    font_cache.load_ttfont(fonts.MONO, path)
    (stored,) = cache.glob("face-*.pickle")
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    payload = pickle.dumps(Payload())  # with a good checksum: the unpickler itself must refuse it
    import hashlib
    stored.write_bytes(font_cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    font = font_cache.load_ttfont(fonts.MONO, path)
    assert not marker.exists()  # the unpickler refused to call anything
    assert _plain(font) == _plain(TTFont(fonts.MONO, str(path)))
    stored.write_bytes(b"\x80\x05truncated")
    assert _plain(font_cache.load_ttfont(fonts.MONO, path)) == _plain(TTFont(fonts.MONO, str(path)))


def test_no_cache_and_an_unwritable_cache_only_cost_the_parse(tmp_path, monkeypatch):
    path = fonts.FONT_DIR / f"{fonts.MONO}.ttf"
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", "")
    assert font_cache.cache_dir() is None
    assert _plain(font_cache.load_ttfont(fonts.MONO, path)) == _plain(TTFont(fonts.MONO, str(path)))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(blocker / "sub"))
    assert _plain(font_cache.load_ttfont(fonts.MONO, path)) == _plain(TTFont(fonts.MONO, str(path)))


def test_a_deck_is_the_same_bytes_from_cached_faces(tmp_path):
    (tmp_path / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(5)).encode())
    made = []
    for run, cache in enumerate((str(tmp_path / "c"), str(tmp_path / "c"), "")):  # cold, warm, off
        out = tmp_path / f"out{run}"
        subprocess.run([sys.executable, "-m", "cardpress", "deck", "--layout", "letter-4up", "--out", str(out)],
                       cwd=tmp_path, check=True, capture_output=True,
                       env=dict(os.environ, CARDPRESS_CACHE_DIR=cache))
        made.append((out / "deck-letter.pdf").read_bytes())
    assert list((tmp_path / "c").glob("face-*.pickle"))
    assert made[0] == made[1] == made[2]


def test_a_damaged_cache_file_is_never_trusted_and_never_raises(cache):
    """A flipped byte anywhere in a stored face (a bad disk, a copied home folder) either
    reads back as the face reportlab parses or is ignored; it never gives other widths or
    glyphs, and never escapes as an error (pickle raises MemoryError, IndexError, ... on junk)."""
    path = fonts.FONT_DIR / f"{fonts.MONO}.ttf"
    font_cache.load_ttfont(fonts.MONO, path)
    (stored,) = cache.glob("face-*.pickle")
    good = stored.read_bytes()
    want = _plain(TTFont(fonts.MONO, str(path)))
    step = max(1, len(good) // 60)
    for at in range(0, len(good), step):
        for damage in (bytes([good[at] ^ 0x01]), bytes([good[at] ^ 0x80])):
            stored.write_bytes(good[:at] + damage + good[at + 1:])
            assert _plain(font_cache.load_ttfont(fonts.MONO, path)) == want, (at, damage)
    stored.write_bytes(good)
    assert _plain(font_cache.load_ttfont(fonts.MONO, path)) == want


def test_a_killed_runs_temporary_file_is_swept_by_the_next_write(cache):
    # What a run killed between mkstemp and the rename leaves: an old one goes, a fresh one
    # (another run writing now) stays.
    cache.mkdir(parents=True)
    old, fresh = cache / ".face.killed.tmp", cache / ".face.writing.tmp"
    old.write_bytes(b"half a face")
    fresh.write_bytes(b"half a face")
    hour_ago = old.stat().st_mtime - 3600
    os.utime(old, (hour_ago, hour_ago))
    font_cache.load_ttfont(fonts.SANS, fonts.FONT_DIR / f"{fonts.SANS}.ttf")  # parses and stores
    assert not old.exists()
    assert fresh.exists()
    assert len(list(cache.glob("face-*.pickle"))) == 1
