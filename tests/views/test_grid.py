"""The 校历 grid: term weeks Monday to Sunday, days out of term, holidays, 调休, closures."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory
import pytest
from factory import SPRING_FESTIVAL_DUTY, autumn_2024, per_term, term

from partnership.errors import UsageError
from partnership.model import Agreement
from partnership.plan import Occurrence, Plan, sort_key
from partnership.schoolcalendar import SchoolCalendar
from partnership.views.grid import GridDay, TermGrid, activity_title, build_grid, view_label


def agreement(language: str = "zh-CN") -> Agreement:
    """Three terms: one starting on a Sunday, one on a Monday, one in provisional 2027."""
    return factory.agreement(
        language=language,
        calendar={
            "closures": [{"name": "期末考试", "start": "2025-01-13", "end": "2025-01-17"}],
            "brigade_unavailable": [SPRING_FESTIVAL_DUTY],
        },
        terms=[
            autumn_2024(),
            term("2025-spring", "2024—2025学年第二学期", "2025-02-17", "2025-07-04"),
            term("2027-spring", "2026—2027学年第二学期", "2027-02-22", "2027-06-04"),
        ],
        commitments=[per_term("visit", "走进消防支队")],
    )


def occ(oid: str, day: str, start: str | None = None, **kw: Any) -> Occurrence:
    """A hand-made occurrence (placement is not needed to test the grid)."""
    t = dt.time.fromisoformat(start) if start else None
    end = dt.time(t.hour + 1, t.minute) if t else None
    d = dt.date.fromisoformat(day)
    return Occurrence(
        id=oid, commitment=oid.split("/")[0], term=kw.pop("term", "2024-autumn"),
        title=kw.pop("title", oid), date=d, start=t, end=end, why="test", **kw,
    )  # fmt: skip


OCCURRENCES = (
    occ("visit/2024-autumn/1", "2024-10-16", "14:00", title="走进消防支队", status="done"),
    occ("show/national-day-2024", "2024-09-30", "09:00", title="国庆文艺汇演"),
    occ("drill/2024-autumn/2024-09-1", "2024-09-30", "08:00", title="疏散演练"),
    occ("lecture/2024-autumn/1", "2024-09-30", title="消防安全讲座"),
    occ("show/national-day-2024/lead-up-1", "2024-09-09", title="节目共创",
        lead_up_of="show/national-day-2024"),
    occ("prep/before-term", "2024-08-30", title="开学前筹备", term=None),
    occ("summer/camp", "2024-08-10", title="暑期夏令营", term=None),
    occ("visit/2025-spring/1", "2025-03-12", "14:00", title="春季参观", term="2025-spring"),
)  # fmt: skip


def grid(term: str = "2024-autumn", language: str = "zh-CN") -> TermGrid:
    """The grid of ``term`` for the fixture agreement and occurrences."""
    a = agreement(language)
    return build_grid(Plan(a, OCCURRENCES), SchoolCalendar(a), term)


def cell(g: TermGrid, day: str) -> GridDay:
    """The cell of ``day`` (ISO) in ``g``."""
    d = dt.date.fromisoformat(day)
    found = [c for w in g.weeks for c in w.days if c.date == d]
    assert len(found) == 1, day
    return found[0]


@pytest.mark.parametrize("term", ["2024-autumn", "2025-spring", "2027-spring"])
def test_rows_are_consecutive_monday_to_sunday_weeks(term: str) -> None:
    g = grid(term)
    days = [c.date for w in g.weeks for c in w.days]
    first = g.weeks[0].number
    assert first in (0, 1)  # 0: term days before the week of the first school day
    assert [w.number for w in g.weeks] == list(range(first, first + len(g.weeks)))
    assert all(len(w.days) == 7 and w.days[0].date == w.monday for w in g.weeks)
    assert all(w.monday.weekday() == 0 and w.sunday == w.days[6].date for w in g.weeks)
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))
    assert days[0] <= g.start <= days[6] and days[-7] <= g.end <= days[-1]
    assert [c.date for c in (c for w in g.weeks for c in w.days) if c.in_term] == [
        g.start + dt.timedelta(days=i) for i in range((g.end - g.start).days + 1)
    ]


def test_term_starting_on_a_sunday_has_a_week_0_of_one_term_day() -> None:
    g = grid("2024-autumn")
    first = g.weeks[0]
    assert (first.number, g.weeks[1].number, g.weeks[1].monday) == (0, 1, dt.date(2024, 9, 2))
    assert first.monday == dt.date(2024, 8, 26)
    assert [c.in_term for c in first.days] == [False] * 6 + [True]
    assert first.days[6].date == dt.date(2024, 9, 1)
    last = g.weeks[-1]
    assert last.monday == dt.date(2025, 1, 13) and last.number == len(g.weeks) - 1 == 20
    assert [c.in_term for c in last.days] == [True] * 5 + [False] * 2


def test_term_starting_on_a_monday_starts_week_1_that_day() -> None:
    g = grid("2025-spring")
    assert g.weeks[0].monday == g.start == dt.date(2025, 2, 17)
    assert all(c.in_term for c in g.weeks[0].days)
    assert g.weeks[-1].monday == dt.date(2025, 6, 30) and len(g.weeks) == 20
    assert [c.in_term for c in g.weeks[-1].days] == [True] * 5 + [False] * 2


def test_national_day_holiday_is_seven_named_days_off() -> None:
    g = grid()
    for i in range(1, 8):
        c = cell(g, f"2024-10-0{i}")
        assert c.day_off and not c.make_up_workday
        assert c.holiday == "国庆节"
        assert not c.school_day
    after = cell(g, "2024-10-08")
    assert not after.day_off and after.holiday is None and after.school_day


def test_make_up_workday_on_a_sunday_is_a_school_day() -> None:
    c = cell(grid(), "2024-09-29")
    assert c.date.weekday() == 6 and c.weekend
    assert c.make_up_workday and not c.day_off
    assert c.official == "workday" and c.school_day
    ordinary_sunday = cell(grid(), "2024-09-22")
    assert ordinary_sunday.weekend and not ordinary_sunday.make_up_workday
    assert not ordinary_sunday.school_day


def test_closures_and_brigade_busy_days_are_named() -> None:
    g = grid()
    assert cell(g, "2024-11-07").closures == ("期中考试",)
    assert cell(g, "2024-11-08").closures == ("期中考试",)
    assert cell(g, "2024-11-06").closures == ()
    assert cell(g, "2025-01-15").closures == ("期末考试",)
    assert cell(g, "2025-01-15").brigade_busy == ("春节战备",)
    assert cell(g, "2025-01-14").brigade_busy == ()
    assert cell(g, "2025-01-18").brigade_busy == ("春节战备",)
    assert not cell(g, "2025-01-18").in_term


def test_occurrences_sit_on_their_day_in_plan_order() -> None:
    g = grid()
    day = cell(g, "2024-09-30")
    assert [o.id for o in day.occurrences] == [
        "lecture/2024-autumn/1",
        "drill/2024-autumn/2024-09-1",
        "show/national-day-2024",
    ]
    assert list(day.occurrences) == sorted(day.occurrences, key=sort_key)
    assert [o.title for o in cell(g, "2024-10-16").occurrences] == ["走进消防支队"]
    shown = {o.id for w in g.weeks for c in w.days for o in c.occurrences}
    assert "visit/2025-spring/1" not in shown
    assert "summer/camp" not in shown


def test_lead_ups_and_out_of_term_days_keep_their_activities() -> None:
    g = grid()
    (lead,) = cell(g, "2024-09-09").occurrences
    assert lead.lead_up_of == "show/national-day-2024" and not lead.is_main
    assert activity_title(lead, "zh-CN") == "筹备：节目共创"
    assert activity_title(lead, "en") == "preparation: 节目共创"
    main = cell(g, "2024-09-30").occurrences[-1]
    assert activity_title(main, "zh-CN") == "国庆文艺汇演"
    before = cell(g, "2024-08-30")
    assert not before.in_term and [o.id for o in before.occurrences] == ["prep/before-term"]


def test_provisional_only_when_a_shown_year_has_no_official_data() -> None:
    assert not grid("2024-autumn").provisional
    assert grid("2024-autumn").provisional_years == ()
    g = grid("2027-spring")
    assert g.provisional and g.provisional_years == (2027,)
    assert all(c.provisional for w in g.weeks for c in w.days)


def test_provisional_occurrence_flags_the_grid() -> None:
    a = agreement()
    flagged = (occ("x/1", "2024-10-16", provisional=True),)
    g = build_grid(Plan(a, flagged), SchoolCalendar(a), "2024-autumn")
    assert g.provisional and g.provisional_years == (2024,)


def test_term_name_and_language_carried() -> None:
    g = grid("2025-spring")
    assert (g.term_id, g.term_name, g.language) == ("2025-spring", "2024—2025学年第二学期", "zh-CN")
    assert (g.start, g.end) == (dt.date(2025, 2, 17), dt.date(2025, 7, 4))


def test_english_agreement_gets_english_holiday_names() -> None:
    g = grid(language="en")
    assert g.language == "en"
    assert cell(g, "2024-10-01").holiday == "National Day"
    assert cell(g, "2024-09-29").holiday == "National Day"
    assert cell(g, "2024-11-07").closures == ("期中考试",)


def test_view_labels_in_both_languages() -> None:
    assert view_label("legend", "zh-CN") == "图例"
    assert view_label("legend", "en") == "Legend"
    assert "{years}" in view_label("provisional_banner", "en")


def test_unknown_term_is_a_usage_error_naming_the_terms() -> None:
    a = agreement()
    with pytest.raises(UsageError, match="2024-autumn, 2025-spring, 2027-spring"):
        build_grid(Plan(a, ()), SchoolCalendar(a), "2024-spring")


def test_grid_is_deterministic() -> None:
    assert grid() == grid()
    a = agreement()
    shuffled = Plan(a, tuple(reversed(OCCURRENCES)))
    assert build_grid(shuffled, SchoolCalendar(a), "2024-autumn") == grid()
