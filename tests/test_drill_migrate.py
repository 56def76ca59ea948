"""The drill database across versions and accidents: a schema-1 history migrated with nothing
lost (backed up first), a damaged or newer file refused and untouched, a hot journal
recovered, a locked file told apart from a damaged one, missing tables and bad values as
messages, and --plot or the fake clock failing with a message, not a traceback."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from conftest import SHIPPED_CATALOG
from drill_days import DAY0, utc  # noqa: F401  (utc is an autouse fixture)
from test_drill_store import cardpress, fsrs_reference

pexpect = pytest.importorskip("pexpect")

# cardpress 0.1's schema, as it wrote it (application id "CPDR", user_version 1).
OLD_SCHEMA = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, started REAL NOT NULL, ended REAL, round INTEGER,
    goal_seconds INTEGER, planned INTEGER NOT NULL, seed INTEGER, catalog TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE attempts (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
    card_id TEXT NOT NULL, at REAL NOT NULL, seconds REAL NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('got', 'missed')), expand_seconds REAL);
CREATE INDEX attempts_card ON attempts(card_id, at);
PRAGMA application_id = 1129333842;
PRAGMA user_version = 1;
"""
LORA, FLASH = "hu-2021-lora", "dao-2022-flashattention"
# (day, card, seconds, result): got within 30 s is Good, got over it Hard, missed Again.
OLD_ROWS = [(0, LORA, 12, "got"), (0, FLASH, 25, "missed"), (1, FLASH, 41, "got"), (3, LORA, 9, "got"),
            (3, FLASH, 14, "got"), (9, LORA, 20, "got")]
OLD_GRADES = {(12, "got"): 3, (25, "missed"): 1, (41, "got"): 2, (9, "got"): 3, (14, "got"): 3, (20, "got"): 3}


def old_db(path):
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    for day in sorted({r[0] for r in OLD_ROWS}):
        start = DAY0 + day * 86400
        sid = conn.execute("INSERT INTO sessions (started, ended, goal_seconds, planned, seed, catalog) "
                           "VALUES (?, ?, 56, 2, 1, 'cards.toml')", (start, start + 60)).lastrowid
        for k, (d, card, seconds, result) in enumerate(r for r in OLD_ROWS if r[0] == day):
            conn.execute("INSERT INTO attempts (session_id, card_id, at, seconds, result) VALUES (?, ?, ?, ?, ?)",
                         (sid, card, start + k + 1, seconds, result))
    conn.commit()
    conn.close()


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def spawn_drill(tmp_path, db, *args, now):
    clock = tmp_path / "clock"
    clock.write_text(repr(now))
    env = {**os.environ, "TZ": "UTC", "CARDPRESS_FAKE_CLOCK": str(clock), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "cardpress", "drill", "--catalog", str(SHIPPED_CATALOG),
                                           "--db", str(db), *args], env=env, encoding="utf-8",
                          dimensions=(50, 120), timeout=15)
    child.delaybeforesend = None
    return child


def test_a_schema_1_history_migrates_on_the_first_drill_with_nothing_lost(tmp_path):
    db = tmp_path / "drill.sqlite"
    old_db(db)
    original = db.read_bytes()
    old_attempts = rows(db, "SELECT id, session_id, card_id, at, seconds, result FROM attempts ORDER BY id")
    old_sessions = rows(db, "SELECT * FROM sessions ORDER BY id")

    # stats reads the old file as it is, and writes nothing
    now = DAY0 + 10 * 86400
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert db.read_bytes() == original

    child = spawn_drill(tmp_path, db, "--only", LORA, now=now)
    backup = tmp_path / "drill.sqlite.schema1-backup"
    child.expect(re.escape(f"upgraded {db} to schema 2 (FSRS grades); the old file is kept as {backup}"))
    child.expect("Card 1/1")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    # the backup holds the old rows at the old version
    assert rows(backup, "PRAGMA user_version") == [(1,)]
    assert rows(backup, "SELECT id, session_id, card_id, at, seconds, result FROM attempts ORDER BY id") == old_attempts
    # the file is at schema 2: every row kept, each with its grade
    assert rows(db, "PRAGMA user_version") == [(2,)]
    assert rows(db, "SELECT id, session_id, card_id, at, seconds, result FROM attempts ORDER BY id") == old_attempts
    assert [r[0] for r in rows(db, "SELECT grade FROM attempts ORDER BY id")] == [
        OLD_GRADES[(s, r)] for _, _, s, r in OLD_ROWS]
    assert rows(db, "SELECT * FROM sessions ORDER BY id")[:len(old_sessions)] == old_sessions

    # the replayed FSRS state is the library's for the same grades at the same times
    clock = tmp_path / "clock"
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                     env={"CARDPRESS_FAKE_CLOCK": str(clock), "TZ": "UTC"})
    today = datetime.fromtimestamp(now, timezone.utc).date()
    for card in (LORA, FLASH):
        log = [(at, OLD_GRADES[(s, r)]) for c, at, s, r in rows(
            db, "SELECT card_id, at, seconds, result FROM attempts ORDER BY at") if c == card]
        ref = fsrs_reference(log)
        line = next(l for l in proc.stdout.splitlines() if l.startswith(card)).split()
        assert line[4] == f"{ref.stability:.1f}d"
        assert line[-1] == ("now" if ref.due.date() <= today else ref.due.date().isoformat())


def test_a_damaged_schema_1_file_is_refused_untouched_and_not_backed_up(tmp_path):
    db = tmp_path / "drill.sqlite"
    old_db(db)
    data = bytearray(db.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    db.write_bytes(bytes(data))
    child = spawn_drill(tmp_path, db, now=DAY0)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and "cardpress will not write to it" in child.before
    assert "Traceback" not in child.before
    assert db.read_bytes() == bytes(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clock", "drill.sqlite"]


def test_a_newer_schema_is_refused_and_left_alone(tmp_path):
    from cardpress.drill.store import open_store

    db = tmp_path / "d.sqlite"
    open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 1 and "written by a newer cardpress (schema 3, this one knows 2)" in proc.stderr
    assert db.read_bytes() == before


def made_db(path, grades=((0, LORA, 3),)):
    from cardpress.drill.store import open_store

    store = open_store(path)
    sid = store.start_session(DAY0, None, 28, 1, None, "cards.toml")
    for day, card, grade in grades:
        store.add_attempt(sid, card, DAY0 + day * 86400 + 5, 5, grade)
    store.end_session(sid, DAY0 + 5, False)
    store.close()


KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file before the commit
conn.execute("BEGIN")
for k in range(3000):
    conn.execute("INSERT INTO attempts (session_id, card_id, at, seconds, result, grade) "
                 "VALUES (1, 'ghost', 1, 1, 'got', 3)")
conn.execute("UPDATE attempts SET card_id = 'overwritten'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_drill_killed_mid_commit_leaves_a_journal_that_the_next_run_rolls_back(tmp_path):
    db = tmp_path / "d.sqlite"
    made_db(db)
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)])
    assert proc.returncode == -signal.SIGKILL
    journal = tmp_path / "d.sqlite-journal"
    assert journal.exists() and journal.stat().st_size > 0  # hot: the file holds half a transaction
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert next(l for l in proc.stdout.splitlines() if l.startswith(LORA)).split()[1] == "1"
    assert rows(db, "SELECT card_id FROM attempts") == [(LORA,)]  # rolled back: nothing half-written


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_database_in_use_is_called_locked_not_damaged(tmp_path):
    db = tmp_path / "d.sqlite"
    made_db(db)
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    finally:
        locker.stdin.close()
        locker.wait()
    assert proc.returncode == 1
    assert "in use by another cardpress (locked)" in proc.stderr and "damaged" not in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("damage, message", [
    ("DROP TABLE attempts", "the `attempts` table is missing"),
    ("DROP TABLE settings", "the `settings` table is missing"),
    ("UPDATE attempts SET at = 'yesterday'", "`attempts` row 1 has a value of the wrong type"),
    ("UPDATE attempts SET seconds = x'00'", "`attempts` row 1 has a value of the wrong type"),
    ("UPDATE sessions SET started = NULL", None),  # NOT NULL: refused by SQLite itself, below
    ("INSERT INTO settings VALUES ('desired_retention', 'high')", "desired_retention is 'high'"),
])
def test_missing_tables_and_bad_values_are_messages(tmp_path, damage, message):
    db = tmp_path / "d.sqlite"
    made_db(db)
    conn = sqlite3.connect(db)
    try:
        conn.execute(damage)
        conn.commit()
    except sqlite3.IntegrityError:
        return  # the schema itself keeps this one out
    finally:
        conn.close()
    before = db.read_bytes()
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert message in proc.stderr and f"{db}: " in proc.stderr
    assert db.read_bytes() == before


def test_a_new_database_appears_whole_with_no_temporary_file_left(tmp_path):
    from cardpress.drill.store import open_store

    db = tmp_path / "sub" / "drill.sqlite"
    open_store(db).close()
    assert [p.name for p in db.parent.iterdir()] == ["drill.sqlite"]
    assert rows(db, "PRAGMA user_version") == [(2,)]


def test_plot_onto_a_folder_or_under_a_file_is_a_message(tmp_path):
    db = tmp_path / "d.sqlite"
    made_db(db)
    folder = tmp_path / "plot.png"
    folder.mkdir()
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(folder))
    assert proc.returncode == 1 and "this is a folder" in proc.stderr and "Traceback" not in proc.stderr
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                     "--plot", str(blocker / "p.pdf"))
    assert proc.returncode == 1 and "is a file, not a folder" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_plot_into_a_read_only_folder_is_a_message(tmp_path):
    db = tmp_path / "d.sqlite"
    made_db(db)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                         "--plot", str(ro / "p.png"))
    finally:
        ro.chmod(0o755)
    assert proc.returncode == 1 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e300"])
def test_a_fake_clock_that_is_not_a_time_is_a_message(tmp_path, text):
    db = tmp_path / "d.sqlite"
    made_db(db)
    clock = tmp_path / "clock"
    clock.write_text(text)
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                     env={"CARDPRESS_FAKE_CLOCK": str(clock)})
    assert proc.returncode == 1 and "is not a time in epoch seconds" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_creation_killed_before_its_rename_leaves_nothing_in_the_way(tmp_path):
    from cardpress.drill.store import open_store

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    leftover = tmp_path / f".drill.sqlite.{dead}.tmp"
    leftover.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)  # half a database, never renamed
    db = tmp_path / "drill.sqlite"
    open_store(db).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drill.sqlite"]
    assert rows(db, "PRAGMA user_version") == [(2,)]
