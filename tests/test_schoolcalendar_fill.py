"""The school calendar's one-pass term fill (the same days as computed one at a time) and
the first school day of a term, which fixes its week 1."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pytest

from partnership.model import Agreement
from partnership.schoolcalendar import DayInfo, SchoolCalendar, first_school_day


def test_dayinfo_make_is_the_same_as_its_constructor() -> None:
    """The calendar fills its terms with ``DayInfo.make``: equal, hashed and replaced alike."""
    import dataclasses

    values = (
        dt.date(2025, 10, 11),
        "2025-autumn",
        6,
        "workday",
        "国庆节",
        ("期中考试",),
        ("战备",),
        False,
        True,
        None,
    )
    made, built = DayInfo.make(*values), DayInfo(*values)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert dataclasses.replace(made, week=7) == dataclasses.replace(built, week=7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.week = 8  # type: ignore[misc]


def _agreement(**calendar: Any) -> Agreement:
    """Three terms over a holiday-rich span (国庆, 春节, the provisional 2027)."""
    return factory.agreement(
        calendar=calendar,
        terms=[
            factory.term("2024-autumn", "第一学期", "2024-09-01", "2025-01-17"),
            factory.term("2025-spring", "第二学期", "2025-02-17", "2025-06-30"),
            factory.term("2027-spring", "第二学期", "2027-02-22", "2027-06-07"),
        ],
        commitments=[factory.per_term("brigade-visit", "走进消防支队")],
    )


def _example() -> Agreement:
    from pathlib import Path

    from partnership.loader import load_agreement

    return load_agreement(Path(__file__).parent.parent / "schedules" / "damo-primary.yaml")


@pytest.mark.parametrize(
    "make",
    [
        _example,
        lambda: _agreement(weekdays=["sat", "sun"]),
        lambda: _agreement(
            closures=[{"name": "运动会", "start": "2024-10-16", "end": "2024-10-18"}],
            brigade_unavailable=[{"name": "战备", "start": "2024-10-14", "end": "2024-10-17"}],
        ),
    ],
)
def test_a_filled_term_holds_the_days_computed_one_at_a_time(make: Any) -> None:
    a = make()
    cal = SchoolCalendar(a)
    for term in cal.terms:
        for info in cal.term_days(term):
            week = (info.date - term.week1_monday).days // 7 + 1
            assert info == cal._compute(info.date, term, week)


def test_days_of_a_run_are_its_days_in_order_whatever_is_filled_yet() -> None:
    a = _agreement()
    run = [dt.date(2025, 1, 10) + dt.timedelta(days=i) for i in range(60)]  # across a break
    fresh, warm = SchoolCalendar(a), SchoolCalendar(a)
    expected = [warm.day(d) for d in run]
    assert fresh.days(run) == expected  # nothing filled: computed as it goes
    assert warm.days(run) == expected  # all known: looked up
    assert [i.date for i in fresh.days(list(reversed(run)))] == list(reversed(run))


def test_term_id_is_the_same_before_and_after_a_day_is_known() -> None:
    a = _agreement()
    cal = SchoolCalendar(a)
    run = [dt.date(2024, 8, 25) + dt.timedelta(days=i) for i in range(3 * 365)]
    cold = [cal.term_id(d) for d in run]
    cal.days(run)
    assert [cal.term_id(d) for d in run] == cold
    assert cold[0] is None and cold[10] == "2024-autumn" and "2027-spring" in cold


# ---- the first school day, which fixes week 1 --------------------------------------------


def _term(start: str, end: str, **calendar: Any) -> tuple[Any, Any]:
    a = factory.agreement(
        start="2024-06-08",
        end="2027-06-07",
        calendar=calendar,
        terms=[factory.term("t", "学期", start, end)],
        commitments=[factory.per_term("brigade-visit", "走进消防支队")],
    )
    return a.calendar.terms[0], a.calendar


def test_the_first_school_day_may_be_a_make_up_sunday_and_week_one_is_its_week() -> None:
    # 2026-01-01 (Thu) to 01-03 are 元旦 days off; Sunday 01-04 is a make-up workday
    term, spec = _term("2026-01-01", "2026-01-30")
    assert first_school_day(term, spec) == dt.date(2026, 1, 4)
    assert term.week_of(dt.date(2026, 1, 4)) == 1
    assert term.week_of(dt.date(2026, 1, 5)) == 2


def test_the_first_school_day_may_be_the_terms_last() -> None:
    # 2025-10-04 to 10-08 are 国庆 days off: Thursday 10-09 is the only school day
    term, spec = _term("2025-10-04", "2025-10-09")
    assert first_school_day(term, spec) == dt.date(2025, 10, 9)


def test_without_official_holidays_a_national_day_is_a_school_day() -> None:
    assert first_school_day(*_term("2025-10-01", "2025-12-31")) == dt.date(2025, 10, 9)
    term, spec = _term("2025-10-01", "2025-12-31", holidays="none")
    assert first_school_day(term, spec) == dt.date(2025, 10, 1)


# ---- days shared by calendars with the same terms ------------------------------------------


_SHARED_TERM_CASES = [
    {},
    {"closures": [{"name": "运动会", "start": "2024-10-16", "end": "2024-10-18"}]},
    {"brigade_unavailable": [{"name": "战备", "start": "2024-10-14", "end": "2024-10-17"}]},
    {
        "closures": [{"name": "期中考试", "start": "2025-04-21", "end": "2025-04-22"}],
        "brigade_unavailable": [{"name": "战备", "start": "2025-04-22", "end": "2025-04-25"}],
    },
    {  # closed, and the brigade busy, on official days off: the holidays' names stay
        "closures": [{"name": "校庆", "start": "2024-09-30", "end": "2024-10-03"}],
        "brigade_unavailable": [{"name": "值守", "start": "2024-12-31", "end": "2025-01-01"}],
    },
    {"weekdays": ["mon", "tue", "wed", "thu", "fri", "sat"]},
    {"holidays": "none"},
    {
        "notices": [
            {
                "year": 2024,
                "days_off": [{"name": "校庆", "start": "2024-11-11", "end": "2024-11-11"}],
            }
        ]
    },
]


def test_calendars_with_the_same_terms_share_plain_days_but_keep_their_own() -> None:
    """Each calendar's days are what it computes one at a time, whichever calendar of the
    same terms filled them first: closures, brigade days, weekdays and holidays stay its own."""
    import partnership.schoolcalendar as sc

    agreements = [_agreement(**spec) for spec in _SHARED_TERM_CASES]
    for order in (agreements, list(reversed(agreements))):
        sc._PLAIN_TERMS.clear()
        for a in order:
            cal = SchoolCalendar(a)
            for term in cal.terms:
                for info in cal.term_days(term):
                    week = (info.date - term.week1_monday).days // 7 + 1
                    assert info == cal._compute(info.date, term, week)
    # the closures and brigade days of one did not reach the plain days the others use
    plain = [i for days in sc._PLAIN_TERMS.values() for i in days.values()]
    assert plain and all(not i.closures and not i.brigade_busy for i in plain)


def test_the_shared_plain_days_are_bounded() -> None:
    import partnership.schoolcalendar as sc

    for shift in range(sc.PLAIN_TERMS_KEPT + 5):
        start = dt.date(2024, 9, 1) + dt.timedelta(days=shift)
        a = factory.agreement(
            terms=[factory.term("t", "学期", start.isoformat(), "2025-01-17")],
            commitments=[factory.per_term("brigade-visit", "走进消防支队")],
        )
        SchoolCalendar(a).day(dt.date(2024, 12, 2))
        assert 1 <= len(sc._PLAIN_TERMS) <= sc.PLAIN_TERMS_KEPT


def test_a_term_in_the_last_year_with_holiday_data_fills() -> None:
    """The shared days are keyed by the official years the term spans, and no more: a term
    ending in the last year the calendar knows asks for no year after it."""
    from partnership.holidays import LAST_YEAR

    end = f"{LAST_YEAR}-12-31"
    a = factory.agreement(
        start=f"{LAST_YEAR - 1}-06-01",
        end=end,
        terms=[factory.term("t", "学期", f"{LAST_YEAR}-09-01", end)],
        commitments=[factory.per_term("brigade-visit", "走进消防支队")],
    )
    cal = SchoolCalendar(a)
    info = cal.day(dt.date(LAST_YEAR, 12, 30))
    assert info.term == "t" and info.school_day
