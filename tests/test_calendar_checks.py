"""Calendar facts that are errors (daylight-saving gaps and overlaps) or kept-with-a-warning
(once on a day off, a weekday make-up workday, 02-29 without a leap year), through
``validate`` and the plan; a hand-edited move onto a day off warns like ``record --move``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factory import copy_example
from typer.testing import CliRunner

from partnership.calendar_checks import wall_time_problem
from partnership.cli import app
from partnership.records import Records, dump_records, record_move, records_path

BASE = """\
version: 1
agreement: {{id: w, title: t, start: {start}, end: {end}, timezone: {zone}}}
parties: {{school: {{name: s}}, brigade: {{name: b}}}}
calendar:
  notices:
    - {{year: 2025, workdays: [{workday}]}}
  terms:
    - {{id: t1, name: T, start: 2025-02-17, end: 2025-06-30}}
festivals:
  - {{key: leap, name: 闰日, month: 2, day: 29}}
commitments:
  - {{id: a, title: A, repeat: {{once: {once}}}{time}}}
  - {{id: b, title: B, repeat: {{festivals: [leap]}}}}
"""


def write(tmp_path: Path, **kw: str) -> Path:
    values = {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "zone": "Asia/Shanghai",
        "workday": "2025-04-27",  # a real 调休 Sunday
        "once": "2025-05-08",
        "time": "",
        **kw,
    }
    path = tmp_path / "w.yaml"
    path.write_text(BASE.format(**values), encoding="utf-8")
    return path


def validate(path: Path) -> tuple[int, str, str]:
    got = CliRunner().invoke(app, ["validate", str(path)], env={"PARTNERSHIP_LANG": "en"})
    return got.exit_code, got.stdout, got.stderr


def test_wall_time_problems_in_new_york() -> None:
    ny = __import__("zoneinfo").ZoneInfo("America/New_York")
    assert wall_time_problem(ny, dt.date(2025, 3, 9), dt.time(2, 30)) == "gap"
    assert wall_time_problem(ny, dt.date(2025, 11, 2), dt.time(1, 30)) == "overlap"
    assert wall_time_problem(ny, dt.date(2025, 3, 10), dt.time(2, 30)) is None


@pytest.mark.parametrize(
    ("day", "time", "words"),
    [
        ("2025-03-09", "02:30", "does not exist on 2025-03-09"),
        ("2025-11-02", "01:30", "happens twice on 2025-11-02"),
    ],
)
def test_a_time_in_a_dst_gap_or_overlap_is_an_error_at_its_key(
    tmp_path: Path, day: str, time: str, words: str
) -> None:
    span = f', time: {{start: "{time}", end: "03:45"}}'
    code, _, err = validate(write(tmp_path, zone="America/New_York", once=day, time=span))
    assert code == 2
    assert "w.yaml:12:" in err and "commitments[0].time.start" in err and words in err


def test_a_clean_agreement_has_no_warnings(tmp_path: Path) -> None:
    code, out, err = validate(write(tmp_path, start="2024-01-01", end="2025-12-31"))
    assert (code, err) == (0, "") and "OK" in out


def test_surprises_are_warned_at_their_keys(tmp_path: Path) -> None:
    path = write(tmp_path, once="2025-05-01", workday="2025-03-05")
    code, out, err = validate(path)
    assert code == 0 and "OK" in out
    lines = err.splitlines()
    assert len(lines) == 3, err
    assert (
        lines[0].startswith(f"{path}:12:") and "2025-05-01 is an official day off (劳动节)" in err
    )
    assert lines[1].startswith(f"{path}:6:") and "2025-03-05 is a Monday–Friday" in err
    assert lines[2].startswith(f"{path}:10:") and "festival leap is on 29 February" in err


def test_the_example_signing_ceremony_is_flagged_as_a_holiday() -> None:
    from factory import EXAMPLE

    code, _, err = validate(EXAMPLE)
    assert code == 0 and "2024-06-08 is an official day off (端午节)" in err


def test_a_hand_edited_move_onto_national_day_warns(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    moved = record_move(Records(), "brigade-visit/2024-autumn/1", dt.date(2024, 10, 1))
    records_path(path).write_bytes(dump_records(moved))
    got = CliRunner().invoke(app, ["plan", str(path), "--json"], env={"PARTNERSHIP_LANG": "en"})
    assert got.exit_code == 0
    assert "warning:" in got.stderr and "2024-10-01" in got.stderr and "国庆节" in got.stderr


def test_the_staff_calendar_says_the_signing_ceremony_is_on_a_holiday() -> None:
    import icalendar
    from factory import EXAMPLE

    from partnership.ics import render_ics
    from partnership.loader import load_agreement
    from partnership.placement import place

    plan = place(load_agreement(EXAMPLE))
    data = render_ics(plan, audience="teachers", dtstamp=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    cal = icalendar.Calendar.from_ical(data)
    (event,) = [e for e in cal.walk("VEVENT") if "signing-ceremony" in str(e.get("UID"))]
    assert "端午节放假" in str(event.get("DESCRIPTION"))


def test_clock_changes_are_the_days_whose_next_midnight_has_another_offset() -> None:
    import zoneinfo

    from partnership.calendar_checks import _clock_changes

    for name in ("Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "Asia/Shanghai"):
        zone = zoneinfo.ZoneInfo(name)
        start, end = dt.date(2023, 11, 20), dt.date(2026, 2, 3)
        want = []
        for k in range((end - start).days + 1):
            day = start + dt.timedelta(days=k)
            here = dt.datetime.combine(day, dt.time(0, 0), zone).utcoffset()
            nxt = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), zone).utcoffset()
            if here != nxt:
                want.append(day)
        assert _clock_changes(zone, start, end) == want
        assert bool(want) == (name != "Asia/Shanghai")
