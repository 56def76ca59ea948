"""Single key presses from the terminal, with a timeout, through termios (no curses).

Ctrl-C arrives as a key (ISIG off) rather than as a signal, so the session can stop
between two database writes instead of wherever the signal happens to land.
"""

from __future__ import annotations

import os
import select
import sys
import termios
from contextlib import contextmanager

CTRL_C, CTRL_D, ESC = "\x03", "\x04", "\x1b"


class KeyReader:
    def __init__(self, fd: int):
        self.fd = fd

    def read_key(self, timeout: float | None) -> str | None:
        """One key press, or None when `timeout` seconds pass first."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 32)
        if not data:
            return CTRL_D  # the terminal went away: treat it like the user leaving
        # Arrow keys and the like are escape sequences; only their first byte matters here.
        return data.decode("utf-8", "replace")[:1]


@contextmanager
def keys_from_terminal():
    """Keys without Enter or echo; the terminal's settings come back however the block ends."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG)
    mode[6][termios.VMIN] = 1
    mode[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSAFLUSH, mode)
    try:
        yield KeyReader(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)
