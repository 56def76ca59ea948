"""The exported .apkg, imported into a real Anki collection by Anki's own library (issue 22).

genanki writes the package; only Anki itself can say that Anki reads it as meant: the
note type's fields, the notes' field values, and how many cards Anki makes of them.
Skipped where the `anki` package cannot be installed (it is in the `test` extra).
"""

import pytest

from conftest import SHIPPED_CATALOG
from cardpress.catalog import load_catalog

anki_collection = pytest.importorskip("anki.collection")
pytest.importorskip("genanki")

FIELDS = ["Title", "Author", "Year", "Category", "Summary", "Number1", "Number2", "Number3",
          "Figure1", "Figure2", "Figure3", "Protocol", "Reverse"]


def into_anki(apkg, tmp_path, name="collection.anki2"):
    """A fresh Anki collection with the package imported; the caller closes it."""
    col = anki_collection.Collection(str(tmp_path / name))
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(apkg), options=anki_collection.ImportAnkiPackageOptions(update_notes=1, update_notetypes=1))
    col.import_anki_package(request)
    return col


def notes_by_title(col):
    return {col.get_note(nid)["Title"]: col.get_note(nid) for nid in col.find_notes("")}


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(SHIPPED_CATALOG)


def test_anki_reads_every_card_as_a_note_with_real_fields(cli, tmp_path, shipped):
    apkg = tmp_path / "deck.apkg"
    result = cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", apkg)
    assert result.exit_code == 0, result.output
    col = into_anki(apkg, tmp_path)
    try:
        notes = notes_by_title(col)
        assert col.note_count() == len(shipped.cards) == 17
        assert col.card_count() == 17  # no reverse card unless asked
        model = col.models.by_name("cardpress paper")
        assert [f["name"] for f in model["flds"]] == FIELDS
        for card in shipped.cards:
            note = notes[card.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")]
            assert note["Author"] == card.author and note["Year"] == str(card.year)
            for i, number in enumerate(card.numbers, start=1):
                assert note[f"Figure{i}"] == number.figure.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lora = notes["LoRA"]
        # The catalog's formula reaches Anki as MathJax delimiters around the TeX.
        assert r"(rank \(r \ll \min(d, k)\))" in lora["Summary"]
        assert lora["Category"] == "Fine-Tuning &amp; Alignment"
        vaswani = notes["Attention Is All You Need"]
        assert "<h4>Equation</h4>" in vaswani["Protocol"]
        assert r"\(\mathrm{Attention}(Q, K, V)" in vaswani["Protocol"]
        # What a person sees: Anki renders the front from the note's fields.
        card = col.get_card(col.find_cards('"Title:Attention Is All You Need"')[0])
        question = card.question()
        assert "Vaswani 2017" in question and "Attention Is All You Need" in question
        answer = card.answer()
        assert vaswani["Summary"] in answer and "softmax" in answer
    finally:
        col.close()


def test_reverse_gives_a_second_card_per_note(cli, tmp_path):
    apkg = tmp_path / "deck.apkg"
    result = cli("export", "anki", "--catalog", SHIPPED_CATALOG, "--out", apkg, "--reverse")
    assert result.exit_code == 0 and "17 notes, 34 cards" in result.stdout
    col = into_anki(apkg, tmp_path)
    try:
        assert (col.note_count(), col.card_count()) == (17, 34)
        reverse = col.get_card(col.find_cards('card:2 "Title:LoRA"')[0])
        assert "Which paper?" in reverse.question() and "LoRA" not in reverse.question()
        assert "LoRA" in reverse.answer()
    finally:
        col.close()


def test_reimporting_after_an_edit_updates_the_note(cli, tmp_path, shipped_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli("export", "anki", "--catalog", shipped_copy, "--out", tmp_path / "a.apkg").exit_code == 0
    text = shipped_copy.read_text(encoding="utf-8")
    shipped_copy.write_text(text.replace('title = "LoRA"', 'title = "LoRA: Low-Rank Adaptation"'), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")  # Anki takes an update only from a newer note
    assert cli("export", "anki", "--catalog", shipped_copy, "--out", tmp_path / "b.apkg").exit_code == 0
    col = into_anki(tmp_path / "a.apkg", tmp_path)
    try:
        col.import_anki_package(anki_collection.ImportAnkiPackageRequest(
            package_path=str(tmp_path / "b.apkg"),
            options=anki_collection.ImportAnkiPackageOptions(update_notes=1, update_notetypes=1)))
        titles = set(notes_by_title(col))
        assert col.note_count() == 17 and "LoRA: Low-Rank Adaptation" in titles and "LoRA" not in titles
    finally:
        col.close()
