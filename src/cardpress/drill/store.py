"""The drill memory: every session and every attempt, in one SQLite file.

The file is marked with an application id and a schema version, so a file that belongs
to something else (or is damaged) is refused before anything is written to it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cardpress.drill.schedule import Attempt
from cardpress.errors import CardpressError, Problem

APPLICATION_ID = 0x43504452  # "CPDR": cardpress drill
SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,           -- epoch seconds
    ended REAL,                      -- NULL until the session ends
    round INTEGER,                   -- 1, 2, 3 or NULL for the plain drill
    goal_seconds INTEGER,            -- the session's time goal; NULL for round 1
    planned INTEGER NOT NULL,        -- cards chosen for the session
    seed INTEGER,
    catalog TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    card_id TEXT NOT NULL,           -- kept even after the card leaves the catalog
    at REAL NOT NULL,                -- epoch seconds when the card was graded
    seconds REAL NOT NULL,           -- time to recite, front shown to back shown
    result TEXT NOT NULL CHECK (result IN ('got', 'missed')),
    expand_seconds REAL              -- round 3's unscripted 30 s, when it ran
);
CREATE INDEX attempts_card ON attempts(card_id, at);
"""


@dataclass(frozen=True)
class Session:
    id: int
    started: float
    ended: float | None
    round: int | None
    goal_seconds: int | None
    planned: int
    interrupted: bool
    answered: int
    misses: int


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    def start_session(self, started: float, round_: int | None, goal_seconds: int | None, planned: int,
                      seed: int | None, catalog: str) -> int:
        with self._writing():
            cur = self.conn.execute(
                "INSERT INTO sessions (started, round, goal_seconds, planned, seed, catalog) VALUES (?, ?, ?, ?, ?, ?)",
                (started, round_, goal_seconds, planned, seed, catalog))
        return cur.lastrowid

    def add_attempt(self, session_id: int, card_id: str, at: float, seconds: float, result: str,
                    expand_seconds: float | None = None) -> None:
        # Committed one by one, so an interrupted session keeps every card already graded.
        with self._writing():
            self.conn.execute(
                "INSERT INTO attempts (session_id, card_id, at, seconds, result, expand_seconds) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, card_id, at, seconds, result, expand_seconds))

    def end_session(self, session_id: int, ended: float, interrupted: bool) -> None:
        with self._writing():
            self.conn.execute("UPDATE sessions SET ended = ?, interrupted = ? WHERE id = ?",
                              (ended, int(interrupted), session_id))

    def attempts(self) -> list[Attempt]:
        rows = self.conn.execute("SELECT card_id, at, seconds, result, session_id FROM attempts ORDER BY at, id")
        return [Attempt(*r) for r in rows]

    def sessions(self) -> list[Session]:
        rows = self.conn.execute(
            "SELECT s.id, s.started, s.ended, s.round, s.goal_seconds, s.planned, s.interrupted, "
            "COUNT(a.id), COALESCE(SUM(a.result = 'missed'), 0) "
            "FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id GROUP BY s.id ORDER BY s.started, s.id")
        return [Session(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in rows]

    def _writing(self):
        return _Guard(self)


class _Guard:
    """A transaction whose SQLite errors become a CardpressError naming the file."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self):
        self.store.conn.__enter__()

    def __exit__(self, kind, exc, tb):
        self.store.conn.__exit__(kind, exc, tb)
        if isinstance(exc, sqlite3.Error):
            raise CardpressError(Problem(f"drill database: cannot write ({exc})", file=str(self.store.path))) from None
        return False


def default_path(catalog: Path) -> Path:
    return Path(catalog).parent / ".cardpress" / "drill.sqlite"


def open_store(path: Path, create: bool = True) -> Store | None:
    """Open (or create) the drill database; a foreign or damaged file is refused, never touched.

    Returns None when the file does not exist and `create` is false.
    """
    path = Path(path)
    if path.exists():
        return _open_existing(path)
    if not create:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path)
        conn.executescript(SCHEMA + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};")
        conn.commit()
    except (OSError, sqlite3.Error) as exc:
        raise CardpressError(Problem(f"cannot create the drill database: {exc}", file=str(path))) from None
    return Store(conn, path)


def _refuse(path: Path, why: str) -> CardpressError:
    return CardpressError(Problem(f"{why}; cardpress will not write to it", file=str(path)),
                          hint="Move it aside, or point --db at another file.")


def _open_existing(path: Path) -> Store:
    if not path.is_file():
        raise _refuse(path, "not a file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CardpressError(Problem(f"cannot read the drill database: {exc.strerror}", file=str(path))) from None
    if head != SQLITE_MAGIC:
        raise _refuse(path, "not a cardpress drill database (not an SQLite file)")
    try:
        # Read-only until the file has proved to be ours.
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            check = probe.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise _refuse(path, f"a damaged SQLite file ({exc})") from None
    if app_id != APPLICATION_ID:
        raise _refuse(path, f"an SQLite database of another program (application_id {app_id:#x}, "
                            f"cardpress uses {APPLICATION_ID:#x})")
    if version > SCHEMA_VERSION:
        raise _refuse(path, f"written by a newer cardpress (schema {version}, this one knows {SCHEMA_VERSION})")
    if check != "ok":
        raise _refuse(path, f"a damaged drill database (integrity check: {check})")
    return Store(sqlite3.connect(path), path)
