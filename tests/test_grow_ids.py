"""Id derivation and the figure/text split: plain functions, no files."""

import re
import tomllib

import pytest
from hypothesis import given, strategies as st

from conftest import SHIPPED_CATALOG
from cardpress.grow.figures import split_number
from cardpress.grow.ids import ascii_fold, base_id, derive_id, slugify, unique_id
from cardpress.catalog.schema import SLUG_PATTERN


@pytest.mark.parametrize("author, year, title, expected", [
    ("Vaswani", 2017, "Attention Is All You Need", "vaswani-2017-attention"),
    ("Radford", 2019, "Language Models are Unsupervised Multitask Learners (GPT-2)", "radford-2019-gpt2"),
    ("Kwon", 2023, "Efficient Memory Management for LLM Serving with PagedAttention (vLLM)", "kwon-2023-vllm"),
    ("Touvron", 2023, "Llama 2", "touvron-2023-llama2"),
    ("Jiang", 2023, "Mistral 7B", "jiang-2023-mistral"),
    ("Schölkopf", 2001, "The Kernel Trick", "scholkopf-2001-kernel"),
    ("Łukasiewicz", 1920, "Logika trójwartościowa", "lukasiewicz-1920-logika"),
    ("van den Oord", 2016, "WaveNet: A Generative Model for Raw Audio", "van-den-oord-2016-wavenet"),
])
def test_base_id(author, year, title, expected):
    assert base_id(author, year, title) == expected


def test_every_shipped_id_is_what_the_rule_derives():
    cards = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))["cards"]
    assert len(cards) == 17
    for c in cards:
        assert base_id(c["author"], c["year"], c["title"]) == c["id"]


def test_collisions_get_the_next_free_suffix():
    taken = ["vaswani-2017-attention", "vaswani-2017-attention-2"]
    assert derive_id("Vaswani", 2017, "Attention Again", taken) == "vaswani-2017-attention-3"
    assert unique_id("a-2000-b", []) == "a-2000-b"


def test_fold_and_slug():
    assert ascii_fold("Çelik Straße Ærø") == "Celik Strasse AerO".replace("O", "o")
    assert slugify("  GPT--2 (Ünïcode)  ") == "gpt-2-unicode"


@given(st.text(min_size=1, max_size=30), st.integers(1900, 2100), st.text(max_size=60))
def test_derived_ids_always_match_the_catalog_id_pattern(author, year, title):
    # Any author with at least one ASCII-foldable letter or digit yields a valid slug.
    cid = derive_id(author, year, title)
    assert re.match(SLUG_PATTERN, cid), cid


@pytest.mark.parametrize("line, figure", [
    ("65M parameters in the base model.", "65M"),
    ("3.5 days on 8 P100 GPUs to train.", "3.5 days"),
    ("8 of 9 language modeling benchmarks.", "8 of 9"),
    ("+0.5 to +2% over ResNet baselines.", "+0.5 to +2%"),
    ("β (typically 0.1-0.5) controls the KL.", "β"),
    ("O(n) memory instead of O(n²).", "O(n)"),
    ("Zero reward models required.", "Zero"),
    ("r = 8 or 16 is the typical rank.", ""),          # a lone ASCII letter is prose
    ("Fewer parameters than before.", ""),
    ("42", ""),                                           # nothing left for the text
])
def test_split_number(line, figure):
    value = split_number(line)
    if figure:
        assert value == {"figure": figure, "text": line[len(figure) + 1:]}
    else:
        assert value == line


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_split_always_reproduces_the_line(line):
    value = split_number(line)
    full = value if isinstance(value, str) else value["figure"] + " " + value["text"]
    assert full == line


def test_split_agrees_with_most_shipped_figures():
    # Hand-chosen figures in the shipped catalog: the rule should agree on nearly all.
    cards = tomllib.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))["cards"]
    numbers = [n for c in cards for n in c["numbers"]]
    agree = sum(split_number(n if isinstance(n, str) else f"{n['figure']} {n['text']}") == n for n in numbers)
    assert len(numbers) == 17 * 3
    assert agree >= 49


def test_a_formula_in_the_title_is_not_an_acronym():
    from cardpress.grow.ids import short_name

    # `\(...\)` holds parentheses; the acronym rule reads only a real "(ViT)".
    assert short_name(r"Product Quantization with \(\ell_2\) Distances") == "product"
    assert short_name(r"Bounds for \(O(n)\) Attention (LinFormer)") == "linformer"
