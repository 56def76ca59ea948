"""A file an engine made: its bytes in memory, or a writer that streams it to disk."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO, Callable


@dataclass(frozen=True)
class Output:
    relpath: str  # relative to the output folder, "/"-separated
    data: bytes


@dataclass(frozen=True)
class Streamed:
    """A file too big to hold in memory: `write(fh)` copies it to the staging file."""
    relpath: str
    write: Callable[[BinaryIO], None]

    @property
    def data(self) -> bytes:
        """The whole file in memory, for callers that want it so (tests, small catalogs)."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()


def payload(out: Output | Streamed) -> bytes | Callable[[BinaryIO], None]:
    """What _stage_file writes for an output: its bytes, or its writer."""
    return out.write if isinstance(out, Streamed) else out.data
