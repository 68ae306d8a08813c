"""An independent check of the two placement rules issue 12 added to the contract.

* Term week 1 is the Monday–Sunday week containing the term's first *school day*.
* Lead-up sessions: a school day, outside closures, inside the agreement, outside
  brigade_unavailable when the session's audience includes brigade; strictly before
  the activity; nearest to days_before (ties: earlier); in the activity's own term when
  it has such a day, else earlier; ``term`` = the term of the session's day.

Written from agreement-format.md with chinesecalendar and the agreement only; nothing
here imports the placement code. :func:`violations` is tests/checker.py's list with its
messages about those two rules replaced by these checks (until that checker follows the
new contract).
"""

from __future__ import annotations

import datetime as dt
import re

import chinese_calendar as cc
from checker import violations as old_violations

from partnership.holidays import statutory_days  # the 2025 rules, for years without data
from partnership.model import WEEKDAYS, Agreement, Term
from partnership.plan import Occurrence, Plan


class Cal:
    """School days from chinesecalendar and the agreement's notices (notices win)."""

    def __init__(self, a: Agreement) -> None:
        self.a = a
        self.off: set[dt.date] = set()
        self.work: set[dt.date] = set()
        noticed = {n.year for n in a.calendar.notices}
        if a.calendar.holidays == "cn":
            self.off = {d for d in cc.holidays if d.year not in noticed}
            self.work = {d for d in cc.workdays if d.year not in noticed}
            # 放假，与周末连休: the weekends a built-in holiday runs into are off too
            for d in sorted(self.off):
                for step in (dt.timedelta(days=-1), dt.timedelta(days=1)):
                    x = d + step
                    while x.weekday() >= 5 and x not in self.work and x.year not in noticed:
                        self.off.add(x)
                        x += step
            known = {d.year for d in cc.holidays}
            for y in range(a.agreement.start.year, a.agreement.end.year + 1):
                if y not in known and y not in noticed:
                    self.off |= set(statutory_days(y))
            for n in a.calendar.notices:
                self.off |= {d for d in cc.holidays if d.year == n.year}
                self.work |= {d for d in cc.workdays if d.year == n.year}
            for n in sorted(a.calendar.notices, key=lambda n: n.year):
                for r in n.days_off:
                    days = {
                        r.start + dt.timedelta(days=i) for i in range((r.end - r.start).days + 1)
                    }
                    self.off |= days
                    self.work -= days
                for w in n.workdays:
                    self.work.add(w)
                    self.off.discard(w)
        self.weekdays = {WEEKDAYS.index(w) for w in a.calendar.weekdays}

    def term(self, day: dt.date) -> Term | None:
        return next((t for t in self.a.calendar.terms if t.start <= day <= t.end), None)

    def school_day(self, day: dt.date) -> bool:
        if self.term(day) is None:
            return False
        return day in self.work or (day.weekday() in self.weekdays and day not in self.off)

    def week(self, t: Term, day: dt.date) -> int:
        """Term week by the first school day (week 1's Monday)."""
        first = t.start
        while first <= t.end and not self.school_day(first):
            first += dt.timedelta(days=1)
        if first > t.end:
            first = t.start
        monday = first - dt.timedelta(days=first.weekday())
        return (day - monday).days // 7 + 1

    def closed(self, day: dt.date) -> bool:
        ranges = [*self.a.calendar.closures]
        t = self.term(day)
        if t is not None:
            ranges += t.closures
        return any(r.start <= day <= r.end for r in ranges)

    def busy(self, day: dt.date) -> bool:
        return any(r.start <= day <= r.end for r in self.a.calendar.brigade_unavailable)


def session_audience(a: Agreement, o: Occurrence) -> list[str]:
    c = a.commitment(o.commitment)
    k = int(o.id.rsplit("-", 1)[1])
    own = c.lead_up[k - 1].audience
    if own is not None:
        return list(own)
    return [x for x in c.audience if x != "parents"] or list(c.audience)


def lead_up_ok(a: Agreement, cal: Cal, o: Occurrence, day: dt.date, activity: dt.date) -> bool:
    """Whether ``day`` may hold lead-up session ``o`` of an activity on ``activity``."""
    return (
        a.agreement.start <= day <= a.agreement.end
        and day < activity
        and cal.school_day(day)
        and not cal.closed(day)
        and not ("brigade" in session_audience(a, o) and cal.busy(day))
    )


def lead_up_violations(a: Agreement, plan: Plan) -> list[str]:
    cal = Cal(a)
    mains = {o.id: o for o in plan.occurrences if o.lead_up_of is None}
    bad: list[str] = []
    for o in plan.occurrences:
        if o.lead_up_of is None or o.lead_up_of not in mains:
            continue
        main = mains[o.lead_up_of]
        c = a.commitment(o.commitment)
        k = int(o.id.rsplit("-", 1)[1])
        target = main.date - dt.timedelta(days=c.lead_up[k - 1].days_before)
        own = cal.term(main.date)
        t = cal.term(o.date)
        if o.term != (t.id if t else None):
            bad.append(f"{o.id} on {o.date}: term {o.term!r}, the day is in {t and t.id!r}")
        if o.status == "cancelled" or (o.why.startswith("按记录") or "as recorded" in o.why):
            continue
        if not lead_up_ok(a, cal, o, o.date, main.date):
            bad.append(f"{o.id} on {o.date}: not a usable day before {main.date}")
            continue
        span = [
            a.agreement.start + dt.timedelta(days=i)
            for i in range((main.date - a.agreement.start).days)
        ]
        good = [d for d in span if lead_up_ok(a, cal, o, d, main.date)]
        in_own = [d for d in good if own is not None and cal.term(d) == own]
        pool = in_own or good
        best = min(pool, key=lambda d: (abs((d - target).days), d))
        if o.date != best:
            bad.append(f"{o.id} on {o.date}: the contract's day is {best}")
    unplaced = {u.id for u in plan.unplaced}
    placed = {o.id for o in plan.occurrences}
    for main in mains.values():
        c = a.commitment(main.commitment)
        for k in range(1, len(c.lead_up) + 1):
            lid = f"{main.id}/lead-up-{k}"
            if lid not in placed and lid not in unplaced:
                bad.append(f"{main.id}: lead-up {k} is missing")
            if lid in unplaced:
                probe = Occurrence(
                    lid, c.id, None, "", main.date, None, None, "", lead_up_of=main.id
                )
                span = [
                    a.agreement.start + dt.timedelta(days=i)
                    for i in range((main.date - a.agreement.start).days)
                ]
                if any(lead_up_ok(a, cal, probe, d, main.date) for d in span):
                    bad.append(f"{lid}: reported unplaced though a usable day exists")
    return bad


def window_violations(a: Agreement, plan: Plan) -> list[str]:
    cal = Cal(a)
    bad = []
    for o in plan.occurrences:
        if o.lead_up_of is not None or o.status not in ("planned", "done"):
            continue
        c = a.commitment(o.commitment)
        r = c.repeat
        if r.per is None and r.once_in is None:
            continue
        if "按记录" in o.why or "as recorded" in o.why:
            continue
        term_id = r.once_in if r.once_in is not None else o.id.split("/")[1]
        t = a.term(term_id)
        if not t.start <= o.date <= t.end:
            bad.append(f"{o.id} on {o.date}: outside term {t.id}")
        elif (
            c.window is not None
            and not c.window.weeks[0] <= cal.week(t, o.date) <= c.window.weeks[1]
        ):
            bad.append(f"{o.id} on {o.date}: outside window weeks {c.window.weeks}")
    return bad


_REPLACED = re.compile(
    r"or its window|lead-up|not on or before|a later open school day|not an open school day"
)


def violations(a: Agreement, plan: Plan) -> list[str]:
    """tests/checker.py's findings, with the window and lead-up rules of issue 12 checked here."""
    windowed_months = {
        c.id for c in a.commitments if c.window is not None and c.repeat.per == "month"
    }

    def replaced(msg: str) -> bool:
        if _REPLACED.search(msg):
            return True
        cid = msg.split("/", 1)[0]
        return cid in windowed_months and ("not asked for" in msg or "neither placed" in msg)

    kept = [m for m in old_violations(a, plan) if not replaced(m)]
    return kept + window_violations(a, plan) + lead_up_violations(a, plan)
