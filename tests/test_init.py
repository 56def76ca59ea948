"""`cardpress init`: a new deck's folder that builds at once, and never an overwrite."""

from __future__ import annotations

import tomllib

from conftest import REPO, SHIPPED_CATALOG


def test_init_in_an_empty_folder_then_build_works_there(cli, tmp_path, monkeypatch):
    deck = tmp_path / "deck"
    result = cli("init", deck)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in deck.iterdir()) == [".gitignore", "cards.schema.json", "cards.toml"]
    text = (deck / "cards.toml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "#:schema ./cards.schema.json"
    data = tomllib.loads(text)
    cards = data["cards"]
    assert len(cards) == 2
    assert any("\\(" in c["summary"] and "\\)" in c["summary"] for c in cards)  # one with a formula
    assert data["categories"] and {c["category"] for c in cards} <= {c["name"] for c in data["categories"]}
    # Nothing of the shipped content: no card id or title of ours.
    shipped = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    shipped_titles = {c["title"] for c in shipped["cards"]} - {"Attention Is All You Need"}
    assert not {c["title"] for c in cards} & shipped_titles
    assert len(data) < len(shipped)  # no concepts, questions, tables, papers ...
    assert (deck / ".gitignore").read_text().split("\n")[1:3] == ["output/", ".cardpress/"]
    assert (deck / "cards.schema.json").read_text(encoding="utf-8") == cli("schema").stdout

    monkeypatch.chdir(deck)
    built = cli("build", "--jobs", "1")
    assert built.exit_code == 0, built.output
    for name in ("deck-3x5.pdf", "deck-letter.pdf", "revision-sheet-a4.pdf", "worksheets.pdf"):
        assert (deck / "output" / name).stat().st_size > 1000
    assert {p.stem for p in (deck / "output" / "worksheets").iterdir()} == {c["id"] for c in cards}


def test_the_starter_teaches_the_format_in_comments(cli, tmp_path):
    cli("init", tmp_path)
    comments = "\n".join(l for l in (tmp_path / "cards.toml").read_text().splitlines() if l.lstrip().startswith("#"))
    for word in ("[[cards]]", "three numbers", "status = \"draft\"", "Categories, in the order", "figure", "\\(",
                 "CARDPRESS_PAPER", "cardpress build"):
        assert word in comments, word


def test_init_refuses_to_overwrite_a_catalog(cli, tmp_path):
    (tmp_path / "cards.toml").write_bytes(b"mine")
    result = cli("init", tmp_path)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "cards.toml").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.toml"]  # nothing else written either


def test_init_keeps_an_existing_gitignore_and_says_what_to_add(cli, tmp_path):
    (tmp_path / ".gitignore").write_bytes(b"*.log\n")
    result = cli("init", tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / ".gitignore").read_bytes() == b"*.log\n"
    assert "kept the existing" in result.stdout and "output/ .cardpress/" in result.stdout


def test_init_refuses_a_dangling_link_where_the_catalog_goes(cli, tmp_path):
    (tmp_path / "cards.toml").symlink_to(tmp_path / "elsewhere.toml")
    assert cli("init", tmp_path).exit_code == 1
    assert not (tmp_path / "elsewhere.toml").exists()


def test_example_copies_the_shipped_catalog(cli, tmp_path):
    assert cli("init", tmp_path, "--example").exit_code == 0
    assert (tmp_path / "cards.toml").read_bytes() == SHIPPED_CATALOG.read_bytes()


def test_packaged_example_is_the_shipped_catalog():
    # --example must work from an installed wheel, where the repository's cards.toml is not:
    # the package carries a copy, which must never drift from it (copy cards.toml over it).
    packaged = REPO / "src" / "cardpress" / "starter" / "example.toml"
    assert packaged.read_bytes() == SHIPPED_CATALOG.read_bytes()


def test_the_starters_are_package_data():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cardpress"]
    assert "starter/*.toml" in data
    assert {p.name for p in (REPO / "src" / "cardpress" / "starter").glob("*.toml")} == {"starter.toml", "example.toml"}
