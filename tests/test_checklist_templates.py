"""Checklist templates as data: the shipped file, an agreement's own file, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factory import EXAMPLE

from partnership.checklist import build_checklist
from partnership.checklist_templates import builtin, load_templates, parse_templates
from partnership.errors import InputError
from partnership.loader import load_agreement
from partnership.model import KINDS
from partnership.placement import place
from partnership.schoolcalendar import SchoolCalendar

OWN = """\
version: 1
kinds:
  visit:
    bring: {zh: 带好学生证}
    arrive_minutes: 30
    tasks:
      - key: district-form
        owner: school
        days_before: 15
        zh: 填写区教委《校外活动审批表》
follow_up:
  - {key: report, days_after: 3, zh: 上报活动总结}
"""


def _agreement_with(tmp_path: Path, templates: str | None, name: str = "forms.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    if templates is not None:
        (tmp_path / name).write_text(templates, encoding="utf-8")
    text += f"\nchecklist_templates: {name}\n"
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_has_every_kind() -> None:
    b = builtin()
    assert set(b.kinds) == set(KINDS)
    assert [t.key for t in b.follow_up] == ["publicity", "archive"]
    assert b.family("visit").bring is not None and b.family("visit").arrive_minutes > 0


def test_an_agreements_own_file_replaces_the_kinds_it_names(tmp_path: Path) -> None:
    path = _agreement_with(tmp_path, OWN)
    a = load_agreement(path)
    templates = load_templates(path, a)
    assert [t.key for t in templates.tasks("visit")] == ["district-form", "report"]
    assert templates.kinds["drill"] == builtin().kinds["drill"]
    assert templates.family("visit").arrive_minutes == 30
    cal = SchoolCalendar(a)
    tasks = build_checklist(place(a, cal), cal, None, dt.date(2024, 9, 1), templates)
    visit = {t.task for t in tasks if t.commitment == "brigade-visit"}
    assert visit == {"填写区教委《校外活动审批表》", "上报活动总结"}


def test_problems_in_the_templates_file_are_located(tmp_path: Path) -> None:
    bad = OWN.replace("owner: school", "owner: teacher").replace("zh: 上报活动总结", "zh: ''")
    with pytest.raises(InputError) as exc:
        parse_templates(bad.encode(), "forms.yaml")
    lines = [str(p) for p in exc.value.problems]
    assert any(line.startswith("forms.yaml:8:16:") and "'school'" in line for line in lines)
    assert any(line.startswith("forms.yaml:12:") and "zh" in line for line in lines), lines
    with pytest.raises(InputError) as exc:
        parse_templates(OWN.replace("  visit:", "  vist:").encode(), "forms.yaml")
    (problem,) = exc.value.problems
    assert str(problem).startswith("forms.yaml:4:") and "'visit'" in str(problem)


def test_a_task_key_used_twice_is_an_error() -> None:
    twice = OWN.replace("key: district-form", "key: report")
    with pytest.raises(InputError) as exc:
        parse_templates(twice.encode(), "forms.yaml")
    (problem,) = exc.value.problems
    assert str(problem).startswith("forms.yaml:7:") and "'report'" in str(problem)


def test_a_missing_file_is_located_at_the_agreements_key(tmp_path: Path) -> None:
    path = _agreement_with(tmp_path, None, "nowhere.yaml")
    a = load_agreement(path)
    with pytest.raises(InputError) as exc:
        load_templates(path, a)
    (problem,) = exc.value.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.file == str(path) and problem.line == len(lines)
    assert "nowhere.yaml" in problem.message and "no such file" in problem.message


def test_validate_checks_the_templates_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from partnership.cli import app

    path = _agreement_with(tmp_path, "version: 2\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'forms.yaml'}:1:10:" in result.stderr


def test_the_built_in_file_is_valid_and_builtin_holds_its_validated_models() -> None:
    """builtin() skips validation on every run: the file must validate, to the same models
    (the same fields given, too: exclude_defaults and model_dump see no difference)."""
    from importlib.resources import files

    from partnership.checklist_templates import BUILTIN, Templates

    data = files("partnership").joinpath(BUILTIN).read_bytes()
    valid = parse_templates(data, BUILTIN)
    built = builtin()
    assert built == Templates(dict(valid.kinds), tuple(valid.follow_up or ()))
    for name, kind in valid.kinds.items():
        assert built.kinds[name].model_dump(exclude_unset=True) == kind.model_dump(
            exclude_unset=True
        )
    assert [t.model_dump(exclude_unset=True) for t in built.follow_up] == [
        t.model_dump(exclude_unset=True) for t in valid.follow_up or ()
    ]
