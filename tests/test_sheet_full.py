"""The revision sheet carries everything a candidate revises: four full pages, read back.

Expected terms are written here from the source documents (so the tests need no
../shared); the layout and the PDF are only ever asked what they hold.
"""

from __future__ import annotations

import re
import tomllib
from io import BytesIO

import shutil
import subprocess

import pytest
import tomli_w
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog_text
from cardpress.pdf.page import Rule, TextLine
from cardpress.sheet import build_outputs, geometry as geo
from cardpress.sheet.content import SECTION_CHOICES, sheet_sections
from cardpress.sheet.layout import lay_out
from cardpress.sheet.paginate import Group, flow
from cardpress.typeset.textfit import wrap_spans
from cardpress.typeset import fonts

PAPERS = ("letter", "a4")

# A key term of each of 004's nine concepts, in its order.
CONCEPT_TERMS = ["predict the next token", "query-key dot products, scaled, softmax",
                 "Byte-Pair Encoding (BPE)", "SFT (instruction tuning)", "Top-p (nucleus, Holtzman et al. 2019)",
                 "<|im_start|>system", "Few-shot: two to a few dozen", "Let's think step by step.",
                 "about 20 tokens per parameter"]
# A term of each of 004's model answers Q1–Q7.
ANSWER_TERMS = ["Encoder-only (BERT): bidirectional", "Why do we divide by root",
                "Explain the three-stage post-training pipeline.", "top-k and top-p sampling",
                "Why is DPO replacing RLHF?", "What happens if I set temperature = 0?",
                "high-reward nonsense (reward hacking)"]
# A term of each further paper (002 and 003).
FURTHER_TERMS = ["Constitutional AI", "1.6 trillion parameters", "5x throughput", "Jamba", "GSM8K 17.9% to 58%",
                 "HotpotQA +6%", "Game of 24", "RAG-Token", "GRPO", "Sparse autoencoders on Claude 3 Sonnet", "Llama 3.1 405B", "iRoPE",
                 "prospect theory", "odds-ratio", "crowdsourced attacks", "Sleeper Agents", "Adam", "AlexNet",
                 "BatchNorm", "ResNet", "LLaMA", "ColBERT", "BM25", "Latent Diffusion"]
# 002's top-15 checklist.
TOP_15 = ["Attention Is All You Need", "GPT-3", "InstructGPT", "LoRA", "Flash Attention", "Chain-of-Thought", "ReAct",
          "RAG", "DPO", "Constitutional AI", "DeepSeek R1", "Scaling Monosemanticity", "Llama 3/4", "KTO/ORPO",
          "Mamba-2"]


def _flat(text: str) -> str:
    """Whitespace folded, a word broken after its hyphen at a line end joined again, and
    one hyphenated at a line end (a soft hyphen) joined without it."""
    text = re.sub(r"\u00ad\s*", "", text)
    return re.sub(r"(?<=[^\W\d_]-) (?=[^\W\d_])", "", " ".join(text.split()))


@pytest.fixture(scope="module")
def pdfs(shipped):
    return {o.relpath: o.data for o in build_outputs(shipped)}


@pytest.fixture(scope="module")
def sheets(shipped):
    return {paper: lay_out(shipped, paper) for paper in PAPERS}


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


@pytest.mark.parametrize("paper", PAPERS)
def test_shipped_sheet_reads_back_every_source(shipped, pdfs, paper, tmp_path):
    pages = _pages_text(pdfs[f"revision-sheet-{paper}.pdf"])
    assert len(pages) == 4
    flat = _flat(" ".join(pages))
    expected = CONCEPT_TERMS + ANSWER_TERMS + FURTHER_TERMS + TOP_15 + [_flat(c.heading) for c in shipped.cards]
    missing = [term for term in expected if _flat(term) not in flat]
    assert not missing
    shown = ""
    if shutil.which("pdftotext"):
        path = tmp_path / "sheet.pdf"
        path.write_bytes(pdfs[f"revision-sheet-{paper}.pdf"])
        shown = _flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                     check=True).stdout)
    # the protocol papers' claim, equation and pitfall, and the follow-ups with answers
    for card in shipped.cards:
        if card.protocol:
            for value in (card.protocol.claim, card.protocol.pitfall):
                assert _flat(value)[:60] in flat, card.id
            if card.protocol.equation_note and shutil.which("pdftotext"):
                # The note runs on after a formula, whose glyphs text extraction can read into
                # its first line: read it as a viewer does, and check the end of the note's
                # longest stretch of plain text (its formulas print as glyphs, not TeX).
                plain = max(re.split(r"\\\(.*?\\\)", card.protocol.equation_note), key=len)
                # (poppler drops the hyphen of a word broken at its own hyphen: "compute-optimal"
                # may read "computeoptimal")
                needle = _flat(plain)[-25:]
                assert needle in shown or needle.replace("-", "") in shown.replace("-", ""), card.id
    for q in shipped.questions:
        # Formulas print as glyphs, not as their TeX: compare the plain text between them,
        # read as a viewer does where poppler is installed (pypdf can read a formula's
        # glyphs into the line above it).
        for value in (q.question, q.answer):
            plain = max(re.split(r"\\\(.*?\\\)", value), key=len)
            needle = _flat(plain)[:50]
            # (poppler drops a hyphen at a line end: "encoder-only" may read "encoderonly")
            assert needle in flat or needle.replace("-", "") in shown.replace("-", ""), value


@pytest.mark.parametrize("paper", PAPERS)
def test_every_page_carries_85_percent_of_the_fullest(pdfs, paper):
    chars = [len("".join(t.split())) for t in _pages_text(pdfs[f"revision-sheet-{paper}.pdf"])]
    assert min(chars) >= 0.85 * max(chars), chars


@pytest.mark.parametrize("paper", PAPERS)
def test_shipped_sheet_is_four_full_pages_with_ragged_feet(sheets, paper):
    """Columns are not stretched to end level: each ends where its last block ends, and
    every page is at least 85 % full (its columns' mean depth)."""
    sheet = sheets[paper]
    fr = geo.frame(paper)
    assert not sheet.notes_areas  # no notes page, no notes corner: nothing is left over
    assert geo.FLOOR <= sheet.size < geo.CEILING
    lefts = geo.column_lefts(fr, sheet.columns_per_page)
    width = geo.column_width(fr, sheet.columns_per_page)
    for page in sheet.pages:
        depths = []
        for left in lefts:
            lines = [ln for ln in page.of(TextLine) if left - 1e-6 <= ln.x < left + width
                     and fr.bottom - 1 <= ln.baseline <= fr.top]
            depths.append(fr.top - min(ln.baseline for ln in lines))
        assert all(d <= fr.height for d in depths)
        assert sum(depths) / len(depths) >= 0.85 * fr.height, depths


@pytest.mark.parametrize("paper", PAPERS)
def test_size_hierarchy(sheets, shipped, paper):
    sheet = sheets[paper]
    sizes = {}
    for ln in sheet.pages[0].of(TextLine):
        sizes.setdefault(ln.text.strip(), ln.size)
    def size_of(start: str) -> float:  # a head may wrap in a narrow column: match its first line
        return next(size for text, size in sizes.items() if text and start.startswith(text))

    # the running head names what the page holds: the concepts, the tables (and what follows them)
    page_title = next(size for text, size in sizes.items() if text.startswith("LLM concepts · At a glance"))
    section_head = size_of("How LLMs work: the concepts")
    concept_title = size_of("What is a Large Language Model")
    body = sheet.size
    assert page_title > section_head > concept_title > body


@pytest.mark.parametrize("paper", PAPERS)
def test_legend_names_every_category_in_full_on_every_page(pdfs, shipped, paper):
    for text in _pages_text(pdfs[f"revision-sheet-{paper}.pdf"]):
        flat = _flat(text)
        for cat in shipped.category_order():
            assert f"{cat.short} {cat.name}" in flat


def test_shipped_category_colours_differ_in_grey(shipped):
    def grey(hex_color):
        r, g, b = (int(hex_color[k:k + 2], 16) / 255 for k in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    greys = sorted(grey(c.color) for c in shipped.categories)
    assert min(b - a for a, b in zip(greys, greys[1:])) >= 0.1, greys


def test_tables_are_set_as_tables(sheets, shipped):
    sheet = sheets["letter"]
    words = {ln.text.strip(): ln for page in sheet.pages for ln in page.of(TextLine)}
    # RLHF vs DPO: the two column heads on one baseline, left to right
    rlhf, dpo = words["RLHF (PPO)"] if "RLHF (PPO)" in words else words["RLHF"], words["DPO"]
    assert abs(rlhf.baseline - dpo.baseline) < 1e-6 and rlhf.x < dpo.x
    rules = [r for page in sheet.pages for r in page.records if isinstance(r, Rule)]
    rows = sum(len(t.rows) for t in shipped.tables)
    assert len(rules) >= rows  # a rule under the head row and between the rows


def test_byte_identical_rebuild(shipped, pdfs):
    again = {o.relpath: o.data for o in build_outputs(shipped)}
    assert again == pdfs


# ------------------------------------------------------------ capacity: 120 cards


def _repeated_cards(n: int):
    """The shipped cards repeated under new ids: real lengths, n cards."""
    data = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    shipped = data["cards"]
    cards = []
    for i in range(n):
        card = dict(shipped[i % len(shipped)])
        card.pop("protocol", None)
        card["id"] = f"{card['id']}-copy{i // len(shipped)}"
        cards.append(card)
    data["cards"] = cards
    data.pop("questions")  # their follow-ups name the shipped ids
    return load_catalog_text(tomli_w.dumps(data), "repeated-120.toml")


@pytest.mark.parametrize("paper", PAPERS)
def test_120_cards_alone_fit_four_pages_at_6pt_or_more(paper):
    cat = _repeated_cards(120)
    sheet = lay_out(cat, paper, ("cards",))
    assert len(sheet.pages) == 4 and sheet.size >= geo.FLOOR
    lines = [ln for page in sheet.pages for ln in page.of(TextLine)]
    assert min(ln.size for ln in lines) >= geo.FLOOR
    text = _flat(" ".join(ln.text for ln in lines))
    assert all(_flat(c.heading) in text for c in cat.cards[:17])
    assert text.count(_flat(cat.cards[0].heading)) == len([c for c in cat.cards if c.heading == cat.cards[0].heading])
    # and in the PDF: no font set below the floor
    out = {o.relpath: o.data for o in build_outputs(cat, (paper,), sections=("cards",))}
    reader = PdfReader(BytesIO(out[f"revision-sheet-{paper}.pdf"]))
    assert len(reader.pages) == 4
    sizes = [float(args[1]) for page in reader.pages
             for args, op in ContentStream(page.get_contents(), reader).operations if op == b"Tf"]
    # Text at the floor or over; a formula's scripts have their own, 5 pt (issue 21); the
    # STIX size fonts' radicals and delimiters are drawn tall at small nominal sizes.
    from test_sheet_pdf import MATH_SCRIPT_FLOOR, SIZED_GLYPH_FONTS, _font_sizes

    assert sizes and min(size for size, base in _font_sizes(reader, with_fonts=True)
                         if not any(f in base for f in SIZED_GLYPH_FONTS)) >= min(geo.FLOOR, MATH_SCRIPT_FLOOR)


# ------------------------------------------------------------ sections and rules


def test_sections_choose_what_prints(shipped):
    chosen = sheet_sections(shipped, ("cards", "answers"))
    assert {s.choice for s in chosen} == {"cards", "answers"}
    # the sheet's order, whatever the order asked
    assert [s.choice for s in sheet_sections(shipped, ("cards", "answers"))][0] == "answers"
    assert {s.choice for s in sheet_sections(shipped)} == set(SECTION_CHOICES)


def test_sections_option(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("sheet", "--catalog", SHIPPED_CATALOG, "--out", out, "--paper", "letter", "--sections", "cards")
    assert result.exit_code == 0, result.stderr
    text = _flat(" ".join(_pages_text((out / "revision-sheet-letter.pdf").read_bytes())))
    assert "Attention Is All You Need" in text and "How LLMs work" not in text
    bad = cli("sheet", "--catalog", SHIPPED_CATALOG, "--out", out, "--sections", "card")
    assert bad.exit_code == 1 and "did you mean `cards`" in bad.stderr and "Traceback" not in bad.stderr


def test_over_full_message_names_sections_and_cards_to_drop():
    from cardpress.errors import CardpressError

    with pytest.raises(CardpressError) as info:
        lay_out(_repeated_cards(100), "letter")
    msg = info.value.render()
    assert "100 cards with concepts (" in msg and "cards (" in msg and "pages)" in msg
    assert re.search(r"drop roughly \d+ cards or leave sections out with --sections", msg)


def test_a_line_may_end_after_a_hyphen():
    text = "pre-trained with masked-language-modeling and next-sentence prediction"
    lines = wrap_spans([(text, fonts.COND)], 10, 150, break_hyphens=True)
    assert any(ln.text.endswith("-") for ln in lines[:-1])
    assert " ".join(ln.text for ln in lines).replace("- ", "-") == text
    # without the option, hyphens hold (the deck's faces keep their wrapping)
    assert not any(ln.text.endswith("-") for ln in wrap_spans([(text, fonts.COND)], 10, 150))


def test_a_continued_heading_never_carries_a_single_block():
    # Five items of 10 pt under a 5 pt heading in a 46 pt column: greedy would leave the
    # fifth alone under "(cont.)"; the fourth goes with it.
    groups = [Group(5.0, 5.0, (10.0,) * 5, item_gap=0.0)]
    cols = flow(groups, 46.0, 0.0)
    assert [(f.first, f.end) for c in cols for f in c.fragments] == [(0, 3), (3, 5)]


def test_a_kept_item_takes_the_one_before_along():
    # Item 3 (a trap) keeps with item 2: a 36 pt column would break between them.
    groups = [Group(5.0, 5.0, (10.0,) * 6, item_gap=0.0, keeps=(False, False, False, True, False, False))]
    cols = flow(groups, 36.0, 0.0)
    firsts = [f.first for c in cols for f in c.fragments]
    assert 3 not in firsts and 2 in firsts
