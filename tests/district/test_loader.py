"""The district file: validated like an agreement, every problem located and at once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from partnership.district.loader import load_district
from partnership.errors import InputError
from partnership.loader import parse_agreement
from partnership.model import Agreement
from tests.district.districts import write_district


def test_every_problem_of_the_district_and_its_agreements_at_once(tmp_path: Path) -> None:
    path = write_district(tmp_path, 2, random.Random(1), 1, 1)
    bad = (
        (tmp_path / "schools" / "s02.yaml")
        .read_text("utf-8")
        .replace("max_per_day: ", "max_per_day: -")
    )
    (tmp_path / "schools" / "s02.yaml").write_text(bad, "utf-8")
    text = path.read_text("utf-8").replace("- schools/*.yaml", "- schools/*.yaml\n- missing/*.yaml")
    text = text.replace("name: 消防救援支队", "name: 消防救援支队\n  colour: red", 1)
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as err:
        load_district(path)
    shown = [str(p) for p in err.value.problems]
    assert any(s.startswith(f"{path}:") and "missing/*.yaml" in s for s in shown), shown
    assert any(s.startswith(f"{path}:") and "colour" in s for s in shown), shown
    assert any("s02.yaml:" in s and "max_per_day" in s for s in shown), shown
    assert all(s.split(":")[1].isdigit() for s in shown), shown


def test_duplicate_brigade_and_bounds_are_located(tmp_path: Path) -> None:
    path = tmp_path / "district.yaml"
    path.write_text(
        "version: 1\ndistrict: {id: d, name: D}\nagreements: [a.yaml]\nbrigades:\n"
        "  - {id: b, name: B, capacity: {host_per_day: 1001}}\n  - {id: b, name: C}\n",
        "utf-8",
    )
    with pytest.raises(InputError) as err:
        load_district(path)
    shown = [str(p) for p in err.value.problems]
    assert any(":5:" in s and "host_per_day" in s and "1000" in s for s in shown), shown
    assert any(":6:" in s and "already used" in s for s in shown), shown
    assert any(":3:" in s and "a.yaml" in s for s in shown), shown


def test_globs_are_relative_to_the_file_and_skip_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_district(tmp_path / "d", 3, random.Random(2), 1, 1)
    (tmp_path / "d" / "schools" / "s01.records.yaml").write_text("version: 1\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = load_district(Path("d/district.yaml"))
    assert [m.path.name for m in loaded.members] == ["s01.yaml", "s02.yaml", "s03.yaml"]
    assert all(m.brigade == "fire" for m in loaded.members)


def test_an_agreement_without_a_listed_brigade_is_planned_alone(tmp_path: Path) -> None:
    path = write_district(tmp_path, 2, random.Random(3), 1, 1)
    f = tmp_path / "schools" / "s02.yaml"
    f.write_text(f.read_text("utf-8").replace("id: fire", "id: elsewhere"), "utf-8")
    loaded = load_district(path)
    assert [m.brigade for m in loaded.members] == ["fire", None]


def test_brigade_id_is_a_slug_in_the_agreement_and_its_schema(tmp_path: Path) -> None:
    write_district(tmp_path, 1, random.Random(4), 1, 1)
    data = (tmp_path / "schools" / "s01.yaml").read_bytes()
    with pytest.raises(InputError) as err:
        parse_agreement(data.replace(b"id: fire", b"id: Fire Station"), "s01.yaml")
    assert any("parties.brigade.id" in str(p) for p in err.value.problems)
    assert parse_agreement(data, "s01.yaml").parties.brigade.id == "fire"
    schema = Agreement.model_json_schema()
    assert "id" in schema["$defs"]["BrigadeParty"]["properties"]
