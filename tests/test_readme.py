"""The README stays true: its set-up commands, and its tour run in order on a fresh copy."""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path

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
            for command in line.split("&&"):
                words = shlex.split(command)
                if words and words[0] == "partnership":
                    lines.append(words[1:])
    return lines


def _expanded(words: list[str], cwd: Path) -> list[str]:
    """The words as a shell hands them over: globs expanded (sorted)."""
    out: list[str] = []
    for w in words:
        if "*" in w:
            out += sorted(glob.glob(w, root_dir=cwd)) or [w]
        else:
            out.append(w)
    return out


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_tour_runs_in_order_on_a_fresh_copy(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "schedules", tmp_path / "schedules")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARTNERSHIP_LANG", lang)
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    tour = _tour()
    assert len(tour) >= 15 and tour[0] == ["build", "schedules/damo-primary.yaml"]
    for words in tour:
        if "<task-id>" in words:
            tasks = runner.invoke(app, ["checklist", "schedules/damo-primary.yaml", "--json"])
            words = [
                json.loads(tasks.stdout)["tasks"][0]["id"] if w == "<task-id>" else w for w in words
            ]
        result = runner.invoke(app, _expanded(words, tmp_path))
        assert result.exit_code == 0, (words, result.output)
        assert "Traceback" not in result.output
    assert (tmp_path / "calendar.html").read_text("utf-8").lstrip().lower().startswith("<!doctype")
    assert (tmp_path / "2025年度总结.md").exists()
    assert (tmp_path / "calendars" / "damo-fire-2024" / "plan.json").exists()


@pytest.mark.parametrize("words", _tour(), ids=lambda w: " ".join(w)[:40])
def test_every_tour_command_and_option_exists(words: list[str]) -> None:
    if words[0] == "--lang":  # a global option before the command
        words = words[2:]
    result = CliRunner().invoke(app, [words[0], "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, f"unknown command {words[0]!r}"
    if len(words) > 1 and f" {words[1]} " in result.stdout:  # a sub-command (district plan)
        result = CliRunner().invoke(app, [*words[:2], "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, f"unknown command {' '.join(words[:2])!r}"
    for option in (w for w in words[1:] if w.startswith("-")):
        assert option in result.stdout, f"{words[0]} has no option {option}"
