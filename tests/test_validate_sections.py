"""One bad catalog per rule of the sheet's own sections (concepts, questions, tables, papers,
checklist): each message names the file, the line, the item and the field; exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "bad_sections"

# fixture -> (line, item named, field named, words the message must contain)
RULES = {
    "concept-without-points": (12, "concept #1 'Tokens'", "points", ["required"]),
    "concept-unknown-key": (15, "concept #1 'Tokens'", "trapp", ["unknown key", "did you mean `trap`"]),
    "question-without-answer": (12, "question #1 'Why divide by root d_k?'", "answer", ["required"]),
    "question-paper-not-a-card": (15, "question #1 'Walk me through it.'", "paper", ["no card has the id `a-2020-y`",
                                                               "did you mean `a-2020-x`"]),
    "table-row-short": (17, "table #1 'RLHF vs DPO'", "rows[1]", ["2 cells", "3 columns"]),  # the row's own line
    "table-without-columns": (12, "table #1 'Sampling'", "columns", ["required"]),
    "paper-implausible-year": (14, "paper #1 'Adam'", "year", ["out of range"]),
    "paper-without-idea": (12, "paper #1 'ResNet'", "idea", ["required"]),
    "paper-listed-twice": (17, "paper #2 'resnet'", "title", ["listed twice", "paper #1 has it too"]),
    "checklist-item-without-paper": (14, None, "checklist.items[1].paper", ["required"]),
    "checklist-without-items": (12, None, "checklist.items", ["required"]),
}


def test_every_fixture_has_a_rule():
    assert sorted(p.stem for p in FIXTURES.glob("*.toml")) == sorted(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule(cli, name):
    line, item, field, words = RULES[name]
    path = FIXTURES / f"{name}.toml"
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    err = result.stderr
    head = f"{path}:{line}: " + (f"{item}, " if item else "") + f"field '{field}'"
    assert head in err, err
    for word in words:
        assert word in err


def test_all_section_problems_in_one_run(tmp_path, cli):
    end_of_card = 'numbers = ["1", "2", "3"]\n'
    parts = [(FIXTURES / f"{n}.toml").read_text(encoding="utf-8").split(end_of_card)
             for n in ("concept-without-points", "table-row-short", "paper-implausible-year")]
    path = tmp_path / "cards.toml"
    path.write_text(parts[0][0] + end_of_card + "".join(p[1] for p in parts), encoding="utf-8")
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert "3 problems found." in result.stderr
