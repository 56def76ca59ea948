"""A file an engine made: where it goes and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    relpath: str  # relative to the output folder, "/"-separated
    data: bytes
