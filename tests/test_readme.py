"""The README stays true: its two set-up commands, and every option it shows exists."""

from __future__ import annotations

import re

import pytest
from factory import ROOT
from typer.testing import CliRunner

from partnership.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == [
        "python -m pip install -e . && partnership build schedules/damo-primary.yaml",
        "python -m pip install -e '.[test]' && python -m pytest",
    ]


def _tour() -> list[list[str]]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("partnership "):
                lines.append(line.split()[1:])
    return lines


@pytest.mark.parametrize("words", _tour(), ids=lambda w: " ".join(w)[:40])
def test_every_tour_command_and_option_exists(words: list[str]) -> None:
    result = CliRunner().invoke(app, [words[0], "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, f"unknown command {words[0]!r}"
    if len(words) > 1 and f" {words[1]} " in result.stdout:  # a sub-command (district plan)
        result = CliRunner().invoke(app, [*words[:2], "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, f"unknown command {' '.join(words[:2])!r}"
    for option in (w for w in words[1:] if w.startswith("-")):
        assert option in result.stdout, f"{words[0]} has no option {option}"
