r"""Formulas cardpress cannot set are refused before anything is written (issue 21).

An unknown command, unbalanced braces or environments, and a formula too wide for its
box: `validate` exits 1 naming file:line, card, field and the command (or the overrun in
points); `build` refuses the same with the output folder untouched; `add` writes nothing.
"""

from __future__ import annotations

import re

import pytest

from conftest import catalog_data

WIDE = (r"\left(\frac{a_1 a_2 a_3 a_4 a_5 a_6 a_7 a_8 a_9 a_{10} a_{11} a_{12} a_{13} a_{14} a_{15} a_{16} "
        r"a_{17} a_{18} a_{19} a_{20} a_{21} a_{22} a_{23} a_{24} a_{25} a_{26} a_{27} a_{28} a_{29} a_{30} "
        r"a_{31} a_{32} a_{33} a_{34} a_{35} a_{36} a_{37} a_{38} a_{39} a_{40} a_{41} a_{42} a_{43}}{b}\right)")


def line_of(path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


@pytest.mark.parametrize("tex, words", [
    (r"\foo x", r"unknown command \foo at character 1"),
    (r"x + \boxed{y}", r"\boxed at character 5; write the formula without a box"),
    (r"\frac{a}{b", "unbalanced braces"),
    (r"\begin{pmatrix} a & b", r"\begin{pmatrix} at character 1 is never closed with \end{pmatrix}"),
    (r"\begin{cases} a \end{pmatrix}", r"closed by \end{pmatrix}"),
])
def test_validate_names_file_line_card_field_and_command(make_catalog, cli, tex, words):
    data = catalog_data(3)
    data["cards"][1]["summary"] = f"A loss \\({tex}\\) here."
    path = make_catalog(data=data)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    out = result.output
    line = line_of(path, "A loss")
    assert f"{path}:{line}:" in out and "card 'author2-2002-paper2'" in out and "field 'summary'" in out, out
    assert words in out, out
    assert "Traceback" not in out and "U+E" not in out


def test_a_bad_formula_in_a_number_names_the_elements_own_line(make_catalog, cli):
    data = catalog_data(2)
    data["cards"][0]["numbers"][2] = {"figure": r"\(\nosuch\)", "text": "the third number."}
    path = make_catalog(data=data)
    text = path.read_text(encoding="utf-8")
    # One element a line, as a person writes it (tomli_w writes them on one line).
    path.write_text(text.replace("}, {", "},\n  {"), encoding="utf-8")
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, 'nosuch')}:" in result.output, result.output
    assert "numbers[2].figure" in result.output


@pytest.mark.parametrize("field", ["summary", "figure"])
def test_too_wide_for_its_box_on_each_layout_is_refused_with_the_overrun(make_catalog, cli, tmp_path, field):
    data = catalog_data(2)
    if field == "summary":
        data["cards"][0]["summary"] = f"Wide \\({WIDE}\\) here."
    else:
        data["cards"][0]["numbers"][0] = {"figure": f"\\({WIDE}\\)", "text": "the loss."}
    path = make_catalog(data=data)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    out = result.output
    for layout in ("index-3x5", "letter-4up", "a4-4up", "letter)", "a4)"):
        assert layout in out, (layout, out)  # every deck layout and both sheet papers
    overs = re.findall(r"is (\d+\.\d) pt wider than", out)
    assert overs and all(float(o) > 0 for o in overs)
    assert f"{path}:{line_of(path, 'a_{43}')}:" in out

    # build refuses the same and touches no output
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "deck-3x5.pdf").write_bytes(b"earlier")
    result = cli("build", "--catalog", path, "--out", out_dir)
    assert result.exit_code == 1
    assert (out_dir / "deck-3x5.pdf").read_bytes() == b"earlier"
    assert sorted(p.name for p in out_dir.iterdir()) == ["deck-3x5.pdf"]


def test_add_refuses_a_formula_too_wide_and_writes_nothing(make_catalog, cli):
    path = make_catalog(2)
    before = path.read_bytes()
    result = cli("add", "--catalog", path, "--author", "Wide", "--year", "2024", "--title", "A wide formula",
                 "--summary", f"Loss \\({WIDE}\\).", "--number", "1 | one", "--number", "2 | two",
                 "--number", "3 | three", "--category", "Computer Vision")
    assert result.exit_code == 1, result.output
    assert "pt wider than" in result.output
    assert path.read_bytes() == before


def test_add_refuses_an_unknown_command_and_writes_nothing(make_catalog, cli):
    path = make_catalog(2)
    before = path.read_bytes()
    result = cli("add", "--catalog", path, "--author", "Odd", "--year", "2024", "--title", "An odd formula",
                 "--summary", r"Loss \(\mathscr{L} + \foo\).", "--number", "1 | one", "--number", "2 | two",
                 "--number", "3 | three", "--category", "Computer Vision")
    assert result.exit_code == 1, result.output
    assert r"unknown command \foo" in result.output
    assert path.read_bytes() == before
