"""The package's layers: each module imports only from its own layer or those below it.

Every `import` is read from the source, those inside functions included (most of
cardpress's imports are deferred to keep commands fast, and a deferred import that runs
back up is still a circle waiting to happen).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cardpress"

# From the ground up; a module may import its own layer and any layer listed before it.
LAYERS = [
    {"errors", "units", "geometry", "startup"},
    {"files", "options"},
    {"typeset"},
    {"catalog", "pdf"},
    {"deck", "sheet", "worksheets"},
    {"pipeline"},
    {"grow", "drill", "printing", "mark", "starter", "live"},
    {"cli", "__main__", "__init__"},
]
LEVEL = {room: n for n, rooms in enumerate(LAYERS) for room in rooms}
# Rooms of one layer that must not lean on each other either.
APART = [{"catalog", "pdf"}, {"deck", "sheet", "worksheets"}]


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "cardpress" and len(parts) > 1 else ("__init__" if module == "cardpress" else None)


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "cardpress":
                found += [(node.lineno, f"cardpress.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_room_has_a_layer():
    rooms = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in MODULES}
    assert rooms - set(LEVEL) == set(), "a new top-level module or folder: give it a layer in LAYERS"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_back_up(path):
    here = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    wrong = []
    for line, module in imports(path):
        there = room_of(module)
        if there is None or there == here:
            continue
        if LEVEL[there] > LEVEL[here] or any({here, there} <= group for group in APART):
            wrong.append(f"{path.name}:{line} imports {module} ({there}, layer {LEVEL[there]}) from layer {LEVEL[here]}")
    assert wrong == []


def test_folders_say_what_they_hold_and_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert doc, f"{init.parent.name}/__init__.py has no docstring"


def test_few_loose_modules_at_the_top():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert len(loose) <= 8, loose
