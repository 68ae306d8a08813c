"""The district commands end to end: located errors, plan --json, build's brigade files."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner
from views.test_calendar_html import browser, run_browser

from partnership.cli import app
from partnership.identity import uid
from tests import icscheck
from tests.district.districts import write_district

__all__ = ["browser"]  # the fixture, shared with the calendar page's browser tests


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
        "notices",
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


def _tight(tmp_path: Path) -> Path:
    """A district where every school wants the brigade on the same few days."""
    path = write_district(tmp_path, 6, random.Random(11), 1, 1)
    return path


def test_reasons_name_the_schools_that_filled_the_day(tmp_path: Path) -> None:
    from partnership.district.loader import load_district
    from partnership.district.planner import plan_district

    dp = plan_district(load_district(_tight(tmp_path)), {})
    names = {s.plan.agreement.parties.school.name for s in dp.schools}
    moved = [
        (s.plan.agreement.agreement.language, o)
        for s in dp.schools
        for o in s.plan.occurrences
        if (s.plan.agreement.agreement.id, o.id) in dp.moved
    ]
    assert moved, "a tight district moves something"
    for lang, o in moved:
        marker = "支队当天已满（" if lang == "zh-CN" else "the brigade was full on "
        assert marker in o.why, o.why
        tail = o.why.split(marker, 1)[1]
        assert any(n in tail for n in names), o.why
    for u in dp.unplaced:
        for f in u.full_days:
            assert f.date.isoformat() in u.reason and all(n in u.reason for n in f.schools)


def test_district_build_is_byte_identical_with_source_date_epoch(tmp_path: Path) -> None:
    path = _tight(tmp_path / "d")
    outs = []
    for k in (1, 2):  # each from a fresh copy: a build publishes into the records files
        copy = shutil.copytree(path.parent, tmp_path / f"d{k}")
        out = tmp_path / f"out{k}"
        args = ("district", "build", str(copy / path.name), "-o", str(out), "--allow-incomplete")
        code, _, err = _run(*args)
        assert code in (0, 1), err
        outs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outs[0] == outs[1]
    report = outs[0][Path("brigades/fire/report.md")].decode("utf-8")
    assert "## 各学校" in report and "## 各支队" in report and "## 各工程" in report


def test_incomplete_district_build_writes_nothing(tmp_path: Path) -> None:
    path = write_district(tmp_path / "d", 8, random.Random(5), 0, 0)  # no capacity at all
    code, _, _ = _run("district", "build", str(path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert not any((tmp_path / "out").rglob("*.ics"))
    code, out, _ = _run("district", "plan", str(path), "--json")
    reasons = {u["id"].split("/")[0]: u["reason"] for u in json.loads(out)["unplaced"]}
    assert "host_per_day: 0" in reasons["brigade-visit"]
    assert "attend_per_day: 0" in reasons["fire-sports-meet"]


@pytest.mark.browser
def test_load_calendar_in_chromium_marks_full_days(browser: str, tmp_path: Path) -> None:
    path = _tight(tmp_path / "d")
    code, _, err = _run(
        "district", "build", str(path), "-o", str(tmp_path / "out"), "--allow-incomplete"
    )
    assert code in (0, 1), err
    page = tmp_path / "out" / "brigades" / "fire" / "load.html"
    dom = run_browser(browser, tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('class="full') >= 1 and "已满" in dom
    pdf = tmp_path / "load.pdf"
    run_browser(browser, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    data = pdf.read_bytes()
    boxes = {
        tuple(round(float(v)) for v in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    }
    assert boxes == {(595, 842)}  # A4 portrait in points


def test_validate_plan_and_report_commands(tmp_path: Path) -> None:
    path = write_district(tmp_path / "d", 3, random.Random(8), 2, 2)
    alone = tmp_path / "d" / "schools" / "s03.yaml"
    alone.write_text(alone.read_text("utf-8").replace("id: fire", "id: other-brigade"), "utf-8")
    code, out, _ = _run("district", "validate", str(path))
    assert code == 0
    assert "test-district" in out and "school-03" in out  # planned on its own, and said so
    code, out, _ = _run("district", "plan", str(path))
    assert code in (0, 1)
    assert "school-01" in out and "fire" in out and "/2" in out  # a day's load against capacity
    html = tmp_path / "report.html"
    code, _, err = _run("district", "report", str(path), "--format", "html", "-o", str(html))
    assert code == 0, err
    page = html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "第1小学" in page and "school-03" in page


def test_published_dates_are_held_and_an_overfull_day_is_said(tmp_path: Path) -> None:
    """Two schools that each built alone published the same day: both keep it, and say so."""
    folder = tmp_path / "d"
    path = write_district(folder, 2, random.Random(1), 1, 1)
    second = folder / "schools" / "s02.yaml"
    second.write_text(
        (folder / "schools" / "s01.yaml")
        .read_text("utf-8")
        .replace("school-01", "school-02")
        .replace("第1小学", "第2小学"),
        "utf-8",
    )
    for f in ("s01.yaml", "s02.yaml"):  # single-mode builds publish their dates
        code, _, err = _run(
            "build",
            str(folder / "schools" / f),
            "-o",
            str(tmp_path / "alone"),
            "--allow-incomplete",
        )
        assert code in (0, 1), err
    alone = json.loads((tmp_path / "alone" / "school-01" / "plan.json").read_text("utf-8"))
    visits = {
        o["id"]: o["date"] for o in alone["occurrences"] if o["commitment"] == "brigade-visit"
    }
    code, out, err = _run("district", "plan", str(path), "--json")
    data = json.loads(out)
    for p in data["agreements"]:
        mine = {o["id"]: o["date"] for o in p["occurrences"] if o["commitment"] == "brigade-visit"}
        assert mine == visits  # held as published
    assert data["notices"] and all("第1小学" in n and "第2小学" in n for n in data["notices"])
    assert "第1小学" in err
