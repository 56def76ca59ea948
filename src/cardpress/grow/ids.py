"""Card ids derived from author, year and title: `vaswani-2017-attention`.

An id is what a person types after `--only` and what Anki keys review history on, so it
is short, ASCII, stable, and never reused: a collision gets `-2`, `-3`, ...
"""

from __future__ import annotations

import re
import unicodedata

# Words that never name a paper; the first word that is not one of these does.
_MINOR_WORDS = frozenset(
    "a an the and or of on in for to with by at from via is are be as its into towards toward"
    " we our your do does what why how when".split()
)
_PARENS = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
_VERSION = re.compile(r"^\d+$")
_FORMULA = re.compile(r"\\\(.*?\\\)", re.DOTALL)


# Letters NFKD cannot decompose; spelled the way people write them in ASCII.
_NO_DECOMPOSITION = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                                   "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i", "œ": "oe", "Œ": "Oe"})


def ascii_fold(text: str) -> str:
    """'Schölkopf' -> 'Scholkopf': decompose accents, drop what ASCII cannot hold."""
    text = text.translate(_NO_DECOMPOSITION)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str) -> str:
    """Lower-case a-z/0-9 runs joined by single hyphens ('GPT-2' -> 'gpt-2')."""
    return "-".join(re.findall(r"[a-z0-9]+", ascii_fold(text).lower()))


def _compact(text: str) -> str:
    """An acronym or name as one slug word: 'GPT-2' -> 'gpt2', 'vLLM' -> 'vllm'."""
    return slugify(text).replace("-", "")


def short_name(title: str) -> str:
    """The word a person would call the paper by.

    A parenthesised acronym wins ("... Learners (GPT-2)" -> "gpt2"); otherwise the first
    word that is not a minor word ("Attention Is All You Need" -> "attention"), joined
    with a bare version number that follows it ("Llama 2" -> "llama2").
    """
    # A formula's \( \) are not an acronym's parentheses ("... with \(\ell_2\) Distances").
    title = _FORMULA.sub(" ", title)
    for inner in reversed(_PARENS.findall(title)):
        name = _compact(inner)
        if name:
            return name
    words = _WORD.findall(ascii_fold(_PARENS.sub(" ", title)))
    for i, word in enumerate(words):
        if word.lower() in _MINOR_WORDS:
            continue
        name = _compact(word)
        if i + 1 < len(words) and _VERSION.match(words[i + 1]):
            name += words[i + 1]
        return name
    return _compact(title) or "paper"


def base_id(author: str, year: int | str, title: str) -> str:
    """`<author>-<year>-<short name>`, before any collision suffix."""
    return "-".join(p for p in (slugify(author), str(year).strip(), short_name(title)) if p)


def unique_id(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is first not in `taken`."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def derive_id(author: str, year: int | str, title: str, taken=()) -> str:
    return unique_id(base_id(author, year, title), taken)
