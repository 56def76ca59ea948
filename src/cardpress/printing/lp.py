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
    """argv for lp. Scaling is always off: the cards are cut on lines drawn to the millimetre."""
    argv = ["lp"]
    if printer:
        argv += ["-d", printer]
    argv += ["-n", str(copies), "-t", path.name]
    if settings.sides:
        argv += ["-o", f"sides={settings.sides}"]
    argv += ["-o", "print-scaling=none", "-o", "fit-to-page=false", "-o", f"media={settings.media}"]
    return argv + ["--", str(path)]


def shell_line(argv: list[str]) -> str:
    return shlex.join(argv)


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


def send(argv: list[str], printer: str | None) -> str:
    """Runs lp; returns what it printed (the request id)."""
    if shutil.which("lp") is None:
        raise CardpressError(Problem(f"`lp` not found on PATH: {INSTALL_HINT}"))
    if printer:
        check_printer(printer)
    res = _run(argv)
    if res.returncode != 0:
        detail = (res.stderr or res.stdout).strip() or f"exit status {res.returncode}"
        raise CardpressError(Problem(f"lp refused the job: {detail}", file=argv[-1]))
    return res.stdout.strip()
