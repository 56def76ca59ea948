"""Make the shipped formula store and matplotlib font-list seed again (issues 21 and 22).

    python tests/prebuild_math.py [CATALOG ...]

Run it from a source checkout after changing the math modules (mathtext, mathbox,
mathmacros, mathcompose), the shipped catalog (cards.toml), the starter catalog, the way
a build sizes its text, or the matplotlib version: tests/test_mathstore.py fails until then.

It runs `validate` and `build` of each catalog (default: the repository's cards.toml and the
starter `cardpress init` writes) in this process, with the store off and an empty formula
cache in a temporary folder, so every formula is laid out at exactly the sizes those
commands use; the boxes they left in that cache become typeset/mathstore.bin. It also
writes typeset/mplfonts.json, matplotlib's font list reduced to its own bundled fonts
(see typeset.mplconfig). Both files come out byte-identical for the same code, catalogs and
matplotlib.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from cardpress.typeset import mathstore

REPO_CATALOG = Path(__file__).resolve().parents[1] / "cards.toml"


def _run(args: list[str]) -> int:
    from typer.main import get_command

    from cardpress.cli import app

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "wrote ..." lines: not ours to show
            code = get_command(app)(args, standalone_mode=False)  # an Exit's code, returned
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # click's Exit carries the code
        code = getattr(exc, "exit_code", None)
        if code is None:
            raise
        return int(code)
    return int(code or 0)


def collect(catalogs: list[Path], work: Path) -> dict:
    """The store's content: every formula box `validate` and `build` of `catalogs` lay out."""
    from cardpress.files.cache import load
    from cardpress.typeset import mathtext

    from cardpress.files.cache import private

    saved = os.environ.get("CARDPRESS_CACHE_DIR")
    os.environ["CARDPRESS_CACHE_DIR"] = str(work / "cache")
    mathstore.enabled = False
    mathtext._memory.clear()
    try:
        for i, catalog in enumerate(catalogs):
            _run(["validate", "--catalog", str(catalog)])  # sizes only validate uses (10 pt)
            code = _run(["build", "--catalog", str(catalog), "--out", str(work / f"out{i}"), "--jobs", "1"])
            if code:
                raise SystemExit(f"prebuild: `cardpress build --catalog {catalog}` failed (exit {code})")
        folder = private("math")
        entries = [json.loads(raw) for path in sorted(folder.glob("*.json")) if (raw := load(path)) is not None]
    finally:
        mathstore.enabled = True
        if saved is None:
            del os.environ["CARDPRESS_CACHE_DIR"]
        else:
            os.environ["CARDPRESS_CACHE_DIR"] = saved
    formulas: dict[tuple[str, str], list] = {}
    for entry in entries:
        tex, size, fontset = entry["key"]
        formulas.setdefault((tex, fontset), []).append(
            [size, entry["width"], entry["ascent"], entry["descent"], entry["glyphs"], entry["rules"]])
    return {
        "format": mathtext._CACHE_FORMAT,
        "matplotlib": mathtext._mpl_version(),
        "code": mathtext._code_version(),
        "formulas": [[tex, fontset, sorted(sizes)] for (tex, fontset), sizes in sorted(formulas.items())],
    }


def main(argv: list[str]) -> None:
    from cardpress.files.atomic import atomic_write_bytes
    from cardpress.starter.command import starter_text
    from cardpress.typeset import mplconfig

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        catalogs = [Path(a).resolve() for a in argv]
        if not catalogs:
            if not REPO_CATALOG.is_file():
                raise SystemExit(f"prebuild: no {REPO_CATALOG}; run it from a source checkout or name the catalogs")
            starter = work / "starter" / "cards.toml"
            starter.parent.mkdir()
            starter.write_text(starter_text(example=False), encoding="utf-8")
            catalogs = [REPO_CATALOG, starter]
        data = collect(catalogs, work)
    atomic_write_bytes(mathstore.STORE, mathstore.encode(data))
    name, fontlist = mplconfig.bundled_fontlist()
    seed = {"matplotlib": data["matplotlib"], "file": name, "fontlist": fontlist}
    atomic_write_bytes(mplconfig.SEED, (json.dumps(seed, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    boxes = sum(len(sizes) for _, _, sizes in data["formulas"])
    print(f"wrote {mathstore.STORE} ({mathstore.STORE.stat().st_size:,} bytes: {len(data['formulas'])} formulas, "
          f"{boxes} boxes; matplotlib {data['matplotlib']}, code {data['code']})")
    print(f"wrote {mplconfig.SEED} ({mplconfig.SEED.stat().st_size:,} bytes: {name}, "
          f"{len(fontlist['ttflist'])} + {len(fontlist['afmlist'])} fonts)")


if __name__ == "__main__":
    main(sys.argv[1:])
