"""`cardpress print`: the lp command it builds, its refusals, and a round trip through a real cupsd.

The round trip starts a private cupsd (its own ServerRoot, spool and logs under a temp
folder, a unix socket and a 127.0.0.1 port) with a file-backed raw queue, so nothing
touches /etc/cups or a system cupsd. It is skipped where CUPS is not installed; .ci/run
installs it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import catalog_data

CUPS_TOOLS = ("cupsd", "lpadmin", "lp", "lpstat", "ipptool")
SIDES = {"/DuplexFlipLongEdge": "two-sided-long-edge", "/DuplexFlipShortEdge": "two-sided-short-edge",
         "/Simplex": "one-sided"}


def which_sbin(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build of a five-card catalog plus deck halves and a short-flip deck, in one folder."""
    from typer.testing import CliRunner
    import tomli_w
    from cardpress.cli import app

    root = tmp_path_factory.mktemp("built")
    cat = root / "cards.toml"
    cat.write_bytes(tomli_w.dumps(catalog_data(5)).encode())
    out = root / "output"
    runner = CliRunner()
    for args in (["build"], ["deck", "--layout", "letter-4up", "--fronts-only", "--backs-only"],
                 ["deck", "--layout", "a4-4up", "--flip", "short"], ["calibrate", "--layout", "index-3x5"]):
        res = runner.invoke(app, [*args, *([] if args[0] == "calibrate" else ["-c", str(cat)]), "-o", str(out)])
        assert res.exit_code == 0, res.output
    return out


def dry_run(cli, *args) -> list[str]:
    res = cli("print", *args, "--dry-run")
    assert res.exit_code == 0, res.output
    return shlex.split(res.stdout.strip())


def option(argv: list[str], key: str) -> str | None:
    values = [argv[i + 1].split("=", 1)[1] for i, a in enumerate(argv[:-1])
              if a == "-o" and argv[i + 1].startswith(key + "=")]
    assert len(values) <= 1
    return values[0] if values else None


@pytest.mark.parametrize("target, extra, file, sides, media", [
    ("deck", [], "deck-letter.pdf", "two-sided-long-edge", "Letter"),
    ("deck", ["--layout", "index-3x5"], "deck-3x5.pdf", "two-sided-long-edge", "Custom.5x3in"),
    ("deck", ["--layout", "a4-4up"], "deck-a4.pdf", "two-sided-short-edge", "A4"),
    ("deck", ["--fronts-only"], "deck-letter-fronts.pdf", "one-sided", "Letter"),
    ("deck", ["--backs-only"], "deck-letter-backs.pdf", "one-sided", "Letter"),
    ("sheet", ["--paper", "a4"], "revision-sheet-a4.pdf", "two-sided-long-edge", "A4"),
    ("worksheets", [], "worksheets.pdf", "two-sided-long-edge", "Letter"),
    ("calibrate", ["--layout", "index-3x5"], "calibrate-3x5.pdf", "two-sided-long-edge", "Custom.5x3in"),
])
def test_dry_run_prints_a_command_that_prints_right(cli, built, target, extra, file, sides, media):
    argv = dry_run(cli, target, *extra, "-o", built, "--printer", "front office", "--copies", "3")
    # The file goes on standard input: its name never reaches the server.
    assert argv[0] == "lp" and argv[-2:] == ["<", str(built / file)] and "--" not in argv
    assert argv[argv.index("-d") + 1] == "front office" and argv[argv.index("-n") + 1] == "3"
    assert option(argv, "sides") == sides
    assert option(argv, "print-scaling") == "none" and option(argv, "fit-to-page") == "false"
    assert option(argv, "media") == media


def test_a_file_prints_as_its_viewer_preferences_say(cli, built):
    from pypdf import PdfReader

    for path in sorted(built.rglob("*.pdf")):
        reader = PdfReader(str(path))
        want = SIDES[str(reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"])]
        box = reader.pages[0].mediabox
        argv = dry_run(cli, path)
        assert option(argv, "sides") == want, path
        assert "-d" not in argv  # no --printer: the system default
        w, h = float(box.width) / 72, float(box.height) / 72
        named = {(8.5, 11.0): "Letter", (8.27, 11.69): "A4"}.get((round(min(w, h), 2), round(max(w, h), 2)))
        assert option(argv, "media") == (named or f"Custom.{w:g}x{h:g}in"), path


def test_a_pdf_without_preferences_leaves_sides_to_the_printer(cli, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "plain.pdf"
    c = Canvas(str(path), pagesize=(6 * 72, 4 * 72), invariant=1)
    c.showPage()
    c.save()
    res = cli("print", path, "--dry-run")
    assert res.exit_code == 0, res.output
    argv = shlex.split(res.stdout.strip())
    assert option(argv, "sides") is None and option(argv, "media") == "Custom.6x4in"
    assert "printer's default" in res.stderr


def test_not_built_yet_says_run_build(cli, tmp_path):
    res = cli("print", "deck", "-o", tmp_path / "empty", "--dry-run")
    assert res.exit_code == 1
    assert "deck-letter.pdf" in res.stderr and "cardpress build" in res.stderr
    res = cli("print", tmp_path / "missing.pdf")
    assert res.exit_code == 1 and "missing.pdf" in res.stderr and "cardpress build" in res.stderr


def test_options_that_do_not_apply_are_refused(cli, built):
    for args in (["sheet", "--layout", "letter-4up"], ["deck", "--paper", "a4"], ["sheet", "--fronts-only"],
                 ["deck", "--fronts-only", "--backs-only"], ["sheet", "--paper", "legal"]):
        res = cli("print", *args, "-o", built, "--dry-run")
        assert res.exit_code == 1, args
        assert res.stderr.startswith("error: ") and "Traceback" not in res.output


def test_missing_lp_is_a_clear_error(cli, built, monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    res = cli("print", "deck", "-o", built, "--printer", "test")
    assert res.exit_code == 1
    assert "`lp` not found" in res.stderr and "cups" in res.stderr.lower()


# ---- a private cupsd ----

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GET_JOB = """{
  NAME "Get-Job-Attributes"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes all
  STATUS successful-ok
}
"""


PPD = Path(__file__).parent / "fixtures" / "ppd"
QUEUES = {"full": "duplex-custom.ppd", "nocustom": "no-custom-sizes.ppd", "simplex": "one-sided.ppd"}


class Cups:
    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.socket = root / "cups.sock"
        self.spool = root / "spool"

    def run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(argv, capture_output=True, text=True, check=False,
                              env={**os.environ, "CUPS_SERVER": str(self.socket)})

    def job_attributes(self, job_id: int, queue: str = "test") -> dict[str, str]:
        test = self.root / "get-job.test"
        test.write_text(GET_JOB)
        res = self.run("ipptool", "-tv", "-d", f"job_id={job_id}",
                       f"ipp://127.0.0.1:{self.port}/printers/{queue}", str(test))
        assert res.returncode == 0, res.stdout + res.stderr
        response = res.stdout.split("RECEIVED", 1)[1]
        return dict(re.findall(r"^\s+([a-z-]+) \([^)]*\) = (.*)$", response, re.M))


@pytest.fixture(scope="module")
def cups(tmp_path_factory):
    missing = [t for t in CUPS_TOOLS if which_sbin(t) is None]
    if missing:
        pytest.skip(f"CUPS not installed (missing {', '.join(missing)}; Debian: apt-get install cups cups-client)")
    root = tmp_path_factory.mktemp("cups")
    root.chmod(0o755)
    for d in ("spool", "tmp", "cache", "state", "log"):
        (root / d).mkdir()
    port = free_port()
    (root / "cups-files.conf").write_text("\n".join([
        f"ServerRoot {root}", f"RequestRoot {root}/spool", f"TempDir {root}/tmp", f"CacheDir {root}/cache",
        f"StateDir {root}/state", f"AccessLog {root}/log/access_log", f"ErrorLog {root}/log/error_log",
        f"PageLog {root}/log/page_log", "FileDevice Yes", "SystemGroup root", ""]))
    (root / "cupsd.conf").write_text("\n".join([
        f"Listen {root}/cups.sock", f"Listen 127.0.0.1:{port}", "LogLevel info", "Browsing No",
        f"Printcap {root}/printcap",
        # Keep the spooled file and the finished job, so the test can read both back.
        "PreserveJobFiles Yes", "PreserveJobHistory Yes", "DefaultAuthType None",
        "<Location />", "  Order allow,deny", "  Allow all", "</Location>",
        "<Policy default>", "  <Limit All>", "    Order deny,allow", "  </Limit>", "</Policy>", ""]))
    proc = subprocess.Popen([which_sbin("cupsd"), "-f", "-c", str(root / "cupsd.conf"),
                             "-s", str(root / "cups-files.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = Cups(root, port)
    try:
        deadline = time.monotonic() + 20  # a readiness wait, not a timing assertion
        while "scheduler is running" not in server.run("lpstat", "-r").stdout:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (root / "log" / "error_log")
                if os.geteuid() != 0:  # CI runs as root; elsewhere cupsd may refuse an unprivileged start
                    pytest.skip("a private cupsd did not start without root")
                pytest.fail("private cupsd did not start: " + (log.read_text()[-2000:] if log.exists() else ""))
            time.sleep(0.1)
        res = server.run(which_sbin("lpadmin"), "-p", "test", "-E", "-v", f"file://{root}/printed", "-m", "raw")
        assert res.returncode == 0, res.stderr
        # Queues whose drivers say what they print (PPDs with no filters: the PDF spools as it is).
        for queue, ppd in QUEUES.items():
            res = server.run(which_sbin("lpadmin"), "-p", queue, "-E", "-v", f"file://{root}/printed-{queue}",
                             "-P", str(PPD / ppd))
            assert res.returncode == 0, res.stderr
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def lp_job(cli, monkeypatch, cups: Cups, *args: str) -> int:
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    res = cli("print", *args, "--printer", "test")
    assert res.exit_code == 0, res.output
    (job,) = re.findall(r"request id is test-(\d+)", res.stdout)
    return int(job)


@pytest.mark.parametrize("target, extra, file, sides, media, copies", [
    ("deck", [], "deck-letter.pdf", "two-sided-long-edge", "Letter", 2),
    ("deck", ["--layout", "index-3x5"], "deck-3x5.pdf", "two-sided-long-edge", "Custom.5x3in", 1),
    ("deck", ["--layout", "a4-4up"], "deck-a4.pdf", "two-sided-short-edge", "A4", 1),
    ("deck", ["--backs-only"], "deck-letter-backs.pdf", "one-sided", "Letter", 1),
    ("worksheets", [], "worksheets.pdf", "two-sided-long-edge", "Letter", 1),
])
def test_cups_round_trip(cli, built, cups, monkeypatch, target, extra, file, sides, media, copies):
    job = lp_job(cli, monkeypatch, cups, target, *extra, "-o", str(built), "--copies", str(copies))
    attrs = cups.job_attributes(job)
    assert attrs["sides"] == sides
    assert attrs["print-scaling"] == "none" and attrs["fit-to-page"] == "false"
    assert attrs["media"] == media
    assert attrs["copies"] == str(copies)
    assert attrs["document-format"] == "application/pdf"
    # The queue received our PDF byte for byte.
    assert (cups.spool / f"d{job:05d}-001").read_bytes() == (built / file).read_bytes()


def test_unknown_printer_against_a_real_server(cli, built, cups, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    res = cli("print", "deck", "-o", built, "--printer", "no-such-queue")
    assert res.exit_code == 1
    assert "no printer `no-such-queue`" in res.stderr and "Traceback" not in res.output


# ---- the printer asked first (lpoptions over the fixture's TCP port: it reads the queues' PPDs)


def ask(cli, monkeypatch, cups: Cups, *args: str):
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{cups.port}")
    return cli("print", *args)


def one_line_error(res) -> str:
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.stdout == ""
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    return lines[0]


def test_a_card_size_the_queue_lacks_is_refused_with_what_it_offers(cli, built, cups, monkeypatch):
    line = one_line_error(ask(cli, monkeypatch, cups, "deck", "--layout", "index-3x5", "-o", str(built),
                              "--printer", "nocustom"))
    assert "no Custom.5x3in paper" in line and "it offers Letter, A4" in line and "--force" in line
    res = ask(cli, monkeypatch, cups, "deck", "--layout", "index-3x5", "-o", str(built), "--printer", "nocustom",
              "--force")
    assert res.exit_code == 0 and "request id is nocustom-" in res.stdout, res.output
    (job,) = re.findall(r"request id is nocustom-(\d+)", res.stdout)
    assert (cups.spool / f"d{int(job):05d}-001").read_bytes() == (built / "deck-3x5.pdf").read_bytes()


def test_a_queue_with_custom_sizes_takes_the_card(cli, built, cups, monkeypatch):
    res = ask(cli, monkeypatch, cups, "deck", "--layout", "index-3x5", "-o", str(built), "--printer", "full")
    assert res.exit_code == 0 and "request id is full-" in res.stdout, res.output


def test_two_sided_on_a_one_sided_queue_is_refused_but_its_halves_print(cli, built, cups, monkeypatch):
    line = one_line_error(ask(cli, monkeypatch, cups, "deck", "-o", str(built), "--printer", "simplex"))
    assert "does not print two-sided (long edge)" in line and "--fronts-only" in line and "--force" in line
    res = ask(cli, monkeypatch, cups, "deck", "--fronts-only", "-o", str(built), "--printer", "simplex")
    assert res.exit_code == 0 and "request id is simplex-" in res.stdout, res.output
    res = ask(cli, monkeypatch, cups, "deck", "-o", str(built), "--printer", "simplex", "--force")
    assert res.exit_code == 0 and "sent anyway" in res.stderr, res.output


def test_a_file_name_with_spaces_prints_and_the_server_lives(cli, built, cups, monkeypatch, tmp_path):
    folder = tmp_path / "my decks"
    folder.mkdir()
    spaced = folder / "my deck (final).pdf"
    spaced.write_bytes((built / "deck-letter.pdf").read_bytes())
    res = ask(cli, monkeypatch, cups, str(spaced), "--printer", "full")
    assert res.exit_code == 0, res.output
    (job,) = re.findall(r"request id is full-(\d+)", res.stdout)
    assert "scheduler is running" in cups.run("lpstat", "-r").stdout
    attrs = cups.job_attributes(int(job), "full")
    assert attrs["job-state"] != "aborted" and attrs["sides"] == "two-sided-long-edge"
    assert (cups.spool / f"d{int(job):05d}-001").read_bytes() == spaced.read_bytes()


def test_the_print_server_down_is_named(cli, built, monkeypatch, tmp_path):
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        pytest.skip("needs the CUPS client")
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))
    line = one_line_error(cli("print", "deck", "-o", str(built), "--printer", "office"))
    assert "print server (CUPS) is not running" in line and "no printer" not in line


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_printer_name_is_refused(cli, built, name):
    line = one_line_error(cli("print", "deck", "-o", str(built), "--printer", name, "--dry-run"))
    assert "--printer is empty" in line


def test_a_folder_and_a_file_that_is_not_a_pdf(cli, tmp_path):
    line = one_line_error(cli("print", str(tmp_path), "--dry-run"))
    assert "is a folder" in line
    notes = tmp_path / "notes.pdf"
    notes.write_text("a shopping list, not a PDF\n")
    line = one_line_error(cli("print", str(notes), "--dry-run"))
    assert "not a PDF file" in line
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    line = one_line_error(cli("print", str(broken), "--dry-run"))
    assert "not a PDF cardpress can print" in line


def _crafted(path: Path, prefs, box) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if box is not None:
        page[NameObject("/MediaBox")] = ArrayObject([v if not isinstance(v, (int, float)) else FloatObject(v)
                                                     for v in box])
    if prefs is not None:
        writer._root_object[NameObject("/ViewerPreferences")] = prefs
    writer.write(str(path))
    return path


@pytest.mark.parametrize("case", ["prefs-array", "duplex-junk", "huge-page", "zero-page", "nan-page", "text-box"])
def test_crafted_preferences_and_page_sizes(cli, tmp_path, case):
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    prefs, box = None, None
    if case == "prefs-array":
        prefs = ArrayObject([NameObject("/Duplex")])
    elif case == "duplex-junk":
        prefs = DictionaryObject({NameObject("/Duplex"): NameObject("/Sideways"),
                                  NameObject("/PrintScaling"): TextStringObject("x")})
    elif case == "huge-page":
        box = [0, 0, 1e30, 1e30]
    elif case == "zero-page":
        box = [0, 0, 0, 0]
    elif case == "nan-page":
        box = [0, 0, 611, 792]  # rewritten below as an overflowing number, which pypdf won't write
    else:
        box = [0, 0, TextStringObject("wide"), 100]
    path = _crafted(tmp_path / f"{case}.pdf", prefs, box)
    if case == "nan-page":
        data = path.read_bytes()
        assert b"611 792" in data
        path.write_bytes(data.replace(b"611 792", b"9e999 1"))  # same length: the xref still holds
    res = cli("print", str(path), "--dry-run")
    assert "Traceback" not in res.output
    if case in ("prefs-array", "duplex-junk"):
        # Preferences that say nothing usable: the printer's defaults, and a note.
        assert res.exit_code == 0 and option(shlex.split(res.stdout.split(" < ")[0]), "sides") is None
        assert "printer's default" in res.stderr
    else:
        line = one_line_error(res)
        assert "not a paper size" in line or "cardpress can print" in line
