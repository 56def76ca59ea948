r"""The shipped catalog's formulas (`\(...\)`, issue 11) and the ASCII the sources write them in.

Seed and import checks compare the catalog with its sources through `as_written`: exactly
these conversions are mapped back, so any other difference from the source still fails.
"""

AS_WRITTEN = {
    r"\(L(N, D) = E + \dfrac{A}{N^{0.34}} + \dfrac{B}{D^{0.28}}\)": "L(N, D) = E + A/N^0.34 + B/D^0.28",
    r"\(\beta\)": "β",
    r"\(r \ll \min(d, k)\)": "r << min(d, k)",
    r"\(O(n)\)": "O(n)",
}


def as_written(text: str) -> str:
    for math, ascii_ in AS_WRITTEN.items():
        text = text.replace(math, ascii_)
    return text
