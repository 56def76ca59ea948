"""`cardpress export anki|csv`: the deck for drilling and for spreadsheets."""

import csv
import io
import shutil
import sqlite3
import sys
import zipfile

import pytest

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog

genanki = pytest.importorskip("genanki")


def read_apkg(path, tmp_path):
    """(notes as dicts, deck names) from an .apkg file's collection database."""
    db = tmp_path / "collection.anki2"
    with zipfile.ZipFile(path) as z:
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        notes = [dict(zip(("guid", "flds", "tags"), row)) for row in con.execute("select guid, flds, tags from notes")]
        import json
        decks = [d["name"] for d in json.loads(con.execute("select decks from col").fetchone()[0]).values()]
        cards = con.execute("select count(*) from cards").fetchone()[0]
    finally:
        con.close()
    return notes, decks, cards


def test_one_note_per_card_with_guid_from_the_id(cli, tmp_path):
    out = tmp_path / "deck.apkg"
    result = cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", out)
    assert result.exit_code == 0, result.output
    notes, decks, cards = read_apkg(out, tmp_path)
    shipped = load_catalog(SHIPPED_CATALOG)
    assert len(notes) == cards == 17
    assert sorted(n["guid"] for n in notes) == sorted(genanki.guid_for(c.id) for c in shipped.cards)
    lora = next(n for n in notes if n["guid"] == genanki.guid_for("hu-2021-lora"))
    fields = dict(zip(("Title", "Author", "Year", "Category", "Summary", "Number1", "Number2", "Number3",
                       "Figure1", "Figure2", "Figure3", "Protocol", "Reverse"), lora["flds"].split("\x1f")))
    assert (fields["Title"], fields["Author"], fields["Year"]) == ("LoRA", "Hu", "2021")
    # Anki renders \(...\) with its own MathJax, so the catalog's math passes through as written.
    assert r"(rank \(r \ll \min(d, k)\))" in fields["Summary"]
    assert fields["Figure1"] == "r = 8 or 16" and fields["Number1"].startswith("is the typical rank")
    assert fields["Reverse"] == ""
    assert "Fine-Tuning_&_Alignment" in lora["tags"].split()
    for category in ("Transformers & Language Models", "Computer Vision", "Speech & Audio"):
        assert f"{shipped.deck.title}::{category}" in decks


def test_guids_survive_editing_a_card(cli, tmp_path):
    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    assert cli("export", "anki", "--catalog", path, "--out", tmp_path / "a.apkg").exit_code == 0
    text = path.read_text(encoding="utf-8")
    edited = text.replace('title = "LoRA"', 'title = "LoRA: Low-Rank Adaptation"').replace(
        "fewer trainable parameters", "fewer trainable parameters (typo fixed)")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert cli("export", "anki", "--catalog", path, "--out", tmp_path / "b.apkg").exit_code == 0
    before, _, _ = read_apkg(tmp_path / "a.apkg", tmp_path)
    after, _, _ = read_apkg(tmp_path / "b.apkg", tmp_path)
    by_guid_before = {n["guid"]: n["flds"] for n in before}
    by_guid_after = {n["guid"]: n["flds"] for n in after}
    assert by_guid_before.keys() == by_guid_after.keys()
    lora = genanki.guid_for("hu-2021-lora")
    assert "Low-Rank Adaptation" in by_guid_after[lora] and "Low-Rank Adaptation" not in by_guid_before[lora]


def test_same_catalog_and_source_date_epoch_give_identical_bytes(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("a.apkg", "b.apkg"):
        assert cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", tmp_path / name).exit_code == 0
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


def test_model_and_deck_ids_are_fixed_not_random():
    from cardpress.grow.anki import build_package

    cat = load_catalog(SHIPPED_CATALOG)
    first, second = build_package(cat), build_package(cat)
    assert [d.deck_id for d in first.decks] == [d.deck_id for d in second.decks]
    assert len({d.deck_id for d in first.decks}) == len(first.decks) == len(cat.category_order())
    models = {n.model.model_id for d in first.decks for n in d.notes}
    assert len(models) == 1 and models == {n.model.model_id for d in second.decks for n in d.notes}


def test_selection_options_apply(cli, tmp_path):
    out = tmp_path / "d.apkg"
    result = cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", out, "--category", "CV")
    assert result.exit_code == 0 and "2 notes" in result.stdout
    notes, _, _ = read_apkg(out, tmp_path)
    assert len(notes) == 2


def test_missing_genanki_gives_a_clear_message(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)  # makes `import genanki` raise ImportError
    out = tmp_path / "deck.apkg"
    result = cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", out)
    assert result.exit_code == 1
    assert "genanki package, which is not installed" in result.stderr
    assert "pip install 'cardpress[anki]'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_csv_one_row_per_card_with_the_documented_columns(cli, tmp_path):
    out = tmp_path / "cards.csv"
    result = cli("export", "csv", "--catalog", SHIPPED_CATALOG, "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["id", "author", "year", "title", "category", "tags", "summary",
                       "number1", "number2", "number3", "mastered", "status", "doi", "arxiv", "url"]
    shipped = load_catalog(SHIPPED_CATALOG).cards
    assert len(rows) == 1 + 17
    for row, card in zip(rows[1:], shipped):
        assert row[:5] == [card.id, card.author, str(card.year), card.title, card.category]
        assert row[5].split(", ") == list(card.tags)
        assert row[6] == card.summary
        # A cell that would start a spreadsheet formula gets a leading ' (issue 18, D28).
        assert row[7:10] == [("'" + n.full if n.full[:1] in "=+-@" else n.full) for n in card.numbers]
        assert row[10] == "false"


def test_csv_to_stdout_quotes_commas_and_quotes(cli, make_catalog):
    from conftest import card_data

    path = make_catalog(data={"deck": {"title": "D"}, "cards": [
        card_data(1, title='Say "hi", then <go>', mastered=True)]})
    result = cli("export", "csv", "--catalog", path)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[1][3] == 'Say "hi", then <go>' and rows[1][10] == "true"


# Issue 18, D28: a cell a spreadsheet would run as a formula is written with a leading '
# (OWASP's advice), and `import` takes that ' off again.
@pytest.mark.parametrize("title, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1 trick", "'+1 trick"), ("-x", "'-x"),
    ("@SUM(A1)", "'@SUM(A1)"), ("'=x", "''=x"), ("'quoted", "'quoted"), ("a=b", "a=b"),
])
def test_csv_defuses_formula_cells(cli, make_catalog, tmp_path, title, written):
    from conftest import card_data

    path = make_catalog(data={"deck": {"title": "D"}, "cards": [card_data(1, title=title, summary="\tTabbed.")]})
    result = cli("export", "csv", "--catalog", path)
    assert result.exit_code == 0, result.output
    row = list(csv.reader(io.StringIO(result.stdout, newline="")))[1]
    assert row[3] == written
    assert row[6] == "'\tTabbed."
    # ... and the import reads back the text as it was.
    out = tmp_path / "cards.csv"
    out.write_text(result.stdout, encoding="utf-8", newline="")
    back = tmp_path / "back.toml"
    assert cli("import", out, "--catalog", back).exit_code == 0
    card = load_catalog(back).cards[0]
    assert (card.title, card.summary) == (title, "\tTabbed.")


def test_csv_export_then_import_gives_the_same_rows(cli, tmp_path):
    first = tmp_path / "first.csv"
    assert cli("export", "csv", "--catalog", SHIPPED_CATALOG, "--out", first).exit_code == 0
    catalog = tmp_path / "cards.toml"
    result = cli("import", first, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert "added 17 cards" in result.stdout
    second = tmp_path / "second.csv"
    assert cli("export", "csv", "--catalog", catalog, "--out", second).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    # The round trip is idempotent too: the same file again adds nothing.
    again = cli("import", first, "--catalog", catalog)
    assert again.exit_code == 0 and "nothing new" in again.stdout
    assert again.stderr.count("already there") == 17


def test_csv_round_trip_keeps_drafts_and_identifiers(cli, tmp_path):
    from conftest import FIXTURES

    catalog = tmp_path / "cards.toml"
    assert cli("import", FIXTURES / "imports" / "reading-group.bib", "--catalog", catalog).exit_code == 0
    first = tmp_path / "first.csv"
    assert cli("export", "csv", "--catalog", catalog, "--out", first).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(first.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 10 and {r["status"] for r in rows} == {"draft"}
    assert rows[1]["doi"] == "10.18653/v1/N19-1423" and rows[2]["arxiv"] == "2106.09685"
    again = tmp_path / "again.toml"
    result = cli("import", first, "--catalog", again)
    assert result.exit_code == 0 and "added 10 cards (10 as drafts)" in result.stdout
    second = tmp_path / "second.csv"
    assert cli("export", "csv", "--catalog", again, "--out", second).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
