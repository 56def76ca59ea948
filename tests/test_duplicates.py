"""A paper already in the catalog is refused by `add`, naming the card that has it (issue 22)."""

import pytest

from cardpress.catalog import load_catalog
from cardpress.grow.duplicates import Paper, PaperIndex, bare_arxiv, bare_doi

BODY = ["--summary", "S.", "--number", "1 a", "--number", "2 b", "--number", "3 c"]


def test_same_title_author_and_year_is_refused_naming_the_card(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    # The shipped card reads "Vaswani 2017 — Attention Is All You Need"; case, spacing and
    # the full stop are not what makes a paper another one.
    result = cli("add", "--catalog", shipped_copy, "--author", "vaswani", "--year", "2017",
                 "--title", "Attention  is all you need.", *BODY)
    assert result.exit_code == 1
    assert "already in the catalog as `vaswani-2017-attention` (Vaswani 2017 — Attention Is All You Need)" \
        in result.stderr
    assert "--allow-duplicate" in result.stderr
    assert shipped_copy.read_bytes() == before


def test_allow_duplicate_adds_it_with_a_free_id(cli, shipped_copy):
    result = cli("add", "--catalog", shipped_copy, "--author", "Vaswani", "--year", "2017",
                 "--title", "Attention Is All You Need", *BODY, "--allow-duplicate")
    assert result.exit_code == 0, result.output
    assert load_catalog(shipped_copy).cards[-1].id == "vaswani-2017-attention-2"


def test_another_year_is_another_paper(cli, shipped_copy):
    result = cli("add", "--catalog", shipped_copy, "--author", "Vaswani", "--year", "2018",
                 "--title", "Attention Is All You Need", *BODY)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("first, second", [
    (["--doi", "10.18653/v1/N19-1423"], ["--doi", "https://doi.org/10.18653/V1/N19-1423"]),
    (["--arxiv", "1810.04805"], ["--arxiv", "arXiv:1810.04805v2"]),
    (["--arxiv", "1810.04805"], ["--doi", "10.48550/arXiv.1810.04805"]),
    (["--arxiv", "1810.04805v1"], ["--arxiv", "https://arxiv.org/abs/1810.04805"]),
])
def test_same_identifier_under_another_title_is_refused(cli, make_catalog, first, second):
    path = make_catalog(2)
    assert cli("add", "--catalog", path, "--author", "Devlin", "--year", "2019", "--title", "BERT",
               *BODY, *first).exit_code == 0
    before = path.read_bytes()
    result = cli("add", "--catalog", path, "--author", "Devlin", "--year", "2018",
                 "--title", "BERT: Pre-training of Deep Bidirectional Transformers", *BODY, *second)
    assert result.exit_code == 1
    assert "already in the catalog as `devlin-2019-bert`" in result.stderr
    assert path.read_bytes() == before


def test_identifiers_are_stored_bare(cli, make_catalog):
    path = make_catalog(1)
    assert cli("add", "--catalog", path, "--author", "Devlin", "--year", "2019", "--title", "BERT", *BODY,
               "--doi", "https://doi.org/10.18653/v1/N19-1423", "--arxiv", "arXiv:1810.04805v2",
               "--url", "https://aclanthology.org/N19-1423/").exit_code == 0
    card = load_catalog(path).cards[-1]
    assert (card.doi, card.arxiv, card.url) == ("10.18653/v1/N19-1423", "1810.04805v2",
                                                 "https://aclanthology.org/N19-1423/")


def test_a_malformed_identifier_is_named(cli, make_catalog):
    path = make_catalog(1)
    before = path.read_bytes()
    result = cli("add", "--catalog", path, "--author", "Devlin", "--year", "2019", "--title", "BERT", *BODY,
                 "--doi", "not a doi")
    assert result.exit_code == 1 and "doi" in result.stderr and "'not a doi' is not valid" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("text, bare", [
    ("10.1145/3295222.3295349", "10.1145/3295222.3295349"),
    ("doi:10.1145/3295222.3295349", "10.1145/3295222.3295349"),
    ("http://dx.doi.org/10.1145/3295222.3295349", "10.1145/3295222.3295349"),
    ("1145/3295222", None),
])
def test_bare_doi(text, bare):
    assert bare_doi(text) == bare


@pytest.mark.parametrize("text, bare", [
    ("1706.03762", "1706.03762"), ("arXiv:1706.03762v7", "1706.03762v7"),
    ("https://arxiv.org/pdf/1706.03762v7.pdf", "1706.03762v7"), ("hep-th/9901001", "hep-th/9901001"),
    ("math.GT/0309136", "math.GT/0309136"), ("10.48550/arXiv.2106.09685", "2106.09685"), ("17060.3762", None),
])
def test_bare_arxiv(text, bare):
    assert bare_arxiv(text) == bare


def test_accents_fold_in_names_and_titles():
    index = PaperIndex()
    index.add(Paper("Learning with Kernels", "Schölkopf", 2002), "scholkopf-2002-learning")
    assert index.find(Paper("LEARNING WITH KERNELS", "Scholkopf", 2002)).card_id == "scholkopf-2002-learning"
    assert index.find(Paper("Learning with Kernels", "Smola", 2002)) is None


def test_add_a_draft_with_only_the_paper(cli, shipped_copy):
    before = shipped_copy.read_bytes()
    result = cli("add", "--catalog", shipped_copy, "--draft", "--author", "Ho", "--year", "2020",
                 "--title", "Denoising Diffusion Probabilistic Models", "--arxiv", "2006.11239")
    assert result.exit_code == 0, result.output
    added = shipped_copy.read_bytes()[len(before):].decode()
    assert added == ('\n[[cards]]\nid = "ho-2020-denoising"\nstatus = "draft"\nauthor = "Ho"\nyear = 2020\n'
                     'title = "Denoising Diffusion Probabilistic Models"\narxiv = "2006.11239"\n')
    again = cli("add", "--catalog", shipped_copy, "--draft", "--author", "Ho", "--year", "2021",
                "--title", "DDPM", "--arxiv", "https://arxiv.org/abs/2006.11239v2")
    assert again.exit_code == 1 and "already in the catalog as `ho-2020-denoising`" in again.stderr
