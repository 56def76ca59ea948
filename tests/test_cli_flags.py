"""One meaning per short flag across every command, and typer's shell completion."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer


def every_command():
    from cardpress.cli import app

    def walk(cmd, path):
        yield path, cmd
        # Duck-typed: typer 0.28 carries its own copy of click, earlier ones use click's.
        if getattr(cmd, "commands", None):
            for name, sub in cmd.commands.items():
                yield from walk(sub, path + [name])

    yield from walk(typer.main.get_command(app), ["cardpress"])


def test_each_short_flag_means_one_thing_everywhere():
    meaning: dict[str, set[str]] = {}
    for path, cmd in every_command():
        for param in cmd.params:
            if param.param_type_name != "option":
                continue
            longs = sorted(o for o in param.opts + param.secondary_opts if o.startswith("--"))
            for short in (o for o in param.opts if not o.startswith("--")):
                meaning.setdefault(short, set()).add(longs[0])
    clashes = {s: m for s, m in meaning.items() if len(m) > 1}
    assert clashes == {}
    assert meaning["-n"] == {"--dry-run"}  # print's --copies had it too


def test_print_copies_has_no_short_flag_left():
    _, cmd = next((p, c) for p, c in every_command() if p == ["cardpress", "print"])
    copies = next(p for p in cmd.params if p.name == "copies")
    assert copies.opts == ["--copies"]


def complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_CARDPRESS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    # The same program name the installed script has: completion is keyed on it.
    code = "import sys; sys.argv[0] = 'cardpress'; from cardpress.__main__ import run; run()"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    return out.stdout.split()


def test_bash_completion_completes_commands_and_options():
    assert "build" in complete("cardpress bu", 1)
    assert complete("cardpress deck --inc", 2) == ["--include-drafts"]


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o default -F"), ("zsh", "compdef"),
                                           ("fish", "complete --command cardpress")])
def test_show_completion_prints_a_script_for_each_shell(shell, marker):
    code = "import sys; sys.argv[0] = 'cardpress'; from cardpress.__main__ import run; run()"
    out = subprocess.run([sys.executable, "-c", code, "--show-completion", shell], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert out.returncode == 0, out.stderr
    assert marker in out.stdout
