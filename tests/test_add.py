"""`cardpress add`: appended, never re-serialised; validated before anything is written."""

import tomllib

import pytest

from cardpress.catalog import load_catalog
from cardpress.grow import command as grow_command
from cardpress.grow.append import appended_text, card_toml, separator

LORA_LIKE = ["--author", "Schölkopf", "--year", "2001", "--title", "Learning with Kernels (SVM)",
             "--summary", "Margins & kernels: r << min(d, k) still prints as <text>.",
             "--number", "1.5B parameters in the model.", "--number", "3.5 days | on 8 GPUs to train.",
             "--number", "Zero reward models.", "--category", "Computer Vision", "--tag", "kernels, svm"]


def test_add_keeps_every_old_byte_as_a_prefix(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("add", "--catalog", shipped_copy, *LORA_LIKE)
    assert result.exit_code == 0, result.output
    after = shipped_copy.read_bytes()
    assert after.startswith(before)
    assert b"# HOW TO ADD A CARD" in after[: len(before)]  # comments survive (they are in the prefix)
    added = tomllib.loads(after[len(before):].decode())["cards"]
    assert added == [{
        "id": "scholkopf-2001-svm", "author": "Schölkopf", "year": 2001, "title": "Learning with Kernels (SVM)",
        "category": "Computer Vision", "tags": ["kernels", "svm"],
        "summary": "Margins & kernels: r << min(d, k) still prints as <text>.",
        "numbers": [{"figure": "1.5B", "text": "parameters in the model."},
                    {"figure": "3.5 days", "text": "on 8 GPUs to train."},
                    {"figure": "Zero", "text": "reward models."}],
    }]
    assert "at line" in result.stdout and "18 cards now" in result.stdout


def test_add_then_validate_then_build(cli, shipped_copy, tmp_path):
    assert cli("add", "--catalog", shipped_copy, *LORA_LIKE).exit_code == 0
    result = cli("validate", "--catalog", shipped_copy)
    assert result.exit_code == 0 and "18 cards" in result.stdout
    out = tmp_path / "out"
    result = cli("build", "--catalog", shipped_copy, "--out", out)
    assert result.exit_code == 0, result.output
    assert "from 18 cards" in result.stdout


def test_add_with_two_numbers_is_refused_and_the_file_untouched(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    args = [a for a in LORA_LIKE]
    i = args.index("Zero reward models.")
    del args[i - 1: i + 1]
    result = cli("add", "--catalog", shipped_copy, *args)
    assert result.exit_code == 1
    assert "--number (2 given, 3 needed)" in result.stderr
    assert "Traceback" not in result.output
    assert shipped_copy.read_bytes() == before
    assert [p.name for p in shipped_copy.parent.iterdir()] == ["cards.toml"]  # no temp file left


def test_four_numbers_fail_validation_and_leave_the_file(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("add", "--catalog", shipped_copy, *LORA_LIKE, "--number", "4 more")
    assert result.exit_code == 1
    assert "expected exactly 3" in result.stderr and "scholkopf-2001-svm" in result.stderr
    assert "Nothing was written." in result.stderr
    assert shipped_copy.read_bytes() == before


def test_near_miss_category_is_refused(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    args = [a if a != "Computer Vision" else "Computer Vison" for a in LORA_LIKE]
    result = cli("add", "--catalog", shipped_copy, *args)
    assert result.exit_code == 1 and "did you mean `Computer Vision`" in result.stderr
    assert shipped_copy.read_bytes() == before


def test_out_of_range_year_and_uncovered_character_are_refused(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    args = list(LORA_LIKE)
    args[args.index("2001")] = "1850"
    args[args.index("Zero reward models.")] = "Zero reward models 🙂."
    result = cli("add", "--catalog", shipped_copy, *args)
    assert result.exit_code == 1
    assert "out of range" in result.stderr and "U+1F642" in result.stderr
    assert shipped_copy.read_bytes() == before


def test_derived_id_never_collides(cli, shipped_copy):
    args = ["--author", "Vaswani", "--year", "2017", "--summary", "S.",
            "--number", "1 a", "--number", "2 b", "--number", "3 c"]
    # Two other papers whose titles start like the shipped card's (the same paper would be refused).
    assert cli("add", "--catalog", shipped_copy, *args, "--title", "Attention, again").exit_code == 0
    assert cli("add", "--catalog", shipped_copy, *args, "--title", "Attention, once more").exit_code == 0
    ids = [c.id for c in load_catalog(shipped_copy).cards]
    assert ids[-2:] == ["vaswani-2017-attention-2", "vaswani-2017-attention-3"]
    assert len(ids) == len(set(ids)) == 19


def test_explicit_id_that_exists_is_refused(cli, shipped_copy):
    result = cli("add", "--catalog", shipped_copy, *LORA_LIKE, "--id", "hu-2021-lora")
    assert result.exit_code == 1 and "already exists (Hu 2021 — LoRA)" in result.stderr


def test_missing_options_are_named_when_not_in_a_terminal(cli, shipped_copy):
    result = cli("add", "--catalog", shipped_copy, "--author", "Hu")
    assert result.exit_code == 1
    for opt in ("--year", "--title", "--summary", "--number (0 given, 3 needed)"):
        assert opt in result.stderr
    assert "--author" not in result.stderr.split("\n")[0]


def test_prompts_for_missing_fields_in_a_terminal(shipped_copy, monkeypatch):
    from typer.testing import CliRunner
    from cardpress.cli import app

    monkeypatch.setattr(grow_command, "interactive", lambda: True)
    answers = "Hoffmann\n2022\nTraining Compute-Optimal LLMs (Chinchilla 2)\nThe summary.\n" \
              "70B parameters.\n~20 tokens per parameter.\nA plain third number.\n2\nscaling, data\n"
    result = CliRunner().invoke(app, ["add", "--catalog", str(shipped_copy)], input=answers)
    assert result.exit_code == 0, result.output
    card = load_catalog(shipped_copy).cards[-1]
    assert card.id == "hoffmann-2022-chinchilla2"
    assert (card.year, card.category, card.tags) == (2022, "Fine-Tuning & Alignment", ("scaling", "data"))
    assert [n.full for n in card.numbers] == ["70B parameters.", "~20 tokens per parameter.", "A plain third number."]
    assert card.numbers[2].figure == ""


def test_dry_run_prints_the_table_and_writes_nothing(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("add", "--catalog", shipped_copy, *LORA_LIKE, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("[[cards]]") and 'id = "scholkopf-2001-svm"' in result.stdout
    assert shipped_copy.read_bytes() == before


def test_add_creates_a_missing_catalog(cli, tmp_path):
    path = tmp_path / "fresh.toml"
    assert cli("add", "--catalog", path, *LORA_LIKE[:-4]).exit_code == 0
    cat = load_catalog(path)
    assert [c.id for c in cat.cards] == ["scholkopf-2001-svm"]


def test_add_refuses_on_an_invalid_catalog(cli, tmp_path):
    path = tmp_path / "cards.toml"
    path.write_text('[deck]\ntitle = "x"\n[[cards]]\nid = "BAD"\n', encoding="utf-8")
    before = path.read_bytes()
    result = cli("add", "--catalog", path, *LORA_LIKE[:-4])
    assert result.exit_code == 1 and "must be valid before cards are added" in result.stderr
    assert path.read_bytes() == before


# ---------------------------------------------------------------- the append itself


@pytest.mark.parametrize("old, sep", [
    ("", ""), ("a = 1\n\n", ""), ("a = 1\n", "\n"), ("a = 1", "\n\n"), ("# trailing comment", "\n\n"),
    ("a = 1\r\n", "\r\n"),
])
def test_separator_leaves_one_blank_line(old, sep):
    assert separator(old) == sep


def test_crlf_files_stay_crlf(cli, tmp_path):
    path = tmp_path / "cards.toml"
    text = card_toml({"id": "a-2000-b", "author": "A", "year": 2000, "title": "B", "summary": "S.",
                      "numbers": ["1", "2", "3"]})
    path.write_bytes(('[deck]\ntitle = "Deck"\n\n' + text).replace("\n", "\r\n").encode())
    before = path.read_bytes()
    assert cli("add", "--catalog", path, *LORA_LIKE[:-4]).exit_code == 0
    after = path.read_bytes()
    assert after.startswith(before)
    assert b"\n" not in after[len(before):].replace(b"\r\n", b"")


def test_file_without_final_newline_and_ending_in_a_comment(cli, tmp_path):
    path = tmp_path / "cards.toml"
    path.write_text('[deck]\ntitle = "Deck"\n\n[[cards]]\nid = "a-2000-b"\nauthor = "A"\nyear = 2000\n'
                    'title = "B"\nsummary = "S."\nnumbers = ["1", "2", "3"]\n# my last note', encoding="utf-8")
    before = path.read_bytes()
    assert cli("add", "--catalog", path, *LORA_LIKE[:-4]).exit_code == 0
    after = path.read_bytes()
    assert after.startswith(before + b"\n\n[[cards]]\n")
    assert len(load_catalog(path).cards) == 2


def test_inline_cards_array_cannot_be_appended_to(cli, tmp_path):
    # `cards = [...]` is a static array; a [[cards]] table after it is a TOML error, so refuse.
    path = tmp_path / "cards.toml"
    path.write_text('cards = [{ id = "a-2000-b", author = "A", year = 2000, title = "B", summary = "S.", '
                    'numbers = ["1", "2", "3"] }]\n[deck]\ntitle = "D"\n', encoding="utf-8")
    before = path.read_bytes()
    result = cli("add", "--catalog", path, *LORA_LIKE[:-4])
    assert result.exit_code == 1 and "TOML syntax error" in result.stderr
    assert path.read_bytes() == before


def test_card_toml_round_trips_awkward_text():
    card = {"id": "a-2000-b", "author": 'O"Brien \\ tab\t', "year": 2000, "title": "x < y & z > w",
            "tags": ["a b", "ü"], "summary": "line\nbreak", "numbers": [{"figure": "β", "text": '"q"'}, "2", "3"],
            "mastered": True}
    assert tomllib.loads(card_toml(card)) == {"cards": [card]}
    assert appended_text("x = 1\n", [card]).startswith("\n[[cards]]\n")
