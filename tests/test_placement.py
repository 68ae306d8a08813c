"""Placement: every plan obeys the contract (independent checker), is deterministic, and
handles festivals on holidays, 调休 workdays, full days, gaps, repair and records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from checker import KNOWN_LUNAR, festival_days, statutory, violations
from factory import AUTUMN_2024, SPRING_2025, make_agreement
from goldenfile import compare
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from profiles import examples

from partnership.demands import Demand
from partnership.loader import load_agreement, parse_agreement
from partnership.model import (
    BUILTIN_FESTIVAL_KEYS,
    PLACEMENTS,
    WEEKDAYS,
    Agreement,
    TimeRange,
    cross_check,
)
from partnership.placement import (
    Board,
    Candidates,
    Placed,
    finish,
    greedy_with_repair,
    place,
    stage,
)
from partnership.plan import Plan, Unplaced, sort_key
from partnership.records import (
    OccurrenceRecord,
    Records,
    publish,
    record_cancel,
    record_done,
    record_move,
)
from partnership.schoolcalendar import SchoolCalendar
from partnership.views.plan_views import plan_json

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "schedules" / "damo-primary.yaml"
GOLDEN = "damo-primary.plan.json"
D = dt.date
VISIT = "brigade-visit/2024-autumn/1"
# the checker holds the contract's new week numbering and lead-up rule; placement gets them
# in issue 12 (the lead removes these marks after merging it)


def dates(plan: Plan) -> dict[str, dt.date]:
    """Main and lead-up occurrence ids -> dates."""
    return {o.id: o.date for o in plan.occurrences}


def check(a: Agreement, plan: Plan, records: Records | None = None) -> list[str]:
    """What the independent checker finds wrong with ``plan`` (read as ``plan --json``)."""
    held = {k: r.published for k, r in (records or Records()).occurrences.items() if r.published}
    return violations(a.model_dump(mode="json"), plan_json(plan), held)


def checked(a: Agreement, records: Records | None = None) -> Plan:
    """Place, and fail the test on any contract violation the independent checker finds."""
    plan = place(a, records=records)
    assert check(a, plan, records) == []
    return plan


def visit(**extra: Any) -> dict[str, Any]:
    """A per-term commitment (走进消防支队) with the given overrides."""
    return {
        "id": "brigade-visit",
        "title": "走进消防支队",
        "repeat": {"per": "term", "count": 1},
        **extra,
    }


def festival(keys: list[str], placement: str, shift: int, **extra: Any) -> dict[str, Any]:
    """A festival commitment (文艺汇演)."""
    return {
        "id": "performance",
        "title": "文艺汇演",
        "repeat": {"festivals": keys, "placement": placement, "max_shift_days": shift},
        **extra,
    }


def once(cid: str, day: str) -> dict[str, Any]:
    """A commitment on a fixed date."""
    return {"id": cid, "title": f"活动{cid}", "repeat": {"once": day}}


# ----------------------------------------------------------------------- random agreements

FIRST, LAST, LAST_PROVISIONAL = D(2023, 9, 1), D(2026, 12, 31), D(2027, 12, 31)


def _weeks(start: dt.date, end: dt.date, weekdays: Sequence[str]) -> int:
    """Term weeks from the week of the first school day (no notices here: chinesecalendar)."""
    first = start
    while first < end and not (
        first in chinese_calendar.workdays
        or (WEEKDAYS[first.weekday()] in weekdays and first not in chinese_calendar.holidays)
    ):
        first += dt.timedelta(days=1)
    return max(1, (end - (first - dt.timedelta(days=first.weekday()))).days // 7 + 1)


@st.composite
def day_ranges(draw: st.DrawFn, lo: dt.date, hi: dt.date, name: str) -> list[dict[str, Any]]:
    """0–2 named ranges of 1–21 days inside lo..hi."""
    out = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(st.dates(lo, hi))
        end = min(hi, start + dt.timedelta(days=draw(st.integers(0, 20))))
        out.append({"name": f"{name}{i + 1}", "start": start, "end": end})
    return out


weekday_subsets = st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)


@st.composite
def agreements(draw: st.DrawFn, *, issue12: bool = True) -> Agreement:
    """A random valid agreement: 1–3 terms (in 2023-09..2026-12, or reaching into 2027),
    closures, brigade days, weekday subsets and every repeat form. Without ``issue12``:
    no week windows and no lead-up sessions (the two rules issue 12 changes)."""
    provisional = draw(st.booleans())
    limit = LAST_PROVISIONAL if provisional else LAST
    cur = draw(
        st.dates(D(2026, 3, 1), D(2027, 6, 1)) if provisional else st.dates(FIRST, D(2026, 9, 1))
    )
    terms: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 3))):
        if cur > limit:
            break
        end = min(limit, cur + dt.timedelta(days=draw(st.integers(14, 150))))
        t: dict[str, Any] = {"id": f"t{i + 1}", "name": f"第{i + 1}学期", "start": cur, "end": end}
        t["closures"] = draw(day_ranges(cur, end, "考试"))
        terms.append(t)
        cur = end + dt.timedelta(days=draw(st.integers(1, 60)))
    start = terms[0]["start"] - dt.timedelta(days=draw(st.integers(0, 20)))
    end = terms[-1]["end"] + dt.timedelta(days=draw(st.integers(0, 20)))
    school_weekdays = draw(st.one_of(st.just(["mon", "tue", "wed", "thu", "fri"]), weekday_subsets))
    min_weeks = min(_weeks(t["start"], t["end"], school_weekdays) for t in terms)

    def window() -> dict[str, Any]:
        if not issue12 or not draw(st.booleans()):
            return {}
        a = draw(st.integers(1, min_weeks))
        return {"window": {"weeks": [a, draw(st.integers(a, min_weeks))]}}

    commitments: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 4))):
        form = draw(st.sampled_from(["term", "month", "festivals", "once", "once_in"]))
        c: dict[str, Any] = {"id": f"c{i + 1}", "title": f"活动{i + 1}"}
        if form == "term":
            c["repeat"] = {"per": "term", "count": draw(st.integers(1, 4))}
            c.update(window())
        elif form == "month":
            c["repeat"] = {"per": "month", "count": draw(st.integers(1, 2))}
            c.update(window())
        elif form == "festivals":
            c["repeat"] = {
                "festivals": draw(
                    st.lists(
                        st.sampled_from(BUILTIN_FESTIVAL_KEYS), min_size=1, max_size=3, unique=True
                    )
                ),
                "placement": draw(st.sampled_from(PLACEMENTS)),
                "max_shift_days": draw(st.integers(0, 10)),
            }
        elif form == "once":
            c["repeat"] = {"once": draw(st.dates(start, end))}
        else:
            c["repeat"] = {"once_in": draw(st.sampled_from([t["id"] for t in terms]))}
            c.update(window())
        if draw(st.integers(0, 3)) == 0:
            c["weekdays"] = draw(weekday_subsets)
        c["brigade"] = draw(st.booleans())
        befores = draw(st.lists(st.integers(1, 30), max_size=2 if issue12 else 0, unique=True))
        c["lead_up"] = [{"title": f"筹备{k}", "days_before": n} for k, n in enumerate(befores)]
        for lu in c["lead_up"]:  # joint rehearsals with the brigade, or the school alone
            who = draw(st.sampled_from([None, ["teachers", "brigade"], ["students"]]))
            if who is not None:
                lu["audience"] = who
        commitments.append(c)
    notices = []
    if draw(st.booleans()):  # a notice: extra days off and a make-up weekend day, clear of
        # every term's first two weeks so that week 1 stays where _weeks puts it
        t = draw(
            st.sampled_from([t for t in terms if (t["end"] - t["start"]).days > 20] or terms[:1])
        )
        lo = t["start"] + dt.timedelta(days=14)
        off = draw(st.dates(min(lo, t["end"]), t["end"]))
        off_end = min(t["end"], off + dt.timedelta(days=draw(st.integers(0, 4))))
        weekend = [
            lo + dt.timedelta(days=i)
            for i in range(max(0, (t["end"] - lo).days + 1))
            if (lo + dt.timedelta(days=i)).weekday() >= 5
            and (lo + dt.timedelta(days=i)).year == off.year
        ]
        notices.append(
            {
                "year": off.year,
                "days_off": [{"name": "通知假", "start": off, "end": off_end}]
                if off_end.year == off.year
                else [],
                "workdays": draw(st.lists(st.sampled_from(weekend), max_size=1)) if weekend else [],
            }
        )
    a = Agreement.model_validate(
        {
            "version": 1,
            "agreement": {"id": "random", "title": "随机协议", "start": start, "end": end},
            "parties": {"school": {"name": "学校"}, "brigade": {"name": "支队"}},
            "calendar": {
                "weekdays": school_weekdays,
                "notices": notices,
                "terms": terms,
                "closures": draw(day_ranges(start, end, "停课")),
                "brigade_unavailable": draw(day_ranges(start, end, "战备")),
            },
            "scheduling": {
                "max_per_day": draw(st.integers(1, 2)),
                "min_gap_days": draw(st.integers(0, 4)),
            },
            "commitments": commitments,
        }
    )
    # dense drafts (more activities than a term has days) are refused by cross_check
    assume(cross_check(a) == [])
    return a


# found by the long profile: a Sunday school day in the weekend 端午 2024 joins (06-08..06-10
# off) moves the middle of a term of Sundays; the checker had only the holiday itself
SUNDAYS_TO_DRAGON_BOAT_2024 = make_agreement(
    [{"id": "c1", "title": "活动1", "repeat": {"per": "term", "count": 1}, "weekdays": ["sun"]}],
    [{"id": "t2", "name": "第2学期", "start": "2024-02-26", "end": "2024-06-09"}],
    start="2024-02-26",
    end="2024-06-09",
    weekdays=["mon", "tue", "sun"],
)

# the same weekend with an agreement's own notice for 2024: still off (the code had
# joined weekends only for a year without a notice)
SATURDAYS_TO_DRAGON_BOAT_WITH_A_NOTICE = make_agreement(
    [{"id": "c2", "title": "活动2", "repeat": {"per": "term", "count": 1}}],
    [{"id": "t3", "name": "第3学期", "start": "2024-03-18", "end": "2024-06-08"}],
    start="2024-03-18",
    end="2024-06-08",
    weekdays=["mon", "tue", "wed", "thu", "fri", "sat"],
    notices=[
        {"year": 2024, "days_off": [{"name": "通知假", "start": "2024-04-15", "end": "2024-04-15"}]}
    ],
)


@settings(max_examples=examples(80))
@given(agreements(issue12=False))
@example(a=SUNDAYS_TO_DRAGON_BOAT_2024)
@example(a=SATURDAYS_TO_DRAGON_BOAT_WITH_A_NOTICE)
def test_every_random_plan_obeys_the_contract_and_repeats(a: Agreement) -> None:
    plan = place(a)
    assert check(a, plan) == []
    assert plan_json(place(a)) == plan_json(plan)


@settings(max_examples=examples(80))
@given(agreements())
def test_every_random_plan_with_windows_and_lead_ups_obeys_the_contract(a: Agreement) -> None:
    assert check(a, place(a)) == []


@settings(max_examples=examples(60))
@given(agreements(issue12=False))
def test_published_plans_are_held_on_the_next_run(a: Agreement) -> None:
    plan = place(a)
    records = publish(Records(), plan)
    again = place(a, records=records)
    assert check(a, again, records) == []
    assert dates(again) == dates(plan)
    assert again.notices == plan.notices  # holding adds none (fixed-date clashes stay named)


# ----------------------------------------------------------------------- the checker itself

CHECKED = make_agreement(
    [
        visit(window={"weeks": [3, 12]}, weekdays=["wed", "thu"]),
        festival(["national-day"], "before", 7, lead_up=[{"title": "彩排", "days_before": 3}]),
    ],
    [  # starts on a Monday: week 1 is the same under either week rule
        {
            **AUTUMN_2024,
            "start": "2024-09-02",
            "closures": [{"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}],
        }
    ],
    brigade_unavailable=[{"name": "战备", "start": "2024-12-02", "end": "2024-12-06"}],
    scheduling={"min_gap_days": 3},
)
SHOW = "performance/national-day-2024"


def _moved(plan: Plan, oid: str, day: dt.date, **changes: Any) -> Plan:
    occurrences = tuple(
        dataclasses.replace(o, date=day, **changes) if o.id == oid else o for o in plan.occurrences
    )
    return dataclasses.replace(plan, occurrences=tuple(sorted(occurrences, key=sort_key)))


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda p: _moved(p, VISIT, D(2024, 10, 3)), "not a school day"),
        (lambda p: _moved(p, VISIT, D(2024, 10, 15)), "not one of the commitment's weekdays"),
        (lambda p: _moved(p, VISIT, D(2024, 11, 7)), "on a closure"),
        (lambda p: _moved(p, VISIT, D(2024, 12, 4)), "brigade unavailable"),
        (lambda p: _moved(p, VISIT, D(2024, 9, 5)), "outside term 2024-autumn or its window"),
        (lambda p: _moved(p, VISIT, D(2024, 9, 30)), "max_per_day"),
        (lambda p: _moved(p, VISIT, D(2024, 10, 2)), "closer than min_gap_days 3"),
        (lambda p: _moved(p, VISIT, D(2024, 10, 16), provisional=True), "provisional flag"),
        (lambda p: _moved(p, VISIT, D(2024, 10, 16), term=None), "term None"),
        (lambda p: _moved(p, SHOW, D(2024, 9, 20)), "outside the before window of 2024-10-01"),
        # before: the latest usable free day; 9-29 (the 调休 Sunday) is usable but 9-30 is free
        (lambda p: _moved(p, SHOW, D(2024, 9, 29)), "2024-09-30 is preferred and free"),
        (lambda p: _moved(p, VISIT, D(2024, 10, 24)), "2024-10-23 is preferred and free"),
        (lambda p: _moved(p, f"{SHOW}/lead-up-1", D(2024, 9, 26)), "nearest usable day"),
        (lambda p: _moved(p, f"{SHOW}/lead-up-1", D(2024, 10, 8)), "nearest usable day"),
        (lambda p: _moved(p, f"{SHOW}/lead-up-1", D(2024, 9, 27), term=None), "term None"),
        (
            lambda p: dataclasses.replace(p, occurrences=p.occurrences[1:]),
            "missing",
        ),
        (
            lambda p: dataclasses.replace(
                p, occurrences=tuple(o for o in p.occurrences if o.id != VISIT)
            ),
            "neither placed nor reported unplaced",
        ),
        (
            lambda p: dataclasses.replace(
                p,
                occurrences=tuple(o for o in p.occurrences if o.id != VISIT),
                unplaced=(Unplaced(VISIT, "brigade-visit", "2024-autumn", " "),),
            ),
            "unplaced without a reason",
        ),
        (
            lambda p: dataclasses.replace(p, occurrences=p.occurrences[::-1]),
            "not in (date, start, id) order",
        ),
    ],
)
def test_the_checker_catches_broken_plans(broken: Callable[[Plan], Plan], message: str) -> None:
    plan = place(CHECKED)
    assert dates(plan)[VISIT] == D(2024, 10, 23) and dates(plan)[SHOW] == D(2024, 9, 30)
    assert check(CHECKED, plan) == []
    found = check(CHECKED, broken(plan))
    assert any(message in v for v in found), found


TEACHERS_DAY = D(2024, 9, 10)  # a Tuesday
TEACHERS_DAY_CLOSED = {"name": "开学检查", "start": "2024-09-10", "end": "2024-09-10"}


@pytest.mark.parametrize(
    ("placement", "closures", "placed", "wrong", "preferred"),
    [
        ("before", [], TEACHERS_DAY, D(2024, 9, 9), "2024-09-10"),
        ("after", [], TEACHERS_DAY, D(2024, 9, 11), "2024-09-10"),  # after keeps a usable day
        ("nearest", [], TEACHERS_DAY, D(2024, 9, 9), "2024-09-10"),
        ("after", [TEACHERS_DAY_CLOSED], D(2024, 9, 11), D(2024, 9, 12), "2024-09-11"),
        ("before", [TEACHERS_DAY_CLOSED], D(2024, 9, 9), D(2024, 9, 6), "2024-09-09"),
        ("nearest", [TEACHERS_DAY_CLOSED], D(2024, 9, 9), D(2024, 9, 11), "2024-09-09"),  # tie
    ],
)
def test_the_checker_holds_the_festival_preferences(
    placement: str, closures: list[dict[str, str]], placed: dt.date, wrong: dt.date, preferred: str
) -> None:
    a = make_agreement([festival(["teachers-day"], placement, 5)], [AUTUMN_2024], closures=closures)
    plan = checked(a)
    oid = "performance/teachers-day-2024"
    assert dates(plan)[oid] == placed
    found = check(a, _moved(plan, oid, wrong))
    assert found == [f"{oid} on {wrong}: {preferred} is preferred and free (wrong, not blocked)"]


def test_the_checker_tells_a_blocked_day_from_a_wrong_one() -> None:
    """Two shows before 国庆 with one a day: 9-30 for one, the 调休 Sunday 9-29 for the other
    (9-30 is blocked); 9-27 instead of 9-29 is wrong, as 9-29 is free."""
    other = {**festival(["national-day"], "before", 7), "id": "concert"}
    a = make_agreement([festival(["national-day"], "before", 7), other], [AUTUMN_2024])
    plan = checked(a)
    got = {dates(plan)["performance/national-day-2024"], dates(plan)["concert/national-day-2024"]}
    assert got == {D(2024, 9, 29), D(2024, 9, 30)}
    second = next(
        k
        for k in ("performance", "concert")
        if dates(plan)[f"{k}/national-day-2024"] == D(2024, 9, 29)
    )
    swapped = _moved(
        _moved(plan, f"{second}/national-day-2024", D(2024, 9, 30)),
        f"{'concert' if second == 'performance' else 'performance'}/national-day-2024",
        D(2024, 9, 29),
    )
    assert check(a, swapped) == []
    found = check(a, _moved(plan, f"{second}/national-day-2024", D(2024, 9, 27)))
    assert found == [
        f"{second}/national-day-2024 on 2024-09-27: 2024-09-29 is preferred and free "
        "(wrong, not blocked)"
    ]


def test_the_checkers_festival_and_holiday_tables_agree_with_domain_facts() -> None:
    for key, years in KNOWN_LUNAR.items():
        for year, want in years.items():
            assert festival_days(key, year, {}) == [want], (key, year)
    assert statutory(2027) >= {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 8), D(2027, 10, 3)}
    assert len(statutory(2027)) == 13  # 元旦 1, 春节 4, 清明 1, 劳动 2, 端午 1, 中秋 1, 国庆 3


# ----------------------------------------------------------------------- the example and golden


def test_example_matches_the_golden_plan() -> None:
    """The example's dates, reviewed by hand; regenerate with UPDATE_GOLDEN=1 (see goldenfile)."""
    plan = place(load_agreement(EXAMPLE))
    compare(
        GOLDEN, json.dumps(plan_json(plan), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def test_example_obeys_the_contract() -> None:
    a = load_agreement(EXAMPLE)
    assert check(a, place(a)) == []


def test_example_is_complete_and_dates_are_the_hand_checked_ones() -> None:
    plan = checked(load_agreement(EXAMPLE))
    assert plan.complete
    got = dates(plan)
    assert got["festival-performance/national-day-2024"] == D(2024, 9, 30)
    assert got["festival-performance/new-year-2025"] == D(2024, 12, 31)
    assert got["festival-performance/childrens-day-2025"] == D(2025, 5, 30)  # 端午 5-31..6-2
    assert got["safety-talk/fire-day-2024"] == D(2024, 11, 11)  # 11-07..08 期中考试
    assert got["signing-ceremony/once"] == D(2024, 6, 8)
    assert plan.provisional_years == (2027,)


def _plan_in_subprocess(seed: str) -> str:
    code = (
        "import json, sys; from pathlib import Path\n"
        "from partnership.loader import load_agreement\n"
        "from partnership.placement import place\n"
        "from partnership.views.plan_views import plan_json\n"
        "sys.stdout.write(json.dumps(plan_json(place(load_agreement(Path(sys.argv[1])))),"
        " ensure_ascii=False, sort_keys=True))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE)],
        capture_output=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    return done.stdout.decode("utf-8")


def test_same_plan_in_processes_with_different_hash_seeds() -> None:
    first, second = _plan_in_subprocess("1"), _plan_in_subprocess("4242")
    assert first == second
    here = plan_json(place(load_agreement(EXAMPLE)))
    assert json.loads(first) == json.loads(json.dumps(here, ensure_ascii=False))


# ----------------------------------------------------------------------- festivals


def test_festival_on_a_holiday_moves_to_the_last_school_day_before() -> None:
    plan = checked(make_agreement([festival(["national-day", "new-year"], "before", 7)]))
    got = dates(plan)
    assert got["performance/national-day-2024"] == D(2024, 9, 30)
    assert got["performance/new-year-2025"] == D(2024, 12, 31)
    o = plan.by_id()["performance/national-day-2024"]
    assert (o.festival, o.term) == ("national-day", "2024-autumn")
    assert "国庆节" in o.why and "提前" in o.why


def test_festival_whose_shift_window_is_all_holiday_is_unplaced_with_counts() -> None:
    plan = checked(make_agreement([festival(["national-day"], "after", 3)]))
    assert not plan.complete
    (u,) = plan.unplaced
    assert u.id == "performance/national-day-2024"
    assert u.ruled_out == (("holiday", 4),)  # 10-01..10-04 are all 国庆 days off
    assert "放假4天" in u.reason and "及之后3天" in u.reason  # one side searched, not ±


def test_festival_skip_drops_the_year_and_exact_keeps_the_date() -> None:
    skip = checked(make_agreement([festival(["national-day", "teachers-day"], "skip", 7)]))
    assert dates(skip) == {"performance/teachers-day-2024": D(2024, 9, 10)}
    assert skip.complete
    exact = checked(make_agreement([festival(["national-day"], "exact", 7)]))
    o = exact.by_id()["performance/national-day-2024"]
    assert (o.date, o.term) == (D(2024, 10, 1), "2024-autumn")
    summer = checked(make_agreement([festival(["army-day"], "exact", 0)]))
    assert summer.by_id()["performance/army-day-2024"].term is None  # 8-1: summer holidays


def test_festival_uses_a_make_up_sunday_unless_weekdays_are_listed() -> None:
    terms = [{"id": "2025-autumn", "name": "秋季", "start": "2025-09-01", "end": "2026-01-30"}]
    plan = checked(
        make_agreement(
            [festival(["new-year"], "after", 5)], terms, start="2025-06-01", end="2026-06-30"
        )
    )
    o = plan.by_id()["performance/new-year-2026"]
    assert o.date == D(2026, 1, 4) and o.date.weekday() == 6  # 调休上班的星期日
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    strict = make_agreement(
        [festival(["new-year"], "after", 5, weekdays=weekdays)],
        terms,
        start="2025-06-01",
        end="2026-06-30",
    )
    assert dates(checked(strict))["performance/new-year-2026"] == D(2026, 1, 5)


def test_term_occurrences_skip_a_make_up_sunday_unless_sunday_is_listed() -> None:
    # Week 18 of 2025-autumn is 12-29..01-04: 12-29..31 closed, 01-01..03 off, 01-04 调休.
    terms = [
        {
            "id": "2025-autumn",
            "name": "秋季",
            "start": "2025-09-01",
            "end": "2026-01-30",
            "closures": [{"name": "期末复习", "start": "2025-12-29", "end": "2025-12-31"}],
        }
    ]
    plain = checked(
        make_agreement(
            [visit(window={"weeks": [18, 18]})], terms, start="2025-06-01", end="2026-06-30"
        )
    )
    (u,) = plain.unplaced
    assert dict(u.ruled_out) == {"closure": 3, "holiday": 3, "weekday": 1}
    sunday = visit(window={"weeks": [18, 18]}, weekdays=["sun"])
    assert dates(
        checked(make_agreement([sunday], terms, start="2025-06-01", end="2026-06-30"))
    ) == {"brigade-visit/2025-autumn/1": D(2026, 1, 4)}


# ----------------------------------------------------------------------- windows, closures


def test_window_fully_closed_is_unplaced_and_names_the_closures() -> None:
    closed = {"name": "运动会筹备", "start": "2024-10-14", "end": "2024-10-27"}  # weeks 7–8
    a = make_agreement([visit(window={"weeks": [7, 8]})], closures=[closed])
    plan = checked(a)
    assert not plan.complete
    (u,) = plan.unplaced
    assert (u.id, u.commitment, u.term) == (VISIT, "brigade-visit", "2024-autumn")
    assert dict(u.ruled_out) == {"closure": 10, "weekend": 4}
    assert "停课/考试10天" in u.reason and "窗口第7–8周" in u.reason
    english = make_agreement([visit(window={"weeks": [7, 8]})], closures=[closed], language="en")
    assert "closure: 10 days" in place(english).unplaced[0].reason
    assert "brigade-visit/2025-spring/1" in dates(plan)  # the other term is unaffected


def test_brigade_unavailability_applies_only_with_brigade_true() -> None:
    busy = [{"name": "战备", "start": "2024-09-01", "end": "2024-12-31"}]
    a = make_agreement(
        [visit(), {**visit(), "id": "drill", "brigade": False}],
        [AUTUMN_2024],
        brigade_unavailable=busy,
    )
    got = dates(checked(a))
    assert got["brigade-visit/2024-autumn/1"] >= D(2025, 1, 1)
    assert got["drill/2024-autumn/1"] < D(2025, 1, 1)


def test_provisional_term_in_2027() -> None:
    terms = [{"id": "2027-spring", "name": "春季", "start": "2027-02-22", "end": "2027-06-30"}]
    a = make_agreement(
        [visit(), festival(["labour-day"], "before", 7)],
        terms,
        start="2026-09-01",
        end="2027-07-31",
    )
    plan = checked(a)
    assert plan.provisional_years == (2027,)
    assert plan.occurrences and all(o.provisional for o in plan.occurrences)
    # provisional 劳动节 is 05-01..05-02 only (no 调休 known): 04-30 is a school day
    assert dates(plan)["performance/labour-day-2027"] == D(2027, 4, 30)


# ----------------------------------------------------------------------- capacity and gaps

WEEK3 = {"window": {"weeks": [2, 2]}}  # 2024-autumn week 2: 2024-09-09 (Mon)..09-15


def test_a_full_day_pushes_an_occurrence_to_the_nearest_free_day() -> None:
    a = make_agreement(
        [
            visit(weekdays=["wed"], **WEEK3),
            {**visit(weekdays=["tue", "wed", "thu"], **WEEK3), "id": "lecture"},
        ],
        [AUTUMN_2024],
    )
    plan = checked(a)
    got = dates(plan)
    assert got["brigade-visit/2024-autumn/1"] == D(2024, 9, 11)
    assert got["lecture/2024-autumn/1"] == D(2024, 9, 10)  # tie between tue and thu: earlier
    assert "09-11已有其他活动" in plan.by_id()["lecture/2024-autumn/1"].why
    two = make_agreement(
        a.model_dump()["commitments"], [AUTUMN_2024], scheduling={"max_per_day": 2}
    )
    assert set(dates(checked(two)).values()) == {D(2024, 9, 11)}


def test_min_gap_separates_activities_of_one_term() -> None:
    a = make_agreement(
        [visit(weekdays=["wed"], **WEEK3), {**visit(**WEEK3), "id": "lecture"}],
        [AUTUMN_2024],
        scheduling={"min_gap_days": 2},
    )
    assert dates(checked(a))["lecture/2024-autumn/1"] == D(2024, 9, 9)  # mon; fri ties later
    tight = make_agreement(
        [visit(weekdays=["wed"], **WEEK3), {**visit(**WEEK3), "id": "lecture"}],
        [AUTUMN_2024],
        scheduling={"min_gap_days": 3},
    )
    (u,) = checked(tight).unplaced
    assert u.id == "lecture/2024-autumn/1"
    # 09-11 holds the visit, 09-14 is the 调休 Saturday, 09-15 is 中秋
    assert dict(u.ruled_out) == {"full": 1, "gap": 4, "holiday": 1, "weekday": 1}
    assert "因最小间隔排除4天" in u.reason


def test_min_gap_does_not_reach_across_terms() -> None:
    # 2024-autumn ends Friday 2025-01-17; the spring term starts Monday 2025-01-20.
    terms = [AUTUMN_2024, {**SPRING_2025, "start": "2025-01-20"}]
    last = {"id": "a", "title": "期末", "repeat": {"once_in": "2024-autumn"}, "weekdays": ["fri"]}
    last["window"] = {"weeks": [20, 20]}
    first = {"id": "b", "title": "开学", "repeat": {"once_in": "2025-spring"}, "weekdays": ["mon"]}
    first["window"] = {"weeks": [1, 1]}
    plan = checked(make_agreement([last, first], terms, scheduling={"min_gap_days": 4}))
    assert dates(plan) == {"a/once": D(2025, 1, 17), "b/once": D(2025, 1, 20)}


def test_min_gap_uses_the_term_a_festival_lands_in() -> None:
    # 元宵 2025-02-12 is before the spring term; "after" moves it into the term (from
    # 02-17), where it must keep the gap to the spring term's other activities.
    first_week = {
        "id": "opening",
        "title": "开学安全第一课",
        "repeat": {"once_in": "2025-spring"},
        "weekdays": ["mon", "tue"],
        "window": {"weeks": [1, 1]},
    }
    a = make_agreement(
        [festival(["lantern"], "after", 7), first_week], scheduling={"min_gap_days": 2}
    )
    plan = checked(a)
    got = dates(plan)
    assert plan.by_id()["performance/lantern-2025"].term == "2025-spring"
    assert abs((got["performance/lantern-2025"] - got["opening/once"]).days) >= 2


def test_several_occurrences_are_spread_over_the_window() -> None:
    a = make_agreement([visit(repeat={"per": "term", "count": 3}, window={"weeks": [3, 17]})])
    got = sorted(d for k, d in dates(checked(a)).items() if "2024-autumn" in k)
    first_day, last_day = D(2024, 9, 9), D(2024, 12, 22)  # weeks 3..17
    third = (last_day - first_day) / 3
    thirds = [(d - first_day) // third for d in got]
    assert thirds == [0, 1, 2]


def _plain_greedy(demands: Sequence[Demand], candidates: Candidates, board: Board) -> Placed:
    """Hardest first without repair: what placement would do without its repair step."""
    order = sorted(demands, key=lambda d: (len(candidates[d.id]), d.target, d.id))
    got: dict[str, dt.date] = {}
    failed = []
    for d in order:
        day = next((c for c in candidates[d.id] if board.fits(c)), None)
        if day is None:
            failed.append(d.id)
            continue
        board.add(d.id, day)
        got[d.id] = day
    return Placed(got, tuple(failed))


def test_repair_moves_an_earlier_placement_to_make_room() -> None:
    # x (mon/tue) goes first and takes tue; y (tue/wed/thu) finds wed and thu taken by
    # fixed dates, so x must move to mon for y to get tue.
    a = make_agreement(
        [
            {**visit(weekdays=["mon", "tue"], **WEEK3), "id": "x"},
            {**visit(weekdays=["tue", "wed", "thu"], **WEEK3), "id": "y"},
            once("fixed-wed", "2024-09-11"),
            once("fixed-thu", "2024-09-12"),
        ],
        [AUTUMN_2024],
    )
    assert [u.id for u in place(a, strategy=_plain_greedy).unplaced] == ["y/2024-autumn/1"]
    plan = checked(a)
    assert plan.complete
    got = dates(plan)
    assert (got["x/2024-autumn/1"], got["y/2024-autumn/1"]) == (D(2024, 9, 9), D(2024, 9, 10))


# ----------------------------------------------------------------------- lead-ups


def test_lead_ups_go_before_and_do_not_count_for_capacity() -> None:
    lead = [{"title": "彩排", "days_before": 3}, {"title": "共创", "days_before": 21}]
    a = make_agreement(
        [festival(["national-day"], "before", 7, lead_up=lead), once("talk", "2024-09-27")],
        [AUTUMN_2024],
        scheduling={"min_gap_days": 2},
    )
    plan = checked(a)
    by_id = plan.by_id()
    rehearsal = by_id["performance/national-day-2024/lead-up-1"]
    assert rehearsal.lead_up_of == "performance/national-day-2024"
    assert rehearsal.festival == "national-day"  # a festival's rehearsal is the festival's
    assert rehearsal.date == D(2024, 9, 27)  # on the day of another main activity
    assert by_id["performance/national-day-2024/lead-up-2"].date == D(2024, 9, 9)
    # the lead-up 21 days before 10-08 (a Tuesday after 国庆) falls on Tuesday 09-17, 中秋:
    after = make_agreement(
        [festival(["national-day"], "after", 7, lead_up=lead[1:])], [AUTUMN_2024]
    )
    o = checked(after).by_id()["performance/national-day-2024/lead-up-1"]
    # the nearest usable day: 09-16 (off, tied) and 09-18 come before the 调休 Saturday 09-14
    assert o.date == D(2024, 9, 18)
    assert "09-16至09-17中秋节放假（法定假日1天、调休休息日1天）" in o.why


@pytest.mark.parametrize(
    ("main", "own", "status"),
    [
        (None, OccurrenceRecord(published=D(2024, 10, 15)), "planned"),  # published only
        (None, OccurrenceRecord(status="done"), "done"),
        ("cancelled", OccurrenceRecord(status="done"), "cancelled"),  # the activity's status wins
    ],
)
def test_a_lead_ups_own_record_sets_its_status_unless_the_activity_is_cancelled(
    main: str | None, own: OccurrenceRecord, status: str
) -> None:
    a = make_agreement(
        [{**once("sign", "2024-10-16"), "lead_up": [{"title": "筹备", "days_before": 1}]}],
        [AUTUMN_2024],
    )
    records = Records(occurrences={"sign/once/lead-up-1": own})
    if main == "cancelled":
        records = record_cancel(records, "sign/once", "暴雨")
    o = checked(a, records).by_id()["sign/once/lead-up-1"]
    assert (o.date, o.status) == (D(2024, 10, 15), status)


# ----------------------------------------------------------------------- records


def test_moved_record_sets_date_time_status_and_sequence() -> None:
    a = make_agreement([visit(time={"start": "14:00", "end": "16:00"})])
    nine = TimeRange(start=dt.time(9), end=dt.time(11))
    r = record_move(Records(), VISIT, D(2024, 12, 6), nine)
    r = record_move(r, VISIT, D(2024, 12, 5))
    o = checked(a, r).by_id()[VISIT]
    assert (o.date, o.start, o.end) == (D(2024, 12, 5), dt.time(9), dt.time(11))
    assert (o.status, o.sequence) == ("moved", 2)
    assert "改期" in o.why


def test_a_fixed_date_can_be_moved_by_a_record() -> None:
    a = make_agreement([once("signing", "2024-06-08")])
    o = checked(a, record_move(Records(), "signing/once", D(2024, 6, 12))).by_id()["signing/once"]
    assert (o.date, o.status, o.sequence) == (D(2024, 6, 12), "moved", 1)


def test_cancelled_keeps_its_published_date_and_frees_the_day() -> None:
    a = make_agreement([visit(weekdays=["wed"], **WEEK3)], [AUTUMN_2024])
    day = dates(place(a))[VISIT]
    r = record_cancel(publish(Records(), place(a)), VISIT, "暴雨预警")
    b = make_agreement(
        [*a.model_dump()["commitments"], once("talk", day.isoformat())], [AUTUMN_2024]
    )
    plan = checked(b, r)
    o = plan.by_id()[VISIT]
    assert (o.date, o.status, o.note) == (day, "cancelled", "暴雨预警")
    assert plan.by_id()["talk/once"].date == day and plan.complete


def test_cancelled_without_a_published_date_does_not_take_capacity() -> None:
    a = make_agreement(
        [
            visit(weekdays=["wed"], **WEEK3),
            {**visit(weekdays=["wed"], **WEEK3), "id": "lecture"},
        ],
        [AUTUMN_2024],
    )
    assert len(place(a).unplaced) == 1
    for cancelled in (VISIT, "lecture/2024-autumn/1"):
        plan = checked(a, record_cancel(Records(), cancelled, "改为线上"))
        assert plan.complete
        assert plan.by_id()[cancelled].status == "cancelled"


def _republished(before: Agreement, after: Agreement) -> tuple[Plan, Plan, Plan]:
    """Plan ``before``, publish it, then plan ``after`` with and without those records."""
    first = checked(before)
    return first, checked(after, publish(Records(), first)), checked(after)


def test_published_date_is_held_after_a_new_closure_elsewhere() -> None:
    a = make_agreement([visit(repeat={"per": "term", "count": 2}, window={"weeks": [3, 12]})])
    held = dates(place(a))[VISIT]
    closure = {"name": "运动会", "start": "2024-09-09", "end": "2024-09-20"}
    assert not D(2024, 9, 9) <= held <= D(2024, 9, 20)
    b = make_agreement(a.model_dump()["commitments"], closures=[closure])
    first, kept, fresh = _republished(a, b)
    assert dates(kept) == dates(first) and kept.notices == ()
    assert dates(fresh) != dates(first)  # without records the dates would have moved


def test_published_date_is_held_after_a_new_commitment() -> None:
    a = make_agreement([visit(**WEEK3)], [AUTUMN_2024])
    rival = {**visit(weekdays=["wed"], **WEEK3), "id": "lecture"}
    b = make_agreement([visit(**WEEK3), rival], [AUTUMN_2024])
    first, kept, fresh = _republished(a, b)
    assert dates(first)[VISIT] == D(2024, 9, 11)
    assert dates(fresh)[VISIT] != D(2024, 9, 11)  # hardest first would take wed for lecture
    assert dates(kept)[VISIT] == D(2024, 9, 11)
    (u,) = kept.unplaced  # the newcomer's only day is taken by the published visit
    assert (u.id, dict(u.ruled_out)) == (
        "lecture/2024-autumn/1",
        {"full": 1, "holiday": 1, "weekday": 5},
    )


def test_published_date_is_held_after_a_new_term() -> None:
    # 全国消防日 2024-11-09 is a Saturday. With only the late term (from Monday 11-11) the
    # nearest usable day is 11-11; a new term ending Friday 11-08 offers a nearer day.
    late = {"id": "2024-late", "name": "后半学期", "start": "2024-11-11", "end": "2025-01-17"}
    early = {"id": "2024-early", "name": "前半学期", "start": "2024-09-01", "end": "2024-11-08"}
    commitments = [visit(), festival(["fire-day"], "nearest", 7)]
    first, kept, fresh = _republished(
        make_agreement(commitments, [late]), make_agreement(commitments, [early, late])
    )
    assert dates(first)["performance/fire-day-2024"] == D(2024, 11, 11)
    assert dates(fresh)["performance/fire-day-2024"] == D(2024, 11, 8)
    assert {k: dates(kept)[k] for k in dates(first)} == dates(first)
    assert "brigade-visit/2024-early/1" in dates(kept) and kept.notices == ()


def test_a_held_date_that_became_impossible_gets_a_notice_and_a_new_date() -> None:
    a = make_agreement([visit()])
    first = checked(a)
    held = dates(first)[VISIT]
    closure = {"name": "校舍维修", "start": held.isoformat(), "end": held.isoformat()}
    b = make_agreement(a.model_dump()["commitments"], closures=[closure])
    plan = checked(b, publish(Records(), first))
    (notice,) = plan.notices
    assert notice.occurrence == VISIT and "校舍维修" in notice.message
    o = plan.by_id()[VISIT]
    assert o.date != held and o.sequence == 1
    assert dates(plan)["brigade-visit/2025-spring/1"] == dates(first)["brigade-visit/2025-spring/1"]


def test_the_proposed_date_stays_flagged_in_every_build_until_confirmed() -> None:
    a = make_agreement([visit()])
    first = checked(a)
    held = dates(first)[VISIT]
    closure = {"name": "校舍维修", "start": held.isoformat(), "end": held.isoformat()}
    b = make_agreement(a.model_dump()["commitments"], closures=[closure])
    records = publish(Records(), first)
    proposed = checked(b, records)
    records = publish(records, proposed)  # the build writes the proposal to the .ics
    assert records.occurrences[VISIT].unconfirmed
    again = checked(b, records)
    (notice,) = again.notices
    assert (notice.occurrence, notice.kind) == (VISIT, "awaiting-confirmation")
    assert "record --move" in notice.message
    assert dates(again) == dates(proposed) and again.by_id()[VISIT].sequence == 1
    assert publish(records, again) == records  # a third build changes nothing
    confirmed = record_move(records, VISIT, dates(again)[VISIT])
    assert not confirmed.occurrences[VISIT].unconfirmed
    assert checked(b, publish(confirmed, checked(b, confirmed))).notices == ()


def test_a_held_date_taken_by_a_new_fixed_date_gets_a_notice() -> None:
    a = make_agreement([visit()], [AUTUMN_2024])
    first = checked(a)
    held = dates(first)[VISIT]
    b = make_agreement([visit(), once("inspection", held.isoformat())], [AUTUMN_2024])
    plan = checked(b, publish(Records(), first))
    assert [n.occurrence for n in plan.notices] == [VISIT]
    assert dates(plan)[VISIT] != held and dates(plan)["inspection/once"] == held


def test_held_dates_that_no_longer_keep_the_gap_are_not_both_kept() -> None:
    a = make_agreement(
        [visit(weekdays=["wed"], **WEEK3), {**visit(weekdays=["thu"], **WEEK3), "id": "lecture"}],
        [AUTUMN_2024],
    )
    first = checked(a)
    assert set(dates(first).values()) == {D(2024, 9, 11), D(2024, 9, 12)}
    b = make_agreement(a.model_dump()["commitments"], [AUTUMN_2024], scheduling={"min_gap_days": 2})
    plan = checked(b, publish(Records(), first))
    # the earlier published date stays; the later one no longer fits and has no other thursday
    assert dates(plan)[VISIT] == D(2024, 9, 11)
    assert [n.occurrence for n in plan.notices] == ["lecture/2024-autumn/1"]
    assert [u.id for u in plan.unplaced] == ["lecture/2024-autumn/1"]


def test_provisional_occurrences_are_not_held() -> None:
    terms = [{"id": "2027-spring", "name": "春季", "start": "2027-02-22", "end": "2027-06-30"}]
    a = make_agreement([visit()], terms, start="2026-09-01", end="2027-07-31")
    first = checked(a)
    oid = "brigade-visit/2027-spring/1"
    assert publish(Records(), first).occurrences == {}  # publish never records provisional dates
    other = D(2027, 3, 3)
    assert dates(first)[oid] != other
    r = Records(occurrences={oid: OccurrenceRecord(published=other)})
    assert dates(checked(a, r))[oid] == dates(first)[oid]


def test_a_joint_plans_date_says_the_brigade_left_the_free_day_and_a_held_one_is_kept() -> None:
    """District mode finishes a school with the brigade's dates (``joint``): a free day it
    passed over is the joint plan's doing; a published date held there stays "published"."""
    a = make_agreement([visit()])
    cal = SchoolCalendar(a)
    autumn, spring = "brigade-visit/2024-autumn/1", "brigade-visit/2025-spring/1"
    alone = dates(place(a, cal))
    staged = stage(a, cal, Records())
    later = next(d for d in staged.candidates[spring] if d > alone[spring])
    held = Records(occurrences={spring: OccurrenceRecord(published=later)})
    staged = stage(a, cal, held)
    moved = next(d for d in staged.candidates[autumn] if d > alone[autumn])
    plan = finish(staged, Placed({autumn: moved}, ()), joint=True)
    by_id = plan.by_id()
    assert by_id[autumn].date == moved and by_id[spring].date == later
    # the nearest search passed over the ideal day and the one before it (a tie goes before)
    day_before = alone[autumn] - dt.timedelta(days=1)
    last = by_id[autumn].claims[-1]
    assert (last.rule, last.start, last.end) == ("joint", day_before, alone[autumn])
    assert f"{day_before:%m-%d}至{alone[autumn]:%m-%d}本校空闲，支队统筹未用；" in by_id[autumn].why
    assert [c.rule for c in by_id[spring].claims][-1] == "published"
    assert "空闲，但保留已发布的日期" in by_id[spring].why
    # alone, the same dates give what single mode says: nothing is the joint plan's
    single = finish(staged, Placed({autumn: moved}, ()))
    assert "joint" not in {c.rule for o in single.occurrences for c in o.claims}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_placed_occurrence_says_why(language: str) -> None:
    a = make_agreement(
        [visit(), festival(["national-day"], "before", 7), once("x", "2024-07-01")],
        language=language,
    )
    for o in checked(a).occurrences:
        assert o.why.strip()


def test_two_fixed_dates_on_one_day_are_reported_not_hidden() -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + (
        "\n  - id: open-day\n    title: 消防开放日\n    repeat: {once: 2024-06-08}\n"
    )
    plan = place(parse_agreement(text.encode("utf-8"), "two.yaml"))
    assert plan.by_id()["open-day/once"].date == plan.by_id()["signing-ceremony/once"].date
    (notice,) = [n for n in plan.notices if n.kind == "fixed-clash"]
    assert notice.occurrence == "signing-ceremony/once"
    assert "open-day/once" in notice.message and "冲突" in notice.message
    assert plan.by_id()["signing-ceremony/once"].sequence == 0


def _show(day: str, days_before: int, **lead: Any) -> dict[str, Any]:
    return {**once("show", day), "lead_up": [{"title": "彩排", "days_before": days_before, **lead}]}


def test_a_rehearsal_stays_in_its_activity_s_term_when_it_can() -> None:
    # show on Tuesday 2025-02-18, the term's second day: 3 days before is Saturday 02-15,
    # outside the term; Monday 02-17 is nearer than the autumn term's last day
    plan = checked(make_agreement([_show("2025-02-18", 3)]))
    o = plan.by_id()["show/once/lead-up-1"]
    assert (o.date, o.term) == (D(2025, 2, 17), "2025-spring")
    assert plan.notices == ()
    assert "02-13至02-16不在学期内" in o.why and "推迟2天" in o.why


def test_a_rehearsal_leaves_the_term_only_when_it_must_and_says_so() -> None:
    plan = checked(make_agreement([_show("2025-02-17", 2)]))  # the term's first day
    o = plan.by_id()["show/once/lead-up-1"]
    assert (o.date, o.term) == (D(2025, 1, 17), "2024-autumn")  # the last autumn school day
    assert "排在更早的学期" in o.why
    (notice,) = plan.notices
    assert (notice.occurrence, notice.kind) == ("show/once/lead-up-1", "lead-up-left-term")


def test_a_rehearsal_with_no_usable_day_is_unplaced_not_on_the_show_day() -> None:
    plan = checked(make_agreement([_show("2024-09-02", 2)], [AUTUMN_2024]))
    assert [u.id for u in plan.unplaced] == ["show/once/lead-up-1"]
    assert "show/once/lead-up-1" not in plan.by_id()


def test_a_joint_rehearsal_avoids_the_brigade_s_busy_days() -> None:
    busy = [{"name": "春节战备", "start": "2025-01-06", "end": "2025-01-10"}]
    alone = make_agreement([_show("2025-01-13", 3)], brigade_unavailable=busy)
    joint = make_agreement(
        [_show("2025-01-13", 3, audience=["students", "brigade"])], brigade_unavailable=busy
    )
    assert dates(checked(alone))["show/once/lead-up-1"] == D(2025, 1, 10)
    o = checked(joint).by_id()["show/once/lead-up-1"]
    assert o.date == D(2025, 1, 3)
    assert "01-06至01-10支队不可用（春节战备）" in o.why


def test_a_rehearsal_keeps_its_term_even_when_the_earlier_term_is_nearer() -> None:
    # terms back to back: show on Wednesday 01-15, 4 days before is Saturday 01-11; Friday
    # 01-10 (the first term's last day) is nearer than Monday 01-13, the show's own term
    first = {**AUTUMN_2024, "end": "2025-01-10"}
    second = {**SPRING_2025, "start": "2025-01-13"}
    plan = checked(make_agreement([_show("2025-01-15", 4)], [first, second]))
    o = plan.by_id()["show/once/lead-up-1"]
    assert (o.date, o.term) == (D(2025, 1, 13), "2025-spring")
    assert plan.notices == ()


# ----------------------------------------------------------------------- published lead-ups

LEAD = "show/once/lead-up-1"


def _lead_up_held(
    show: str,
    days_before: int,
    published: dt.date,
    terms: list[dict[str, Any]] | None = None,
    **kw: Any,
) -> Plan:
    """The plan of a show whose rehearsal was published on ``published``."""
    a = make_agreement([_show(show, days_before)], terms, **kw)
    return checked(a, Records(occurrences={LEAD: OccurrenceRecord(published=published)}))


def test_a_published_rehearsal_day_is_held_while_it_is_still_usable() -> None:
    # show on Wednesday 11-20, 1 day before is Tuesday 11-19; Monday 11-18 was published
    plan = _lead_up_held("2024-11-20", 1, D(2024, 11, 18))
    o = plan.by_id()[LEAD]
    assert o.date == D(2024, 11, 18) and plan.notices == ()
    assert "11-19空闲，但保留已发布的日期" in o.why
    assert [(c.rule, c.start) for c in o.claims][-1] == ("published", D(2024, 11, 19))


def test_a_published_rehearsal_on_the_agreement_s_first_day_is_held() -> None:
    autumn = {**AUTUMN_2024, "start": "2024-09-02"}
    plan = _lead_up_held("2024-09-04", 1, D(2024, 9, 2), [autumn, SPRING_2025], start="2024-09-02")
    assert dates(plan)[LEAD] == D(2024, 9, 2)


@pytest.mark.parametrize(
    "published",
    [
        D(2024, 11, 16),  # a Saturday
        D(2024, 11, 20),  # the show's own day
        D(2024, 11, 21),  # after the show
        D(2024, 6, 7),  # before the agreement
    ],
)
def test_a_published_rehearsal_day_that_is_no_longer_usable_is_not_held(
    published: dt.date,
) -> None:
    assert dates(_lead_up_held("2024-11-20", 1, published))[LEAD] == D(2024, 11, 19)


def test_a_published_rehearsal_in_a_provisional_year_is_not_held() -> None:
    terms = [{"id": "2027-spring", "name": "春季", "start": "2027-02-22", "end": "2027-06-30"}]
    plan = _lead_up_held(
        "2027-03-17", 1, D(2027, 3, 15), terms, start="2026-09-01", end="2027-07-31"
    )
    assert dates(plan)[LEAD] == D(2027, 3, 16)


def test_a_published_rehearsal_in_an_earlier_term_is_held_only_when_it_had_to_leave() -> None:
    first = {**AUTUMN_2024, "end": "2025-01-10"}
    second = {**SPRING_2025, "start": "2025-01-13"}
    # the show's own term has Monday 01-13, two days before Wednesday 01-15: not held
    stays = _lead_up_held("2025-01-15", 2, D(2025, 1, 9), [first, second])
    assert dates(stays)[LEAD] == D(2025, 1, 13)
    # a show on the term's first day: its rehearsal leaves the term, and Thursday 01-09
    # (published) is held though Friday 01-10 is nearer
    leaves = _lead_up_held("2025-01-13", 2, D(2025, 1, 9), [first, second])
    o = leaves.by_id()[LEAD]
    assert (o.date, o.term) == (D(2025, 1, 9), "2024-autumn")
    assert [n.kind for n in leaves.notices] == ["lead-up-left-term"]


def test_a_joint_rehearsal_with_no_day_counts_the_brigade_s_busy_days() -> None:
    busy = [{"name": "集训", "start": "2024-09-02", "end": "2024-09-03"}]
    show = _show("2024-09-04", 1, audience=["students", "brigade"])
    plan = checked(make_agreement([show], [AUTUMN_2024], brigade_unavailable=busy))
    (u,) = plan.unplaced
    assert u.id == LEAD and dict(u.ruled_out) == {"outside-term": 85, "weekend": 1, "brigade": 2}


def test_a_rehearsal_may_take_the_agreement_s_first_day_when_nothing_nearer_is_open() -> None:
    autumn = {
        **AUTUMN_2024,
        "start": "2024-09-02",
        "closures": [{"name": "军训", "start": "2024-09-03", "end": "2024-09-12"}],
    }
    plan = _lead_up_held("2024-09-13", 1, D(2024, 9, 13), [autumn, SPRING_2025], start="2024-09-02")
    assert dates(plan)[LEAD] == D(2024, 9, 2)


def test_a_failed_repair_puts_every_occurrence_it_moved_back() -> None:
    # week 4 of 2024-autumn (09-23..09-29, Sunday 09-29 a 调休 workday), gaps of 2 days:
    # b's only day is Thu 09-26, so a (tue/fri) takes Tue 09-24; x's days are Wed 09-25,
    # between them, and Sun 09-29, taken by a fixed date. Repair moves a to Fri 09-27, then
    # finds no other day for b: a goes back to 09-24 and x stays unplaced.
    week4 = {"window": {"weeks": [4, 4]}}
    a = make_agreement(
        [
            {**visit(weekdays=["thu"], **week4), "id": "b"},
            {**visit(weekdays=["tue", "fri"], **week4), "id": "a"},
            {**visit(weekdays=["wed", "sun"], **week4), "id": "x"},
            once("fixed-sun", "2024-09-29"),
        ],
        [AUTUMN_2024],
        scheduling={"max_per_day": 1, "min_gap_days": 2},
    )
    plan = checked(a)
    assert [u.id for u in plan.unplaced] == ["x/2024-autumn/1"]
    got = dates(plan)
    assert (got["a/2024-autumn/1"], got["b/2024-autumn/1"]) == (D(2024, 9, 24), D(2024, 9, 26))


def test_improve_moves_an_earlier_placement_onto_a_day_a_repair_freed() -> None:
    # f's only day, 11, is held by a fixed date: f fails (and is skipped by improve). b (2
    # days) takes day 5; a (3 days) finds day 4 next to it and takes 8; c (4 days) finds
    # every day blocked, so repair moves b to day 1 and c takes 6. Day 4, a's first
    # choice, is free now: improve moves a there.
    c0 = make_agreement([visit()]).commitments[0]
    day = {n: D(2024, 10, 13 + n) for n in range(1, 12)}

    def demand(oid: str) -> Demand:
        return Demand(oid, c0, "term", None, (), day[1])

    candidates = {
        "f": [day[11]],
        "b": [day[5], day[1]],
        "a": [day[4], day[8], day[9]],
        "c": [day[6], day[9], day[7], day[4]],
    }
    board = Board(max_per_day=1, min_gap_days=2, term_at=lambda _: "t")
    board.add("fixed", day[11])
    got = greedy_with_repair([demand(x) for x in "fabc"], candidates, board)
    assert got == Placed({"b": day[1], "a": day[4], "c": day[6]}, ("f",))
    assert {d: ids for d, ids in board.by_day.items() if ids} == {
        day[11]: ["fixed"],
        day[1]: ["b"],
        day[4]: ["a"],
        day[6]: ["c"],
    }


def _festival(
    cid: str, placement: str, shift: int, weekdays: list[str] | None = None
) -> dict[str, Any]:
    """A commitment held near its own custom festival ``cid`` (on any school day without
    ``weekdays``)."""
    repeat = {"festivals": [cid], "placement": placement, "max_shift_days": shift}
    days = {"weekdays": weekdays} if weekdays else {}
    return {"id": cid, "title": cid, "repeat": repeat, **days}


def test_improve_places_a_failed_demand_on_the_day_a_move_frees() -> None:
    # min_gap_days 2: a day blocks its neighbours. Candidates (hardest first, ties by target):
    # a [Wed 16, Fri 11], b [Thu 17, Thu 24], d [Tue 22, Fri 25], c [Tue 22, Tue 15]; x is
    # fixed on Mon 21. a takes 16, b 24 (17 is next to a); d finds 22 next to x and 25 next
    # to b, and repair cannot move b (17 is still next to a): d fails. c finds 22 next to x;
    # repair moves a to 11 and c takes 15. Day 17 is free now: improve moves b there, which
    # frees 25, and places d on it.
    targets = {"a": 16, "b": 17, "d": 22, "c": 22}
    fests = [{"key": k, "name": k, "month": 10, "day": n} for k, n in targets.items()]
    a = make_agreement(
        [
            _festival("a", "before", 5, ["wed", "fri"]),
            _festival("b", "after", 7, ["thu"]),
            _festival("d", "after", 3, ["tue", "fri"]),
            _festival("c", "before", 7, ["tue"]),
            once("x", "2024-10-21"),
        ],
        [AUTUMN_2024],
        scheduling={"max_per_day": 1, "min_gap_days": 2},
        festivals=fests,
    )
    staged = stage(a, SchoolCalendar(a), Records())
    got = greedy_with_repair(staged.flexible, staged.candidates, staged.board)
    want = {"a/a-2024": D(2024, 10, 11), "b/b-2024": D(2024, 10, 17), "c/c-2024": D(2024, 10, 15)}
    assert got == Placed({**want, "d/d-2024": D(2024, 10, 25)}, ())
    assert {day: ids for day, ids in staged.board.by_day.items() if ids} == {
        D(2024, 10, 11): ["a/a-2024"],
        D(2024, 10, 15): ["c/c-2024"],
        D(2024, 10, 17): ["b/b-2024"],
        D(2024, 10, 21): ["x/once"],
        D(2024, 10, 25): ["d/d-2024"],
    }
    plan = checked(a)
    assert plan.unplaced == ()
    assert plan.by_id()["d/d-2024"].why == (
        "第8周周五：d（10-22）向后找最近的可用日，推迟3天；"
        "10-22因与x/once须间隔2天而排除（1天），10-23至10-24不是本活动的星期（周二、周五）"
    )


def test_improve_goes_round_again_after_a_move() -> None:
    # min_gap_days 2. Candidates: q [Thu 24, Tue 22, Mon 28], r [Tue 22, Thu 24, Fri 25],
    # s [Mon 21 .. Thu 24]. r takes 22, q 24; s finds every day blocked, so repair moves r
    # to 25 and q to 28 and s takes 23. improve, in the order q, r, s: q and r cannot move
    # (23 is taken), s moves to 21; only a second round moves r to 24, next to 23 no more.
    targets = {"q": 25, "r": 22, "s": 21}
    fests = [{"key": k, "name": k, "month": 10, "day": n} for k, n in targets.items()]
    a = make_agreement(
        [
            _festival("q", "nearest", 3, ["tue", "thu", "mon"]),
            _festival("r", "after", 4, ["tue", "thu", "fri"]),
            _festival("s", "after", 3),
        ],
        [AUTUMN_2024],
        scheduling={"max_per_day": 1, "min_gap_days": 2},
        festivals=fests,
    )
    staged = stage(a, SchoolCalendar(a), Records())
    got = greedy_with_repair(staged.flexible, staged.candidates, staged.board)
    want = {"q/q-2024": D(2024, 10, 28), "r/r-2024": D(2024, 10, 24), "s/s-2024": D(2024, 10, 21)}
    assert got == Placed(want, ())
    assert dates(checked(a)) == want


@pytest.mark.parametrize("then", [record_done, lambda r, oid: record_cancel(r, oid, "暴雨")])
def test_a_moved_fixed_date_keeps_its_new_day_once_done_or_cancelled(
    then: Callable[[Records, str], Records],
) -> None:
    a = make_agreement([once("sign", "2024-10-16")])
    moved = record_move(Records(), "sign/once", D(2024, 10, 18))
    records = then(publish(moved, place(a, records=moved)), "sign/once")
    o = checked(a, records).by_id()["sign/once"]
    assert (o.date, o.status) == (D(2024, 10, 18), records.occurrences["sign/once"].status)
    assert "按记录改期至10-18" in o.why


def test_a_done_activity_stays_where_it_was_moved_or_announced() -> None:
    a = make_agreement([visit(weekdays=["wed"])], [AUTUMN_2024])
    planned = dates(place(a))[VISIT]
    moved_day, announced = D(2024, 10, 30), D(2024, 10, 23)
    assert planned not in (moved_day, announced)
    moved = record_done(record_move(Records(), VISIT, moved_day), VISIT)
    o = checked(a, moved).by_id()[VISIT]
    assert (o.date, o.status) == (moved_day, "done") and "按记录改期至10-30" in o.why
    held = record_done(Records(occurrences={VISIT: OccurrenceRecord(published=announced)}), VISIT)
    o = checked(a, held).by_id()[VISIT]
    assert (o.date, o.status) == (announced, "done") and "按记录改期" not in o.why


def test_a_cancelled_fixed_date_does_not_hide_a_clash_of_later_ones() -> None:
    a = make_agreement(
        [once("early", "2024-10-14"), once("b", "2024-10-16"), once("c", "2024-10-16")]
    )
    plan = checked(a, record_cancel(Records(), "early/once", "暴雨"))
    assert [(n.occurrence, n.kind) for n in plan.notices] == [("c/once", "fixed-clash")]


def test_an_agreed_date_on_a_closure_is_kept_with_a_notice() -> None:
    exams = {"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}
    plan = checked(make_agreement([once("talk", "2024-11-07")], closures=[exams]))
    assert dates(plan)["talk/once"] == D(2024, 11, 7)
    (notice,) = plan.notices
    assert (notice.occurrence, notice.kind) == ("talk/once", "given-day-off")
    assert "停课（期中考试）" in notice.message


def test_a_rehearsal_for_an_activity_outside_the_terms_leaves_no_term() -> None:
    # Monday 2025-01-20 lies between the terms: its rehearsal goes to Friday 01-17, the
    # autumn term's last day, and no notice says it left a term it never had
    plan = checked(make_agreement([_show("2025-01-20", 3)]))
    o = plan.by_id()[LEAD]
    assert (o.date, o.term, plan.by_id()["show/once"].term) == (D(2025, 1, 17), "2024-autumn", None)
    assert plan.notices == ()


def test_a_joint_rehearsal_published_on_a_day_the_brigade_became_busy_is_not_held() -> None:
    busy = [{"name": "集训", "start": "2024-11-18", "end": "2024-11-18"}]
    show = _show("2024-11-20", 1, audience=["students", "brigade"])
    a = make_agreement([show], [AUTUMN_2024], brigade_unavailable=busy)
    records = Records(occurrences={LEAD: OccurrenceRecord(published=D(2024, 11, 18))})
    assert dates(checked(a, records))[LEAD] == D(2024, 11, 19)


def test_a_done_record_for_an_occurrence_with_no_usable_day_keeps_it_on_its_target() -> None:
    # week 10 of 2024-autumn is 11-04..11-10; Thursday and Friday are the exams
    exams = {"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}
    a = make_agreement(
        [visit(weekdays=["thu", "fri"], window={"weeks": [10, 10]})],
        [AUTUMN_2024],
        closures=[exams],
    )
    assert [u.id for u in place(a).unplaced] == [VISIT]
    o = place(a, records=record_done(Records(), VISIT)).by_id()[VISIT]
    assert (o.date, o.status) == (D(2024, 11, 7), "done")  # the middle of the window


def test_a_rehearsal_the_brigade_cannot_join_leaves_the_next_one_placed() -> None:
    busy = [{"name": "集训", "start": "2024-09-02", "end": "2024-09-03"}]
    show = {
        **once("show", "2024-09-04"),
        "lead_up": [
            {"title": "联排", "days_before": 1, "audience": ["students", "brigade"]},
            {"title": "彩排", "days_before": 2, "audience": ["students"]},
        ],
    }
    plan = checked(make_agreement([show], [AUTUMN_2024], brigade_unavailable=busy))
    (u,) = plan.unplaced
    assert (u.id, u.commitment) == ("show/once/lead-up-1", "show")
    assert dates(plan)["show/once/lead-up-2"] == D(2024, 9, 2)


def test_a_rehearsal_follows_its_activity_s_sequence_and_not_its_note() -> None:
    a = make_agreement([_show("2024-11-20", 1)])
    moved = record_move(Records(), "show/once", D(2024, 11, 21))
    plan = checked(a, record_done(publish(moved, place(a, records=moved)), "show/once", "顺利"))
    lead = plan.by_id()[LEAD]
    assert (lead.date, lead.sequence, lead.note) == (D(2024, 11, 20), 1, None)
    assert plan.by_id()["show/once"].note == "顺利"


def test_a_rehearsal_moved_on_its_own_takes_its_recorded_time() -> None:
    a = make_agreement([_show("2024-11-20", 1)])
    nine = TimeRange(start=dt.time(9, 0), end=dt.time(10, 0))
    lead = checked(a, record_move(Records(), LEAD, D(2024, 11, 18), nine)).by_id()[LEAD]
    assert (lead.date, lead.start, lead.end) == (D(2024, 11, 18), dt.time(9, 0), dt.time(10, 0))
