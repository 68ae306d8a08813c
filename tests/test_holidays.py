"""Official days off and 调休 workdays, checked date by date against the 国务院办公厅 notices.

The expected table is written out below as in /work/shared/spec/domain-facts.md and is
parsed independently of ``chinesecalendar`` (which the module under test uses).

How the table maps onto Gregorian dates (the module keys every day by its own date):

* A range whose start month is after its end month begins in the previous Gregorian year:
  2023's 元旦 "12-31..1-2" is 2022-12-31..2023-01-02 (2023 notice: 2022年12月31日至2023年
  1月2日放假调休). The 2022-12-31 part therefore belongs to ``official_year(2022)``.
* The 2024 notice (国办发明电〔2023〕7号) says "元旦：1月1日放假，与周末连休", so the break
  is 2023-12-30..2024-01-01. The table lists only 1-1; the built-in data also records the
  joined weekend 2023-12-30/31 as 元旦 days off, which we accept: they are in
  ``official_year(2023)`` below (``EXTRA_OFF``). The same notice's "端午节：6月10日放假，与周
  末连休" weekend (2024-06-08/09) is not recorded by the built-in data; the module joins
  every weekend a holiday runs into (与周末连休), so both are 端午节 days off too
  (``EXTRA_OFF``): off either way, but a `once` there is warned about as a holiday.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from partnership.errors import CalendarRangeError
from partnership.holidays import english_name, official_year, statutory_days
from partnership.model import Notice

# year -> (days off, weekend days that are working days), verbatim from domain-facts.md
TABLE: dict[int, tuple[str, str]] = {
    2023: (
        "元旦 12-31..1-2; 春节 1-21..1-27; 清明 4-5; 劳动 4-29..5-3; 端午 6-22..6-24; "
        "中秋国庆 9-29..10-6",
        "1-28, 1-29, 4-23, 5-6, 6-25, 10-7, 10-8",
    ),
    2024: (
        "元旦 1-1; 春节 2-10..2-17; 清明 4-4..4-6; 劳动 5-1..5-5; 端午 6-10; 中秋 9-15..9-17; "
        "国庆 10-1..10-7",
        "2-4, 2-18, 4-7, 4-28, 5-11, 9-14, 9-29, 10-12",
    ),
    2025: (
        "元旦 1-1; 春节 1-28..2-4; 清明 4-4..4-6; 劳动 5-1..5-5; 端午 5-31..6-2; "
        "国庆中秋 10-1..10-8",
        "1-26, 2-8, 4-27, 9-28, 10-11",
    ),
    2026: (
        "元旦 1-1..1-3; 春节 2-15..2-23; 清明 4-4..4-6; 劳动 5-1..5-5; 端午 6-19..6-21; "
        "中秋 9-25..9-27; 国庆 10-1..10-7",
        "1-4, 2-14, 2-28, 5-9, 9-20, 10-10",
    ),
}
# The joined weekend of the 2024 notice's 元旦 (see the module docstring).
EXTRA_OFF = {
    dt.date(2023, 12, 30): {"元旦"},
    dt.date(2023, 12, 31): {"元旦"},
    dt.date(2024, 6, 8): {"端午节"},
    dt.date(2024, 6, 9): {"端午节"},
}

# Table names -> the names used on the notices (and by the module); a combined range may
# carry either name day by day.
NAMES = {
    "元旦": {"元旦"},
    "春节": {"春节"},
    "清明": {"清明节"},
    "劳动": {"劳动节"},
    "端午": {"端午节"},
    "中秋": {"中秋节"},
    "国庆": {"国庆节"},
    "中秋国庆": {"中秋节", "国庆节"},
    "国庆中秋": {"中秋节", "国庆节"},
}
CHINESE_NAMES = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def _md(year: int, text: str) -> dt.date:
    month, day = (int(x) for x in text.split("-"))
    return dt.date(year, month, day)


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def expected_off() -> dict[dt.date, set[str]]:
    """Every day off named by the table, by Gregorian date, with the names it may carry."""
    found: dict[dt.date, set[str]] = dict(EXTRA_OFF)
    for year, (off, _) in TABLE.items():
        for item in off.split("; "):
            m = re.fullmatch(r"(\S+) (\d+-\d+)(?:\.\.(\d+-\d+))?", item)
            assert m, item
            name, first, last = m.groups()
            end = _md(year, last or first)
            start = _md(year, first)
            if start > end:  # "12-31..1-2": starts in the previous year
                start = _md(year - 1, first)
            for d in _days(start, end):
                found[d] = NAMES[name]
    return found


def expected_workdays() -> set[dt.date]:
    return {_md(y, t) for y, (_, work) in TABLE.items() for t in work.split(", ")}


def test_table_parses_to_the_published_totals() -> None:
    per_year: dict[int, int] = {}
    for d in expected_off():
        per_year[d.year] = per_year.get(d.year, 0) + 1
    assert per_year == {
        2022: 1,
        2023: 2 + 7 + 1 + 5 + 3 + 8 + 2,  # + the 2024 元旦's joined weekend
        2024: 1 + 8 + 3 + 5 + 1 + 3 + 7 + 2,  # + 端午's joined weekend
        2025: 1 + 8 + 3 + 5 + 3 + 8,
        2026: 3 + 9 + 3 + 5 + 3 + 3 + 7,
    }
    assert len(expected_workdays()) == 7 + 8 + 5 + 6


@pytest.mark.parametrize("year", sorted(TABLE))
def test_every_date_of_the_year_matches_the_official_table(year: int) -> None:
    o = official_year(year)
    off, work = dict(o.days_off), dict(o.workdays)
    want_off, want_work = expected_off(), expected_workdays()
    wrong = []
    for d in _days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        if (d in off) != (d in want_off):
            wrong.append(f"{d}: day off is {d in off}, table says {d in want_off}")
        elif d in off and off[d] not in want_off[d]:
            wrong.append(f"{d}: named {off[d]!r}, table says {sorted(want_off[d])}")
        if (d in work) != (d in want_work):
            wrong.append(f"{d}: workday is {d in work}, table says {d in want_work}")
    assert wrong == []
    assert o.source == "built-in"
    assert not o.provisional
    # each make-up workday is a weekend day carrying the name of a holiday of that year
    for d, name in o.workdays:
        assert d.weekday() >= 5
        assert name in CHINESE_NAMES


def test_the_2023_new_year_break_starts_in_2022() -> None:
    assert dict(official_year(2022).days_off)[dt.date(2022, 12, 31)] == "元旦"
    assert dt.date(2022, 12, 31) not in dict(official_year(2023).days_off)


def test_days_off_and_workdays_are_sorted_and_disjoint() -> None:
    for year in range(2004, 2027):
        o = official_year(year)
        off = [d for d, _ in o.days_off]
        work = [d for d, _ in o.workdays]
        assert off == sorted(off) and work == sorted(work)
        assert not set(off) & set(work)
        assert all(d.year == year for d in off + work)


def test_2027_is_provisional_with_the_statutory_days_of_the_2025_rules() -> None:
    o = official_year(2027)
    assert o.source == "provisional"
    assert o.provisional
    assert o.workdays == ()
    expected = [
        (dt.date(2027, 1, 1), "元旦"),
        *((d, "春节") for d in _days(dt.date(2027, 2, 5), dt.date(2027, 2, 8))),
        (dt.date(2027, 4, 5), "清明节"),
        (dt.date(2027, 5, 1), "劳动节"),
        (dt.date(2027, 5, 2), "劳动节"),
        (dt.date(2027, 6, 9), "端午节"),
        (dt.date(2027, 9, 15), "中秋节"),
        *((d, "国庆节") for d in _days(dt.date(2027, 10, 1), dt.date(2027, 10, 3))),
    ]
    assert list(o.days_off) == expected
    assert statutory_days(2027) == dict(expected)


def test_statutory_spring_festival_is_new_years_eve_to_the_third_day() -> None:
    # 2026: 除夕 2026-02-16, 初一 02-17 (the table's 2026 break 2-15..2-23 contains them)
    spring = sorted(d for d, n in statutory_days(2026).items() if n == "春节")
    assert spring == _days(dt.date(2026, 2, 16), dt.date(2026, 2, 19))
    assert len(statutory_days(2026)) == 1 + 4 + 1 + 2 + 1 + 1 + 3


@pytest.mark.parametrize("year", [2003, 1999, 2100, 2200])
def test_years_outside_the_calendar_raise(year: int) -> None:
    with pytest.raises(CalendarRangeError, match=str(year)) as raised:
        official_year(year)
    assert "2004" in str(raised.value) and "2099" in str(raised.value)  # what would be valid


def test_a_notices_weekdays_beyond_the_statutory_days_are_rest_days_in_lieu() -> None:
    # 春节 2027 is 02-06: the statutory days are 除夕 02-05 to 初三 02-08; the notice's
    # 02-09..02-11 are weekdays it adds, compensated by make-up workdays (调休)
    n = _notice(2027, [("春节", "2027-02-05", "2027-02-11")], ["2027-02-20"])
    o = official_year(2027, [n])
    kinds = {d.day: o.kind_of(d) for d, _ in o.days_off if d.month == 2}
    assert kinds == {
        5: "statutory",
        6: "weekend",
        7: "weekend",
        8: "statutory",
        9: "in-lieu",
        10: "in-lieu",
        11: "in-lieu",
    }


def test_a_holiday_of_the_built_in_data_joins_the_weekend_after_it_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """与周末连休 on either side: a Friday off runs into Saturday and Sunday, a Monday off
    back into them, and a make-up workday stops the run."""
    import partnership.holidays as holidays

    friday, monday = dt.date(2030, 3, 1), dt.date(2030, 3, 11)
    off = {friday: "春假", monday: "春假"}
    work = {dt.date(2030, 3, 10): "春假"}  # the Sunday before the Monday is worked
    monkeypatch.setattr(
        holidays, "_built_in", lambda y: (off, work, frozenset()) if y == 2030 else None
    )
    got = dict(official_year(2030).days_off)
    assert got == {
        friday: "春假",
        dt.date(2030, 3, 2): "春假",
        dt.date(2030, 3, 3): "春假",
        monday: "春假",  # not 03-09: the worked Sunday between ends the run
    }


@pytest.mark.parametrize(("year", "source"), [(2004, "built-in"), (2099, "provisional")])
def test_the_first_and_last_years_are_covered(year: int, source: str) -> None:
    assert official_year(year).source == source


@pytest.mark.parametrize("year", [2024, 2027])
def test_holidays_none_gives_nothing(year: int) -> None:
    o = official_year(year, holidays="none")
    assert (o.year, o.source, o.days_off, o.workdays, o.provisional) == (
        year,
        "none",
        (),
        (),
        False,
    )


def _notice(year: int, days_off: list[tuple[str, str, str]], workdays: list[str]) -> Notice:
    return Notice.model_validate(
        {
            "year": year,
            "days_off": [{"name": n, "start": s, "end": e} for n, s, e in days_off],
            "workdays": workdays,
        }
    )


def test_a_notice_for_2027_gives_exactly_its_days() -> None:
    n = _notice(2027, [("春节", "2027-02-05", "2027-02-11")], ["2027-02-14"])
    o = official_year(2027, [n])
    assert o.source == "notice"
    assert not o.provisional
    assert list(o.days_off) == [
        (d, "春节") for d in _days(dt.date(2027, 2, 5), dt.date(2027, 2, 11))
    ]
    assert list(o.workdays) == [(dt.date(2027, 2, 14), "春节")]


def test_a_notice_for_another_year_leaves_2027_provisional() -> None:
    n = _notice(2026, [("国庆节", "2026-10-01", "2026-10-07")], [])
    assert official_year(2027, [n]).source == "provisional"
    assert official_year(2027, [n]).days_off == official_year(2027).days_off


def test_a_notice_for_2025_merges_over_the_built_in_data() -> None:
    built = official_year(2025)
    n = _notice(
        2025,
        [("元旦", "2025-12-31", "2025-12-31"), ("国庆节", "2025-09-28", "2025-09-28")],
        ["2025-03-01", "2025-10-08"],
    )
    o = official_year(2025, [n])
    off, work = dict(o.days_off), dict(o.workdays)
    assert o.source == "notice"
    # a new day off (a Wednesday that built-in has as a working day)
    assert dt.date(2025, 12, 31) not in dict(built.days_off)
    assert off[dt.date(2025, 12, 31)] == "元旦"
    # a built-in make-up workday the notice lists as a day off is now off
    assert dt.date(2025, 9, 28) in dict(built.workdays)
    assert off[dt.date(2025, 9, 28)] == "国庆节"
    assert dt.date(2025, 9, 28) not in work
    # an ordinary Saturday listed as a workday becomes a workday
    assert work[dt.date(2025, 3, 1)] in CHINESE_NAMES
    # a built-in day off listed as a workday becomes a workday and keeps its holiday's name
    assert dict(built.days_off)[dt.date(2025, 10, 8)] == "国庆节"
    assert dt.date(2025, 10, 8) not in off
    assert work[dt.date(2025, 10, 8)] == "国庆节"
    # everything else of the built-in data stays
    changed = {dt.date(2025, m, d) for m, d in ((12, 31), (9, 28), (3, 1), (10, 8))}
    assert {d: v for d, v in built.days_off if d not in changed} == {
        d: v for d, v in o.days_off if d not in changed
    }
    assert {d for d, _ in built.workdays} - changed == set(work) - changed


def test_a_notice_for_2024_keeps_the_weekend_the_official_notice_joins_to_dragon_boat() -> None:
    """The built-in data's 与周末连休 weekends are joined before an agreement's notice is
    merged: a notice about other days leaves 端午's 06-08/09 off, and its own days are
    taken as they are (no weekend joined to a Monday off of its own)."""
    n = _notice(2024, [("通知假", "2024-04-15", "2024-04-15")], ["2024-06-08"])
    off, work = (
        dict(x) for x in (official_year(2024, [n]).days_off, official_year(2024, [n]).workdays)
    )
    assert off[dt.date(2024, 6, 9)] == "端午节" and off[dt.date(2024, 6, 10)] == "端午节"
    assert dt.date(2024, 6, 8) not in off and dt.date(2024, 6, 8) in work  # the notice wins
    assert off[dt.date(2024, 4, 15)] == "通知假"
    assert dt.date(2024, 4, 13) not in off and dt.date(2024, 4, 14) not in off
    # and the rest of the year is the built-in year's
    built = dict(official_year(2024).days_off)
    assert {d: v for d, v in off.items() if d.month != 4 and d != dt.date(2024, 6, 8)} == {
        d: v for d, v in built.items() if d.month != 4 and d != dt.date(2024, 6, 8)
    }


def test_a_december_weekend_joins_the_next_years_new_year_break() -> None:
    """The 2018 notice: "元旦：1月1日放假，与周末连休" (2017-12-30..2018-01-01), the 2017 one:
    2016-12-31..2017-01-02; the built-in data lists only 1-1 (and 1-2) for them."""
    assert [(d, n) for d, n in official_year(2017).days_off if d.month == 12] == [
        (dt.date(2017, 12, 30), "元旦"),
        (dt.date(2017, 12, 31), "元旦"),
    ]
    assert [d for d, _ in official_year(2016).days_off if d.month == 12] == [dt.date(2016, 12, 31)]
    # a new year's day on a Wednesday joins nothing: the December of 2024 has no day off
    assert [d for d, _ in official_year(2024).days_off if d.month == 12] == []
    # the last year looks past the built-in data's end without failing
    assert official_year(2099).source == "provisional"


def test_a_make_up_workday_takes_the_name_of_the_nearest_days_off() -> None:
    n = _notice(
        2027,
        [("春节", "2027-02-05", "2027-02-11"), ("劳动节", "2027-05-01", "2027-05-05")],
        ["2027-02-20", "2027-04-25"],
    )
    assert dict(official_year(2027, [n]).workdays) == {
        dt.date(2027, 2, 20): "春节",
        dt.date(2027, 4, 25): "劳动节",
    }
    bare = _notice(2027, [], ["2027-02-20"])
    assert dict(official_year(2027, [bare]).workdays) == {dt.date(2027, 2, 20): "调休"}


def test_a_notice_range_reaching_into_the_previous_year_counts_there() -> None:
    # like the 2023 notice: 元旦 2022-12-31..2023-01-02, here for 2028 over provisional 2027
    n = _notice(2028, [("元旦", "2027-12-31", "2028-01-02")], [])
    o2027 = official_year(2027, [n])
    assert dict(o2027.days_off)[dt.date(2027, 12, 31)] == "元旦"
    assert o2027.source == "provisional"
    o2028 = official_year(2028, [n])
    assert o2028.source == "notice"
    assert [d for d, _ in o2028.days_off] == [dt.date(2028, 1, 1), dt.date(2028, 1, 2)]


def test_a_notice_range_reaching_into_a_built_in_year_counts_there() -> None:
    n = _notice(2027, [("元旦", "2026-12-31", "2027-01-02")], [])
    o = official_year(2026, [n])
    assert o.source == "built-in"
    assert dict(o.days_off)[dt.date(2026, 12, 31)] == "元旦"
    assert dt.date(2026, 12, 31) not in dict(official_year(2026).days_off)


def test_names_are_chinese_and_english_name_maps_them() -> None:
    names = {
        name
        for year in range(2004, 2027)
        for _, name in official_year(year).days_off + official_year(year).workdays
    }
    assert names == CHINESE_NAMES | {"抗战胜利70周年纪念日"}
    assert dict(official_year(2024).days_off)[dt.date(2024, 10, 1)] == "国庆节"
    assert dict(official_year(2024).days_off)[dt.date(2024, 2, 10)] == "春节"
    english = {n: english_name(n) for n in names}
    assert english["国庆节"] == "National Day"
    assert english["春节"] == "Spring Festival"
    assert english["中秋节"] == "Mid-Autumn Festival"
    for zh, en in english.items():
        assert en.isascii() and en != zh
    assert len(set(english.values())) == len(names)
    assert english_name("校庆日") == "校庆日"


def test_a_notice_workday_leaks_into_the_neighbouring_year() -> None:
    """The 2027 notice's 元旦 调休 may fall on a 2026 weekend: it counts in 2026 (built-in
    stays the source), and a 2026 notice's own word on that day wins over the 2027 one."""
    sunday = dt.date(2026, 12, 27)
    n2027 = _notice(2027, [("元旦", "2027-01-01", "2027-01-03")], [sunday.isoformat()])
    o = official_year(2026, [n2027])
    assert (o.source, dict(o.workdays)[sunday]) == ("built-in", "元旦")
    assert sunday not in dict(official_year(2026).workdays)
    assert sunday not in dict(official_year(2027, [n2027]).workdays)  # not a 2027 day
    n2026 = _notice(2026, [("调整", "2026-12-27", "2026-12-27")], [])
    for notices in ([n2027, n2026], [n2026, n2027]):
        o = official_year(2026, notices)
        assert (o.source, dict(o.days_off)[sunday]) == ("notice", "调整"), notices
        assert sunday not in dict(o.workdays)


def test_conflicting_neighbour_notices_apply_in_year_order() -> None:
    """Two neighbours' notices disagree on 2026-12-31: the later year's is applied last."""
    day = dt.date(2026, 12, 31)
    n2025 = _notice(2025, [], [day.isoformat()])
    n2027 = _notice(2027, [("元旦", "2026-12-31", "2027-01-01")], [])
    for notices in ([n2027, n2025], [n2025, n2027]):
        o = official_year(2026, notices)
        assert dict(o.days_off)[day] == "元旦" and day not in dict(o.workdays), notices


def test_a_make_up_workday_between_two_days_off_takes_the_first_name() -> None:
    n = _notice(
        2027,
        [("春节", "2027-02-05", "2027-02-11"), ("元宵", "2027-02-15", "2027-02-15")],
        ["2027-02-13"],
    )
    assert dict(official_year(2027, [n]).workdays) == {dt.date(2027, 2, 13): "春节"}
