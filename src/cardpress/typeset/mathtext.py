r"""Inline math in catalog text: `\(...\)` runs, checked and laid out by matplotlib's mathtext.

Any text field may hold TeX between `\(` and `\)`; a `$` is always a literal dollar sign
(card 04 says "~$4.6M"). `split_runs` cuts text into plain and math runs, `check` and
`formula_problems` report malformed formulas for `cardpress validate`, and `layout` turns
a formula into a `MathBox`: glyphs in our embedded fonts and filled rules, in points,
relative to the formula's baseline origin, y up. The painter draws the glyphs as text, so
the PDF stays searchable ("softmax" is found by pdftotext) and byte-identical.

Why matplotlib's mathtext (measured on the build machine, issue 11; see README):
- it sets formulas with the DejaVu Sans math fontset, the family we embed, and reports
  each glyph's font, code point and position, so we draw real text with our own fonts;
  ziamath (+latex2mathml) only emits outlines (SVG paths), never text;
- cost: +154 MB installed with numpy (ziamath: +4 MB), about 0.9-1.3 s to import
  (ziamath 0.4-0.5 s), 30-100 ms per formula (ziamath 14-250 ms). The import is paid only
  when a formula is laid out, and laid-out formulas are cached on disk so a rebuild of an
  unchanged catalog never imports matplotlib at all.

No layout engine of our own: mathtext decides every position; this module only converts
its output and maps its fonts to the faces `cardpress.typeset.fonts` registers.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import cache
from pathlib import Path

from cardpress.typeset import fonts

OPEN, CLOSE = r"\(", r"\)"
# Display math in a text: `\[...\]` sets its formula on a line of its own (typeset/display.py).
DISPLAY_OPEN, DISPLAY_CLOSE = r"\[", r"\]"
FONTSET = "dejavusans"

# mathtext measures some paddings in device pixels and rounds the box up to whole pixels;
# laying out at 100x 72 dpi and scaling back keeps both below 0.01 pt.
_SCALE = 100

# Bump when MathBox or its JSON form changes, so old disk-cache entries are never read.
_CACHE_FORMAT = 2

# (family, style) as mathtext's fonts report them -> our registered reportlab names.
_FONT_NAMES = {
    ("DejaVu Sans", "Book"): fonts.SANS,
    ("DejaVu Sans", "Oblique"): fonts.SANS_OBLIQUE,
    ("DejaVu Sans", "Bold"): fonts.SANS_BOLD,
    ("DejaVu Sans", "Bold Oblique"): fonts.SANS_BOLD_OBLIQUE,
    ("DejaVu Sans Mono", "Book"): fonts.MONO,
    ("DejaVu Sans Mono", "Bold"): fonts.MONO_BOLD,
    ("DejaVu Sans Display", "Display"): fonts.SANS_DISPLAY,
    **{
        (f"STIXSize{n}Sym", "Regular"): f"STIXSiz{n}SymReg"
        for n in ("One", "Two", "Three", "Four", "Five")
    },
    # \mathcal, \mathfrak and what DejaVu lacks (issue 21): mathtext's STIX fallback.
    ("STIXGeneral", "Regular"): "STIXGeneral",
    ("STIXGeneral", "Italic"): "STIXGeneralItalic",
    ("STIXGeneral", "Bold"): "STIXGeneralBol",
    ("STIXGeneral", "Bold Italic"): "STIXGeneralBolIta",
    ("STIXNonUnicode", "Regular"): "STIXNonUni",
    ("STIXNonUnicode", "Italic"): "STIXNonUniIta",
    ("STIXNonUnicode", "Bold"): "STIXNonUniBol",
    ("STIXNonUnicode", "Bold Italic"): "STIXNonUniBolIta",
}

from cardpress.typeset.mathbox import SCRIPT_FLOOR, MathBox, MathGlyph  # noqa: E402,F401 (the box is this module's product)


class MathError(ValueError):
    """A formula that cannot be set: the message is fit for a validation problem."""


class DisplayTex(str):
    r"""The TeX of a `\[...\]` run: split_runs hands it over as a formula like any other
    (`is_math`), and the breaker sets it as display math."""


# ---------------------------------------------------------------------------- runs


def _first(text: str, pos: int, *marks: str) -> tuple[int, str]:
    """The earliest of `marks` in text[pos:], as (index, mark); (-1, "") when none is."""
    found = [(i, m) for m in marks if (i := text.find(m, pos)) != -1]
    return min(found) if found else (-1, "")


def split_runs(text: str) -> list[tuple[bool, str]]:
    r"""`text` as (is_math, run) pairs, cut at `\(`...`\)` and `\[`...`\]`; empty plain
    runs are dropped. A display run's TeX is a DisplayTex.

    Raises MathError for an unclosed `\(` or `\[`, a stray `\)` or `\]`, an opening inside
    math, or an empty formula.
    """
    runs: list[tuple[bool, str]] = []
    pos = 0
    while True:
        start, opener = _first(text, pos, OPEN, DISPLAY_OPEN)
        stray, closer = _first(text, pos, CLOSE, DISPLAY_CLOSE)
        if stray != -1 and (start == -1 or stray < start):
            mate = OPEN if closer == CLOSE else DISPLAY_OPEN
            raise MathError(f"stray {closer} at character {stray + 1} with no {mate} before it")
        if start == -1:
            if pos < len(text):
                runs.append((False, text[pos:]))
            return runs
        if start > pos:
            runs.append((False, text[pos:start]))
        close = CLOSE if opener == OPEN else DISPLAY_CLOSE
        end = text.find(close, start + 2)
        if end == -1:
            raise MathError(f"{opener} at character {start + 1} is never closed with {close}")
        tex = text[start + 2 : end]
        nested, inner = _first(tex, 0, OPEN, DISPLAY_OPEN)
        if nested != -1:
            raise MathError(
                f"{inner} at character {start + 3 + nested} opens inside the formula started at "
                f"character {start + 1}"
            )
        if not tex.strip():
            raise MathError(f"empty formula {opener}{close} at character {start + 1}")
        runs.append((True, tex if opener == OPEN else DisplayTex(tex)))
        pos = end + 2


def has_math(text: str) -> bool:
    return OPEN in text or CLOSE in text or DISPLAY_OPEN in text or DISPLAY_CLOSE in text


# ---------------------------------------------------------------------------- checks


# Limits checked where a formula enters (issue 18, D5/D7/D8): matplotlib's parser recurses
# per group (30 nested braces or 22 nested \\frac overflowed Python's stack) and is far
# from linear in length (1,000 terms took 7.9 s to validate). A card's formulas are a line
# or two; these bounds are several times the longest the shipped catalog holds.
MAX_FORMULA_LENGTH = 400
MAX_FORMULA_DEPTH = 12


def _precheck(tex: str) -> str | None:
    """Errors found without importing matplotlib, in one pass: length, nesting, braces and
    a bare `$`."""
    if len(tex) > MAX_FORMULA_LENGTH:
        return (f"the formula is {len(tex)} characters long, more than {MAX_FORMULA_LENGTH}; "
                "split it into shorter formulas")
    depth = lefts = 0  # \left...\right pairs nest as braces do
    for i, ch in enumerate(tex):
        if ch == "\\" and tex.startswith("left", i + 1):
            lefts += 1
        elif ch == "\\" and tex.startswith("right", i + 1):
            lefts -= 1
        if depth + lefts + (ch == "{") > MAX_FORMULA_DEPTH:
            return (f"the formula nests groups more than {MAX_FORMULA_DEPTH} deep (at character {i + 1}); "
                    "write it flatter")
        if ch in "{}" and i > 0 and tex[i - 1] == "\\":
            continue  # \{ and \} are literal braces
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return f"unbalanced braces: '}}' at character {i + 1} closes nothing"
        elif ch == "$" and (i == 0 or tex[i - 1] != "\\"):
            return "a '$' inside a formula ends math mode; write \\$ for a dollar sign"
    if depth > 0:
        return f"unbalanced braces: {depth} '{{' never closed"
    return None


def check(tex: str, display: bool = False) -> str | None:
    """An error message for a malformed formula (the TeX between the delimiters), or None.

    A clean formula is laid out once here and cached, so the build that follows reuses it;
    a display formula in display style too (its rewriting differs).
    """
    problem = _precheck(tex)
    if problem:
        return problem
    try:
        layout(tex, 10.0)
        if display:
            layout(tex, 10.0, display=True)
    except MathError as e:
        return str(e)
    return None


def formula_problems(text: str) -> list[str]:
    r"""Every math problem in one field's text; [] when fine. Cheap when there is no `\(`."""
    if not has_math(text):
        return []
    try:
        runs = split_runs(text)
    except MathError as e:
        return [str(e)]
    problems = []
    for is_math, tex in runs:
        if is_math:
            display = isinstance(tex, DisplayTex)
            problem = check(tex, display)
            if problem:
                opener, closer = (DISPLAY_OPEN, DISPLAY_CLOSE) if display else (OPEN, CLOSE)
                problems.append(f"formula {opener}{tex}{closer}: {problem}")
    return problems


# ---------------------------------------------------------------------------- layout

_memory: dict[tuple[str, float, str], MathBox] = {}


# Formulas are laid out by mathtext only at sizes on this grid (points); text between two
# grid sizes gets the formula laid out at the size just below, scaled up to the text's
# size. The size searches (the sheet tries sizes 0.05 pt apart, the deck 0.25) then cost
# one layout per grid size instead of one per size tried: issue 21's 1,533 layouts of 107
# formulas. Scaling up by at most 0.5/6 (8 %) keeps the formula at exactly the text's size
# and every script at or over the 5 pt floor (a floored 5 pt script becomes 5.0-5.4 pt).
GRID = 0.5


# A display formula's cache key is its TeX after this mark (a control character no catalog
# text can hold: the loader refuses them), so the caches keep one key shape for both styles.
DISPLAY_KEY = "\x01"


def layout(tex: str, size: float, fontset: str = FONTSET, display: bool = False) -> MathBox:
    """One formula at `size` points, in display style with `display` (typeset/display.py);
    cached in memory and, if enabled, on disk."""
    key = (DISPLAY_KEY + tex if display else tex, float(size), fontset)
    box = _memory.get(key)
    if box is None:
        base = round(int(size / GRID + 1e-9) * GRID, 4)
        if base >= SCRIPT_FLOOR and base < size - 1e-9:
            box = _memory[key] = scaled(layout(tex, base, fontset, display), size / base)
            return box
        box = _exact(tex, float(size), fontset, key)
    return box


def scaled(box: MathBox, f: float) -> MathBox:
    """`box` with every position, size and rule multiplied by `f` (the same formula, larger)."""
    return MathBox(
        _r(box.width * f), _r(box.ascent * f), _r(box.descent * f),
        tuple(MathGlyph(g.font_name, g.char, _r(g.x * f), _r(g.y * f), _r(g.size * f)) for g in box.glyphs),
        tuple((_r(x * f), _r(y * f), _r(w * f), _r(h * f)) for x, y, w, h in box.rules),
        box.tex,
    )


def _exact(tex: str, size: float, fontset: str, key) -> MathBox:
    box = _memory.get(key)
    if box is None:
        box = _disk_get(key) or _prebuilt(key)
        if box is not None and box.tex != tex:  # a display formula's key holds its mark
            box = MathBox(box.width, box.ascent, box.descent, box.glyphs, box.rules, tex)
        if box is None:
            problem = _precheck(tex)
            if problem:
                raise MathError(problem)
            from cardpress.typeset.mplconfig import prepare

            prepare()  # before mathmacros reads mathtext's tables: matplotlib's folder, once
            from cardpress.typeset.mathmacros import TexError, expand

            try:
                pieces = expand(tex, display=key[0].startswith(DISPLAY_KEY))
            except TexError as e:
                raise MathError(str(e)) from None
            from cardpress.typeset import mathcompose

            box = mathcompose.compose(pieces, float(size), lambda src, sz: _mathtext_box(src, sz, fontset))
            box = MathBox(box.width, box.ascent, box.descent, box.glyphs, box.rules, tex)
            _disk_put(key, box)
        _memory[key] = box
    return box


def _prebuilt(key: tuple[str, float, str]) -> MathBox | None:
    """The box shipped for this formula and size (typeset.mathstore), if any and still valid.
    Not copied to the disk cache: reading it again is as quick as reading that."""
    from cardpress.typeset import mathstore

    return mathstore.get(key)


_pieces: dict[tuple[str, float, str], MathBox] = {}


def _mathtext_box(src: str, size: float, fontset: str) -> MathBox:
    """One piece of mathtext source laid out (memoised: matrix cells and struts repeat)."""
    key = (src, size, fontset)
    box = _pieces.get(key)
    if box is None:
        box = _pieces[key] = _layout_with_matplotlib(src, size, fontset)
    return box


@cache
def _floored_shrink():
    """Patches for mathtext's shrink with the script floor: a script's glyph never goes below
    SCRIPT_FLOOR, and a list of floored glyphs is measured again (mathtext scales a list's
    box by 0.7 without looking at its children), so boxes keep enclosing their ink."""
    from matplotlib import _mathtext as mt

    def char_shrink(self) -> None:
        mt.Node.shrink(self)  # the level count
        if self.size < mt.NUM_SIZE_LEVELS:
            new = max(self.fontsize * mt.SHRINK_FACTOR, min(self.fontsize, SCRIPT_FLOOR))
            if new != self.fontsize:
                self.fontsize = new
                self._update_metrics()

    def hlist_shrink(self) -> None:
        mt.List.shrink(self)
        if self.glue_sign == 0:
            self.hpack()  # natural width: measured again from the children
        else:  # a centred or set-width list keeps its width; its height follows its children
            for p in self.children:
                if isinstance(p, mt.Char):
                    self.height, self.depth = max(self.height, p.height), max(self.depth, p.depth)
                elif isinstance(p, mt.Box) and not (mt.np.isinf(p.height) or mt.np.isinf(p.depth)):
                    sh = getattr(p, "shift_amount", 0.0)
                    self.height = max(self.height, p.height - sh)
                    self.depth = max(self.depth, p.depth + sh)

    def vlist_shrink(self) -> None:
        mt.List.shrink(self)
        if self.glue_sign == 0:
            self.vpack()

    return mt, ((mt.Char, char_shrink), (mt.Hlist, hlist_shrink), (mt.Vlist, vlist_shrink))


def _layout_with_matplotlib(tex: str, size: float, fontset: str) -> MathBox:
    # The heavy import (matplotlib + numpy, about a second) happens here and only here,
    # with matplotlib's font list in cardpress's folder (typeset.mplconfig).
    from cardpress.typeset.mplconfig import prepare

    prepare()  # a no-op after _exact's
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    prop = FontProperties(size=size, math_fontfamily=fontset)
    mt, patches = _floored_shrink()
    # Patched only while our own parse runs: `drill stats --plot` keeps matplotlib's own.
    saved = [(cls, cls.__dict__.get("shrink")) for cls, _ in patches]
    for cls, fn in patches:
        cls.shrink = fn
    import logging

    # A character mathtext's fonts lack is set as a dummy symbol with a logged warning: it
    # is found below and named instead (issue 18, D29: an emoji named another character).
    log = logging.getLogger("matplotlib.mathtext")
    level, log.level = log.level, logging.ERROR
    try:
        parsed = MathTextParser("path").parse(f"${tex}$", 72 * _SCALE, prop)
    except ValueError as e:
        raise MathError(_mathtext_message(str(e))) from None
    finally:
        log.level = level
        for cls, fn in saved:
            if fn is None:
                del cls.shrink
            else:
                cls.shrink = fn
    drawn = {chr(g[2]) if isinstance(g[2], int) else str(g[2]) for g in parsed.glyphs}
    for i, ch in enumerate(tex):
        if ch > "\x7f" and ch not in drawn:
            raise MathError(f"'{ch}' (U+{ord(ch):04X}) at character {i + 1} is not in the fonts formulas are set in")

    s = _SCALE
    # mathtext's vector output already puts y = 0 on the formula's baseline, y up.
    depth = float(parsed.depth) / s
    glyphs = []
    for g in parsed.glyphs:
        # (font, size, code point[, glyph index], x, y) across matplotlib versions
        font, gsize, num = g[0], g[1], g[2]
        ox, oy = g[-2], g[-1]
        name = _FONT_NAMES.get((font.family_name, font.style_name))
        char = chr(num) if isinstance(num, int) else str(num)
        if name is None or ord(char) not in fonts._codepoints(name):
            shown = char if char.isprintable() and not 0xE000 <= ord(char) <= 0xF8FF else "a symbol"
            raise MathError(
                f"{shown} in \\({tex}\\) has no glyph in the fonts cardpress embeds "
                f"({font.family_name} {font.style_name}); write it with a plainer command"
            )
        glyphs.append(MathGlyph(name, char, _r(ox / s), _r(oy / s), _r(gsize)))
    rules = tuple(
        (_r(x / s), _r(y / s), _r(w / s), _r(h / s)) for x, y, w, h in parsed.rects
    )
    height = float(parsed.height) / s
    return MathBox(
        width=_r(float(parsed.width) / s),
        ascent=_r(height - depth),
        descent=_r(depth),
        glyphs=tuple(glyphs),
        rules=rules,
    )


def _r(v) -> float:
    # 1e-4 pt is far below what a printer resolves, and plain floats survive JSON exactly.
    return round(float(v), 4)


_PARSE_TAIL = re.compile(r",? *found .*?\(at char \d+\), \(line:\d+, col:(\d+)\)\s*$", re.S)


def _mathtext_message(raw: str) -> str:
    """mathtext's pyparsing error, shortened to one line a catalog author can act on."""
    last = raw.strip().splitlines()[-1] if raw.strip() else raw
    last = re.sub(r"^\w*Exception: ", "", last)
    col = None
    m = _PARSE_TAIL.search(last)
    if m:
        col = int(m.group(1)) - 1  # the formula is wrapped in one '$'
        last = last[: m.start()]
    if m := re.match(r"Unknown symbol: (\\\w+)", last):
        last = f"unknown command {m.group(1)}"
    elif last.startswith("Expected {") or len(last) > 100:
        last = "incomplete or misplaced expression"
    where = f" (at character {max(col, 1)})" if col is not None else ""
    return last.rstrip(", ") + where


# ---------------------------------------------------------------------------- disk cache
# Measured (see README): importing matplotlib costs ~1 s per process, reading a cached
# box well under a millisecond, so a rebuild of an unchanged catalog skips the import.


def cache_dir() -> Path | None:
    """Where laid-out formulas persist; CARDPRESS_CACHE_DIR overrides, "" turns it off."""
    from cardpress.files.cache import private

    return private("math")


@cache
def _mpl_version() -> str:
    # Read from the dist-info beside the package that would be imported: importlib.metadata
    # imports email, zipfile and more (~15 ms), a third of a small deck's time after start-up.
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    if spec is None:
        return "none"
    if spec.submodule_search_locations:
        here = Path(next(iter(spec.submodule_search_locations))).parent
        infos = list(here.glob("matplotlib-*.dist-info"))
        if len(infos) == 1:
            try:
                with open(infos[0] / "METADATA", encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break  # the end of the headers
            except OSError:
                pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matplotlib")
    except PackageNotFoundError:
        return "none"


@cache
def _code_version() -> str:
    """A digest of the modules that decide a formula's layout (~60 KB read once a process)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("mathtext.py", "mathbox.py", "mathmacros.py", "mathcompose.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _disk_path(key: tuple[str, float, str]) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    tex, size, fontset = key
    # The matplotlib version is part of the key: another version may set a formula differently;
    # so is our own code that rewrites and composes formulas (a new cardpress, a new layout).
    ident = json.dumps([_CACHE_FORMAT, _mpl_version(), _code_version(), fontset, size, tex])
    return directory / (hashlib.sha256(ident.encode()).hexdigest() + ".json")


def _disk_get(key: tuple[str, float, str]) -> MathBox | None:
    """The stored box, if cardpress stored it whole (files.cache checks its checksum) and every
    value in it is one a layout could have made (see `box_from`). Anything else is laid out
    again, never printed."""
    path = _disk_path(key)
    if path is None:
        return None
    from cardpress.files.cache import load

    raw = load(path)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if data["key"] != [key[0], key[1], key[2]]:
            return None
        return box_from(key, data["width"], data["ascent"], data["descent"], data["glyphs"], data["rules"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # not a layout: lay it out again and overwrite


def box_from(key: tuple[str, float, str], width, ascent, descent, glyphs, rules) -> MathBox:
    """A box from stored values (the disk cache's, the prebuilt store's), trusting none of
    them: a font this module names, one character, finite numbers, four numbers a rule.
    Raises ValueError, KeyError, TypeError or AttributeError for anything else."""
    made = []
    for f, c, x, y, s in glyphs:
        if f not in _KNOWN_FONTS or not isinstance(c, str) or len(c) != 1:
            raise ValueError("not a glyph a layout makes")
        made.append(MathGlyph(f, c, _finite(x), _finite(y), _finite(s)))
    lines = []
    for r in rules:
        if len(r) != 4:
            raise ValueError("not a rule a layout makes")
        lines.append(tuple(_finite(v) for v in r))
    return MathBox(
        width=_finite(width),
        ascent=_finite(ascent),
        descent=_finite(descent),
        glyphs=tuple(made),
        rules=tuple(lines),
        tex=key[0],
    )


_KNOWN_FONTS = frozenset(_FONT_NAMES.values())


def _finite(v) -> float:
    if type(v) not in (int, float) or not math.isfinite(v) or abs(v) > 1e5:
        raise ValueError(f"{v!r} is not a length a layout makes")
    return float(v)


def _disk_put(key: tuple[str, float, str], box: MathBox) -> None:
    path = _disk_path(key)
    if path is None:
        return
    data = {
        "key": list(key),
        "width": box.width,
        "ascent": box.ascent,
        "descent": box.descent,
        "glyphs": [[g.font_name, g.char, g.x, g.y, g.size] for g in box.glyphs],
        "rules": [list(r) for r in box.rules],
    }
    from cardpress.files.cache import store

    store(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


# Plain-text spelling of a formula, for places that show text but cannot set math (the
# drill's terminal). Only what the catalog's subset needs; unknown commands lose their
# backslash, so nothing is hidden.
_PLAIN_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "theta": "θ",
    "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω",
    "Sigma": "Σ", "sum": "Σ", "ll": "≪", "gg": "≫", "approx": "≈", "propto": "∝", "top": "⊤",
    "mid": "|", "cdot": "·", "times": "×", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "to": "→", "rightarrow": "→", "infty": "∞", "sim": "~", "in": "∈",
}
_PLAIN_SPACES = re.compile(r"\\[,;:! ]|\\q?quad")
_PLAIN_GROUPED = re.compile(r"\\(?:d|t)?frac\{([^{}]*)\}\{([^{}]*)\}|\\sqrt\{([^{}]*)\}|\\(?:mathrm|text|operatorname|mathbf|mathit)\{([^{}]*)\}")
_PLAIN_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _plain_formula(tex: str) -> str:
    def atom(s: str) -> str:
        return f"({s})" if re.search(r"[\s+\-=/]", s) else s

    def grouped(m: re.Match) -> str:
        num, den, root, word = m.groups()
        if word is not None:
            return word
        if root is not None:
            return "√" + atom(root)
        return f"{atom(num)}/{atom(den)}"

    def command(m: re.Match) -> str:
        name = m.group(1)
        if name in _PLAIN_SYMBOLS:
            return _PLAIN_SYMBOLS[name]
        # An operator name (\log, \min) keeps a space before a following letter: log σ.
        return name + (" " if re.match(r"[A-Za-z\\]", tex_rest(m)) else "")

    text = _PLAIN_SPACES.sub(" ", tex).replace(r"\left", "").replace(r"\right", "")
    for _ in range(4):  # nested groups, innermost first
        text = re.sub(r"([_^])\{([^{}]*)\}", lambda m: m.group(1) + atom(m.group(2)), text)
        text = _PLAIN_GROUPED.sub(grouped, text)

    def tex_rest(m: re.Match) -> str:
        return m.string[m.end():]

    text = _PLAIN_COMMAND.sub(command, text)
    text = re.sub(r"(?<=[α-ωΣ])(?=log|exp|min|max)", " ", text)  # β log, not βlog
    return text.replace("{", "").replace("}", "")


def plain(text: str) -> str:
    """`text` with each `\\(...\\)` formula spelled in plain characters (r ≪ min(d, k))."""
    if r"\(" not in text and r"\[" not in text:
        return text
    try:
        runs = split_runs(text)
    except MathError:
        return text
    return "".join(_plain_formula(run) if is_math else run for is_math, run in runs)


_OPERATOR_AT = re.compile(r"=|\+|-|<|>|\\(?:approx|propto|ll|gg|le|leq|ge|geq|ne|neq|equiv|sim|simeq|to)(?![A-Za-z])")


def break_points(tex: str) -> list[str]:
    """`tex` cut before each relation or operator (=, +, -, <, >, \\approx, \\le, \\sim, ...) that stands at
    the formula's top level: outside braces, \\left...\\right and environments. Each piece is a
    formula of its own, so a line may end between them where a whole formula is wider
    than the line (a leading minus stays with what follows it)."""
    pieces, start, depth, i = [], 0, 0, 0
    while i < len(tex):
        if tex.startswith(r"\left", i) and not tex[i + 5:i + 6].isalpha():
            depth, i = depth + 1, i + 5
            continue
        if tex.startswith(r"\begin", i) and not tex[i + 6:i + 7].isalpha():
            depth, i = depth + 1, i + 6  # an environment is never cut: its rows belong together
            continue
        if tex.startswith(r"\end", i) and not tex[i + 4:i + 5].isalpha():
            depth, i = depth - 1, i + 4
            continue
        if tex.startswith(r"\right", i) and not tex[i + 6:i + 7].isalpha():
            depth, i = depth - 1, i + 6
            continue
        ch = tex[i]
        if ch == "\\" and i + 1 < len(tex) and not tex[i + 1].isalpha():
            i += 2  # an escaped character (\{, \,) is not a brace or an operator
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and not _OPERATOR_AT.fullmatch(tex[start:i].strip() or "="):
            m = _OPERATOR_AT.match(tex, i)
            if m:
                pieces.append(tex[start:i].strip())
                start = i
                i = m.end()
                continue
        i += 1
    pieces.append(tex[start:].strip())
    return [p for p in pieces if p]
