"""The one paragraph breaker: text as a list of items, broken into lines (TeX's model).

Every engine (the deck's faces, the sheet's columns, the worksheets) and `validate` go
through `break_lines`: text becomes items once (`paragraph`, cached per text), and the
same breaker turns them into lines at any size. Counting lines is the length of its
answer; drawing builds the lines from the same breaks (textfit.wrap_spans), so the
height `validate` accepts is the height `build` draws.

The items (widths at 1 pt, scaled by the size):
- a box: a word, a part of one between hyphenation points, or a formula (laid out per size
  by mathtext, never broken inside);
- glue: a space, the width of a space in the next word's font; a place to break unless
  marked otherwise; it stretches and shrinks when the paragraph is justified;
- a penalty: a place to break that is not a space: a hyphenation point (pyphen's; a
  hyphen, SOFT_HYPHEN, is drawn when taken), after an explicit hyphen (nothing added), a hard break ("\\n").

What a space means:
- " " and tabs are glue;
- a non-breaking space (U+00A0), a narrow one (U+202F), a figure space (U+2007) and a thin
  space (U+2009, TeX's "\\,": "10 000", "5 min") stay inside their word at their own
  width: never a break, never stretched;
- a space right after an opening quote ('(" interviewer")') is glue that never breaks:
  the quoted text keeps its leading space and its quote;
- so is the space after a list marker ("▸", "•", "→"): no line ends in a marker.

Two breakers over the same items: `greedy` (first fit: each line as full as it can be,
the rule every ragged text uses) and `optimal` (Knuth-Plass total fit, for justified
columns: even spaces, each within MAX_SPACE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from cardpress.typeset import fonts

BOX, GLUE, PENALTY = 0, 1, 2
FORCED = -10000  # a penalty that must break
NEVER = 10000  # a glue or penalty that must not
HYPHEN_PENALTY = 50  # TeX's \hyphenpenalty and \exhyphenpenalty
MAX_HYPHEN_RUN = 2  # at most this many lines in a row end in a hyphen

# Justification. A word space stretches by JUSTIFY_STRETCH of itself per unit of ratio
# and shrinks by up to JUSTIFY_SHRINK of itself; no line is set at a ratio above
# MAX_RATIO, so no space is ever wider than MAX_SPACE = 1.75 natural spaces, nor narrower
# than 0.8. A line that cannot reach the edge within that ends short of it.
JUSTIFY_STRETCH = 0.5
JUSTIFY_SHRINK = 0.2
MAX_RATIO = 1.5
MAX_SPACE = 1 + JUSTIFY_STRETCH * MAX_RATIO
LOOSE = 1e15  # the demerits a line looser than MAX_RATIO adds: more than any paragraph's others

MATH_OPEN = r"\("
DISPLAY_OPEN = r"\["  # display math: `\[...\]`, a formula on a line of its own (typeset/display.py)
# Drawn where a line breaks at a hyphenation point: DejaVu draws it as a hyphen, and text
# taken from the PDF (a search, a screen reader, pdftotext) knows it for a soft hyphen, so
# "repre\u00ad" + "sentation" is found as "representation".
SOFT_HYPHEN = "\u00ad"
EPS = 1e-9  # float noise: a word that exactly fills the line stays on it

_unit_widths: dict[tuple[str, str], float] = {}


def unit_width(text: str, font: str) -> float:
    """Width of `text` at 1 pt in `font` (cached: catalogs repeat words a lot)."""
    key = (font, text)
    w = _unit_widths.get(key)
    if w is None:
        fonts.use(font)
        w = _unit_widths[key] = stringWidth(text, font, 1.0)
    return w


class Item(NamedTuple):
    """One item (a tuple: text is made of tens of thousands of them, and built often)."""

    kind: int
    width: float  # at 1 pt; a penalty's is what is added when the line breaks there
    text: str = ""
    font: str = ""
    penalty: float = 0.0  # FORCED, NEVER, or a cost
    flagged: bool = False  # a break here ends the line in a hyphen
    math: Any = None  # a formula: its TeX (in a Paragraph) or its MathBox (at a size)
    first: bool = False  # the first piece of a word too wide for any line: starts a line


TIE = 3  # in a Run's kinds only: a glue that must not break


class Run:
    """Items as the breakers read them: the items, and their kinds and widths as flat
    tuples (a breaker's inner loop indexes these; only penalties are looked at whole)."""

    __slots__ = ("items", "kinds", "widths", "firsts", "kp", "memo")

    def __init__(self, items: tuple[Item, ...]):
        self.items = items
        self.kinds = tuple([TIE if (it.kind == GLUE and it.penalty == NEVER) else it.kind for it in items])
        self.widths = tuple([it.width for it in items])
        self.firsts = frozenset([k for k, it in enumerate(items) if it.first])
        self.kp: _KP | None = None  # optimal's size-free tables, made on its first call
        self.memo: dict[tuple[float, bool], list[tuple[int, int]]] = {}  # break_lines' answers


@dataclass(frozen=True)
class Paragraph:
    """A text's items, with what `at_size` needs to know to skip its work."""

    items: tuple[Item, ...]
    has_math: bool
    widest: float  # the widest box at 1 pt (formulas not counted)
    run: Run  # the items as they are at every size (when there is no formula)


# --- text into items -----------------------------------------------------------------------

_BREAKING_SPACE = re.compile(r"[ \t\r\f\v]+")
_HARD = "\n"
# A hyphen between letters is a place a line may end ("masked-language-" / "modeling").
_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")
MARKERS = frozenset("▸•→")


class _Formula(str):
    """A word that is a formula's TeX: laid out by mathtext, never broken."""

    tex: Any = None  # for display math, the DisplayTex itself (a str subclass kept whole)


def _formula(run: str) -> _Formula:
    word = _Formula(run)
    word.tex = run
    return word


def _is_display(word: _Formula) -> bool:
    from cardpress.typeset.mathtext import DisplayTex

    return isinstance(word.tex, DisplayTex)


def paragraph(spans, lang: str | None = None, break_hyphens: bool = False) -> Paragraph:
    """The items of mixed-font text, cached (a size search breaks the same text many times).

    `lang` turns hyphenation on (pyphen's patterns for that language); `break_hyphens` lets
    a line end after a hyphen between letters.
    """
    return _paragraph(tuple(spans), lang, break_hyphens)


@lru_cache(maxsize=50000)
def _paragraph(spans, lang, break_hyphens) -> Paragraph:
    if not lang and not break_hyphens and not any(MATH_OPEN in text or DISPLAY_OPEN in text for text, _ in spans):
        return _finish(_plain_items(spans))
    words: list[list] = []  # [word, font, space before, space breaks]
    for text, font in spans:
        if MATH_OPEN in text or DISPLAY_OPEN in text:
            from cardpress.typeset.mathtext import split_runs  # validated text: does not raise here

            # Words and formulas are spaced as written: "loss \\(x\\)," puts a space before
            # the formula and none before the comma.
            space = False
            for is_math, run in split_runs(text):
                if is_math:
                    words.append([_formula(run), font, space, True])
                    space = False
                else:
                    _words(run, font, words)
                    space = run[-1:].isspace()
        else:
            _words(text, font, words)
        if text[-1:].isspace() and words and words[-1][0] != _HARD:
            words.append(None)  # a span that ends in a space: a space before the next span's first word
    words = _carry_spaces(words)
    for k in range(1, len(words)):
        prev, word = words[k - 1][0], words[k]
        if word[2] and len(prev) <= 2 and type(prev) is not _Formula and (prev in MARKERS or _opens_quote(prev)):
            word[3] = False
    out: list[Item] = []
    append = out.append
    boxes = _boxes
    for word, font, space, breaks in words:
        if word == _HARD:
            if not (out and out[-1] is _DISPLAY_BREAK):  # a display already ends its line
                append(_FORCED_BREAK)
            continue
        if type(word) is _Formula and _is_display(word):
            # Display math: a line of its own, the text before and after it ended and begun.
            if out and out[-1].kind != PENALTY:
                append(_DISPLAY_BREAK)
            append(Item(BOX, 0.0, "", font, math=word.tex))
            append(_DISPLAY_BREAK)
            continue
        if space and out and out[-1].kind == BOX:
            append(_glue(font, breaks))
        if type(word) is _Formula:
            append(Item(BOX, 0.0, "", font, math=str(word)))
            continue
        if not lang and not (break_hyphens and "-" in word):
            box = boxes.get((font, word))
            append(_box(word, font) if box is None else box)
            continue
        parts = _AFTER_HYPHEN.split(word) if break_hyphens and "-" in word else (word,)
        for k, part in enumerate(parts):
            if k:
                append(Item(PENALTY, 0.0, "", font, HYPHEN_PENALTY, True))
            pieces = hyphenate(part, lang) if lang else (part,)
            for j, piece in enumerate(pieces):
                if j:
                    append(Item(PENALTY, unit_width(SOFT_HYPHEN, font), SOFT_HYPHEN, font, HYPHEN_PENALTY, True))
                append(_box(piece, font))
    return _finish(out)


def _plain_items(spans) -> list[Item]:
    """The items of text with no formula, no hyphenation and no break at hyphens: the
    same items the general path makes, in one pass (validate makes thousands of these)."""
    out: list[Item] = []
    append = out.append
    boxes = _boxes
    prev = ""  # the last word, for the marker and quote rules
    carry = False  # the span before ended in a space
    for text, font in spans:
        for p, para in enumerate(text.split(_HARD) if _HARD in text else (text,)):
            if p:
                append(_FORCED_BREAK)
                prev = ""
            parts = _BREAKING_SPACE.split(para) if ("\t" in para or "\r" in para or "\f" in para or "\v" in para) \
                else para.split(" ")
            space = (parts[0] == "" and para != "") or (carry and p == 0)
            for word in parts:
                if not word:
                    continue
                if space and out and out[-1].kind == BOX:
                    append(_glue(font, not (len(prev) <= 2 and (prev in MARKERS or _opens_quote(prev)))))
                box = boxes.get((font, word))
                append(_box(word, font) if box is None else box)
                prev, space = word, True
        carry = text[-1:].isspace() and bool(out)
    return out


def _finish(out: list[Item]) -> Paragraph:
    items_ = tuple(out)
    widest = max([it.width for it in out if it.kind == BOX and it.math is None], default=0.0)
    return Paragraph(items_, any([it.math is not None for it in out]), widest, Run(items_))


_FORCED_BREAK = Item(PENALTY, 0.0, penalty=FORCED)
_DISPLAY_BREAK = Item(PENALTY, 0.0, penalty=FORCED)  # the same break; `is` tells a display's apart
_boxes: dict[tuple[str, str], Item] = {}
_glues: dict[tuple[str, bool], Item] = {}


def _box(word: str, font: str) -> Item:
    """A word's box (kept: an Item is immutable and catalogs repeat words a lot)."""
    box = _boxes.get((font, word))
    if box is None:
        box = _boxes[(font, word)] = Item(BOX, unit_width(word, font), word, font)
    return box


def _glue(font: str, breaks: bool) -> Item:
    glue = _glues.get((font, breaks))
    if glue is None:
        glue = _glues[(font, breaks)] = Item(GLUE, unit_width(" ", font), " ", font, 0.0 if breaks else NEVER)
    return glue


def _carry_spaces(words: list) -> list:
    out = []
    carry = False
    for w in words:
        if w is None:
            carry = True
            continue
        if carry:
            w[2] = True
            carry = False
        out.append(w)
    return out


def _words(text: str, font: str, out: list) -> None:
    """[word, font, space before, True] for plain text; a hard break as "\\n"."""
    for p, para in enumerate(text.split(_HARD)):
        if p:
            out.append([_HARD, font, False, True])
        parts = _BREAKING_SPACE.split(para)
        space = parts[0] == "" and para != ""  # a leading space: a space before the first word
        for part in parts:
            if part:
                out.append([part, font, space, True])
                space = True


def _opens_quote(word: str) -> bool:
    """A word that is an opening quote, alone or after a bracket: '"', '("', '“'."""
    return word.lstrip("([") in ('"', "'", "“", "‘")


# --- hyphenation ---------------------------------------------------------------------------

_SHORTEST = 6  # shorter words are never hyphenated (two letters before a break, three after)
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


@lru_cache(maxsize=8)
def _dictionary(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=pyphen.language_fallback(lang) or "en", left=2, right=3)


@lru_cache(maxsize=100000)
def hyphenate(word: str, lang: str) -> tuple[str, ...]:
    """The word cut at its hyphenation points, or itself alone when it may not be cut.

    Only ordinary words are cut: letters alone (with punctuation around), all lower case
    or capitalised. Never an id ("lora-2021", "kv_cache"), a URL, a number, an acronym
    ("RLHF") or a name in camel case ("FlashAttention"): a broken id no longer reads as one.
    """
    pre, core, post = _EDGES.match(word).groups()
    if len(core) < _SHORTEST or not core.isalpha() or not (core.islower() or core[1:].islower()):
        return (word,)
    if "/" in pre + post or "@" in pre + post:
        return (word,)
    cuts = _dictionary(lang).positions(core)
    if not cuts:
        return (word,)
    bounds = [0, *cuts, len(core)]
    pieces = [core[a:b] for a, b in zip(bounds, bounds[1:])]
    pieces[0], pieces[-1] = pre + pieces[0], pieces[-1] + post
    return tuple(pieces)


# --- at a size -----------------------------------------------------------------------------

def at_size(par: Paragraph, size: float, limit: float, break_math: bool = False) -> Run:
    """The items as the breaker sees them at `size` in a line `limit` wide (1 pt units):
    formulas laid out at that size (one wider than the line cut before a top-level
    operator, with `break_math`), and a word wider than the whole line cut into pieces that
    fit, each on a line of its own (nothing but a formula is ever wider than its box)."""
    if not par.has_math and par.widest <= limit + EPS:
        return par.run
    out: list[Item] = []
    for it in par.items:
        if it.kind == BOX and it.math is not None:
            out += _math_items(it, size, limit, break_math)
        elif it.kind == BOX and it.width > limit + EPS:
            out += _broken_word(it, limit)
        else:
            out.append(it)
    return Run(tuple(out))


def _math_items(it: Item, size: float, limit: float, break_math: bool) -> list[Item]:
    # One size for the whole formula, never enlarged above the text (mathtext.layout).
    from cardpress.typeset.mathtext import DisplayTex, layout as math_box

    if isinstance(it.math, DisplayTex):
        # Display math: its lines as display.py sets them in the measure (broken, shrunk
        # and centred there), one box a line, a forced break between them.
        from cardpress.typeset.display import set_display

        out = []
        for k, line in enumerate(set_display(str(it.math), size, limit * size).lines):
            if k:
                out.append(_FORCED_BREAK)
            out.append(Item(BOX, line.width / size, line.text, it.font, math=line))
        return out

    box = math_box(it.math, size)
    if not (break_math and box.width / size > limit + EPS):
        return [Item(BOX, box.width / size, box.text, it.font, math=box)]
    from cardpress.typeset.mathtext import break_points

    out: list[Item] = []
    for k, piece in enumerate(break_points(it.math)):
        if k:
            out.append(Item(GLUE, unit_width(" ", it.font), " ", it.font))
        b = math_box(piece, size)
        out.append(Item(BOX, b.width / size, b.text, it.font, math=b))
    return out


def _broken_word(it: Item, limit: float) -> list[Item]:
    """A word wider than the line in pieces, each as long as fits (at least one character)."""
    pieces, current = [], ""
    for ch in it.text:
        if current and unit_width(current + ch, it.font) > limit:
            pieces.append(current)
            current = ch
        else:
            current += ch
    pieces.append(current)
    out: list[Item] = []
    for k, p in enumerate(pieces):
        if k:
            out.append(Item(PENALTY, 0.0, penalty=FORCED))
        out.append(Item(BOX, unit_width(p, it.font), p, it.font, first=(k == 0)))
    return out


# --- the breakers --------------------------------------------------------------------------

def break_lines(run: Run, limit: float, justify: bool = False) -> list[tuple[int, int]]:
    """Lines as (start, end) pairs of indices into run.items (the items at a size, from
    `at_size`): a line holds items[start:end]; items[end] is where it broke (left out of
    both lines; a box only when nothing on the line could break) or end == len(items).

    Kept per run and width: a plain paragraph's run is the same object at every size, and
    the sheet measures its chosen size twice (heights for the search, then lines to draw)."""
    lines = run.memo.get((limit, justify))
    if lines is None:
        lines = run.memo[(limit, justify)] = _break_lines(run, limit, justify)
    return list(lines)


def _break_lines(run: Run, limit: float, justify: bool) -> list[tuple[int, int]]:
    if justify:
        # Within the stretch limit if the paragraph can be set so; else the least loose
        # setting, its too-loose lines (a lone long word, say) set at the limit and short.
        found = optimal(run, limit)
        if found is not None:
            return found
    return greedy(run, limit)


def greedy(run: Run, limit: float) -> list[tuple[int, int]]:
    """First fit: each line takes every item that fits and breaks at the last place it may
    (a space, a hyphenation point) before the first box that does not fit. No more than
    MAX_HYPHEN_RUN lines in a row end in a hyphen where a space allows it."""
    its, kinds, widths, firsts = run.items, run.kinds, run.widths, run.firsts
    lines: list[tuple[int, int]] = []
    n = len(its)
    lim = limit + EPS
    start, hyphens = 0, 0
    while True:
        while start < n and kinds[start] != BOX and not (kinds[start] == PENALTY and its[start].penalty == FORCED):
            start += 1  # a line never starts with a space or a hyphenation point
        x = pending = 0.0
        best = plain = -1  # the last place to break, and the last that is not a hyphen
        end, k, content = n, start, False
        while k < n:
            kind = kinds[k]
            if kind == BOX:
                w = widths[k]
                if content and (x + pending + w > lim or (firsts and k in firsts)):
                    end = k if best < 0 else (plain if hyphens >= MAX_HYPHEN_RUN and its[best].flagged
                                               and plain >= 0 else best)
                    break
                x = x + (pending + w)
                pending = 0.0
                content = True
            elif kind == GLUE:
                if content:
                    best = plain = k
                    pending += widths[k]
            elif kind == TIE:
                if content:
                    pending += widths[k]
            else:
                it = its[k]
                if it.penalty == FORCED:
                    end = k
                    break
                if content and x + it.width <= lim:
                    best = k
            k += 1
        lines.append((start, end))
        if end >= n:
            return lines
        brk = its[end]
        if brk.kind == BOX:  # nothing could break: the box starts the next line
            start, hyphens = end, 0
            continue
        hyphens = hyphens + 1 if brk.flagged else 0
        start = end + 1
        if brk.penalty == FORCED and start >= n:
            return lines  # a hard break at the very end adds no empty line


class _KP(NamedTuple):
    """What `optimal` reads of a run that does not depend on the line's width: a plain
    paragraph's run is the same object at every size, so a size search makes these once."""

    n: int  # items broken (a hard break at the very end left out)
    first: tuple  # the node before the first line (see optimal)
    # Each legal break in order, as (position, width before it plus its penalty's width,
    # glue before it, forced, flagged, penalty, where the next line starts, width and glue
    # before that start); the paragraph's end is the last, forced.
    breaks: tuple
    # The widest any line from the first start to a break can be; inf with a hard break
    # inside. When it is within the limit the paragraph is one line (see optimal).
    one_line: float


def _kp(run: Run) -> _KP:
    its, kinds, widths = run.items, run.kinds, run.widths
    n = len(its)
    if n and kinds[-1] == PENALTY and its[-1].penalty == FORCED:
        n -= 1  # a hard break at the very end adds no empty line (as in greedy)
    W = [0.0] * (n + 1)  # prefix sums of widths and of glue (stretch and shrink are shares of it)
    G = [0.0] * (n + 1)
    w_sum = g_sum = 0.0
    for k in range(n):
        kind = kinds[k]
        if kind != PENALTY:
            w_sum += widths[k]
            if kind == GLUE or kind == TIE:
                g_sum += widths[k]
        W[k + 1], G[k + 1] = w_sum, g_sum
    starts = [0] * (n + 1)  # where the line after a break at k starts (spaces and penalties dropped)
    nxt = n
    for k in range(n - 1, -1, -1):
        starts[k] = nxt
        if kinds[k] == BOX or (kinds[k] == PENALTY and its[k].penalty == FORCED):
            nxt = k
    first_start = nxt if n else 0
    breaks = []
    reach, hard = W[n], False
    for b in range(n):
        kind = kinds[b]
        if kind == GLUE:
            if kinds[b - 1] != BOX:
                continue
            s = starts[b]
            breaks.append((b, W[b] + 0.0, G[b], False, False, 0.0, s, W[s], G[s]))
        elif kind == PENALTY:
            it = its[b]
            s = starts[b]
            forced = it.penalty == FORCED
            hard = hard or forced
            wb = W[b] + it.width
            reach = max(reach, wb)
            breaks.append((b, wb, G[b], forced, it.flagged, it.penalty, s, W[s], G[s]))
    breaks.append((n, W[n] + 0.0, G[n], True, False, 0.0, n, W[n], G[n]))
    first = (W[first_start], G[first_start], first_start, 0, 0.0, -1, None)
    return _KP(n, first, tuple(breaks), float("inf") if hard else reach - W[first_start])


def optimal(run: Run, limit: float) -> list[tuple[int, int]] | None:
    """Knuth-Plass total fit: the breaks that minimise the sum of the lines' demerits, every
    line but a paragraph's last (or one ending at a hard break) set at a ratio within
    [-1, MAX_RATIO] where the paragraph can be set so. A line looser than that costs LOOSE
    more than any other line can, so it is chosen only when no setting avoids it (TeX's
    emergency pass); None when no line can even be shrunk to fit."""
    kp = run.kp
    if kp is None:
        kp = run.kp = _kp(run)
    first = kp.first
    lim = limit + EPS
    if kp.one_line <= lim:
        # No line from the start reaches past the limit, so the first node is never dropped,
        # and one line (100 demerits: set at its natural width) beats any two (each line
        # costs at least 100; only a hard break is negative, and there is none).
        return [(first[2], kp.n)]

    # TeX's two passes, with the same answer as one pass that admits too-loose lines at LOOSE
    # each: a paragraph that can be set within MAX_RATIO is, and then no node of the one
    # pass that went through a too-loose line (LOOSE or more in total) can be on the best
    # chain, nor change any other node (a too-loose candidate never beats one under
    # LOOSE). So the first pass leaves them out, and only a paragraph it cannot set (a
    # lone long word, a line with one space) is broken again, admitting them.
    lines = _total_fit(kp, limit, lim, False)
    return lines if lines is not None else _total_fit(kp, limit, lim, True)


def _total_fit(kp: _KP, limit: float, lim: float, loose: bool) -> list[tuple[int, int]] | None:
    """optimal's breaks, with too-loose lines admitted (`loose`) or not (None when then no
    setting is left)."""
    first = kp.first
    # A node: (width and glue before the next line's start, that start, hyphens in a row,
    # total demerits, its break, the previous node). The active nodes are in the order of
    # their starts, so at each break their lines run from the longest to the shortest.
    active = [first]
    for b, wb, gb, forced, flagged, pen, nstart, w_next, g_next in kp.breaks:
        keep = []
        dropped = 0
        best = None  # the best new node when every new node has the same hyphen count
        classes = None  # the best per hyphen count after a hyphen: {count: node}
        least = None  # past the first too-loose line: a bound under every later line's demerits
        for node in active:
            w_s, g_s, s, hy, total, _, _ = node
            if s > b or (s == b and not forced):
                keep.append(node)
                continue
            if least is not None:
                # Too loose as well, and costlier: a node whose total plus the bound does not
                # beat the best new node of its kind cannot replace it, so it is only kept.
                cur = (classes.get(hy + 1) if classes else None) if flagged else best
                if cur is not None and total + least >= cur[4]:
                    keep.append(node)
                    continue
            width = wb - w_s
            if width > lim:
                shrink = (gb - g_s) * JUSTIFY_SHRINK
                if shrink <= 0 or (limit - width) / shrink < -1:
                    dropped += 1
                    continue  # too long already: no later break from this node can do
                ratio = (limit - width) / shrink
            elif forced:
                ratio = 0.0  # a last line is set at its natural width
            else:
                stretch = (gb - g_s) * JUSTIFY_STRETCH
                ratio = (limit - width) / stretch if stretch > 0 else 1e3
                if ratio > MAX_RATIO and (not loose or (best is not None and best[4] < LOOSE)):
                    # Too loose, and so is every line from a later start (less width, less
                    # glue to stretch): left out, or (admitted) each costs more than LOOSE,
                    # more than the best new node found, so none can replace it. They stay
                    # active as they are.
                    keep += active[len(keep) + dropped:]
                    break
                if ratio > MAX_RATIO and least is None:
                    # This line's demerits, less a margin for rounding: no later line's are
                    # less (its ratio is no less; see above).
                    r = ratio if ratio < 1e3 else 1e3
                    least = (10 + 100 * abs(r) ** 3) ** 2 * (1 - 1e-9) + LOOSE - 1.0
            keep.append(node)
            if flagged and hy >= MAX_HYPHEN_RUN:
                continue
            r = ratio if ratio < 1e3 else 1e3
            d = (10 + 100 * abs(r) ** 3) ** 2
            if r > MAX_RATIO:
                d += LOOSE
            if flagged:
                if pen > 0:
                    d += pen * pen
                if hy:
                    d += 3000  # two hyphens in a row cost more (TeX's \doublehyphendemerits)
                total += d
                if classes is None:
                    classes = {}
                cur = classes.get(hy + 1)
                if cur is None or total < cur[4]:
                    classes[hy + 1] = (w_next, g_next, nstart, hy + 1, total, b, node)
                continue
            if pen > 0:
                d += pen * pen
            total += d
            if best is None or total < best[4]:
                best = (w_next, g_next, nstart, 0, total, b, node)
        active = [] if forced else keep
        if best is not None:
            active.append(best)
        elif classes is not None:
            active += classes.values()
        if not active:
            return None
    node = min(active, key=lambda a: a[4])
    chain = []
    while node[6] is not None:
        chain.append(node)
        node = node[6]
    lines, start = [], first[2]
    for node in reversed(chain):
        lines.append((start, node[5]))
        start = node[2]
    return lines
