"""Worksheet geometry and content as plain numbers: no PDF is made here."""

from __future__ import annotations

import pytest

from cardpress.catalog import load_catalog
from cardpress.units import INCH, PAPER
from cardpress.worksheets import Variant, worksheet_pages
from cardpress.pdf.page import Group
from cardpress.worksheets.content import protocol_sheet, split_followup, three_pass_sheet
from cardpress.worksheets.geometry import (
    LINE_PITCH, MARGIN, Box, CheckBox, Need, Rect, Rule, Text, TextField, ruled_lines, share_lines,
)

PROTOCOL_PAPERS = ("vaswani-2017-attention", "radford-2021-clip", "hoffmann-2022-chinchilla", "rafailov-2023-dpo")


def test_ruled_lines_one_per_full_pitch_from_the_top():
    area = Rect(0, 100, 200, 3.5 * 24)
    assert ruled_lines(area, 24) == [100 + 84 - 24, 100 + 84 - 48, 100 + 84 - 72]
    assert ruled_lines(Rect(0, 0, 10, 23.9), 24) == []


def test_line_pitch_is_handwriting_size():
    assert LINE_PITCH >= 0.3 * INCH


def test_share_lines_fills_round_robin_and_reports_overflow():
    needs = [Need(10, 1), Need(20, 0, grows=False), Need(5, 2)]
    # 10+20+5 fixed, 3 lines, 2 gaps of 6: 47 + 3*10 = 77; 100 leaves 23 -> 2 more lines.
    assert share_lines(needs, 100, gap=6, pitch=10) == [2, 0, 3]
    assert share_lines(needs, 76.9, gap=6, pitch=10) is None
    assert share_lines(needs, 77, gap=6, pitch=10) == [1, 0, 2]


def test_split_followup_keeps_model_answer_apart():
    assert split_followup('"Why?" → because.') == ('"Why?"', "because.")
    assert split_followup("Just a question") == ("Just a question", "")


def _variants():
    return [Variant(), Variant(answers=True), Variant(template="three-pass"), Variant(paper="a4"),
            Variant(paper="a4", answers=True)]


@pytest.mark.parametrize("variant", _variants(), ids=lambda v: v.suffix or "default")
def test_every_page_stays_inside_its_margins_and_is_legible(shipped, variant):
    w, h = PAPER[variant.paper]
    content = Rect(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN)
    page_rect = Rect(0, 0, w, h)
    for card in shipped.cards:
        pages = worksheet_pages(shipped, card, variant)
        assert len(pages) == 2
        for page in pages:
            assert (page.width, page.height) == (w, h)
            for item in _flat(page.records):
                if isinstance(item, Text):
                    for ln in item.lines:
                        assert ln.size >= 8.0, (card.id, ln.text)
                        # every line (ascent to descent) on the page
                        box = Rect(ln.x, ln.baseline - 0.24 * ln.size, ln.width, 1.19 * ln.size)
                        assert page_rect.contains(box), (card.id, ln)
                else:
                    assert content.contains(item.rect), (card.id, item)


def _flat(records):
    """Records with groups opened (a text with formulas is a Group of a Text and Formulas)."""
    for r in records:
        if isinstance(r, Group):
            yield from _flat(r.records)
        else:
            yield r


def _frames_with_rules(page):
    frames = [i for i in page.records if isinstance(i, Box) and i.stroke == "#8a8a8a"]
    rules = [i for i in page.records if isinstance(i, Rule)]
    for f in frames:
        inside = sorted({r.y1 for r in rules if f.rect.contains(r.rect)}, reverse=True)
        yield f, inside


def test_writing_lines_are_at_least_point_three_inches_apart(shipped):
    for card in shipped.cards:
        for page in worksheet_pages(shipped, card, Variant()):
            for frame, ys in _frames_with_rules(page):
                gaps = [a - b for a, b in zip(ys, ys[1:])]
                assert all(g >= 0.3 * INCH - 1e-6 for g in gaps), (card.id, gaps)


def test_boxes_never_overlap(shipped):
    card = shipped.card("vaswani-2017-attention")
    for page in worksheet_pages(shipped, card, Variant()):
        frames = [i.rect for i in page.records if isinstance(i, Box) and i.stroke == "#8a8a8a"]
        for i, a in enumerate(frames):
            for b in frames[i + 1:]:
                apart = a.right <= b.x + 1e-6 or b.right <= a.x + 1e-6 or a.top <= b.y + 1e-6 or b.top <= a.y + 1e-6
                assert apart, (a, b)


def test_field_names_are_stable_and_unique(shipped):
    card = shipped.card("vaswani-2017-attention")
    names = [i.name for p in worksheet_pages(shipped, card, Variant()) for i in p.fields]
    assert len(names) == len(set(names))
    expected = {"name", "date", "claim", "headline-figure", "surprising-table", "equation", "ablation", "weakness",
                "opinion", "read", "skip"}
    expected |= {f"phase-{i}" for i in range(1, 7)} | {f"grade-{i}" for i in range(1, 5)}
    expected |= {f"recall-{i}" for i in range(1, 4)} | {f"followup-{i}" for i in range(1, 4)}
    assert expected <= {n.split(".")[0] for n in names}  # a writing box's lines are `claim.1`, `claim.2`, …
    checks = {i.name for p in worksheet_pages(shipped, card, Variant()) for i in p.fields if isinstance(i, CheckBox)}
    assert {f"phase-{i}" for i in range(1, 7)} <= checks
    prefixed = [i.name for p in worksheet_pages(shipped, card, Variant(), prefix=f"{card.id}.") for i in p.fields]
    assert prefixed == [f"{card.id}.{n}" for n in names]


def test_every_writing_line_carries_a_one_line_field_standing_on_it(shipped):
    card = shipped.card("devlin-2018-bert")
    for page in worksheet_pages(shipped, card, Variant()):
        fields = [i for i in page.records if isinstance(i, TextField)]
        for frame, ys in _frames_with_rules(page):
            inside = [f for f in fields if frame.rect.contains(f.rect)]
            for y in ys:
                assert [f for f in inside if 0 <= f.rect.y - y <= 1.0 and not f.multiline], (frame, y)


def test_protocol_content_comes_from_the_catalog_or_stays_blank(shipped):
    for cid in PROTOCOL_PAPERS:
        card = shipped.card(cid)
        sheet = protocol_sheet(shipped, card)
        assert [p.text for p in sheet.read.printed] == list(card.protocol.read)
        assert [p.text for p in sheet.skip.printed] == list(card.protocol.skip)
        assert sheet.claim.printed == ()  # the reader's copy never shows the claim
        assert sheet.recall == (None, None, None)
        answers = protocol_sheet(shipped, card, answers=True)
        assert answers.claim.printed[0].text == card.protocol.claim
        assert answers.recall == tuple(n.full for n in card.numbers)
    card = shipped.card("devlin-2018-bert")
    bert = protocol_sheet(shipped, card, answers=True)
    # no reading list: what 002 says the paper is about, and lines to write the sections on
    assert [p.text for p in bert.read.printed] == ["The problem: " + card.note.problem, "The key idea: " + card.note.idea]
    assert bert.read.min_lines > 0
    # the claim is the card's summary ("claim + method", 000); 002's result is the headline
    assert bert.claim.printed[0].text == card.summary and bert.extras == ()
    boxes = {b.name: b for pair in bert.pairs for b in pair}
    assert boxes["headline-figure"].printed[0].text == card.note.result
    assert boxes["weakness"].printed[0].text == card.note.limits
    assert not boxes["ablation"].printed  # 002 names no ablation of BERT
    # 002's discussion points are the follow-ups, with their answers in this copy
    [followups] = bert.followups
    assert [p.text for p in followups.printed if p.role == "question"] == [
        d.split(" → ")[0] for d in card.note.discussion]


def test_reader_copy_hides_model_answers_of_followups(shipped):
    card = shipped.card("rafailov-2023-dpo")
    sheet = protocol_sheet(shipped, card)
    shown = " ".join(p.text for b in sheet.followups for p in b.printed)
    assert "→" not in shown and "When does DPO underperform PPO?" in shown


def test_defaults_fill_a_catalog_without_protocol(make_catalog):
    cat = load_catalog(make_catalog(2))
    sheet = protocol_sheet(cat, cat.cards[0])
    assert [p.minutes for p in sheet.phases] == ["0–2", "2–5", "5–12", "12–16", "16–18", "18–20"]
    assert len(sheet.grading) == 4
    tp = three_pass_sheet(cat, cat.cards[0])
    assert [p.name for p in tp.passes] == ["Survey", "Comprehension", "Deep Dive"]
    assert [b.name for b in tp.boxes] == ["problem", "key-idea", "method", "results", "limitations", "your-questions"]
