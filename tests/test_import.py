"""`cardpress import`: pitch cards from Markdown notes, appended like `add` does."""

import shutil

import pytest

from as_written import as_written
from conftest import PITCH_DOC, SHIPPED_CATALOG
from cardpress.catalog import load_catalog
from cardpress.grow.markdown_import import parse_markdown



def content(card):
    """What import can know about a card: not its id, category or tags, nor the figure split."""
    return (card.title, card.author, card.year, card.summary, tuple(n.full for n in card.numbers))


def test_importing_the_pitch_card_document_yields_the_shipped_cards(cli, tmp_path):
    path = tmp_path / "new.toml"
    result = cli("import", PITCH_DOC, "--catalog", path)
    assert result.exit_code == 0, result.output
    imported = load_catalog(path).cards
    shipped = load_catalog(SHIPPED_CATALOG).cards
    assert len(imported) == 17
    # The shipped catalog sets a few of the source's formulas as math (issue 11): map them back.
    written = [tuple(as_written(f) if isinstance(f, str) else (tuple(map(as_written, f)) if isinstance(f, tuple) else f)
                     for f in content(c)) for c in shipped]
    assert [content(c) for c in imported] == written
    # Ids follow the same rule the shipped catalog was written by.
    assert [c.id for c in imported] == [c.id for c in shipped]
    assert load_catalog(path).deck.title == "Lab 01 — 17 Paper Pitch Cards"


def test_reimport_skips_and_lists_existing_cards(cli, tmp_path):
    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    before = path.read_bytes()
    result = cli("import", PITCH_DOC, "--catalog", path)
    assert result.exit_code == 0
    assert result.stderr.count("already in the catalog") == 17
    assert "already there: hu-2021-lora, already in the catalog (same title, author and year)" in result.stderr
    assert path.read_bytes() == before


GOOD = """\
# My interview notes

## Card 01 — Bai 2022, Constitutional AI: Harmlessness from AI Feedback
**Summary.** Trains a harmless assistant with a list of principles
and AI feedback instead of human harm labels.

**3 numbers.**
1. 16 principles in the first constitution.
2. 2 stages: supervised critique-and-revise, then RL from AI feedback.
3. 52B parameters in the
   largest model studied.

Category. Fine-Tuning & Alignment
Tags. alignment, anthropic
"""

BROKEN = """\
**Card 02 — Hubinger 2024, Sleeper Agents**
Summary: Backdoored models keep their backdoors through safety training.
3 numbers: 1. 2 backdoor triggers studied. 2. 3 safety training methods tried.

Card 03 — Templeton 2024, Scaling Monosemanticity¶
3 numbers. 1. 34M features. 2. 1 layer. 3. 3 sizes of dictionary.

Card 04 — Nobody, Untitled¶
Summary. x
"""

LAST = """\
Card 05 — Brohan 2023, RT-2 ¶
Summary. Vision-language-action model that outputs robot actions as tokens.
3 numbers. 1. 55B parameters in the largest variant. 2. 6k evaluation trials. 3. 3x better generalisation than RT-1.
→ See the robotics notes.

## How to drill
1. Not a number of any card.
"""


def test_malformed_blocks_are_reported_with_their_line_and_the_rest_come_in(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(GOOD + "\n" + BROKEN + "\n" + LAST, encoding="utf-8")
    start = (GOOD + "\n").count("\n")
    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    before = path.read_bytes()
    result = cli("import", notes, "--catalog", path)
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert f"notes.md:{start + 3}: found 2 numbers, a card needs exactly 3; not imported" in err
    assert f"notes.md:{start + 5}: no `Summary.` line; not imported" in err
    assert f"notes.md:{start + 8}: heading should read `Card NN — Author Year, Title`" in err
    cards = load_catalog(path).cards
    assert path.read_bytes().startswith(before)
    assert [c.id for c in cards[17:]] == ["bai-2022-constitutional", "brohan-2023-rt2"]
    bai, rt2 = cards[17:]
    assert bai.summary == "Trains a harmless assistant with a list of principles and AI feedback instead of human harm labels."
    assert [n.full for n in bai.numbers][2] == "52B parameters in the largest model studied."
    assert (bai.category, bai.tags) == ("Fine-Tuning & Alignment", ("alignment", "anthropic"))
    assert rt2.numbers[2].full == "3x better generalisation than RT-1."  # the "→ See" line is not part of it
    assert "added 2 cards" in result.stdout and "3 blocks with problems" in result.stdout


def test_all_bad_input_exits_1_and_writes_nothing(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(BROKEN, encoding="utf-8")
    path = tmp_path / "new.toml"
    result = cli("import", notes, "--catalog", path)
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr
    assert not path.exists()


def test_a_file_with_no_card_headings_is_an_error(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Just notes\n\nSummary. Not in a card.\n", encoding="utf-8")
    result = cli("import", notes, "--catalog", tmp_path / "x.toml")
    assert result.exit_code == 1 and "no cards found" in result.stderr


def test_card_that_fails_catalog_validation_is_skipped_alone(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(GOOD.replace("Bai 2022", "Bai 1822") + "\n" + LAST, encoding="utf-8")
    path = tmp_path / "new.toml"
    result = cli("import", notes, "--catalog", path)
    assert result.exit_code == 0
    assert "notes.md:3: card 'bai-1822-constitutional', field 'year': 1822 is out of range" in result.stderr
    assert [c.id for c in load_catalog(path).cards] == ["brohan-2023-rt2"]


def test_dry_run_prints_and_writes_nothing(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(GOOD, encoding="utf-8")
    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    before = path.read_bytes()
    result = cli("import", notes, "--catalog", path, "--dry-run", "--tag", "company")
    assert result.exit_code == 0
    assert 'id = "bai-2022-constitutional"' in result.stdout
    assert 'tags = ["alignment", "anthropic", "company"]' in result.stdout
    assert "would add 1 card to" in result.stderr  # singular for one
    assert path.read_bytes() == before
    assert not (tmp_path / "new.toml").exists()


def test_same_paper_twice_in_one_file_comes_in_once(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(LAST + "\n" + LAST, encoding="utf-8")
    path = tmp_path / "new.toml"
    result = cli("import", notes, "--catalog", path)
    assert result.exit_code == 0 and len(load_catalog(path).cards) == 1
    second = LAST.count("\n") + 2  # after LAST and one blank line
    assert f"already there: brohan-2023-rt2, repeats line 1 (line {second} of notes.md)" in result.stderr


def test_different_paper_with_the_same_derived_id_gets_a_suffix(cli, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(LAST + "\n" + LAST.replace("RT-2 ¶", "RT-2 for Real ¶"), encoding="utf-8")
    path = tmp_path / "new.toml"
    assert cli("import", notes, "--catalog", path).exit_code == 0
    assert [c.id for c in load_catalog(path).cards] == ["brohan-2023-rt2", "brohan-2023-rt2-2"]


@pytest.mark.parametrize("numbers", [
    "3 numbers. 1. 1 a. 2. 2 b. 3. 3 c.",
    "3 numbers.\n1. 1 a.\n2. 2 b.\n3. 3 c.",
    "**3 numbers:**\n\n1) 1 a.\n\n2) 2 b.\n\n3) 3 c.",
    "Three numbers.\n- 1 a.\n- 2 b.\n- 3 c.",
])
def test_number_forms(numbers):
    text = f"### Card 7 — Doe 2020, A Paper\n**Summary:** It works.\n{numbers}\n"
    parsed = parse_markdown(text, "n.md")
    assert parsed.problems == []
    assert parsed.cards[0].numbers == ["1 a.", "2 b.", "3 c."]


def test_figures_inside_numbers_are_not_taken_for_markers():
    text = "Card 01 — Doe 2020, X\nSummary. S.\n3 numbers. 1. GPT-2. has 1.5B. 2. 0.5 to 2. 3. 3. three.\n"
    parsed = parse_markdown(text, "n.md")
    assert parsed.cards[0].numbers == ["GPT-2. has 1.5B.", "0.5 to 2.", "3. three."]


# Issue 18, D13: each line pattern once ran in time quadratic in a whitespace run (21 s for
# 50,000 spaces). The time goes in tests/bench_import_lines.py; here the same lines must
# still mean what they meant.
@pytest.mark.parametrize("run", [1, 7, 5000])
def test_whitespace_runs_keep_their_meaning(run):
    sp = " " * run
    text = (f"## Card 1 —{sp}Doe{sp}2020,{sp}A{sp}Paper{sp}\n"
            f"Summary.{sp}It works.\n3{sp}numbers.\n1.{sp}1 a.\n2. 2 b.\n3.{sp}3{sp}c.\n")
    parsed = parse_markdown(text, "n.md")
    assert parsed.problems == [] and len(parsed.cards) == 1
    card = parsed.cards[0]
    assert (card.author, card.year, card.title.split(), card.summary) == ("Doe", 2020, ["A", "Paper"], "It works.")
    assert card.numbers == ["1 a.", "2 b.", "3 c."]


def test_a_space_run_that_is_not_a_heading_is_reported_not_hung():
    parsed = parse_markdown("## Card 1 — Alpha" + " " * 50_000 + "x\n", "n.md")
    assert parsed.cards == [] and len(parsed.problems) == 1
    assert "heading should read" in parsed.problems[0].message
