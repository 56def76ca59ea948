"""Every PDF says how to print it (/ViewerPreferences, /Lang) and has bookmarks where it helps."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from conftest import catalog_data

# The rule, written out: two-sided files flip on the edge they were built for, halves print one-sided.
DUPLEX_NAME = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge", None: "/Simplex"}


def prefs(path) -> tuple[dict, str]:
    root = PdfReader(str(path)).trailer["/Root"]
    return dict(root["/ViewerPreferences"]), str(root["/Lang"])


def assert_prints_as(path, flip):
    vp, lang = prefs(path)
    assert vp["/PrintScaling"] == "/None", path
    assert vp["/Duplex"] == DUPLEX_NAME[flip], path
    assert vp["/DisplayDocTitle"] == True, path  # noqa: E712 (a pypdf BooleanObject)
    assert lang == "en"


def titles(path) -> list[tuple[str, int]]:
    r = PdfReader(str(path))
    return [(o.title, r.get_destination_page_number(o)) for o in r.outline]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import tomli_w
    from typer.testing import CliRunner
    from cardpress.cli import app

    root = tmp_path_factory.mktemp("built")
    (root / "cards.toml").write_bytes(tomli_w.dumps(catalog_data(5)).encode())
    res = CliRunner().invoke(app, ["build", "-c", str(root / "cards.toml"), "-o", str(root / "out")])
    assert res.exit_code == 0, res.output
    return root / "out"


def test_every_built_pdf_asks_for_actual_size_and_long_edge_duplex(built):
    pdfs = sorted(built.rglob("*.pdf"))
    assert len(pdfs) == 3 + 2 + 2 + 5 + 1 + 1  # decks, calibration, sheets, per paper, combined, answers
    for path in pdfs:
        assert_prints_as(path, "long")


@pytest.mark.parametrize("layout", ["index-3x5", "letter-4up", "a4-4up", "letter-3up"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_deck_duplex_follows_the_flip_and_halves_are_simplex(cli, make_catalog, tmp_path, layout, flip):
    cat, out = make_catalog(3), tmp_path / "out"
    assert cli("deck", "-c", cat, "-o", out, "--layout", layout, "--flip", flip).exit_code == 0
    assert cli("deck", "-c", cat, "-o", out / "halves", "--layout", layout, "--flip", flip,
               "--fronts-only", "--backs-only").exit_code == 0
    (whole,) = out.glob("*.pdf")
    assert_prints_as(whole, flip)
    halves = sorted((out / "halves").glob("*.pdf"))
    assert [p.name.rsplit("-", 1)[1] for p in halves] == ["backs.pdf", "fronts.pdf"]
    for path in halves:
        assert_prints_as(path, None)


@pytest.mark.parametrize("flip", ["long", "short"])
def test_calibration_sheet_duplex_and_bookmarks(cli, tmp_path, flip):
    out = tmp_path / "out"
    res = cli("calibrate", "--layout", "letter-4up", "--flip", flip, "-o", out)
    assert res.exit_code == 0, res.output
    (path,) = out.glob("*.pdf")
    assert_prints_as(path, flip)
    assert titles(path) == [("Front", 0), ("Back", 1)]


def test_worksheets_pdf_has_one_bookmark_per_paper_on_its_front(built):
    data = catalog_data(5)
    expected = [(f"{c['author']} {c['year']}", 2 * i) for i, c in enumerate(data["cards"])]
    got = titles(built / "worksheets.pdf")
    assert len(got) == len(data["cards"])
    # Each entry points at the paper's first page, and names its author and year.
    assert [page for _, page in got] == [page for _, page in expected]
    for (title, _), (start, _) in zip(got, expected):
        assert title.startswith(start), title


def test_revision_sheet_bookmarks_every_section_head_in_page_order(built):
    for paper in ("letter", "a4"):
        path = built / f"revision-sheet-{paper}.pdf"
        got = titles(path)
        text = [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]
        pages = [page for _, page in got]
        assert pages == sorted(pages)
        # every category of the catalog has an entry, on the page where its heading is printed
        for name in ("Transformers & Language Models", "Computer Vision", "Fine-Tuning & Alignment"):
            (page,) = [p for t, p in got if t == name]
            assert name in text[page].replace("&amp;", "&")
        # a generated catalog has no revision notes: the rest of the four pages is for notes
        assert ("Notes (page 4)", 3) in got


def test_shipped_sheet_bookmarks_its_revision_notes(cli, shipped_catalog, tmp_path):
    res = cli("sheet", "-c", shipped_catalog, "-o", tmp_path, "--paper", "letter")
    assert res.exit_code == 0, res.output
    got = [t for t, _ in titles(tmp_path / "revision-sheet-letter.pdf")]
    assert "The 20-minute paper-read protocol" in got and "What interviewers grade" in got
