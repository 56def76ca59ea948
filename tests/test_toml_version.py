"""The catalog is TOML 1.1: what tomli 2.4+ reads, tomlkit keeps when `mark` edits in place."""

from __future__ import annotations

from cardpress.catalog import load_catalog_text
from cardpress.catalog.edit import mastered_text

# An inline table over several lines with a trailing comma is TOML 1.1, not 1.0.
CATALOG_1_1 = '''\
[deck]
title = "Test deck"

[[categories]]
name = "Language models"
short = "LLM"

[[cards]]
id = "vaswani-2017-attention"
author = "Vaswani"
year = 2017
title = "Attention Is All You Need"
category = "Language models"
summary = "Attention alone, no recurrence."
numbers = [
  { figure = "28.4", text = "BLEU on WMT14 En-De",
    },
  { figure = "8", text = "P100 GPUs" },
  { figure = "3.5", text = "days of training" },
]
'''


def test_a_toml_1_1_catalog_loads():
    cat = load_catalog_text(CATALOG_1_1, "cards.toml")
    assert [c.id for c in cat.cards] == ["vaswani-2017-attention"]
    assert cat.cards[0].numbers[0].figure == "28.4"


def test_mark_keeps_a_toml_1_1_catalog_byte_for_byte_but_the_one_line():
    new = mastered_text(CATALOG_1_1, "vaswani-2017-attention", True, "cards.toml")
    added = [line for line in new.splitlines() if line not in CATALOG_1_1.splitlines()]
    assert added == ["mastered = true"]
    assert new.replace("mastered = true\n", "", 1) == CATALOG_1_1
