"""BibTeX and BibLaTeX files (.bib) into draft entries, through bibtexparser.

bibtexparser (v2) reads the syntax: `@string` macros, nested braces, quoted values,
comments, and an entry it cannot read is reported alone while the rest still come in.
The title and the names are then turned from LaTeX into text by pylatexenc (as
bibtexparser's own LaTeX middleware does, but only for the fields read, and never for a
DOI or URL, whose `%` and `~` are not LaTeX): `Sch{\\"o}lkopf`, `\\'Etienne` and `--` become
text and protecting braces go, so `{BERT}` stays BERT. Names are split by bibtexparser
("van der Maaten, Laurens" -> von "van der", last "Maaten"); the first author's von and
last parts are the card's author, as a person would say it.

Only the paper comes in (title, first author's surname, year, DOI, arXiv id, URL): a .bib
has no summary or numbers, so every entry is a draft.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from cardpress.errors import Problem
from cardpress.grow.duplicates import bare_arxiv, bare_doi
from cardpress.grow.sources import Entry, Source, dollar_math, one_line, year_in

_ARXIV_IN_TEXT = re.compile(r"arXiv\s*[:.]?\s*(?P<id>[0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7})",
                            re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[^\s?#]+)", re.IGNORECASE)


# Only text that can hold LaTeX is decoded: pylatexenc costs ~1 ms a field, and a DOI or
# an address must stay as written (`%` is a comment to LaTeX and `~` a space).
_LATEX = re.compile(r"[\\{}~$%]|--|``|''")


@cache
def _decoder():
    from pylatexenc.latex2text import LatexNodes2Text
    from pylatexenc.latexwalker import get_default_latex_context_db

    # As bibtexparser's LatexDecodingMiddleware sets it: braces dropped, $...$ kept as
    # written. The parser's macro table is built once, not once per field (a third of the time).
    return LatexNodes2Text(keep_braced_groups=False, math_mode="verbatim"), get_default_latex_context_db()


def _latex_text(text: str) -> str:
    if not _LATEX.search(text):
        return text
    decoder, context = _decoder()
    return decoder.latex_to_text(text, latex_context=context)


def _first_author(value) -> str | None:
    """The first author's surname (von part kept: "van der Maaten"), LaTeX made text."""
    names = value if isinstance(value, list) else None
    if not names:
        return None
    first = names[0]
    parts = getattr(first, "von", []) + getattr(first, "last", [])
    surname = one_line(_latex_text(" ".join(parts))) if parts else None
    if surname and surname.casefold() == "others":
        return None
    return surname


def _arxiv(fields: dict) -> str | None:
    """An arXiv id from wherever .bib files keep it: eprint, a journal note, the URL or the DOI."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    eprint = fields.get("eprint")
    if eprint and (prefix == "arxiv" or not prefix):
        found = bare_arxiv(eprint)
        if found:
            return found
    for key in ("journal", "journaltitle", "howpublished", "note", "publisher", "booktitle"):
        m = _ARXIV_IN_TEXT.search(fields.get(key) or "")
        if m:
            return bare_arxiv(m.group("id"))
    m = _ARXIV_URL.search(fields.get("url") or "")
    if m and bare_arxiv(m.group("id")):
        return bare_arxiv(m.group("id"))
    return bare_arxiv(fields.get("doi"))


def read_bibtex(text: str, file: str) -> Source:
    import bibtexparser
    from bibtexparser import middlewares as mw
    from bibtexparser.model import DuplicateBlockKeyBlock

    # bibtexparser logs each entry it cannot read as a warning; we report them ourselves,
    # with the file name and the entry's line, so its own log is held back meanwhile.
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text, append_middleware=[
            mw.NormalizeFieldKeys(), mw.SeparateCoAuthors(), mw.SplitNameParts()])
    finally:
        log.setLevel(level)
    problems: list[Problem] = []
    entries: list[Entry] = []
    first_of_key: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1  # bibtexparser counts from 0
        if isinstance(block, DuplicateBlockKeyBlock):
            earlier = first_of_key.get(block.key)
            where = f" (line {earlier})" if earlier else ""
            problems.append(Problem(f"entry `{block.key}`: the key is used twice{where}; not imported",
                                    file=file, line=line))
        elif hasattr(block, "error"):  # a ParsingFailedBlock: the syntax broke here
            reason = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            reason = " ".join(reason.split()).rstrip(".")
            problems.append(Problem(f"this entry cannot be read: {reason}; not imported", file=file, line=line))
        elif hasattr(block, "fields_dict"):
            first_of_key.setdefault(block.key, line)
            entry, problem = _entry(block, line, file)
            if entry:
                entries.append(entry)
            else:
                problems.append(problem)
    seen = len(entries) + len(problems)
    return Source("BibTeX", "entry", entries, problems, seen)


def _entry(block, line: int, file: str) -> tuple[Entry | None, Problem | None]:
    fields = {k: v.value for k, v in block.fields_dict.items()}
    where = f"line {line} `{block.key}`"
    text = {k: v for k, v in fields.items() if isinstance(v, str)}
    entry = Entry(where=where, line=line,
                  author=_first_author(fields.get("author") or fields.get("editor")),
                  year=year_in(text.get("year")) or year_in(text.get("date")),
                  title=dollar_math(one_line(_latex_text(text["title"]))) if text.get("title") else None,
                  arxiv=_arxiv(text),
                  url=one_line(text.get("url")))
    raw_doi = one_line(text.get("doi"))
    if raw_doi:
        entry.doi = bare_doi(raw_doi)
        if entry.doi is None and not bare_arxiv(raw_doi):
            return None, Problem(f"entry `{block.key}`: doi `{raw_doi}` is not a DOI (10.xxxx/...); not imported",
                                 file=file, line=line)
        if entry.doi and entry.doi.lower().startswith("10.48550/arxiv."):
            entry.doi = None  # arXiv's own DOI: the arXiv id says it
    if entry.url and not re.match(r"https?://\S+$", entry.url):
        entry.url = None  # a relative or local path is no address to print
    missing = entry.missing_paper()
    if missing:
        why = ", ".join("no year (give `year` or `date`)" if m == "year" else f"no {m}" for m in missing)
        return None, Problem(f"entry `{block.key}`: {why}; not imported", file=file, line=line)
    return entry, None
