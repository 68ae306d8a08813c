"""A records file handed over as an agreement (a shell glob) is skipped with a note."""

from __future__ import annotations

from pathlib import Path

from factory import copy_example
from typer.testing import CliRunner

from partnership.cli import app
from partnership.inputs import is_records_file, split_records


def test_records_files_are_known_by_name_or_content(tmp_path: Path) -> None:
    agreement = copy_example(tmp_path)
    by_name = tmp_path / "x.records.yaml"
    by_name.write_text("version: 1\n", encoding="utf-8")
    renamed = tmp_path / "backup.yaml"
    renamed.write_text("# 记录\nversion: 1\noccurrences:\n  a/1: {status: done}\n", "utf-8")
    odd = tmp_path / "odd.yaml"
    odd.write_text("version: 1\n", encoding="utf-8")  # no records keys: left to the loader
    assert [is_records_file(f) for f in (agreement, by_name, renamed, odd)] == [
        False,
        True,
        True,
        False,
    ]
    assert is_records_file(tmp_path / "missing.yaml") is False
    assert split_records([by_name, agreement, renamed]) == ([agreement], [by_name, renamed])


def test_build_and_validate_skip_the_records_file_a_glob_adds(tmp_path: Path) -> None:
    runner = CliRunner()
    agreement = copy_example(tmp_path / "schedules")
    out = tmp_path / "calendars"
    assert runner.invoke(app, ["build", str(agreement), "-o", str(out)]).exit_code == 0
    records = agreement.with_name("damo-primary.records.yaml")
    assert records.exists()
    files = sorted(str(f) for f in agreement.parent.glob("*.yaml"))  # what the shell gives
    again = runner.invoke(app, ["build", *files, "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert again.stderr.strip() == f"note: skipped {records}: a records file, not an agreement"
    zh = runner.invoke(app, ["--lang", "zh-CN", "validate", *files])
    assert zh.exit_code == 0
    assert f"提示：跳过 {records}：这是记录文件，不是协议" in zh.stderr
    assert "damo-primary.yaml：通过" in zh.stdout
    only = runner.invoke(app, ["validate", str(records)])
    assert only.exit_code == 2 and "no agreement file given" in only.stderr


def test_a_command_given_a_records_file_names_the_agreement(tmp_path: Path) -> None:
    runner = CliRunner()
    agreement = copy_example(tmp_path)
    records = agreement.with_name("damo-primary.records.yaml")
    records.write_text("version: 1\ntasks: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "zh-CN", "plan", str(records)])
    assert result.exit_code == 2
    assert f"{records} 是记录文件，不是协议；请给出协议文件（例如 {agreement}）" in result.stderr
