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
            value = float(self.path.read_text().strip())
        except (OSError, ValueError) as exc:
            raise CardpressError(Problem(f"{FAKE_CLOCK_ENV}: cannot read a time from it ({exc})",
                                         file=str(self.path))) from None
        # nan or inf would pass float() and fail later, deep in the schedule (issue 18, D30).
        if not -1e11 < value < 1e11:
            raise CardpressError(Problem(f"{FAKE_CLOCK_ENV}: {value} is not a time in epoch seconds",
                                         file=str(self.path)))
        return value


def clock_from_env():
    path = os.environ.get(FAKE_CLOCK_ENV)
    return FileClock(Path(path)) if path else RealClock()
