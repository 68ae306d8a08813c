"""The district commands end to end: located errors, plan --json, build's brigade files."""

from __future__ import annotations

import json
import random
from pathlib import Path

from typer.testing import CliRunner

from partnership.cli import app
from partnership.identity import uid
from tests import icscheck
from tests.district.districts import write_district


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"SOURCE_DATE_EPOCH": "1717804800"})
    return result.exit_code, result.stdout, result.stderr


def test_bad_district_file_lists_every_problem_located(tmp_path: Path) -> None:
    bad = tmp_path / "district.yaml"
    bad.write_text(
        "version: 1\ndistrict: {id: d, name: D}\nagreements: [nothing/*.yaml]\n"
        "brigades:\n  - {id: b, name: B, capacity: {host_per_day: -1}}\n"
        "  - {id: b, name: B2, colour: red}\n",
        encoding="utf-8",
    )
    code, _, err = _run("district", "validate", str(bad))
    assert code == 2
    lines = err.strip().splitlines()
    assert any(":5:" in x and "host_per_day" in x for x in lines), err
    assert any(":6:" in x and "colour" in x for x in lines), err


def test_plan_json_and_build_brigade_calendar(tmp_path: Path) -> None:
    path = write_district(tmp_path / "d", 5, random.Random(3), 1, 1)
    code, out, _ = _run("district", "plan", str(path), "--json")
    assert code in (0, 1)
    data = json.loads(out)
    assert set(data) == {
        "district",
        "objective",
        "bound",
        "gap",
        "agreements",
        "brigades",
        "unplaced",
    }
    assert data["bound"] <= data["objective"]
    hosted = {u for d in data["brigades"][0]["days"] for u in d["hosted"] + d["attended"]}
    expected = {
        uid(o["id"], p["agreement"])
        for p in data["agreements"]
        for o in p["occurrences"]
        if "lead_up_of" not in o and o["commitment"] in ("brigade-visit", "fire-sports-meet")
    }
    assert hosted == expected
    code, _, err = _run(
        "district", "build", str(path), "-o", str(tmp_path / "out"), "--allow-incomplete"
    )
    assert code in (0, 1), err
    ics = (tmp_path / "out" / "brigades" / "fire" / "fire.ics").read_bytes()
    icscheck.check_bytes(ics)
    assert set(icscheck.events(ics)) == expected
    assert icscheck.parse_everywhere(ics, "Asia/Shanghai") == len(expected)
    held = icscheck.khal_import(tmp_path / "khal", {"fire.ics": ics}, "Asia/Shanghai")
    assert held["fire.ics"] == expected
    page = (tmp_path / "out" / "brigades" / "fire" / "load.html").read_text("utf-8")
    assert "@page { size: A4" in page and 'data-date="' in page
    assert (tmp_path / "out" / "school-01" / "plan.json").is_file()
