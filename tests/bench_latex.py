"""The LaTeX side of the benchmark (not a test): the same cards as a `flashcards` document.

Why `flashcards` with a custom `letter4up.cfg`: it is the stock LaTeX class for duplex
index cards (texlive-latex-extra), and its configuration files only set paper, grid and
offsets, so a four-line .cfg gives exactly cardpress's letter-4up sheet: landscape Letter,
2 x 2 cards of 5 x 3 in, centred (0.5 in side margins, 1.25 in top). The shipped
`avery5388` is 3-up portrait and would make LaTeX do a quarter fewer sheets. `grid` draws
each card's outline, standing in for cardpress's cut marks.

Each card: the front carries "Author Year", the title (large, bold) and the category; the
back the summary and the three numbers, each figure in bold. No fitting: LaTeX sets the
text at fixed sizes, which is what a hand-written flashcards file does.
"""

from __future__ import annotations

LETTER_4UP_CFG = r"""\newcommand{\cardpapermode}{landscape}
\newcommand{\cardpaper}{letterpaper}
\newcommand{\cardrows}{2}
\newcommand{\cardcolumns}{2}
\setlength{\cardheight}{3.0in}
\setlength{\cardwidth}{5.0in}
\setlength{\topoffset}{1.25in}
\setlength{\oddoffset}{0.5in}
\setlength{\evenoffset}{0.5in}
"""

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}

# Symbols pdflatex's default fonts lack as text; math mode has them.
_MATH = {"β": r"\beta", "→": r"\rightarrow", "≈": r"\approx", "∝": r"\propto", "×": r"\times",
         "α": r"\alpha", "γ": r"\gamma", "δ": r"\delta", "λ": r"\lambda", "θ": r"\theta", "σ": r"\sigma",
         "≤": r"\leq", "≥": r"\geq", "≪": r"\ll", "≫": r"\gg", "√": r"\surd", "∼": r"\sim",
         "·": r"\cdot", "−": "-", "±": r"\pm", "∞": r"\infty", "ε": r"\epsilon", "μ": r"\mu"}


def escape(text: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _unicode_declarations(chars: set[str]) -> str:
    """Every non-ASCII character of the cards declared once, so pdflatex never stops on one."""
    lines = []
    for ch in sorted(c for c in chars if ord(c) > 127):
        if ch in _MATH:
            body = f"\\ensuremath{{{_MATH[ch]}}}"
        elif ch == "²":
            body = r"\textsuperscript{2}"
        elif ch in "—–":
            body = "---" if ch == "—" else "--"
        elif ch in "‘’":
            body = "'"
        elif ch in "“”":
            body = '"'
        else:
            body = "?"
        lines.append(f"\\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{{body}}}")
    return "\n".join(lines)


def flashcards_tex(data: dict) -> str:
    """A complete flashcards document for the catalog data (as tomllib returns it)."""
    cards = data["cards"]
    chars: set[str] = set()
    body = []
    for card in cards:
        numbers = []
        for n in card["numbers"]:
            fig, text = ("", n) if isinstance(n, str) else (n.get("figure", ""), n["text"])
            numbers.append(f"\\item {{\\bfseries\\large {escape(fig)}}} {escape(text)}" if fig
                           else f"\\item {escape(text)}")
        for s in (card["author"], card["title"], card["summary"], card.get("category", ""),
                  *(n if isinstance(n, str) else n.get("figure", "") + n["text"] for n in card["numbers"])):
            chars.update(s)
        body.append(
            f"\\begin{{flashcard}}[{escape(card.get('category', ''))}]"
            f"{{{{\\small {escape(card['author'])} {card['year']}}}\\\\[2ex]"
            f"{{\\Large\\bfseries {escape(card['title'])}}}}}\n"
            f"{{\\footnotesize {escape(card['summary'])}\n"
            "\\begin{itemize}\\itemsep0pt\n" + "\n".join(numbers) + "\n\\end{itemize}}\n"
            "\\end{flashcard}\n")
    return ("\\documentclass[letter4up,grid]{flashcards}\n"
            "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\usepackage[utf8]{inputenc}\n"
            + _unicode_declarations(chars) + "\n"
            "\\cardfrontstyle[\\raggedright]{headings}\n"
            "\\begin{document}\n" + "".join(body) + "\\end{document}\n")
