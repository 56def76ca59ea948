"""Issue 18's file-system campaign: hypothesis draws what a hostile repository, a shared
/tmp or a killed run could leave in the output folder and the cache (links to files, to
folders and to names that do not exist yet, manifests and journals naming anything, litter,
read-only folders), runs cardpress's writers over it, and checks that a decoy tree outside
the output folder and the cache is byte for byte what it was, that the only failure is a
clear CardpressError, and that a failed write changed no output.

Two levels: `write_outputs` (every file `build`, `deck`, `sheet` and `worksheets` write
goes through it) with the formula cache, many states; then whole `cardpress build` runs
in-process, fewer. STATES counts what was tried; the count is printed (pytest -s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardpress.errors import CardpressError
from cardpress.files.output import Output
from cardpress.files.staging import MANIFEST, STAGING, write_outputs

JOURNAL = ".cardpress-journal.json"
STATES = {"write_outputs": 0, "build": 0}


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


DEAD = _dead_pid()

# Names a run could meet in its output folder, and what each could be.
NAMES = ["a.pdf", "worksheets", "worksheets/b.pdf", "h", MANIFEST, JOURNAL, STAGING,
         f"{STAGING}/{DEAD}-0.tmp", f".cardpress-{DEAD}-abcdefgh.tmp", ".X.abcdefgh.tmp",
         "worksheets/.y.pdf.abcd_123.tmp"]
KINDS = ["absent", "file", "dir", "link-file", "link-dir", "link-dangling", "link-ssh"]
MANIFEST_ENTRIES = ["a.pdf", "worksheets/b.pdf", "h/notes.txt", "h/.ssh/id_rsa", "../decoy/notes.txt",
                    "/etc/hostname", "worksheets/../../decoy/notes.txt", "", "h", "worksheets",
                    ".X.abcdefgh.tmp"]
OUTPUTS = ["a.pdf", "worksheets/b.pdf", "c.pdf", "h/x.pdf", "worksheets/c.pdf"]


def _decoy(base: Path) -> Path:
    d = base / "decoy"
    (d / ".ssh").mkdir(parents=True)
    (d / ".ssh" / "id_rsa").write_bytes(b"KEY\n")
    (d / "notes.txt").write_bytes(b"mine\n")
    (d / "sub").mkdir()
    (d / "sub" / "deep.txt").write_bytes(b"deep\n")
    return d


def snapshot(root: Path) -> dict:
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st_ = os.lstat(p)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                found[rel] = ("link", os.readlink(p))
            elif os.path.isdir(p):
                found[rel] = ("dir", st_.st_mode & 0o7777)
            else:
                with open(p, "rb") as fh:
                    found[rel] = ("file", fh.read(), st_.st_mode & 0o7777, st_.st_mtime_ns)
    return found


def _plant(out: Path, decoy: Path, rel: str, kind: str) -> None:
    p = out / rel
    if kind == "absent" or not p.parent.is_dir() or p.parent.is_symlink():
        return
    if p.exists() or p.is_symlink():
        return
    if kind == "file":
        p.write_bytes(b"planted " + rel.encode())
    elif kind == "dir":
        p.mkdir()
    elif kind == "link-file":
        p.symlink_to(decoy / "notes.txt")
    elif kind == "link-dir":
        p.symlink_to(decoy / "sub")
    elif kind == "link-dangling":
        p.symlink_to(decoy / "sub" / f"new-{p.name}")  # a write through it would make a file there
    elif kind == "link-ssh":
        p.symlink_to(decoy / ".ssh" / "id_rsa")


def _identity(path: Path):
    try:
        st_ = os.lstat(path)
    except OSError:
        return [1, 2, 3]
    return [st_.st_ino, st_.st_size, st_.st_mtime_ns]


state = st.fixed_dictionaries({
    "plants": st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(KINDS)), max_size=8),
    "manifest": st.one_of(st.none(), st.lists(st.sampled_from(MANIFEST_ENTRIES), max_size=6)),
    # The decoy's own identities copied into the manifest: the worst a forger could do.
    "forge_identity": st.booleans(),
    "journal": st.one_of(st.none(), st.lists(st.tuples(st.sampled_from([f"{DEAD}-0.tmp", "1-1.tmp", "../x"]),
                                                       st.sampled_from(MANIFEST_ENTRIES)), max_size=3)),
    "read_only": st.sampled_from([None, "", "worksheets"]),
    "outputs": st.lists(st.sampled_from(OUTPUTS), min_size=0, max_size=4, unique=True),
    "with_manifest": st.booleans(),
    "cache_plant": st.sampled_from(["absent", "link-file", "link-dangling", "file", "dir"]),
})


def _setup(base: Path, s: dict) -> tuple[Path, Path, Path]:
    decoy = _decoy(base)
    out = base / "out"
    out.mkdir()
    for rel, kind in s["plants"]:
        _plant(out, decoy, rel, kind)
    if s["manifest"] is not None and not (out / MANIFEST).is_symlink() and not (out / MANIFEST).exists():
        made = {rel: (_identity(decoy / "notes.txt") if s["forge_identity"] else [5, 5, 5]) for rel in s["manifest"]}
        (out / MANIFEST).write_text(json.dumps({"written_by": "cardpress build", "files": s["manifest"],
                                                "made": made}))
    if s["journal"] is not None and not (out / JOURNAL).is_symlink() and not (out / JOURNAL).exists():
        renames = [{"tmp": tmp, "to": to, "id": _identity(out / STAGING / tmp)} for tmp, to in s["journal"]]
        (out / JOURNAL).write_text(json.dumps({"renames": renames, "deletes": [[to, _identity(decoy / "notes.txt")]
                                                                               for _, to in s["journal"]]}))
    cache = base / "cache"
    cache.mkdir(mode=0o700)
    return decoy, out, cache


def _ours_to_sweep(rel: str) -> bool:
    """What a run may remove although it did not write it this time: a dead run's litter,
    its own staging folder, the journal it completed."""
    return (rel.startswith(f".cardpress-{DEAD}-") or rel.startswith(f"{STAGING}/{DEAD}-")
            or rel in (STAGING, JOURNAL))


def _check_write(s: dict) -> None:
    from cardpress.files import cache as cache_mod
    from cardpress.typeset import mathtext as m

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        decoy, out, cache = _setup(base, s)
        os.environ["CARDPRESS_CACHE_DIR"] = str(cache)
        cache_mod._private.cache_clear()
        cache_mod._tidied.clear()
        m._memory.clear()
        entry = m._disk_path(("x^2", 10.0, m.FONTSET))
        _plant(cache, decoy, entry.name, s["cache_plant"])
        if s["read_only"] is not None and (out / s["read_only"]).is_dir() and not (out / s["read_only"]).is_symlink():
            (out / s["read_only"]).chmod(0o555)
        before_decoy, before_out = snapshot(decoy), snapshot(out)
        try:
            outputs = [Output(rel, f"new {rel}".encode()) for rel in s["outputs"]]
            try:
                write_outputs(out, outputs, manifest=s["with_manifest"])
                failed = False
            except CardpressError:
                failed = True
            assert m.layout("x^2", 10).text == "x2"
        finally:
            os.environ.pop("CARDPRESS_CACHE_DIR", None)
            cache_mod._private.cache_clear()
        after_decoy, after_out = snapshot(decoy), snapshot(out)
        for dirpath, dirnames, _ in os.walk(out):  # so that the temporary folder can be removed
            for d in dirnames:
                if not os.path.islink(os.path.join(dirpath, d)):
                    os.chmod(os.path.join(dirpath, d), 0o755)
        assert after_decoy == before_decoy
        if failed:
            changed = {rel for rel in set(before_out) | set(after_out)
                       if before_out.get(rel) != after_out.get(rel) and not _ours_to_sweep(rel)}
            assert changed == set(), changed
        else:
            for rel in s["outputs"]:
                assert after_out[rel][:2] == ("file", f"new {rel}".encode())
        STATES["write_outputs"] += 1


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(state)
def test_write_outputs_never_touches_the_decoy(s):
    _check_write(s)


def test_write_outputs_campaign_count():
    print(f"\nfile-system states tried: write_outputs {STATES['write_outputs']}")
    assert STATES["write_outputs"] >= 400 or STATES["write_outputs"] == 0  # 0: run alone with -k


BUILD_STATE = st.fixed_dictionaries({
    "plants": st.lists(st.tuples(st.sampled_from(["deck-3x5.pdf", "worksheets", "worksheets.pdf", MANIFEST,
                                                  JOURNAL, STAGING, "h", f".cardpress-{DEAD}-abcdefgh.tmp"]),
                                 st.sampled_from(KINDS)), max_size=4),
    "manifest": st.one_of(st.none(), st.lists(st.sampled_from(MANIFEST_ENTRIES), max_size=4)),
    "forge_identity": st.booleans(),
    "journal": st.none(),
    "jobs": st.sampled_from(["1", "2"]),
})


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(BUILD_STATE)
def test_build_never_touches_the_decoy(s):
    from typer.testing import CliRunner

    import tomli_w
    from cardpress.cli import app
    from conftest import catalog_data

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        decoy, out, cache = _setup(base, s)
        catalog = base / "cards.toml"
        catalog.write_bytes(tomli_w.dumps(catalog_data(1)).encode())
        before_decoy, before_out = snapshot(decoy), snapshot(out)
        result = CliRunner().invoke(app, ["build", "--catalog", str(catalog), "--out", str(out), "--jobs", s["jobs"]],
                                    env={"CARDPRESS_CACHE_DIR": str(cache)})
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        assert snapshot(decoy) == before_decoy
        if result.exit_code == 1:
            after_out = snapshot(out)
            changed = {rel for rel in set(before_out) | set(after_out)
                       if before_out.get(rel) != after_out.get(rel) and not _ours_to_sweep(rel)}
            assert changed == set(), (changed, result.output)
        STATES["build"] += 1


def test_build_campaign_count():
    print(f"\nfile-system states tried: build {STATES['build']}")
