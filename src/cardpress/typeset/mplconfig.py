"""matplotlib's config and font-list folder for cardpress: a private one, seeded at first use.

On its first import matplotlib scans every font on the system and writes the list to
~/.cache/matplotlib (1.5 s against 0.44 s once the list exists: issues 21 and 22). cardpress
sets formulas only in matplotlib's own fonts (mpl-data: DejaVu, STIX, cm) and draws
`drill stats --plot` in DejaVu Sans, so it ships that part of the list (mplfonts.json,
paths relative to mpl-data, made by `python tests/prebuild_math.py`) and points
matplotlib at cardpress's own cache folder, seeded with it, instead of the user's folders:
cardpress writes nothing into ~/.cache/matplotlib or ~/.config/matplotlib.

The seed is used only with the matplotlib version it was made with; another version scans
once and keeps its list in the same private folder, which is also what matplotlib does when
the seed's list format differs (it checks the version recorded inside). A user who set
MPLCONFIGDIR keeps it, and with it their matplotlibrc and their fonts. Otherwise a
~/.config/matplotlib/matplotlibrc is not read: a formula's layout then never depends on a
file outside the catalog (the formula cache's key does not name it).
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path

from cardpress.errors import CardpressError

SEED = Path(__file__).with_name("mplfonts.json")


@cache
def prepare() -> str | None:
    """Import matplotlib (without pyplot) with its folder set as above, once a process.

    Returns the folder matplotlib was pointed at, or None when it was left alone (MPLCONFIGDIR
    set, matplotlib already imported, or caching turned off)."""
    given = os.environ.get("MPLCONFIGDIR")
    if given or "matplotlib" in sys.modules:  # an empty one is unset to matplotlib too
        return None
    from cardpress.files.cache import private

    where = private("matplotlib")
    if where is None:  # CARDPRESS_CACHE_DIR="" or no usable folder: matplotlib's own way
        return None
    if not _seed(where):
        return None  # a link or a stranger's file where the list goes: matplotlib's default
    # Set only while matplotlib reads it: it keeps the folder it found (get_configdir and
    # get_cachedir are cached), and no child process inherits ours.
    os.environ["MPLCONFIGDIR"] = str(where)
    try:
        import matplotlib.font_manager  # noqa: F401 (reads or writes its font list now)
    finally:
        if given is None:
            del os.environ["MPLCONFIGDIR"]
        else:
            os.environ["MPLCONFIGDIR"] = given
    return str(where)


def _seed(where: Path) -> bool:
    """Write the shipped font list where matplotlib looks for it, if it is for this matplotlib
    and none is there yet. False when a link or a file not ours holds the name matplotlib
    reads and writes: matplotlib opens it following links, so it is not pointed there."""
    from cardpress.files.safe import ours
    from cardpress.typeset.mathtext import _mpl_version

    try:
        seed = json.loads(SEED.read_bytes())
        name, fontlist = seed["file"], seed["fontlist"]
        if seed["matplotlib"] != _mpl_version() or not _safe_name(name):
            return True  # another matplotlib: it scans once and keeps its list in `where`
    except (OSError, ValueError, KeyError, TypeError):
        return True
    target = where / name
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError:
        return False
    if st is not None:  # matplotlib's own (or an earlier seed): it checks the version inside
        return ours(st)
    from cardpress.files.atomic import atomic_write_bytes

    try:
        atomic_write_bytes(target, json.dumps(fontlist, indent=2).encode("utf-8"))
    except (OSError, CardpressError):
        return False
    return True


def _safe_name(name) -> bool:
    return isinstance(name, str) and name.startswith("fontlist-v") and name.endswith(".json") and "/" not in name


def bundled_fontlist() -> tuple[str, dict]:
    """(file name, content) of matplotlib's font list reduced to the fonts in mpl-data, for
    the seed. Entries sorted by file, so the same matplotlib gives the same bytes."""
    import matplotlib.font_manager as fm

    data = json.loads(json.dumps(fm.fontManager, cls=fm._JSONEncoder))
    for kind in ("ttflist", "afmlist"):
        data[kind] = sorted((e for e in data[kind] if not os.path.isabs(e["fname"])),
                            key=lambda e: (e["fname"], e.get("index", 0)))
    return f"fontlist-v{fm.FontManager.__version__}.json", data
