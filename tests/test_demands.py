"""Repeat forms → demands: ids, terms, candidate domains, targets and ranks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import factory
from factory import AUTUMN_2024, SPRING_2025, make_agreement
from hypothesis import example, given
from hypothesis import strategies as st

from partnership.demands import Demand, expand, unusable, usable_dates, window_days
from partnership.model import Agreement
from partnership.schoolcalendar import DayInfo, SchoolCalendar

D = dt.date


def demands(a: Agreement) -> dict[str, Demand]:
    """The agreement's demands keyed by id (ids must be unique)."""
    got = expand(a, SchoolCalendar(a))
    assert len({d.id for d in got}) == len(got)
    return {d.id: d for d in got}


def span(a: dt.date, b: dt.date) -> tuple[dt.date, ...]:
    return tuple(a + dt.timedelta(days=i) for i in range((b - a).days + 1))


def commitment(repeat: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "c", "title": "活动", "repeat": repeat, **extra}


def test_per_term_gives_n_demands_in_every_term_over_the_window() -> None:
    a = make_agreement([commitment({"per": "term", "count": 2}, window={"weeks": [2, 3]})])
    got = demands(a)
    assert list(got) == [
        "c/2024-autumn/1",
        "c/2024-autumn/2",
        "c/2025-spring/1",
        "c/2025-spring/2",
    ]
    first = got["c/2024-autumn/1"]
    # 2024-09-01 is a Sunday: week 1 starts on the first school day's Monday, 09-02
    assert first.domain == span(D(2024, 9, 9), D(2024, 9, 22))
    assert (first.form, first.term and first.term.id, first.rank) == ("term", "2024-autumn", (1, 2))
    assert got["c/2024-autumn/2"].rank == (2, 2)
    assert first.target == D(2024, 9, 16)  # the middle of the 14 days
    assert got["c/2025-spring/1"].domain == span(D(2025, 2, 24), D(2025, 3, 9))


def test_window_days_without_a_window_is_the_whole_term() -> None:
    a = make_agreement([commitment({"per": "term", "count": 1})])
    term = a.term("2024-autumn")
    assert window_days(term, a.commitments[0]) == list(span(D(2024, 9, 1), D(2025, 1, 17)))


@given(
    start=st.dates(D(2024, 8, 20), D(2025, 8, 20)),
    length=st.integers(0, 200),
    window=st.one_of(st.none(), st.tuples(st.integers(1, 30), st.integers(0, 30))),
    per_month=st.booleans(),
)
@example(start=D(2024, 9, 1), length=0, window=(1, 0), per_month=True)  # a one-day term
@example(start=D(2024, 12, 30), length=40, window=None, per_month=True)  # into a new year
def test_window_and_month_days_are_the_terms_days_in_those_weeks_and_months(
    start: dt.date, length: int, window: tuple[int, int] | None, per_month: bool
) -> None:
    """The week window's days are the days of the term whose term week is in it, and a
    month's demand takes that month's days of them (checked day by day)."""
    term = {"id": "t", "name": "学期", "start": start.isoformat()}
    term["end"] = (start + dt.timedelta(days=length)).isoformat()
    extra = {} if window is None else {"window": {"weeks": [window[0], window[0] + window[1]]}}
    repeat = {"per": "month" if per_month else "term", "count": 1}
    a = Agreement.model_validate(  # cross-checks aside: a term may have no room at all
        {
            "version": 1,
            "agreement": {"id": "w", "title": "协议", "start": "2024-06-01", "end": "2026-06-30"},
            "parties": {"school": {"name": "大磨小学"}, "brigade": {"name": "消防救援支队"}},
            "calendar": {"terms": [term]},
            "commitments": [commitment(repeat, **extra)],
        }
    )
    t, c = a.term("t"), a.commitments[0]
    wanted = [
        d
        for d in span(t.start, t.end)
        if c.window is None or c.window.weeks[0] <= t.week_of(d) <= c.window.weeks[1]
    ]
    assert window_days(t, c) == wanted
    cal = SchoolCalendar(a)
    got = expand(a, cal)
    if per_month:
        months = {f"{d:%Y-%m}" for d in wanted}
        expected = {
            m: tuple(d for d in wanted if f"{d:%Y-%m}" == m)
            for m in sorted(months)
            if any(cal.day(d).school_day for d in wanted if f"{d:%Y-%m}" == m)
        }
        assert {d.month: d.domain for d in got} == expected
        assert [d.month for d in got] == list(expected)
    else:
        assert [d.domain for d in got] == [tuple(wanted)]


def test_per_month_covers_months_with_a_school_day_in_the_term() -> None:
    # the term starts on Saturday 2024-08-31: August has no school day there
    autumn = {**AUTUMN_2024, "start": "2024-08-31"}
    a = make_agreement([commitment({"per": "month", "count": 2})], [autumn])
    got = demands(a)
    months = sorted({d.month for d in got.values() if d.month})
    assert months == ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01"]
    assert "c/2024-autumn/2024-09-1" in got and "c/2024-autumn/2024-09-2" in got
    jan = got["c/2024-autumn/2025-01-1"]
    assert jan.domain == span(D(2025, 1, 1), D(2025, 1, 17))
    assert (jan.form, jan.rank) == ("month", (1, 2))
    assert jan.target == D(2025, 1, 9)  # the middle of the month's 17 days in the term


def test_per_month_counts_a_month_whose_only_school_day_is_a_make_up_saturday() -> None:
    # 2026-02-28 is a 调休 Saturday: a school day, so February 2026 asks for a drill
    spring = {"id": "2026-spring", "name": "春季", "start": "2026-02-28", "end": "2026-04-30"}
    a = make_agreement(
        [commitment({"per": "month", "count": 1})],
        [spring],
        start="2025-12-01",
        end="2026-07-31",
    )
    got = demands(a)
    assert got["c/2026-spring/2026-02-1"].domain == (D(2026, 2, 28),)
    assert sorted(got) == [
        "c/2026-spring/2026-02-1",
        "c/2026-spring/2026-03-1",
        "c/2026-spring/2026-04-1",
    ]


def test_per_month_with_a_window_keeps_only_the_window_months() -> None:
    a = make_agreement([commitment({"per": "month", "count": 1}, window={"weeks": [6, 7]})])
    got = demands(a)
    # 2024-autumn weeks 6–7 are 10-07..10-20; 2025-spring (from Mon 02-17) weeks 6–7: 03-24..04-06
    assert sorted(got) == [
        "c/2024-autumn/2024-10-1",
        "c/2025-spring/2025-03-1",
        "c/2025-spring/2025-04-1",
    ]
    assert got["c/2024-autumn/2024-10-1"].domain == span(D(2024, 10, 7), D(2024, 10, 20))


def test_festival_domains_follow_placement_and_the_agreement_period() -> None:
    def festival(placement: str) -> Demand:
        c = commitment({"festivals": ["national-day"], "placement": placement, "max_shift_days": 3})
        return demands(make_agreement([c]))["c/national-day-2024"]

    fd = D(2024, 10, 1)
    assert festival("before").domain == span(fd - dt.timedelta(days=3), fd)
    assert festival("after").domain == span(fd, fd + dt.timedelta(days=3))
    assert festival("nearest").domain == span(fd - dt.timedelta(days=3), fd + dt.timedelta(days=3))
    assert festival("skip").domain == (fd,)
    exact = festival("exact")
    assert (exact.domain, exact.fixed, exact.target, exact.festival) == (
        (fd,),
        True,
        fd,
        "national-day",
    )
    assert exact.form == "festival" and exact.term is not None and exact.term.id == "2024-autumn"
    assert not festival("before").fixed


def test_festivals_only_inside_the_agreement_period_and_clamped_to_it() -> None:
    c = commitment({"festivals": ["childrens-day", "new-year"], "placement": "nearest"})
    spring = {**SPRING_2025, "end": "2025-06-03"}
    got = demands(make_agreement([c], [AUTUMN_2024, spring], start="2024-06-01", end="2025-06-03"))
    assert sorted(got) == ["c/childrens-day-2024", "c/childrens-day-2025", "c/new-year-2025"]
    assert got["c/childrens-day-2024"].domain[0] == D(2024, 6, 1)  # not before the start
    assert got["c/childrens-day-2025"].domain[-1] == D(2025, 6, 3)  # not after the end
    assert got["c/childrens-day-2024"].term is None  # summer, outside every term


def test_once_and_once_in() -> None:
    a = make_agreement(
        [
            {**commitment({"once": "2024-06-08"}), "id": "signing"},
            {**commitment({"once_in": "2025-spring"}, window={"weeks": [1, 1]}), "id": "opening"},
            {**commitment({"once": "2024-10-16"}), "id": "talk"},
        ]
    )
    got = demands(a)
    talk = got["talk/once"]
    assert talk.term is not None and (talk.term.id, talk.target) == ("2024-autumn", D(2024, 10, 16))
    signing, opening = got["signing/once"], got["opening/once"]
    assert (signing.form, signing.fixed, signing.domain, signing.term) == (
        "once",
        True,
        (D(2024, 6, 8),),
        None,
    )
    assert opening.form == "once_in" and not opening.fixed
    assert opening.term is not None and opening.term.id == "2025-spring"
    assert opening.domain == span(D(2025, 2, 17), D(2025, 2, 23))
    assert opening.target == D(2025, 2, 20)  # the middle of the window


def usable(info: DayInfo, weekdays: tuple[int, ...], c: Any, *, strict: bool) -> bool:
    """Whether the one day ``info`` can hold the commitment."""
    got = usable_dates([info], weekdays, c, strict=strict)
    assert got in ((), (info.date,))
    return bool(got)


def test_usable_strict_and_festival_rules_on_a_make_up_sunday() -> None:
    a = make_agreement(
        [
            commitment({"per": "term", "count": 1}),
            {**commitment({"once": "2026-01-04"}), "id": "b"},
        ],
        [{"id": "2025-autumn", "name": "秋季", "start": "2025-09-01", "end": "2026-01-30"}],
        start="2025-06-01",
        end="2026-06-30",
        closures=[{"name": "期末考试", "start": "2026-01-19", "end": "2026-01-23"}],
        brigade_unavailable=[{"name": "战备", "start": "2026-01-12", "end": "2026-01-16"}],
    )
    cal = SchoolCalendar(a)
    c = a.commitments[0]
    weekdays = a.weekdays_for(c)
    sunday = cal.day(D(2026, 1, 4))  # 调休上班
    assert not usable(sunday, weekdays, c, strict=True)
    assert usable(sunday, weekdays, c, strict=False)
    assert not usable(cal.day(D(2026, 1, 1)), weekdays, c, strict=False)  # 元旦
    assert not usable(cal.day(D(2026, 1, 20)), weekdays, c, strict=False)  # closure
    assert not usable(cal.day(D(2026, 1, 13)), weekdays, c, strict=True)  # brigade busy
    no_brigade = c.model_copy(update={"brigade": False})
    assert usable(cal.day(D(2026, 1, 13)), weekdays, no_brigade, strict=True)
    assert not usable(cal.day(D(2026, 2, 2)), weekdays, c, strict=False)  # after the term


def test_demands_are_in_a_stable_order() -> None:
    a = make_agreement(
        [
            commitment({"per": "term", "count": 1}),
            {**commitment({"festivals": ["fire-day", "national-day"]}), "id": "f"},
        ],
        [SPRING_2025, AUTUMN_2024],  # terms listed out of order
    )
    ids = [d.id for d in expand(a, SchoolCalendar(a))]
    assert ids == ["c/2024-autumn/1", "c/2025-spring/1", "f/fire-day-2024", "f/national-day-2024"]
    assert ids == [d.id for d in expand(a, SchoolCalendar(a))]


def test_why_a_day_is_unusable_names_the_first_rule() -> None:
    closed = {"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}
    a = make_agreement([commitment({"per": "term", "count": 1})], [AUTUMN_2024], closures=[closed])
    cal = SchoolCalendar(a)
    c = a.commitments[0]
    weekdays = a.weekdays_for(c)
    assert unusable(cal.day(D(2024, 8, 30)), weekdays, c, strict=True) == "outside-term"
    assert unusable(cal.day(D(2024, 10, 1)), weekdays, c, strict=True) == "holiday"
    assert unusable(cal.day(D(2024, 9, 29)), weekdays, c, strict=True) == "weekday"  # 调休 Sunday
    assert unusable(cal.day(D(2024, 9, 29)), weekdays, c, strict=False) is None
    assert unusable(cal.day(D(2024, 11, 7)), weekdays, c, strict=True) == "closure"


def test_usable_days_are_the_usable_days_of_the_domain_made_once_per_calendar() -> None:
    from partnership.demands import usable_days

    a = make_agreement(
        [
            commitment({"per": "term", "count": 2}, window={"weeks": [2, 6]}),
            commitment({"per": "month", "count": 1}, id="m", weekdays=["wed"]),
        ]
    )
    cal = SchoolCalendar(a)
    for d in expand(a, cal):
        c = d.commitment
        weekdays = a.weekdays_for(c)
        got = usable_days(cal, d.domain, weekdays, c, strict=d.strict)
        want = tuple(x for x in d.domain if usable(cal.day(x), weekdays, c, strict=d.strict))
        assert got == want
        assert usable_days(cal, d.domain, weekdays, c, strict=d.strict) is got


@given(
    st.builds(
        DayInfo,
        date=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
        term=st.sampled_from([None, "2024-autumn"]),
        week=st.none(),
        official=st.sampled_from([None, "off", "workday"]),
        holiday=st.none(),
        closures=st.sampled_from([(), ("期中考试",)]),
        brigade_busy=st.sampled_from([(), ("战备",)]),
        provisional=st.booleans(),
        school_day=st.booleans(),
    ).map(  # as the calendar makes them: a school day lies in a term, off no official day
        lambda i: dataclasses.replace(
            i, school_day=i.school_day and i.term is not None and i.official != "off"
        )
    ),
    st.sets(st.integers(0, 6)),
    st.booleans(),
    st.booleans(),
)
@example(  # every rule but the weekday holds: strict keeps it out
    DayInfo(dt.date(2024, 9, 4), "2024-autumn", 1, None, None, (), (), False, True),
    {0},
    False,
    True,
)
@example(  # a busy brigade rules out only what needs it
    DayInfo(dt.date(2024, 9, 4), "2024-autumn", 1, None, None, (), ("战备",), False, True),
    {2},
    True,
    True,
)
def test_usable_is_exactly_no_rule_against_the_day(
    info: DayInfo, weekdays: set[int], brigade: bool, strict: bool
) -> None:
    c = factory.agreement(
        terms=[factory.term("2024-autumn", "第一学期", "2024-09-01", "2025-01-17")],
        commitments=[factory.per_term("brigade-visit", "走进消防支队", brigade=brigade)],
    ).commitments[0]
    days = tuple(sorted(weekdays))
    assert usable(info, days, c, strict=strict) == (unusable(info, days, c, strict=strict) is None)


def test_a_weekday_the_school_does_not_teach_is_not_a_school_day_not_a_weekend() -> None:
    # a school that teaches Monday to Thursday: Friday 2024-10-18 is no school day
    a = make_agreement(
        [commitment({"per": "term", "count": 1})],
        [AUTUMN_2024],
        weekdays=["mon", "tue", "wed", "thu"],
    )
    cal = SchoolCalendar(a)
    c = a.commitments[0]
    weekdays = a.weekdays_for(c)
    assert unusable(cal.day(D(2024, 10, 18)), weekdays, c, strict=True) == "not-school-day"
    assert unusable(cal.day(D(2024, 10, 19)), weekdays, c, strict=True) == "weekend"


def test_per_month_demands_belong_to_their_term() -> None:
    a = make_agreement([commitment({"per": "month", "count": 1})])
    got = demands(a)
    assert {d.term.id for d in got.values() if d.term} == {"2024-autumn", "2025-spring"}
    assert all(d.term is not None and d.id.split("/")[1] == d.term.id for d in got.values())


def test_a_festival_twice_in_one_year_numbers_the_second() -> None:
    # lunar 11-20 is 2024-01-01 and again 2024-12-20
    winter = {"key": "winter", "name": "冬训日", "month": 11, "day": 20, "lunar": True}
    c = commitment({"festivals": ["winter"], "placement": "nearest"})
    a = make_agreement([c], start="2024-01-01", festivals=[winter])
    got = demands(a)
    assert [(k, d.target) for k, d in got.items()] == [
        ("c/winter-2024", D(2024, 1, 1)),
        ("c/winter-2024-2", D(2024, 12, 20)),
    ]
