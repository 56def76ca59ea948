"""The two-sided calibration sheet: check the flip edge, the scale and the back offset.

Every slot gets its outline and a registration crosshair on both faces, and a label
("A1" on the front, "back of A1" behind it), so a wrong flip edge shows as mismatched
labels when the sheet is held up to a light. The first front slot carries a 100 mm and a
4 in bar to check the print scale. Each back slot carries two millimetre scales beside
its crosshair: seen through the paper, the front crosshair's lines fall on those scales
at exactly the numbers to pass as `--back-offset DX,DY`.

Pure geometry first (`calibration_items`, page-model records), then cardpress.pdf.paint
draws the two pages (`calibration_pdf`).
"""

from __future__ import annotations

from cardpress.typeset import fonts
from cardpress.deck.assemble import is_card_page, offset_words
from cardpress.deck.faces import LEADING, MUTED, hairline, text_box
from cardpress.deck.imposition import Imposition, Rect, edge_words
from cardpress.deck.layout_spec import SAFE_EDGE, Layout
from cardpress.errors import CardpressError, Problem
from cardpress.pdf.canvas import OutlineEntry
from cardpress.files.output import Output
from cardpress.pdf.page import Box, Page, Text
from cardpress.typeset.textfit import ASCENT_SHARE, fit_text, layout_at
from cardpress.units import INCH, MM

ARM = 45.0  # front crosshair half-length: crosses the back scales even when 6 mm off
SCALE_AT = 22.0  # distance of the back's scales from the crosshair centre, clear of each other
SCALE_MM = 6  # the scales read -6..+6 mm, more than home printers drift
LABEL = 6.0  # the smallest size anything is printed at, for scale numbers


def outline(rect: Rect, layout: Layout) -> list[Box]:
    """A slot's outline, dashed so it reads as a guide, not a cut line.

    None where it would fall in the strip printers leave blank (a card that is the whole
    page has its edges at the paper's edges anyway).
    """
    half = 0.2  # half the line width
    if min(rect.x, rect.y, layout.sheet_w - rect.right, layout.sheet_h - rect.top) - half < SAFE_EDGE:
        return []
    return [Box(rect.x, rect.y, rect.w, rect.h, stroke="#888888", line_width=0.4, dash=(3, 2))]


def slot_name(index: int, columns: int) -> str:
    """ "A1" for the first row's first column: rows are letters, columns numbers."""
    r, c = divmod(index, columns)
    return f"{chr(ord('A') + r % 26)}{c + 1}"


def _text(text: str, font: str, size: float, x: float, top: float, width: float, align="left", color="#000000"):
    return text_box(layout_at([(text, font)], size, width, LEADING), x, top, width, align, color)


def _crosshair(cx: float, cy: float, arm: float) -> list:
    return [hairline(cx - arm, cy, cx + arm, cy, "#000000"), hairline(cx, cy - arm, cx, cy + arm, "#000000")]


def _bar(x: float, y: float, length: float, label: str, ticks: int) -> list:
    """A scale bar from (x, y) rightwards with `ticks` divisions and a label above its left end."""
    items = [hairline(x, y, x + length, y, "#000000")]
    for i in range(ticks + 1):
        h = 5.0 if i in (0, ticks) else 2.5
        items.append(hairline(x + length * i / ticks, y, x + length * i / ticks, y + h, "#000000"))
    items.append(_text(label, fonts.SANS_BOLD, 6.0, x, y + 6 + 6 * LEADING, length))
    return items


def _mm_scales(cx: float, cy: float) -> list:
    """A horizontal scale below the centre (read DX) and a vertical one right of it (read DY)."""
    items = []
    y, x = cy - SCALE_AT, cx + SCALE_AT
    items.append(hairline(cx - SCALE_MM * MM, y, cx + SCALE_MM * MM, y, "#000000"))
    items.append(hairline(x, cy - SCALE_MM * MM, x, cy + SCALE_MM * MM, "#000000"))
    for half in range(-2 * SCALE_MM, 2 * SCALE_MM + 1):
        v = half * MM / 2
        h = 5.0 if half % 10 == 0 else (2.8 if half % 2 == 0 else 1.4)
        items.append(hairline(cx + v, y, cx + v, y + h, "#000000"))
        items.append(hairline(x, cy + v, x - h, cy + v, "#000000"))
    # Labels every 5 mm: at 1 mm apart they would collide; the ticks are there to count.
    for mm in (-5, 0, 5):
        label = f"{mm:+d}" if mm else "0"
        items.append(_text(label, fonts.SANS, LABEL, cx + mm * MM - 6, y - 1, 12, "center", MUTED))
        items.append(_text(label, fonts.SANS, LABEL, x + 2, cy + mm * MM + LABEL * 0.5, 12, "left", MUTED))
    items.append(_text("DX (mm)", fonts.SANS, LABEL, cx - SCALE_MM * MM - 30, y + LABEL * 0.5, 28, "right", MUTED))
    items.append(_text("DY (mm)", fonts.SANS, LABEL, x - 14, cy + SCALE_MM * MM + 2 + LABEL * LEADING, 28, "left", MUTED))
    # The back's own crosshair stays short so the front's long lines stand out beyond it.
    items += _crosshair(cx, cy, 6.0)
    return items


def how_to_read(flip: str, other: str) -> str:
    return (
        "HOW TO READ THIS SHEET. 1) Scale: the bars on the front must measure exactly 100 mm and 4 in; "
        "if not, print again at actual size / 100%. "
        f"2) Flip edge: hold the sheet up to a light. Behind front A1 you must see 'back of A1', and so on; "
        f"if the labels don't match, your printer flips the other way: use --flip {other}. "
        "3) Offset: look at the back. The front crosshair shows through: read where its vertical line crosses "
        "the DX scale and where its horizontal line crosses the DY scale. Those two readings are the offset "
        "(+DX = right, +DY = up, seen from the back): "
        f"cardpress deck --flip {flip} --back-offset DXmm,DYmm, e.g. --back-offset 0.5mm,-1mm. "
        "Reprint this sheet with the same options: the lines should then cross both scales at 0."
    )


def calibration_items(layout: Layout, flip: str = "long", offset=(0.0, 0.0)) -> dict[str, list]:
    """Everything on each face of the calibration sheet, in sheet coordinates."""
    imp = Imposition(layout, flip, offset)
    other = "short" if flip == "long" else "long"
    s = layout.safe
    sides: dict[str, list] = {"front": [], "back": []}
    for i, (front, back) in enumerate(zip(imp.front_slots, imp.back_slots)):
        name = slot_name(i, layout.columns)
        inner_w = layout.card_w - 2 * s
        f = sides["front"]
        f += outline(front, layout)
        f.append(_text(f"FRONT {name}", fonts.SANS_BOLD, 12, front.x + s, front.top - s, inner_w))
        f += _crosshair(front.x + front.w / 2, front.y + front.h / 2, ARM)
        if i == 0:
            if inner_w < 4 * INCH + 2:
                raise CardpressError(Problem("cards narrower than 4 in can't carry the 4 in scale bar",
                                             file=layout.source))
            f += _bar(front.x + s, front.y + s + 4, 100 * MM, "100 mm", 10)
            f += _bar(front.x + s, front.y + s + 32, 4 * INCH, "4 in", 8)

        b = sides["back"]
        b += outline(back, layout)
        b.append(_text(f"back of {name}", fonts.SANS_BOLD, 12, back.x + s, back.top - s, inner_w))
        cx, cy = back.x + back.w / 2, back.y + back.h / 2
        b += _mm_scales(cx, cy)
        if i == 0:
            box_top = cy - SCALE_AT - LABEL * LEADING - 6
            box_h = box_top - (back.y + s)
            fit = fit_text(how_to_read(flip, other), fonts.SANS, inner_w, box_h, 7.0, LABEL)
            if fit is None:
                raise CardpressError(Problem("the calibration instructions don't fit on this card size",
                                             file=layout.source))
            b.append(text_box(fit, back.x + s, box_top, inner_w))

    edge = edge_words(imp.axis, flip)
    for side in ("front", "back"):
        box = imp.instruction_box(side)
        if box is None:
            continue
        line = (f"CALIBRATION {side.upper()}. Print two-sided at actual size / 100% (not 'fit to page'), {edge}."
                + (f" {offset_words(offset)}." if side == "back" and any(offset) else ""))
        fit = fit_text(line, fonts.SANS, box.w, box.h, 8.0, LABEL)
        if fit is not None:
            sides[side].append(text_box(fit, box.x, box.top, box.w, "center", "#333333"))
    return sides


def _reach(item) -> tuple[float, float, float, float]:
    """How far an item's ink reaches (left, bottom, right, top); text by its lines' boxes
    (DejaVu's ascenders reach 0.93 of the size above the baseline, descenders 0.24 below)."""
    if isinstance(item, Text):
        boxes = [(ln.x, ln.baseline - 0.24 * ln.size, ln.x + ln.width, ln.baseline + ASCENT_SHARE * ln.size)
                 for ln in item.lines]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    r = item.rect
    return (r.x, r.y, r.right, r.top)


def check_reach(layout: Layout, sides: dict[str, list]) -> None:
    """The crosshairs and scales have fixed sizes: on a small card they could reach the strip
    printers leave blank, which no layout may print in."""
    for side, items in sides.items():
        for item in items:
            left, bottom, right, top = _reach(item)
            clear = min(left, bottom, layout.sheet_w - right, layout.sheet_h - top)
            if clear < SAFE_EDGE - 1e-6:
                raise CardpressError(Problem(
                    f"the calibration marks need more room than this card size gives: on the {side} they come "
                    f"{clear:.1f} pt from the sheet's edge (at least {SAFE_EDGE:g} pt)", file=layout.source))


def calibration_pages(layout: Layout, flip: str = "long", offset=(0.0, 0.0)) -> list[Page]:
    """The front page and the back page; slot outlines first, everything else drawn over them."""
    sides = calibration_items(layout, flip, offset)
    check_reach(layout, sides)
    pages = []
    for side in ("front", "back"):
        items = sides[side]
        outlines = [it for it in items if isinstance(it, Box) and it.dash]
        pages.append(Page(layout.sheet_w, layout.sheet_h,
                          tuple(outlines + [it for it in items if not (isinstance(it, Box) and it.dash)])))
    return pages


def calibration_relpath(layout: Layout) -> str:
    return f"calibrate-{layout.output}.pdf"


def calibration_pdf(layout: Layout, flip: str = "long", offset=(0.0, 0.0)) -> Output:
    """calibrate-<output>.pdf: one sheet, front then back."""
    from cardpress.pdf.paint import pdf  # the painter only when a PDF is made (validate lays out only)

    return pdf(calibration_relpath(layout), calibration_pages(layout, flip, offset),
               (layout.sheet_w, layout.sheet_h),
               title=f"cardpress calibration sheet — {layout.name}, flip on {flip} edge",
               author="cardpress", subject=how_to_read(flip, "short" if flip == "long" else "long"),
               duplex=flip, outline=[OutlineEntry("Front", 0), OutlineEntry("Back", 1)], trim=is_card_page(layout))
