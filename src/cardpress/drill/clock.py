"""The clock a drill reads: the real one, or a file a test writes (CARDPRESS_FAKE_CLOCK).

Test-only: with CARDPRESS_FAKE_CLOCK=PATH, "now" is the number (epoch seconds) in that
file, read afresh every time, so a test moves time by rewriting it and the countdown and
the recorded seconds come out exact.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from cardpress.errors import CardpressError, Problem

FAKE_CLOCK_ENV = "CARDPRESS_FAKE_CLOCK"


class RealClock:
    def now(self) -> float:
        return time.time()


class FileClock:
    def __init__(self, path: Path):
        self.path = path

    def now(self) -> float:
        try:
            return float(self.path.read_text().strip())
        except (OSError, ValueError) as exc:
            raise CardpressError(Problem(f"{FAKE_CLOCK_ENV}: cannot read a time from it ({exc})",
                                         file=str(self.path))) from None


def clock_from_env():
    path = os.environ.get(FAKE_CLOCK_ENV)
    return FileClock(Path(path)) if path else RealClock()
