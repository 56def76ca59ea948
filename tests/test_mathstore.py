"""Issues 21 and 22: a first run after install computes what a second one reads.

The shipped formula store (typeset/mathstore.bin) must be current for this code, this
matplotlib and the shipped and starter catalogs, so a cold build of either imports no
matplotlib; a damaged or foreign store is ignored. matplotlib's font list comes from a
shipped seed in cardpress's own cache folder, never from a scan of the system's fonts and
never written into the user's matplotlib folders.

When a test here says the store is stale: `python tests/prebuild_math.py`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO, SHIPPED_CATALOG
from cardpress.typeset import mathstore, mathtext as m, mplconfig

REMAKE = "stale: run `python tests/prebuild_math.py` and commit typeset/mathstore.bin and mplfonts.json"
STARTER = REPO / "src" / "cardpress" / "starter" / "starter.toml"


@pytest.fixture(scope="module")
def store() -> dict:
    data = mathstore.read()
    assert data is not None, "typeset/mathstore.bin is missing or damaged: " + REMAKE
    if data["matplotlib"] != m._mpl_version():
        pytest.skip(f"the store was made with matplotlib {data['matplotlib']}, this is {m._mpl_version()}")
    return data


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def _formulas(catalog: Path) -> set[str]:
    text = "\n".join(_strings(tomllib.loads(catalog.read_text(encoding="utf-8"))))
    return set(re.findall(r"\\\((.*?)\\\)", text, re.S))


def _clean_env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "MPLCONFIGDIR", "CARDPRESS_CACHE_DIR")}
    home.mkdir(parents=True, exist_ok=True)
    return dict(env, HOME=str(home), **extra)


# ---------------------------------------------------------------------------- the store


def test_the_shipped_store_is_current(store):
    assert store["format"] == m._CACHE_FORMAT, REMAKE
    assert store["code"] == m._code_version(), "the math modules changed; the store is " + REMAKE


@pytest.mark.parametrize("catalog", [SHIPPED_CATALOG, STARTER], ids=["shipped", "starter"])
def test_every_formula_of_the_catalog_is_in_the_store_at_validate_size(store, catalog):
    at_ten = {tex for tex, fontset, sizes in store["formulas"] if fontset == m.FONTSET
              for size, *_ in sizes if size == 10.0}
    missing = _formulas(catalog) - at_ten
    assert not missing, f"{len(missing)} formulas of {catalog.name} not in the store (e.g. {sorted(missing)[0]!r}): {REMAKE}"


def test_stored_boxes_are_what_a_layout_makes_now(store, monkeypatch):
    """A sample across the store, laid out again with the store and the disk cache off."""
    keys = [(tex, float(size), fontset) for tex, fontset, sizes in store["formulas"] for size, *_ in sizes]
    sample = keys[:: max(1, len(keys) // 8)]
    assert len(sample) >= 8
    shipped = {key: mathstore.get(key) for key in sample}
    assert None not in shipped.values(), REMAKE
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", "")
    monkeypatch.setattr(mathstore, "enabled", False)
    m._memory.clear()
    try:
        for key, box in shipped.items():
            tex = key[0].removeprefix(m.DISPLAY_KEY)  # a display formula's key holds its mark
            assert m._exact(tex, key[1], key[2], key) == replace(box, tex=tex), f"{key}: {REMAKE}"
    finally:
        m._memory.clear()


def _cold(args, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`cardpress args` in one process with an empty HOME; says at exit whether matplotlib was
    imported."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('MATPLOTLIB', 'matplotlib' in sys.modules))\n"
            "from cardpress.cli import app\n"
            "app(sys.argv[1:], prog_name='cardpress')\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=_clean_env(home), cwd=cwd,
                          capture_output=True, text=True)


def test_a_cold_build_of_the_shipped_catalog_needs_no_matplotlib(store, tmp_path):
    proc = _cold(["build", "--catalog", SHIPPED_CATALOG, "--out", tmp_path / "out", "--jobs", "1"], tmp_path / "home")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "MATPLOTLIB False" in proc.stdout, f"a formula was laid out: {REMAKE}"
    assert (tmp_path / "out" / "deck-3x5.pdf").stat().st_size > 1000
    assert not (tmp_path / "home" / ".cache" / "matplotlib").exists()


def test_a_cold_init_then_build_needs_no_matplotlib(store, tmp_path):
    deck, home = tmp_path / "deck", tmp_path / "home"
    assert _cold(["init", deck], home).returncode == 0
    for args in (["validate"], ["build", "--jobs", "1"]):
        proc = _cold(args, home, cwd=deck)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "MATPLOTLIB False" in proc.stdout, f"{args}: a formula was laid out: {REMAKE}"


def _store_at(tmp_path, monkeypatch, data: dict | None = None, raw: bytes | None = None) -> None:
    path = tmp_path / "mathstore.bin"
    path.write_bytes(raw if raw is not None else mathstore.encode(data))
    monkeypatch.setattr(mathstore, "STORE", path)
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", "")
    mathstore._entries.cache_clear()
    m._memory.clear()


@pytest.fixture
def restore_entries():
    yield
    mathstore._entries.cache_clear()
    m._memory.clear()


def _one_box_store(store: dict, **changes) -> tuple[dict, tuple]:
    tex, fontset, sizes = next(f for f in store["formulas"] if not f[0].startswith(m.DISPLAY_KEY))
    data = dict(store, formulas=[[tex, fontset, [sizes[0]]]], **changes)
    return data, (tex, float(sizes[0][0]), fontset)


def test_the_store_is_read_when_whole_and_current(store, tmp_path, monkeypatch, restore_entries):
    data, key = _one_box_store(store)
    _store_at(tmp_path, monkeypatch, data)
    box = mathstore.get(key)
    size, width, ascent, descent, glyphs, rules = data["formulas"][0][2][0]
    assert (box.width, box.ascent, box.descent, box.tex) == (width, ascent, descent, key[0])
    assert [[g.font_name, g.char, g.x, g.y, g.size] for g in box.glyphs] == glyphs


@pytest.mark.parametrize("change", ["code", "matplotlib", "format"])
def test_a_store_of_other_code_or_matplotlib_is_ignored(store, tmp_path, monkeypatch, restore_entries, change):
    data, key = _one_box_store(store, **{change: {"code": "0" * 16, "matplotlib": "0.0", "format": -1}[change]})
    _store_at(tmp_path, monkeypatch, data)
    assert mathstore.get(key) is None


def test_a_damaged_or_edited_store_prints_nothing_of_it(store, tmp_path, monkeypatch, restore_entries):
    data, key = _one_box_store(store)
    good = mathstore.encode(data)
    flipped = bytearray(good)
    flipped[-5] ^= 0x01
    _store_at(tmp_path, monkeypatch, raw=bytes(flipped))
    assert mathstore.get(key) is None  # the checksum no longer matches
    size, width, ascent, descent, glyphs, rules = data["formulas"][0][2][0]
    for bad in ([[["NoSuchFont", *glyphs[0][1:]]] + glyphs[1:], rules],
                [[[glyphs[0][0], "two", *glyphs[0][2:]]] + glyphs[1:], rules],
                [glyphs, [[1.0]]],
                [[[glyphs[0][0], glyphs[0][1], float("nan"), *glyphs[0][3:]]] + glyphs[1:], rules]):
        edited = dict(data, formulas=[[key[0], key[2], [[size, width, ascent, descent, *bad]]]])
        _store_at(tmp_path, monkeypatch, edited)  # a whole store (checksum made) with a bad value
        assert mathstore.get(key) is None
        assert m.layout(key[0], key[1]).glyphs[0].font_name != "NoSuchFont"


def test_the_store_and_seed_are_package_data():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cardpress"]
    assert {"typeset/mathstore.bin", "typeset/mplfonts.json"} <= set(data)
    assert mathstore.STORE.parent == mplconfig.SEED.parent == REPO / "src" / "cardpress" / "typeset"


# ---------------------------------------------------------------------------- matplotlib's folder


def test_the_font_list_seed_is_matplotlibs_own_fonts_for_this_matplotlib(store):
    import matplotlib
    import matplotlib.font_manager as fm

    seed = json.loads(mplconfig.SEED.read_text(encoding="utf-8"))
    assert seed["matplotlib"] == m._mpl_version(), REMAKE
    assert seed["file"] == f"fontlist-v{fm.FontManager.__version__}.json", REMAKE
    assert seed["fontlist"]["_version"] == fm.FontManager.__version__
    data = Path(matplotlib.get_data_path())
    ttf = {str(p.relative_to(data)) for p in (data / "fonts" / "ttf").glob("*.ttf")}
    assert {e["fname"] for e in seed["fontlist"]["ttflist"]} == ttf, REMAKE


_PROBE = r"""
import json, os, sys
from cardpress.typeset import mathstore, mathtext as m
mathstore.enabled = False
m.layout(r"\omega_k^{2}", 10.0)
import matplotlib, matplotlib.font_manager as fm
print(json.dumps({"cache": matplotlib.get_cachedir(), "config": matplotlib.get_configdir(),
                  "data": matplotlib.get_data_path(), "ttf": [e.fname for e in fm.fontManager.ttflist],
                  "env": os.environ.get("MPLCONFIGDIR")}))
"""


def _probe(env) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_first_layout_reads_the_seed_into_cardpress_folder_only(store, tmp_path):
    home = tmp_path / "home"
    got = _probe(_clean_env(home))
    ours = home / ".cache" / "cardpress" / "matplotlib"
    assert got["cache"] == got["config"] == str(ours)
    assert got["env"] is None  # set only while matplotlib started: no child process inherits it
    assert (ours / json.loads(mplconfig.SEED.read_text())["file"]).is_file()
    assert ours.stat().st_mode & 0o777 == 0o700
    # No scan: the fonts are exactly matplotlib's own TrueType files.
    ttf = {str(p) for p in (Path(got["data"]) / "fonts" / "ttf").glob("*.ttf")}
    assert set(got["ttf"]) == ttf
    assert not (home / ".cache" / "matplotlib").exists() and not (home / ".config").exists()


def test_a_users_mplconfigdir_is_kept(tmp_path):
    home, mine = tmp_path / "home", tmp_path / "mine"
    got = _probe(_clean_env(home, MPLCONFIGDIR=str(mine)))
    assert got["cache"] == got["config"] == str(mine) == got["env"]
    assert list(mine.glob("fontlist-v*.json"))
    assert not (home / ".cache" / "cardpress" / "matplotlib").exists()


def test_a_link_where_the_font_list_goes_is_not_followed(tmp_path):
    home = tmp_path / "home"
    ours = home / ".cache" / "cardpress" / "matplotlib"
    ours.mkdir(parents=True, mode=0o700)
    decoy = tmp_path / "decoy.json"
    decoy.write_bytes(b"not a font list\n")
    (ours / json.loads(mplconfig.SEED.read_text())["file"]).symlink_to(decoy)
    got = _probe(_clean_env(home))
    assert got["cache"] != str(ours)  # matplotlib left to its own folder, never pointed at the link
    assert decoy.read_bytes() == b"not a font list\n"
