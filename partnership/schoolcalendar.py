"""The school-day calendar: which dates are school days, in which term and week, and why not.

Pure: built from a validated :class:`~partnership.model.Agreement`, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

from partnership.errors import CalendarRangeError
from partnership.holidays import DayOffKind, OfficialYear, official_year
from partnership.model import WEEKDAYS, Agreement, CalendarSpec, Term


def first_school_day(term: Term, spec: CalendarSpec) -> dt.date | None:
    """The term's first school day (closures aside: they do not move the 校历's week 1).

    None when the term has none, or its years have no holiday data (the calendar then
    reports that itself).
    """
    weekdays = {WEEKDAYS.index(w) for w in spec.weekdays}
    tables: dict[int, tuple[set[dt.date], set[dt.date]]] = {}
    day = term.start
    while day <= term.end:
        if day.year not in tables:
            try:
                year = official_year(day.year, spec.notices, spec.holidays)
            except CalendarRangeError:
                return None
            tables[day.year] = ({d for d, _ in year.days_off}, {d for d, _ in year.workdays})
        off, work = tables[day.year]
        if day in work or (day not in off and day.weekday() in weekdays):
            return day
        day += dt.timedelta(days=1)
    return None


@dataclass(frozen=True)
class DayInfo:
    """Everything the calendar knows about one date."""

    date: dt.date
    term: str | None
    week: int | None
    official: Literal["off", "workday"] | None
    holiday: str | None
    closures: tuple[str, ...]
    brigade_busy: tuple[str, ...]
    provisional: bool
    school_day: bool
    day_off: DayOffKind | None = None  # what kind of official day off it is

    @classmethod
    def make(
        cls,
        date: dt.date,
        term: str | None,
        week: int | None,
        official: Literal["off", "workday"] | None,
        holiday: str | None,
        closures: tuple[str, ...],
        brigade_busy: tuple[str, ...],
        provisional: bool,
        school_day: bool,
        day_off: DayOffKind | None,
    ) -> DayInfo:
        """The same as ``DayInfo(...)``, made twice as fast by filling the fields directly
        (a frozen dataclass sets each one through ``object.__setattr__``)."""
        info = object.__new__(cls)
        info.__dict__.update(
            date=date,
            term=term,
            week=week,
            official=official,
            holiday=holiday,
            closures=closures,
            brigade_busy=brigade_busy,
            provisional=provisional,
            school_day=school_day,
            day_off=day_off,
        )
        return info

    @property
    def open(self) -> bool:
        """A school day with no closure: the school can host partnership activities."""
        return self.school_day and not self.closures


PLAIN_TERMS_KEPT = 64
"""How many terms' plain days (:meth:`SchoolCalendar._plain`) are kept for other calendars."""
_PLAIN_TERMS: dict[Hashable, dict[dt.date, DayInfo]] = {}


class SchoolCalendar:
    """School days of one agreement: official holidays, terms, weeks, closures, brigade days."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        cal = agreement.calendar
        self._weekdays = frozenset(WEEKDAYS.index(w) for w in cal.weekdays)
        self._years: dict[int, OfficialYear] = {}
        self._tables_cache: dict[int, tuple[dict[dt.date, str], dict[dt.date, str]]] = {}
        self._days: dict[dt.date, DayInfo] = {}
        self._day_lists: dict[Hashable, tuple[dt.date, ...]] = {}
        self._closures: dict[dt.date, list[str]] = {}
        for rng in cal.closures:
            for d in rng.days():
                self._closures.setdefault(d, []).append(rng.name)
        for term in cal.terms:
            for rng in term.closures:
                for d in rng.days():
                    if term.start <= d <= term.end:
                        self._closures.setdefault(d, []).append(rng.name)
        self._busy: dict[dt.date, list[str]] = {}
        for rng in cal.brigade_unavailable:
            for d in rng.days():
                self._busy.setdefault(d, []).append(rng.name)
        for year in range(agreement.agreement.start.year, agreement.agreement.end.year + 1):
            self.official(year)

    def day_list(
        self, key: Hashable, make: Callable[[], tuple[dt.date, ...]]
    ) -> tuple[dt.date, ...]:
        """The list of days ``make`` gives for ``key``, made once per calendar: many demands
        of an agreement look at the same days under the same rules."""
        found = self._day_lists.get(key)
        if found is None:
            found = self._day_lists[key] = make()
        return found

    def official(self, year: int) -> OfficialYear:
        """Official days off and workdays of ``year`` (cached)."""
        if year not in self._years:
            cal = self.agreement.calendar
            self._years[year] = official_year(year, cal.notices, cal.holidays)
        return self._years[year]

    @property
    def terms(self) -> tuple[Term, ...]:
        """The agreement's terms in date order."""
        return tuple(sorted(self.agreement.calendar.terms, key=lambda t: t.start))

    def term_of(self, day: dt.date) -> Term | None:
        """The term containing ``day``, if any."""
        for t in self.agreement.calendar.terms:
            if t.start <= day <= t.end:
                return t
        return None

    def term_id(self, day: dt.date) -> str | None:
        """The id of the term containing ``day``, if any (from the day's facts once known:
        placement asks it for every day it tries)."""
        info = self._days.get(day)
        if info is not None:
            return info.term
        term = self.term_of(day)
        return term.id if term else None

    def provisional_years(self) -> tuple[int, ...]:
        """Years of the agreement whose holidays are provisional (no notice, no built-in data)."""
        first, last = self.agreement.agreement.start.year, self.agreement.agreement.end.year
        return tuple(y for y in range(first, last + 1) if self.official(y).provisional)

    def is_provisional(self, day: dt.date) -> bool:
        """True when ``day`` lies in a provisional year."""
        return self.official(day.year).provisional

    def holiday(self, day: dt.date) -> tuple[Literal["off", "workday"] | None, str | None]:
        """Whether ``day`` is an official day off or make-up workday, and the holiday's name."""
        off, work = self._tables(day.year)
        if day in off:
            return "off", off[day]
        if day in work:
            return "workday", work[day]
        return None, None

    def _tables(self, year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
        if year not in self._tables_cache:
            o = self.official(year)
            self._tables_cache[year] = (dict(o.days_off), dict(o.workdays))
        return self._tables_cache[year]

    def is_workday(self, day: dt.date) -> bool:
        """An ordinary working day: Monday–Friday and not a day off, or a make-up workday."""
        kind, _ = self.holiday(day)
        if kind == "workday":
            return True
        return day.weekday() < 5 and kind != "off"

    def day(self, day: dt.date) -> DayInfo:
        """What the calendar knows about ``day`` (computed once per date; a term's days all
        at once, as placement looks at most of them)."""
        info = self._days.get(day)
        if info is None:
            term = self.term_of(day)
            if term is None:
                info = self._days[day] = self._compute(day, None, 0)
            else:
                self._fill(term)
                info = self._days[day]
        return info

    def days(self, dates: Sequence[dt.date]) -> list[DayInfo]:
        """:meth:`day` of each of ``dates``, in order (placement asks for runs of days)."""
        known = self._days
        try:
            return [known[d] for d in dates]
        except KeyError:
            return [self.day(d) for d in dates]

    def _fill(self, term: Term) -> None:
        """Every day of ``term`` (none is known yet: terms never overlap), at once: placement
        looks at about 800 days per agreement. The days without a closure or brigade period
        are the same for every calendar with the same term, weekdays and official years
        (the schools of a district mostly share their terms), so they are made once."""
        years = tuple(self.official(y) for y in range(term.start.year, term.end.year + 1))
        key = (term.id, term.start, term.end, term.week1_monday, self._weekdays, years)
        plain = _PLAIN_TERMS.get(key)
        if plain is None:
            if len(_PLAIN_TERMS) >= PLAIN_TERMS_KEPT:
                _PLAIN_TERMS.clear()
            plain = _PLAIN_TERMS[key] = self._plain(term)
        self._days.update(plain)
        for day in self._closures.keys() | self._busy.keys():  # each marked day once
            if term.start <= day <= term.end:
                info = plain[day]
                self._days[day] = DayInfo.make(
                    day,
                    info.term,
                    info.week,
                    info.official,
                    info.holiday,
                    tuple(self._closures.get(day, ())),
                    tuple(self._busy.get(day, ())),
                    info.provisional,
                    info.school_day,
                    info.day_off,
                )

    def _plain(self, term: Term) -> dict[dt.date, DayInfo]:
        """Every day of ``term`` as if it had no closure or brigade period, in one pass
        (what :meth:`_compute` does per day, with the term, its week 1 and each year's
        tables looked up once)."""
        days: dict[dt.date, DayInfo] = {}
        weekdays = self._weekdays
        monday, tid = term.week1_monday.toordinal(), term.id
        year = 0
        off: dict[dt.date, str] = {}
        work: dict[dt.date, str] = {}
        official = self.official(term.start.year)
        kind: Literal["off", "workday"] | None
        for n in range(term.start.toordinal(), term.end.toordinal() + 1):
            day = dt.date.fromordinal(n)
            if day.year != year:
                year = day.year
                off, work = self._tables(year)
                official = self.official(year)
            if day in off:
                kind, name, school, day_off = "off", off[day], False, official.kind_of(day)
            elif day in work:
                kind, name, school, day_off = "workday", work[day], True, None
            else:
                kind, name, school, day_off = None, None, day.weekday() in weekdays, None
            days[day] = DayInfo.make(
                day,
                tid,
                (n - monday) // 7 + 1,
                kind,
                name,
                (),
                (),
                official.provisional,
                school,
                day_off,
            )
        return days

    def _compute(self, day: dt.date, term: Term | None, week: int) -> DayInfo:
        kind, name = self.holiday(day)
        if kind == "workday":
            school_weekday = True
        else:
            school_weekday = day.weekday() in self._weekdays and kind != "off"
        official = self.official(day.year)
        return DayInfo(
            date=day,
            term=term.id if term else None,
            week=week if term else None,
            official=kind,
            holiday=name,
            closures=tuple(self._closures.get(day, ())),
            brigade_busy=tuple(self._busy.get(day, ())),
            provisional=official.provisional,
            school_day=term is not None and school_weekday,
            day_off=official.kind_of(day) if kind == "off" else None,
        )

    def term_days(self, term: Term) -> list[DayInfo]:
        """Every date of ``term`` (school day or not), in order."""
        n = (term.end - term.start).days
        return [self.day(term.start + dt.timedelta(days=i)) for i in range(n + 1)]
