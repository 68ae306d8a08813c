"""`init` writes a starter for a new school; `validate` names each place left to fill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from partnership.cli import app
from partnership.starter import PLACEHOLDER, derived_id, starter_yaml, unfilled

# what a school would write in place of each placeholder, by its key and the term it is in
_DATES = {
    ("agreement", "start"): "2025-09-01",
    ("agreement", "end"): "2027-07-31",
    (0, "start"): "2025-09-01",
    (0, "end"): "2026-01-23",
    (1, "start"): "2026-03-02",
    (1, "end"): "2026-07-03",
}


def _filled(data: Any) -> Any:
    for path, _ in unfilled(data):
        *parent, last = path
        node = data
        for part in parent:
            node = node[part]
        node[last] = _DATES.get((parent[-1], last), f"某某{last}")
    return data


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("our-school.yaml", "our-school"),
        ("Our School 2025.yaml", "our-school-2025"),
        ("xiaoxue_fire.agreement.yaml", "xiaoxue-fire"),
        ("我校.yaml", None),
    ],
)
def test_the_id_comes_from_the_file_name(name: str, expected: str | None) -> None:
    assert derived_id(Path(name)) == expected


def test_validate_names_every_placeholder_until_filled(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "new-school.yaml"
    assert runner.invoke(app, ["--lang", "zh-CN", "init", str(target)]).exit_code == 0
    result = runner.invoke(app, ["--lang", "zh-CN", "validate", str(target)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    places = unfilled(yaml.safe_load(target.read_text("utf-8")))
    assert len(places) >= 8
    # one line per placeholder, located, naming the key; no second message for a date
    assert len(lines) == len(places)
    assert all("尚未填写" in line and PLACEHOLDER in line for line in lines)
    assert any(": parties.school.name：尚未填写" in line for line in lines)
    assert any("calendar.terms[0].start" in line for line in lines)
    filled = yaml.safe_dump(_filled(yaml.safe_load(target.read_text("utf-8"))), allow_unicode=True)
    target.write_text(filled, encoding="utf-8")
    ok = runner.invoke(app, ["validate", str(target)])
    assert ok.exit_code == 0, ok.output
    assert "new-school" in ok.stdout


def test_init_id_option_and_bad_ids(tmp_path: Path) -> None:
    runner = CliRunner()
    assert b"id: my-id " in starter_yaml("my-id")
    ok = runner.invoke(app, ["init", str(tmp_path / "a.yaml"), "--id", "fire-2025"])
    assert ok.exit_code == 0 and "fire-2025" in ok.stdout
    assert "id: fire-2025 " in (tmp_path / "a.yaml").read_text("utf-8")
    bad = runner.invoke(app, ["init", str(tmp_path / "b.yaml"), "--id", "Bad Id"])
    assert bad.exit_code == 2 and "--id 'Bad Id'" in bad.stderr
    chinese = runner.invoke(app, ["--lang", "zh-CN", "init", str(tmp_path / "我校.yaml")])
    assert chinese.exit_code == 2 and "--id" in chinese.stderr and "无法从文件名" in chinese.stderr
    assert not (tmp_path / "b.yaml").exists() and not (tmp_path / "我校.yaml").exists()


def test_validate_refuses_two_agreements_with_one_id(tmp_path: Path) -> None:
    from factory import EXAMPLE

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for f in (first, second):
        f.write_bytes(EXAMPLE.read_bytes())
    result = CliRunner().invoke(app, ["validate", str(first), str(second)])
    assert result.exit_code == 2
    assert f"{second}: agreement id 'damo-fire-2024' is already used by {first}" in result.stderr
