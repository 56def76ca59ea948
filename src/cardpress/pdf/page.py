"""The page model: positioned, immutable marks that every engine produces and `paint` draws.

Points, origin at the bottom left as in PDF. Engines decide every position here; the
painter decides nothing, so a layout is tested by reading these records, with no PDF.
Colours are "#rrggbb" strings: whether they print in colour or black is the painter's
business (sheet --mono), never the layout's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

from cardpress.geometry import Rect
from cardpress.typeset.textfit import ASCENT_SHARE, Fit, Line

INK = "#000000"


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text with its left end at `x` and its baseline at `baseline`.

    `line` holds the runs (font and offset in units of the size), so a line may mix fonts.
    """

    x: float
    baseline: float
    size: float
    line: Line

    @property
    def text(self) -> str:
        return "".join(seg.text for seg in self.line.segments)

    @property
    def width(self) -> float:
        return self.line.width * self.size


@dataclass(frozen=True, slots=True)
class Text:
    """Lines that share a colour (a paragraph, a label): the colour is set once for all of them."""

    lines: tuple[TextLine, ...]
    color: str = INK

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


@dataclass(frozen=True, slots=True)
class Rule:
    """A stroked line from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str = INK
    width: float = 0.4

    @property
    def rect(self) -> Rect:
        """The rule's extent (zero height or width for a straight rule)."""
        return Rect(min(self.x1, self.x2), min(self.y1, self.y2), abs(self.x2 - self.x1), abs(self.y2 - self.y1))


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle, filled, stroked or both; `dash` is (on, off) in points."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    line_width: float = 0.0
    dash: tuple[float, float] | None = None

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)


@dataclass(frozen=True, slots=True)
class CheckBox:
    """A fillable tick box (AcroForm); its printed square is a separate Box."""

    name: str
    rect: Rect
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class TextField:
    """A fillable text field (AcroForm) over `rect`.

    A "." in `name` separates the levels of the field hierarchy (`paper.claim.1`); the
    painter writes it flat, and cardpress.pdf.form_fields nests it.
    """

    name: str
    rect: Rect
    multiline: bool = True
    tooltip: str = ""
    size: float = 10.0  # the typed text's size


@dataclass(frozen=True, slots=True)
class Link:
    """A clickable area that opens `url`."""

    rect: Rect
    url: str


@dataclass(frozen=True, slots=True)
class Bookmark:
    """An outline entry that opens this page scrolled to (left, top)."""

    key: str
    title: str
    left: float
    top: float
    level: int = 0


class Glyph(Protocol):
    font_name: str
    char: str
    x: float
    y: float
    size: float


class FormulaBox(Protocol):
    """What a math layout hands over (cardpress.typeset.mathtext): glyphs and rules from the baseline origin."""

    glyphs: Iterable[Glyph]
    rules: Iterable[tuple[float, float, float, float]]
    width: float
    ascent: float
    descent: float


@dataclass(frozen=True, slots=True)
class Formula:
    """Laid-out math with its origin at (x, baseline): each glyph drawn as text, each rule filled."""

    x: float
    baseline: float
    box: Any  # a FormulaBox
    color: str = INK

    @property
    def rect(self) -> Rect:
        """Where the formula's ink may reach: its width, from its descent to its ascent."""
        b = self.box
        return Rect(self.x, self.baseline - b.descent, b.width, b.ascent + b.descent)


@dataclass(frozen=True, slots=True)
class Group:
    """Records drawn together.

    With `origin`, their coordinates are relative to it (a card face in its slot). Inside a
    group shapes come first and all text follows in one text object, which is far cheaper
    for pages of many small texts. With `form`, the group is drawn once per document under
    that name and only referenced afterwards (cut marks, the same on every sheet).
    """

    records: tuple
    origin: tuple[float, float] | None = None
    form: str | None = None


Record = TextLine | Text | Rule | Box | CheckBox | TextField | Link | Bookmark | Formula | Group


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float
    records: tuple

    def of(self, kind: type) -> list:
        """Every record of one kind on the page, looking into groups (in their own coordinates)
        and into texts (their lines)."""
        return _of(self.records, kind)

    @property
    def fields(self) -> list:
        return [r for r in self.records if isinstance(r, (CheckBox, TextField))]


def _of(records, kind: type) -> list:
    out = []
    for r in records:
        if isinstance(r, kind):
            out.append(r)
        if isinstance(r, Group):
            out += _of(r.records, kind)
        elif isinstance(r, Text) and kind is TextLine:
            out += r.lines
    return out


def placed_lines(fit: Fit, x: float, top: float, align: str = "left", width: float = 0.0) -> tuple[TextLine, ...]:
    """Fitted lines placed from `top` downwards, alignment resolved to each line's x.

    The first baseline sits ASCENT_SHARE (0.95) of the size below `top` (the descent's share), so
    ascenders stay inside the box the fit was computed for. A line with a formula keeps
    its segments (and their math boxes); `text` splits them into text and Formula records.
    """
    size = fit.size
    if any(ln.ascent or ln.descent for ln in fit.lines):
        drops = fit.baselines()  # tall formulas push their line's leading
    else:
        drops = None
    baseline = top - size * ASCENT_SHARE
    out = []
    for i, line in enumerate(fit.lines):
        lx = x
        if align == "center":
            lx = x + (width - line.width * size) / 2
        elif align == "right":
            lx = x + width - line.width * size
        out.append(TextLine(lx, baseline if drops is None else top - drops[i], size, line))
        baseline -= fit.leading
    return tuple(out)


def split_formulas(lines: Iterable[TextLine], color: str = INK) -> tuple[tuple[TextLine, ...], tuple[Formula, ...]]:
    """Lines without their formula segments, and those formulas placed at their line's baseline."""
    plain, formulas = [], []
    for ln in lines:
        if not (ln.line.ascent or ln.line.descent):
            plain.append(ln)
            continue
        segs = tuple(s for s in ln.line.segments if s.math is None)
        for s in ln.line.segments:
            if s.math is not None:
                formulas.append(Formula(ln.x + s.x * ln.size, ln.baseline, s.math, color))
        if segs:
            plain.append(TextLine(ln.x, ln.baseline, ln.size, Line(segs, ln.line.width, ln.line.ascent, ln.line.descent)))
    return tuple(plain), tuple(formulas)


def lines_record(lines: Iterable[TextLine], color: str = INK):
    """A Text record, or, when the lines hold formulas, a Group of the Text and its Formulas."""
    lines = tuple(lines)
    plain, formulas = split_formulas(lines, color)
    if not formulas:
        return Text(lines, color)
    return Group((Text(plain, color),) + formulas)


def text(fit: Fit, x: float, top: float, width: float = 0.0, align: str = "left", color: str = INK):
    """A fitted text whose first line's top is at `top`: a Text record, or a Group of Text
    and Formula records when it holds math."""
    return lines_record(placed_lines(fit, x, top, align, width), color)
