"""Card layouts as data: reading and validating `layouts/*.toml`.

A layout says how big the sheet and the cards are, how the cards sit on the sheet, which
marks to print and the range of type sizes each text may shrink through. Built-in layouts
are found by name in the package's `layouts/` folder; a user passes a copied and edited
file by path. Like the catalog, every problem is reported at once, placed by file and
line, and unknown keys are named with a "did you mean" rather than silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cardpress import units
from cardpress.catalog import schema
from cardpress.catalog.load import parse_toml, read_text
from cardpress.catalog.locate import LineIndex
from cardpress.catalog.schema import Field, Int, Str, Table
from cardpress.errors import CardpressError, Problem
from cardpress.catalog.select import near

LAYOUT_DIR = Path(__file__).resolve().parent.parent / "layouts"

# The layouts `cardpress build` writes, in order.
DEFAULT_LAYOUTS = ("index-3x5", "letter-4up", "a4-4up")
# The layouts `cardpress build` writes a calibration sheet for.
CALIBRATION_LAYOUTS = ("letter-4up", "a4-4up")

# No ink closer than this to a page edge, whatever the options: home printers leave
# 12-18 pt blank, and what falls there is lost or smeared.
SAFE_EDGE = 12.0
# Text boxes are where glyphs sit, not quite where their ink ends: hairlines are 0.4 pt wide
# and glyphs overshoot a little. Limits computed from boxes keep this much in hand.
INK_SLACK = 0.5

# Below this a printed letter stops being legible on a card held at arm's length; no
# text cardpress prints is smaller.
SMALLEST_LEGIBLE = 6.0


# ---------------------------------------------------------------- value specs (plug into schema.check)


@dataclass(frozen=True)
class Length:
    """A length written with its unit ("5in", "3mm", "12pt")."""

    minimum: float | None = None  # in points

    def check_value(self, value, path):
        try:
            pts = units.parse_length(value)
        except ValueError as exc:
            return [(path, str(exc))]
        if self.minimum is not None and pts < self.minimum:
            return [(path, f"{value!r} is too small (at least {self.minimum:g} pt)")]
        if abs(pts) > units.LONGEST:
            return [(path, f"{value!r} is larger than the paper cardpress prints on (at most "
                           f"{units.LONGEST / units.MM:.0f} mm, {units.LONGEST / units.INCH:g} in)")]
        return []


@dataclass(frozen=True)
class SizeRange:
    """[largest, smallest] font sizes, both lengths."""

    def check_value(self, value, path):
        if not isinstance(value, list) or len(value) != 2:
            return [(path, "expected [largest, smallest], e.g. [\"24pt\", \"10pt\"]")]
        issues = []
        for i, v in enumerate(value):
            issues += Length(SMALLEST_LEGIBLE).check_value(v, path + (i,))
        if not issues and units.parse_length(value[0]) < units.parse_length(value[1]):
            issues.append((path, "the largest size comes first: [largest, smallest]"))
        return issues


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    def check_value(self, value, path):
        if value not in self.options:
            return [(path, f"{value!r} is not one of {', '.join(self.options)}{near(str(value), self.options)}")]
        return []


@dataclass(frozen=True)
class Flag:
    def check_value(self, value, path):
        return [] if isinstance(value, bool) else [(path, "expected true or false")]


@dataclass(frozen=True)
class Ratio:
    low: float
    high: float

    def check_value(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [(path, "expected a number, e.g. 1.3")]
        if not self.low <= value <= self.high:
            return [(path, f"{value} is out of range ({self.low}–{self.high})")]
        return []


def _f(spec, required=False, description=""):
    return Field(spec, required, description)


LAYOUT = Table({
    "name": _f(Str(schema.SLUG_PATTERN, "lower-case letters, digits and hyphens, e.g. letter-4up", schema.NAME_LEN,
                   " (it names the deck's file when `output` is not given)"), True),
    "output": _f(Str(schema.SLUG_PATTERN, "lower-case letters, digits and hyphens, e.g. letter", schema.NAME_LEN,
                     " (it names the deck's file, deck-<output>.pdf)"), False,
                 "Files are named deck-<output>.pdf; defaults to the name."),
    "description": _f(Str()),
    "sheet": _f(Table({
        "paper": _f(Choice(tuple(units.PAPER))),
        "orientation": _f(Choice(("portrait", "landscape"))),
        "width": _f(Length(36.0)),
        "height": _f(Length(36.0)),
    }), True),
    "card": _f(Table({
        "width": _f(Length(36.0), True),
        "height": _f(Length(36.0), True),
        "safe": _f(Length(0.0), False, "Inner margin on every face that text never enters."),
    }), True),
    "grid": _f(Table({
        "columns": _f(Int(1, 20), True),
        "rows": _f(Int(1, 20), True),
        "column_gap": _f(Length(0.0)),
        "row_gap": _f(Length(0.0)),
        "left": _f(Length(0.0)),
        "top": _f(Length(0.0)),
    }), True),
    "marks": _f(Table({
        "cut": _f(Flag()),
        "cut_length": _f(Length(1.0)),
        "cut_gap": _f(Length(0.0)),
        "instruction": _f(Flag()),
    })),
    "type": _f(Table({
        "title": _f(SizeRange()),
        "byline": _f(SizeRange()),
        "category": _f(SizeRange()),
        "body": _f(SizeRange()),
        "figure_scale": _f(Ratio(1.0, 3.0)),
        "mark": _f(Length(SMALLEST_LEGIBLE)),
    })),
})


# ---------------------------------------------------------------- the typed layout


@dataclass(frozen=True)
class Sizes:
    largest: float
    smallest: float


@dataclass(frozen=True)
class Layout:
    """A validated layout; every length in points, the grid's position resolved."""

    name: str
    output: str
    description: str
    source: str
    sheet_w: float
    sheet_h: float
    card_w: float
    card_h: float
    safe: float
    columns: int
    rows: int
    column_gap: float
    row_gap: float
    left: float  # sheet's left edge to the first column
    top: float  # sheet's top edge to the first row
    cut_marks: bool
    cut_length: float
    cut_gap: float
    instruction: bool
    title: Sizes
    byline: Sizes
    category: Sizes
    body: Sizes
    figure_scale: float
    mark: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def grid_w(self) -> float:
        return self.columns * self.card_w + (self.columns - 1) * self.column_gap

    @property
    def grid_h(self) -> float:
        return self.rows * self.card_h + (self.rows - 1) * self.row_gap


def _sizes(value, default: tuple[str, str]) -> Sizes:
    value = value or list(default)
    return Sizes(units.parse_length(value[0]), units.parse_length(value[1]))


def _build(data: dict, source: str) -> tuple[Layout | None, list[tuple[tuple, str]]]:
    """The layout and the problems only visible once lengths are numbers (things that don't fit)."""
    L = units.parse_length
    sheet, card, grid = data["sheet"], data["card"], data["grid"]
    marks, type_ = data.get("marks", {}), data.get("type", {})
    issues: list[tuple[tuple, str]] = []

    if "paper" in sheet:
        if "width" in sheet or "height" in sheet:
            issues.append((("sheet",), "give either paper (with orientation) or width and height, not both"))
            return None, issues
        pw, ph = units.PAPER[sheet["paper"]]
        if sheet.get("orientation", "portrait") == "landscape":
            pw, ph = ph, pw
    elif "width" in sheet and "height" in sheet:
        if "orientation" in sheet:
            issues.append((("sheet", "orientation"), "orientation goes with paper; width and height already say it"))
        pw, ph = L(sheet["width"]), L(sheet["height"])
    else:
        issues.append((("sheet",), "give paper = \"letter\" or \"a4\", or both width and height"))
        return None, issues

    cw, ch = L(card["width"]), L(card["height"])
    safe = L(card.get("safe", "0.15in"))
    if safe * 2 >= min(cw, ch) * 0.6:
        issues.append((("card", "safe"), "the safe margin leaves almost no room for text"))
    cols, rows = grid["columns"], grid["rows"]
    cgap, rgap = L(grid.get("column_gap", "0pt")), L(grid.get("row_gap", "0pt"))
    gw, gh = cols * cw + (cols - 1) * cgap, rows * ch + (rows - 1) * rgap
    left = L(grid["left"]) if "left" in grid else (pw - gw) / 2
    top = L(grid["top"]) if "top" in grid else (ph - gh) / 2
    eps = 1e-6
    if left < -eps or left + gw > pw + eps:
        issues.append((("grid",), f"{cols} column(s) of {cw / units.INCH:g} in cards need {(gw + max(left, 0)) / units.INCH:.3g} in "
                                  f"but the sheet is {pw / units.INCH:.3g} in wide"))
    if top < -eps or top + gh > ph + eps:
        issues.append((("grid",), f"{rows} row(s) of {ch / units.INCH:g} in cards need {(gh + max(top, 0)) / units.INCH:.3g} in "
                                  f"but the sheet is {ph / units.INCH:.3g} in tall"))
    if issues:
        return None, issues
    # The outermost cards' text, from the sheet's edge (the back grid mirrors the front's).
    clearance = min(left, top, pw - left - gw, ph - top - gh) + safe
    if clearance < SAFE_EDGE + INK_SLACK - 1e-6:
        issues.append((("card", "safe"), f"card text would come {clearance:.1f} pt from the sheet's edge; printers leave "
                                         f"about {SAFE_EDGE:g} pt blank: make safe at least "
                                         f"{(SAFE_EDGE + INK_SLACK - clearance + safe) / units.INCH:.3g}in, or move the grid in"))
        return None, issues

    layout = Layout(
        name=data["name"], output=data.get("output", data["name"]), description=data.get("description", ""),
        source=source, sheet_w=pw, sheet_h=ph, card_w=cw, card_h=ch, safe=safe,
        columns=cols, rows=rows, column_gap=cgap, row_gap=rgap, left=max(left, 0.0), top=max(top, 0.0),
        cut_marks=marks.get("cut", True), cut_length=L(marks.get("cut_length", "0.25in")),
        cut_gap=L(marks.get("cut_gap", "3pt")), instruction=marks.get("instruction", True),
        title=_sizes(type_.get("title"), ("24pt", "10pt")), byline=_sizes(type_.get("byline"), ("11pt", "8pt")),
        category=_sizes(type_.get("category"), ("8pt", "6pt")), body=_sizes(type_.get("body"), ("11pt", "6pt")),
        figure_scale=float(type_.get("figure_scale", 1.3)), mark=L(type_.get("mark", "7pt")),
    )
    return layout, issues


def load_layout_text(text: str, source: str | Path) -> Layout:
    """Validate and build a layout from TOML text; `source` names it in messages."""
    source = str(source)
    data = parse_toml(Path(source), text)
    issues = schema.check(data, LAYOUT)
    layout = None
    if not issues:
        layout, issues = _build(data, source)
    if issues:
        index = LineIndex(text)
        raise CardpressError([
            Problem(msg, file=source, line=index.line_of(path), field=schema.field_name(path) or None)
            for path, msg in issues
        ])
    return layout


def builtin_names() -> list[str]:
    return sorted(p.stem for p in LAYOUT_DIR.glob("*.toml"))


def resolve(name_or_path: str) -> Path:
    """A built-in layout's file by name, or a user's layout file by path."""
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        if not candidate.is_file():
            raise CardpressError(Problem("layout file not found", file=name_or_path))
        return candidate
    builtin = LAYOUT_DIR / f"{name_or_path}.toml"
    if builtin.is_file():
        return builtin
    names = builtin_names()
    raise CardpressError(Problem(
        f"no layout called `{name_or_path}`{near(name_or_path, names)} "
        f"(built-in: {', '.join(names)}; or pass the path of a .toml file)"))


def load_layout(name_or_path: str) -> Layout:
    path = resolve(name_or_path)
    return load_layout_text(read_text(path, "layout"), path)
