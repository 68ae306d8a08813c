"""A hand-made district whose joint plan is known day by day: who keeps a full brigade
day, who moves and why, who is left out and why, and the days fixed dates overfill.

Ten schools, three brigades (one without schools) and a school whose brigade the district
does not list:

- 第1小学 and 第2小学 (zh) may visit brigade "fire" only on 2025-09-17, 第10小学 only on 09-18;
  第3小学 and 第9小学 (en) would on 09-17 too, the middle of 09-16…18. "fire" hosts two a
  day: 第9小学, whose 09-16 has a meeting (one activity a day), moves to 09-18 and its drill
  from 09-18 to 09-17; 第3小学 to 09-16. 第10小学's second visit has no day even alone.
- 第4小学 and 第5小学 (en) each have a talk the brigade attends, only on 2025-10-15; "fire"
  attends one a day: one of them is left out.
- 第1–4小学 have a fixed ceremony at the brigade on 2025-11-12; 第4小学's is cancelled: three
  stay, one more than "fire" hosts; 第8小学's visit would be on that day too and moves.
- 第1小学 and 第6小学 (not in a listed brigade) have a drill that falls in a closure: left
  out as in single mode.
- 第7小学 (en) belongs to "none", which hosts and attends nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from partnership.district.loader import load_district
from partnership.district.planner import BrigadeDay, DistrictPlan, FullDay, plan_district
from partnership.placement import place
from partnership.records import Records, record_cancel
from tests.district.districts import write_files

VISIT_DAY = dt.date(2025, 9, 17)
TALK_DAY = dt.date(2025, 10, 15)
CEREMONY_DAY = dt.date(2025, 11, 12)


def _visit(weekdays: list[str]) -> dict[str, Any]:
    return {
        "id": "visit",
        "title": "走进消防站",
        "kind": "visit",
        "repeat": {"per": "term", "count": 1},
        "window": {"weeks": [3, 3]},
        "weekdays": weekdays,
        "location": "brigade",
    }


TALK = {
    "id": "talk",
    "title": "消防讲座",
    "kind": "lecture",
    "repeat": {"per": "term", "count": 1},
    "window": {"weeks": [7, 7]},
    "weekdays": ["wed"],
    "audience": ["teachers", "students", "brigade"],
}
CEREMONY = {
    "id": "ceremony",
    "title": "授牌仪式",
    "kind": "meeting",
    "repeat": {"once": CEREMONY_DAY.isoformat()},
    "location": "brigade",
}
MEETING = {  # at the school, without the brigade: it fills 第9小学's one activity a day
    "id": "meeting",
    "title": "家长会",
    "kind": "meeting",
    "repeat": {"once": "2025-09-16"},
    "brigade": False,
}
DRILL = {  # 第9小学's: on a day its visit leaves
    "id": "drill",
    "title": "疏散演练",
    "kind": "drill",
    "repeat": {"per": "term", "count": 1},
    "window": {"weeks": [3, 3]},
    "weekdays": ["wed", "thu"],
    "brigade": False,
}
CLOSED = {  # week 9 is closed: no day for it even alone
    "id": "closed-drill",
    "title": "疏散演练",
    "kind": "drill",
    "repeat": {"per": "term", "count": 1},
    "window": {"weeks": [9, 9]},
    "brigade": False,
}


def _school(
    n: int, language: str, brigade: str, commitments: list[Any], most: int = 2
) -> dict[str, Any]:
    return {
        "version": 1,
        "agreement": {
            "id": f"s{n}",
            "title": f"第{n}小学 共建",
            "start": "2025-09-01",
            "end": "2026-01-31",
            "language": language,
        },
        "parties": {
            "school": {"name": f"第{n}小学"},
            "brigade": {"name": "消防救援站", "id": brigade},
        },
        "calendar": {
            "holidays": "cn",
            "terms": [
                {
                    "id": "2025-autumn",
                    "name": "第一学期",
                    "start": "2025-09-01",
                    "end": "2025-12-19",
                    "closures": [{"name": "秋假", "start": "2025-10-27", "end": "2025-10-31"}],
                }
            ],
        },
        "scheduling": {"max_per_day": most, "min_gap_days": 0},
        "commitments": commitments,
    }


SCHOOLS = [
    _school(1, "zh-CN", "fire", [_visit(["wed"]), CEREMONY, CLOSED]),
    _school(2, "zh-CN", "fire", [_visit(["wed"]), CEREMONY]),
    _school(3, "en", "fire", [_visit(["tue", "wed", "thu"]), CEREMONY]),
    _school(4, "en", "fire", [CLOSED, TALK, CEREMONY]),
    _school(5, "en", "fire", [CLOSED, TALK]),
    _school(6, "zh-CN", "nowhere", [CLOSED]),
    _school(7, "en", "none", [_visit(["wed"]), TALK]),
    _school(8, "zh-CN", "fire", [{**_visit(["tue", "wed", "thu"]), "window": {"weeks": [11, 11]}}]),
    _school(9, "en", "fire", [_visit(["tue", "wed", "thu"]), MEETING, DRILL], most=1),
    _school(10, "zh-CN", "fire", [_visit(["thu"]), {**_visit(["thu"]), "id": "again"}], most=1),
]


def _write(folder: Path) -> Path:
    brigades = [
        {"id": "fire", "name": "一站", "capacity": {"host_per_day": 2, "attend_per_day": 1}},
        {"id": "none", "name": "二站", "capacity": {"host_per_day": 0, "attend_per_day": 0}},
        {"id": "idle", "name": "三站", "capacity": {"host_per_day": 1, "attend_per_day": 1}},
    ]
    schools = {data["agreement"]["id"]: data for data in SCHOOLS}
    return write_files(folder, schools, ("hand", "手算区"), brigades)


@pytest.fixture
def planned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DistrictPlan:
    monkeypatch.setenv("PARTNERSHIP_LANG", "zh")  # notices: the user's language
    loaded = load_district(_write(tmp_path))
    s4 = next(m for m in loaded.members if m.agreement.agreement.id == "s4")
    cancelled = record_cancel(Records(), CEREMONY_ID, "下雨")
    return plan_district(loaded, {s4.path: cancelled})


def _dates(dp: DistrictPlan) -> dict[tuple[str, str], dt.date]:
    return {
        (s.agreement.agreement.id, o.id): o.date for s in dp.schools for o in s.plan.occurrences
    }


VISIT = "visit/2025-autumn/1"
TALK_ID = "talk/2025-autumn/1"
CLOSED_ID = "closed-drill/2025-autumn/1"
CEREMONY_ID = "ceremony/once"


def test_the_ids_this_file_relies_on_are_single_modes(planned: DistrictPlan) -> None:
    by_id = {s.agreement.agreement.id: s for s in planned.schools}
    assert [o.id for o in place(by_id["s1"].member.agreement).occurrences] == [
        VISIT,
        CEREMONY_ID,
    ]
    alone = place(by_id["s3"].member.agreement)
    assert (alone.occurrences[0].id, alone.occurrences[0].date) == (VISIT, VISIT_DAY)
    assert [u.id for u in place(by_id["s1"].member.agreement).unplaced] == [CLOSED_ID]


def test_the_day_by_day_plan_and_its_objective(planned: DistrictPlan) -> None:
    dates = _dates(planned)
    assert dates[("s1", VISIT)] == dates[("s2", VISIT)] == VISIT_DAY
    day = dt.timedelta(days=1)
    assert dates[("s3", VISIT)] == VISIT_DAY - day
    assert dates[("s9", VISIT)] == dates[("s10", VISIT)] == VISIT_DAY + day
    assert dates[("s9", "drill/2025-autumn/1")] == VISIT_DAY
    assert dates[("s8", VISIT)] == CEREMONY_DAY - day
    talks = {a for a in ("s4", "s5") if (a, TALK_ID) in dates}
    assert len(talks) == 1 and dates[(next(iter(talks)), TALK_ID)] == TALK_DAY
    (winner,) = talks
    assert planned.brigades == {
        "fire": (
            BrigadeDay(VISIT_DAY - day, (("s3", VISIT),), ()),
            BrigadeDay(VISIT_DAY, (("s1", VISIT), ("s2", VISIT)), ()),
            BrigadeDay(VISIT_DAY + day, (("s10", VISIT), ("s9", VISIT)), ()),
            BrigadeDay(TALK_DAY, (), ((winner, TALK_ID),)),
            BrigadeDay(CEREMONY_DAY - day, (("s8", VISIT),), ()),
            BrigadeDay(CEREMONY_DAY, tuple((s, CEREMONY_ID) for s in ("s1", "s2", "s3")), ()),
        ),
        "idle": (),
        "none": (),
    }
    assert planned.moved == {("s3", VISIT), ("s8", VISIT), ("s9", VISIT)}
    # four activities a day off their days, a talk and 第7小学's two activities left out
    assert planned.objective == 4 + 3 * 1000
    assert planned.bound == planned.objective and planned.gap == 0.0


def test_a_moved_activity_names_the_day_and_the_schools_that_filled_it(
    planned: DistrictPlan,
) -> None:
    """In the school's language, after the single-mode reason, which tells what the
    school's own board held on the nearer days."""
    whys = {
        (s.agreement.agreement.id, o.id): o.why for s in planned.schools for o in s.plan.occurrences
    }
    full = "the brigade was full on 2025-09-17: 第1小学, 第2小学"
    assert whys[("s3", VISIT)].endswith(f"; {full}")
    assert whys[("s9", VISIT)] == (
        "Week 3, Thu: the middle (09-17) of the 3 usable days in window weeks 3–3; nearer days: "
        "09-16 taken by another activity (meeting/once), 09-17 taken by another activity "
        f"(drill/2025-autumn/1); the nearest usable day; {full}"
    )
    assert whys[("s9", "drill/2025-autumn/1")] == (
        "Week 3, Wed: the middle (09-18) of the 2 usable days in window weeks 3–3; nearer days: "
        "09-18 taken by another activity (visit/2025-autumn/1); the nearest usable day"
    )
    assert whys[("s8", VISIT)].endswith("；支队当天已满（2025-11-12）：第1小学、第2小学、第3小学")
    told = {k for k, why in whys.items() if "full" in why or "已满" in why}
    assert told == {("s3", VISIT), ("s8", VISIT), ("s9", VISIT)}


def test_who_is_left_out_and_why_in_their_own_language(planned: DistrictPlan) -> None:
    dates = _dates(planned)
    loser = "s5" if ("s4", TALK_ID) in dates else "s4"
    winner_name = "第4小学" if loser == "s5" else "第5小学"
    alone = {
        s.agreement.agreement.id: {u.id: u.reason for u in place(s.agreement).unplaced}
        for s in planned.schools
    }
    full = f"一站 was full on the possible days (1): 2025-10-15 ({winner_name})"
    no_attend = "二站 attends no activities elsewhere (attend_per_day: 0)"
    no_host = "二站 hosts no activities (host_per_day: 0)"
    got = [(u.agreement, u.id, u.brigade, u.reason, u.full_days) for u in planned.unplaced]
    assert got == sorted(
        [
            ("s1", CLOSED_ID, "fire", alone["s1"][CLOSED_ID], ()),
            ("s10", "again/2025-autumn/1", "fire", alone["s10"]["again/2025-autumn/1"], ()),
            ("s4", CLOSED_ID, "fire", alone["s4"][CLOSED_ID], ()),
            ("s5", CLOSED_ID, "fire", alone["s5"][CLOSED_ID], ()),
            (loser, TALK_ID, "fire", full, (FullDay(TALK_DAY, (winner_name,)),)),
            ("s6", CLOSED_ID, None, alone["s6"][CLOSED_ID], ()),
            # a brigade without capacity is full on every day, with no school there
            ("s7", TALK_ID, "none", no_attend, ()),  # no school filled a day of "none"
            ("s7", VISIT, "none", no_host, ()),
        ]
    )
    for s in planned.schools:  # each plan says the same as the district's list
        mine = [(u.agreement, u.id, u.reason) for u in planned.unplaced]
        aid = s.agreement.agreement.id
        assert sorted((aid, u.id, u.reason) for u in s.plan.unplaced) == [
            x for x in mine if x[0] == aid
        ]


def test_only_a_day_fixed_dates_put_over_capacity_is_noticed(planned: DistrictPlan) -> None:
    assert planned.notices == (
        "一站 2025-11-12 有 3 项活动（上限 2），都是不能移动的日期（固定、已完成或已发布）："
        "第1小学、第2小学、第3小学",
    )


def test_a_moved_activity_is_not_said_to_keep_a_published_date(planned: DistrictPlan) -> None:
    """Nothing of this district was published: the nearer free day was left by the
    brigade's joint plan (the brigade was full on it), which the reason says."""
    (s3,) = [s for s in planned.schools if s.agreement.agreement.id == "s3"]
    (visit,) = [o for o in s3.plan.occurrences if o.id == VISIT]
    assert "published" not in visit.why, visit.why
    assert [c.rule for c in visit.claims][-1] == "joint"
    assert "09-17 free at the school, left by the brigade's joint plan; " in visit.why
    assert visit.why.endswith("the brigade was full on 2025-09-17: 第1小学, 第2小学")
