"""Every ``$ disclosure-schema …`` line in a console block of docs/*.md runs, with the
documented exit code and output lines. The commands of one block run in order in one
folder that holds a copy of the repository's examples."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from disclosure_schema.cli import main

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT_NOTE = re.compile(r"\s+# exits with (\d+)$")
PROMPT = "$ disclosure-schema "


@attrs.define
class Command:
    line: str
    arguments: list[str]
    exit_code: int = 0
    expected: list[str] = attrs.Factory(list)


def _blocks() -> list[tuple[str, list[Command]]]:
    blocks = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            commands: list[Command] = []
            for line in block.splitlines():
                if line.startswith("$ "):
                    assert line.startswith(PROMPT), f"{page.name}: cannot test {line!r}"
                    note = EXIT_NOTE.search(line)
                    command = EXIT_NOTE.sub("", line)
                    commands.append(
                        Command(
                            line,
                            shlex.split(command[len(PROMPT) :]),
                            int(note.group(1)) if note else 0,
                        )
                    )
                elif commands and line.strip():
                    commands[-1].expected.append(line)
            blocks.append((page.name, commands))
    return blocks


@pytest.mark.parametrize(
    ("page", "commands"),
    _blocks(),
    ids=lambda value: value if isinstance(value, str) else value[0].line[len(PROMPT) :][:40],
)
def test_documented_commands(page, commands, tmp_path, monkeypatch):
    shutil.copytree(
        ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.chdir(tmp_path)
    for command in commands:
        result = CliRunner().invoke(
            main, command.arguments, prog_name="disclosure-schema", catch_exceptions=False
        )
        where = f"{page}: {command.line}\n{result.output}"
        assert result.exit_code == command.exit_code, where
        for expected_line in command.expected:
            assert expected_line in result.output.splitlines(), where
