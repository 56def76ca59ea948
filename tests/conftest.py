"""Shared fixtures: the shipped catalog, generated catalogs, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CATALOG = REPO / "cards.toml"
# The source documents sit beside the repo only in CI; tests that need one read its copy
# under tests/fixtures, and SEEDS checks that the copy is still the source (skipped without it).
SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PITCH_DOC = FIXTURES / "pitch-cards.txt"


@pytest.fixture
def shipped_catalog() -> Path:
    return SHIPPED_CATALOG


@pytest.fixture(scope="module")
def shipped():
    """The shipped catalog, loaded once per test module."""
    from cardpress.catalog import load_catalog

    return load_catalog(SHIPPED_CATALOG)


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    """A copy of the shipped catalog that a test may change."""
    import shutil

    path = tmp_path / "cards.toml"
    shutil.copyfile(SHIPPED_CATALOG, path)
    return path


def card_data(i: int, **overrides) -> dict:
    """One valid card as TOML data; `i` makes it unique."""
    card = {
        "id": f"author{i}-{2000 + i % 25}-paper{i}",
        "author": f"Author{i}",
        "year": 2000 + i % 25,
        "title": f"Paper number {i} on attention & <scaling>",
        "category": ["Transformers & Language Models", "Computer Vision", "Fine-Tuning & Alignment"][i % 3],
        "tags": ["generated", f"group{i % 4}"],
        "summary": f"Card {i} shows that scaling x by 10× improves y → z with β ≈ 0.1 and n² memory.",
        "numbers": [
            {"figure": f"{i}M", "text": "parameters in the base model."},
            {"figure": f"{i % 7 + 1}.5 days", "text": "on 8 GPUs to train."},
            {"figure": f"+{i % 5}.0", "text": "BLEU over the previous best."},
        ],
    }
    card.update(overrides)
    return card


def catalog_data(n: int, **deck) -> dict:
    return {
        "deck": {"title": deck.get("title", f"Generated deck of {n}")},
        "cards": [card_data(i) for i in range(1, n + 1)],
    }


@pytest.fixture
def make_catalog(tmp_path):
    """make_catalog(n) or make_catalog(data=dict) -> path of a cards.toml in a temp folder."""

    def make(n: int = 3, data: dict | None = None, name: str = "cards.toml") -> Path:
        path = tmp_path / name
        path.write_bytes(tomli_w.dumps(data if data is not None else catalog_data(n)).encode())
        return path

    return make


@pytest.fixture
def cli():
    """cli(*args) -> click Result with .exit_code, .stdout, .stderr."""
    from cardpress.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return run
