"""The .ics contract (spec/ics.md): byte rules, content, identity and independent parsers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import time
import zoneinfo
from pathlib import Path
from typing import Any

import factory
import icalendar
import pytest
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icscheck import (
    check_bytes,
    check_vtimezone,
    events,
    khal_command,
    khal_config,
    khal_env,
    parse_everywhere,
    unfolded,
)
from profiles import examples

from partnership import __version__
from partnership.checklist_templates import KindTemplate, Templates, Texts
from partnership.errors import UsageError
from partnership.ics import _grades, dtstamp_now, ics_filename, render_ics
from partnership.identity import uid
from partnership.loader import load_agreement
from partnership.model import Agreement
from partnership.placement import place
from partnership.plan import Occurrence, Plan

STAMP = dt.datetime(2024, 6, 8, 12, 0, tzinfo=dt.UTC)
TITLE = "永川区消防支队政治部 · 永川区大磨小学 三年共建协议"
LONG_TITLE = (
    "永川区消防救援支队与永川区大磨小学“安心、放心、暖心”三心工程消防安全教育进校园主题实践活动"
)
TRICKY_DESCRIPTION = "走进消防站🚒，参观车库; 体验\\装备,\n第二行：逃生演练\n第三行"


def agreement_data(title: str = TITLE, **info: Any) -> dict[str, Any]:
    """A small agreement with every kind of text the .ics must carry."""
    return factory.agreement_data(
        title=title,
        **info,
        parties={
            "school": {
                "name": "永川区大磨小学",
                "address": "重庆市永川区大磨路1号",
                "contacts": [{"name": "王老师", "role": "德育处主任", "phone": "023-00000000"}],
            },
            "brigade": {
                "name": "永川区消防救援支队",
                "contacts": [{"name": "李队长", "phone": "023-11111111"}],
            },
        },
        terms=[
            factory.term("2024-autumn", "2024—2025学年第一学期", "2024-09-01", "2025-01-17"),
            factory.term("2025-spring", "2024—2025学年第二学期", "2025-02-17", "2025-07-04"),
            factory.term("2026-spring", "2025—2026学年第二学期", "2026-03-02", "2026-07-03"),
        ],
        commitments=[
            {
                "id": "brigade-visit",
                "title": "走进消防支队🚒",
                "kind": "visit",
                "programme": "安心工程",
                "repeat": {"per": "term", "count": 1},
                "time": {"start": "14:00", "end": "16:30"},
                "location": "brigade",
                "audience": ["teachers", "students", "parents"],
                "variants": [
                    {"grades": [1, 2], "plan": "消防故事会与消防车参观"},
                    {"grades": [5, 6], "plan": "火场逃生与灭火器实操"},
                ],
                "description": TRICKY_DESCRIPTION,
                "lead_up": [{"title": "节目共创", "days_before": 21}],
                "reminders": ["P1D", "PT2H"],
            },
            {
                "id": "fire-drill",
                "title": LONG_TITLE,
                "kind": "drill",
                "repeat": {"festivals": ["fire-day"]},
                "location": "school",
                "audience": ["teachers", "students", "brigade"],
            },
            {
                "id": "lecture",
                "title": "消防安全讲座, 第一讲; A\\B",
                "kind": "lecture",
                "repeat": {"per": "term", "count": 1},
                "time": {"start": "10:00", "end": "11:00"},
                "location": "学校报告厅（二楼）",
                "reminders": [],
            },
            {
                "id": "parent-talk",
                "title": "家长消防课堂",
                "kind": "meeting",
                "repeat": {"once": "2025-03-12"},
                "time": {"start": "19:00", "end": "20:30"},
                "audience": ["parents"],
            },
        ],
    )


def occ(
    oid: str, date: str, start: str | None = None, end: str | None = None, **kw: Any
) -> Occurrence:
    """An occurrence with the commitment and term taken from its id."""
    parts = oid.split("/")
    term = kw.pop("term", parts[1] if len(parts) > 2 and parts[1][:4].isdigit() else None)
    return Occurrence(
        id=oid,
        commitment=parts[0],
        term=term,
        title=kw.pop("title", oid),
        date=dt.date.fromisoformat(date),
        start=dt.time.fromisoformat(start) if start else None,
        end=dt.time.fromisoformat(end) if end else None,
        why=kw.pop("why", "第7周周三，无冲突"),
        **kw,
    )


def make_plan(agreement: Agreement) -> Plan:
    """Timed, all-day, lead-up, provisional, cancelled and moved occurrences over three years."""
    occurrences = (
        occ("brigade-visit/2024-autumn/1", "2024-10-16", "14:00", "16:30", title="走进消防支队🚒"),
        occ(
            "brigade-visit/2024-autumn/1/lead-up-1",
            "2024-09-25",
            title="节目共创（走进消防支队🚒）",
            lead_up_of="brigade-visit/2024-autumn/1",
            why="活动前21天",
        ),
        occ(
            "fire-drill/fire-day-2024",
            "2024-11-08",
            title=LONG_TITLE,
            term="2024-autumn",
            why="全国消防日（11-9）为周六，提前到周五",
            festival="fire-day",
        ),
        occ(
            "lecture/2024-autumn/1",
            "2024-12-04",
            "10:00",
            "11:00",
            title="消防安全讲座, 第一讲; A\\B",
            status="cancelled",
            sequence=1,
            note="因降雪停课取消",
        ),
        occ(
            "brigade-visit/2025-spring/1",
            "2025-04-16",
            "14:00",
            "16:30",
            title="走进消防支队🚒",
            status="moved",
            sequence=2,
        ),
        occ(
            "parent-talk/once",
            "2025-03-12",
            "19:00",
            "20:30",
            title="家长消防课堂",
            term="2025-spring",
        ),
        occ(
            "lecture/2025-spring/1",
            "2025-05-07",
            "10:00",
            "11:00",
            title="消防安全讲座, 第一讲; A\\B",
            status="done",
        ),
        occ(
            "brigade-visit/2026-spring/1",
            "2026-04-15",
            "14:00",
            "16:30",
            title="走进消防支队🚒",
            provisional=True,
        ),
    )
    return Plan(agreement=agreement, occurrences=occurrences, provisional_years=(2026,))


@pytest.fixture
def agreement() -> Agreement:
    return Agreement.model_validate(agreement_data())


@pytest.fixture
def plan(agreement: Agreement) -> Plan:
    return make_plan(agreement)


@pytest.fixture
def ics(plan: Plan) -> bytes:
    return render_ics(
        plan,
        dtstamp=STAMP,
        prep={
            "brigade-visit/2024-autumn/1": [
                "10-06 学校：发放家长告知书",
                "10-09 支队：确认参观路线",
            ],
        },
    )


def variants(plan: Plan) -> list[bytes]:
    """Every file the CLI can write for the plan: whole, per term, per audience."""
    out = [render_ics(plan, dtstamp=STAMP)]
    for t in plan.agreement.calendar.terms:
        out.append(render_ics(plan, term=t.id, dtstamp=STAMP))
        for aud in ("teachers", "students", "parents", "brigade"):
            out.append(render_ics(plan, term=t.id, audience=aud, dtstamp=STAMP))
    return out


# --- file names and DTSTAMP ------------------------------------------------------------------


def test_filenames() -> None:
    assert ics_filename("damo-fire-2024", "2024-autumn", None) == "damo-fire-2024-2024-autumn.ics"
    assert ics_filename("damo-fire-2024", None, None) == "damo-fire-2024.ics"
    assert ics_filename("damo-fire-2024", "2024-autumn", "parents") == (
        "damo-fire-2024-2024-autumn-parents.ics"
    )
    assert ics_filename("damo-fire-2024", None, "teachers") == "damo-fire-2024-teachers.ics"


def test_dtstamp_from_source_date_epoch() -> None:
    assert dtstamp_now({"SOURCE_DATE_EPOCH": "1717848000"}) == STAMP
    assert dtstamp_now({"SOURCE_DATE_EPOCH": "0"}) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_dtstamp_now_is_utc() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for env in ({}, {"SOURCE_DATE_EPOCH": ""}):
        got = dtstamp_now(env)
        assert got.utcoffset() == dt.timedelta(0)
        assert got.microsecond == 0  # DTSTAMP has whole seconds
        assert before <= got <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "17e8", "99999999999999999999999"])
def test_dtstamp_bad_source_date_epoch(value: str) -> None:
    with pytest.raises(UsageError) as info:
        dtstamp_now({"SOURCE_DATE_EPOCH": value})
    assert str(info.value) == (
        f"SOURCE_DATE_EPOCH={value!r} is not a usable time: set it to whole seconds since "
        "1970-01-01 UTC (for example 1717804800), or unset it"
    )


@pytest.mark.parametrize(
    ("grades", "zh", "en"),
    [
        ([3], "3年级", "Grade 3"),
        ([2, 1], "1–2年级", "Grades 1–2"),
        ([1, 2, 3], "1–3年级", "Grades 1–3"),
        ([1, 3], "1、3年级", "Grades 1, 3"),
        ([1, 2, 4], "1、2、4年级", "Grades 1, 2, 4"),
        ([5, 5, 6], "5–6年级", "Grades 5–6"),
    ],
)
def test_grade_labels_name_runs_and_lists(grades: list[int], zh: str, en: str) -> None:
    assert (_grades(grades, "zh-CN"), _grades(grades, "en")) == (zh, en)


# --- bytes -----------------------------------------------------------------------------------


def test_byte_rules_every_file(plan: Plan, ics: bytes) -> None:
    for data in [ics, *variants(plan)]:
        check_bytes(data)


def test_folding_keeps_characters_whole(agreement: Agreement) -> None:
    for n in range(1, 80):
        title = "x" * n + "中🚒\\,;\n" * 20
        p = Plan(
            agreement, (occ("lecture/2024-autumn/1", "2024-12-04", "10:00", "11:00", title=title),)
        )
        data = render_ics(p, dtstamp=STAMP)
        check_bytes(data)
        assert str(next(iter(events(data).values()))["SUMMARY"]) == title


def test_reproducible(plan: Plan) -> None:
    assert variants(plan) == variants(plan)
    naive = render_ics(plan, dtstamp=STAMP.replace(tzinfo=None))
    beijing = STAMP.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert naive == render_ics(plan, dtstamp=beijing) == render_ics(plan, dtstamp=STAMP)
    later = render_ics(plan, dtstamp=STAMP + dt.timedelta(hours=1))
    diff = [
        (x, y)
        for x, y in zip(unfolded(render_ics(plan, dtstamp=STAMP)), unfolded(later), strict=True)
        if x != y
    ]
    assert diff and all(x.startswith("DTSTAMP:") for x, _ in diff)


def test_shared_event_bytes_change_nothing(plan: Plan) -> None:
    """Events serialised once for several files give the bytes icalendar gives whole."""
    shared: dict[str, bytes] = {}
    for term in (None, *(t.id for t in plan.agreement.calendar.terms)):
        for audience in (None, "parents"):
            alone = render_ics(plan, term=term, audience=audience, dtstamp=STAMP)
            reused = render_ics(plan, term=term, audience=audience, dtstamp=STAMP, events=shared)
            assert reused == alone
            whole = icalendar.Calendar.from_ical(alone).to_ical()
            assert whole == alone  # what icalendar writes for the same calendar, byte for byte


# --- calendar and events ---------------------------------------------------------------------


def test_calendar_properties(plan: Plan, ics: bytes) -> None:
    lines = unfolded(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    for want in (
        "VERSION:2.0",
        f"PRODID:-//partnership//partnership {__version__}//ZH",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{TITLE}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ):
        assert want in lines
    term = unfolded(render_ics(plan, term="2024-autumn", audience="parents", dtstamp=STAMP))
    assert f"X-WR-CALNAME:{TITLE} 2024—2025学年第一学期（家长）" in term


def test_one_narrow_vtimezone(plan: Plan, ics: bytes) -> None:
    cal = icalendar.Calendar.from_ical(ics)
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Asia/Shanghai"
    starts = [c.DTSTART for c in tz.subcomponents]
    assert starts and all(s.year >= 2024 for s in starts)
    term = icalendar.Calendar.from_ical(render_ics(plan, term="2025-spring", dtstamp=STAMP))
    (tz,) = term.walk("VTIMEZONE")
    assert [c.DTSTART.year for c in tz.subcomponents] == [2025]
    assert "2026" in str(tz["COMMENT"])  # covers 2025-01-01 .. 2026-01-01 only


def test_vtimezone_with_daylight_saving() -> None:
    a = Agreement.model_validate(agreement_data(timezone="Europe/Berlin"))
    data = render_ics(make_plan(a), term="2025-spring", dtstamp=STAMP)
    (tz,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    assert {c.DTSTART.year for c in tz.subcomponents} == {2025}
    assert "RDATE" not in tz.to_ical().decode()
    assert "DTSTART;TZID=Europe/Berlin:20250416T140000" in unfolded(data)


@pytest.mark.parametrize(
    "zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
)
def test_other_timezones(zone: str) -> None:
    a = Agreement.model_validate(agreement_data(timezone=zone))
    data = render_ics(make_plan(a), dtstamp=STAMP)
    check_bytes(data)
    parse_everywhere(data, "Asia/Shanghai")
    (tz,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert tz["TZID"] == zone and f"X-WR-TIMEZONE:{zone}" in unfolded(data)
    visit = events(data)["brigade-visit.2024-autumn.1@damo-fire-2024"]
    assert visit.start == dt.datetime(2024, 10, 16, 14, 0, tzinfo=zoneinfo.ZoneInfo(zone))


def test_event_times(ics: bytes) -> None:
    ev = events(ics)
    visit = ev["brigade-visit.2024-autumn.1@damo-fire-2024"]
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert visit.start == dt.datetime(2024, 10, 16, 14, 0, tzinfo=shanghai)
    assert visit.end == dt.datetime(2024, 10, 16, 16, 30, tzinfo=shanghai)
    lines = unfolded(ics)
    assert "DTSTART;TZID=Asia/Shanghai:20241016T140000" in lines
    assert "DTEND;TZID=Asia/Shanghai:20241016T163000" in lines
    assert "DTSTART;VALUE=DATE:20241108" in lines
    assert "DTEND;VALUE=DATE:20241109" in lines
    assert "DTSTAMP:20240608T120000Z" in lines
    drill = ev["fire-drill.fire-day-2024@damo-fire-2024"]
    assert drill.start == dt.date(2024, 11, 8) and drill.end == dt.date(2024, 11, 9)


def test_events_sorted(ics: bytes) -> None:
    starts = [str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert starts == [
        "brigade-visit.2024-autumn.1.lead-up-1@damo-fire-2024",
        "brigade-visit.2024-autumn.1@damo-fire-2024",
        "fire-drill.fire-day-2024@damo-fire-2024",
        "lecture.2024-autumn.1@damo-fire-2024",
        "parent-talk.once@damo-fire-2024",
        "brigade-visit.2025-spring.1@damo-fire-2024",
        "lecture.2025-spring.1@damo-fire-2024",
        "brigade-visit.2026-spring.1@damo-fire-2024",
    ]


def test_event_content(plan: Plan, ics: bytes) -> None:
    ev = events(ics)
    visit = ev["brigade-visit.2024-autumn.1@damo-fire-2024"]
    assert visit["SUMMARY"] == "走进消防支队🚒"
    assert visit["LOCATION"] == "永川区消防救援支队"
    assert visit["STATUS"] == "CONFIRMED" and visit["TRANSP"] == "OPAQUE"
    assert visit["SEQUENCE"] == 0
    assert visit.categories == ["参观", "安心工程"]
    desc = str(visit["DESCRIPTION"])
    for part in (
        TRICKY_DESCRIPTION,
        "参加人员：教师、学生、家长",
        "1–2年级：消防故事会与消防车参观",
        "5–6年级：火场逃生与灭火器实操",
        "永川区大磨小学：王老师（德育处主任），023-00000000",
        "永川区消防救援支队：李队长，023-11111111",
        "10-06 学校：发放家长告知书\n10-09 支队：确认参观路线",
        "日期依据：第7周周三，无冲突",
    ):
        assert part in desc
    assert "暂定" not in desc
    alarms = visit.walk("VALARM")
    assert [a.TRIGGER for a in alarms] == [-dt.timedelta(days=1), -dt.timedelta(hours=2)]
    assert all(a["ACTION"] == "DISPLAY" and a["DESCRIPTION"] == "走进消防支队🚒" for a in alarms)

    drill = ev["fire-drill.fire-day-2024@damo-fire-2024"]
    assert drill["SUMMARY"] == LONG_TITLE
    assert drill["LOCATION"] == "永川区大磨小学，重庆市永川区大磨路1号"
    assert drill.categories == ["演练"]
    assert "参加人员：教师、学生、消防救援人员" in str(drill["DESCRIPTION"])
    assert len(drill.walk("VALARM")) == 1  # the default reminder P1D

    lecture = ev["lecture.2024-autumn.1@damo-fire-2024"]
    assert lecture["STATUS"] == "CANCELLED" and lecture["SEQUENCE"] == 1
    assert lecture["LOCATION"] == "学校报告厅（二楼）"
    assert "取消原因：因降雪停课取消" in str(lecture["DESCRIPTION"])
    assert lecture.walk("VALARM") == []  # reminders: []

    assert ev["lecture.2025-spring.1@damo-fire-2024"]["STATUS"] == "CONFIRMED"
    cancelled = dataclasses.replace(plan.occurrences[1], status="cancelled")
    (cancelled_lead,) = events(
        render_ics(Plan(plan.agreement, (cancelled,)), dtstamp=STAMP)
    ).values()
    assert cancelled_lead["STATUS"] == "CANCELLED" and cancelled_lead.walk("VALARM") == []

    moved = ev["brigade-visit.2025-spring.1@damo-fire-2024"]
    assert moved["STATUS"] == "CONFIRMED" and moved["SEQUENCE"] == 2

    provisional = ev["brigade-visit.2026-spring.1@damo-fire-2024"]
    assert provisional["STATUS"] == "TENTATIVE"
    assert "（暂定：该年度放假安排尚未公布）" in str(provisional["DESCRIPTION"])

    lead = ev["brigade-visit.2024-autumn.1.lead-up-1@damo-fire-2024"]
    assert lead["SUMMARY"] == "节目共创（走进消防支队🚒）"
    assert "日期依据：活动前21天" in str(lead["DESCRIPTION"])


def test_english_labels() -> None:
    a = Agreement.model_validate(agreement_data(language="en", title="Fire safety partnership"))
    data = render_ics(make_plan(a), term="2024-autumn", audience="teachers", dtstamp=STAMP)
    lines = unfolded(data)
    assert f"PRODID:-//partnership//partnership {__version__}//EN" in lines
    assert "X-WR-CALNAME:Fire safety partnership 2024—2025学年第一学期 (teachers)" in lines
    visit = events(data)["brigade-visit.2024-autumn.1@damo-fire-2024"]
    desc = str(visit["DESCRIPTION"])
    assert "Audience: teachers, students, parents" in desc
    assert "Grades 1–2: 消防故事会与消防车参观" in desc
    assert "永川区大磨小学: 王老师 (德育处主任), 023-00000000" in desc
    assert visit.categories == ["visit", "安心工程"]


def test_uid_stable_when_the_date_moves(plan: Plan) -> None:
    moved = tuple(
        dataclasses.replace(o, date=dt.date(2024, 10, 23), sequence=1)
        if o.id == "brigade-visit/2024-autumn/1"
        else o
        for o in plan.occurrences
    )
    before = events(render_ics(plan, term="2024-autumn", dtstamp=STAMP))
    after = events(
        render_ics(dataclasses.replace(plan, occurrences=moved), term="2024-autumn", dtstamp=STAMP)
    )
    assert before.keys() == after.keys()
    uid = "brigade-visit.2024-autumn.1@damo-fire-2024"
    assert after[uid].DTSTART.date() == dt.date(2024, 10, 23) and after[uid]["SEQUENCE"] == 1
    whole = events(render_ics(plan, dtstamp=STAMP))
    assert set(before) <= set(whole)
    assert all(re.fullmatch(r"[a-z0-9.-]+@damo-fire-2024", u) for u in whole)
    assert len(whole) == len(plan.occurrences)


def test_audience_filter(plan: Plan) -> None:
    parents = events(render_ics(plan, audience="parents", dtstamp=STAMP))
    assert sorted(parents) == [
        # not brigade-visit.2024-autumn.1.lead-up-1: parents skip preparation sessions
        "brigade-visit.2024-autumn.1@damo-fire-2024",
        "brigade-visit.2025-spring.1@damo-fire-2024",
        "brigade-visit.2026-spring.1@damo-fire-2024",
        "parent-talk.once@damo-fire-2024",
    ]
    brigade = events(render_ics(plan, term="2024-autumn", audience="brigade", dtstamp=STAMP))
    assert list(brigade) == ["fire-drill.fire-day-2024@damo-fire-2024"]
    empty = render_ics(plan, term="2026-spring", audience="brigade", dtstamp=STAMP)
    check_bytes(empty)
    assert events(empty) == {}
    assert len(icalendar.Calendar.from_ical(empty).walk("VTIMEZONE")) == 1


def test_unknown_term_or_audience(plan: Plan) -> None:
    with pytest.raises(UsageError, match="2030-autumn"):
        render_ics(plan, term="2030-autumn", dtstamp=STAMP)
    with pytest.raises(UsageError, match="pupils"):
        render_ics(plan, audience="pupils", dtstamp=STAMP)


# --- independent parsers ---------------------------------------------------------------------


def test_independent_parsers(plan: Plan, ics: bytes) -> None:
    for data in [ics, *variants(plan)]:
        parse_everywhere(data, "Asia/Shanghai")


def test_text_round_trip(ics: bytes) -> None:
    uid = "lecture.2024-autumn.1@damo-fire-2024"
    ev = events(ics)
    assert str(ev[uid]["SUMMARY"]) == "消防安全讲座, 第一讲; A\\B"
    visit_desc = str(ev["brigade-visit.2024-autumn.1@damo-fire-2024"]["DESCRIPTION"])
    assert visit_desc.startswith(TRICKY_DESCRIPTION + "\n")
    parsed = vobject.readOne(ics.decode("utf-8"), validate=True)
    by_uid = {e.uid.value: e for e in parsed.vevent_list}
    assert by_uid[uid].summary.value == "消防安全讲座, 第一讲; A\\B"
    assert by_uid["brigade-visit.2024-autumn.1@damo-fire-2024"].description.value == visit_desc
    assert by_uid["fire-drill.fire-day-2024@damo-fire-2024"].summary.value == LONG_TITLE


def test_khal_import(tmp_path: Path, ics: bytes) -> None:
    config = khal_config(tmp_path, "Asia/Shanghai")
    src = tmp_path / "damo.ics"
    src.write_bytes(ics)

    def khal(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*khal_command(), "-c", str(config), *args],
            env=khal_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = khal("import", "--batch", str(src))
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower(), done.stderr
    assert len(list((tmp_path / "calendar").glob("*.ics"))) == 8
    listed = khal("list", "--format", "{uid}", "2020-01-01", "3000d")
    assert listed.returncode == 0, listed.stderr
    uids = {line for line in listed.stdout.splitlines() if "@damo-fire-2024" in line}
    assert uids == set(events(ics))


# --- property test ---------------------------------------------------------------------------

TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n"),
    min_size=1,
    max_size=200,
).filter(lambda s: s.strip())


def shown(text: str) -> str:
    """What an .ics reader gets back: line ends as LF, and no U+FEFF, which the writer
    drops (at a value's start icalendar would drop it anyway, so it cannot survive)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


@settings(max_examples=examples(150))
@example(
    title="\ufeff消防安全", description="a\ufeffb", day=dt.date(2024, 9, 2), start=None, minutes=1
)
@example(
    title="第一行\r\n第二行\r第三行",
    description="X说明X",
    day=dt.date(2024, 9, 2),
    start=None,
    minutes=1,
)
@given(
    title=TEXT,
    description=TEXT,
    day=st.dates(dt.date(2024, 9, 1), dt.date(2025, 1, 17)),
    start=st.none()
    | st.times(dt.time(0, 0), dt.time(22, 59)).map(lambda t: t.replace(second=0, microsecond=0)),
    minutes=st.integers(1, 60),
)
def test_any_text_round_trips(
    title: str, description: str, day: dt.date, start: dt.time | None, minutes: int
) -> None:
    data = agreement_data()
    data["commitments"][2]["description"] = description
    a = Agreement.model_validate(data)
    end = None
    if start is not None:
        end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
    o = occ(
        "lecture/2024-autumn/1",
        day.isoformat(),
        start and start.isoformat(),
        end and end.isoformat(),
        title=title,
    )
    out = render_ics(Plan(a, (o,)), dtstamp=STAMP)
    check_bytes(out)
    (ev,) = icalendar.Calendar.from_ical(out).walk("VEVENT")
    assert str(ev["SUMMARY"]) == shown(title)
    assert str(ev["DESCRIPTION"]).startswith(shown(description).strip("\n") + "\n")
    assert ev.start == (
        day
        if start is None
        else dt.datetime.combine(day, start, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    )


def test_family_files_say_where_when_and_what_to_bring_staff_files_keep_next_steps() -> None:
    from partnership.build import build_outputs
    from partnership.checklist_templates import builtin
    from partnership.loader import load_agreement
    from partnership.placement import place
    from partnership.records import Records
    from partnership.schoolcalendar import SchoolCalendar

    a = load_agreement(factory.EXAMPLE)
    cal = SchoolCalendar(a)
    files = build_outputs(place(a, cal), cal, Records(), {"SOURCE_DATE_EPOCH": "1735689600"})
    staff_tasks = {t.zh for kind in builtin().kinds.values() for t in kind.tasks}
    staff_tasks |= {t.zh for t in builtin().follow_up}
    for audience in ("parents", "students"):
        cal_ = icalendar.Calendar.from_ical(files[f"{a.agreement.id}-{audience}.ics"])
        events = list(cal_.walk("VEVENT"))
        assert events
        for ev in events:
            desc = str(ev["DESCRIPTION"])
            assert "事前准备" not in desc and "日期依据" not in desc, desc
            assert not any(task in desc for task in staff_tasks), desc
            assert "地点：" in desc
        visits = [e for e in events if str(e["UID"]).startswith("brigade-visit.")]
        assert visits
        for ev in visits:
            desc = str(ev["DESCRIPTION"])
            assert "携带与注意：" in desc and "请于 13:45 前到达" in desc, desc
    for audience in ("teachers", "brigade", None):
        name = ics_filename(a.agreement.id, None, audience)
        text = files[name].decode()
        assert "事前准备" in text and "日期依据" in text, name


def test_an_empty_file_has_the_vtimezone_of_its_term_or_of_the_whole_period() -> None:
    data = agreement_data()
    data["agreement"]["timezone"] = "Europe/Berlin"
    a = Agreement.model_validate(data)

    def rdates(term: str | None) -> list[str]:
        out = render_ics(Plan(a, ()), term=term, dtstamp=STAMP).decode()
        return [line for line in out.splitlines() if line.startswith("RDATE")]

    assert rdates("2024-autumn") == ["RDATE:20250330T030000", "RDATE:20251026T030000"]
    assert rdates(None) == [
        "RDATE:20250330T030000,20260329T030000,20270328T030000",
        "RDATE:20251026T030000,20261025T030000,20271031T030000",
    ]


def test_a_lead_up_says_what_it_prepares_with_the_activitys_day_and_time() -> None:
    a = load_agreement(factory.EXAMPLE)
    plan = place(a)
    cal = icalendar.Calendar.from_ical(render_ics(plan, dtstamp=STAMP))
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    show = "festival-performance/national-day-2024"
    lead_up = by_uid[uid(f"{show}/lead-up-1", a.agreement.id)]
    first = str(lead_up["DESCRIPTION"]).split("\n")[0]
    assert first == "为09-30 14:30的“消防主题文艺汇演（国庆节）”做准备"
    assert "做准备" not in str(by_uid[uid(show, a.agreement.id)]["DESCRIPTION"])


def test_unknown_term_and_audience_name_the_choices() -> None:
    a = Agreement.model_validate(agreement_data())
    terms = ", ".join(t.id for t in a.calendar.terms)
    with pytest.raises(UsageError) as info:
        render_ics(Plan(a, ()), term="2030-autumn", dtstamp=STAMP)
    assert str(info.value) == f"unknown term '2030-autumn' (terms: {terms})"
    with pytest.raises(UsageError) as info:
        render_ics(Plan(a, ()), audience="pets", dtstamp=STAMP)
    assert str(info.value) == (
        "unknown audience 'pets' (choose from teachers, students, parents, brigade)"
    )


@pytest.mark.parametrize(
    ("language", "status", "first", "location"),
    [
        ("zh-CN", "done", "备注：顺利", "学校，重庆市永川区"),
        ("zh-CN", "cancelled", "取消原因：顺利", "学校，重庆市永川区"),
        ("en", "done", "Note: 顺利", "学校, 重庆市永川区"),
        ("en", "cancelled", "Cancelled: 顺利", "学校, 重庆市永川区"),
    ],
)
def test_notes_and_locations_in_each_language(
    language: str, status: str, first: str, location: str
) -> None:
    data = agreement_data()
    data["agreement"]["language"] = language
    data["parties"]["school"] = {"name": "学校", "address": "重庆市永川区"}
    for c in data["commitments"]:
        c["location"] = "school"
    a = Agreement.model_validate(data)
    o = occ("lecture/2024-autumn/1", "2024-10-10", status=status, note="顺利")
    (ev,) = icalendar.Calendar.from_ical(render_ics(Plan(a, (o,)), dtstamp=STAMP)).walk("VEVENT")
    assert first in str(ev["DESCRIPTION"]).split("\n")
    assert str(ev["LOCATION"]) == location


def test_a_naive_dtstamp_is_utc_and_events_are_kept_for_the_next_file() -> None:
    a = Agreement.model_validate(agreement_data())
    o = occ("lecture/2024-autumn/1", "2024-10-10")
    events: dict[str, bytes] = {}
    out = render_ics(Plan(a, (o,)), dtstamp=dt.datetime(2024, 6, 8, 12, 0), events=events)
    assert b"DTSTAMP:20240608T120000Z\r\n" in out
    assert list(events) == [o.id] and events[o.id] in out


def test_the_whole_files_vtimezone_covers_the_years_of_its_activities() -> None:
    data = agreement_data()
    data["agreement"]["timezone"] = "Europe/Berlin"
    a = Agreement.model_validate(data)
    out = render_ics(Plan(a, (occ("lecture/2024-autumn/1", "2024-10-10"),)), dtstamp=STAMP)
    assert not [line for line in out.decode().splitlines() if line.startswith("RDATE")]


def test_a_lead_up_of_an_all_day_activity_names_its_day_and_not_the_variants() -> None:
    a = Agreement.model_validate(agreement_data())
    main = occ("brigade-visit/2024-autumn/1", "2024-10-16", title="走进消防支队🚒")
    lead_up = occ(
        "brigade-visit/2024-autumn/1/lead-up-1",
        "2024-09-25",
        title="节目共创：走进消防支队🚒",
        lead_up_of=main.id,
    )
    cal = icalendar.Calendar.from_ical(render_ics(Plan(a, (lead_up, main)), dtstamp=STAMP))
    text = {str(e["UID"]): str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")}
    prepares = text[uid(lead_up.id, a.agreement.id)]
    assert prepares.split("\n")[0] == "为10-16的“走进消防支队🚒”做准备"
    assert "消防故事会与消防车参观" not in prepares
    assert "消防故事会与消防车参观" in text[uid(main.id, a.agreement.id)]


@pytest.mark.parametrize(
    ("stamp", "line"),
    [
        (dt.datetime(2024, 6, 8, 12, 0), b"DTSTAMP:20240608T120000Z\r\n"),  # naive: UTC
        (
            dt.datetime(2024, 6, 8, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
            b"DTSTAMP:20240608T040000Z\r\n",
        ),
    ],
)
def test_dtstamp_is_utc_whatever_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch, stamp: dt.datetime, line: bytes
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        a = Agreement.model_validate(agreement_data())
        out = render_ics(Plan(a, (occ("lecture/2024-autumn/1", "2024-10-10"),)), dtstamp=stamp)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert line in out


@given(
    name=st.text(max_size=120),
    language=st.sampled_from(["zh-CN", "en"]),
    timezone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin"]),
)
@example(name="很长的名字, with; comma \\ " * 4, language="zh-CN", timezone="Asia/Shanghai")
def test_a_files_calendar_lines_are_what_icalendar_writes(
    name: str, language: str, timezone: str
) -> None:
    """The VCALENDAR around a file's events, its name line folded by us, is icalendar's."""
    from partnership.contentline import text
    from partnership.ics import _file_shell

    cal = icalendar.Calendar()
    cal.add("PRODID", f"-//partnership//partnership {__version__}//{language[:2].upper()}")
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", icalendar.vText(text(name)))
    cal.add("X-WR-TIMEZONE", timezone)
    cal.add("REFRESH-INTERVAL", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", icalendar.vDuration(dt.timedelta(days=1)))
    assert _file_shell(language, timezone, name) == cal.to_ical()


# --- what mutation testing found untested (docs/mutation.md) ---------------------------------

OWN_TEMPLATES = Templates(
    {"visit": KindTemplate(bring=Texts(zh="自带水杯", en="Bring water"), arrive_minutes=30)}, ()
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-CN",
            [
                "走进消防站🚒，参观车库; 体验\\装备,",
                "第二行：逃生演练",
                "第三行",
                "参加人员：教师、学生、家长",
                "分年级方案：",
                "1–2年级：消防故事会与消防车参观",
                "5–6年级：火场逃生与灭火器实操",
                "地点：永川区消防救援支队",
                "请于 13:30 前到达",
                "携带与注意：自带水杯",
                "联系人：",
                "永川区大磨小学：王老师（德育处主任），023-00000000",
            ],
        ),
        (
            "en",
            [
                "走进消防站🚒，参观车库; 体验\\装备,",
                "第二行：逃生演练",
                "第三行",
                "Audience: teachers, students, parents",
                "Programmes by grade:",
                "Grades 1–2: 消防故事会与消防车参观",
                "Grades 5–6: 火场逃生与灭火器实操",
                "Where: 永川区消防救援支队",
                "Please be there by 13:30",
                "Bring, and mind: Bring water",
                "Contacts:",
                "永川区大磨小学: 王老师 (德育处主任), 023-00000000",
            ],
        ),
    ],
)
def test_a_family_file_tells_the_agreements_own_templates_and_only_the_schools_contacts(
    language: str, expected: list[str]
) -> None:
    a = Agreement.model_validate(agreement_data(language=language))
    out = render_ics(make_plan(a), audience="parents", dtstamp=STAMP, templates=OWN_TEMPLATES)
    visit = events(out)[uid("brigade-visit/2024-autumn/1", a.agreement.id)]
    assert str(visit["DESCRIPTION"]).split("\n") == expected


def _vevents(data: bytes) -> dict[str, bytes]:
    """Each VEVENT's bytes (folded, as written), by UID."""
    found = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, flags=re.S)
    return {str(icalendar.Event.from_ical(e)["UID"]): e for e in found}


@pytest.mark.parametrize("audience", [None, "parents", "teachers"])
def test_each_caldav_object_is_the_files_event_in_a_calendar_of_its_own(
    plan: Plan, audience: str | None
) -> None:
    """The objects ``publish`` writes: exactly the events of that audience's file, each in a
    VCALENDAR that starts as every file does (no METHOD) with the VTIMEZONE of its year."""
    from partnership.ics import render_objects

    prep = {"brigade-visit/2024-autumn/1": ["10-06 学校：发放家长告知书"]}
    kw: dict[str, Any] = {"dtstamp": STAMP, "prep": prep, "templates": OWN_TEMPLATES}
    whole = _vevents(render_ics(plan, audience=audience, **kw))
    objects = render_objects(plan, audience=audience, **kw)
    assert set(objects) == set(whole)
    head = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        f"PRODID:-//partnership//partnership {__version__}//ZH\r\n"
        "CALSCALE:GREGORIAN\r\nBEGIN:VTIMEZONE\r\n"
    ).encode()
    for key, data in objects.items():
        assert data.startswith(head) and data.endswith(b"END:VCALENDAR\r\n"), data[:200]
        assert _vevents(data) == {key: whole[key]}
        year = icalendar.Calendar.from_ical(data).walk("VEVENT")[0].decoded("DTSTART").year
        check_vtimezone(data, "Asia/Shanghai", {year})
