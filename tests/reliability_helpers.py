"""Shared by the reliability tests: a snapshot of every byte a failed command must not change."""

from __future__ import annotations

from pathlib import Path


def snapshot(*roots: Path) -> dict[str, bytes]:
    """Every file under each root (or the file itself), by path, with its bytes."""
    out: dict[str, bytes] = {}
    for root in roots:
        if root.is_file():
            out[str(root)] = root.read_bytes()
        elif root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    out[str(p)] = p.read_bytes()
    return out
