"""`cardpress schema`: the JSON Schema editors use, checked with jsonschema itself."""

import json
import tomllib

import jsonschema
import pytest

from conftest import REPO, SHIPPED_CATALOG


@pytest.fixture
def validator(cli):
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def shipped_data():
    return tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))


def test_schema_accepts_the_shipped_catalog(validator):
    assert list(validator.iter_errors(shipped_data())) == []


def test_schema_rejects_a_card_with_two_numbers(validator):
    data = shipped_data()
    data["cards"][3]["numbers"] = data["cards"][3]["numbers"][:2]
    errors = list(validator.iter_errors(data))
    assert len(errors) == 1
    assert list(errors[0].absolute_path) == ["cards", 3, "numbers"]


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["cards"][0].update(yeer=2017), ["cards", 0]),               # unknown key
    (lambda d: d["cards"][0].update(id="Not A Slug"), ["cards", 0, "id"]),
    (lambda d: d["cards"][0].update(year="2017"), ["cards", 0, "year"]),
    (lambda d: d["cards"][0].pop("summary"), ["cards", 0]),
    (lambda d: d["categories"][0].update(color="blue"), ["categories", 0, "color"]),
])
def test_schema_rejects_what_validate_rejects(validator, mutate, where):
    data = shipped_data()
    mutate(data)
    errors = list(validator.iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [where]


def test_committed_schema_file_matches_the_command(cli):
    # cards.toml points editors at ./cards.schema.json; it must never drift from the code.
    assert (REPO / "cards.schema.json").read_text(encoding="utf-8") == cli("schema").stdout
    assert SHIPPED_CATALOG.read_text(encoding="utf-8").splitlines()[0] == "#:schema ./cards.schema.json"
