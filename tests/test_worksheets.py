"""Worksheet PDFs read back: page counts, sizes, text, form fields, CLI behaviour."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from cardpress.catalog import load_catalog
from cardpress.errors import CardpressError
from cardpress.units import PAPER
from cardpress.worksheets import Variant, build_outputs, render_worksheets
from tests.conftest import SHIPPED_CATALOG, card_data, catalog_data

PROTOCOL_PAPERS = ("vaswani-2017-attention", "radford-2021-clip", "hoffmann-2022-chinchilla", "rafailov-2023-dpo")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def _page_text(reader, i) -> str:
    return _norm(reader.pages[i].extract_text())


@pytest.fixture(scope="module")
def default_outputs(shipped):
    return {o.relpath: o.data for o in build_outputs(shipped)}


def test_one_two_page_letter_worksheet_per_card_and_the_combined_file(shipped, default_outputs):
    expected = {f"worksheets/{c.id}.pdf" for c in shipped.cards} | {"worksheets.pdf", "worksheets-answers.pdf"}
    assert set(default_outputs) == expected
    for card in shipped.cards:
        reader = _reader(default_outputs[f"worksheets/{card.id}.pdf"])
        assert len(reader.pages) == 2
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == PAPER["letter"]
        assert card.title in _page_text(reader, 0)
    combined = _reader(default_outputs["worksheets.pdf"])
    assert len(combined.pages) == 2 * len(shipped.cards)
    for k, card in enumerate(shipped.cards):
        # each paper starts on a front: page 2k+1 (1-based) is its side one
        front = _page_text(combined, 2 * k)
        assert card.title in front and f"{card.id} · side 1 of 2" in front
        assert f"{card.id} · side 2 of 2" in _page_text(combined, 2 * k + 1)


def test_read_and_skip_of_the_four_protocol_papers_read_back(shipped, default_outputs):
    for cid in PROTOCOL_PAPERS:
        card = shipped.card(cid)
        front = _page_text(_reader(default_outputs[f"worksheets/{cid}.pdf"]), 0)
        for item in card.protocol.read + card.protocol.skip:
            for piece in _plain_pieces(item):  # (small formulas' glyphs extract unreliably)
                assert piece in front, (cid, item)


def test_phases_with_minutes_on_side_one(default_outputs):
    front = _page_text(_reader(default_outputs["worksheets/devlin-2018-bert.pdf"]), 0)
    for minutes in ("0–2", "2–5", "5–12", "12–16", "16–18", "18–20"):
        assert f"{minutes} min" in front
    assert "read: every caption" in front


def test_reader_copy_leaves_claim_and_numbers_blank(shipped, default_outputs):
    card = shipped.card("vaswani-2017-attention")
    back = _page_text(_reader(default_outputs[f"worksheets/{card.id}.pdf"]), 1)
    assert _norm(card.protocol.claim) not in back
    for n in card.numbers:
        assert n.figure not in back
    assert "I think the method works but the evaluation overstates it because..." in back


def test_answers_fill_claim_equation_remember_pitfall_and_numbers(shipped):
    outs = {o.relpath: o.data for o in render_worksheets(shipped, Variant(answers=True), (shipped.card("rafailov-2023-dpo"),))}
    assert set(outs) == {"worksheets/rafailov-2023-dpo-answers.pdf", "worksheets-answers.pdf"}
    card = shipped.card("rafailov-2023-dpo")
    reader = _reader(outs["worksheets/rafailov-2023-dpo-answers.pdf"])
    assert len(reader.pages) == 2
    back = _page_text(reader, 1)
    pp = card.protocol
    for text in filter(None, (pp.claim, pp.equation, pp.equation_note, pp.pitfall, *(n.full for n in card.numbers))):
        for piece in _printed_pieces(text):
            assert piece in back, (piece, text)
    # the three things to remember and what 001 names: their words (inline formulas'
    # glyphs, spaced as a reader lays them out, are checked with the equation above)
    for text in filter(None, (pp.headline, pp.ablation, pp.weakness, *pp.remember)):
        for piece in _plain_pieces(text):
            assert piece in back, (piece, text)


def _plain_pieces(text: str) -> list[str]:
    """The runs of a field outside its formulas, as a text extraction must find them."""
    from cardpress.typeset import mathtext

    return [p for is_math, run in mathtext.split_runs(text) if not is_math for p in (_norm(run),) if p]


def _printed_pieces(text: str) -> list[str]:
    r"""What a text extraction must find of a field: its plain runs, and of each formula the
    upright words it names (\mathrm{DPO}) and, when it has no fraction, its glyphs in order."""
    from cardpress.typeset import mathtext

    pieces = []
    for is_math, run in mathtext.split_runs(text):
        if not is_math:
            pieces += [p for p in (_norm(run),) if p]
            continue
        pieces += re.findall(r"\\mathrm\{(\w+)\}", run)
        if "frac" not in run:
            pieces.append(_norm(mathtext.layout(run, 10).text))
    return pieces


def test_three_pass_template_shows_passes_and_fields(shipped):
    card = shipped.card("devlin-2018-bert")
    outs = {o.relpath: o.data for o in render_worksheets(shipped, Variant(template="three-pass"), (card,))}
    reader = _reader(outs["worksheets/devlin-2018-bert-three-pass.pdf"])
    assert len(reader.pages) == 2
    text = _page_text(reader, 0) + " " + _page_text(reader, 1)
    for word in ("Survey (five to ten minutes)", "Comprehension (thirty to sixty minutes)", "Deep Dive (several hours)",
                 "Problem", "Key idea", "Method", "Results", "Limitations", "Your questions"):
        assert word in text
    fields = reader.get_fields()
    assert {"pass-1", "pass-2", "pass-3", "problem", "key-idea", "method", "results", "limitations",
            "your-questions"} <= set(fields)


def test_a4_pages(shipped):
    outs = render_worksheets(shipped, Variant(paper="a4"), shipped.cards[:2])
    assert [o.relpath for o in outs][-1] == "worksheets-a4.pdf"
    for o in outs:
        for page in _reader(o.data).pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(PAPER["a4"])


def test_form_fields_read_back_bare_per_paper_and_prefixed_when_combined(shipped, default_outputs):
    fields = _reader(default_outputs["worksheets/vaswani-2017-attention.pdf"]).get_fields()
    wanted = {"claim", "headline-figure", "surprising-table", "equation", "ablation", "weakness", "opinion",
              "name", "date", *(f"phase-{i}" for i in range(1, 7)), *(f"grade-{i}" for i in range(1, 5))}
    assert wanted <= set(fields)
    assert fields["phase-1"]["/FT"] == "/Btn" and fields["claim.1"]["/FT"] == "/Tx"
    assert not int(fields["claim.1"].get("/Ff", 0)) & (1 << 12)  # one line per printed rule
    combined_reader = _reader(default_outputs["worksheets.pdf"])
    combined = combined_reader.get_fields()
    # A parent per paper holding exactly the fields of that paper's own file.
    expected = set()
    for card in shipped.cards:
        own = _reader(default_outputs[f"worksheets/{card.id}.pdf"]).get_fields()
        expected |= {card.id} | {f"{card.id}.{name}" for name in own}
    assert set(combined) == expected
    top = [f.get_object() for f in combined_reader.trailer["/Root"]["/AcroForm"]["/Fields"]]
    assert [str(f["/T"]) for f in top] == [c.id for c in shipped.cards]

    def partial_names(node):
        yield str(node["/T"])
        for kid in node.get("/Kids", []):
            yield from partial_names(kid.get_object())
    assert not [n for f in top for n in partial_names(f) if "." in n]  # the spec forbids "." in a partial name


def test_rebuild_is_byte_identical(shipped, default_outputs):
    again = {o.relpath: o.data for o in build_outputs(shipped)}
    assert again == default_outputs


def test_catalog_without_protocol_and_plain_symbols(make_catalog):
    cat = load_catalog(make_catalog(3))
    outs = {o.relpath: o.data for o in build_outputs(cat)}
    combined = _reader(outs["worksheets.pdf"])
    assert len(combined.pages) == 6
    front = _page_text(combined, 0)
    assert "Paper number 1 on attention & <scaling>" in front
    assert "Re-derive the central equation on paper." in front  # built-in phases


def test_text_that_cannot_fit_is_an_error_naming_card_and_field(make_catalog):
    card = card_data(1, protocol={"claim": "x", "followups": ["a very long question " * 200]})
    data = catalog_data(0)
    data["cards"] = [card]
    cat = load_catalog(make_catalog(data=data))
    with pytest.raises(CardpressError) as err:
        build_outputs(cat)
    assert card["id"] in str(err.value) and "pt too tall" in str(err.value)


def test_cli_writes_chosen_worksheets(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("worksheets", "radford-2021-clip", "vaswani-2017-attention", "--catalog", SHIPPED_CATALOG,
                 "--out", out, "--answers", "--paper", "a4")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    # Naming papers does not write the combined file (it would hold only them).
    assert written == ["worksheets/radford-2021-clip-answers-a4.pdf",
                       "worksheets/vaswani-2017-attention-answers-a4.pdf"]
    assert not (out / "worksheets-answers-a4.pdf").exists()


def test_worksheets_for_one_id_keeps_the_combined_file(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("worksheets", "--catalog", SHIPPED_CATALOG, "--out", out).exit_code == 0
    combined = (out / "worksheets.pdf").read_bytes()
    pages = len(pypdf.PdfReader(out / "worksheets.pdf").pages)
    result = cli("worksheets", "vaswani-2017-attention", "--catalog", SHIPPED_CATALOG, "--out", out)
    assert result.exit_code == 0, result.output
    assert "worksheets.pdf" not in result.stdout.replace("worksheets/", "")
    assert (out / "worksheets.pdf").read_bytes() == combined
    assert pages == 2 * 17  # two pages per paper: still the whole set


def test_cli_unknown_id_lists_near_matches_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("worksheets", "vaswani-2017-atention", "--catalog", SHIPPED_CATALOG, "--out", out)
    assert result.exit_code == 1
    assert "no card with id `vaswani-2017-atention`" in result.stderr
    assert "did you mean vaswani-2017-attention" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (("--paper", "a5"), "unknown paper size `a5`"),
    (("--template", "four-pass"), "unknown template `four-pass`"),
    (("--template", "three-pass", "--answers"), "--answers fills in the protocol template only"),
])
def test_cli_bad_options(cli, tmp_path, args, message):
    out = tmp_path / "out"
    result = cli("worksheets", "--catalog", SHIPPED_CATALOG, "--out", out, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert not out.exists()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_build_writes_the_facilitators_copy_with_every_protocol_field(shipped, default_outputs):
    """worksheets-answers.pdf: claim, read, skip, equation, its note, remember, follow-ups with
    answers and pitfall of every protocol paper; the note alone where the formula was lost."""
    reader = _reader(default_outputs["worksheets-answers.pdf"])
    assert len(reader.pages) == 2 * len(shipped.cards)
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    protocol_cards = [c for c in shipped.cards if c.protocol]
    assert len(protocol_cards) == 4
    for card in protocol_cards:
        pp = card.protocol
        fields = [pp.claim, pp.equation, pp.equation_note, pp.pitfall, *pp.read, *pp.skip, *pp.remember,
                  *pp.followups]
        for value in filter(None, fields):
            # a line may wrap anywhere: compare a stretch of its words, without the arrow split
            # (a formula prints as math glyphs: its plain words are checked elsewhere)
            for piece in re.sub(r"\\\(.*?\\\)", " ", value).split(" → "):
                words = _words(piece).split()[:6]
                assert " ".join(words) in text, (card.id, piece)


def test_clips_equation_note_reaches_both_copies(shipped, default_outputs):
    clip = shipped.card("radford-2021-clip")
    assert clip.protocol.equation is None and clip.protocol.equation_note
    head = _words(_printed_pieces(clip.protocol.equation_note)[0])  # the words before its first formula
    for name in ("worksheets/radford-2021-clip.pdf", "worksheets-answers.pdf"):
        text = _words(" ".join(p.extract_text() for p in _reader(default_outputs[name]).pages))
        assert head in text, name


@pytest.mark.parametrize("variant", [Variant(), Variant(answers=True), Variant(template="three-pass", paper="a4")])
def test_renaming_fields_gives_the_pages_a_prefixed_layout_gives(shipped, variant):
    # The combined file reuses each paper's own pages with its fields renamed; that must be
    # exactly what laying the paper out again with the prefix would give.
    from cardpress.worksheets import prefixed, worksheet_pages

    for card in shipped.cards[:4]:
        own = worksheet_pages(shipped, card, variant)
        assert prefixed(own, f"{card.id}.") == worksheet_pages(shipped, card, variant, prefix=f"{card.id}.")
        assert prefixed(own, "") == own
