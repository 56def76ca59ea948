"""One bad catalog per validation rule: the message names file, line, card and field; exit 1."""

from __future__ import annotations

import pytest

from conftest import card_data, catalog_data


def _catalog_with(tmp_path, mutate) -> object:
    import tomli_w

    data = catalog_data(2)
    mutate(data)
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def _run_validate(cli, path):
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr


def _drop(key):
    def mutate(data):
        del data["cards"][1][key]
    return mutate


def _set(key, value, card=1):
    def mutate(data):
        data["cards"][card][key] = value
    return mutate


CARD2 = card_data(2)["id"]

RULES = [
    # (rule, mutation, field named, words the message must contain)
    ("two numbers", _set("numbers", ["1 one", "2 two"]), "numbers", ["exactly 3", "found 2"]),
    ("four numbers", _set("numbers", ["1", "2", "3", "4"]), "numbers", ["exactly 3", "found 4"]),
    ("empty number", _set("numbers", ["1", "  ", "3"]), "numbers[1]", ["must not be empty"]),
    ("empty figure", _set("numbers", ["1", {"figure": "", "text": "x"}, "3"]), "numbers[1].figure", ["must not be empty"]),
    ("number missing text", _set("numbers", ["1", {"figure": "2"}, "3"]), "numbers[1].text", ["required"]),
    ("numbers not a list", _set("numbers", "1, 2, 3"), "numbers", ["expected a list"]),
    ("id not a slug", _set("id", "Vaswani_2017"), "id", ["not valid", "lower-case"]),
    ("id with a slash", _set("id", "a/b"), "id", ["not valid"]),
    ("missing id", _drop("id"), "id", ["required"]),
    ("missing author", _drop("author"), "author", ["required"]),
    ("missing year", _drop("year"), "year", ["required"]),
    ("missing title", _drop("title"), "title", ["required"]),
    ("missing summary", _drop("summary"), "summary", ["required"]),
    ("missing numbers", _drop("numbers"), "numbers", ["required"]),
    ("empty title", _set("title", ""), "title", ["must not be empty"]),
    ("year as a string", _set("year", "2017"), "year", ["expected an integer"]),
    ("implausible year", _set("year", 1017), "year", ["out of range"]),
    ("tags not a list", _set("tags", "nlp"), "tags", ["expected a list"]),
    ("mastered not a bool", _set("mastered", "yes"), "mastered", ["true or false"]),
    ("unknown key", _set("sumary", "x"), "sumary", ["unknown key", "did you mean `summary`"]),
    ("character outside the font", _set("title", "Attention 注意"), "title", ["'注'", "U+6CE8", "not in the embedded font"]),
]


@pytest.mark.parametrize("rule,mutate,field,words", RULES, ids=[r[0] for r in RULES])
def test_rule(tmp_path, cli, rule, mutate, field, words):
    path = _catalog_with(tmp_path, mutate)
    err = _run_validate(cli, path)
    assert str(path) in err
    card_name = "#2 (no id)" if rule == "missing id" else None
    if card_name is None:
        card_name = "Vaswani_2017" if rule == "id not a slug" else ("a/b" if rule == "id with a slash" else CARD2)
    assert f"card '{card_name}'" in err
    assert f"field '{field}'" in err
    for word in words:
        assert word in err


def test_duplicate_id_names_both(tmp_path, cli):
    path = _catalog_with(tmp_path, lambda d: d["cards"][1].update(id=d["cards"][0]["id"]))
    err = _run_validate(cli, path)
    assert "duplicate id" in err and "card #1 has it too" in err and "field 'id'" in err


def test_deck_table_required(tmp_path, cli):
    path = _catalog_with(tmp_path, lambda d: d.pop("deck"))
    assert "field 'deck': is required but missing" in _run_validate(cli, path)


def test_category_typo_suggests_declared(tmp_path, cli):
    def mutate(d):
        d["categories"] = [{"name": "Computer Vision", "short": "CV", "color": "#1d7044"}]
        for c in d["cards"]:
            c["category"] = "Computer Vision"
        d["cards"][1]["category"] = "Computer Vison"
    err = _run_validate(cli, _catalog_with(tmp_path, mutate))
    assert "did you mean `Computer Vision`" in err and "field 'category'" in err


def test_bad_colour(tmp_path, cli):
    err = _run_validate(cli, _catalog_with(tmp_path, lambda d: d.update(categories=[{"name": "X", "color": "blue"}])))
    assert "categories[0].color" in err and "hex colour" in err


def test_toml_syntax_error_has_line_and_column(tmp_path, cli):
    path = tmp_path / "cards.toml"
    path.write_text('[deck]\ntitle = "T"\n\n[[cards]]\nid = "a-1"\nauthor = "A\n', encoding="utf-8")
    err = _run_validate(cli, path)
    assert f"{path}:6:" in err and "TOML syntax error" in err and "column" in err


def test_missing_file(tmp_path, cli):
    err = _run_validate(cli, tmp_path / "nope.toml")
    assert "not found" in err


def test_line_numbers_point_at_the_field(tmp_path, cli):
    path = tmp_path / "cards.toml"
    path.write_text(
        '[deck]\ntitle = "T"\n\n'
        '[[cards]]\nid = "a-2020-x"\nauthor = "A"\nyear = 2020\ntitle = "X"\nsummary = "S"\n'
        'numbers = ["1", "2", "3"]\n\n'
        '[[cards]]\nid = "b-2020-y"\nauthor = "B"\nyear = 20201\ntitle = "Y"\nsummary = "S"\n'
        'numbers = ["1", "2", "3"]\n',
        encoding="utf-8",
    )
    err = _run_validate(cli, path)
    assert f"{path}:15: card 'b-2020-y', field 'year'" in err


def test_all_problems_reported_in_one_run(tmp_path, cli):
    """The issue's acceptance case: two numbers, a duplicate id and an unknown key, one run."""
    path = tmp_path / "cards.toml"
    path.write_text(
        '[deck]\ntitle = "T"\n\n'
        '[[cards]]\nid = "a-2020-x"\nauthor = "A"\nyear = 2020\ntitle = "X"\nsummary = "S"\n'
        'numbers = ["1", "2"]\n\n'
        '[[cards]]\nid = "a-2020-x"\nauthor = "B"\nyear = 2021\ntitle = "Y"\nsummary = "S"\n'
        'numbers = ["1", "2", "3"]\ncolour = "red"\n',
        encoding="utf-8",
    )
    err = _run_validate(cli, path)
    assert f"{path}:10: card 'a-2020-x', field 'numbers': expected exactly 3" in err
    assert f"{path}:13: card 'a-2020-x', field 'id': duplicate id" in err
    assert f"{path}:19: card 'a-2020-x', field 'colour': unknown key" in err
    assert "3 problems found." in err


def test_shipped_catalog_validates(cli, shipped_catalog):
    result = cli("validate", "--catalog", shipped_catalog)
    assert result.exit_code == 0, result.stderr
    assert "17 cards" in result.stdout
