"""The one paragraph breaker: hyphenation, what spaces mean, justification's limits."""

from __future__ import annotations

import pytest

from cardpress.typeset import breaker, fonts
from cardpress.typeset.breaker import MAX_HYPHEN_RUN, MAX_SPACE, hyphenate
from cardpress.typeset.textfit import unit_width, wrap_spans

COND = fonts.COND


@pytest.mark.parametrize("word", ["hyphenation", "transformer", "representation", "interviewer",
                                  "pretraining,", "(attention)", "Contrastive", "autoregressively."])
def test_ordinary_words_break(word):
    pieces = hyphenate(word, "en")
    assert len(pieces) >= 2
    assert "".join(pieces) == word
    core = word.strip(".,()")
    # pyphen's margins: two letters before the first break, three after the last
    assert len(pieces[0].lstrip("(")) >= 2 and len(pieces[-1].rstrip(".,)")) >= 3
    assert all(p for p in pieces) and core


@pytest.mark.parametrize("word", [
    "RLHF", "FlashAttention", "InstructGPT", "GPT-3", "lora-2021", "hu-2021-lora", "kv_cache",
    "https://arxiv.org/abs/1706.03762", "arxiv.org/abs/2106.09685", "user@example.org", "400M", "12,000",
    "10,000x", "1.4T", "W_Q", "sqrt(d_k)", "token", "layer", r"\(x^2\)",
])
def test_ids_urls_numbers_acronyms_and_short_words_do_not(word):
    assert hyphenate(word, "en") == (word,)


def test_formulas_are_never_cut():
    par = breaker.paragraph([(r"the loss \(\mathcal{L}_{DPO} = -\log\sigma(\beta x)\) is minimised", COND)], "en")
    formula = [it for it in par.items if it.math is not None]
    assert len(formula) == 1  # one box, no hyphenation point inside it


def _ends(lines):
    return [ln.text.endswith(("-", breaker.SOFT_HYPHEN)) for ln in lines]


@pytest.mark.parametrize("justify", [False, True])
def test_at_most_two_hyphenated_lines_in_a_row(justify):
    text = " ".join(["internationalization representational incomprehensibility"] * 12)
    widest = max(unit_width(w, COND) for w in text.split()) * 8
    # (a column narrower than a word must end a line inside it whatever the rule says)
    for width in range(int(widest) + 1, int(widest) + 160, 7):
        ends = _ends(wrap_spans([(text, COND)], 8, width, lang="en", justify=justify))
        runs = "".join("1" if e else "0" for e in ends)
        assert "1" * (MAX_HYPHEN_RUN + 1) not in runs, (width, runs)


def test_hyphenation_only_where_a_language_is_given():
    text = "internationalization representational " * 6
    assert not any(_ends(wrap_spans([(text, COND)], 8, 70)))
    assert any(_ends(wrap_spans([(text, COND)], 8, 100, lang="en")))


@pytest.mark.parametrize("width", range(70, 250, 3))
def test_a_leading_space_inside_quotes_is_never_a_break(width):
    text = 'Spaces are encoded into tokens (" interviewer"). Then more words follow here.'
    lines = [ln.text for ln in wrap_spans([(text, COND)], 8, width)]
    assert not any(t.rstrip().endswith('("') for t in lines)
    assert '(" interviewer")' in " ".join(lines)  # the space stays, inside the quotes


@pytest.mark.parametrize("width", range(32, 200, 3))
def test_no_line_ends_in_a_list_marker(width):
    spans = [("first number text ", COND), ("▸", fonts.COND_BOLD), (" 65M", fonts.COND_BOLD),
             (" parameters in the base model", COND), (" → then", COND), (" • more", COND)]
    for justify in (False, True):
        for ln in wrap_spans(spans, 8, width, justify=justify):
            assert ln.text.rstrip()[-1:] not in breaker.MARKERS


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f"])
def test_non_breaking_and_thin_spaces_hold(space):
    text = f"a budget of 10{space}000 steps in 5{space}min " * 5
    for width in range(45, 160, 4):
        for ln in wrap_spans([(text, COND)], 8, width):
            assert not ln.text.rstrip().endswith(("10", "5")), ln.text
    one = wrap_spans([(f"5{space}min", COND)], 8, 500)[0]
    assert one.width == pytest.approx(unit_width(f"5{space}min", COND))  # at the space's own width


def _space_ratios(line, size):
    """Each inter-word gap of a line as a multiple of its font's natural space."""
    out = []
    for a, b in zip(line.segments, line.segments[1:]):
        if a.math is not None or b.math is not None or not b.text.startswith(" "):
            continue
        natural = unit_width(" ", b.font)
        gap = (b.x + natural) - (a.x + unit_width(a.text, a.font))
        out.append(gap / natural)
    return out


@pytest.mark.parametrize("width", [110, 130, 150, 170, 230])
def test_justified_lines_fill_the_width_within_the_stretch_limit(width):
    text = ("Contrastive image-text pretraining on 400M web pairs produces a vision encoder with "
            "zero-shot transfer competitive with supervised ImageNet across dozens of tasks. ") * 3
    size = 7.5
    lines = wrap_spans([(text, COND)], size, width, break_hyphens=True, lang="en", justify=True)
    assert len(lines) > 3
    for ln in lines:
        assert ln.width * size <= width + 1e-6
        for r in _space_ratios(ln, size):
            assert 0.8 - 1e-6 <= r <= MAX_SPACE + 1e-6
    # (a line that would need wider spaces than the limit ends short of the edge)
    assert _space_ratios(lines[-1], size) in ([], [1.0] * len(_space_ratios(lines[-1], size)))


@pytest.mark.parametrize("width", [150, 180, 210])
def test_plain_prose_justifies_to_the_edge(width):
    text = ("It predicts the next token from the ones before it, and that is all it does; the rest "
            "is what a large enough model must learn to do that well on a great deal of text. ") * 3
    lines = wrap_spans([(text, COND)], 7.5, width, break_hyphens=True, lang="en", justify=True)
    assert all(ln.width * 7.5 == pytest.approx(width) for ln in lines[:-1])
    assert lines[-1].width * 7.5 < width
    assert all(r == pytest.approx(1.0) for r in _space_ratios(lines[-1], 7.5))  # the last line: natural spaces


def test_optimal_uses_no_more_lines_than_greedy_plus_one():
    text = ("Attention is permutation-invariant, so a positional encoding is added: fixed sinusoidal "
            "(original); RoPE rotates Q and K by an angle proportional to position. ") * 4
    for width in range(80, 240, 10):
        greedy = wrap_spans([(text, COND)], 7, width, break_hyphens=True, lang="en")
        optimal = wrap_spans([(text, COND)], 7, width, break_hyphens=True, lang="en", justify=True)
        assert len(optimal) <= len(greedy) + 1


def _demerits_by_the_rule(run, limit, breaks):
    """The total demerits of setting `run` with lines ending at `breaks` (the last is the
    end), from the rule in breaker's docs; None when a line is too long even shrunk."""
    its = run.items
    n = len(its)
    start = next((k for k in range(n) if its[k].kind == breaker.BOX), n)
    total, hyphens = 0.0, 0
    for b in breaks:
        last = b == n or (its[b].kind == breaker.PENALTY and its[b].penalty == breaker.FORCED)
        width = sum(it.width for it in its[start:b] if it.kind != breaker.PENALTY)
        glue = sum(it.width for it in its[start:b] if it.kind == breaker.GLUE)
        flagged = b < n and its[b].flagged
        if b < n and its[b].kind == breaker.PENALTY:
            width += its[b].width
        if width > limit + breaker.EPS:
            if glue * breaker.JUSTIFY_SHRINK <= 0 or (limit - width) / (glue * breaker.JUSTIFY_SHRINK) < -1:
                return None
            ratio = (limit - width) / (glue * breaker.JUSTIFY_SHRINK)
        elif last:
            ratio = 0.0
        else:
            ratio = (limit - width) / (glue * breaker.JUSTIFY_STRETCH) if glue > 0 else 1e3
        if flagged and hyphens >= MAX_HYPHEN_RUN:
            return None
        r = min(ratio, 1e3)
        d = (10 + 100 * abs(r) ** 3) ** 2 + (breaker.LOOSE if r > breaker.MAX_RATIO else 0.0)
        if b < n and its[b].kind == breaker.PENALTY and its[b].penalty > 0:
            d += its[b].penalty ** 2
        if flagged and hyphens:
            d += 3000
        total += d
        hyphens = hyphens + 1 if flagged else 0
        start = next((k for k in range(b + 1, n) if its[k].kind == breaker.BOX), n)
    return total


def _every_setting(run):
    """Every legal sequence of breaks (a space after a word, a hyphenation point), ending at the end."""
    its = run.items
    legal = [k for k, it in enumerate(its) if (it.kind == breaker.GLUE and it.penalty != breaker.NEVER
                                               and k and its[k - 1].kind == breaker.BOX)
             or it.kind == breaker.PENALTY]
    for mask in range(1 << len(legal)):
        yield [b for j, b in enumerate(legal) if mask >> j & 1] + [len(its)]


@pytest.mark.parametrize("seed", range(12))
def test_optimal_finds_the_least_demerits_of_every_setting(seed):
    """Total fit by exhaustion, short paragraphs at widths from roomy to too narrow for any
    setting within the stretch limit (then the least loose one) or for any at all (None)."""
    import random

    rnd = random.Random(seed)
    words = ["attention", "is", "all", "you", "need", "a", "representation", "of", "tokens",
             "pretraining", "contrastive", "scaling", "laws", "for", "models", "x"]
    text = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 6)))
    run = breaker.paragraph([(text, COND)], "en", True).run
    assert sum(it.kind == breaker.PENALTY for it in run.items) + len(text.split()) <= 14
    for limit in [rnd.uniform(2, 40) for _ in range(15)]:
        costs = [c for c in (_demerits_by_the_rule(run, limit, s) for s in _every_setting(run)) if c is not None]
        found = breaker.optimal(run, limit)
        if not costs:
            assert found is None
            continue
        assert found is not None
        assert _demerits_by_the_rule(run, limit, [b for _, b in found]) == pytest.approx(min(costs), rel=1e-12)
