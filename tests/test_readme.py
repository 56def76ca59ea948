"""The README's quick start works copy-pasted: the venv is activated before `cardpress`
and `python` are used bare, and its test command is the one CI runs."""

from __future__ import annotations

import re

from conftest import REPO


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", text, re.S).group(1)
    return block.strip().splitlines()


def test_each_line_activates_the_venv_before_using_it():
    lines = quick_start()
    assert len(lines) == 2
    for line in lines:
        steps = [s.strip() for s in line.split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        assert steps[1] == ". .venv/bin/activate"
        for step in steps[2:]:
            assert step.split()[0] in {"pip", "cardpress", "python"}, step


def test_one_line_builds_and_the_other_runs_the_tests_as_ci_does():
    build, tests = quick_start()
    assert build.endswith("&& cardpress build")
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    ci_install = next(l for l in ci if "pip install" in l and "-e" in l).split("-e", 1)[1].strip()
    ci_test = [l for l in ci if l.strip() and not l.startswith("#")][-1]
    assert f"pip install -e {ci_install}" in tests
    # .ci/run calls the venv's python by path; after activation `python` is that one.
    assert tests.endswith("&& " + ci_test.replace(".venv/bin/", ""))
