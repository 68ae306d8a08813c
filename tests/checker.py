"""An independent plan checker, written from agreement-format.md and domain-facts.md.

:func:`violations` takes the agreement as plain data (the YAML's mapping, or a model
dump) and the plan as ``plan --json`` prints it, and lists every way the plan breaks the
contract: the day rules, capacity and gaps, and the preferences (a festival ``before``
takes the latest usable free day, ``after`` the earliest, ``nearest`` the closest with ties
before; several occurrences spread over the window; lead-up sessions on the usable day
nearest their ``days_before``). A preferred day that is not taken must be *blocked* by
what else is on the board (``max_per_day``, ``min_gap_days``); otherwise the plan is wrong.

It imports nothing from ``partnership``: its holiday tables, festival dates and term
weeks are its own (lunar dates come from lunar-python directly).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from lunar_python import Lunar, Solar

D = dt.date
ONE = dt.timedelta(days=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
DEFAULT_AUDIENCE = ("teachers", "students")

# domain-facts.md, verbatim: year -> (days off, weekend days that are working days).
# A range whose start month is after its end month starts in the previous year.
OFFICIAL: dict[int, tuple[str, str]] = {
    2023: (
        "12-31..1-2; 1-21..1-27; 4-5; 4-29..5-3; 6-22..6-24; 9-29..10-6",
        "1-28, 1-29, 4-23, 5-6, 6-25, 10-7, 10-8",
    ),
    2024: (
        "1-1; 2-10..2-17; 4-4..4-6; 5-1..5-5; 6-10; 9-15..9-17; 10-1..10-7",
        "2-4, 2-18, 4-7, 4-28, 5-11, 9-14, 9-29, 10-12",
    ),
    2025: (
        "1-1; 1-28..2-4; 4-4..4-6; 5-1..5-5; 5-31..6-2; 10-1..10-8",
        "1-26, 2-8, 4-27, 9-28, 10-11",
    ),
    2026: (
        "1-1..1-3; 2-15..2-23; 4-4..4-6; 5-1..5-5; 6-19..6-21; 9-25..9-27; 10-1..10-7",
        "1-4, 2-14, 2-28, 5-9, 9-20, 10-10",
    ),
}
# The 2024 notice: "元旦：1月1日放假，与周末连休" and "端午节：6月10日放假，与周末连休" —
# the joined weekends are off as well (the table gives only the holiday itself).
JOINED_WEEKEND = {D(2023, 12, 30), D(2023, 12, 31), D(2024, 6, 8), D(2024, 6, 9)}

# Built-in festivals (agreement-format.md): fixed (month, day), lunar (month, day), or a rule.
SOLAR = {
    "new-year": (1, 1),
    "womens-day": (3, 8),
    "arbor-day": (3, 12),
    "labour-day": (5, 1),
    "youth-day": (5, 4),
    "disaster-prevention-day": (5, 12),
    "childrens-day": (6, 1),
    "party-day": (7, 1),
    "army-day": (8, 1),
    "teachers-day": (9, 10),
    "national-day": (10, 1),
    "fire-day": (11, 9),
}
LUNAR = {
    "spring-festival": (1, 1),
    "lantern": (1, 15),
    "dragon-boat": (5, 5),
    "mid-autumn": (8, 15),
    "double-ninth": (9, 9),
}
# domain-facts.md: the lunar dates the checker's lunar-python use must reproduce.
KNOWN_LUNAR = {
    "spring-festival": {2024: D(2024, 2, 10), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17)},
    "dragon-boat": {2024: D(2024, 6, 10), 2025: D(2025, 5, 31), 2027: D(2027, 6, 9)},
    "mid-autumn": {2024: D(2024, 9, 17), 2025: D(2025, 10, 6), 2027: D(2027, 9, 15)},
}


def day(x: Any) -> dt.date:
    """A date from a date or an ISO string."""
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def span(a: dt.date, b: dt.date) -> list[dt.date]:
    """Every date from ``a`` to ``b`` inclusive."""
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def _md(year: int, text: str) -> dt.date:
    month, d = (int(x) for x in text.strip().split("-"))
    return D(year, month, d)


def table(year: int) -> tuple[set[dt.date], set[dt.date]]:
    """The days off and make-up workdays of the domain-facts table for ``year``."""
    off_text, work_text = OFFICIAL[year]
    off: set[dt.date] = set()
    for part in off_text.split(";"):
        a, _, b = part.strip().partition("..")
        first = _md(year, a)
        last = _md(year, b) if b else first
        if first > last:
            first = first.replace(year=year - 1)
        off.update(span(first, last))
    off |= {d for d in JOINED_WEEKEND if d.year in (year, year - 1)}
    return off, {_md(year, w) for w in work_text.split(",")}


def lunar_date(lunar_year: int, month: int, d: int) -> dt.date | None:
    """The Gregorian date of a lunar date (None when the lunar month is shorter)."""
    try:
        s = Lunar.fromYmd(lunar_year, month, d).getSolar()
    except Exception:
        return None
    return D(s.getYear(), s.getMonth(), s.getDay())


def qingming(year: int) -> dt.date:
    """The 清明 solar term of ``year``."""
    s = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return D(s.getYear(), s.getMonth(), s.getDay())


def statutory(year: int) -> set[dt.date]:
    """The days off of the 2025 rules (国务院令第795号) in ``year``, no 调休."""
    new_year = lunar_date(year, 1, 1)
    assert new_year is not None
    days = {D(year, 1, 1), qingming(year), D(year, 5, 1), D(year, 5, 2)}
    days |= {new_year + k * ONE for k in range(-1, 3)}
    days |= {lunar_date(year, 5, 5), lunar_date(year, 8, 15)} - {None}  # type: ignore[arg-type]
    days |= {D(year, 10, k) for k in (1, 2, 3)}
    return {d for d in days if d.year == year}


def festival_days(key: str, year: int, custom: Mapping[str, Mapping[str, Any]]) -> list[dt.date]:
    """Dates of festival ``key`` in Gregorian ``year`` (a lunar one may have two)."""
    if key in custom:
        f = custom[key]
        rule = ("lunar" if f.get("lunar") else "solar", int(f["month"]), int(f["day"]))
    elif key in SOLAR:
        rule = ("solar", *SOLAR[key])
    elif key in LUNAR:
        rule = ("lunar", *LUNAR[key])
    elif key == "qingming":
        return [qingming(year)]
    else:
        assert key == "safety-education-day", key
        last = D(year, 3, 31)
        return [last - dt.timedelta(days=last.weekday())]
    kind, month, d = rule
    if kind == "solar":
        try:
            return [D(year, month, d)]
        except ValueError:
            return []
    found = [lunar_date(y, month, d) for y in (year - 1, year)]
    return sorted(x for x in found if x is not None and x.year == year)


class Calendar:
    """School days, weeks, closures and brigade days of one agreement, from the contract."""

    def __init__(self, a: Mapping[str, Any]) -> None:
        cal = a["calendar"]
        self.start = day(a["agreement"]["start"])
        self.end = day(a["agreement"]["end"])
        self.cn = cal.get("holidays", "cn") == "cn"
        self.weekdays = {WEEKDAYS.index(w) for w in cal.get("weekdays") or DEFAULT_WEEKDAYS}
        self.notices = list(cal.get("notices") or [])
        self.terms = [
            (t["id"], day(t["start"]), day(t["end"]), t.get("closures") or []) for t in cal["terms"]
        ]
        self.closures = list(cal.get("closures") or [])
        self.busy = list(cal.get("brigade_unavailable") or [])
        self._years: dict[int, tuple[set[dt.date], set[dt.date], bool]] = {}

    def year(self, y: int) -> tuple[set[dt.date], set[dt.date], bool]:
        """(days off, workdays, provisional) of year ``y``: table or statutory, then notices."""
        if y not in self._years:
            self._years[y] = self._year(y)
        return self._years[y]

    def _year(self, y: int) -> tuple[set[dt.date], set[dt.date], bool]:
        if not self.cn:
            return set(), set(), False
        own = [n for n in self.notices if n["year"] == y]
        if y in OFFICIAL:
            off, work = table(y)
        elif own:
            off, work = set(), set()
        else:
            assert y > max(OFFICIAL), f"the checker has no holiday table for {y}"
            off, work = statutory(y), set()
        off, work = {d for d in off if d.year == y}, {d for d in work if d.year == y}
        others = sorted((n for n in self.notices if n["year"] != y), key=lambda n: n["year"])
        for n in [*others, *own]:  # the year's own notice last: it wins
            for r in n.get("days_off") or []:
                days = {d for d in span(day(r["start"]), day(r["end"])) if d.year == y}
                off |= days
                work -= days
            for w in n.get("workdays") or []:
                if day(w).year == y:
                    work.add(day(w))
                    off.discard(day(w))
        return off, work, not own and y not in OFFICIAL

    def provisional(self, d: dt.date) -> bool:
        """A day of a year with neither a notice nor a table."""
        return self.year(d.year)[2]

    def term(self, d: dt.date) -> str | None:
        """The id of the term containing ``d``."""
        return next((t for t, a, b, _ in self.terms if a <= d <= b), None)

    def bounds(self, term_id: str) -> tuple[dt.date, dt.date]:
        """First and last day of a term."""
        return next((a, b) for t, a, b, _ in self.terms if t == term_id)

    def school_day(self, d: dt.date) -> bool:
        """In a term, and a school weekday that is not a day off, or a make-up workday."""
        off, work, _ = self.year(d.year)
        if self.term(d) is None:
            return False
        return d in work or (d.weekday() in self.weekdays and d not in off)

    def closed(self, d: dt.date) -> bool:
        """On an agreement-wide closure or a closure of its own term."""
        ranges = [*self.closures, *(c for t, a, b, cs in self.terms if a <= d <= b for c in cs)]
        return any(day(r["start"]) <= d <= day(r["end"]) for r in ranges)

    def brigade_busy(self, d: dt.date) -> bool:
        """Inside a brigade_unavailable range."""
        return any(day(r["start"]) <= d <= day(r["end"]) for r in self.busy)

    def open(self, d: dt.date) -> bool:
        """A school day without closure."""
        return self.school_day(d) and not self.closed(d)

    def week(self, term_id: str, d: dt.date) -> int:
        """Term week of ``d``: week 1 is the Monday–Sunday week of the first school day."""
        a, b = self.bounds(term_id)
        first = next((x for x in span(a, b) if self.school_day(x)), a)
        return (d - (first - first.weekday() * ONE)).days // 7 + 1


class Board:
    """The main activities of a plan, to tell a day *blocked* by others from a free one."""

    def __init__(self, cal: Calendar, max_per_day: int, gap: int, mains: Iterable[Any]) -> None:
        self.cal, self.max, self.gap = cal, max_per_day, gap
        self.by_day: dict[dt.date, list[str]] = defaultdict(list)
        for o in mains:
            self.by_day[day(o["date"])].append(o["id"])

    def free(self, d: dt.date, without: str) -> bool:
        """One more main activity fits on ``d`` when ``without`` is taken off the board."""
        if len([x for x in self.by_day.get(d, []) if x != without]) >= self.max:
            return False
        term = self.cal.term(d)
        if term is None:
            return True
        for k in range(-self.gap + 1, self.gap):
            other = d + k * ONE
            if self.cal.term(other) == term and any(
                x != without for x in self.by_day.get(other, [])
            ):
                return False
        return True


class Checker:
    """The contract applied to one agreement and one plan."""

    def __init__(
        self, a: Mapping[str, Any], plan: Mapping[str, Any], published: Mapping[str, Any]
    ) -> None:
        self.a, self.plan = a, plan
        self.cal = Calendar(a)
        self.commitments = {c["id"]: c for c in a["commitments"]}
        self.custom = {f["key"]: f for f in a.get("festivals") or []}
        sched = a.get("scheduling") or {}
        self.max = int(sched.get("max_per_day", 1))
        self.gap = int(sched.get("min_gap_days", 0))
        self.published = {k: day(v) for k, v in published.items()}
        self.occ = list(plan["occurrences"])
        self.mains = [o for o in self.occ if o.get("lead_up_of") is None]
        counted = [o for o in self.mains if o["status"] != "cancelled"]
        self.board = Board(self.cal, self.max, self.gap, counted)
        self.bad: list[str] = []

    # ---------------------------------------------------------------- what is asked for

    def weekdays(self, c: Mapping[str, Any]) -> set[int]:
        """The commitment's weekdays (its own, else calendar.weekdays)."""
        return {WEEKDAYS.index(w) for w in c.get("weekdays") or self.cal_weekdays()}

    def cal_weekdays(self) -> list[str]:
        """calendar.weekdays with its default."""
        return list(self.a["calendar"].get("weekdays") or DEFAULT_WEEKDAYS)

    def usable(self, d: dt.date, c: Mapping[str, Any], *, strict: bool) -> bool:
        """Open, the brigade free when it takes part, and (strict) on the commitment's
        weekdays; a festival without its own weekdays takes any school day."""
        if not self.cal.open(d) or (c.get("brigade", True) and self.cal.brigade_busy(d)):
            return False
        return not strict or d.weekday() in self.weekdays(c)

    def window(self, c: Mapping[str, Any], term_id: str) -> list[dt.date]:
        """Days of the term inside the commitment's week window."""
        a, b = self.cal.bounds(term_id)
        w = (c.get("window") or {}).get("weeks")
        return [d for d in span(a, b) if w is None or w[0] <= self.cal.week(term_id, d) <= w[1]]

    def festival_window(self, r: Mapping[str, Any], fd: dt.date) -> list[dt.date]:
        """The days a festival occurrence may take, best first."""
        p = r.get("placement", "before")
        s = dt.timedelta(days=int(r.get("max_shift_days", 7)))
        lo = max(fd - s, self.cal.start) if p in ("before", "nearest") else fd
        hi = min(fd + s, self.cal.end) if p in ("after", "nearest") else fd
        days = span(lo, hi)
        if p == "before":
            return days[::-1]
        if p == "nearest":
            return sorted(days, key=lambda x: (abs((x - fd).days), x))
        return days

    def expected(self) -> dict[str, dict[str, Any]]:
        """Every main occurrence id -> how it is chosen: "kind" is "spread" (with its
        ordered candidate days), "festival" (with fd), "fixed" (with date) or "skip"."""
        out: dict[str, dict[str, Any]] = {}
        for c in self.a["commitments"]:
            r = c["repeat"]
            if r.get("per") == "term":
                for t, *_ in self.cal.terms:
                    for n in range(1, int(r["count"]) + 1):
                        out[f"{c['id']}/{t}/{n}"] = self._spread(c, t, self.window(c, t), n)
            elif r.get("per") == "month":
                for t, *_ in self.cal.terms:
                    months: dict[str, list[dt.date]] = defaultdict(list)
                    for d in self.window(c, t):
                        months[f"{d:%Y-%m}"].append(d)
                    for m, days in sorted(months.items()):
                        if any(self.cal.school_day(d) for d in days):
                            for n in range(1, int(r["count"]) + 1):
                                out[f"{c['id']}/{t}/{m}-{n}"] = self._spread(c, t, days, n)
            elif r.get("festivals"):
                for key in r["festivals"]:
                    self._festivals(c, key, out)
            elif r.get("once") is not None:
                out[f"{c['id']}/once"] = {"kind": "fixed", "date": day(r["once"]), "c": c}
            else:
                t = r["once_in"]
                out[f"{c['id']}/once"] = {**self._spread(c, t, self.window(c, t), 1), "count": 1}
        return out

    def _spread(self, c: Mapping[str, Any], t: str, days: list[dt.date], n: int) -> dict[str, Any]:
        """The n-th of N: the free usable day nearest the middle of the n-th of N equal
        shares of the usable days (spread over the window, not packed at its start)."""
        r = c["repeat"]
        count = int(r.get("count") or 1)
        usable = [d for d in days if self.usable(d, c, strict=True)]
        if not usable:
            return {"kind": "spread", "c": c, "term": t, "best": [], "days": days}
        ideal = usable[min(len(usable) - 1, (2 * n - 1) * len(usable) // (2 * count))]
        best = sorted(usable, key=lambda x: (abs((x - ideal).days), x))
        return {"kind": "spread", "c": c, "term": t, "best": best, "days": days}

    def _festivals(self, c: Mapping[str, Any], key: str, out: dict[str, dict[str, Any]]) -> None:
        r = c["repeat"]
        p = r.get("placement", "before")
        strict = c.get("weekdays") is not None
        for y in range(self.cal.start.year, self.cal.end.year + 1):
            fds = [
                d for d in festival_days(key, y, self.custom) if self.cal.start <= d <= self.cal.end
            ]
            for i, fd in enumerate(fds):
                oid = f"{c['id']}/{key}-{y}" + (f"-{i + 1}" if i else "")
                if p == "exact":
                    out[oid] = {"kind": "fixed", "date": fd, "c": c, "festival": key}
                    continue
                best = [d for d in self.festival_window(r, fd) if self.usable(d, c, strict=strict)]
                if p == "skip" and not best:
                    out[oid] = {"kind": "skip", "c": c}
                else:
                    out[oid] = {"kind": "festival", "c": c, "fd": fd, "best": best}

    # ---------------------------------------------------------------- the checks

    def run(self) -> list[str]:
        """Every violation found."""
        want = self.expected()
        placed = [o["id"] for o in self.mains]
        unplaced = [u["id"] for u in self.plan["unplaced"]]
        for oid in sorted({*placed, *unplaced}):
            n = placed.count(oid) + unplaced.count(oid)
            if n != 1:
                self.bad.append(f"{oid}: listed {n} times")
            lead_up = re.fullmatch(r"(.+)/lead-up-\d+", oid)
            if lead_up and oid in unplaced and lead_up.group(1) in want:
                continue  # an unplaced rehearsal: _check_lead_ups judges it
            if oid not in want or want[oid]["kind"] == "skip":
                self.bad.append(f"{oid}: not asked for by the agreement")
        for oid, w in sorted(want.items()):
            if w["kind"] in ("spread", "festival") and oid not in placed + unplaced:
                self.bad.append(f"{oid}: neither placed nor reported unplaced")
            if w["kind"] == "fixed" and oid not in placed:
                self.bad.append(f"{oid}: a fixed date that is not in the plan")
        for u in self.plan["unplaced"]:
            if not u["reason"].strip():
                self.bad.append(f"{u['id']}: unplaced without a reason")
            if u["id"] in want:
                self._check_unplaced(u["id"], want[u["id"]])
        for o in self.mains:
            if o["id"] in want:
                self._check_main(o, want[o["id"]])
        self._check_capacity(want)
        self._check_lead_ups()
        first, last = self.cal.start.year, self.cal.end.year
        years = [y for y in range(first, last + 1) if self.cal.year(y)[2]]
        if list(self.plan["provisional_years"]) != years:
            self.bad.append(f"provisional_years {self.plan['provisional_years']}, expected {years}")
        keys = [(o["date"], o["start"] or "00:00", o["id"]) for o in self.occ]
        if keys != sorted(keys):
            self.bad.append("occurrences are not in (date, start, id) order")
        return self.bad

    def _check_unplaced(self, oid: str, w: Mapping[str, Any]) -> None:
        free = [d for d in w.get("best", []) if self.board.free(d, oid)]
        if w["kind"] == "fixed" or free:
            self.bad.append(f"{oid}: unplaced, but {free[:1] or 'its fixed date'} was free")

    def _check_main(self, o: Mapping[str, Any], w: Mapping[str, Any]) -> None:
        oid, d = o["id"], day(o["date"])
        where = f"{oid} on {d}"
        if o["term"] != self.cal.term(d):
            self.bad.append(f"{where}: term {o['term']!r}, the date is in {self.cal.term(d)!r}")
        if o["provisional"] != self.cal.provisional(d):
            self.bad.append(f"{oid}: provisional flag {o['provisional']} is wrong")
        if o["status"] == "moved":
            return  # the admin's date
        c, kind = w["c"], w["kind"]
        if kind == "fixed":
            # what happened stays where it was announced, though a move came before it
            announced = o["status"] in ("done", "cancelled") and self.published.get(oid) == d
            if d != w["date"] and not announced:
                self.bad.append(f"{where}: its date is {w['date']}")
            return
        held = self.published.get(oid) == d or o["status"] in ("done", "cancelled")
        if kind == "spread":
            self._day_rules(where, c, d, w)
        elif d not in self.festival_window(c["repeat"], w["fd"]):
            self.bad.append(
                f"{where}: outside the {c['repeat'].get('placement', 'before')} window of {w['fd']}"
            )
        elif not self.usable(d, c, strict=c.get("weekdays") is not None):
            self.bad.append(f"{where}: not a usable school day for a festival occurrence")
        if held or d not in w["best"]:
            return
        better = w["best"][: w["best"].index(d)]
        free = [x for x in better if self.board.free(x, oid)]
        if free:
            self.bad.append(f"{where}: {free[0]} is preferred and free (wrong, not blocked)")

    def _day_rules(
        self, where: str, c: Mapping[str, Any], d: dt.date, w: Mapping[str, Any]
    ) -> None:
        if d not in w["days"]:
            self.bad.append(f"{where}: outside term {w['term']} or its window (or month)")
        if not self.cal.school_day(d):
            self.bad.append(f"{where}: not a school day")
        if d.weekday() not in self.weekdays(c):
            self.bad.append(f"{where}: not one of the commitment's weekdays")
        if self.cal.closed(d):
            self.bad.append(f"{where}: on a closure")
        if c.get("brigade", True) and self.cal.brigade_busy(d):
            self.bad.append(f"{where}: brigade unavailable")

    def _fixed_by_input(self, o: Mapping[str, Any], want: Mapping[str, Any]) -> bool:
        """Dates given by the agreement or the records (once, exact festivals, moves)."""
        return o["status"] == "moved" or want.get(o["id"], {}).get("kind") == "fixed"

    def _check_capacity(self, want: Mapping[str, Any]) -> None:
        counted = [o for o in self.mains if o["status"] != "cancelled" and o["id"] in want]
        by_day: dict[dt.date, list[Mapping[str, Any]]] = defaultdict(list)
        for o in counted:
            by_day[day(o["date"])].append(o)
        for d in sorted(by_day):
            group = by_day[d]
            if len(group) > self.max and not all(self._fixed_by_input(o, want) for o in group):
                ids = ", ".join(sorted(o["id"] for o in group))
                self.bad.append(
                    f"{d}: {len(group)} main activities > max_per_day {self.max} ({ids})"
                )
        ordered = sorted(counted, key=lambda o: (o["date"], o["id"]))
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                dx, dy = day(x["date"]), day(y["date"])
                if (dy - dx).days >= self.gap:
                    break
                term = self.cal.term(dx)
                both = self._fixed_by_input(x, want) and self._fixed_by_input(y, want)
                if term is not None and term == self.cal.term(dy) and not both:
                    self.bad.append(
                        f"{x['id']} ({dx}) and {y['id']} ({dy}) are closer than "
                        f"min_gap_days {self.gap} in term {term}"
                    )

    def _lead_up_usable(self, d: dt.date, brigade: bool) -> bool:
        return (
            self.cal.start <= d <= self.cal.end
            and self.cal.open(d)
            and not (brigade and self.cal.brigade_busy(d))
        )

    def _check_lead_ups(self) -> None:
        mains = {o["id"]: o for o in self.mains}
        seen: set[str] = set()
        for o in self.occ:
            if o.get("lead_up_of") is None:
                continue
            seen.add(o["id"])
            main = mains.get(o["lead_up_of"])
            m = re.fullmatch(r"(.+)/lead-up-(\d+)", o["id"])
            if main is None or m is None or m.group(1) != o["lead_up_of"]:
                self.bad.append(f"{o['id']}: lead-up id does not name its occurrence")
                continue
            c = self.commitments[main["commitment"]]
            k = int(m.group(2))
            lead_ups = c.get("lead_up") or []
            if not 1 <= k <= len(lead_ups) or o["commitment"] != c["id"]:
                self.bad.append(f"{o['id']}: no lead-up {k} in commitment {c['id']}")
                continue
            d = day(o["date"])
            if o["term"] != self.cal.term(d):
                self.bad.append(
                    f"{o['id']} on {d}: term {o['term']!r}, the date is in {self.cal.term(d)!r}"
                )
            if o["provisional"] != self.cal.provisional(d):
                self.bad.append(f"{o['id']}: provisional flag {o['provisional']} is wrong")
            if main["status"] == "cancelled" and o["status"] != "cancelled":
                self.bad.append(f"{o['id']}: its activity is cancelled, it is {o['status']}")
            if o["status"] == "planned":
                self._lead_up_day(o["id"], d, day(main["date"]), c, lead_ups[k - 1])
        for u in self.plan["unplaced"]:
            m = re.fullmatch(r"(.+)/lead-up-(\d+)", u["id"])
            main = mains.get(m.group(1)) if m else None
            if m is None or main is None:
                continue
            seen.add(u["id"])
            c = self.commitments[main["commitment"]]
            lu = (c.get("lead_up") or [])[int(m.group(2)) - 1]
            usable = self._lead_up_pool(day(main["date"]), c, lu)
            if usable:
                self.bad.append(f"{u['id']}: unplaced, but {usable[0]} was usable")
        for main in mains.values():
            c = self.commitments[main["commitment"]]
            for k in range(1, len(c.get("lead_up") or []) + 1):
                if f"{main['id']}/lead-up-{k}" not in seen:
                    self.bad.append(f"{main['id']}: lead-up {k} is missing")

    def _lead_up_day(
        self, oid: str, d: dt.date, main: dt.date, c: Mapping[str, Any], lu: Mapping[str, Any]
    ) -> None:
        """The usable day nearest ``days_before`` before the activity, strictly before it,
        in the activity's term when that term has one (ties: the earlier day), or the day
        published for it while that day is still one it may take."""
        target = main - dt.timedelta(days=int(lu["days_before"]))
        pool = self._lead_up_pool(main, c, lu)
        if not pool:
            return  # no usable day at all: the contract names none
        best = min(pool, key=lambda x: (abs((x - target).days), x))
        # a published day is held while the session may still take it (not provisional)
        held = self.published.get(oid) == d and d in pool and not self.cal.provisional(d)
        if d != best and not held:
            self.bad.append(f"{oid} on {d}: the nearest usable day to {target} is {best}")

    def _lead_up_pool(
        self, main: dt.date, c: Mapping[str, Any], lu: Mapping[str, Any]
    ) -> list[dt.date]:
        """The days a lead-up of an activity on ``main`` may take: usable, strictly before,
        in the activity's own term when that term has any."""
        audience = lu.get("audience")
        if audience is None:
            base = list(c.get("audience") or DEFAULT_AUDIENCE)
            audience = [x for x in base if x != "parents"] or base
        brigade = "brigade" in audience
        candidates = [
            x for x in span(self.cal.start, main - ONE) if self._lead_up_usable(x, brigade)
        ]
        term = self.cal.term(main)
        own = [x for x in candidates if term is not None and self.cal.term(x) == term]
        return own or candidates


def violations(
    agreement: Mapping[str, Any], plan: Mapping[str, Any], published: Mapping[str, Any] = {}
) -> list[str]:
    """Every way ``plan`` (``plan --json``) breaks the contract for ``agreement`` (plain
    data); ``published`` maps occurrence ids to the dates already published (held)."""
    return Checker(agreement, plan, published).run()
