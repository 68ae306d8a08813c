"""Where festival dates are decided: the built-in catalogue and custom festivals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from partnership.model import CustomFestival


@dataclass(frozen=True)
class FestivalDef:
    """A festival: its key, names, and the rule that dates it."""

    key: str
    name_zh: str
    name_en: str
    rule: Literal["solar", "lunar", "last-monday-march", "qingming"]
    month: int = 0
    day: int = 0

    def name(self, language: str) -> str:
        """The festival's name in the agreement language."""
        return self.name_en if language == "en" else self.name_zh


CATALOGUE: dict[str, FestivalDef] = {
    f.key: f
    for f in (
        FestivalDef("new-year", "元旦", "New Year's Day", "solar", 1, 1),
        FestivalDef("spring-festival", "春节", "Spring Festival", "lunar", 1, 1),
        FestivalDef("lantern", "元宵节", "Lantern Festival", "lunar", 1, 15),
        FestivalDef("womens-day", "妇女节", "International Women's Day", "solar", 3, 8),
        FestivalDef("arbor-day", "植树节", "Arbor Day", "solar", 3, 12),
        FestivalDef(
            "safety-education-day",
            "全国中小学生安全教育日",
            "National School Safety Education Day",
            "last-monday-march",
        ),
        FestivalDef("qingming", "清明节", "Qingming Festival", "qingming"),
        FestivalDef("labour-day", "劳动节", "Labour Day", "solar", 5, 1),
        FestivalDef("youth-day", "五四青年节", "Youth Day", "solar", 5, 4),
        FestivalDef(
            "disaster-prevention-day",
            "全国防灾减灾日",
            "National Disaster Prevention Day",
            "solar",
            5,
            12,
        ),
        FestivalDef("childrens-day", "六一儿童节", "Children's Day", "solar", 6, 1),
        FestivalDef("dragon-boat", "端午节", "Dragon Boat Festival", "lunar", 5, 5),
        FestivalDef("party-day", "建党节", "CPC Founding Day", "solar", 7, 1),
        FestivalDef("army-day", "建军节", "Army Day", "solar", 8, 1),
        FestivalDef("teachers-day", "教师节", "Teachers' Day", "solar", 9, 10),
        FestivalDef("mid-autumn", "中秋节", "Mid-Autumn Festival", "lunar", 8, 15),
        FestivalDef("national-day", "国庆节", "National Day", "solar", 10, 1),
        FestivalDef("double-ninth", "重阳节", "Double Ninth Festival", "lunar", 9, 9),
        FestivalDef("fire-day", "全国消防日", "National Fire Safety Day", "solar", 11, 9),
    )
}


TABLE = "data/festival_dates.tsv"  # made by festival_table.py


@cache
def _table() -> tuple[dict[tuple[int, int, int], dt.date], dict[int, dt.date]]:
    """The shipped dates: (lunar year, month, day) -> date of the built-in lunar festivals,
    and year -> 清明 (lunar-python is slow to import; these are the dates every plan asks)."""
    from importlib.resources import files

    lines = files("partnership").joinpath(TABLE).read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    days = [tuple(int(n) for n in column.split("-")) for column in rows[0][2:]]
    lunar: dict[tuple[int, int, int], dt.date] = {}
    terms: dict[int, dt.date] = {}
    for year, term, *dates in rows[1:]:
        terms[int(year)] = dt.date.fromisoformat(term)
        for (m, d), iso in zip(days, dates, strict=True):
            lunar[int(year), m, d] = dt.date.fromisoformat(iso)
    return lunar, terms


def lunar_to_solar(lunar_year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Chinese lunar date (the shipped table, else lunar-python)."""
    known = _table()[0].get((lunar_year, month, day))
    if known is not None:
        return known
    from lunar_python import Lunar

    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def qingming(year: int) -> dt.date:
    """The date of the 清明 solar term in ``year`` (the shipped table, else lunar-python)."""
    known = _table()[1].get(year)
    if known is not None:
        return known
    from lunar_python import Solar

    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return dt.date(term.getYear(), term.getMonth(), term.getDay())


def definition(key: str, custom: Sequence[CustomFestival] = ()) -> FestivalDef:
    """The festival behind ``key``: a custom one or the built-in catalogue (KeyError if none)."""
    for f in custom:
        if f.key == key:
            return FestivalDef(
                f.key, f.name, f.name, "lunar" if f.lunar else "solar", f.month, f.day
            )
    return CATALOGUE[key]


def festival_date(key: str, year: int, custom: Sequence[CustomFestival] = ()) -> dt.date | None:
    """The festival's (first) date in Gregorian ``year``, or None when it has none that year."""
    found = _dates_in_year(definition(key, custom), year)
    return found[0] if found else None


def festival_dates(
    key: str, start: dt.date, end: dt.date, custom: Sequence[CustomFestival] = ()
) -> list[dt.date]:
    """Every date of the festival between ``start`` and ``end`` inclusive, in order."""
    f = definition(key, custom)
    return [
        d
        for year in range(start.year, end.year + 1)
        for d in _dates_in_year(f, year)
        if start <= d <= end
    ]


def _dates_in_year(f: FestivalDef, year: int) -> list[dt.date]:
    """The festival's dates in Gregorian ``year``, in order: none, one, or for a lunar date
    late in the lunar year (腊月) two, one from each of two lunar years."""
    if f.rule == "solar":
        try:
            return [dt.date(year, f.month, f.day)]
        except ValueError:  # 29 February in a common year
            return []
    if f.rule == "last-monday-march":
        last = dt.date(year, 3, 31)
        return [last - dt.timedelta(days=last.weekday())]
    if f.rule == "qingming":
        return [qingming(year)]
    found = []
    for lunar_year in (year - 1, year):
        try:
            d = lunar_to_solar(lunar_year, f.month, f.day)
        except Exception:  # lunar-python rejects a day 30 in a 29-day month
            continue
        if d.year == year:
            found.append(d)
    return found
