"""Joint plans checked by code written apart from the planner.

The rules of each agreement are checked from the plan's own calendar facts
(SchoolCalendar) and the agreement; the brigade's capacity from the occurrences; the
reported bound against an exact MIP (tests/district/exact.py) on small districts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership import parallel
from partnership.district.loader import load_district
from partnership.district.planner import plan_district
from partnership.model import WEEKDAYS, Agreement, DayRange
from partnership.placement import place
from partnership.schoolcalendar import SchoolCalendar
from tests.district.districts import several_brigades, write_district
from tests.district.exact import Activity, SchoolRules, optimum

PENALTY = 1000  # what the contract's objective charges for an activity left unplaced


def _busy(a: Agreement, busy: list[DayRange]) -> Agreement:
    cal = a.calendar.model_copy(
        update={"brigade_unavailable": [*a.calendar.brigade_unavailable, *busy]}
    )
    return a.model_copy(update={"calendar": cal})


def _candidates(a: Agreement, cal: SchoolCalendar, oid: str) -> list[dt.date]:
    """Days an occurrence may take, from the agreement's rules and the calendar's facts."""
    cid, term_id, rest = oid.split("/")
    c = a.commitment(cid)
    term = a.term(term_id)
    names = c.weekdays or a.calendar.weekdays
    out = []
    day = term.start
    while day <= term.end:
        info = cal.day(day)
        ok = (
            info.school_day
            and info.official != "off"
            and WEEKDAYS[day.weekday()] in names
            and not info.closures
            and not (c.brigade and info.brigade_busy)
            and (c.window is None or c.window.weeks[0] <= term.week_of(day) <= c.window.weeks[1])
            and (c.repeat.per != "month" or f"{day:%Y-%m}" == rest[:7])
        )
        if ok:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _kind(a: Agreement, cid: str) -> str | None:
    c = a.commitment(cid)
    if c.location == "brigade":
        return "host"
    return "attend" if "brigade" in c.audience else None


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 6),
    host=st.integers(1, 2),
    attend=st.integers(1, 2),
)
def test_joint_plan_keeps_every_rule_and_its_bound_is_true(
    tmp_path_factory: object, seed: int, n: int, host: int, attend: int
) -> None:
    folder = tmp_path_factory.mktemp("district")  # type: ignore[attr-defined]
    path = write_district(Path(folder), n, random.Random(seed), host, attend)
    loaded = load_district(path)
    dp = plan_district(loaded, {})
    busy = loaded.district.brigades[0].unavailable
    capacity = {"host": host, "attend": attend}
    load: Counter[tuple[str, dt.date]] = Counter()
    rules: list[SchoolRules] = []
    objective = 0
    placed_alone: set[tuple[str, str]] = set()
    for s in dp.schools:
        a = _busy(s.member.agreement, busy)
        cal = SchoolCalendar(a)
        alone = {o.id: o.date for o in place(a, cal).occurrences if o.is_main}
        placed_alone.update((a.agreement.id, oid) for oid in alone)
        mains = [o for o in s.plan.occurrences if o.is_main]
        per_day = Counter(o.date for o in mains)
        assert max(per_day.values()) <= a.scheduling.max_per_day
        dates = sorted(o.date for o in mains)
        for x, y in itertools.pairwise(dates):
            assert (y - x).days >= a.scheduling.min_gap_days
        acts = []
        for o in mains:
            cands = _candidates(a, cal, o.id)
            assert o.date in cands, (o.id, o.date)
            kind = _kind(a, o.commitment)
            if kind:
                load[(kind, o.date)] += 1
            objective += abs((o.date - alone[o.id]).days)
        for u in s.plan.unplaced:
            if u.id in alone:
                objective += PENALTY
        for oid, pref in alone.items():
            cid = oid.split("/")[0]
            acts.append(Activity(oid, _kind(a, cid), pref, tuple(_candidates(a, cal, oid))))
        rules.append(
            SchoolRules(
                a.scheduling.max_per_day,
                a.scheduling.min_gap_days,
                cal.term_id,
                {},
                {},
                tuple(acts),
            )
        )
    for (kind, day), count in load.items():
        assert count <= capacity[kind], (kind, day, count)
    exact, _ = optimum(rules, capacity, PENALTY)
    assert dp.objective == objective
    assert dp.bound <= exact + 1e-6 <= objective + 2e-6
    for u in dp.unplaced:
        if (u.agreement, u.id) not in placed_alone:
            continue  # could not be placed even alone: the single-mode reason stands
        assert u.full_days and all(f.schools for f in u.full_days), u


def _strategy_args(staged: Any) -> tuple[Any, Any, Any]:
    return staged.flexible, staged.candidates, staged.board


def test_staging_given_the_demands_and_candidates_makes_the_same_plan(tmp_path: Path) -> None:
    """The hook district mode uses to stage an agreement from known demands changes nothing."""
    from partnership.demands import expand
    from partnership.placement import finish, greedy_with_repair, preference, stage
    from partnership.records import Records

    path = write_district(tmp_path, 3, random.Random(9), 1, 1)
    for m in load_district(path).members:
        a = m.agreement
        cal = SchoolCalendar(a)
        demands = expand(a, cal)
        prefs = {d.id: preference(d, cal, a) for d in demands if not d.fixed}
        alone = place(a, SchoolCalendar(a))
        for known in (prefs, {}):
            staged = stage(a, cal, Records(), (demands, known))
            assert finish(staged, greedy_with_repair(*_strategy_args(staged))) == alone


def test_a_district_with_room_for_everyone_keeps_every_single_mode_plan(tmp_path: Path) -> None:
    """A school the brigade's capacity moves nothing of is finished from its own dates:
    its plan is the one single mode makes, reasons and lead-ups included."""
    from partnership.district.planner import with_brigade

    loaded = load_district(write_district(tmp_path, 4, random.Random(3), 50, 50))
    dp = plan_district(loaded, {})
    assert not dp.moved
    for sp in dp.schools:
        brigade = loaded.district.brigade(sp.member.brigade or "")
        assert brigade is not None
        a = with_brigade(sp.member.agreement, brigade)
        assert sp.plan == place(a, SchoolCalendar(a))


def test_planning_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    loaded = load_district(write_district(tmp_path, 2, random.Random(5), 1, 1))
    assert gc.isenabled()
    plan_district(loaded, {})
    assert gc.isenabled() and not gc.get_freeze_count()
    gc.disable()
    try:
        plan_district(loaded, {})
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parts_planned_by_workers_come_back_as_the_plan_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a worker sends (plans without their agreements and calendars) gives back, once
    put together here with what ``meanwhile`` made, the plan made in one process: each
    part goes through ``ship`` and pickle as in a forked worker, without forking
    (tests/district/conftest.py)."""
    shipped: list[int] = []

    def here(work: Any, parts: Any, *, ship: Any, meanwhile: Any) -> list[Any]:
        meanwhile()
        sent = [pickle.loads(pickle.dumps(ship(work(p)))) for p in parts]
        shipped.extend(len(r) for r in sent)
        return sent

    loaded = load_district(several_brigades(tmp_path))
    one = plan_district(loaded, {}, cores=1)
    monkeypatch.setattr(parallel, "run_parts", here)
    several = plan_district(loaded, {}, cores=4)
    assert shipped == [1, 1, 1, 1]  # four units: three brigades and the school without one
    assert several.moved == one.moved and one.moved
    for field in ("brigades", "objective", "bound", "unplaced", "notices"):
        assert getattr(several, field) == getattr(one, field), field
    assert [s.member for s in several.schools] == [s.member for s in one.schools]
    for mine, theirs in zip(several.schools, one.schools, strict=True):
        assert mine.plan == theirs.plan and mine.agreement == theirs.agreement
        assert mine.calendar.agreement == theirs.agreement
        assert mine.records == theirs.records


def test_each_school_keeps_its_own_busy_days_and_its_brigades_and_nothing_else_changes(
    tmp_path: Path,
) -> None:
    loaded = load_district(several_brigades(tmp_path))
    dp = plan_district(loaded, {})
    on_busy_alone = 0
    for sp in dp.schools:
        mine = sp.member.agreement
        brigade = loaded.district.brigade(sp.member.brigade or "")
        extra = brigade.unavailable if brigade else []
        assert sp.agreement.calendar.brigade_unavailable == [
            *mine.calendar.brigade_unavailable,
            *extra,
        ]
        assert sp.agreement.model_copy(update={"calendar": mine.calendar}) == mine
        busy = {d for r in extra for d in r.days()}
        uses = {c.id for c in mine.commitments if c.brigade}
        assert not [o for o in sp.plan.occurrences if o.commitment in uses and o.date in busy]
        on_busy_alone += sum(
            o.commitment in uses and o.date in busy for o in place(mine).occurrences
        )
    assert on_busy_alone  # alone, some schools would have the brigade on its busy days


def test_each_school_is_planned_with_its_own_records(tmp_path: Path) -> None:
    from partnership.records import Records, record_done

    loaded = load_district(several_brigades(tmp_path))
    records = {}
    for m in loaded.members[::3]:  # some schools with records, the others without
        first = place(m.agreement).occurrences[0]
        records[m.path] = record_done(Records(), first.id, "顺利")
    dp = plan_district(loaded, records)
    for sp in dp.schools:
        assert sp.records == records.get(sp.member.path, Records())
        done = [o.id for o in sp.plan.occurrences if o.status == "done"]
        assert done == list(sp.records.occurrences)


def test_an_unplaced_activity_names_only_the_full_days_and_keeps_its_own_reason_else() -> None:
    """``_explain`` on a plan whose activities the joint plan left out: one with a full
    day and a day no school used (blocked by its own school), one with no full day at all,
    and one the solver never saw (no preferred day)."""
    from partnership.district.model import Brigade
    from partnership.district.planner import DistrictUnplaced, FullDay, _explain
    from partnership.district.solver import Item, School
    from partnership.plan import Plan, Unplaced
    from tests.factory import make_agreement

    a = make_agreement(
        [{"id": "v", "title": "Visit", "repeat": {"per": "term", "count": 1}}], language="en"
    )
    d0, d1, d2, d3 = (dt.date(2024, 10, k) for k in (14, 15, 16, 17))
    lost = [
        Unplaced(oid, oid.split("/")[0], "2024-autumn", f"own: {oid}")
        for oid in ("v/1", "w/1", "x/1")
    ]
    plan = Plan(a, (), tuple(lost), (), ())
    items = [Item("v/1", "host", d0, (d1, d2)), Item("w/1", "host", d0, (d3,))]
    school = School("s", "b", 1, 0, lambda d: "2024-autumn", {}, [], items)
    brigade = Brigade.model_validate({"id": "b", "name": "One station"})
    load = {d1: {"host": [("other", "o/1")], "attend": []}}
    new, out, shifted = _explain(
        plan, school, brigade, {"host": 1, "attend": 2}, load, {"other": "No. 2"}
    )
    aid = a.agreement.id
    assert out == [
        DistrictUnplaced(
            aid, "v/1", "b", "One station was full on the possible days (1): 2024-10-15 (No. 2)",
            (FullDay(d1, ("No. 2",)),),
        ),
        DistrictUnplaced(aid, "w/1", "b", "own: w/1"),  # its one day was not full
        DistrictUnplaced(aid, "x/1", "b", "own: x/1"),  # never the solver's
    ]  # fmt: skip
    assert [u.reason for u in new.unplaced] == [u.reason for u in out] and shifted == []
