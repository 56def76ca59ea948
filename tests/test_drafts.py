"""Draft cards (status = "draft") through every engine: validate, the decks, the sheet,
the worksheets, Anki, the drill and the JSON Schema."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
import zipfile

import pytest
import tomli_w
from pypdf import PdfReader

from conftest import card_data

READY = 3
BARE = {"id": "kaplan-2020-scaling", "author": "Kaplan", "year": 2020,
        "title": "Scaling Laws for Neural Language Models", "status": "draft"}
HALF = {"id": "hoffmann-2022-chinchilla", "author": "Hoffmann", "year": 2022,
        "title": "Training Compute-Optimal Large Language Models", "status": "draft",
        "summary": "Scale data with parameters.", "numbers": ["20 tokens per parameter."]}
DRAFT_IDS = [BARE["id"], HALF["id"]]


def data(*drafts, ready=READY):
    cards = [card_data(i) for i in range(1, ready + 1)]
    cards[1:1] = drafts  # drafts between finished cards, as a user would type them
    return {"deck": {"title": "Drafts"}, "cards": cards}


@pytest.fixture
def catalog(make_catalog):
    return make_catalog(data=data(BARE, HALF))


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_validate_lists_each_draft_and_what_it_lacks_with_exit_0(cli, catalog):
    result = cli("validate", "--catalog", catalog)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("note: 2 drafts")
    assert any(BARE["id"] in l and l.endswith("lacks summary, 3 numbers") for l in lines)
    assert any(HALF["id"] in l and l.endswith("lacks 2 numbers") for l in lines)
    assert "5 cards" in result.stdout and "2 drafts" in result.stdout


@pytest.mark.parametrize("change, field, words", [
    ({"title": None}, "title", "is required"),                   # the paper itself is still required
    ({"year": None}, "year", "is required"),
    ({"numbers": ["a", "b", "c", "d"]}, "numbers", "at most 3"),
    ({"status": "drafty"}, "status", "did you mean `draft`"),
    ({"summary": ""}, "summary", "must not be empty"),           # a summary given must be text
])
def test_a_draft_still_needs_the_paper(cli, make_catalog, change, field, words):
    draft = {**HALF, **change}
    draft = {k: v for k, v in draft.items() if v is not None}
    result = cli("validate", "--catalog", make_catalog(data=data(draft)))
    assert result.exit_code == 1
    assert f"card '{HALF['id']}', field '{field}'" in result.stderr and words in result.stderr


def test_a_finished_card_still_needs_summary_and_numbers(cli, make_catalog):
    card = {k: v for k, v in card_data(9).items() if k != "summary"}
    result = cli("validate", "--catalog", make_catalog(data=data(card)))
    assert result.exit_code == 1 and "field 'summary': is required" in result.stderr


def test_build_leaves_drafts_off_the_decks_and_sheet_and_puts_them_on_the_worksheets(cli, catalog, tmp_path):
    out = tmp_path / "out"
    result = cli("build", "--catalog", catalog, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "2 drafts left out of the decks and the sheet" in result.stderr
    # 3x5 cards: one page per face, so twice the finished cards.
    assert len(PdfReader(out / "deck-3x5.pdf").pages) == 2 * READY
    sheet = pdf_text(out / "revision-sheet-letter.pdf")
    assert "Author1" in sheet and "Kaplan" not in sheet and "Hoffmann" not in sheet
    assert {p.stem for p in (out / "worksheets").iterdir()} == {f"author{i}-{2000 + i}-paper{i}" for i in
                                                                range(1, READY + 1)} | set(DRAFT_IDS)
    both = pdf_text(out / "worksheets.pdf")
    assert "Scaling Laws" in both and "Compute-Optimal" in both
    # The facilitator's copy fills in the numbers a draft has and leaves the rest to write.
    answers = pdf_text(out / "worksheets-answers.pdf")
    assert "20 tokens per parameter." in answers


def test_include_drafts_puts_them_on_the_decks_marked(cli, catalog, tmp_path):
    out = tmp_path / "out"
    result = cli("deck", "--catalog", catalog, "--out", out, "--layout", "index-3x5", "--include-drafts")
    assert result.exit_code == 0, result.output
    pages = PdfReader(out / "deck-3x5.pdf").pages
    assert len(pages) == 2 * (READY + 2)
    texts = [p.extract_text() for p in pages]
    # Catalog order: card 1, the two drafts, then cards 2 and 3; each face of a draft is marked.
    marked = [i for i, t in enumerate(texts) if "DRAFT" in t]
    assert marked == [2, 3, 4, 5]
    assert "are still to" in texts[3]  # the bare draft's back says what is missing
    assert "Scale data with parameters." in texts[5]


def test_deck_without_the_flag_says_how_many_it_left_out(cli, catalog, tmp_path):
    result = cli("deck", "--catalog", catalog, "--out", tmp_path, "--layout", "index-3x5")
    assert result.exit_code == 0
    assert "2 drafts left out of the decks" in result.stderr and "--include-drafts" in result.stderr
    assert len(PdfReader(tmp_path / "deck-3x5.pdf").pages) == 2 * READY


def test_sheet_leaves_drafts_out(cli, catalog, tmp_path):
    result = cli("sheet", "--catalog", catalog, "--out", tmp_path, "--paper", "a4")
    assert result.exit_code == 0 and "2 drafts left out of the revision sheet" in result.stderr
    assert "Kaplan" not in pdf_text(tmp_path / "revision-sheet-a4.pdf")


def test_only_drafts_builds_the_worksheets_alone(cli, make_catalog, tmp_path):
    # The reading group's first night: titles only, worksheets tonight.
    catalog = make_catalog(data=data(BARE, HALF, ready=0))
    out = tmp_path / "out"
    result = cli("build", "--catalog", catalog, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "every card is a draft (2)" in result.stderr
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".pdf") == ["worksheets-answers.pdf", "worksheets.pdf"]
    assert {p.stem for p in (out / "worksheets").iterdir()} == set(DRAFT_IDS)
    deck = cli("deck", "--catalog", catalog, "--out", out)
    assert deck.exit_code == 1 and "every card is a draft" in deck.stderr and "Traceback" not in deck.output


def test_anki_export_leaves_drafts_out(cli, catalog, tmp_path):
    pytest.importorskip("genanki")
    target = tmp_path / "deck.apkg"
    result = cli("export", "anki", "--catalog", catalog, "--out", target)
    assert result.exit_code == 0, result.output
    assert "2 drafts left out of the Anki package" in result.stderr
    with zipfile.ZipFile(target) as z:
        db = tmp_path / "collection.anki2"
        db.write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(db) as con:
        fields = [row[0] for row in con.execute("select flds from notes")]
    assert len(fields) == READY and not any("Kaplan" in f or "Hoffmann" in f for f in fields)


def test_drill_leaves_drafts_out(make_catalog, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    catalog = make_catalog(data=data(BARE, HALF))
    (tmp_path / "clock").write_text("1699952400.0")
    env = {**os.environ, "CARDPRESS_FAKE_CLOCK": str(tmp_path / "clock"), "NO_COLOR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "cardpress", "drill", "--catalog", str(catalog),
                                           "--db", str(tmp_path / "drill.sqlite")],
                          env=env, encoding="utf-8", dimensions=(40, 120), timeout=20)
    child.expect("2 drafts left out of the drill")
    child.expect(r"cardpress drill: (\d+) cards")
    assert int(child.match.group(1)) == READY
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_the_json_schema_knows_drafts(cli):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(cli("schema").stdout)
    check = jsonschema.Draft202012Validator(schema)

    def errors(*cards):
        return [list(e.absolute_path) for e in check.iter_errors(json.loads(json.dumps(data(*cards, ready=1))))]

    assert errors(BARE, HALF) == []
    assert errors({k: v for k, v in BARE.items() if k != "title"}) == [["cards", 1]]
    assert errors({**HALF, "numbers": ["a"] * 4}) == [["cards", 1, "numbers"]]
    assert ["cards", 1, "status"] in errors({**BARE, "status": "drafty"})
    finished = {k: v for k, v in BARE.items() if k != "status"}  # no status: summary and numbers required
    assert errors(finished) == [["cards", 1]] * 2  # summary and numbers, one error each
    assert errors({**HALF, "status": "ready"}) == [["cards", 1, "numbers"]]  # one number, not three


def test_the_committed_schema_file_has_drafts():
    from conftest import REPO

    schema = json.loads((REPO / "cards.schema.json").read_text())
    card = schema["properties"]["cards"]["items"]
    assert card["properties"]["status"]["enum"] == ["draft", "ready"]
    assert card["if"]["properties"]["status"] == {"const": "draft"}
