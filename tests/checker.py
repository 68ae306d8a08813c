"""An independent plan checker written from agreement-format.md, not from the placement code.

:func:`violations` recomputes school days from the official holiday tables, the term
bounds and the weekdays, and lists every way a plan breaks the contract's placement
rules. It shares no logic with ``partnership.demands``/``placement``/``reasons``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from partnership.festivals import festival_dates
from partnership.holidays import OfficialYear, official_year
from partnership.model import WEEKDAYS, Agreement, Commitment, Term, cross_check
from partnership.plan import Occurrence, Plan

LEAD_UP_SEARCH_DAYS = 62  # days (the target and those before) searched for a lead-up day


class Days:
    """School days, closures and brigade days of one agreement, computed from the spec."""

    def __init__(self, agreement: Agreement) -> None:
        self.a = agreement
        self._years: dict[int, OfficialYear] = {}
        self._weekdays = {WEEKDAYS.index(w) for w in agreement.calendar.weekdays}

    def official(self, year: int) -> OfficialYear:
        """The official tables of ``year`` (notices over built-in data, else provisional)."""
        if year not in self._years:
            cal = self.a.calendar
            self._years[year] = official_year(year, cal.notices, cal.holidays)
        return self._years[year]

    def off(self, day: dt.date) -> bool:
        """An official day off."""
        return any(d == day for d, _ in self.official(day.year).days_off)

    def make_up(self, day: dt.date) -> bool:
        """An official make-up workday (调休上班日)."""
        return any(d == day for d, _ in self.official(day.year).workdays)

    def term(self, day: dt.date) -> Term | None:
        """The term containing ``day``."""
        return next((t for t in self.a.calendar.terms if t.start <= day <= t.end), None)

    def school_day(self, day: dt.date) -> bool:
        """Inside a term, and a school weekday that is not a day off, or a make-up workday."""
        if self.term(day) is None:
            return False
        if self.make_up(day):
            return True
        return day.weekday() in self._weekdays and not self.off(day)

    def closed(self, day: dt.date) -> bool:
        """An agreement-wide closure or a closure of the term containing ``day``."""
        ranges = list(self.a.calendar.closures)
        t = self.term(day)
        if t is not None:
            ranges += t.closures
        return any(r.start <= day <= r.end for r in ranges)

    def brigade_busy(self, day: dt.date) -> bool:
        """Inside a brigade_unavailable range."""
        return any(r.start <= day <= r.end for r in self.a.calendar.brigade_unavailable)

    def open(self, day: dt.date) -> bool:
        """A school day without closure."""
        return self.school_day(day) and not self.closed(day)

    def usable(self, day: dt.date, c: Commitment, *, weekdays: bool) -> bool:
        """Open, brigade-available when the commitment needs the brigade, and (if asked)
        on one of the commitment's weekdays."""
        if not self.open(day) or (c.brigade and self.brigade_busy(day)):
            return False
        return not weekdays or day.weekday() in commitment_weekdays(self.a, c)


def commitment_weekdays(a: Agreement, c: Commitment) -> set[int]:
    """Weekday numbers of a commitment (its own list, else calendar.weekdays)."""
    return {WEEKDAYS.index(w) for w in (c.weekdays or a.calendar.weekdays)}


def term_week(t: Term, day: dt.date) -> int:
    """Term week of ``day``: week 1 is the Monday–Sunday week containing the first day."""
    monday = t.start - dt.timedelta(days=t.start.weekday())
    return (day - monday).days // 7 + 1


def in_window(t: Term, c: Commitment, day: dt.date) -> bool:
    """Inside the term and, when the commitment has a window, inside its weeks."""
    if not t.start <= day <= t.end:
        return False
    return c.window is None or c.window.weeks[0] <= term_week(t, day) <= c.window.weeks[1]


def _span(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def expected(a: Agreement, days: Days) -> dict[str, str]:
    """Every main occurrence id the agreement asks for -> "must" (placed or unplaced) or
    "fixed" (always placed on its given date) or "optional" (skip festivals)."""
    out: dict[str, str] = {}
    info = a.agreement
    for c in a.commitments:
        r = c.repeat
        if r.per == "term":
            assert r.count is not None
            for t in a.calendar.terms:
                for n in range(1, r.count + 1):
                    out[f"{c.id}/{t.id}/{n}"] = "must"
        elif r.per == "month":
            assert r.count is not None
            for t in a.calendar.terms:
                months = sorted(
                    {
                        f"{d:%Y-%m}"
                        for d in _span(t.start, t.end)
                        if in_window(t, c, d) and days.school_day(d)
                    }
                )
                for m in months:
                    for n in range(1, r.count + 1):
                        out[f"{c.id}/{t.id}/{m}-{n}"] = "must"
        elif r.festivals is not None:
            for key in r.festivals:
                for fd in festival_dates(key, info.start, info.end, a.festivals):
                    oid = f"{c.id}/{key}-{fd.year}"
                    if r.placement == "exact":
                        out[oid] = "fixed"
                    elif r.placement == "skip":
                        explicit = c.weekdays is not None
                        if days.usable(fd, c, weekdays=explicit):
                            out[oid] = "optional"
                    else:
                        out[oid] = "must"
        elif r.once is not None:
            out[f"{c.id}/once"] = "fixed"
        else:
            out[f"{c.id}/once"] = "must"
    return out


def _festival_date(a: Agreement, c: Commitment, oid: str) -> tuple[str, dt.date] | None:
    assert c.repeat.festivals is not None
    for key in c.repeat.festivals:
        for fd in festival_dates(key, a.agreement.start, a.agreement.end, a.festivals):
            if oid == f"{c.id}/{key}-{fd.year}":
                return key, fd
    return None


def _check_main(a: Agreement, days: Days, o: Occurrence) -> list[str]:
    """Date rules of one main occurrence placed by the engine."""
    bad: list[str] = []
    c = a.commitment(o.commitment)
    r = c.repeat
    day = o.date
    where = f"{o.id} on {day}"
    if r.per is not None or r.once_in is not None:
        term_id = r.once_in if r.once_in is not None else o.id.split("/")[1]
        t = a.term(term_id)
        if not in_window(t, c, day):
            bad.append(f"{where}: outside term {t.id} or its window")
        if not days.school_day(day):
            bad.append(f"{where}: not a school day")
        if day.weekday() not in commitment_weekdays(a, c):
            bad.append(f"{where}: not one of the commitment's weekdays")
        if days.closed(day):
            bad.append(f"{where}: on a closure")
        if c.brigade and days.brigade_busy(day):
            bad.append(f"{where}: brigade unavailable")
        if r.per == "month" and not o.id.split("/")[2].startswith(f"{day:%Y-%m}-"):
            bad.append(f"{where}: not in the month of its id")
    elif r.festivals is not None:
        found = _festival_date(a, c, o.id)
        if found is None:
            return [f"{o.id}: no festival date matches the id"]
        key, fd = found
        if o.festival != key:
            bad.append(f"{o.id}: festival field {o.festival!r}, expected {key!r}")
        shift = dt.timedelta(days=r.max_shift_days)
        lo, hi = {
            "before": (fd - shift, fd),
            "after": (fd, fd + shift),
            "nearest": (fd - shift, fd + shift),
        }.get(r.placement, (fd, fd))
        if not lo <= day <= hi:
            bad.append(f"{where}: outside {lo}..{hi} for {r.placement} {fd}")
        if not a.agreement.start <= day <= a.agreement.end:
            bad.append(f"{where}: outside the agreement period")
        if r.placement != "exact" and not days.usable(day, c, weekdays=c.weekdays is not None):
            bad.append(f"{where}: not an open, usable school day for a festival occurrence")
    elif r.once is not None and day != r.once:
        bad.append(f"{where}: once date is {r.once}")
    return bad


def _fixed_by_input(a: Agreement, o: Occurrence) -> bool:
    """Dates given by the agreement or the records (once, exact festivals, moves)."""
    r = a.commitment(o.commitment).repeat
    return (
        o.status == "moved" or r.once is not None or (r.placement == "exact" and bool(o.festival))
    )


def _capacity(a: Agreement, mains: list[Occurrence]) -> list[str]:
    bad: list[str] = []
    counted = [o for o in mains if o.status != "cancelled"]
    by_day: dict[dt.date, list[Occurrence]] = defaultdict(list)
    for o in counted:
        by_day[o.date].append(o)
    limit = a.scheduling.max_per_day
    for day in sorted(by_day):
        group = by_day[day]
        if len(group) > limit and not all(_fixed_by_input(a, o) for o in group):
            ids = ", ".join(sorted(o.id for o in group))
            bad.append(f"{day}: {len(group)} main activities > max_per_day {limit} ({ids})")
    gap = a.scheduling.min_gap_days
    by_term: dict[str, list[Occurrence]] = defaultdict(list)
    for o in counted:
        if o.term is not None:
            by_term[o.term].append(o)
    for term_id in sorted(by_term):
        group = sorted(by_term[term_id], key=lambda o: (o.date, o.id))
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                if (y.date - x.date).days >= gap:
                    break
                if not (_fixed_by_input(a, x) and _fixed_by_input(a, y)):
                    bad.append(
                        f"{x.id} ({x.date}) and {y.id} ({y.date}) are closer than "
                        f"min_gap_days {gap} in term {term_id}"
                    )
    return bad


def _check_lead_ups(a: Agreement, days: Days, plan: Plan) -> list[str]:
    bad: list[str] = []
    mains = {o.id: o for o in plan.occurrences if o.lead_up_of is None}
    seen: set[str] = set()
    for o in plan.occurrences:
        if o.lead_up_of is None:
            continue
        seen.add(o.id)
        main = mains.get(o.lead_up_of)
        m = re.fullmatch(r"(.+)/lead-up-(\d+)", o.id)
        if main is None or m is None or m.group(1) != o.lead_up_of:
            bad.append(f"{o.id}: lead-up id does not name its occurrence {o.lead_up_of}")
            continue
        c = a.commitment(main.commitment)
        k = int(m.group(2))
        if not 1 <= k <= len(c.lead_up) or o.commitment != c.id:
            bad.append(f"{o.id}: no lead-up {k} in commitment {c.id}")
            continue
        target = main.date - dt.timedelta(days=c.lead_up[k - 1].days_before)
        if not o.date <= target < main.date:
            bad.append(f"{o.id} on {o.date}: not on or before {target}")
            continue
        between = _span(o.date + dt.timedelta(days=1), target)
        if any(days.open(d) for d in between):
            bad.append(f"{o.id} on {o.date}: a later open school day exists before {target}")
        searched = _span(target - dt.timedelta(days=LEAD_UP_SEARCH_DAYS - 1), target)
        if not days.open(o.date) and any(days.open(d) for d in searched):
            bad.append(f"{o.id} on {o.date}: not an open school day")
        if o.provisional != days.official(o.date.year).provisional:
            bad.append(f"{o.id}: provisional flag {o.provisional} is wrong")
    for main in mains.values():
        c = a.commitment(main.commitment)
        for k in range(1, len(c.lead_up) + 1):
            if f"{main.id}/lead-up-{k}" not in seen:
                bad.append(f"{main.id}: lead-up {k} is missing")
    return bad


def violations(a: Agreement, plan: Plan) -> list[str]:
    """Every way ``plan`` breaks the placement contract for agreement ``a`` (empty: none)."""
    days = Days(a)
    bad: list[str] = []
    want = expected(a, days)
    mains = [o for o in plan.occurrences if o.lead_up_of is None]
    placed_ids = [o.id for o in mains]
    unplaced_ids = [u.id for u in plan.unplaced]
    for oid in sorted({*placed_ids, *unplaced_ids}):
        if placed_ids.count(oid) + unplaced_ids.count(oid) != 1:
            bad.append(f"{oid}: listed {placed_ids.count(oid) + unplaced_ids.count(oid)} times")
        if oid not in want:
            bad.append(f"{oid}: not asked for by the agreement")
    for oid, kind in sorted(want.items()):
        if kind == "must" and oid not in placed_ids and oid not in unplaced_ids:
            bad.append(f"{oid}: neither placed nor reported unplaced")
        if kind == "fixed" and oid not in placed_ids:
            bad.append(f"{oid}: a fixed date that is not in the plan")
    for u in plan.unplaced:
        if not u.reason.strip():
            bad.append(f"{u.id}: unplaced without a reason")
        if not u.id.startswith(f"{u.commitment}/"):
            bad.append(f"{u.id}: unplaced with commitment {u.commitment}")
    if plan.complete != (not plan.unplaced):
        bad.append("plan.complete disagrees with plan.unplaced")
    for o in mains:
        if o.id not in want:
            continue
        t = days.term(o.date)
        if o.term != (t.id if t else None):
            bad.append(f"{o.id} on {o.date}: term {o.term!r}, the date is in {t and t.id!r}")
        if o.provisional != days.official(o.date.year).provisional:
            bad.append(f"{o.id}: provisional flag {o.provisional} is wrong")
        if o.status in ("planned", "done"):
            bad.extend(_check_main(a, days, o))
    bad.extend(_capacity(a, [o for o in mains if o.id in want]))
    bad.extend(_check_lead_ups(a, days, plan))
    first, last = a.agreement.start.year, a.agreement.end.year
    provisional = tuple(y for y in range(first, last + 1) if days.official(y).provisional)
    if plan.provisional_years != provisional:
        bad.append(f"provisional_years {plan.provisional_years}, expected {provisional}")
    keys = [(o.date, o.start or dt.time(0), o.id) for o in plan.occurrences]
    if keys != sorted(keys):
        bad.append("occurrences are not in (date, start, id) order")
    return bad


AUTUMN_2024: dict[str, Any] = {
    "id": "2024-autumn",
    "name": "2024—2025学年第一学期",
    "start": "2024-09-01",
    "end": "2025-01-17",
}
SPRING_2025: dict[str, Any] = {
    "id": "2025-spring",
    "name": "2024—2025学年第二学期",
    "start": "2025-02-17",
    "end": "2025-06-30",
}


def make_agreement(
    commitments: list[dict[str, Any]],
    terms: list[dict[str, Any]] | None = None,
    *,
    start: str = "2024-06-08",
    end: str = "2025-07-31",
    scheduling: dict[str, int] | None = None,
    language: str = "zh-CN",
    **calendar: Any,
) -> Agreement:
    """A valid agreement for tests: the given commitments, terms and calendar settings."""
    a = Agreement.model_validate(
        {
            "version": 1,
            "agreement": {
                "id": "test-fire",
                "title": "共建协议",
                "start": start,
                "end": end,
                "language": language,
            },
            "parties": {"school": {"name": "大磨小学"}, "brigade": {"name": "消防救援支队"}},
            "calendar": {"terms": terms or [AUTUMN_2024, SPRING_2025], **calendar},
            "scheduling": scheduling or {},
            "commitments": commitments,
        }
    )
    problems = cross_check(a)
    assert not problems, problems
    return a
