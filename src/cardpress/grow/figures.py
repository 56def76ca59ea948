"""Splitting a number line into the figure printed large and the text after it.

The shipped catalog sets each number as `{ figure = "3.5 days", text = "on 8 P100 GPUs
to train ..." }`. New cards arrive as one line of text, so the split is guessed the same
way: the leading token, plus a unit word or a second figure that reads as part of it
("3.5 days", "8 of 9", "+0.5 to +2%"). Whatever the guess, `figure + " " + text` is the
line exactly as written; a line whose first word is not a figure stays a plain string.
"""

from __future__ import annotations

import re

# Unit words that belong to the figure in front of them ("28.4 BLEU", "680k hours").
UNIT_WORDS = frozenset(
    "bleu points pts pp % x × gb tb mb kb pb gib tib mib bits bytes days day hours hour h minutes min"
    " seconds sec s ms weeks months years gpus tpus flops petaflops pf-days".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve twenty hundred thousand"
    " million billion trillion half quarter double twice".split()
)
_RANGE_WORDS = frozenset({"of", "to", "–", "-", "vs", "vs."})
_DIGIT = re.compile(r"\d")
_TRAILING_PUNCT = (",", ";", ":", ".")


def is_figure(token: str) -> bool:
    """Does this word read as a figure: '65M', '~$4.6M', 'β', 'O(n²)', 'Zero'?"""
    if not token or token.endswith(_TRAILING_PUNCT):
        return False
    if _DIGIT.search(token) or token.lower() in NUMBER_WORDS:
        return True
    if len(token) == 1:
        # A lone Greek or math symbol (β, ∞) is a figure; a lone ASCII letter ('r =') is prose.
        return not token.isascii()
    return bool(re.search(r"[()~$%<>=≈≤≥±∝]", token))


def split_number(line: str) -> dict | str:
    """The TOML value for one number line: {figure, text} or the plain string."""
    words = line.split(" ")
    if len(words) < 2 or not is_figure(words[0]):
        return line
    take = 1
    if len(words) > 2 and words[1].lower() in UNIT_WORDS:
        take = 2
    elif len(words) > 3 and words[1].lower() in _RANGE_WORDS and is_figure(words[2]):
        take = 3
    figure, text = " ".join(words[:take]), " ".join(words[take:])
    if not text.strip():
        return line
    return {"figure": figure, "text": text}
