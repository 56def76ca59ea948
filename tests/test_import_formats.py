"""`cardpress import` from where papers live: BibTeX, CSL-JSON, Markdown, Anki (issue 22).

The fixtures in tests/fixtures/imports are shaped like real exports (a hand-edited .bib
with accents, braces, @string macros, @misc arXiv entries, a missing year and the same
paper twice; a Zotero CSL-JSON export; plain Markdown reading notes). The expected ids,
fields and counts below are worked out by hand from the rules (ids.py's `author-year-word`,
duplicates by DOI / arXiv id / folded title+author+year), not read back from the code.
"""

import tomllib

import pytest

from conftest import FIXTURES
from cardpress.catalog import load_catalog

BIB = FIXTURES / "imports" / "reading-group.bib"
CSL = FIXTURES / "imports" / "zotero.json"
NOTES = FIXTURES / "imports" / "reading-notes.md"

# The ten papers of reading-group.bib, as drafts: (id, author, year, title, doi, arxiv).
BIB_PAPERS = [
    ("vaswani-2017-attention", "Vaswani", 2017, "Attention is All you Need", "10.5555/3295222.3295349", None),
    ("devlin-2019-bert", "Devlin", 2019,
     "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "10.18653/v1/N19-1423", None),
    ("hu-2021-lora", "Hu", 2021, "LoRA: Low-Rank Adaptation of Large Language Models", None, "2106.09685"),
    ("scholkopf-1998-nonlinear", "Schölkopf", 1998, "Nonlinear Component Analysis as a Kernel Eigenvalue Problem",
     "10.1162/089976698300017467", None),
    ("van-der-maaten-2008-visualizing", "van der Maaten", 2008, "Visualizing Data using t-SNE", None, None),
    ("radford-2021-learning", "Radford", 2021,
     "Learning Transferable Visual Models From Natural Language Supervision", None, "2103.00020"),
    ("kingma-2014-adam", "Kingma", 2014, "Adam: A Method for Stochastic Optimization", None, "1412.6980v9"),
    ("openai-2023-gpt4", "OpenAI", 2023, "GPT-4 Technical Report", None, "2303.08774"),
    ("jegou-2011-product", "Jégou", 2011,
     r"Product Quantization for Nearest Neighbor Search with \(\ell_2\) Distances", None, None),
    ("goodfellow-2014-generative", "Goodfellow", 2014, "Generative Adversarial Nets", None, None),
]


def appended(path, before: bytes) -> list[dict]:
    """The cards after the old bytes, which must be unchanged at the start of the file."""
    after = path.read_bytes()
    assert after.startswith(before)
    return tomllib.loads(after[len(before):].decode())["cards"] if len(after) > len(before) else []


def test_bib_into_a_new_catalog(cli, tmp_path):
    catalog = tmp_path / "cards.toml"
    result = cli("import", BIB, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert "as BibTeX: 12 entries" in result.stderr
    assert "added 10 cards (10 as drafts)" in result.stdout
    assert "1 already there, 1 entry with problems" in result.stdout
    # The second Vaswani entry repeats the first (same DOI, written as an address).
    assert "already there: vaswani-2017-attention, repeats line 5 `vaswani2017attention` " \
           "(line 97 `Vaswani17` of reading-group.bib)" in result.stderr
    assert "reading-group.bib:106: entry `anonymous-sparse`: no year" in result.stderr
    cards = load_catalog(catalog).cards
    assert [(c.id, c.author, c.year, c.title, c.doi, c.arxiv) for c in cards] == BIB_PAPERS
    assert all(c.draft and c.summary == "" and c.numbers == () for c in cards)
    assert cards[0].url == "https://papers.nips.cc/paper/7181-attention-is-all-you-need"
    assert cards[6].url == "https://arxiv.org/abs/1412.6980v9"
    # Drafts are written as such, with only what the .bib knows.
    text = catalog.read_text(encoding="utf-8")
    assert text.count('status = "draft"') == 10 and "summary" not in text.split("[[cards]]", 1)[1]


def test_bib_again_adds_nothing(cli, tmp_path):
    catalog = tmp_path / "cards.toml"
    assert cli("import", BIB, "--catalog", catalog).exit_code == 0
    before = catalog.read_bytes()
    again = cli("import", BIB, "--catalog", catalog)
    assert again.exit_code == 0, again.output
    assert "nothing new: 11 entries already in" in again.stdout and "1 entry with problems" in again.stdout
    assert again.stderr.count("already there:") == 11
    assert catalog.read_bytes() == before


def test_bib_into_the_shipped_catalog_keeps_its_bytes(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("import", BIB, "--catalog", shipped_copy)
    assert result.exit_code == 0, result.output
    # The shipped deck has Vaswani 2017's paper under the same title; its "LoRA" is titled
    # differently from the .bib's and carries no arXiv id, so the rule sees another paper.
    assert "added 9 cards (9 as drafts)" in result.stdout and "2 already there" in result.stdout
    assert "already there: vaswani-2017-attention, already in the catalog (same title, author and year)" \
        in result.stderr
    new = appended(shipped_copy, before)
    assert [c["id"] for c in new] == [p[0] for p in BIB_PAPERS[1:2]] + ["hu-2021-lora-2"] + \
        [p[0] for p in BIB_PAPERS[3:]]
    assert all(c["status"] == "draft" for c in new)


def test_dry_run_writes_nothing_and_shows_the_toml(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("import", BIB, "--catalog", shipped_copy, "-n")
    assert result.exit_code == 0, result.output
    assert 'id = "devlin-2019-bert"\nstatus = "draft"\nauthor = "Devlin"' in result.stdout
    assert "would add 9 cards" in result.stderr and "dry run: nothing written" in result.stderr
    assert shipped_copy.read_bytes() == before


def test_allow_duplicate_brings_in_the_repeat(cli, tmp_path):
    catalog = tmp_path / "cards.toml"
    result = cli("import", BIB, "--catalog", catalog, "--allow-duplicate")
    assert result.exit_code == 0
    assert [c.id for c in load_catalog(catalog).cards][-1] == "vaswani-2017-attention-2"


def test_a_bib_that_cannot_be_read_is_reported_by_line(cli, tmp_path):
    bib = tmp_path / "broken.bib"
    bib.write_text("@article{ok, title={Fine}, author={Doe, Jane}, year=2020}\n"
                   "@article{broken,\n  title = {Unclosed,\n  author = {X}\n"
                   "@misc{next, title={Next One}, author={Roe, R.}, year={2021}}\n", encoding="utf-8")
    catalog = tmp_path / "cards.toml"
    result = cli("import", bib, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert "broken.bib:2: this entry cannot be read" in result.stderr
    assert [c.id for c in load_catalog(catalog).cards] == ["doe-2020-fine", "roe-2021-next"]


def test_csl_json_from_zotero(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("import", CSL, "--catalog", shipped_copy)
    assert result.exit_code == 0, result.output
    assert "as CSL-JSON: 6 items" in result.stderr
    # Item 1 and item 6 are the shipped Vaswani card; item 5 has no date.
    assert "added 3 cards (3 as drafts)" in result.stdout and "2 already there" in result.stdout
    assert "item 5: no year" in result.stderr
    new = appended(shipped_copy, before)
    assert [(c["id"], c["author"], c["year"], c["title"]) for c in new] == [
        ("rafailov-2023-direct", "Rafailov", 2023,
         "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
        ("van-der-maaten-2008-visualizing", "van der Maaten", 2008, "Visualizing Data using t-SNE"),
        ("muller-2016-situ", "Müller", 2016, "In situ measurement of the Schrödinger kernel & friends"),
    ]
    # Zotero's arXiv DOI is the arXiv id; a journal DOI stays a DOI.
    assert new[0]["arxiv"] == "2305.18290" and "doi" not in new[0]
    assert new[2]["doi"] == "10.1103/PhysRevLett.116.061102"


def test_csl_json_with_an_item_that_is_not_an_object(cli, tmp_path):
    data = tmp_path / "x.json"
    data.write_text('[{"title": "T", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2020]]}}, 7]',
                    encoding="utf-8")
    result = cli("import", data, "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 0 and "item 2: is not a JSON object" in result.stderr


def test_markdown_plain_headings_say_their_form(cli, tmp_path):
    catalog = tmp_path / "cards.toml"
    result = cli("import", NOTES, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert "as Markdown (`## Author Year — Title` headings): 3 blocks" in result.stderr
    cat = load_catalog(catalog)
    assert cat.deck.title == "Reading group notes"
    vaswani, ho, karras = cat.cards
    assert not vaswani.draft and len(vaswani.numbers) == 3 and vaswani.doi == "10.5555/3295222.3295349"
    assert (ho.id, ho.draft, ho.arxiv) == ("ho-2020-denoising", True, "2006.11239")
    assert ho.summary == "Generates images by learning to reverse a gradual noising process."
    assert (karras.id, karras.draft, karras.category, karras.tags) == (
        "karras-2019-stylebased", True, "Computer Vision", ("gan", "generative"))


def test_markdown_of_both_forms_names_both(cli, tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text("## Card 01 — Doe 2020, A Paper\nSummary. S.\n3 numbers. 1. 1 a. 2. 2 b. 3. 3 c.\n\n"
                     "## Roe 2021 — Another Paper\n", encoding="utf-8")
    result = cli("import", notes, "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 0, result.output
    assert "Markdown (`Card NN — Author Year, Title` headings and `## Author Year — Title` headings)" in result.stderr


@pytest.mark.parametrize("heading", ["## Our plans 2024 - things to read", "## week 3, 2024: notes", "## 2024 — the year in papers",
                                     "Vaswani 2017 — Attention (no heading marks)"])
def test_what_is_not_a_plain_paper_heading(cli, tmp_path, heading):
    notes = tmp_path / "n.md"
    notes.write_text(heading + "\n\nSome prose.\n", encoding="utf-8")
    result = cli("import", notes, "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 1 and "no cards found" in result.stderr


def test_unknown_extension_asks_for_format(cli, tmp_path):
    f = tmp_path / "refs.ris"
    f.write_text("TY  - JOUR\n", encoding="utf-8")
    result = cli("import", f, "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 1 and "--format" in result.stderr and "Traceback" not in result.output
    copy = tmp_path / "refs.txt"
    copy.write_bytes(BIB.read_bytes())
    result = cli("import", copy, "--format", "bibtex", "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 0 and "added 10 cards" in result.stdout


def test_done_means_a_bib_to_printed_worksheets_without_toml(cli, tmp_path, monkeypatch):
    """The issue's test of done: init, import a .bib of 10 papers, worksheets, print."""
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    before = (tmp_path / "cards.toml").read_bytes()
    result = cli("import", BIB)
    assert result.exit_code == 0, result.output
    appended(tmp_path / "cards.toml", before)
    cat = load_catalog(tmp_path / "cards.toml")
    ids = {c.id for c in cat.cards}
    # Every paper of the .bib has a card: a new draft, or the starter's own example card of it.
    for paper_id, author, year, title, *_ in BIB_PAPERS:
        assert any(c.author == author and c.year == year for c in cat.cards), paper_id
    assert cli("validate").exit_code == 0
    result = cli("worksheets")
    assert result.exit_code == 0, result.output
    sheets = {p.stem for p in (tmp_path / "output" / "worksheets").glob("*.pdf")}
    assert sheets == ids
    printed = cli("print", "worksheets", "--dry-run")
    assert printed.exit_code == 0 and "output/worksheets.pdf" in printed.stdout


def basic_apkg(path, notes):
    """An .apkg of Anki's "Basic" note type (front, back), as genanki writes it."""
    genanki = pytest.importorskip("genanki")
    model = genanki.Model(1607392319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
    cloze = genanki.Model(998877661, "Cloze", fields=[{"name": "Text"}, {"name": "Extra"}],
                          templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
                          model_type=genanki.Model.CLOZE)
    deck = genanki.Deck(2059400110, "Papers")
    for i, (front, back, *tags) in enumerate(notes):
        deck.add_note(genanki.Note(model=cloze if "{{c1::" in front else model, fields=[front, back],
                                   tags=tags, guid=f"note{i}"))
    genanki.Package(deck).write_to_file(str(path))
    return path


APKG_NOTES = [
    ("Attention <b>Is</b> All You Need", "Vaswani et al., 2017. Self-attention only.", "nlp"),
    ("Deep Residual Learning for Image Recognition", "He et al. (2016)<br>Skip connections.", "vision"),
    ("Kaiming 2015 — Delving Deep into Rectifiers", "PReLU."),
    ("Batch&nbsp;Normalization", "Ioffe &amp; Szegedy, 2015"),
    ("What is a transformer?", "A model made of attention layers."),
    ("{{c1::Dropout}} prevents co-adaptation", "Srivastava 2014"),
    ("Attention Is All You Need", "(Vaswani, 2017)"),
]


def test_apkg_of_basic_notes_into_drafts(cli, shipped_copy, tmp_path):
    apkg = basic_apkg(tmp_path / "papers.apkg", APKG_NOTES)
    before = shipped_copy.read_bytes()
    result = cli("import", apkg, "--catalog", shipped_copy)
    assert result.exit_code == 0, result.output
    assert "as an Anki package: 7 notes" in result.stderr
    # Notes 1 and 7 are the shipped Vaswani card; 5 has no author or year; 6 is a cloze.
    assert "added 3 cards (3 as drafts)" in result.stdout and "2 already there" in result.stdout
    assert "note 5 “What is a transformer?”: no author and year" in result.stderr
    assert "note 6" in result.stderr and "a cloze note" in result.stderr
    new = appended(shipped_copy, before)
    assert [(c["id"], c["author"], c["year"], c["title"], c.get("tags")) for c in new] == [
        ("he-2016-deep", "He", 2016, "Deep Residual Learning for Image Recognition", ["vision"]),
        ("kaiming-2015-delving", "Kaiming", 2015, "Delving Deep into Rectifiers", None),
        ("ioffe-2015-batch", "Ioffe", 2015, "Batch Normalization", None),
    ]


def test_apkg_from_anki_itself(cli, tmp_path):
    """Anki 2.1.50+ writes collection.anki21b (zstd); read through the real Anki library's export."""
    collection = pytest.importorskip("anki.collection")
    pytest.importorskip("zstandard")
    col = collection.Collection(str(tmp_path / "source.anki2"))
    try:
        basic = col.models.by_name("Basic")
        for front, back in (("Attention Is All You Need", "Vaswani 2017"), ("Mistral 7B", "Jiang et al., 2023")):
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id("Default"))
        apkg = tmp_path / "from-anki.apkg"
        col.export_anki_package(out_path=str(apkg), limit=None, options=collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False))
    finally:
        col.close()
    import zipfile
    assert "collection.anki21b" in zipfile.ZipFile(apkg).namelist()
    catalog = tmp_path / "cards.toml"
    result = cli("import", apkg, "--catalog", catalog)
    assert result.exit_code == 0, result.output
    assert [(c.id, c.draft) for c in load_catalog(catalog).cards] == [
        ("vaswani-2017-attention", True), ("jiang-2023-mistral", True)]


def test_not_an_apkg(cli, tmp_path):
    bad = tmp_path / "x.apkg"
    bad.write_bytes(b"not a zip")
    result = cli("import", bad, "--catalog", tmp_path / "c.toml")
    assert result.exit_code == 1 and "not an Anki package" in result.stderr and "Traceback" not in result.output


def test_bib_addresses_and_dois_are_not_read_as_latex(cli, tmp_path):
    # `%` starts a LaTeX comment and `~` is a LaTeX space; in a URL or DOI they are neither.
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={Caf{\\'e} --- {GPT} notes}, author={Doe, Jane}, year={2020},\n"
                   "  url={https://example.org/~doe/paper%20one.pdf}, doi={10.1000/a_b~c%d}}\n", encoding="utf-8")
    catalog = tmp_path / "cards.toml"
    assert cli("import", bib, "--catalog", catalog).exit_code == 0
    card = load_catalog(catalog).cards[0]
    assert (card.title, card.url, card.doi) == ("Café — GPT notes", "https://example.org/~doe/paper%20one.pdf",
                                                "10.1000/a_b~c%d")
