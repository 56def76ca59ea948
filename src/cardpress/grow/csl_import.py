"""CSL-JSON (Zotero's "CSL JSON" export, Better BibTeX's, pandoc's) into draft entries.

CSL-JSON is JSON, so the standard library's parser reads it; what is ours is the meaning
of its fields (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html):
names are `{"family", "given", "non-dropping-particle"}` or `{"literal"}`, dates are
`{"date-parts": [[2017, 6, 12]]}` (or `raw`/`literal` text), and titles may carry the
rich-text tags `<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">`, which are dropped.
Zotero writes an arXiv preprint's id into `number` ("arXiv:1706.03762") and arXiv's DOI.
"""

from __future__ import annotations

import json
import re
from html import unescape

from cardpress.errors import CardpressError, Problem
from cardpress.grow.duplicates import bare_arxiv, bare_doi
from cardpress.grow.sources import Entry, Source, one_line, year_in

_TAG = re.compile(r"</?(?:i|b|sup|sub|sc|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(r"arXiv\s*[:.]?\s*(?P<id>\S+)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[^\s?#]+)", re.IGNORECASE)


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return one_line(unescape(_TAG.sub("", value)))


def _surname(names) -> str | None:
    if not isinstance(names, list) or not names or not isinstance(names[0], dict):
        return None
    first = names[0]
    if first.get("literal"):
        return _text(first["literal"])
    parts = [first.get("non-dropping-particle"), first.get("family")]
    return _text(" ".join(p for p in parts if isinstance(p, str) and p.strip())) or None


def _year(item: dict) -> int | None:
    for key in ("issued", "original-date", "event-date"):
        date = item.get(key)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                year = year_in(str(parts[0][0]))
                if year:
                    return year
            year = year_in(date.get("raw")) or year_in(date.get("literal"))
            if year:
                return year
        elif isinstance(date, str):  # some exporters write the date as text
            year = year_in(date)
            if year:
                return year
    return None


def _arxiv(item: dict) -> str | None:
    for key in ("number", "archive_location", "note", "container-title", "publisher"):
        value = item.get(key)
        if isinstance(value, str):
            m = _ARXIV_IN_TEXT.search(value)
            if m and bare_arxiv(m.group("id")):
                return bare_arxiv(m.group("id"))
    url = item.get("URL")
    m = _ARXIV_URL.search(url) if isinstance(url, str) else None
    if m and bare_arxiv(m.group("id")):
        return bare_arxiv(m.group("id"))
    return bare_arxiv(item.get("DOI")) if isinstance(item.get("DOI"), str) else None


def read_csl_json(text: str, file: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CardpressError(Problem(f"not JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno)) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]  # CSL-JSON wrapped the way some tools write it
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CardpressError(Problem("expected CSL-JSON: a list of items, each with a title and an author",
                                     file=file))
    entries, problems = [], []
    for n, item in enumerate(data, start=1):
        # Better BibTeX gives a citation key; Zotero's own ids are item addresses, no help to a reader.
        label = (item.get("citation-key") or item.get("id")) if isinstance(item, dict) else None
        if isinstance(label, str) and label.startswith(("http://", "https://")):
            label = None
        where = f"item {n}" + (f" `{label}`" if isinstance(label, (str, int)) and str(label).strip() else "")
        if not isinstance(item, dict):
            problems.append(Problem("is not a JSON object; not imported", file=file, item=where))
            continue
        entry = Entry(where=where, author=_surname(item.get("author") or item.get("editor")), year=_year(item),
                      title=_text(item.get("title")), arxiv=_arxiv(item), url=_text(item.get("URL")))
        doi = _text(item.get("DOI"))
        if doi:
            entry.doi = bare_doi(doi)
            if entry.doi and entry.doi.lower().startswith("10.48550/arxiv."):
                entry.doi = None  # arXiv's own DOI: the arXiv id says it
            elif entry.doi is None:
                problems.append(Problem(f"DOI `{doi}` is not a DOI (10.xxxx/...); not imported", file=file,
                                        item=where))
                continue
        if entry.url and not re.match(r"https?://\S+$", entry.url):
            entry.url = None
        missing = entry.missing_paper()
        if missing:
            why = ", ".join("no year (no `issued` date)" if m == "year" else f"no {m}" for m in missing)
            problems.append(Problem(f"{why}; not imported", file=file, item=where))
            continue
        entries.append(entry)
    return Source("CSL-JSON", "item", entries, problems, len(data))
