"""Each command loads only its own engine: `--help` loads none, and nothing loads pydantic."""

from __future__ import annotations

import json
import subprocess
import sys

import tomli_w

from conftest import catalog_data

_PROBE = """
import json, sys
from cardpress.cli import app
try:
    app(sys.argv[1:], prog_name="cardpress")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _loaded(*args: str, cwd) -> set[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), out.stdout
    return set(result["modules"])


def _engines(modules: set[str]) -> set[str]:
    """Which engines' working modules (not their command registration) were loaded."""
    probes = {"deck": "cardpress.deck.assemble", "sheet": "cardpress.sheet.layout",
              "worksheets": "cardpress.worksheets.layout", "grow": "cardpress.grow.add"}
    return {engine for engine, module in probes.items() if module in modules}


def test_help_loads_no_engine_and_no_pdf_library(tmp_path):
    modules = _loaded("--help", cwd=tmp_path)
    assert _engines(modules) == set()
    assert not {m for m in modules if m.split(".")[0] in ("reportlab", "PIL", "pydantic", "rich", "pypdf")}


def test_deck_loads_only_the_deck_engine(tmp_path):
    (tmp_path / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(3)).encode())
    modules = _loaded("deck", "--layout", "letter-4up", cwd=tmp_path)
    assert (tmp_path / "output" / "deck-letter.pdf").exists()
    assert _engines(modules) == {"deck"}
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "rich", "pypdf")}


def test_validate_lays_out_but_never_paints(tmp_path):
    # validate is a dry run of build (issue 14): it runs the engines' layout, so those load,
    # but nothing is painted, so the painter, the PDF canvas and pypdf stay out.
    (tmp_path / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(3)).encode())
    modules = _loaded("validate", cwd=tmp_path)
    assert "cardpress.pdf.paint" not in modules and "reportlab.pdfgen.canvas" not in modules
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "rich", "pypdf", "matplotlib")}


_FONTS_PROBE = """
import json, sys
from cardpress.cli import app
from reportlab.pdfbase import pdfmetrics
try:
    app(sys.argv[1:], prog_name="cardpress")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "fonts": sorted(pdfmetrics.getRegisteredFontNames())}))
"""


def test_a_deck_without_formulas_parses_no_math_face(tmp_path):
    # Each face is registered when text first uses it (fonts.use): parsing a TrueType file
    # is pure Python, and a deck with no formula has no use for the six math faces.
    from cardpress.typeset import fonts

    (tmp_path / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(3)).encode())
    out = subprocess.run([sys.executable, "-c", _FONTS_PROBE, "deck", "--layout", "letter-4up"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None)
    registered = set(result["fonts"])
    assert not registered & set(fonts.MATH_FONTS)
    assert {fonts.SANS, fonts.MONO} <= registered  # the text and the pairing marks


def _entry_point_run(cwd, *args: str) -> dict:
    probe = """
import gc, json, sys
sys.argv = ["cardpress", *sys.argv[1:]]
from cardpress.__main__ import run
try:
    run()
except SystemExit:
    pass
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_entry_point_holds_the_collector_off_only_while_importing(tmp_path):
    # The start-up's objects are frozen out of the collector's way (cardpress.startup), and
    # the collector runs again for the work itself, whichever command it is.
    after_cli = _entry_point_run(tmp_path, "--version")
    assert after_cli["enabled"] and after_cli["frozen"] > 10_000
    (tmp_path / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(3)).encode())
    after_engine = _entry_point_run(tmp_path, "deck", "--layout", "letter-4up")
    assert (tmp_path / "output" / "deck-letter.pdf").exists()
    # deck's engine and reportlab were imported inside the window too
    assert after_engine["enabled"] and after_engine["frozen"] > after_cli["frozen"] + 10_000
