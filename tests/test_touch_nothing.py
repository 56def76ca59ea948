"""Issue 18: cardpress writes, renames and deletes only inside its own folders, only files it
made, never through a link (D1, D2, D9, D10, D14).

Each test plants what a hostile repository or a shared /tmp could hold and checks that a
decoy outside the output folder and the cache is byte for byte as it was.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading

import pytest

from cardpress.errors import CardpressError
from cardpress.files.output import Output
from cardpress.files.staging import MANIFEST, STAGING, write_outputs

JOURNAL = ".cardpress-journal.json"  # where a run lists the renames it is about to make


def _snapshot(root):
    """Every path under root (links not followed) with what it is and holds."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                found[rel] = ("link", os.readlink(p))
            elif os.path.isdir(p):
                found[rel] = ("dir", st.st_mode & 0o777)
            else:
                with open(p, "rb") as fh:
                    found[rel] = ("file", fh.read(), st.st_mode & 0o777)
    return found


@pytest.fixture
def decoy(tmp_path):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_bytes(b"KEY\n")
    (home / "notes.txt").write_bytes(b"mine\n")
    return home


@pytest.fixture
def small(make_catalog):
    return make_catalog(1)


# ---------------------------------------------------------------------------- D1


def test_d1_a_manifest_through_a_symlinked_folder_deletes_nothing(cli, small, tmp_path, decoy):
    out = tmp_path / "output"
    out.mkdir()
    (out / "h").symlink_to(decoy)
    (out / MANIFEST).write_text(json.dumps({"written_by": "cardpress build", "files": ["h/.ssh/id_rsa",
                                                                                    "h/notes.txt"]}))
    before = _snapshot(decoy)
    result = cli("build", "--catalog", small, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert _snapshot(decoy) == before
    assert (out / "h").is_symlink()


def test_d1_a_cloned_manifest_naming_a_plain_file_inside_out_removes_nothing(cli, small, tmp_path):
    """A manifest that came with a repository lists files no cardpress on this machine wrote."""
    out = tmp_path / "output"
    out.mkdir()
    (out / "README.txt").write_text("kept\n")
    (out / MANIFEST).write_text(json.dumps({"written_by": "cardpress build", "files": ["README.txt"],
                                            "made": {"README.txt": [1, 5, 0]}}))
    assert cli("build", "--catalog", small, "--out", out, "--jobs", "1").exit_code == 0
    assert (out / "README.txt").read_text() == "kept\n"


def test_d1_the_manifest_still_removes_what_cardpress_wrote_and_no_longer_makes(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, [Output("a.pdf", b"A"), Output("worksheets/b.pdf", b"B")], manifest=True)
    write_outputs(out, [Output("a.pdf", b"A2")], manifest=True)
    assert not (out / "worksheets" / "b.pdf").exists()
    assert json.loads((out / MANIFEST).read_text())["files"] == ["a.pdf"]


def test_d1_a_symlinked_folder_inside_out_is_refused_and_nothing_changes(cli, small, tmp_path, decoy):
    out = tmp_path / "output"
    assert cli("build", "--catalog", small, "--out", out, "--jobs", "1").exit_code == 0
    before_out = _snapshot(out)
    (out / "worksheets").rename(tmp_path / "real-worksheets")
    (out / "worksheets").symlink_to(decoy)
    before = _snapshot(decoy)
    result = cli("build", "--catalog", small, "--out", out, "--jobs", "1")
    assert result.exit_code == 1
    assert "symbolic link" in result.output and "Traceback" not in result.output
    assert _snapshot(decoy) == before
    after_out = _snapshot(out)
    assert {k: v for k, v in after_out.items() if not k.startswith("worksheets")} == \
        {k: v for k, v in before_out.items() if not k.startswith("worksheets")}


def test_d1_an_output_that_is_a_symlink_is_refused_not_written_through(cli, small, tmp_path, decoy):
    out = tmp_path / "output"
    out.mkdir()
    (out / "deck-3x5.pdf").symlink_to(decoy / "notes.txt")
    before = _snapshot(decoy)
    result = cli("build", "--catalog", small, "--out", out, "--jobs", "1")
    assert result.exit_code == 1 and "symbolic link" in result.output, result.output
    assert _snapshot(decoy) == before
    assert (out / "deck-3x5.pdf").is_symlink()
    assert not (out / "deck-a4.pdf").exists()  # a refused build changed nothing


# ---------------------------------------------------------------------------- D2


def test_d2_a_symlinked_manifest_is_refused_and_its_target_kept(cli, small, tmp_path, decoy):
    out = tmp_path / "output"
    out.mkdir()
    (out / MANIFEST).symlink_to(decoy / "notes.txt")
    before = _snapshot(decoy)
    result = cli("build", "--catalog", small, "--out", out, "--jobs", "1")
    assert result.exit_code == 1 and "symbolic link" in result.output, result.output
    assert _snapshot(decoy) == before
    assert not (out / "deck-3x5.pdf").exists()


@pytest.fixture
def math_cache(tmp_path, monkeypatch):
    from cardpress.typeset import mathtext as m

    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(tmp_path / "cache"))
    m._memory.clear()
    yield m
    m._memory.clear()


def test_d2_a_symlinked_formula_entry_is_not_written_through(math_cache, decoy):
    m = math_cache
    key = ("x^2", 10.0, m.FONTSET)
    path = m._disk_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(decoy / "notes.txt")
    before = _snapshot(decoy)
    assert m.layout("x^2", 10).text == "x2"
    assert _snapshot(decoy) == before
    assert path.is_symlink()


def test_d2_an_edited_formula_entry_changes_no_glyph_and_raises_nothing(math_cache):
    m = math_cache
    fresh = m.layout("x^2", 10)
    path = m._disk_path(("x^2", 10.0, m.FONTSET))
    raw = path.read_bytes()
    for edit in (raw.replace(b'"x"', b'"P"'), raw.replace(b"DejaVuSans", b"NoSuchFont"),
                 raw.replace(b'"rules": []', b'"rules": [[1]]')):
        assert edit != raw
        path.write_bytes(edit)
        m._memory.clear()
        assert m.layout("x^2", 10) == fresh


def test_d2_the_cache_folder_is_private(math_cache, tmp_path):
    m = math_cache
    m.layout("x^2", 10)
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700


def test_d2_a_shared_cache_dir_gets_a_private_folder_of_its_own(tmp_path, monkeypatch):
    from cardpress.typeset import mathtext as m

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # as /tmp is
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(shared))
    m._memory.clear()
    m.layout("x^2", 10)
    m._memory.clear()
    (inner,) = [p for p in shared.iterdir()]
    assert inner.name.startswith("cardpress-") and inner.stat().st_mode & 0o777 == 0o700
    assert shared.stat().st_mode & 0o7777 == 0o1777


def test_d2_the_font_pickle_cache_is_gone():
    """Retired (issue 18): it saved 5% of a warm build's CPU and was a file to trust."""
    import cardpress.typeset.fonts as fonts

    with pytest.raises(ImportError):
        __import__("cardpress.typeset.font_cache")
    assert "font_cache" not in open(fonts.__file__, encoding="utf-8").read()


# ---------------------------------------------------------------------------- D10


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_d10_other_programs_temp_files_in_out_are_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / ".X.abcdefgh.tmp"
    theirs.write_bytes(b"theirs")
    old = os.path.getmtime(theirs) - 3600
    os.utime(theirs, (old, old))
    mine_dead = out / f".cardpress-{_dead_pid()}-abcdefgh.tmp"
    mine_dead.write_bytes(b"a killed run's")
    mine_live = out / f".cardpress-{os.getppid()}-abcdefgh.tmp"
    mine_live.write_bytes(b"a live run's")
    write_outputs(out, [Output("a.pdf", b"A")], manifest=True)
    assert theirs.read_bytes() == b"theirs"
    assert mine_live.read_bytes() == b"a live run's"
    assert not mine_dead.exists()


def test_d10_strangers_temp_files_in_a_shared_cache_dir_are_kept(tmp_path, monkeypatch):
    from cardpress.files import cache

    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setenv("CARDPRESS_CACHE_DIR", str(shared))
    stranger = shared / ".stranger.abcdefgh.tmp"
    stranger.write_bytes(b"theirs")
    old = os.path.getmtime(stranger) - 3600
    os.utime(stranger, (old, old))
    where = cache.private("math")
    cache._tidied.clear()
    cache.store(where / ("0" * 64 + ".json"), b"{}")
    assert stranger.read_bytes() == b"theirs"


# ---------------------------------------------------------------------------- D14


def test_d14_a_second_writer_waits_for_the_first(tmp_path):
    from cardpress.files.safe import lock_folder

    out = tmp_path / "out"
    out.mkdir()
    started = threading.Event()

    def outputs():
        started.set()
        yield Output("a.pdf", b"A")

    held = lock_folder(out)
    try:
        worker = threading.Thread(target=write_outputs, args=(out, outputs()), kwargs={"manifest": True})
        worker.start()
        worker.join(0.5)
        assert not started.is_set(), "the second writer did not wait for the lock"
    finally:
        os.close(held)
    worker.join(30)
    assert started.is_set() and (out / "a.pdf").read_bytes() == b"A"


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no cleanup either."""


def test_d14_a_run_stopped_among_its_renames_is_completed_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(out, [Output("a.pdf", b"old a"), Output("b.pdf", b"old b")], manifest=True)
    real_replace = os.replace
    calls = []

    def replace_then_die(src, dst, *args, **kwargs):
        if str(src).startswith(str(out.resolve() / STAGING)):
            calls.append(dst)
            if len(calls) == 2:
                raise _Killed
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace_then_die)
    with pytest.raises(_Killed):
        write_outputs(out, [Output("a.pdf", b"new a"), Output("b.pdf", b"new b"), Output("c.pdf", b"new c")],
                      manifest=True)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (out / "a.pdf").read_bytes() == b"new a" and (out / "b.pdf").read_bytes() == b"old b"  # mixed
    write_outputs(out, [Output("d.pdf", b"d")])  # the next run, of any command
    assert [(out / n).read_bytes() for n in ("a.pdf", "b.pdf", "c.pdf")] == [b"new a", b"new b", b"new c"]
    assert json.loads((out / MANIFEST).read_text())["files"] == ["a.pdf", "b.pdf", "c.pdf"]
    assert not (out / JOURNAL).exists() and not (out / STAGING).exists()


def test_d14_a_forged_journal_renames_nothing(tmp_path):
    out = tmp_path / "out"
    (out / STAGING).mkdir(parents=True)
    (out / STAGING / "1-0.tmp").write_bytes(b"planted")
    (out / "notes.txt").write_bytes(b"mine")
    (out / JOURNAL).write_text(json.dumps({"renames": [{"tmp": "1-0.tmp", "to": "notes.txt", "id": [1, 7, 0]}]}))
    write_outputs(out, [Output("a.pdf", b"A")])
    assert (out / "notes.txt").read_bytes() == b"mine"


# ---------------------------------------------------------------------------- D9


def test_d9_a_workers_full_disk_is_the_serial_builds_message(cli, shipped_catalog, tmp_path, monkeypatch):
    """The disk fills up while a worksheet (rendered by a worker when --jobs 3) is synced."""
    real_fsync = os.fsync

    def full_for_worksheets(fd):
        with open(os.readlink(f"/proc/self/fd/{fd}"), "rb") as fh:
            if b"/AcroForm" in fh.read():  # the worksheets' form; decks and sheets have none
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_for_worksheets)  # forked workers inherit it
    results = {jobs: cli("build", "--catalog", shipped_catalog, "--out", tmp_path / f"out{jobs}", "--jobs", jobs)
               for jobs in ("1", "3")}
    for jobs, result in results.items():
        assert result.exit_code == 1, (jobs, result.output)
        assert not isinstance(result.exception, OSError), (jobs, result.exception)
        assert "No space left on device" in result.output
    serial, parallel = (results[j].output.replace(f"out{j}", "OUT") for j in ("1", "3"))
    assert parallel == serial
    assert not any((tmp_path / "out3").rglob("*.pdf"))  # and it changed nothing
