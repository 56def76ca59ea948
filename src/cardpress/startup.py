"""A command-line run's start: Python's cyclic collector held off while its modules load.

Loading makes some 100,000 objects that live as long as the process (modules, classes,
the command tree, an engine and reportlab), and the collector would walk them over and
over: a fifth of a small deck's time. They are made with it off, then frozen out of its
way (gc.freeze); objects made afterwards are collected as usual.

Kept because it pays: a 17-card `deck --layout letter-4up` takes 0.387 s of CPU with it
and 0.611 s without (median of 15 interleaved runs, farm-bench, issue 19).
"""

from __future__ import annotations

import gc

# Commands that import their engine first thing and then call loaded() themselves, so
# that the engine's import is held too; for every other command the CLI's import ends it.
HELD_THROUGH_ENGINE = frozenset({"deck"})

_held = False


def hold() -> None:
    global _held
    gc.disable()
    _held = True


def loaded() -> None:
    """The run's modules are in: freeze them and let the collector run (once; else a no-op)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
