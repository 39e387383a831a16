"""The README's command-line synopsis is pinned to the real `--help`: every command and option exists."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _synopsis() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```", 2)[1]
    return [line.strip() for line in block.splitlines() if line.strip().startswith("arxiv-enrich ")]


def test_every_command_and_option_in_the_readme_exists() -> None:
    runner = CliRunner()
    lines = _synopsis()
    assert len(lines) >= 6
    for line in lines:
        words = line.split()[1:]
        command = [w for w in words[:2] if re.fullmatch(r"[a-z]+", w)]
        result = runner.invoke(cli, [*command, "--help"], terminal_width=200)
        assert result.exit_code == 0, (line, result.output)
        for option in re.findall(r"--[a-z-]+", line):
            assert option in result.output, f"{option} of `{line}` is not in --help"


def test_the_readme_opens_with_the_two_commands() -> None:
    first_block = README.read_text(encoding="utf-8").split("```", 2)[1]
    assert "make run" in first_block
    assert "make test" in first_block
