"""The drill database: refused when foreign or damaged (and never touched), the stats table, the plot."""

from __future__ import annotations

import sqlite3
import struct
import subprocess
import sys

import pytest

from conftest import SHIPPED_CATALOG
from cardpress.drill.store import open_store
from drill_days import DAY0, utc  # noqa: F401  (utc is an autouse fixture)


def cardpress(*args, env=None):
    """The command in-process (its stdin is not a terminal); `returncode`, `stdout`, `stderr`."""
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from cardpress.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def fsrs_reference(log, retention=0.9):
    """The fsrs library's own card after [(epoch seconds, grade)], with cardpress's documented settings."""
    from datetime import datetime, timezone

    from fsrs import Card, Rating, Scheduler

    sched = Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=datetime.fromtimestamp(log[0][0], timezone.utc))
    for t, g in log:
        card, _ = sched.review_card(card, Rating(g), datetime.fromtimestamp(t, timezone.utc))
    return card


def cardpress_process(*args):
    return subprocess.run([sys.executable, "-m", "cardpress", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


def corrupt_sqlite(path):
    """A real drill database with its page contents overwritten after the header."""
    open_store(path).close()
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    path.write_bytes(bytes(data))


BAD = {
    "text file": lambda p: p.write_text("these are my notes\n"),
    "another program's SQLite": foreign_sqlite,
    "damaged": corrupt_sqlite,
}


@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("command", [["drill"], ["drill", "stats"]])
def test_a_foreign_or_damaged_database_is_refused_and_left_byte_for_byte(tmp_path, kind, command):
    db = tmp_path / "drill.sqlite"
    BAD[kind](db)
    before = db.read_bytes()
    proc = cardpress(*command, "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 1
    assert f"{db}: " in proc.stderr and "cardpress will not write to it" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert db.read_bytes() == before


def test_a_database_from_another_program_names_its_application_id(tmp_path):
    db = tmp_path / "x.sqlite"
    foreign_sqlite(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 1 and "another program (application_id 0x4d2" in proc.stderr


def test_the_file_carries_the_application_id_and_schema_version(tmp_path):
    db = tmp_path / "d.sqlite"
    open_store(db).close()
    header = db.read_bytes()[:100]
    # SQLite's header: user_version at offset 60, application_id at offset 68 (big-endian).
    assert struct.unpack(">I", header[60:64])[0] == 2
    assert header[68:72] == b"CPDR"


def test_no_terminal_is_a_clear_error_and_creates_no_database(tmp_path):
    db = tmp_path / ".cardpress" / "drill.sqlite"
    proc = cardpress_process("drill", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 1
    assert "`cardpress drill` needs a terminal to read key presses, and stdin is not one" in proc.stderr and "Traceback" not in proc.stderr
    assert not db.exists() and not db.parent.exists()


def history(db, sessions):
    """sessions: (day, [(card_id, seconds, result)], total_seconds, planned, goal) -> a database."""
    store = open_store(db)
    for day, answers, total, planned, goal in sessions:
        start = DAY0 + day * 86400
        sid = store.start_session(start, None, goal, planned, 1, "cards.toml")
        for k, (cid, seconds, result) in enumerate(answers):
            grade = 1 if result == "missed" else 3 if seconds <= 30 else 2
            store.add_attempt(sid, cid, start + k + 1, seconds, grade, over=seconds > 30)
        store.end_session(sid, start + total, False)
    store.close()


def test_stats_per_card_and_a_removed_card_noted_with_its_history_kept(tmp_path):
    db = tmp_path / "d.sqlite"
    history(db, [
        (0, [("hu-2021-lora", 12, "got"), ("gone-2020-card", 5, "got")], 60, 2, 56),
        (1, [("hu-2021-lora", 41, "got")], 45, 1, 28),
        (2, [("hu-2021-lora", 20, "missed")], 30, 1, 28),
    ])
    clock = tmp_path / "clock"
    clock.write_text(str(DAY0 + 2 * 86400 + 3600))
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                     env={"CARDPRESS_FAKE_CLOCK": str(clock)})
    assert proc.returncode == 0, proc.stderr
    assert "1 card in the drill history is not in" in proc.stderr and "gone-2020-card" in proc.stderr
    row = next(l for l in proc.stdout.splitlines() if l.startswith("hu-2021-lora"))
    # reviews 3, Agains 1, median of 12, 41, 20 is 20; Good, Hard (41 s is over), Again; last seen day 2 09:00:01
    ref = fsrs_reference([(DAY0 + 1, 3), (DAY0 + 86400 + 1, 2), (DAY0 + 2 * 86400 + 1, 1)])
    assert row.split() == ["hu-2021-lora", "3", "1", "20.0", f"{ref.stability:.1f}d", "2023-11-16", "09:00",
                           ref.due.date().isoformat()]
    never = next(l for l in proc.stdout.splitlines() if l.startswith("dao-2022-flashattention"))
    assert never.split() == ["dao-2022-flashattention", "0", "0", "-", "new", "never", "now"]
    # the deck: this week's retention counts hu's 3 reviews (2 recalled) and gone's 1; 16 cards are due today
    assert "2023-11-13    3/4    75.0%" in proc.stdout
    assert "2023-11-16   16 " in proc.stdout
    # the removed card's rows are still in the file
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM attempts WHERE card_id = 'gone-2020-card'").fetchone()[0] == 1


def test_stats_without_a_database_says_so_and_creates_nothing(tmp_path):
    db = tmp_path / "none.sqlite"
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db))
    assert proc.returncode == 0 and "No drill history yet" in proc.stdout and not db.exists()


def three_sessions(db):
    history(db, [(d, [("hu-2021-lora", 20, "got"), ("dao-2022-flashattention", 25, "missed")], 50 + d, 2, 56)
                 for d in range(3)])


def test_plot_png_is_800_by_600_and_the_same_bytes_every_time(tmp_path):
    db = tmp_path / "d.sqlite"
    three_sessions(db)
    out = tmp_path / "plot.png"
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (8 * 100, 6 * 100)
    cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(out))
    assert out.read_bytes() == data


def test_plot_pdf_is_one_page_8_by_6_inches_and_reproducible(tmp_path):
    from pypdf import PdfReader

    db = tmp_path / "d.sqlite"
    three_sessions(db)
    out = tmp_path / "plot.pdf"
    assert cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db),
                     "--plot", str(out)).returncode == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (8 * 72, 6 * 72)
    first = out.read_bytes()
    cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(out))
    assert out.read_bytes() == first


def test_plot_refuses_other_formats_and_an_empty_history(tmp_path):
    db = tmp_path / "d.sqlite"
    open_store(db).close()
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(tmp_path / "p.svg"))
    assert proc.returncode == 1 and "must end in .pdf or .png" in proc.stderr
    proc = cardpress("drill", "stats", "--catalog", str(SHIPPED_CATALOG), "--db", str(db), "--plot", str(tmp_path / "p.png"))
    assert proc.returncode == 1 and "nothing to plot yet" in proc.stderr and not (tmp_path / "p.png").exists()
