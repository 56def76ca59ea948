"""The `lp` command that prints a PDF right, and running it against a CUPS queue."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

from cardpress.errors import CardpressError, Problem
from cardpress.printing.settings import PrintSettings

INSTALL_HINT = ("install the CUPS client (Debian/Ubuntu: apt-get install cups-client; macOS has it), "
                "or print from a PDF viewer at actual size, two-sided (see README, Printing)")


def lp_command(path: Path, settings: PrintSettings, printer: str | None, copies: int) -> list[str]:
    """argv for lp, which reads the file on standard input (see send). Scaling is always
    off: the cards are cut on lines drawn to the millimetre."""
    argv = ["lp"]
    if printer:
        argv += ["-d", printer]
    argv += ["-n", str(copies), "-t", path.name]
    if settings.sides:
        argv += ["-o", f"sides={settings.sides}"]
    argv += ["-o", "print-scaling=none", "-o", "fit-to-page=false", "-o", f"media={settings.media}"]
    return argv


def shell_line(argv: list[str], path: Path) -> str:
    return f"{shlex.join(argv)} < {shlex.quote(str(path))}"


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def check_printer(printer: str) -> None:
    """An unknown queue is refused before lp is asked (lp's own message is terse)."""
    if shutil.which("lpstat") is None:
        return  # lp will say so itself
    res = _run(["lpstat", "-p", printer])
    if res.returncode != 0:
        detail = (res.stderr or res.stdout).strip()
        raise CardpressError(Problem(
            f"--printer: no printer `{printer}` on this system"
            + (f" ({detail})" if detail else "") + "; `lpstat -p` lists the printers"))


def check_server() -> None:
    """A scheduler that is not running is named as such, not as a missing printer."""
    from cardpress.printing.queue import server_down

    said = server_down()
    if said is not None:
        raise CardpressError(Problem(
            f"the print server (CUPS) is not running ({said}): start it (sudo systemctl start cups) and try again"))


def send(argv: list[str], path: Path) -> str:
    """Runs lp with the file on standard input; returns what lp printed (the request id).

    On standard input, not by name: the file's name never reaches the server (CUPS 2.4.2
    crashes on a document name with a space in it, and the job is lost).
    """
    with open(path, "rb") as fh:
        res = subprocess.run(argv, stdin=fh, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        detail = (res.stderr or res.stdout).strip() or f"exit status {res.returncode}"
        raise CardpressError(Problem(f"lp refused the job: {detail}", file=str(path)))
    return res.stdout.strip()


def require_lp() -> None:
    if shutil.which("lp") is None:
        raise CardpressError(Problem(f"`lp` not found on PATH: {INSTALL_HINT}"))
