"""Repeat forms → demands: every occurrence the agreement asks for, with its candidate days.

A demand knows its contract id, its term, the days it may take (in order of
preference) and, for reports of failure, the days it was looked for in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from partnership.festivals import definition, festival_dates
from partnership.model import Agreement, Commitment, Term
from partnership.schoolcalendar import DayInfo, SchoolCalendar

Form = Literal["term", "month", "festival", "once", "once_in"]


@dataclass(frozen=True)
class Demand:
    """One main occurrence to place."""

    id: str
    commitment: Commitment
    form: Form
    term: Term | None
    domain: tuple[dt.date, ...]  # days looked at, in date order (for failure reports)
    target: dt.date  # the ideal day (window midpoint, festival date, fixed date)
    fixed: bool = False  # once / exact: the date is given, not chosen
    festival: str | None = None
    month: str | None = None  # YYYY-MM for per-month demands
    rank: tuple[int, int] = (1, 1)  # (k, N): k-th of N occurrences in its group

    @property
    def strict(self) -> bool:
        """Only the commitment's own weekdays: always, except festivals without weekdays."""
        return self.form != "festival" or self.commitment.weekdays is not None


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return list(map(dt.date.fromordinal, range(start.toordinal(), end.toordinal() + 1)))


def _by_month(days: list[dt.date]) -> list[list[dt.date]]:
    """A run of consecutive days cut at each month's end."""
    out: list[list[dt.date]] = []
    i = 0
    while i < len(days):
        first = days[i]
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        n = (nxt - first).days  # the month's days from this one on (a slice stops at the end)
        out.append(days[i : i + n])
        i += n
    return out


def window_days(term: Term, c: Commitment) -> list[dt.date]:
    """Days of ``term`` inside the commitment's week window (the whole term without one):
    weeks a..b run from week a's Monday to week b's Sunday."""
    if c.window is None:
        return _days(term.start, term.end)
    a, b = c.window.weeks
    monday = term.week1_monday
    first = max(term.start, monday + dt.timedelta(days=7 * (a - 1)))
    return _days(first, min(term.end, monday + dt.timedelta(days=7 * b - 1)))


def unusable(
    info: DayInfo, weekdays: tuple[int, ...], c: Commitment, *, strict: bool
) -> str | None:
    """The first rule that keeps the commitment off a day, before capacity and gaps.

    One of "outside-term", "holiday" (an official day off), "weekend" or "not-school-day"
    (no school that day), "weekday" (a school day, but not one of the commitment's
    weekdays), "closure", "brigade", or None when the day can hold it. ``strict`` requires
    the day's own weekday to be one of ``weekdays``; festival placement without explicit
    weekdays accepts any school day, 调休 workdays included.
    """
    if info.term is None:
        return "outside-term"
    if info.official == "off":
        return "holiday"
    if not info.school_day:
        return "weekend" if info.date.weekday() >= 5 else "not-school-day"
    if strict and info.date.weekday() not in weekdays:
        return "weekday"
    if info.closures:
        return "closure"
    if c.brigade and info.brigade_busy:
        return "brigade"
    return None


def usable_dates(
    infos: Iterable[DayInfo], weekdays: tuple[int, ...], c: Commitment, *, strict: bool
) -> tuple[dt.date, ...]:
    """The days that can hold the commitment (before capacity and gaps are considered),
    in order: those :func:`unusable` gives None, asked in the order that rules most days
    out first (one comprehension: placement asks it of about 2000 days an agreement)."""
    days = frozenset(weekdays) if strict else frozenset(range(7))
    brigade = bool(c.brigade)
    return tuple(
        i.date
        for i in infos
        if i.school_day  # the calendar's: in a term, and no official day off
        and not i.closures
        and i.date.weekday() in days
        and not (brigade and i.brigade_busy)
    )


def usable_days(
    calendar: SchoolCalendar,
    domain: tuple[dt.date, ...],
    weekdays: tuple[int, ...],
    c: Commitment,
    *,
    strict: bool,
) -> tuple[dt.date, ...]:
    """The days of ``domain`` that can hold the commitment, in order (once per calendar)."""

    def make() -> tuple[dt.date, ...]:
        return usable_dates(calendar.days(domain), weekdays, c, strict=strict)

    return calendar.day_list(("usable", domain, weekdays, bool(c.brigade), strict), make)


def expand(agreement: Agreement, calendar: SchoolCalendar) -> list[Demand]:
    """Every main occurrence the agreement asks for, in a stable order."""
    out: list[Demand] = []
    info = agreement.agreement
    for c in agreement.commitments:
        r = c.repeat
        form = r.form
        if form == "term":
            assert r.count is not None
            for term in calendar.terms:
                days = tuple(window_days(term, c))
                for n in range(1, r.count + 1):
                    out.append(
                        Demand(
                            id=f"{c.id}/{term.id}/{n}",
                            commitment=c,
                            form="term",
                            term=term,
                            domain=days,
                            target=days[len(days) // 2] if days else term.start,
                            rank=(n, r.count),
                        )
                    )
        elif form == "month":
            assert r.count is not None
            for term in calendar.terms:
                for mdays in _by_month(window_days(term, c)):
                    month = f"{mdays[0].year:04d}-{mdays[0].month:02d}"
                    if not any(calendar.day(d).school_day for d in mdays):
                        continue
                    for n in range(1, r.count + 1):
                        out.append(
                            Demand(
                                id=f"{c.id}/{term.id}/{month}-{n}",
                                commitment=c,
                                form="month",
                                term=term,
                                domain=tuple(mdays),
                                target=mdays[len(mdays) // 2],
                                month=month,
                                rank=(n, r.count),
                            )
                        )
        elif form == "festivals":
            assert r.festivals is not None
            for key in r.festivals:
                definition(key, agreement.festivals)
                seen: dict[int, int] = {}
                for day in festival_dates(key, info.start, info.end, agreement.festivals):
                    seen[day.year] = seen.get(day.year, 0) + 1
                    suffix = f"-{seen[day.year]}" if seen[day.year] > 1 else ""
                    shift = dt.timedelta(days=r.max_shift_days)
                    lo = (
                        max(day - shift, info.start)
                        if r.placement in ("before", "nearest")
                        else day
                    )
                    hi = min(day + shift, info.end) if r.placement in ("after", "nearest") else day
                    out.append(
                        Demand(
                            id=f"{c.id}/{key}-{day.year}{suffix}",
                            commitment=c,
                            form="festival",
                            term=calendar.term_of(day),
                            domain=tuple(_days(lo, hi)),
                            target=day,
                            fixed=r.placement == "exact",
                            festival=key,
                        )
                    )
        elif form == "once":
            assert r.once is not None
            out.append(
                Demand(
                    id=f"{c.id}/once",
                    commitment=c,
                    form="once",
                    term=calendar.term_of(r.once),
                    domain=(r.once,),
                    target=r.once,
                    fixed=True,
                )
            )
        else:
            assert r.once_in is not None
            term = agreement.term(r.once_in)
            days = tuple(window_days(term, c))
            out.append(
                Demand(
                    id=f"{c.id}/once",
                    commitment=c,
                    form="once_in",
                    term=term,
                    domain=days,
                    target=days[len(days) // 2] if days else term.start,
                )
            )
    return out
