"""Fuzzing: odd catalogs either build or stop with a message (exit 1); never a traceback,
never a half-written file, and a catalog `validate` accepts always builds.

The budget is bounded (CARDPRESS_FUZZ_EXAMPLES raises it for a longer run by hand,
CARDPRESS_FUZZ_RANDOM=1 draws new cases);
examples are derived from a fixed seed so CI sees the same cases every time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SHIPPED_CATALOG
from cardpress.typeset import fonts
from cardpress.files.staging import STAGING

EXAMPLES = int(os.environ.get("CARDPRESS_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("CARDPRESS_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Characters every text face can draw, as the catalog's coverage rule requires, so that the
# catalogs are valid pieces (invisible ones among them are still refused, with a message).
COVERED = sorted(set.intersection(*(set(fonts._codepoints(f)) for f in fonts.TEXT_FONTS)))
CHARS = st.sampled_from([chr(c) for c in COVERED if c > 0x20])
WORD = st.text(CHARS, min_size=1, max_size=14)


def text(max_words: int):
    return st.lists(WORD, min_size=1, max_size=max_words).map(" ".join)


SLUG = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)
NUMBER = st.one_of(text(12), st.fixed_dictionaries({"figure": text(2), "text": text(12)}))
PROTOCOL = st.fixed_dictionaries({}, optional={
    "claim": text(40), "read": st.lists(text(20), max_size=4), "equation": text(15),
    "remember": st.lists(text(15), max_size=3), "followups": st.lists(text(25), max_size=4),
    "pitfall": text(30)})
CARD = st.fixed_dictionaries(
    {"author": text(2), "year": st.integers(1900, 2100), "title": text(16), "summary": text(120),
     "numbers": st.lists(NUMBER, min_size=3, max_size=3)},
    optional={"category": text(4), "tags": st.lists(WORD, max_size=3), "protocol": PROTOCOL,
              "mastered": st.booleans()})
CATALOG = st.fixed_dictionaries(
    {"deck": st.fixed_dictionaries({"title": text(10)}),
     "cards": st.lists(st.tuples(SLUG, CARD), min_size=1, max_size=3, unique_by=lambda t: t[0])
        .map(lambda cards: [{"id": i, **c} for i, c in cards])},
    optional={"notes": st.lists(st.fixed_dictionaries({"title": text(6), "items": st.lists(text(30), max_size=4)}),
                                max_size=2)})


def _run(*args) -> tuple[int, str]:
    from cardpress.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    # CliRunner catches everything: anything but a clean exit is a traceback a user would see.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.stderr.strip(), "exit 1 without a message"
    return result.exit_code, result.stderr


def _outputs_whole(out: Path) -> None:
    assert not (out / STAGING).exists()
    for p in out.rglob("*.pdf"):
        data = p.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), p


def _check(catalog: Path, out: Path) -> None:
    before = catalog.read_bytes()
    validated, _ = _run("validate", "--catalog", catalog)
    built, err = _run("build", "--catalog", catalog, "--out", out)
    assert catalog.read_bytes() == before
    if validated == 0:
        assert built == 0, f"validate accepted a catalog build refused:\n{err}"
    if built == 1:
        assert not out.exists() or not any(p.is_file() for p in out.rglob("*")), "a failed build wrote files"
    if out.exists():
        _outputs_whole(out)


@FUZZ
@given(data=CATALOG)
def test_catalogs_from_valid_pieces_build_or_exit_1(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    catalog = folder / "cards.toml"
    catalog.write_bytes(tomli_w.dumps(data).encode())
    _check(catalog, folder / "out")


SHIPPED = SHIPPED_CATALOG.read_bytes()
KEY_LINES = [i for i, line in enumerate(SHIPPED.decode("utf-8").splitlines(keepends=True))
             if " = " in line and not line.lstrip().startswith("#")]


def _delete_line(i: int) -> bytes:
    lines = SHIPPED.decode("utf-8").splitlines(keepends=True)
    del lines[KEY_LINES[i % len(KEY_LINES)]]
    return "".join(lines).encode()


def _retype(i: int, value: str) -> bytes:
    lines = SHIPPED.decode("utf-8").splitlines(keepends=True)
    n = KEY_LINES[i % len(KEY_LINES)]
    key = lines[n].split(" = ", 1)[0]
    if lines[n].rstrip().endswith(("[", "{")):  # a value spread over lines: leave it whole
        return SHIPPED
    lines[n] = f"{key} = {value}\n"
    return "".join(lines).encode()


MUTATION = st.one_of(
    st.integers(0, len(SHIPPED)).map(lambda n: SHIPPED[:n]),
    st.integers(0, 10_000).map(_delete_line),
    st.tuples(st.integers(0, 10_000), st.sampled_from(["42", '"text"', "true", "[1, 2]", "{ a = 1 }", '""', "1.5"]))
      .map(lambda t: _retype(*t)),
)


@FUZZ
@given(text=MUTATION)
def test_mutations_of_the_shipped_catalog_build_or_exit_1(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("mutant")
    catalog = folder / "cards.toml"
    catalog.write_bytes(text)
    _check(catalog, folder / "out")
