"""The joint plan of a district: every agreement placed as alone, then together per brigade.

Single mode first (:func:`partnership.placement.stage` and the greedy strategy, with the
brigade's own busy days added to each member's calendar) gives every activity its
preferred day and every school its rules; :mod:`partnership.district.solver` then dates
the activities of each brigade's schools under its daily capacity, and
:func:`partnership.placement.finish` turns those dates into the plan, so every reason,
lead-up and record is as in single mode. The reasons of the activities the brigade's
capacity moved, or left unplaced, say so. Brigades do not interact: they are planned in
a process a core, or one a brigade where that deals them unevenly
(:mod:`partnership.parallel`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from partnership import parallel
from partnership.demands import Demand, expand
from partnership.district.loader import LoadedDistrict, Member
from partnership.district.model import Brigade
from partnership.district.solver import Item, Kind, School, solve
from partnership.messages import t
from partnership.model import Agreement, Commitment
from partnership.placement import (
    Board,
    Candidates,
    Placed,
    Staged,
    finish,
    greedy_with_repair,
    stage,
)
from partnership.plan import Occurrence, Plan, Unplaced
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar


@dataclass(frozen=True)
class SchoolPlan:
    """One agreement of the district with its calendar, records and (joint) plan."""

    member: Member
    agreement: Agreement  # with the brigade's busy days in its calendar
    calendar: SchoolCalendar
    records: Records
    plan: Plan


@dataclass(frozen=True)
class BrigadeDay:
    """What a brigade hosts and attends on one day: (agreement id, occurrence id) pairs."""

    date: dt.date
    hosted: tuple[tuple[str, str], ...]
    attended: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FullDay:
    """A day the brigade had no room left, and the schools that filled it."""

    date: dt.date
    schools: tuple[str, ...]


@dataclass(frozen=True)
class DistrictUnplaced:
    """An activity without a date: its agreement, id, the reason and the full days."""

    agreement: str
    id: str
    brigade: str | None
    reason: str
    full_days: tuple[FullDay, ...] = ()


@dataclass(frozen=True)
class DistrictPlan:
    """The joint plan: every school's plan, every brigade's load, objective and bound."""

    loaded: LoadedDistrict
    schools: tuple[SchoolPlan, ...]
    brigades: dict[str, tuple[BrigadeDay, ...]]
    objective: int
    bound: int
    unplaced: tuple[DistrictUnplaced, ...]
    moved: frozenset[tuple[str, str]] = frozenset()  # (agreement, occurrence) the brigade moved
    notices: tuple[str, ...] = ()  # days that fixed or published dates alone put over capacity

    @property
    def gap(self) -> float:
        """How far the plan may be from the best possible, relative to its objective."""
        return (self.objective - self.bound) / self.objective if self.objective else 0.0


def kind_of(c: Commitment) -> Kind | None:
    """How an activity uses the brigade: hosted at the brigade, attended elsewhere, or not."""
    if c.location == "brigade":
        return "host"
    return "attend" if "brigade" in c.audience else None


def with_brigade(agreement: Agreement, brigade: Brigade) -> Agreement:
    """The agreement with the brigade's own busy days added to its brigade_unavailable."""
    if not brigade.unavailable:
        return agreement
    cal = agreement.calendar
    days = [*cal.brigade_unavailable, *brigade.unavailable]
    return agreement.model_copy(
        update={"calendar": cal.model_copy(update={"brigade_unavailable": days})}
    )


@dataclass
class Capture:
    """A strategy that keeps what ``place`` hands it, then places as single mode does."""

    every: list[Demand] = field(default_factory=list)  # every demand of the agreement
    demands: list[Demand] = field(default_factory=list)
    candidates: dict[str, list[dt.date]] = field(default_factory=dict)
    fixed: dict[dt.date, list[str]] = field(default_factory=dict)
    placed: Placed = field(default_factory=lambda: Placed({}, ()))
    board: Board | None = None
    before: dict[dt.date, list[str]] = field(default_factory=dict)  # the board it was handed

    def __call__(self, demands: Sequence[Demand], candidates: Candidates, board: Board) -> Placed:
        self.demands = list(demands)
        self.candidates = {d.id: list(candidates[d.id]) for d in demands}
        self.before = {day: list(v) for day, v in board.by_day.items()}
        self.fixed = {day: v for day, v in self.before.items() if v}
        self.board = board
        self.placed = greedy_with_repair(demands, candidates, board)
        return self.placed

    def start_board(self) -> dict[dt.date, list[str]]:
        """A copy of the board's days as the strategy found them (before its own dates)."""
        return {day: list(v) for day, v in self.before.items()}


@dataclass(frozen=True)
class _Given:
    """A strategy that takes the joint solver's days (None: could not be placed)."""

    dates: Mapping[str, dt.date | None]

    def __call__(self, demands: Sequence[Demand], candidates: Candidates, board: Board) -> Placed:
        chosen: dict[str, dt.date] = {}
        failed: list[str] = []
        for d in demands:
            day = self.dates.get(d.id)
            if day is None:
                failed.append(d.id)
            else:
                board.add(d.id, day)
                chosen[d.id] = day
        return Placed(chosen, tuple(failed))


def plan_district(
    loaded: LoadedDistrict, records: Mapping[Path, Records], *, cores: int | None = None
) -> DistrictPlan:
    """The joint plan of every agreement of the district (records by agreement path).

    Brigades are planned apart from one another, so they are dealt over processes, one for
    each of ``cores`` (default: as many as this machine lets it use) or more where that
    deals them unevenly; the plan is the same for any number.
    """
    # The loaded agreements live as long as the plan, and so does almost everything planning
    # makes (calendars, demands, plans; it leaves next to no cyclic garbage: the same peak
    # memory at 1000 schools either way): the cycle collector is paused meanwhile, as its
    # full passes would otherwise make a school's cost grow with the district's size.
    gc.freeze()
    was = gc.isenabled()
    gc.disable()
    try:
        return _plan_district(loaded, records, parallel.cores() if cores is None else cores)
    finally:
        if was:
            gc.enable()
        gc.unfreeze()


@dataclass
class _Outcome:
    """What one brigade's joint planning gives (or, brigade None, the schools without one)."""

    members: list[int]  # indices into the district's members
    plans: list[Plan]  # with their calendars; both left empty when sent by a worker ...
    calendars: list[SchoolCalendar]
    bare: list[tuple[Any, ...]] = field(default_factory=list)  # ... which sends these instead
    objective: int = 0
    bound: int = 0
    days: tuple[BrigadeDay, ...] = ()
    notices: list[str] = field(default_factory=list)
    unplaced: list[DistrictUnplaced] = field(default_factory=list)
    moved: set[tuple[str, str]] = field(default_factory=set)

    def shipped(self) -> _Outcome:
        """The outcome as a worker sends it: plans without their agreements and calendars
        (the caller has both), so that little is pickled."""
        bare = [(p.occurrences, p.unplaced, p.provisional_years, p.notices) for p in self.plans]
        return replace(self, plans=[], calendars=[], bare=bare)


_Unit = tuple[Brigade | None, list[int]]  # a brigade (None: no brigade) and its members


def _plan_district(
    loaded: LoadedDistrict, records: Mapping[Path, Records], cores: int
) -> DistrictPlan:
    district = loaded.district
    units: list[_Unit] = [
        (b, [k for k, m in enumerate(loaded.members) if m.brigade == b.id])
        for b in sorted(district.brigades, key=lambda b: b.id)
    ]
    alone = [k for k, m in enumerate(loaded.members) if m.brigade is None]
    units = [u for u in units if u[1]] + ([(None, alone)] if alone else [])
    weights = [len(u[1]) for u in units]
    groups = parallel.split(weights, parallel.processes(weights, cores))

    def work(group: list[int]) -> list[_Outcome]:
        return [_plan_unit(loaded, records, *units[u]) for u in group]

    # the agreements and calendars of the plans workers send, made here while they plan
    made: dict[int, tuple[Agreement, SchoolCalendar]] = {}

    def meanwhile() -> None:
        for brigade, members in units:
            for k in members:
                m = loaded.members[k]
                a = with_brigade(m.agreement, brigade) if brigade else m.agreement
                made[k] = (a, SchoolCalendar(a))

    results = parallel.run_parts(
        work, groups, ship=lambda outs: [o.shipped() for o in outs], meanwhile=meanwhile
    )
    by_unit = {
        u: o for g, r in zip(groups, results, strict=True) for u, o in zip(g, r, strict=True)
    }
    outcomes = [by_unit[u] for u in range(len(units))]
    days = {b.id: o.days for (b, _), o in zip(units, outcomes, strict=True) if b}
    schools: list[SchoolPlan | None] = [None] * len(loaded.members)
    for o in outcomes:
        for j, k in enumerate(o.members):
            m = loaded.members[k]
            if o.plans:
                plan, cal = o.plans[j], o.calendars[j]
            else:  # planned by a worker: its agreement and calendar were made here
                a, cal = made[k]
                plan = Plan(a, *o.bare[j])
            schools[k] = SchoolPlan(m, plan.agreement, cal, records.get(m.path, Records()), plan)
    return DistrictPlan(
        loaded,
        tuple(s for s in schools if s is not None),
        {b.id: days.get(b.id, ()) for b in sorted(district.brigades, key=lambda b: b.id)},
        sum(o.objective for o in outcomes),
        sum(o.bound for o in outcomes),
        tuple(sorted((u for o in outcomes for u in o.unplaced), key=lambda u: (u.agreement, u.id))),
        frozenset(x for o in outcomes for x in o.moved),
        tuple(n for o in outcomes for n in o.notices),
    )


def _plan_unit(
    loaded: LoadedDistrict,
    records: Mapping[Path, Records],
    brigade: Brigade | None,
    members: list[int],
) -> _Outcome:
    """One brigade's schools planned together (brigade None: each school on its own)."""
    singles: list[tuple[Staged, Capture]] = []
    for k in members:
        m = loaded.members[k]
        a = with_brigade(m.agreement, brigade) if brigade else m.agreement
        cal = SchoolCalendar(a)
        capture = Capture(expand(a, cal))
        staged = stage(a, cal, records.get(m.path, Records()), (capture.every, {}))
        capture(staged.flexible, staged.candidates, staged.board)
        singles.append((staged, capture))
    calendars = [staged.calendar for staged, _ in singles]
    if brigade is None:
        plans = [finish(staged, capture.placed) for staged, capture in singles]
        lost = [
            DistrictUnplaced(p.agreement.agreement.id, u.id, None, u.reason)
            for p in plans
            for u in p.unplaced
        ]
        return _Outcome(members, plans, calendars, unplaced=lost)
    problems = [school_problem(st.agreement, cap, brigade.id) for st, cap in singles]
    capacity: dict[Kind, int] = {
        "host": brigade.capacity.host_per_day,
        "attend": brigade.capacity.attend_per_day,
    }
    result = solve(problems, capacity)
    done: list[Plan] = []
    for j, (staged, capture) in enumerate(singles):
        dates = {it.oid: result.dates[(j, it.oid)] for it in problems[j].items}
        if any(dates[oid] != capture.placed.dates.get(oid) for oid in dates):
            # the staged school with the board as the single-mode strategy found it: what
            # staging it again would give, without expanding and ranking its demands again
            b = staged.board
            board = Board(b.max_per_day, b.min_gap_days, b.term_at, capture.start_board())
            again = replace(staged, board=board)
            given = _Given(dates)(again.flexible, again.candidates, board)
            done.append(finish(again, given, joint=True))
        else:
            done.append(finish(staged, capture.placed))
    load = _load(done)
    days = tuple(
        BrigadeDay(day, tuple(sorted(v["host"])), tuple(sorted(v["attend"])))
        for day, v in sorted(load.items())
    )
    names = {p.agreement.agreement.id: p.agreement.parties.school.name for p in done}
    out = _Outcome(
        members,
        [],
        calendars,
        objective=result.objective,
        bound=result.bound,
        days=days,
        notices=_over(brigade, capacity, load, names),
    )
    for j, plan in enumerate(done):
        explained, lost, shifted = _explain(plan, problems[j], brigade, capacity, load, names)
        out.plans.append(explained)
        out.unplaced.extend(lost)
        out.moved.update((plan.agreement.agreement.id, oid) for oid in shifted)
    return out


def _over(
    brigade: Brigade,
    capacity: Mapping[Kind, int],
    load: Mapping[dt.date, Mapping[Kind, list[tuple[str, str]]]],
    names: Mapping[str, str],
) -> list[str]:
    """Days over capacity: only dates the plan may not move (fixed, done, published) do that."""
    out = []
    for day, kinds in sorted(load.items()):
        for kind, there in sorted(kinds.items()):
            if len(there) > capacity[kind]:
                schools = t("district.list_sep").join(
                    dict.fromkeys(names.get(a, a) for a, _ in sorted(there))
                )
                out.append(
                    t(
                        "district.over_capacity",
                        brigade=brigade.name,
                        date=day,
                        n=len(there),
                        cap=capacity[kind],
                        schools=schools,
                    )
                )
    return out


def school_problem(a: Agreement, capture: Capture, brigade: str) -> School:
    """The solver's view of one school: its rules, fixed days and activities."""
    assert capture.board is not None
    kinds: dict[str, Kind | None] = {c.id: kind_of(c) for c in a.commitments}
    fixed_kinds: list[tuple[Kind, dt.date]] = []
    for day, oids in capture.fixed.items():
        for oid in oids:
            kind = kinds[oid.split("/", 1)[0]]
            if kind is not None:
                fixed_kinds.append((kind, day))
    items = [
        Item(
            d.id,
            kinds[d.commitment.id],
            capture.placed.dates.get(d.id),
            tuple(capture.candidates[d.id]),
        )
        for d in capture.demands
    ]
    return School(
        a.parties.school.name,
        brigade,
        capture.board.max_per_day,
        capture.board.min_gap_days,
        functools.cache(capture.board.term_at),  # asked for the same days over and over
        capture.fixed,
        fixed_kinds,
        items,
    )


def _load(plans: Sequence[Plan]) -> dict[dt.date, dict[Kind, list[tuple[str, str]]]]:
    """Per day, the main activities the brigade hosts and attends across the plans."""
    out: dict[dt.date, dict[Kind, list[tuple[str, str]]]] = {}
    for p in plans:
        a = p.agreement
        kinds = {c.id: kind_of(c) for c in a.commitments}
        for o in p.occurrences:
            kind = kinds[o.commitment]
            if not o.is_main or kind is None or o.status == "cancelled":
                continue
            out.setdefault(o.date, {"host": [], "attend": []})[kind].append((a.agreement.id, o.id))
    return out


def _explain(
    plan: Plan,
    school: School,
    brigade: Brigade,
    capacity: Mapping[Kind, int],
    load: Mapping[dt.date, Mapping[Kind, list[tuple[str, str]]]],
    names: Mapping[str, str],
) -> tuple[Plan, list[DistrictUnplaced], list[str]]:
    """The plan with brigade reasons: who filled the preferred day, or every full day."""
    lang = plan.agreement.agreement.language
    aid = plan.agreement.agreement.id

    def filled(kind: Kind, day: dt.date) -> tuple[str, ...] | None:
        there = load.get(day, {}).get(kind, [])
        if not there or len(there) < capacity[kind]:  # a day no school uses is filled by none
            return None
        return tuple(dict.fromkeys(names.get(x, x) for x, _ in sorted(there)))

    items = {it.oid: it for it in school.items}
    sep = t("district.list_sep", lang=lang)
    occurrences: list[Occurrence] = []
    shifted: list[str] = []
    for o in plan.occurrences:
        it = items.get(o.id)
        if it is not None and it.kind is not None and it.pref is not None and o.date != it.pref:
            who = filled(it.kind, it.pref)
            if who is not None:
                extra = t("district.moved", lang=lang, date=it.pref, schools=sep.join(who))
                o = replace(o, why=f"{o.why}{t('district.then', lang=lang)}{extra}")
                shifted.append(o.id)
        occurrences.append(o)
    lost: list[DistrictUnplaced] = []
    unplaced: list[Unplaced] = []
    for u in plan.unplaced:
        it = items.get(u.id)
        if it is None or it.kind is None or it.pref is None:
            lost.append(DistrictUnplaced(aid, u.id, brigade.id, u.reason))
            unplaced.append(u)
            continue
        full = [
            FullDay(day, who)
            for day in sorted(set(it.candidates))
            if (who := filled(it.kind, day)) is not None
        ]
        days = sep.join(
            t("district.full_day", lang=lang, date=f.date, schools=sep.join(f.schools))
            for f in full
        )
        if capacity[it.kind] == 0:
            reason = t(f"district.no_capacity_{it.kind}", lang=lang, brigade=brigade.name)
        elif full:
            reason = t("district.unplaced", lang=lang, brigade=brigade.name, n=len(full), days=days)
        else:  # no brigade day was full: the school's own rules ruled the rest out
            reason = u.reason
        lost.append(DistrictUnplaced(aid, u.id, brigade.id, reason, tuple(full)))
        unplaced.append(replace(u, reason=reason))
    new = replace(plan, occurrences=tuple(occurrences), unplaced=tuple(unplaced))
    return new, lost, shifted
