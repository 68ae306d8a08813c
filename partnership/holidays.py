"""Where holidays are decided: official days off and 调休 make-up workdays per year.

Sources, in order: the agreement's ``calendar.notices`` for that year (merged over
the built-in data), the built-in data of ``chinesecalendar``, and for a year with
neither the statutory days of the 2025 rules, marked *provisional* (no 调休 known).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from partnership.errors import CalendarRangeError
from partnership.festivals import lunar_to_solar, qingming
from partnership.messages import t
from partnership.model import Notice

Source = Literal["built-in", "notice", "provisional", "none"]
# what a day off is: a statutory holiday (法定假日), a rest day swapped from a working
# day by 调休 (调休休息日), or a Saturday or Sunday inside the holiday (周末)
DayOffKind = Literal["statutory", "in-lieu", "weekend"]
FIRST_YEAR = 2004
LAST_YEAR = 2099

# chinesecalendar's Holiday enum values -> the names used on the official notices
_CC_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
_EN_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
    "抗战胜利70周年纪念日": "Victory Day (70th anniversary)",
}


def english_name(name: str) -> str:
    """The English name of a built-in holiday name; other names are returned as given."""
    return _EN_NAMES.get(name, name)


@dataclass(frozen=True)
class OfficialYear:
    """The official days off and make-up workdays of one year, and where they come from."""

    year: int
    source: Source
    days_off: tuple[tuple[dt.date, str], ...]
    workdays: tuple[tuple[dt.date, str], ...]
    in_lieu: frozenset[dt.date] = frozenset()  # weekday days off given for a 调休 workday

    def kind_of(self, day: dt.date) -> DayOffKind:
        """What kind of day off ``day`` (one of ``days_off``) is."""
        if day.weekday() >= 5:
            return "weekend"
        return "in-lieu" if day in self.in_lieu else "statutory"

    @property
    def provisional(self) -> bool:
        """True when the year's notice is not known and statutory rules were used."""
        return self.source == "provisional"


@cache
def _built_in(
    year: int,
) -> tuple[dict[dt.date, str], dict[dt.date, str], frozenset[dt.date]] | None:
    """chinesecalendar's days of ``year`` (cached: callers copy before changing them)."""
    import chinese_calendar as cc

    try:
        cc.is_holiday(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    off = {d: _CC_NAMES.get(h, h) for d, h in cc.holidays.items() if d.year == year}
    work = {d: _CC_NAMES.get(h, h) for d, h in cc.workdays.items() if d.year == year}
    return off, work, frozenset(d for d in cc.in_lieu_days if d.year == year)


def statutory_days(year: int) -> dict[dt.date, str]:
    """Statutory days off under the 2025 rules (国务院令第795号), without any 调休."""
    return dict(_statutory(year))


@cache
def _statutory(year: int) -> dict[dt.date, str]:
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    new_year = lunar_to_solar(year, 1, 1)
    for k in range(-1, 3):
        days[new_year + dt.timedelta(days=k)] = "春节"
    days[qingming(year)] = "清明节"
    days[dt.date(year, 5, 1)] = "劳动节"
    days[dt.date(year, 5, 2)] = "劳动节"
    days[lunar_to_solar(year, 5, 5)] = "端午节"
    days[lunar_to_solar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        days[dt.date(year, 10, day)] = "国庆节"
    # 除夕 of the next lunar year can fall on 31 December of this year only in theory;
    # keep the days of this Gregorian year only.
    return {d: n for d, n in days.items() if d.year == year}


def official_year(
    year: int, notices: Sequence[Notice] = (), holidays: Literal["cn", "none"] = "cn"
) -> OfficialYear:
    """Days off and workdays for ``year`` from notices, built-in data or provisional rules.

    A notice's days off that spill into a neighbouring year (元旦 12-31..1-2) count there too.
    """
    if holidays == "none":
        return OfficialYear(year, "none", (), ())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(
            t("holidays.out_of_range", year=year, first=FIRST_YEAR, last=LAST_YEAR)
        )
    return _from_tables(year, tuple(notices)) if notices else _without_notices(year)


@cache
def _without_notices(year: int) -> OfficialYear:
    """:func:`official_year` of an agreement without notices, worked out once a year (every
    calendar of a district asks for the same few years)."""
    return _from_tables(year, ())


def _from_tables(year: int, notices: Sequence[Notice]) -> OfficialYear:
    source, off, work, lieu = _tables(year, notices)
    return OfficialYear(year, source, tuple(sorted(off.items())), tuple(sorted(work.items())), lieu)


def _tables(
    year: int, notices: Sequence[Notice]
) -> tuple[Source, dict[dt.date, str], dict[dt.date, str], frozenset[dt.date]]:
    """Source, days off, make-up workdays and 调休 rest days of ``year`` (no weekends joined)."""
    notice = next((n for n in notices if n.year == year), None)
    built = _built_in(year)
    source: Source
    lieu: frozenset[dt.date] = frozenset()
    if notice is not None:
        source = "notice"
        off, work, lieu = built if built is not None else ({}, {}, lieu)
    elif built is not None:
        source = "built-in"
        off, work, lieu = built
    else:
        source = "provisional"
        off, work = statutory_days(year), {}
    off, work = dict(off), dict(work)
    if built is not None:  # the official notice's weekends, before the agreement's own notices
        _join_weekends(year, off, work)
    known = dict(off)
    neighbours = sorted((n for n in notices if n.year != year), key=lambda n: n.year)
    for n in [*neighbours, *([notice] if notice is not None else [])]:
        _apply(n, year, off, work)
    # a weekday a notice adds beyond the statutory days is a 调休 rest day (notices
    # compensate such days with make-up workdays); built-in days keep their kind
    statutory = statutory_days(year)
    lieu = frozenset(
        d for d in off if d in lieu or (d not in known and d.weekday() < 5 and d not in statutory)
    )
    return source, off, work, lieu


def _join_weekends(year: int, off: dict[dt.date, str], work: dict[dt.date, str]) -> None:
    """Add the Saturdays and Sundays a holiday of the built-in data runs into (放假，与周末连休)
    to ``off``; an agreement's notice, merged later, says what it says.

    The built-in data leaves some of them out (端午 2024: 06-10 only, though the notice
    gives 06-08..06-10); a December weekend joins the next year's 元旦 (2017-12-30/31).
    """
    seen = dict(off)
    new_year = dt.date(year + 1, 1, 1)
    after = _built_in(year + 1)
    if after is not None and new_year in after[0]:
        seen[new_year] = after[0][new_year]
    for d, name in sorted(seen.items()):
        for step in (dt.timedelta(days=-1), dt.timedelta(days=1)):
            x = d + step
            while x.weekday() >= 5 and x not in work and x not in seen:
                if x.year == year:
                    off[x] = name
                x += step


def _apply(notice: Notice, year: int, off: dict[dt.date, str], work: dict[dt.date, str]) -> None:
    """Merge the days of ``notice`` that fall in ``year`` over the tables ``off`` and ``work``."""
    for rng in notice.days_off:
        for d in rng.days():
            if d.year == year:
                off[d] = rng.name
                work.pop(d, None)
    for d in notice.workdays:
        if d.year == year:
            work[d] = off.pop(d, "") or _make_up_name(d, notice)


def _make_up_name(day: dt.date, notice: Notice) -> str:
    """The holiday a make-up workday belongs to: the notice's nearest days-off range."""
    best: tuple[int, str] | None = None
    for rng in notice.days_off:
        gap = min(abs((day - rng.start).days), abs((day - rng.end).days))
        if best is None or gap < best[0]:
            best = (gap, rng.name)
    return best[1] if best else "调休"
