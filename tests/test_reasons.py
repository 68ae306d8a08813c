"""Why this date: every claim of every reason is true of the calendar and the plan, checked
on random agreements against chinesecalendar and the agreement (tests/contract_v2.Cal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar as cc
import pytest
from contract_v2 import Cal, session_audience
from factory import AUTUMN_2024, SPRING_2025, make_agreement
from goldenfile import compare
from hypothesis import HealthCheck, given, settings
from test_placement import agreements

from partnership import reasons
from partnership.demands import Demand, expand
from partnership.holidays import statutory_days
from partnership.model import WEEKDAYS, Agreement
from partnership.placement import place
from partnership.plan import Occurrence, Plan
from partnership.reasons import Claim
from partnership.records import OccurrenceRecord, Records, record_move
from partnership.schoolcalendar import SchoolCalendar

D = dt.date
BUSY = [{"name": "战备执勤", "start": "2024-12-02", "end": "2024-12-06"}]
CLOSURES = {"closures": [{"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}]}


def setup(
    commitments: list[dict[str, Any]], language: str = "zh-CN"
) -> tuple[Agreement, SchoolCalendar, dict[str, Demand]]:
    a = make_agreement(
        commitments,
        [{**AUTUMN_2024, **CLOSURES}, SPRING_2025],
        language=language,
        brigade_unavailable=BUSY,
    )
    cal = SchoolCalendar(a)
    return a, cal, {d.id: d for d in expand(a, cal)}


VISIT = "visit/2024-autumn/1"
PER_TERM = {"id": "visit", "title": "参观", "repeat": {"per": "term", "count": 1}}


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (D(2024, 8, 30), "outside-term"),
        (D(2024, 10, 1), "holiday"),
        (D(2024, 9, 7), "weekend"),  # an ordinary Saturday
        (D(2024, 9, 14), "weekday"),  # a 调休 Saturday: a school day, not a visit weekday
        (D(2024, 11, 7), "closure"),
        (D(2024, 12, 3), "brigade"),
        (D(2024, 10, 15), None),
    ],
)
def test_why_not_names_the_first_rule(day: dt.date, rule: str | None) -> None:
    a, cal, ds = setup([PER_TERM])
    claim = reasons.day_rule(cal.day(day), ds[VISIT], a, None, VISIT)
    assert (claim.rule if claim else None) == rule


def test_holiday_claims_name_each_kind_of_day_off() -> None:
    a, cal, ds = setup([PER_TERM])
    got = reasons.runs(
        c
        for c in (
            reasons.day_rule(cal.day(D(2024, 10, n)), ds[VISIT], a, None, VISIT)
            for n in range(1, 8)
        )
        if c is not None
    )
    assert got == [
        Claim(
            "holiday",
            D(2024, 10, 1),
            D(2024, 10, 7),
            "国庆节",
            parts=(("statutory", 3), ("in-lieu", 2), ("weekend", 2)),
        )
    ]


def test_long_lists_name_the_longest_runs_and_count_the_rest() -> None:
    runs = [Claim("weekend", D(2024, 9, d), D(2024, 9, d)) for d in (1, 8, 15, 22)]
    runs.insert(1, Claim("closure", D(2024, 9, 3), D(2024, 9, 6), "x"))
    kept = reasons.shown(runs)
    assert [c.rule for c in kept] == ["weekend", "closure", "weekend", "more"]
    assert dict(kept[-1].parts) == {"runs": 2, "days": 2}


def test_unplaced_festival_says_the_side_searched() -> None:
    def reason(placement: str) -> str:
        c = {
            "id": "show",
            "title": "汇演",
            "repeat": {"festivals": ["national-day"], "placement": placement, "max_shift_days": 3},
        }
        a, _, ds = setup([c])
        d = ds["show/national-day-2024"]
        return reasons.unplaced(d, {"holiday": 4}, a).text

    assert "及之前3天" in reason("before") and "±" not in reason("before")
    assert "及之后3天" in reason("after") and "前后" not in reason("after")
    assert "前后3天" in reason("nearest")


# ----------------------------------------------------------------------- claims are true


def _range(r: Any) -> list[dt.date]:
    return [r.start + dt.timedelta(days=i) for i in range((r.end - r.start).days + 1)]


def _days(c: Claim) -> list[dt.date]:
    return [c.start + dt.timedelta(days=i) for i in range(c.days)]


def claim_errors(a: Agreement, plan: Plan) -> list[str]:
    """Every claim of every reason that the calendar or the plan contradicts."""
    cal = Cal(a)
    mains: dict[dt.date, list[Occurrence]] = {}
    for o in plan.occurrences:
        if o.is_main and o.status != "cancelled":
            mains.setdefault(o.date, []).append(o)
    bad: list[str] = []
    for o in plan.occurrences:
        c = a.commitment(o.commitment)
        brigade = "brigade" in session_audience(a, o) if o.lead_up_of else c.brigade
        for cl in o.claims:
            where = f"{o.id}: {cl}"
            for day in _days(cl) if cl.rule in reasons.RULED_OUT else []:
                if not _true(a, cal, cl, day, o, brigade, mains):
                    bad.append(f"{where}: not true on {day}")
            if cl.rule == "holiday":
                kinds = {"weekend": 0, "in-lieu": 0, "statutory": 0}
                noticed = {d for n in a.calendar.notices for r in n.days_off for d in _range(r)}
                for day in _days(cl):
                    # a weekday off beyond the statutory days that a notice adds is a 调休
                    # rest day (notices compensate such days with make-up workdays)
                    swapped = day in cc.in_lieu_days or (
                        day in noticed
                        and day not in cc.holidays
                        and day not in statutory_days(day.year)
                    )
                    kind = (
                        "weekend" if day.weekday() >= 5 else "in-lieu" if swapped else "statutory"
                    )
                    kinds[kind] += 1
                if any(dict(cl.parts).get(k, 0) != n for k, n in kinds.items()) and all(
                    d.year in {x.year for x in cc.holidays} for d in _days(cl)
                ):
                    bad.append(f"{where}: kinds of day off are {kinds}")
            if cl.rule == "search":
                side = c.repeat.placement if o.lead_up_of is None else "nearest"
                if side == "before" and not cl.end <= cl.start:
                    bad.append(f"{where}: a before-search that went forward")
                if side == "after" and not cl.end >= cl.start:
                    bad.append(f"{where}: an after-search that went back")
                if cl.end != o.date:
                    bad.append(f"{where}: the search does not end on the day")
            if cl.rule == "lead-up" and (
                cl.end != next(m.date for m in plan.occurrences if m.id == o.lead_up_of)
            ):
                bad.append(f"{where}: not the activity's day")
        if o.is_main and c.brigade is False and any(cl.rule == "brigade" for cl in o.claims):
            bad.append(f"{o.id}: names the brigade, which takes no part")
    return bad


def _true(
    a: Agreement,
    cal: Cal,
    cl: Claim,
    day: dt.date,
    o: Occurrence,
    brigade: bool,
    mains: dict[dt.date, list[Occurrence]],
) -> bool:
    r = cl.rule
    if r == "outside-agreement":
        return not a.agreement.start <= day <= a.agreement.end
    if r == "outside-term":
        return cal.term(day) is None
    if r == "other-term":
        t = cal.term(day)
        return t is not None and t.id == cl.name
    if r == "holiday":
        return (day in cal.off and cal.term(day) is not None) or day in cal.off
    if r == "weekend":
        return day.weekday() >= 5 and not cal.school_day(day)
    if r == "not-school-day":
        return day.weekday() < 5 and not cal.school_day(day) and day not in cal.off
    if r == "weekday":
        wanted = a.commitment(o.commitment).weekdays or a.calendar.weekdays
        return cal.school_day(day) and WEEKDAYS[day.weekday()] not in wanted
    if r == "closure":
        ranges = [*a.calendar.closures, *(t.closures for t in a.calendar.terms)]
        flat = [x for x in ranges for x in (x if isinstance(x, list) else [x])]
        return any(x.name == cl.name and x.start <= day <= x.end for x in flat)
    if r == "brigade":
        return brigade and any(
            x.name == cl.name and x.start <= day <= x.end for x in a.calendar.brigade_unavailable
        )
    if r == "full":
        here = {m.id for m in mains.get(day, [])}
        return set(cl.others) <= here and len(here) >= a.scheduling.max_per_day
    if r == "gap":
        g = a.scheduling.min_gap_days
        near = {
            m.id
            for k in range(-(g - 1), g)
            for m in mains.get(day + dt.timedelta(days=k), [])
            if m.term == (cal.term(day).id if cal.term(day) else None)
        }
        return bool(cl.others) and set(cl.others) <= near
    if r == "not-before":
        return any(day >= m.date for ms in mains.values() for m in ms if m.id == o.lead_up_of)
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreements())
def test_every_claim_of_every_reason_is_true(a: Agreement) -> None:
    plan = place(a)
    assert claim_errors(a, plan) == []
    for o in plan.occurrences:
        assert o.claims, o.id  # every reason is built from claims
        assert ("±" not in o.why and "前后" not in o.why) or "nearest" in repr(o.claims)


def test_a_false_claim_is_caught() -> None:
    a, _, _ = setup([PER_TERM])
    plan = place(a)
    o = plan.by_id()[VISIT]
    lie = Claim("holiday", D(2024, 10, 15), D(2024, 10, 15), "国庆节", parts=(("statutory", 1),))
    busy = Claim("brigade", D(2024, 10, 15), D(2024, 10, 15), "战备执勤")
    for claim in (lie, busy):
        forged = Occurrence(**{**o.__dict__, "claims": (*o.claims, claim)})
        broken = Plan(a, tuple(x if x.id != o.id else forged for x in plan.occurrences))
        assert claim_errors(a, broken) != []


def _fire_day(**extra: Any) -> dict[str, Any]:
    repeat = {"festivals": ["fire-day"], "placement": "before", "max_shift_days": 7}
    return {"id": "talk", "title": "讲座", "repeat": repeat, **extra}


def test_a_festival_day_taken_or_off_the_weekdays_is_not_called_brigade_busy() -> None:
    # 2025-11-07 (Friday) is usable; fire-day 2025-11-09 is a Sunday
    taken = make_agreement(
        [
            {**_fire_day(), "repeat": {**_fire_day()["repeat"], "festivals": ["teachers-day"]}},
            {"id": "x", "title": "X", "repeat": {"once": "2025-09-10"}},
        ],
        [
            AUTUMN_2024,
            SPRING_2025,
            {"id": "2025-autumn", "name": "秋", "start": "2025-09-01", "end": "2026-01-16"},
        ],
        end="2026-06-30",
    )
    why = place(taken).by_id()["talk/teachers-day-2025"].why
    assert "09-10已有其他活动（x/once）" in why and "支队" not in why
    wed = make_agreement([_fire_day(weekdays=["wed"])], [AUTUMN_2024])
    why = place(wed).by_id()["talk/fire-day-2024"].why
    assert "不是本活动的星期（周三）" in why and "支队" not in why
    assert "向前找" in why and "前后" not in why


def test_gap_wording_counts_the_days_it_ruled_out() -> None:
    a = make_agreement(
        [
            {"id": "x", "title": "X", "repeat": {"once": "2024-10-22"}},
            {**PER_TERM, "window": {"weeks": [7, 8]}},
        ],
        [AUTUMN_2024],
        scheduling={"min_gap_days": 3},
    )
    why = place(a).by_id()["visit/2024-autumn/1"].why
    assert place(a).by_id()["visit/2024-autumn/1"].date == D(2024, 10, 18)
    assert "10-21因与x/once须间隔3天而排除（1天）" in why and "10-22已有其他活动（x/once）" in why
    en = make_agreement(
        [
            {"id": "x", "title": "X", "repeat": {"once": "2024-10-22"}},
            {**PER_TERM, "window": {"weeks": [7, 8]}},
        ],
        [AUTUMN_2024],
        scheduling={"min_gap_days": 3},
        language="en",
    )
    assert "ruled out by the 3-day gap to x/once" in place(en).by_id()["visit/2024-autumn/1"].why


# ----------------------------------------------------------------------- every wording, golden

# one commitment per kind of reason: spread and windows, months, each festival placement
# (found, searched back, forward and both ways, kept exactly, unplaced), agreed dates on
# days off, a recorded move, lead-up sessions and long lists of ruled-out days
WORDING = [
    {
        "id": "visit",
        "title": "参观",
        "repeat": {"per": "term", "count": 2},
        "window": {"weeks": [13, 15]},
        "weekdays": ["tue", "wed"],
        "brigade": True,
    },
    {
        "id": "tour",
        "title": "参观营区",
        "repeat": {"per": "term", "count": 1},
        "window": {"weeks": [13, 15]},
        "weekdays": ["tue", "wed"],
        "brigade": True,
    },
    # fixed dates that crowd the visits, and clash with each other
    {"id": "meet", "title": "座谈", "repeat": {"once": "2024-12-10"}},
    {"id": "meet2", "title": "座谈二", "repeat": {"once": "2024-12-12"}},
    {"id": "meet3", "title": "座谈三", "repeat": {"once": "2024-12-11"}},
    # an agreed date that breaks two rules at once
    {"id": "parade", "title": "检阅", "repeat": {"once": "2025-04-12"}, "brigade": True},
    # a rehearsal that must leave the term, one that finds no day at all
    {
        "id": "opening",
        "title": "开学典礼",
        "repeat": {"once": "2025-02-17"},
        "lead_up": [{"title": "筹备", "days_before": 3}],
    },
    {
        "id": "first",
        "title": "第一课",
        "repeat": {"once": "2024-09-02"},
        "lead_up": [{"title": "备课", "days_before": 1}],
    },
    {"id": "talk", "title": "讲座", "repeat": {"per": "month", "count": 1}, "weekdays": ["thu"]},
    {
        "id": "drill",
        "title": "演练",
        "repeat": {"per": "term", "count": 1},
        "window": {"weeks": [10, 10]},
        "weekdays": ["thu", "fri"],
    },
    {
        "id": "closed",
        "title": "停课周",
        "repeat": {"per": "term", "count": 1},
        "window": {"weeks": [10, 10]},
        "weekdays": ["thu", "fri"],
    },
    *(
        {
            "id": f"show-{key}",
            "title": "汇演",
            "repeat": {"festivals": [key], "placement": placement, "max_shift_days": shift},
            **({"lead_up": [{"title": "彩排", "days_before": 2}]} if placement == "after" else {}),
        }
        for key, placement, shift in [
            ("national-day", "before", 9),
            ("mid-autumn", "after", 3),
            ("dragon-boat", "nearest", 4),
            ("qingming", "exact", 0),
            ("spring-festival", "before", 2),
            ("teachers-day", "skip", 0),
            ("school-day", "nearest", 2),
        ]
    ),
    {
        "id": "sign",
        "title": "签约",
        "repeat": {"once": "2024-11-09"},
        "lead_up": [{"title": "筹备", "days_before": 1}],
    },
    {"id": "open", "title": "开放日", "repeat": {"once_in": "2025-spring"}},
]


def _claim_line(c: Claim) -> str:
    parts = ",".join(f"{k}={n}" for k, n in c.parts)
    return f"  {c.rule} {c.start}..{c.end} name={c.name} others={','.join(c.others)} {parts}"


def _wording(language: str) -> str:
    """Every occurrence, unplaced demand and notice of the WORDING agreement, one a line."""
    a = make_agreement(
        WORDING,
        [{**AUTUMN_2024, **CLOSURES}, SPRING_2025],
        language=language,
        brigade_unavailable=[*BUSY, {"name": "演习", "start": "2025-04-12", "end": "2025-04-13"}],
        scheduling={"max_per_day": 1, "min_gap_days": 3},
        festivals=[{"key": "school-day", "name": "校庆日", "month": 10, "day": 18}],
    )
    records = record_move(Records(), "open/once", D(2025, 3, 8))
    published = {
        # held though nearer days are free, and still to be confirmed
        "visit/2025-spring/2": OccurrenceRecord(published=D(2025, 5, 20), unconfirmed=True),
        # held no more: a Saturday, a day a fixed date now takes, a day outside the window
        "talk/2025-spring/2025-03-1": OccurrenceRecord(published=D(2025, 3, 15)),
        "visit/2024-autumn/1": OccurrenceRecord(published=D(2024, 12, 11)),
        "visit/2025-spring/1": OccurrenceRecord(published=D(2025, 3, 4)),
    }
    records = records.model_copy(update={"occurrences": {**records.occurrences, **published}})
    plan = place(a, records=records)
    lines: list[str] = []
    for o in plan.occurrences:
        lines += [f"{o.id} {o.date} {o.title}: {o.why}", *map(_claim_line, o.claims)]
    for u in plan.unplaced:
        lines += [f"unplaced {u.id} {u.term}: {u.reason}", *map(_claim_line, u.claims)]
    lines += [f"notice {n.occurrence} {n.kind}: {n.message}" for n in plan.notices]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_golden_wording_of_every_kind_of_reason(language: str) -> None:
    compare(f"reasons-{language}.txt", _wording(language))
