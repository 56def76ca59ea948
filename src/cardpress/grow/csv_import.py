"""CSV rows into entries: the columns `export csv` writes, in any order, any letter case.

`author`, `year` and `title` are needed; `id`, `category`, `tags`, `summary`, `number1`
to `number3`, `mastered`, `status`, `doi`, `arxiv` and `url` are read when present, so a
spreadsheet of just the papers is a list of drafts. Cells written with a leading `'` to
keep a spreadsheet from running them as formulas are restored (csv_export.restored), so
`export csv` followed by `import` gives the same rows again.
"""

from __future__ import annotations

import csv
import io

from cardpress.errors import CardpressError, Problem
from cardpress.grow.csv_export import COLUMNS, restored
from cardpress.grow.sources import Entry, Source

NEEDED = ("author", "year", "title")
_TRUE, _FALSE = ("true", "yes", "1", "x"), ("false", "no", "0", "")


def read_csv(text: str, file: str) -> Source:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CardpressError(Problem(f"not CSV: {exc}", file=file, line=1)) from None
    if not header:
        return Source("CSV", "row", [], [], 0)
    names = [h.strip().lower() for h in header]
    missing = [n for n in NEEDED if n not in names]
    if missing:
        raise CardpressError(Problem(f"the header row has no {', '.join(missing)} column "
                                     f"(columns: {', '.join(COLUMNS)})", file=file, line=1))
    entries, problems, seen = [], [], 0
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(f"not CSV: {exc}; not imported", file=file, line=line))
            break
        start, line = line, reader.line_num + 1  # a quoted cell may span lines
        if not any(cell.strip() for cell in row):
            continue  # blank lines between rows, as spreadsheets leave them
        seen += 1
        cells = {name: restored(row[i]) if i < len(row) else "" for i, name in enumerate(names)}
        entry, why = _entry(cells, start)
        if entry:
            entries.append(entry)
        else:
            problems.append(Problem(f"{why}; not imported", file=file, line=start))
    return Source("CSV", "row", entries, problems, seen)


def _entry(cells: dict, line: int) -> tuple[Entry | None, str | None]:
    text = {k: v.strip() for k, v in cells.items()}
    missing = [n for n in NEEDED if not text.get(n)]
    if missing:
        return None, f"no {', '.join(missing)}"
    try:
        year = int(text["year"])
    except ValueError:
        return None, f"year `{text['year']}` is not a number"
    mastered = text.get("mastered", "").lower()
    if mastered not in _TRUE + _FALSE:
        return None, f"mastered `{text['mastered']}` is not true or false"
    status = text.get("status", "").lower()
    if status not in ("", "draft", "ready"):
        return None, f"status `{text['status']}` is not draft or ready"
    numbers = [cells[k] for k in ("number1", "number2", "number3") if text.get(k)]
    return Entry(where=f"line {line}", line=line, author=cells["author"], year=year, title=cells["title"],
                 summary=cells.get("summary") or None, numbers=numbers, category=text.get("category") or None,
                 tags=[t for t in (text.get("tags") or "").split(",") if t.strip()],
                 doi=text.get("doi") or None, arxiv=text.get("arxiv") or None, url=text.get("url") or None,
                 mastered=mastered in _TRUE, card_id=text.get("id") or None,
                 draft=True if status == "draft" else (False if status == "ready" else None)), None
