"""Shared by the drill tests: a fixed first day, and local time pinned to UTC so 'which
day' (boxes, the mastered rule, last seen) is the same on every machine."""

from __future__ import annotations

import time

import pytest

DAY0 = 1_699_952_400  # 2023-11-14 09:00 UTC


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
