"""Why this date, word for word, where the golden agreement of test_reasons does not go: a
lead-up passing over another term or a day the school does not open, a date outside the
agreement, a held date with free days nearer, several activities on one day, gaps and
unplaced festivals in English, and failure reports with nothing to count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from factory import AUTUMN_2024, make_agreement
from test_reasons import setup

from partnership import reasons
from partnership.demands import expand
from partnership.placement import place
from partnership.reasons import Claim
from partnership.records import OccurrenceRecord, Records
from partnership.schoolcalendar import SchoolCalendar

D = dt.date
ZH, EN = "zh-CN", "en"


def _why(a: Any, oid: str, records: Records | None = None) -> str:
    return place(a, records=records).by_id()[oid].why


def _visit(weeks: list[int], **extra: Any) -> dict[str, Any]:
    repeat = {"per": "term", "count": 1}
    return {"id": "visit", "title": "参观", "repeat": repeat, "window": {"weeks": weeks}, **extra}


def _once(cid: str, day: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "title": cid.upper(), "repeat": {"once": day}, **extra}


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (
            ZH,
            "第1周周一：活动（02-28）前42天为01-17，取最近的可用日（推迟31天）；"
            "12-17至01-17不在活动所在学期，01-18至02-16不在学期内",
        ),
        (
            EN,
            "Week 1, Mon: 42 days before the activity (02-28) is 01-17; the nearest usable day "
            "(31 days later); 12-17–01-17 not in the activity's term, "
            "01-18–02-16 outside every term",
        ),
    ],
)
def test_a_lead_up_passes_over_the_term_before_its_activitys(language: str, want: str) -> None:
    # 42 days before 2025-02-28 is the last day of the autumn term; the spring term has
    # days before the activity, so the autumn days are ruled out as another term's
    lead = [{"title": "筹备", "days_before": 42}]
    a = make_agreement([_once("open", "2025-02-28", lead_up=lead)], language=language)
    plan = place(a)
    assert plan.by_id()["open/once/lead-up-1"].date == D(2025, 2, 17)
    assert plan.by_id()["open/once/lead-up-1"].why == want
    other = next(c for c in plan.by_id()["open/once/lead-up-1"].claims if c.rule == "other-term")
    assert other == Claim("other-term", D(2024, 12, 17), D(2025, 1, 17), "2024-autumn")


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (ZH, "第7周周四：活动（10-21）前3天为10-18，取最近的可用日（提前1天）；10-18不是上课日"),
        (
            EN,
            "Week 7, Thu: 3 days before the activity (10-21) is 10-18; the nearest usable day "
            "(1 day earlier); 10-18 not a school weekday",
        ),
    ],
)
def test_a_lead_up_passes_over_a_weekday_without_school(language: str, want: str) -> None:
    lead = [{"title": "筹备", "days_before": 3}]
    a = make_agreement(
        [_once("open", "2024-10-21", lead_up=lead)],
        [AUTUMN_2024],
        language=language,
        weekdays=["mon", "tue", "wed", "thu"],
    )
    assert _why(a, "open/once/lead-up-1") == want


def test_the_rules_know_the_agreements_last_day() -> None:
    a, cal, ds = setup([{"id": "open", "title": "开学", "repeat": {"once": "2025-02-28"}}])
    last, after = a.agreement.end, a.agreement.end + dt.timedelta(days=1)
    d = ds["open/once"]
    outside, summer = Claim("outside-agreement", after, after), Claim("outside-term", last, last)
    assert reasons.day_rule(cal.day(after), d, a, None, d.id) == outside
    assert reasons.day_rule(cal.day(last), d, a, None, d.id) == summer
    assert reasons.lead_up_rule(cal.day(after), a, after, None, False) == outside
    assert reasons.lead_up_rule(cal.day(last), a, after, None, False) == summer
    assert reasons.facts(cal.day(after), d, a) == [outside, Claim("outside-term", after, after)]


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (
            ZH,
            "08-01周五（学期外）：按记录改期至08-01；注意：08-01不在协议期内，08-01不在学期内"
            "（仍按要求保留）",
        ),
        (
            EN,
            "Fri 08-01 (outside terms): moved to 08-01 as recorded; note: 08-01 outside the "
            "agreement period, 08-01 outside every term (kept as asked)",
        ),
    ],
)
def test_a_move_outside_the_agreement_says_so(language: str, want: str) -> None:
    # the records loader refuses such a date; the core still names the rule it breaks
    a = make_agreement([_once("open", "2025-02-28")], language=language)
    cal = SchoolCalendar(a)
    (d,) = expand(a, cal)
    assert reasons.moved(D(2025, 8, 1), cal, a, d).text == want


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (
            ZH,
            "第7周周四：窗口第7–7周5个可用日的中点（10-16）；"
            "更近的日期：10-15至10-16空闲，但保留已发布的日期；取最近的可用日",
        ),
        (
            EN,
            "Week 7, Thu: the middle (10-16) of the 5 usable days in window weeks 7–7; "
            "nearer days: 10-15–10-16 free, but the published date is kept; the nearest usable day",
        ),
    ],
)
def test_a_held_date_says_the_nearer_days_were_free(language: str, want: str) -> None:
    a = make_agreement([_visit([7, 7])], [AUTUMN_2024], language=language)
    held = Records(occurrences={"visit/2024-autumn/1": OccurrenceRecord(published=D(2024, 10, 17))})
    assert _why(a, "visit/2024-autumn/1", held) == want


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (ZH, "10-16已有其他活动（x/once, y/once）"),
        (EN, "10-16 taken by another activity (x/once, y/once)"),
    ],
)
def test_a_full_day_names_every_activity_on_it(language: str, want: str) -> None:
    a = make_agreement(
        [_once("x", "2024-10-16"), _once("y", "2024-10-16"), _visit([7, 7])],
        [AUTUMN_2024],
        language=language,
        scheduling={"max_per_day": 2},
    )
    assert want in _why(a, "visit/2024-autumn/1")


@pytest.mark.parametrize(
    ("fixed", "weeks", "want"),
    [
        (
            "2024-10-21",
            [8, 8],
            "Week 8, Thu: the middle (10-23) of the 5 usable days in window weeks 8–8; nearer "
            "days: 10-22–10-23: 2 days ruled out by the 3-day gap to x/once; "
            "the nearest usable day",
        ),
        (
            "2024-10-22",
            [7, 8],
            "Week 7, Fri: the middle (10-21) of the 10 usable days in window weeks 7–8; nearer "
            "days: 10-19–10-20 weekend, 10-21: 1 day ruled out by the 3-day gap to x/once, 10-22 "
            "taken by another activity (x/once), and 1 more range (1 day); the nearest usable day",
        ),
    ],
)
def test_the_days_a_gap_rules_out_are_counted_in_english(
    fixed: str, weeks: list[int], want: str
) -> None:
    a = make_agreement(
        [_once("x", fixed), _visit(weeks)],
        [AUTUMN_2024],
        language=EN,
        scheduling={"min_gap_days": 3},
    )
    assert _why(a, "visit/2024-autumn/1") == want


_UNPLACED = {
    ZH: {
        "before": "国庆节（10-01）及之前3天（09-28至10-01）",
        "after": "国庆节（10-01）及之后3天（10-01至10-04）",
        "nearest": "国庆节（10-01）前后3天（09-28至10-04）",
        "skip": "国庆节（10-01）当天",
    },
    EN: {
        "before": "National Day (10-01) and the 3 days before (09-28–10-01)",
        "after": "National Day (10-01) and the 3 days after (10-01–10-04)",
        "nearest": "National Day (10-01) ± 3 days (09-28–10-04)",
        "skip": "National Day (10-01) itself",
    },
}


@pytest.mark.parametrize("language", [ZH, EN])
@pytest.mark.parametrize(
    "placement",
    ["before", "after", "nearest", "skip", "exact", "nearest-0", "skip-3", "exact-3"],
)
def test_an_unplaced_festival_names_the_days_searched(language: str, placement: str) -> None:
    """The searched days once: the festival's own day is named by its date alone (a skip
    or exact festival searches only it, whatever its max_shift_days)."""
    placement, _, given = placement.partition("-")
    shift = int(given) if given else 0 if placement in ("skip", "exact") else 3
    repeat = {"festivals": ["national-day"], "placement": placement, "max_shift_days": shift}
    a, _, ds = setup([{"id": "show", "title": "汇演", "repeat": repeat}], language)
    d = ds["show/national-day-2024"]
    own_day = shift == 0 or placement in ("skip", "exact")
    where = _UNPLACED[language]["skip" if own_day else placement]
    got = reasons.unplaced(d, {"holiday": 4, "weekend": 1}, a)
    if language == ZH:
        assert got.text == f"{where}内没有可用日：放假4天，周末1天"
        assert reasons.unplaced(d, {}, a).text == f"{where}内没有可用日：没有日期"
    else:
        assert got.text == f"no usable day in {where}: official day off: 4 days, weekend: 1 day"
        assert reasons.unplaced(d, {}, a).text == f"no usable day in {where}: no days"
    assert got.claims[:2] == (
        Claim("festival", D(2024, 10, 1), D(2024, 10, 1), "national-day"),
        Claim("search", d.domain[0], d.domain[-1], placement, parts=(("days", shift),)),
    )


def test_a_festival_skipped_when_its_day_is_taken_is_reported() -> None:
    a = make_agreement(
        [
            _once("x", "2024-09-10"),
            {
                "id": "show",
                "title": "汇演",
                "repeat": {"festivals": ["teachers-day"], "placement": "skip", "max_shift_days": 0},
            },
        ],
        [AUTUMN_2024],
        language=EN,
    )
    (u,) = place(a).unplaced
    assert (u.id, u.reason) == (
        "show/teachers-day-2024",
        "no usable day in Teachers' Day (09-10) itself: taken by another activity: 1 day",
    )


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (ZH, "活动（06-08）之前没有可用的上学日：没有日期"),
        (EN, "no usable school day before the activity (06-08): no days"),
    ],
)
def test_a_lead_up_with_no_day_before_the_agreement_starts(language: str, want: str) -> None:
    got = reasons.lead_up_unplaced(D(2024, 6, 8), 1, {}, language)
    assert got.text == want
    assert got.claims == (
        Claim("lead-up", D(2024, 6, 7), D(2024, 6, 8), parts=(("days_before", 1),)),
    )


@pytest.mark.parametrize(
    ("weekdays", "fixed", "want"),
    [
        (  # four runs passed over: the last one is counted
            ["mon", "wed", "fri"],
            "2024-10-21",
            "Week 7, Fri: the middle (10-21) of the 6 usable days in window weeks 7–8; nearer "
            "days: 10-19–10-20 weekend, 10-21 taken by another activity (x/once), 10-22 not one "
            "of the commitment's weekdays (Mon, Wed, Fri), and 1 more range (1 day); "
            "the nearest usable day",
        ),
        (  # five runs: the two shortest are counted
            ["thu", "fri"],
            "2024-10-23",
            "Week 7, Fri: the middle (10-24) of the 4 usable days in window weeks 7–8; nearer "
            "days: 10-19–10-20 weekend, 10-21–10-23 not one of the commitment's weekdays (Thu, "
            "Fri), 10-24–10-25: 2 days ruled out by the 3-day gap to x/once, and 2 more ranges "
            "(4 days); the nearest usable day",
        ),
    ],
)
def test_the_ranges_not_named_are_counted_in_english(
    weekdays: list[str], fixed: str, want: str
) -> None:
    a = make_agreement(
        [_once("x", fixed), _visit([7, 8], weekdays=weekdays)],
        [AUTUMN_2024],
        language=EN,
        scheduling={"min_gap_days": 3},
    )
    assert _why(a, "visit/2024-autumn/1") == want


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (ZH, "第11周周四：全学期92个可用日的中点（11-14）"),
        (EN, "Week 11, Thu: the middle (11-14) of the 92 usable days in the whole term"),
    ],
)
def test_a_spread_over_the_whole_term_claims_the_terms_days(language: str, want: str) -> None:
    repeat = {"per": "term", "count": 1}
    a = make_agreement([{"id": "visit", "title": "参观", "repeat": repeat}], language=language)
    o = place(a).by_id()["visit/2024-autumn/1"]
    assert o.claims[0] == Claim("span", D(2024, 9, 1), D(2025, 1, 17), "term")
    assert o.why == want


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (ZH, "第0周周日：协议约定的日期；注意：09-01周末（仍按要求保留）"),
        (EN, "Week 0, Sun: the date set in the agreement; note: 09-01 weekend (kept as asked)"),
    ],
)
def test_a_term_day_before_week_1_is_in_week_0(language: str, want: str) -> None:
    # the term starts on Sunday 1 September; week 1 starts on Monday 2 September
    a = make_agreement([_once("x", "2024-09-01")], [AUTUMN_2024], language=language)
    assert _why(a, "x/once") == want


@pytest.mark.parametrize(
    ("language", "want"),
    [
        (
            ZH,
            "第6周周二：国庆节（10-01）向后找最近的可用日，推迟7天；"
            "10-01至10-07国庆节放假（法定假日3天、调休休息日2天、周末2天）",
        ),
        (
            EN,
            "Week 6, Tue: National Day (10-01): searched forward: 7 days later; 10-01–10-07 "
            "National Day holiday (3 statutory holidays, 2 调休 rest days, 2 weekends)",
        ),
    ],
)
def test_a_search_forward_names_the_days_after_the_festival(language: str, want: str) -> None:
    repeat = {"festivals": ["national-day"], "placement": "after", "max_shift_days": 9}
    a = make_agreement(
        [{"id": "show", "title": "汇演", "repeat": repeat}], [AUTUMN_2024], language=language
    )
    assert _why(a, "show/national-day-2024") == want


def test_a_skipped_festival_done_on_another_day_is_explained_as_a_search() -> None:
    # published (and done) on 09-09 while the festival was still placed "nearest"
    repeat = {"festivals": ["teachers-day"], "placement": "skip", "max_shift_days": 0}
    a = make_agreement(
        [{"id": "show", "title": "汇演", "repeat": repeat}], [AUTUMN_2024], language=EN
    )
    done = OccurrenceRecord(status="done", published=D(2024, 9, 9))
    records = Records(occurrences={"show/teachers-day-2024": done})
    assert _why(a, "show/teachers-day-2024", records) == (
        "Week 2, Mon: Teachers' Day (09-10): the nearest usable day: 1 day earlier; "
        "09-10 free, but the published date is kept"
    )


_SCHOOL_DAY = {
    ZH: (
        "第7周周日：校庆日当天（按约定保留原日期）；注意：10-20周末（仍按要求保留）",
        "第8周周一：校庆日（10-20）找前后最近的可用日，推迟1天；10-19至10-20周末",
        "第8周周一：活动（10-24）前3天",
    ),
    EN: (
        "Week 7, Sun: on 校庆日 (kept exactly); note: 10-20 weekend (kept as asked)",
        "Week 8, Mon: 校庆日 (10-20): the nearest usable day: 1 day later; 10-19–10-20 weekend",
        "Week 8, Mon: 3 days before the activity (10-24)",
    ),
}


@pytest.mark.parametrize("language", [ZH, EN])
def test_a_custom_festival_kept_or_searched_later_and_a_lead_up_on_its_target(
    language: str,
) -> None:
    # the custom festival falls on Sunday 2024-10-20: Saturday and Monday tie, Monday is usable
    def on(placement: str) -> dict[str, Any]:
        return {"festivals": ["sd"], "placement": placement, "max_shift_days": 3}

    a = make_agreement(
        [
            {"id": "keep", "title": "庆典", "repeat": on("exact")},
            {"id": "show", "title": "汇演", "repeat": on("nearest")},
            _once("open", "2024-10-24", lead_up=[{"title": "筹备", "days_before": 3}]),
        ],
        [AUTUMN_2024],
        language=language,
        festivals=[{"key": "sd", "name": "校庆日", "month": 10, "day": 20}],
        scheduling={"max_per_day": 2},
    )
    plan = place(a).by_id()
    got = tuple(plan[oid].why for oid in ("keep/sd-2024", "show/sd-2024", "open/once/lead-up-1"))
    assert got == _SCHOOL_DAY[language]


@pytest.mark.parametrize("language", [ZH, EN])
def test_reasons_that_say_the_same_share_a_text_and_a_festivals_own_name_stays_its_own(
    language: str,
) -> None:
    """Texts are kept for reasons that say the same again: two agreements whose custom
    festival has one key but another name still read their own name."""

    def festival_reasons(name: str) -> tuple[str, ...]:
        repeat = {"festivals": ["sd"], "placement": "nearest", "max_shift_days": 3}
        a = make_agreement(
            [
                {"id": "keep", "title": "庆典", "repeat": {**repeat, "placement": "exact"}},
                {"id": "show", "title": "汇演", "repeat": repeat},
            ],
            [AUTUMN_2024],
            language=language,
            festivals=[{"key": "sd", "name": name, "month": 10, "day": 20}],
        )
        plan = place(a).by_id()
        return plan["keep/sd-2024"], plan["show/sd-2024"]

    first, again, other = (festival_reasons(n) for n in ("校庆日", "校庆日", "建校日"))
    assert [o.why for o in first] == [o.why for o in again]
    assert all("校庆日" in o.why for o in first)
    assert [o.why for o in other] == [o.why.replace("校庆日", "建校日") for o in first]
    # one reason object: the same text and claims, sent between processes once
    assert all(x.claims is y.claims and x.why is y.why for x, y in zip(first, again, strict=True))


def test_the_reasons_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reasons are kept for reasons that say the same again, at most REASONS_KEPT of them;
    a plan made with the store full is the plan made with room in it."""
    from partnership import reasons

    a = make_agreement(
        [{"id": "visit", "title": "走进消防", "repeat": {"per": "term", "count": 2}}],
        [AUTUMN_2024],
    )
    roomy = place(a)
    reasons._KEPT.clear()
    monkeypatch.setattr(reasons, "REASONS_KEPT", 1)
    tight = place(a)
    assert len(reasons._KEPT) == 1
    assert [o.why for o in tight.occurrences] == [o.why for o in roomy.occurrences]
