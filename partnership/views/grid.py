"""The term calendar (校历) as data: one row per term week, Mon..Sun, with what each day holds.

Pure: built from a plan and a school calendar; the rich and HTML views only lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from partnership.errors import UsageError
from partnership.holidays import english_name
from partnership.i18n import text
from partnership.messages import t
from partnership.plan import Occurrence, Plan, sort_key
from partnership.schoolcalendar import SchoolCalendar


def view_label(key: str, language: str) -> str:
    """A term-calendar label (legend, out of term, ...) in ``language``; shared by both views."""
    return text(f"calendar.{key}", language)


def activity_title(o: Occurrence, language: str) -> str:
    """An occurrence's title as both views show it: lead-up sessions marked as preparation."""
    if o.is_main:
        return o.title
    return f"{view_label('lead_up', language)}{view_label('colon', language)}{o.title}"


@dataclass(frozen=True)
class GridDay:
    """One cell of the grid: a date, what the calendar says about it and its activities."""

    date: dt.date
    in_term: bool
    official: Literal["off", "workday"] | None
    holiday: str | None
    closures: tuple[str, ...]
    brigade_busy: tuple[str, ...]
    school_day: bool
    provisional: bool
    occurrences: tuple[Occurrence, ...]

    @property
    def weekend(self) -> bool:
        """Saturday or Sunday (a make-up workday is still a weekend day, marked as workday)."""
        return self.date.weekday() >= 5

    @property
    def day_off(self) -> bool:
        """An official day off (放假)."""
        return self.official == "off"

    @property
    def make_up_workday(self) -> bool:
        """An official make-up workday (调休上班)."""
        return self.official == "workday"


@dataclass(frozen=True)
class GridWeek:
    """One row: term week ``number``, the seven days from ``monday`` to Sunday."""

    number: int
    monday: dt.date
    days: tuple[GridDay, ...]

    @property
    def sunday(self) -> dt.date:
        """The last day of the row."""
        return self.monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class TermGrid:
    """A whole term: the week of its first day to the week containing the last day.

    ``provisional`` is set when a shown day or activity lies in a year without official data.
    """

    term_id: str
    term_name: str
    language: str
    start: dt.date
    end: dt.date
    provisional: bool
    provisional_years: tuple[int, ...]
    weeks: tuple[GridWeek, ...]


def build_grid(plan: Plan, calendar: SchoolCalendar, term_id: str) -> TermGrid:
    """The 校历 grid of one term, with every plan occurrence dated inside the rows shown."""
    agreement = plan.agreement
    try:
        term = agreement.term(term_id)
    except KeyError:
        known = ", ".join(t.id for t in calendar.terms)
        raise UsageError(t("ics.unknown_term", term=repr(term_id), known=known)) from None
    language = agreement.agreement.language
    # rows from the week of the first day: days before week 1 (a term starting on a
    # Sunday) show in a row numbered 0 (or less), as on a printed 校历
    first = term.start - dt.timedelta(days=term.start.weekday())
    last = term.week1_monday + dt.timedelta(weeks=term.weeks, days=-1)
    by_day: dict[dt.date, list[Occurrence]] = {}
    for o in sorted(plan.occurrences, key=sort_key):
        if first <= o.date <= last:
            by_day.setdefault(o.date, []).append(o)
    weeks: list[GridWeek] = []
    for n in range(((last - first).days + 1) // 7):
        monday = first + dt.timedelta(weeks=n)
        days = tuple(
            _day(calendar, monday + dt.timedelta(days=i), term.start, term.end, language, by_day)
            for i in range(7)
        )
        weeks.append(GridWeek(number=term.week_of(monday), monday=monday, days=days))
    shown = [d for w in weeks for d in w.days]
    years = {d.date.year for d in shown if d.provisional}
    years |= {o.date.year for d in shown for o in d.occurrences if o.provisional}
    return TermGrid(
        term_id=term.id,
        term_name=term.name,
        language=language,
        start=term.start,
        end=term.end,
        provisional=bool(years),
        provisional_years=tuple(sorted(years)),
        weeks=tuple(weeks),
    )


def _day(
    calendar: SchoolCalendar,
    day: dt.date,
    start: dt.date,
    end: dt.date,
    language: str,
    by_day: dict[dt.date, list[Occurrence]],
) -> GridDay:
    info = calendar.day(day)
    holiday = info.holiday
    if holiday is not None and language == "en":
        holiday = english_name(holiday)
    return GridDay(
        date=day,
        in_term=start <= day <= end,
        official=info.official,
        holiday=holiday,
        closures=info.closures,
        brigade_busy=info.brigade_busy,
        school_day=info.school_day,
        provisional=info.provisional,
        occurrences=tuple(by_day.get(day, ())),
    )
