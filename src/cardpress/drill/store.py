"""The drill memory: every session and every graded attempt, in one SQLite file.

The file is marked with an application id and a schema version, so a file that belongs
to something else (or is damaged, or is in use) is refused, with the reason, before
anything is written to it. Schema 1 (cardpress 0.1: got/missed) is migrated to schema 2
(FSRS grades 1-4) the first time a drill opens it for writing, after a backup copy.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cardpress.drill.schedule import DEFAULT_RETENTION, Attempt, legacy_grade
from cardpress.errors import CardpressError, Problem

APPLICATION_ID = 0x43504452  # "CPDR": cardpress drill
SCHEMA_VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_SECONDS = 2.0  # how long to wait for another cardpress's write before calling the file in use

SCHEMA_1 = """
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
# Schema 2 adds the FSRS grade (1 Again, 2 Hard, 3 Good, 4 Easy; `result` stays, missed =
# Again, so a reader of schema 1 still makes sense of the rows), whether the clock ran
# out, and settings (the desired retention) shared by drill, stats, list and deck --due.
UPGRADE_2 = """
ALTER TABLE attempts ADD COLUMN grade INTEGER CHECK (grade BETWEEN 1 AND 4);
ALTER TABLE attempts ADD COLUMN over INTEGER NOT NULL DEFAULT 0;
CREATE TABLE settings (key TEXT PRIMARY KEY, value);
"""
COLUMNS = {
    "sessions": {"id", "started", "ended", "round", "goal_seconds", "planned", "seed", "catalog", "interrupted"},
    "attempts": {"id", "session_id", "card_id", "at", "seconds", "result", "expand_seconds"},
}
COLUMNS_2 = {"attempts": {"grade", "over"}, "settings": {"key", "value"}}
# Rows whose values cardpress could not use: (table, SQL condition) -> a message, not a traceback.
TYPE_CHECKS = [
    ("sessions", "typeof(started) NOT IN ('integer', 'real') OR typeof(planned) != 'integer' "
                 "OR (ended IS NOT NULL AND typeof(ended) NOT IN ('integer', 'real')) "
                 "OR (goal_seconds IS NOT NULL AND typeof(goal_seconds) NOT IN ('integer', 'real'))"),
    ("attempts", "typeof(card_id) != 'text' OR typeof(at) NOT IN ('integer', 'real') "
                 "OR typeof(seconds) NOT IN ('integer', 'real') OR result NOT IN ('got', 'missed')"),
]
TYPE_CHECKS_2 = [("attempts", "grade IS NOT NULL AND grade NOT IN (1, 2, 3, 4)")]


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
    def __init__(self, conn: sqlite3.Connection, path: Path, version: int = SCHEMA_VERSION):
        self.conn = conn
        self.path = path
        self.version = version

    def close(self) -> None:
        self.conn.close()

    def start_session(self, started: float, round_: int | None, goal_seconds: int | None, planned: int,
                      seed: int | None, catalog: str) -> int:
        with self._writing():
            cur = self.conn.execute(
                "INSERT INTO sessions (started, round, goal_seconds, planned, seed, catalog) VALUES (?, ?, ?, ?, ?, ?)",
                (started, round_, goal_seconds, planned, seed, catalog))
        return cur.lastrowid

    def add_attempt(self, session_id: int, card_id: str, at: float, seconds: float, grade: int,
                    expand_seconds: float | None = None, over: bool = False) -> int:
        """One graded card; its row id (for undo). Committed at once, so an interrupted
        session keeps every card already graded."""
        result = "missed" if grade == 1 else "got"
        with self._writing():
            cur = self.conn.execute(
                "INSERT INTO attempts (session_id, card_id, at, seconds, result, expand_seconds, grade, over) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, card_id, at, seconds, result, expand_seconds, grade, int(over)))
        return cur.lastrowid

    def remove_attempt(self, attempt_id: int) -> None:
        """Undo: the row goes, and with it the grade's effect (the schedule is replayed)."""
        with self._writing():
            self.conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))

    def end_session(self, session_id: int, ended: float, interrupted: bool) -> None:
        with self._writing():
            self.conn.execute("UPDATE sessions SET ended = ?, interrupted = ? WHERE id = ?",
                              (ended, int(interrupted), session_id))

    def attempts(self, card_id: str | None = None) -> list[Attempt]:
        extra = ", grade, over" if self.version >= 2 else ", NULL, 0"
        where = "" if card_id is None else " WHERE card_id = ?"
        rows = self._read(f"SELECT card_id, at, seconds, result, session_id{extra} FROM attempts{where} ORDER BY at, id",
                          () if card_id is None else (card_id,))
        return [Attempt(r[0], r[1], r[2], r[3], r[4], r[5] if r[5] is not None else legacy_grade(r[3], r[2]),
                        bool(r[6])) for r in rows]

    def sessions(self) -> list[Session]:
        rows = self._read(
            "SELECT s.id, s.started, s.ended, s.round, s.goal_seconds, s.planned, s.interrupted, "
            "COUNT(a.id), COALESCE(SUM(a.result = 'missed'), 0) "
            "FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id GROUP BY s.id ORDER BY s.started, s.id")
        return [Session(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in rows]

    def retention(self) -> float:
        if self.version < 2:
            return DEFAULT_RETENTION
        row = self._read("SELECT value FROM settings WHERE key = 'desired_retention'")
        if not row:
            return DEFAULT_RETENTION
        value = row[0][0]
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise _refuse(self.path, f"a damaged drill database (desired_retention is {value!r})")
        return float(value)

    def set_retention(self, value: float) -> None:
        with self._writing():
            self.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('desired_retention', ?)", (value,))

    def _read(self, sql: str, args=()):
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc, "read") from None

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
            raise _sqlite_problem(self.store.path, exc, "write") from None
        return False


def _locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _sqlite_problem(path: Path, exc: sqlite3.Error, doing: str) -> CardpressError:
    if _locked(exc):
        return CardpressError(Problem("the drill database is in use by another cardpress (locked); "
                                      "finish that drill first", file=str(path)))
    return CardpressError(Problem(f"drill database: cannot {doing} ({exc})", file=str(path)))


def default_path(catalog: Path) -> Path:
    return Path(catalog).parent / ".cardpress" / "drill.sqlite"


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.schema{version}-backup")


def open_store(path: Path, create: bool = True, write: bool = True) -> Store | None:
    """Open (or create) the drill database; a foreign, damaged or newer file is refused, never touched.

    Returns None when the file does not exist and `create` is false. With `write`, a
    schema-1 file is migrated first (backed up beside it); without, it is read as it is.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        return _open_existing(path, write)
    if not create:
        return None
    _create(path)
    return _open_existing(path, write)


def _create(path: Path) -> None:
    """Build the new file under a temporary name and link it into place: a kill leaves no
    half-made database that later runs would refuse as damaged (issue 18, D6)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path)
        if tmp.exists():
            tmp.unlink()
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(SCHEMA_1 + UPGRADE_2 + f"PRAGMA application_id = {APPLICATION_ID}; "
                               f"PRAGMA user_version = {SCHEMA_VERSION};")
            conn.commit()
        finally:
            conn.close()
        try:
            os.link(tmp, path)  # never over a file another run created meanwhile
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise CardpressError(Problem(f"cannot create the drill database: {getattr(exc, 'strerror', None) or exc}",
                                     file=str(path))) from None
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


def _sweep(path: Path) -> None:
    """Remove the temporary files of creations killed before their rename (their pid is gone)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 2:-len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            try:
                leftover.unlink()
            except OSError:
                pass
        except OSError:
            pass  # alive, under another user: not ours to touch


def _refuse(path: Path, why: str) -> CardpressError:
    return CardpressError(Problem(f"{why}; cardpress will not write to it", file=str(path)),
                          hint="Move it aside, or point --db at another file.")


def _open_existing(path: Path, write: bool) -> Store:
    if path.is_symlink() or not path.is_file():
        raise _refuse(path, "not a file" if not path.is_symlink() else "a symbolic link")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CardpressError(Problem(f"cannot read the drill database: {exc.strerror}", file=str(path))) from None
    if head != SQLITE_MAGIC:
        raise _refuse(path, "not a cardpress drill database (not an SQLite file)")
    # Read-write from the start: a hot journal left by a killed drill is rolled back by
    # SQLite on the first read, which a read-only connection cannot do (issue 18, D6).
    # Nothing is written before the file has proved to be ours.
    try:
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise _refuse(path, f"cannot open it ({exc})") from None
    try:
        version = _check(conn, path)
        store = Store(conn, path, version)
        if write and version < SCHEMA_VERSION:
            migrate(store)
        return store
    except BaseException:
        conn.close()
        raise


def _check(conn: sqlite3.Connection, path: Path) -> int:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        if _locked(exc):
            raise _sqlite_problem(path, exc, "read") from None
        raise _refuse(path, f"a damaged SQLite file ({exc})") from None
    if app_id != APPLICATION_ID:
        raise _refuse(path, f"an SQLite database of another program (application_id {app_id:#x}, "
                            f"cardpress uses {APPLICATION_ID:#x})")
    if version > SCHEMA_VERSION:
        raise _refuse(path, f"written by a newer cardpress (schema {version}, this one knows {SCHEMA_VERSION})")
    if version < 1:
        raise _refuse(path, f"a damaged drill database (schema version {version})")
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise _refuse(path, f"a damaged drill database (integrity check: {check})")
        wanted = dict(COLUMNS)
        if version >= 2:
            wanted = {t: COLUMNS.get(t, set()) | COLUMNS_2.get(t, set()) for t in {*COLUMNS, *COLUMNS_2}}
        for table, columns in sorted(wanted.items()):
            have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if not have:
                raise _refuse(path, f"a damaged drill database (the `{table}` table is missing)")
            if columns - have:
                raise _refuse(path, f"a damaged drill database (`{table}` lacks {', '.join(sorted(columns - have))})")
        for table, bad in TYPE_CHECKS + (TYPE_CHECKS_2 if version >= 2 else []):
            row = conn.execute(f"SELECT id FROM {table} WHERE {bad} LIMIT 1").fetchone()
            if row:
                raise _refuse(path, f"a damaged drill database (`{table}` row {row[0]} has a value of the wrong type)")
        for (value,) in conn.execute("SELECT at FROM attempts WHERE NOT at BETWEEN -1e11 AND 1e11 LIMIT 1"):
            raise _refuse(path, f"a damaged drill database (an attempt at time {value})")
    except sqlite3.Error as exc:
        if _locked(exc):
            raise _sqlite_problem(path, exc, "read") from None
        raise _refuse(path, f"a damaged SQLite file ({exc})") from None
    return version


def migrate(store: Store) -> Path:
    """Schema 1 -> 2: copy the file aside, then in one transaction add the grade column,
    fill it from got/missed and the seconds (the FSRS state is replayed from these grades),
    and raise the version. A failure leaves the file at schema 1 and the copy beside it."""
    path, conn = store.path, store.conn
    backup = backup_path(path, store.version)
    tmp = backup.with_name(f".{backup.name}.{os.getpid()}.tmp")
    try:
        dest = sqlite3.connect(tmp)
        try:
            conn.backup(dest)  # a consistent copy, even of a file another process just wrote
        finally:
            dest.close()
        if not backup.exists():
            os.replace(tmp, backup)
    except (OSError, sqlite3.Error) as exc:
        raise CardpressError(Problem(f"cannot back up the drill database before upgrading it to schema "
                                     f"{SCHEMA_VERSION}: {getattr(exc, 'strerror', None) or exc}", file=str(path)),
                             hint="It was left as it is; free the folder (or make it writable) and run again.") from None
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    before = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    try:
        conn.isolation_level = None  # ALTER TABLE inside one explicit transaction
        conn.execute("BEGIN IMMEDIATE")
        for stmt in UPGRADE_2.strip().split(";"):
            if stmt.strip():
                conn.execute(stmt)
        rows = conn.execute("SELECT id, result, seconds FROM attempts").fetchall()
        conn.executemany("UPDATE attempts SET grade = ?, over = ? WHERE id = ?",
                         [(legacy_grade(r, s), int(s > 30), i) for i, r, s in rows])
        after = conn.execute("SELECT COUNT(*) FROM attempts WHERE grade IS NOT NULL").fetchone()[0]
        if after != before:
            raise sqlite3.DatabaseError(f"{after} of {before} attempts graded")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK") if conn.in_transaction else None
        raise _sqlite_problem(path, exc, f"upgrade it to schema {SCHEMA_VERSION}") from None
    finally:
        conn.isolation_level = ""
    store.version = SCHEMA_VERSION
    return backup


def read_history(path: Path):
    """(attempts by card, desired retention) from the file, read only; None when there is none."""
    from cardpress.drill.schedule import by_card

    store = open_store(path, create=False, write=False)
    if store is None:
        return None
    try:
        return by_card(store.attempts()), store.retention()
    finally:
        store.close()
