"""The school-day calendar: school days, term weeks, closures, brigade days, provisional years."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from typing import Any

import checker
import factory
import pytest
from factory import per_term, term
from hypothesis import example, given, settings
from hypothesis import strategies as st

from partnership.model import WEEKDAYS, Agreement
from partnership.schoolcalendar import SchoolCalendar

D = dt.date


AUTUMN = term("2024-autumn", "2024—2025学年第一学期", "2024-09-01", "2025-01-17")
SPRING = term("2025-spring", "2024—2025学年第二学期", "2025-02-17", "2025-06-30")
SPRING_2027 = term("2027-spring", "2026—2027学年第二学期", "2027-02-22", "2027-06-07")


def agreement(
    terms: list[dict[str, Any]] | None = None,
    start: str = "2024-06-08",
    end: str = "2027-06-07",
    **calendar: Any,
) -> Agreement:
    """A valid agreement with the given terms and calendar settings."""
    return factory.agreement(
        title="共建协议",
        start=start,
        end=end,
        calendar=calendar,
        terms=terms or [AUTUMN, SPRING, SPRING_2027],
        commitments=[per_term("brigade-visit", "走进消防支队")],
    )


def calendar(**kw: Any) -> SchoolCalendar:
    return SchoolCalendar(agreement(**kw))


def test_a_make_up_sunday_inside_a_term_is_a_school_day() -> None:
    d = calendar().day(D(2024, 9, 29))
    assert d.date.weekday() == 6
    assert (d.term, d.official, d.holiday) == ("2024-autumn", "workday", "国庆节")
    assert d.school_day and d.open


def test_the_national_day_week_is_not_school_days() -> None:
    cal = calendar()
    for i in range(1, 8):
        d = cal.day(D(2024, 10, i))
        assert (d.term, d.official, d.holiday, d.school_day) == (
            "2024-autumn",
            "off",
            "国庆节",
            False,
        )
    assert cal.day(D(2024, 10, 8)).school_day


def test_saturdays_are_school_days_only_when_weekdays_include_sat() -> None:
    saturday = D(2024, 9, 7)
    assert not calendar().day(saturday).school_day
    with_sat = calendar(weekdays=["mon", "tue", "wed", "thu", "fri", "sat"])
    assert with_sat.day(saturday).school_day
    assert not with_sat.day(D(2024, 9, 8)).school_day  # Sunday
    assert not with_sat.day(D(2024, 10, 5)).school_day  # a Saturday inside 国庆


def test_a_make_up_saturday_is_a_school_day_even_outside_the_weekday_set() -> None:
    cal = calendar(weekdays=["mon", "wed"])
    assert cal.day(D(2024, 9, 14)).school_day  # Saturday worked for 中秋
    assert cal.day(D(2024, 9, 9)).school_day  # Monday
    assert not cal.day(D(2024, 9, 10)).school_day  # Tuesday, not a school weekday


def test_days_outside_every_term_are_not_school_days() -> None:
    d = calendar().day(D(2024, 8, 30))  # a Friday before the autumn term
    assert (d.term, d.week, d.school_day, d.open) == (None, None, False, False)
    assert calendar().day(D(2025, 1, 17)).school_day  # the last day of the term (Friday)
    assert not calendar().day(D(2025, 1, 20)).school_day


def test_week_one_is_the_week_of_the_first_school_day() -> None:
    """A term starting on Sunday 1 September has week 1 from Monday 2 September."""
    cal = calendar()
    assert cal.day(D(2024, 9, 1)).week == 0  # Sunday, before the first school day
    assert cal.day(D(2024, 9, 2)).week == 1  # Monday
    assert cal.day(D(2024, 9, 8)).week == 1
    assert cal.day(D(2024, 9, 9)).week == 2
    last = cal.day(D(2025, 1, 17))
    assert last.week == agreement().term("2024-autumn").weeks == 20


def test_week_one_of_a_term_starting_in_a_holiday() -> None:
    """国庆 2024 is off until 10-7: the first school day is Tuesday 10-8, week 1 its week."""
    late = term("2024-autumn", "2024—2025学年第一学期", "2024-10-01", "2025-01-17")
    cal = calendar(terms=[late, SPRING])
    assert cal.day(D(2024, 10, 6)).week == 0
    assert cal.day(D(2024, 10, 7)).week == 1  # a day off, but in the first school day's week
    assert cal.day(D(2024, 10, 14)).week == 2


def test_week_one_after_a_holiday_at_the_start_of_a_term() -> None:
    # a term opening on 国庆 (Tuesday 2024-10-01): the first school day is Tuesday 10-08
    a = agreement(terms=[{"id": "t", "name": "t", "start": "2024-10-01", "end": "2024-12-31"}])
    cal = SchoolCalendar(a)
    assert [cal.day(D(2024, 10, d)).week for d in (1, 6, 7, 8, 13, 14)] == [0, 0, 1, 1, 1, 2]


def test_a_make_up_workday_can_open_week_one() -> None:
    # Sunday 2024-09-29 is a 调休 workday: a term starting that day has it in week 1
    a = agreement(terms=[{"id": "t", "name": "t", "start": "2024-09-29", "end": "2024-12-31"}])
    assert SchoolCalendar(a).day(D(2024, 9, 29)).week == 1
    assert SchoolCalendar(a).day(D(2024, 9, 30)).week == 2


def test_week_one_of_a_term_starting_on_monday() -> None:
    cal = calendar()
    assert cal.day(D(2025, 2, 17)).week == 1  # Monday
    assert cal.day(D(2025, 2, 23)).week == 1  # Sunday
    assert cal.day(D(2025, 2, 24)).week == 2
    assert agreement().term("2025-spring").weeks == 20


def test_agreement_wide_closures() -> None:
    cal = calendar(closures=[{"name": "期末考试", "start": "2025-01-13", "end": "2025-01-17"}])
    d = cal.day(D(2025, 1, 13))
    assert d.closures == ("期末考试",)
    assert d.school_day and not d.open
    assert cal.day(D(2025, 1, 10)).closures == ()
    assert cal.day(D(2025, 1, 10)).open


def test_per_term_closures_count_only_inside_their_term() -> None:
    term = {**AUTUMN, "closures": [{"name": "军训", "start": "2024-08-28", "end": "2024-09-03"}]}
    cal = calendar(terms=[term, SPRING])
    assert cal.day(D(2024, 8, 30)).closures == ()
    assert cal.day(D(2024, 8, 31)).closures == ()
    assert cal.day(D(2024, 9, 1)).closures == ("军训",)
    assert cal.day(D(2024, 9, 3)).closures == ("军训",)
    assert cal.day(D(2024, 9, 4)).closures == ()


def test_overlapping_closures_are_all_listed() -> None:
    term = {
        **AUTUMN,
        "closures": [{"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}],
    }
    cal = calendar(
        terms=[term, SPRING],
        closures=[{"name": "校园维修", "start": "2024-11-08", "end": "2024-11-12"}],
    )
    assert cal.day(D(2024, 11, 7)).closures == ("期中考试",)
    assert sorted(cal.day(D(2024, 11, 8)).closures) == ["期中考试", "校园维修"]
    assert cal.day(D(2024, 11, 12)).closures == ("校园维修",)


def test_brigade_busy_days() -> None:
    cal = calendar(
        brigade_unavailable=[{"name": "春节战备", "start": "2025-01-20", "end": "2025-02-10"}]
    )
    assert cal.day(D(2025, 1, 19)).brigade_busy == ()
    assert cal.day(D(2025, 1, 20)).brigade_busy == ("春节战备",)
    assert cal.day(D(2025, 2, 10)).brigade_busy == ("春节战备",)
    assert cal.day(D(2025, 2, 11)).brigade_busy == ()
    # brigade days do not close the school
    assert cal.day(D(2025, 1, 20)).closures == ()


def test_2027_days_are_provisional() -> None:
    cal = calendar()
    assert cal.provisional_years() == (2027,)
    assert cal.is_provisional(D(2027, 3, 1))
    assert cal.day(D(2027, 3, 1)).provisional
    assert not cal.day(D(2026, 12, 31)).provisional
    new_years_eve = cal.day(D(2027, 2, 5))
    assert (new_years_eve.official, new_years_eve.holiday) == ("off", "春节")
    # no 调休 can be known: 初四 (a Tuesday) is an ordinary working day
    assert cal.holiday(D(2027, 2, 9)) == (None, None)
    assert cal.is_workday(D(2027, 2, 9))
    assert cal.day(D(2027, 2, 22)).school_day  # first day of the 2027 spring term
    assert cal.day(D(2027, 2, 22)).provisional


def test_a_notice_makes_2027_definite() -> None:
    notice = {
        "year": 2027,
        "days_off": [{"name": "清明节", "start": "2027-04-03", "end": "2027-04-05"}],
        "workdays": ["2027-04-11"],
    }
    cal = calendar(notices=[notice])
    assert cal.provisional_years() == ()
    assert not cal.day(D(2027, 3, 1)).provisional
    assert cal.day(D(2027, 4, 11)).school_day  # Sunday worked
    assert not cal.day(D(2027, 4, 5)).school_day
    # the notice lists only 清明, so 端午 (statutory 2027-06-09) is not known as a day off
    assert cal.holiday(D(2027, 6, 9)) == (None, None)


def test_provisional_years_cover_only_the_agreement() -> None:
    cal = calendar(terms=[AUTUMN], start="2024-06-08", end="2026-12-31")
    assert cal.provisional_years() == ()
    assert cal.is_provisional(D(2027, 1, 4))  # asked about anyway


def test_is_workday() -> None:
    cal = calendar()
    assert cal.is_workday(D(2024, 9, 27))  # Friday
    assert not cal.is_workday(D(2024, 9, 28))  # Saturday
    assert cal.is_workday(D(2024, 9, 29))  # Sunday worked for 国庆
    assert not cal.is_workday(D(2024, 10, 1))
    assert not cal.is_workday(D(2024, 10, 7))  # Monday inside 国庆
    assert cal.is_workday(D(2024, 8, 1))  # outside any term: still a working day


def test_holidays_none_ignores_official_days() -> None:
    cal = calendar(holidays="none")
    assert cal.provisional_years() == ()
    assert cal.day(D(2024, 10, 1)).school_day
    assert cal.day(D(2024, 10, 1)).official is None
    assert not cal.day(D(2024, 9, 29)).school_day
    assert cal.is_workday(D(2024, 10, 1))
    assert not cal.day(D(2027, 3, 1)).provisional


def test_term_days_and_term_order() -> None:
    cal = calendar(terms=[SPRING, AUTUMN])
    assert [t.id for t in cal.terms] == ["2024-autumn", "2025-spring"]
    days = cal.term_days(agreement().term("2024-autumn"))
    assert days[0].date == D(2024, 9, 1) and days[-1].date == D(2025, 1, 17)
    assert len(days) == (D(2025, 1, 17) - D(2024, 9, 1)).days + 1
    assert all(b.date - a.date == dt.timedelta(days=1) for a, b in itertools.pairwise(days))
    assert {d.term for d in days} == {"2024-autumn"}
    assert cal.term_of(D(2025, 2, 1)) is None


# ---- against the domain-facts tables (tests/checker.py), not the data the code reads ------

WHOLE = term("all", "全年", "2023-01-01", "2026-12-31")
WEEKDAY_SETS = st.sets(st.sampled_from(WEEKDAYS), min_size=1)


@functools.cache
def covering(weekdays: frozenset[str]) -> tuple[SchoolCalendar, checker.Calendar]:
    """The code's calendar and the checker's for one term covering 2023–2026."""
    a = agreement(
        terms=[WHOLE],
        start="2023-01-01",
        end="2026-12-31",
        weekdays=sorted(weekdays, key=WEEKDAYS.index),
    )
    return SchoolCalendar(a), checker.Calendar(a.model_dump(mode="json"))


@settings(deadline=None)
@given(st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31)), WEEKDAY_SETS)
@example(D(2024, 9, 29), {"sun"})  # a 调休 Sunday
@example(D(2024, 10, 5), {"sat", "sun"})  # a Saturday inside 国庆
@example(D(2023, 12, 30), {"sat"})  # the weekend joined to 元旦 2024
@example(D(2026, 2, 28), {"mon"})  # a 调休 Saturday outside the weekday set
def test_school_days_agree_with_the_official_tables(day: dt.date, weekdays: set[str]) -> None:
    cal, independent = covering(frozenset(weekdays))
    assert cal.day(day).school_day == independent.school_day(day)
    off, work, provisional = independent.year(day.year)
    assert (cal.day(day).official == "off") == (day in off)
    assert (cal.day(day).official == "workday") == (day in work)
    assert cal.is_workday(day) == (day in work or (day.weekday() < 5 and day not in off))
    assert not provisional and not cal.is_provisional(day)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_no_year_of_the_covering_term_is_provisional(year: int) -> None:
    assert not covering(frozenset({"mon"}))[0].is_provisional(D(year, 6, 1))


def test_every_day_knows_its_term_and_week_in_whatever_order_it_is_asked() -> None:
    """A term's days are computed together: each still has its own term, week and facts."""
    a = agreement(closures=[{"name": "运动会", "start": "2024-10-16", "end": "2024-10-18"}])
    days = [D(2024, 6, 8) + dt.timedelta(days=i) for i in range(3 * 365)]
    forward, backward = SchoolCalendar(a), SchoolCalendar(a)
    for day in reversed(days):
        backward.day(day)
    for day in days:
        info = forward.day(day)
        assert info == backward.day(day)
        term = next((t for t in a.calendar.terms if t.start <= day <= t.end), None)
        assert info.term == (term.id if term else None)
        assert info.week == (term.week_of(day) if term else None)
        assert info.closures == (("运动会",) if D(2024, 10, 16) <= day <= D(2024, 10, 18) else ())
