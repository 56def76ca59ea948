"""Text that prints is text you can see: invisible and control characters are refused."""

from __future__ import annotations

import shutil

import pytest
import tomli_w

from conftest import SHIPPED_CATALOG, catalog_data
from reliability_helpers import snapshot

INVISIBLE = [0x00, 0x07, 0x1B, 0x7F, 0x85, 0x9F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
             0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]


def _catalog(tmp_path, field, value, card=0):
    data = catalog_data(2)
    data["cards"][card][field] = value
    path = tmp_path / "cards.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path, data["cards"][card]["id"]


@pytest.mark.parametrize("code", INVISIBLE)
def test_invisible_characters_are_refused_by_code_point_and_place(cli, tmp_path, code):
    text = "Attention " + chr(code) + "is all"
    path, cid = _catalog(tmp_path, "summary", text)
    out = tmp_path / "out"
    before = snapshot(path)
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    line = next(l for l in result.stderr.splitlines() if f"U+{code:04X}" in l)
    assert f"card '{cid}', field 'summary'" in line
    assert f"character U+{code:04X}" in line and f"at character {len('Attention ') + 1}" in line
    assert cli("build", "--catalog", path, "--out", out).exit_code == 1
    assert snapshot(path) == before and not out.exists()


@pytest.mark.parametrize("field, value, allowed", [
    ("summary", "line one\nline two", True),
    ("summary", "a\tb", True),
    ("summary", "a\r\nb", False),  # tomllib reads a CRLF file's line breaks as "\n"; "\r" is an escape
    ("summary", "a\rb", False),
    ("title", "A\ntitle", False),
    ("title", "A\ttitle", False),
    ("author", "Vaswani\n", False),
])
def test_tabs_and_newlines_only_where_the_field_allows_them(cli, tmp_path, field, value, allowed):
    path, cid = _catalog(tmp_path, field, value)
    result = cli("validate", "--catalog", path)
    if allowed:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert f"card '{cid}', field '{field}': character U+000" in result.stderr


def test_id_with_a_trailing_newline_is_refused(cli, tmp_path):
    path, _ = _catalog(tmp_path, "id", "vaswani-2017-attention\n")
    result = cli("validate", "--catalog", path)
    assert result.exit_code == 1
    assert "card 'vaswani-2017-attention\\n', field 'id': 'vaswani-2017-attention\\n' is not valid" in result.stderr


def test_add_refuses_an_id_with_a_newline_and_a_bidi_override(cli, tmp_path):
    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    out = tmp_path / "output"
    before = snapshot(path)
    base = ["--author", "Zed", "--year", "2020", "--summary", "S.", "--number", "1 | a", "--number", "2 | b",
            "--number", "3 | c", "--catalog", path]
    result = cli("add", "--id", "zed-2020-x\n", "--title", "X", *base)
    assert result.exit_code == 1
    assert "field 'id': 'zed-2020-x\\n' is not valid" in result.stderr
    result = cli("add", "--title", "Evil \u202etxt.exe", *base)
    assert result.exit_code == 1
    assert "field 'title': character U+202E (right-to-left override) at character 6" in result.stderr
    assert snapshot(path) == before and not out.exists()
