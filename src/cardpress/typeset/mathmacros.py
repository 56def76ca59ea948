r"""The macro layer: TeX as LaTeX users write it, rewritten into what mathtext parses.

matplotlib's mathtext (see mathtext.py) parses a subset of TeX. Papers write more:
`\le`, `\iff`, `\operatorname*`, `\bm`, `\big(`, `\lVert`, `\tfrac`, `\textbf`, primes,
`\mathbb`, environments. `expand` rewrites a formula, as typed in the catalog, into
pieces mathtext lays out: a string of mathtext source, or a `Grid` (matrix, cases,
aligned) or a `Brace` (\underbrace, \overbrace) that mathtext.py composes from boxes of
such strings. It is pure text work: no matplotlib import, so `validate` finds an
unknown command without paying for one.

Rewrites that are about spacing, following TeX's rules for inline (text-style) math:
- a minus (or plus) that starts a list, or follows an opening, an operator or a relation,
  is unary: set without the binary spaces (`\sigma(-x)`, `= -1`, `, -2`);
- inside sub- and superscripts, operators and relations get no spaces at all (`x_{t-1}`);
- an operator name (`\log`, `\max`, `\operatorname{clip}`) after a letter or a closing
  gets a thin space before it (`\beta\log` prints "β log", not "βlog");
- big operators (`\sum`, `\prod`) and `\lim`, `\max`, `\min`, `\operatorname*` put their
  limits at the side, as TeX does in text.

A display formula (`expand(tex, display=True)`: an `equation` field, a figure that is all
formula, `\[...\]` in text) is set in TeX's display style instead: a fraction at its top
level is a `\dfrac` (its numerator and denominator in text style, as TeX's), big operators
are the display glyphs with their limits above and below, and `\lim`, `\max`, `\min`,
`\operatorname*` take their limits under them. `\textstyle` turns that off for the rest of
its group and `\displaystyle` back on; inline, both are ignored (inline math stays in text
style, so its lines keep the text's leading).

A command nothing here or in mathtext knows is refused with its position (1-based, in
the formula as written) and what to write instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache


class TexError(ValueError):
    """A formula that cannot be set: the message names the command and its position."""


@dataclass(frozen=True)
class Grid:
    """An environment's cells (mathtext source each), row by row, and how to set them."""

    env: str
    rows: tuple[tuple[str, ...], ...]
    align: str  # one letter a column, repeating: "c" centred, "l" left, "r" right
    left: str  # delimiter before ("(", "[", "\\{", "|", "\\Vert", "" for none)
    right: str
    colsep: float  # em between columns
    rowgap: float  # em added between rows (\jot)


@dataclass(frozen=True)
class Brace:
    r"""`\underbrace{body}_{label}` or `\overbrace{body}^{label}`."""

    under: bool
    body: str  # mathtext source
    label: str  # mathtext source, "" for none


@dataclass(frozen=True)
class Arrow:
    r"""`\xrightarrow[below]{above}` or `\xleftarrow`: an arrow as long as its labels."""

    left: bool
    above: str  # mathtext source, "" for none
    below: str


Piece = str | Grid | Brace | Arrow

# ---------------------------------------------------------------------------- tables

# Plain aliases: a command LaTeX (or amsmath) has and mathtext spells differently.
ALIASES = {
    "le": r"\leq", "ge": r"\geq", "leqslant": r"\leq", "geqslant": r"\geq",
    "ne": r"\neq", "gets": r"\leftarrow", "lnot": r"\neg",
    "iff": r"\;\Longleftrightarrow\;", "implies": r"\;\Longrightarrow\;",
    "impliedby": r"\;\Longleftarrow\;",
    "lVert": r"\Vert", "rVert": r"\Vert", "lvert": "|", "rvert": "|",
    "coloneqq": r"\coloneq", "eqqcolon": r"\eqcolon",
    "tfrac": r"\frac", "cfrac": r"\frac",
    "bm": r"\boldsymbol", "pmb": r"\boldsymbol",
    "textrm": r"\text", "textnormal": r"\text", "textsf": r"\text", "textup": r"\text",
    "mathnormal": r"\mathit", "mathscr": r"\mathcal",
    "argmax": r"\operatorname{arg\,max}", "argmin": r"\operatorname{arg\,min}",
    "dots": r"\ldots", "dotsc": r"\ldots", "dotsb": r"\cdots", "dotsm": r"\cdots",
    "lbrace": r"\{", "rbrace": r"\}",
    "intercal": r"\top", "varnothing": r"\emptyset",
    "prime": "′",
    "stackrel": r"\overset",
    "mathds": r"\mathbb", "mathbbm": r"\mathbb",
}

# Switches with no effect here: \scriptstyle and relatives (a formula is set at its text's
# size); \displaystyle and \textstyle are read by the writer (display style in display math).
DROPPED = {"scriptstyle", "scriptscriptstyle", "limits", "nolimits",
           "nonumber", "notag", "allowbreak", "mathstrut", "strut"}

# Big operators and functions that take limits: inline, limits go at the side.
_SIDE_LIMIT_OPS = {"sum": "∑", "prod": "∏", "coprod": "∐", "bigcup": "⋃", "bigcap": "⋂",
                   "bigoplus": "⨁", "bigotimes": "⨂", "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀",
                   "bigsqcup": "⨆", "biguplus": "⨄"}
_LIMIT_FUNCTIONS = {"lim", "liminf", "limsup", "sup", "max", "min", "inf", "det", "gcd", "Pr"}

# \big( and relatives: the delimiter's height in ems (plain TeX's 8.5, 11.5, 14.5, 17.5 pt
# struts at 10 pt pick delimiters of about 1.2, 1.8, 2.4 and 3 em).
BIG = {"big": 1.2, "Big": 1.8, "bigg": 2.4, "Bigg": 3.0}
_BIG_SIDES = ("", "l", "r", "m")

# Environments: (column alignment, left delimiter, right delimiter, column sep em, row gap em).
ENVIRONMENTS = {
    "matrix": ("c", "", "", 1.0, 0.0),
    "smallmatrix": ("c", "", "", 0.6, 0.0),
    "pmatrix": ("c", "(", ")", 1.0, 0.0),
    "bmatrix": ("c", "[", "]", 1.0, 0.0),
    "Bmatrix": ("c", r"\{", r"\}", 1.0, 0.0),
    "vmatrix": ("c", "|", "|", 1.0, 0.0),
    "Vmatrix": ("c", r"\Vert", r"\Vert", 1.0, 0.0),
    "cases": ("l", r"\{", "", 1.0, 0.0),
    "dcases": ("l", r"\{", "", 1.0, 0.0),
    "aligned": ("rl", "", "", 0.0, 0.3),
    "align": ("rl", "", "", 0.0, 0.3),
    "align*": ("rl", "", "", 0.0, 0.3),
    "alignedat": ("rl", "", "", 0.0, 0.3),
    "split": ("rl", "", "", 0.0, 0.3),
    "gathered": ("c", "", "", 0.0, 0.3),
    "gather": ("c", "", "", 0.0, 0.3),
    "gather*": ("c", "", "", 0.0, 0.3),
    "array": ("c", "", "", 1.0, 0.0),
}

# What to write instead of a command cardpress cannot set (beyond close spellings).
SUGGEST = {
    "boxed": "write the formula without a box",
    "color": "formulas print in the text's colour; leave the colour out",
    "textcolor": "formulas print in the text's colour; leave the colour out",
    "tag": "leave the equation number out", "label": "leave the label out",
    "eqref": "write the equation's name in words", "ref": "write the reference in words",
    "hline": "leave the rule out of the matrix",
    "vphantom": r"leave it out (\phantom takes room in both directions)",
    "hphantom": r"use \phantom",
    "mathring": r"use \dot or \hat",
    "DeclareMathOperator": r"write \operatorname{name} where the operator is used",
    "newcommand": "write the macro out in full where it is used",
    "def": "write the macro out in full where it is used",
    "rule": r"leave it out, or use \overline",
    "cancel": r"use \not or write the term without it",
    "pmod": r"write \;(\mathrm{mod}\; n)", "bmod": r"write \;\mathrm{mod}\;",
    "mod": r"write \;\mathrm{mod}\;",
    "choose": r"use \binom{n}{k}",
    "over": r"use \frac{a}{b}",
    "sideset": r"use scripts on an empty group, {}_a^b",
    "intertext": "split the formula in two and put the words between them",
    "overleftrightarrow": r"use \overrightarrow",
    "dv": r"write \frac{d}{dx}", "pdv": r"write \frac{\partial}{\partial x}",
}

# Commands handled by `expand` itself (they take arguments or are structural).
_STRUCTURAL = {"begin", "end", "operatorname", "text", "textbf", "textit", "texttt", "mathbb",
               "underbrace", "overbrace", "xrightarrow", "xleftarrow", "left", "right", "middle",
               "mbox", "hbox", "not"}


@cache
def mathtext_commands() -> frozenset[str]:
    """Every command name mathtext parses (read from its tables: a cheap import, no pyplot)."""
    from matplotlib._mathtext import Parser
    from matplotlib._mathtext_data import tex2uni

    names = set(tex2uni)
    names |= Parser._function_names | Parser._overunder_functions
    names |= {"math" + f for f in Parser._fontnames} | {f for f in Parser._fontnames}
    names |= {n for n in Parser._accent_map if n.isalpha()} | Parser._wide_accents
    names |= {s.lstrip("\\") for s in Parser._space_widths if s.lstrip("\\").isalpha()}
    names |= {"frac", "dfrac", "binom", "genfrac", "sqrt", "overline", "underline", "overset",
              "underset", "text", "substack", "operatorname", "boldsymbol", "left", "right",
              "middle", "phantom", "llap", "rlap", "hspace"}
    names |= {d.lstrip("\\") for d in Parser._delims if d.startswith("\\")}
    return frozenset(names)


STYLES = {"displaystyle", "textstyle"}

# Display style: big operators mathtext sets in their display glyphs with limits over and
# under, and the functions it sets with limits under.
_DISPLAY_OPS = {"sum", "prod", "coprod", "bigcup", "bigcap", "bigoplus", "bigotimes", "bigodot", "bigvee",
                "bigwedge", "bigsqcup", "biguplus"}
_DISPLAY_FUNCTIONS = {"lim", "liminf", "limsup", "sup", "max", "min"}


def known(name: str) -> bool:
    return (name in ALIASES or name in DROPPED or name in STYLES or name in _SIDE_LIMIT_OPS or name in _LIMIT_FUNCTIONS
            or name in _STRUCTURAL or _big(name) is not None or name in mathtext_commands())


def _big(name: str) -> float | None:
    for base, ems in BIG.items():
        if name in (base + side for side in _BIG_SIDES):
            return ems
    return None


def suggestion(name: str) -> str:
    if name in SUGGEST:
        return SUGGEST[name]
    pool = sorted(set(ALIASES) | mathtext_commands() | _SIDE_LIMIT_OPS.keys())
    close = difflib.get_close_matches(name, pool, n=2, cutoff=0.75)
    if close:
        return "did you mean " + " or ".join("\\" + c for c in close) + "?"
    return "write it with the commands README's Math section lists"


# Relations and binary operators as Unicode, for scripts (set unspaced there) and unary minus.
_BIN_CHARS = {"+": "+", "-": "−", "*": "∗"}
_REL_CHARS = {"=": "=", "<": "<", ">": ">"}
_UNICODE_MINUS = "−"


@cache
def _relation_chars() -> dict[str, str]:
    from matplotlib._mathtext import Parser
    from matplotlib._mathtext_data import tex2uni

    out = {}
    for sym in Parser._relation_symbols | Parser._binary_operators | Parser._arrow_symbols:
        name = sym.lstrip("\\")
        if sym.startswith("\\") and name in tex2uni:
            out[name] = chr(tex2uni[name])
    return out


# ---------------------------------------------------------------------------- scanning

_CMD = re.compile(r"\\([A-Za-z]+\*?|.)", re.S)


def _group_end(s: str, i: int) -> int:
    """Index just past the brace group opening at s[i] == "{" (balanced: _precheck ran)."""
    depth = 0
    j = i
    while j < len(s):
        ch = s[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise TexError(f"unbalanced braces: '{{' at character {i + 1} is never closed")


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] == " ":
        i += 1
    return i


def _argument(s: str, i: int, what: str, at: int) -> tuple[str, int, int]:
    """(argument text, its start index, index after it): a {group} or one token."""
    i = _skip_space(s, i)
    if i >= len(s):
        raise TexError(f"{what} at character {at + 1} needs an argument in braces")
    if s[i] == "{":
        end = _group_end(s, i)
        return s[i + 1:end - 1], i + 1, end
    m = _CMD.match(s, i)
    if m:
        return m.group(0), i, m.end()
    return s[i], i, i + 1


def _optional(s: str, i: int) -> tuple[str | None, int, int]:
    """An optional [argument]: (text or None, start, index after)."""
    j = _skip_space(s, i)
    if j < len(s) and s[j] == "[":
        depth, k = 0, j
        while k < len(s):
            if s[k] == "{":
                depth += 1
            elif s[k] == "}":
                depth -= 1
            elif s[k] == "]" and depth == 0:
                return s[j + 1:k], j + 1, k + 1
            k += 1
        raise TexError(f"'[' at character {j + 1} is never closed with ']'")
    return None, i, i


# ---------------------------------------------------------------------------- rewriting


def _double_struck(text: str, at: int) -> str:
    # mathtext's \mathbb sets letters from STIX's italic double-struck set; LaTeX's are
    # upright. The Unicode letters in \mathrm are upright and copy as themselves.
    special = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
    out = []
    for ch in text:
        if ch in special:
            out.append(special[ch])
        elif "A" <= ch <= "Z":
            out.append(chr(0x1D538 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D552 + ord(ch) - ord("a")))
        elif "0" <= ch <= "9":
            out.append(chr(0x1D7D8 + ord(ch) - ord("0")))
        elif ch == " ":
            continue
        else:
            raise TexError(f"\\mathbb at character {at + 1} takes letters and digits, not {ch!r}")
    return r"\mathrm{" + "".join(out) + "}"


def _text_words(text: str) -> str:
    """Words for \\mathbf/\\mathit: math mode drops spaces, so each becomes a `\\ `."""
    return text.strip().replace(" ", r"\ ")


class _Writer:
    """Rewrites one list (a formula, a group, a script, a cell) into mathtext source."""

    def __init__(self, src: str, base: int, script: bool, display: bool = False, display_ok: bool = False):
        self.src = src  # the text of this list
        self.base = base  # its offset in the formula as written, for messages
        self.script = script
        self.display = display and not script  # this list is set in display style
        self.display_ok = display_ok  # the formula is display math (\displaystyle may turn it on)
        self.out: list[str] = []
        self.prev = "start"  # the last atom's class: start, open, close, ord, op, bin, rel, punct

    def pos(self, i: int) -> int:
        return self.base + i + 1

    def sub(self, text: str, start: int, script: bool | None = None, display: bool | None = None) -> str:
        script = self.script if script is None else script
        w = _Writer(text, self.base + start, script, self.display if display is None else display, self.display_ok)
        return w.run()

    def limits_under(self, op: str, end: int) -> int | None:
        r"""In display style, `op` (an operator name's source) with a subscript right after it
        set under it, as TeX sets \operatorname* and \argmax in display; None otherwise."""
        s = self.src
        j = _skip_space(s, end)
        if not self.display or j >= len(s) or s[j] != "_":
            return None
        k = _skip_space(s, j + 1)
        if k < len(s) and s[k] == "{":
            stop = _group_end(s, k)
            inner = self.sub(s[k + 1:stop - 1], k + 1, script=True)
        else:
            m = _CMD.match(s, k)
            stop = m.end() if m else k + 1
            inner = self.sub(s[k:stop], k, script=True)
        self.operator_space()
        self.emit(r"\underset{" + inner + "}{" + op + "}", "op")
        return stop

    def emit(self, text: str, kind: str) -> None:
        self.out.append(text)
        self.prev = kind

    def operator_space(self) -> None:
        # TeX puts a thin space between an ordinary atom (or a closing) and an operator.
        if self.prev in ("ord", "close"):
            self.out.append(r"\,")

    def run(self) -> str:
        s, i = self.src, 0
        while i < len(s):
            ch = s[i]
            if ch == "\\":
                i = self.command(i)
                continue
            if ch == "{":
                end = _group_end(s, i)
                inner = self.sub(s[i + 1:end - 1], i + 1)
                self.emit("{" + inner + "}", "ord")
                i = end
                continue
            if ch in "^_":
                i = self.script_of(i)
                continue
            if ch == "'":
                n = len(s[i:]) - len(s[i:].lstrip("'"))
                primes = "′″‴"[min(n, 3) - 1] + "′" * max(0, n - 3)
                self.emit(primes, "ord")
                i += n
                continue
            if ch in _BIN_CHARS:
                unary = self.prev in ("start", "open", "op", "bin", "rel", "punct")
                if self.script or unary:
                    self.emit(r"\text{" + _BIN_CHARS[ch] + "}", "ord" if unary else "bin")
                else:
                    self.emit(ch, "bin")
                i += 1
                continue
            if ch in _REL_CHARS:
                self.emit(r"\text{" + ch + "}" if self.script else ch, "rel")
                i += 1
                continue
            if ch == "&":
                raise TexError(f"'&' at character {self.pos(i)} is outside a matrix or aligned "
                               r"environment; write \begin{aligned} ... \end{aligned} around the rows")
            if ch == "#" or ch == "%":
                raise TexError(f"{ch!r} at character {self.pos(i)} cannot be set; write \\{ch}")
            if ch == "$":
                raise TexError("a '$' inside a formula ends math mode; write \\$ for a dollar sign")
            if ch in "([":
                self.emit(ch, "open")
            elif ch in ")]":
                self.emit(ch, "close")
            elif ch in ",;":
                self.emit(ch, "punct")
            elif ch in " \n\t":
                self.out.append(" ")
            else:
                self.emit(ch, "ord")
            i += 1
        return "".join(self.out)

    def script_of(self, i: int) -> int:
        s = self.src
        j = _skip_space(s, i + 1)
        if j >= len(s):
            raise TexError(f"'{s[i]}' at character {self.pos(i)} has nothing to attach")
        if s[j] == "{":
            end = _group_end(s, j)
            inner = self.sub(s[j + 1:end - 1], j + 1, script=True)
            self.out.append(s[i] + "{" + inner + "}")
            return end
        m = _CMD.match(s, j)
        if m:
            # One command as the script, with its arguments (`L_\mathrm{DPO}`, `x^\frac12`).
            stop = m.end()
            for _ in range(_ARITY.get(m.group(1), 0)):
                _, _, stop = _argument(s, stop, "\\" + m.group(1), self.base + j)
            inner = self.sub(s[j:stop], j, script=True)
            self.out.append(s[i] + "{" + inner + "}")
            return stop
        inner = self.sub(s[j], j, script=True)
        self.out.append(s[i] + "{" + inner + "}")
        return j + 1

    def command(self, i: int) -> int:
        s = self.src
        m = _CMD.match(s, i)
        assert m
        name = m.group(1)
        end = m.end()
        at = self.base + i
        if not (name[:1].isalpha()):
            # \, \; \! \{ \} \| \\ and escaped characters
            if name == "\\":
                raise TexError(f"'\\\\' at character {at + 1} is outside a matrix or aligned environment; "
                               r"write \begin{aligned} ... \end{aligned} around the rows")
            kind = {"{": "open", "}": "close", "|": "ord", ",": None, ";": None, ":": None, "!": None,
                    " ": None}.get(name, "ord")
            if kind is None:
                self.out.append("\\" + name)
            else:
                self.emit("\\" + name, kind)
            return end
        starred = name.endswith("*")
        if starred and name != "operatorname*":
            raise TexError(f"unknown command \\{name} at character {at + 1}; {suggestion(name[:-1])}")
        if name in DROPPED:
            return end
        if name in STYLES:
            self.display = name == "displaystyle" and self.display_ok and not self.script
            return end
        if name == "tfrac":  # a text-style fraction, in display math too
            return self.command_named("frac", r"\frac", end, at, text_style=True)
        if name in ("argmax", "argmin"):
            stop = self.limits_under(ALIASES[name], end)
            if stop is not None:
                return stop
        if name == "begin":
            raise TexError(f"\\begin at character {at + 1} sits inside braces, a script or "
                           r"\left...\right; write the environment at the formula's top level "
                           r"(pmatrix, bmatrix and vmatrix bring their own delimiters)")
        if name == "end":
            env, _, _ = _argument(s, end, "\\end", at)
            raise TexError(f"\\end{{{env}}} at character {at + 1} closes no \\begin{{{env}}}")
        if name in ("underbrace", "overbrace"):
            raise TexError(f"\\{name} at character {at + 1} sits inside braces, a script or "
                           r"\left...\right; write it at the formula's top level")
        if name in ALIASES and name not in ("stackrel", "mathds", "mathbbm"):
            rep = ALIASES[name]
            if rep.startswith(r"\operatorname"):
                self.operator_space()
                self.emit(rep, "op")
            elif rep.startswith(r"\;"):
                self.emit(rep, "rel")
            elif self.script and name in ("le", "ge", "ne", "leqslant", "geqslant", "gets"):
                self.emit(r"\text{" + _relation_chars()[rep[1:]] + "}", "rel")
            else:
                return self.command_named(rep[1:] if rep.startswith("\\") and rep[1:].isalpha() else None,
                                          rep, end, at)
            return end
        return self.command_named(name, "\\" + name, end, at)

    def command_named(self, name: str | None, spelled: str, end: int, at: int, text_style: bool = False) -> int:
        s = self.src
        if name is None:  # an alias to a non-command (| for \lvert)
            self.emit(spelled, "ord")
            return end
        if name in ("stackrel", "overset", "underset"):
            a, a0, a1 = _argument(s, end, "\\" + name, at)
            b, b0, b1 = _argument(s, a1, "\\" + name, at)
            self.emit(f"\\{'underset' if name == 'underset' else 'overset'}{{{self.sub(a, a0, True)}}}"
                      f"{{{self.sub(b, b0)}}}", "rel" if name == "stackrel" else "ord")
            return b1
        if name in ("mathbb", "mathds", "mathbbm"):
            a, a0, a1 = _argument(s, end, "\\mathbb", at)
            self.emit(_double_struck(a, at), "ord")
            return a1
        if name in ("textbf", "textit", "texttt", "mathbf", "mathit"):
            a, a0, a1 = _argument(s, end, "\\" + name, at)
            font = {"textbf": "mathbf", "textit": "mathit", "texttt": "mathtt"}.get(name, name)
            body = _text_words(a) if name.startswith("text") else self.sub(a, a0)
            self.emit(f"\\{font}{{{body}}}", "ord")
            return a1
        if name in ("text", "mbox", "hbox"):
            a, a0, a1 = _argument(s, end, "\\" + name, at)
            self.emit(r"\text{" + a + "}", "ord")
            return a1
        if name == "operatorname" or name == "operatorname*":
            a, a0, a1 = _argument(s, end, "\\operatorname", at)
            if name == "operatorname*":
                stop = self.limits_under(r"\operatorname{" + a.replace(" ", "") + "}", a1)
                if stop is not None:
                    return stop
            self.operator_space()
            self.emit(r"\operatorname{" + a.replace(" ", "") + "}", "op")
            return a1
        if name in ("xrightarrow", "xleftarrow"):
            below, b0, b1 = _optional(s, end)
            a, a0, a1 = _argument(s, b1, "\\" + name, at)
            arrow = r"\longrightarrow" if name == "xrightarrow" else r"\longleftarrow"
            core = arrow
            if below:
                core = f"\\underset{{{self.sub(below, b0, True)}}}{{{arrow}}}"
            self.emit(f"\\overset{{{self.sub(a, a0, True)}}}{{{core}}}", "rel")
            return a1
        if name in ("left", "right", "middle"):
            j = _skip_space(s, end)
            m = _CMD.match(s, j)
            if m and m.group(1) in ("lVert", "rVert", "lvert", "rvert", "lbrace", "rbrace", "lbrack", "rbrack"):
                d = {"lVert": r"\Vert", "rVert": r"\Vert", "lvert": "|", "rvert": "|",
                     "lbrace": r"\{", "rbrace": r"\}", "lbrack": "[", "rbrack": "]"}[m.group(1)]
                after = m.end()
            elif m:
                d, after = m.group(0), m.end()
            elif j < len(s):
                d, after = s[j], j + 1
            else:
                raise TexError(f"\\{name} at character {at + 1} needs a delimiter after it")
            self.emit(f"\\{name}{d}" + (LEFT_STRUT if name != "right" else ""),
                      "open" if name != "right" else "close")
            return after
        ems = _big(name)
        if ems is not None:
            j = _skip_space(s, end)
            m = _CMD.match(s, j)
            if m:
                delim, after = m.group(0), m.end()
                delim = {r"\lVert": r"\Vert", r"\rVert": r"\Vert", r"\lvert": "|", r"\rvert": "|",
                         r"\|": r"\Vert"}.get(delim, delim)
            elif j < len(s):
                delim, after = s[j], j + 1
            else:
                raise TexError(f"\\{name} at character {at + 1} needs a delimiter after it")
            closing = name.endswith("r") or delim in (")", "]", r"\}", r"\rangle", r"\rfloor", r"\rceil")
            strut = _strut(ems)
            if closing:
                self.emit(f"\\left.{strut}\\right{delim}", "close")
            else:
                self.emit(f"\\left{delim}{strut}\\right.", "open")
            return after
        if name in ("frac", "dfrac", "binom", "sqrt", "overline", "underline", "boldsymbol"):
            # Arguments braced and rewritten (TeX takes `\frac12`; mathtext wants braces).
            out = "\\" + name
            stop = end
            if name == "sqrt":
                root, r0, stop = _optional(s, end)
                if root is not None:
                    out += "[" + self.sub(root, r0) + "]"
            two = name in ("frac", "dfrac", "binom")
            # In display style a fraction is TeX's display fraction: its parts in text style.
            shown = self.display and not text_style and name in ("frac", "binom")
            args = []
            for _ in range(2 if two else 1):
                a, a0, stop = _argument(s, stop, "\\" + name, at)
                args.append("{" + self.sub(a, a0, display=False if two else None) + "}")
            if shown and name == "frac":
                out = r"\dfrac"
            elif shown:
                out = r"\genfrac{(}{)}{0}{0}"  # mathtext's \binom is in text style only
            self.emit(out + "".join(args), "ord")
            return stop
        if name in _SIDE_LIMIT_OPS:
            self.operator_space()
            self.emit("\\" + name if self.display and name in _DISPLAY_OPS else _SIDE_LIMIT_OPS[name], "op")
            return end
        if name in _LIMIT_FUNCTIONS or name in _function_names():
            self.operator_space()
            if self.display and name in _DISPLAY_FUNCTIONS:
                self.emit("\\" + name, "op")
            else:
                self.emit(r"\operatorname{" + name + "}" if name in _LIMIT_FUNCTIONS else "\\" + name, "op")
            return end
        if name == "not":
            j = _skip_space(s, end)
            m = _CMD.match(s, j)
            target = m.group(1) if m else s[j:j + 1]
            negated = {"=": r"\neq", "in": r"\notin", "subset": r"\nsubset", "equiv": r"\nequiv",
                       "sim": r"\nsim", "mid": r"\nmid", "<": r"\nless", ">": r"\ngtr",
                       "le": r"\nleq", "leq": r"\nleq", "ge": r"\ngeq", "geq": r"\ngeq"}.get(target)
            if negated is None:
                raise TexError(f"\\not at character {at + 1} before {target!r} cannot be set; "
                               r"use a negated relation such as \neq or \notin")
            self.emit(negated, "rel")
            return m.end() if m else j + 1
        if not known(name):
            raise TexError(f"unknown command \\{name} at character {at + 1}; {suggestion(name)}")
        rel = _relation_chars()
        if self.script and name in rel:
            self.emit(r"\text{" + rel[name] + "}", "rel")
            return end
        if name == "top" or name == "bot":
            self.emit(r"\text{" + rel[name] + "}", "ord")  # an ordinary symbol in TeX, not a relation
            return end
        if name in ("langle", "lfloor", "lceil"):
            kind = "open"
        elif name in ("rangle", "rfloor", "rceil"):
            kind = "close"
        elif name in rel:
            kind = "rel"
        else:
            kind = "ord"
        self.emit(spelled, kind)
        return end


# How many arguments a command takes, where a script is one command with its arguments.
_ARITY = {**{n: 1 for n in (
    "mathrm mathbf mathit mathcal mathbb mathfrak mathsf mathtt mathscr mathnormal text textrm textbf "
    "textit texttt mbox operatorname hat bar tilde vec dot ddot check breve acute grave widehat "
    "widetilde widebar overline underline boldsymbol bm sqrt phantom").split()},
    **{n: 2 for n in ("frac", "dfrac", "tfrac", "binom", "overset", "underset", "stackrel")}}


@cache
def _function_names() -> frozenset[str]:
    from matplotlib._mathtext import Parser

    return frozenset(Parser._function_names)


def _strut(ems: float) -> str:
    """An invisible, zero-width column for \\big-style delimiters: mathtext scales a
    \\left...\\right delimiter to what it encloses, and a fraction is centred on the axis.
    Measured at 10 pt: 1.13, 2.05, 2.39 and 3.31 em (plain TeX: 1.2, 1.8, 2.4, 3.0)."""
    inner = {1.2: r"\frac{a}{b}", 1.8: r"\dfrac{x}{x}", 2.4: r"\dfrac{(}{(}",
             3.0: r"\dfrac{\frac{(}{(}}{\frac{(}{(}}"}[ems]
    return r"\rlap{\phantom{" + inner + "}}"


# Inside \left...\right, mathtext scales the delimiters to the content, down to an
# x-height for `\left| x \right|`; TeX never goes below the font's own delimiter.
LEFT_STRUT = r"\rlap{\phantom{\mathrm{(}}}"


# ---------------------------------------------------------------------------- top level


def _rewrite(text: str, base: int, after_box: bool = False, display: bool = False) -> str:
    w = _Writer(text, base, False, display, display)
    if after_box:
        # Text after a matrix or brace: its leading minus is binary, as in TeX; the empty
        # group tells mathtext so (it leaves an operator that starts its string unspaced).
        w.prev = "ord"
        return "{}" + w.run()
    return w.run()


def _top_level_spans(tex: str):
    """Yield (kind, start, end) for the formula's top-level environments and braces."""
    i, depth, left = 0, 0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = _CMD.match(tex, i)
            name = m.group(1)
            if name == "left":
                left += 1
            elif name == "right":
                left -= 1
            elif name == "begin" and depth == 0 and left == 0:
                env, e0, e1 = _argument(tex, m.end(), "\\begin", i)
                close = _find_end(tex, env, e1, i)
                yield "env", i, close
                i = close
                continue
            elif name in ("xrightarrow", "xleftarrow") and depth == 0 and left == 0:
                below, _, b1 = _optional(tex, m.end())
                _, _, a1 = _argument(tex, b1, "\\" + name, i)
                yield "arrow", i, a1
                i = a1
                continue
            elif name in ("underbrace", "overbrace") and depth == 0 and left == 0:
                body, b0, b1 = _argument(tex, m.end(), "\\" + name, i)
                j = _skip_space(tex, b1)
                mark = "_" if name == "underbrace" else "^"
                if j < len(tex) and tex[j] == mark:
                    _, _, b1 = _argument(tex, j + 1, mark, j)
                yield "brace", i, b1
                i = b1
                continue
            i = m.end()
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    if left > 0:
        raise TexError(r"unbalanced \left: a \left is never closed with \right")
    if left < 0:
        raise TexError(r"unbalanced \right: a \right closes no \left")


def _find_end(tex: str, env: str, start: int, at: int) -> int:
    """Index just past the \\end{env} matching the \\begin{env} at `at`."""
    if env not in ENVIRONMENTS:
        close = difflib.get_close_matches(env, ENVIRONMENTS, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "write pmatrix, bmatrix, vmatrix, cases or aligned"
        raise TexError(f"unknown environment {env} (\\begin at character {at + 1}); {hint}")
    depth, i = 0, start
    pat = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
    while True:
        m = pat.search(tex, i)
        if m is None:
            raise TexError(f"unbalanced environment: \\begin{{{env}}} at character {at + 1} is never "
                           f"closed with \\end{{{env}}}")
        if m.group(1) == "begin":
            depth += 1
        else:
            if depth == 0:
                if m.group(2) != env:
                    raise TexError(f"unbalanced environment: \\begin{{{env}}} at character {at + 1} is "
                                   f"closed by \\end{{{m.group(2)}}} at character {m.start() + 1}")
                return m.end()
            depth -= 1
        i = m.end()


def _split_rows(body: str, base: int, env: str) -> list[list[tuple[str, int]]]:
    """Cells (text, offset) row by row, split at top-level `\\\\` and `&`."""
    rows: list[list[tuple[str, int]]] = [[]]
    depth, i, start = 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if body.startswith("\\\\", i) and depth == 0:
                rows[-1].append((body[start:i], base + start))
                rows.append([])
                i += 2
                _, _, after = _optional(body, i)  # \\[2pt]: the extra space is not kept
                i = start = after
                continue
            if body.startswith("\\begin", i) or body.startswith("\\end", i):
                raise TexError(f"an environment inside {env} (character {base + i + 1}) cannot be set; "
                               "write the inner one as a formula of its own")
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "&" and depth == 0:
            rows[-1].append((body[start:i], base + start))
            start = i + 1
        i += 1
    rows[-1].append((body[start:], base + start))
    if len(rows) > 1 and all(not c.strip() for c, _ in rows[-1]):
        rows.pop()  # a trailing \\ ends the last row
    return rows


# Environments whose cells TeX sets in display style in display math (a matrix's and
# cases' cells are in text style everywhere).
_DISPLAY_CELLS = {"aligned", "align", "align*", "alignedat", "split", "gathered", "gather", "gather*"}


def _grid(env: str, body: str, base: int, display: bool = False) -> Grid:
    align, left, right, colsep, rowgap = ENVIRONMENTS[env]
    if env in ("array", "alignedat"):
        spec, s0, s1 = _argument(body, 0, f"\\begin{{{env}}}", base)
        if env == "array":
            align = "".join(c for c in spec if c in "lcr") or "c"
        body, base = body[s1:], base + s1
    rows = _split_rows(body, base, env)
    out = []
    for row in rows:
        cells = []
        for k, (text, at) in enumerate(row):
            col = align[k % len(align)]
            src = _rewrite(text, at, display=display and env in _DISPLAY_CELLS).strip()
            if col == "l" and align.startswith("r") and src[:1] in "=<>+−-\\":
                src = "{}" + src  # `&= b`: the relation keeps its space on the left, as in TeX
            cells.append(src)
        out.append(tuple(cells))
    if not any(c for row in out for c in row):
        raise TexError(f"\\begin{{{env}}} at character {base + 1} is empty")
    return Grid(env, tuple(out), align, left, right, colsep, rowgap)


def expand(tex: str, display: bool = False) -> list[Piece]:
    """The formula as pieces mathtext.py lays out side by side, in display style with
    `display`. Raises TexError."""
    spans = list(_top_level_spans(tex))
    if not spans and _has_top_level_rows(tex):
        # align*-style: rows and & with no environment around them.
        return [_grid("aligned", tex, 0, display)]
    pieces: list[Piece] = []
    pos = 0
    for kind, start, end in spans:
        if start > pos and tex[pos:start].strip():
            pieces.append(_rewrite(tex[pos:start], pos, after_box=bool(pieces), display=display))
        if kind == "arrow":
            m = _CMD.match(tex, start)
            below, w0, w1 = _optional(tex, m.end())
            above, a0, _ = _argument(tex, w1, "\\" + m.group(1), start)
            pieces.append(Arrow(m.group(1) == "xleftarrow", _Writer(above, a0, True).run() if above.strip() else "",
                                _Writer(below, w0, True).run() if below and below.strip() else ""))
        elif kind == "env":
            m = re.match(r"\\begin\s*\{([^{}]*)\}", tex[start:])
            env = m.group(1)
            body_start = start + m.end()
            body_end = tex.rfind("\\end", start, end)
            pieces.append(_grid(env, tex[body_start:body_end], body_start, display))
        else:
            m = _CMD.match(tex, start)
            under = m.group(1) == "underbrace"
            body, b0, b1 = _argument(tex, m.end(), "\\" + m.group(1), start)
            label = ""
            j = _skip_space(tex, b1)
            if j < end:
                lab, l0, _ = _argument(tex, j + 1, "script", j)
                label = _Writer(lab, l0, True).run()
            pieces.append(Brace(under, _rewrite(body, b0, display=display), label))
        pos = end
    if pos < len(tex) and tex[pos:].strip():
        pieces.append(_rewrite(tex[pos:], pos, after_box=bool(pieces), display=display))
    return pieces


def _has_top_level_rows(tex: str) -> bool:
    depth, i = 0, 0
    while i < len(tex):
        if tex.startswith("\\\\", i) and depth == 0:
            return True
        if tex[i] == "\\":
            i += 2
            continue
        if tex[i] == "{":
            depth += 1
        elif tex[i] == "}":
            depth -= 1
        elif tex[i] == "&" and depth == 0:
            return True
        i += 1
    return False
