"""Model-level rules of the agreement file: field rules (pydantic) and ``cross_check``."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from factory import agreement_data, per_term, term
from pydantic import ValidationError

from partnership.model import Agreement, cross_check, duration_seconds, suggest

Loc = tuple[str | int, ...]


def minimal() -> dict[str, Any]:
    """The smallest valid agreement: two terms, one per-term commitment."""
    return agreement_data(
        terms=[
            term("2024-autumn", "秋季学期", "2024-09-01", "2025-01-17"),
            term("2025-spring", "春季学期", "2025-02-17", "2025-06-30"),
        ],
        commitments=[per_term("brigade-visit", "走进消防支队")],
    )


def changed(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """A copy of :func:`minimal` after ``edit`` (which changes it in place)."""
    data = copy.deepcopy(minimal())
    edit(data)
    return data


def errors(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """The (location, message) of every validation error of ``data``; [] when it is valid."""
    try:
        Agreement.model_validate(data)
    except ValidationError as e:
        return [(tuple(x["loc"]), x["msg"]) for x in e.errors()]
    return []


def findings(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """What ``cross_check`` says about ``data`` (which must pass validation)."""
    return cross_check(Agreement.model_validate(data))


def one_error(data: dict[str, Any]) -> tuple[Loc, str]:
    found = errors(data)
    assert len(found) == 1, found
    return found[0]


def one_finding(data: dict[str, Any]) -> tuple[Loc, str]:
    found = findings(data)
    assert len(found) == 1, found
    return found[0]


def commitment(data: dict[str, Any]) -> dict[str, Any]:
    c: dict[str, Any] = data["commitments"][0]
    return c


def test_minimal_agreement_is_valid_with_defaults() -> None:
    a = Agreement.model_validate(minimal())
    assert findings(minimal()) == []
    assert a.agreement.timezone == "Asia/Shanghai"
    assert a.agreement.language == "zh-CN"
    assert a.calendar.holidays == "cn"
    assert a.calendar.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    c = a.commitments[0]
    assert (c.repeat.form, c.kind, c.location, c.brigade, c.reminders) == (
        "term",
        "other",
        "school",
        True,
        ["P1D"],
    )
    assert a.weekdays_for(c) == (0, 1, 2, 3, 4)
    assert a.term("2025-spring").start == dt.date(2025, 2, 17)
    with pytest.raises(KeyError):
        a.term("2026-autumn")


def test_unknown_keys_are_rejected() -> None:
    loc, msg = one_error(changed(lambda d: d["agreement"].update(titel="x")))
    assert loc == ("agreement", "titel")
    assert "Extra inputs are not permitted" in msg


def test_only_version_1() -> None:
    loc, _ = one_error(changed(lambda d: d.update(version=2)))
    assert loc == ("version",)


# ---- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["Damo", "-damo", "damo_fire", "大磨", "a b", "", "a" * 64])
def test_bad_agreement_ids(slug: str) -> None:
    loc, msg = one_error(changed(lambda d: d["agreement"].update(id=slug)))
    assert loc == ("agreement", "id")
    assert "is not a valid id" in msg
    assert "lowercase letters, digits and '-'" in msg


@pytest.mark.parametrize("slug", ["a", "0", "2024-autumn", "a-", "a" * 63])
def test_good_slugs(slug: str) -> None:
    assert errors(changed(lambda d: d["calendar"]["terms"][0].update(id=slug))) == []


def test_term_and_commitment_ids_are_slugs() -> None:
    loc, msg = one_error(changed(lambda d: d["calendar"]["terms"][0].update(id="2024 Autumn")))
    assert loc == ("calendar", "terms", 0, "id")
    assert "'2024 Autumn' is not a valid id" in msg
    loc, msg = one_error(changed(lambda d: commitment(d).update(id="走进支队")))
    assert loc == ("commitments", 0, "id")
    assert "is not a valid id" in msg


def test_a_slug_with_a_trailing_newline_is_rejected() -> None:
    assert errors(changed(lambda d: d["agreement"].update(id="damo\n"))) != []


# ---- dates ---------------------------------------------------------------------------------


def test_agreement_end_before_start() -> None:
    loc, msg = one_error(changed(lambda d: d["agreement"].update(end="2024-06-07")))
    assert loc == ("agreement",)
    assert "end 2024-06-07 is before start 2024-06-08" in msg


def test_term_and_range_end_before_start() -> None:
    loc, msg = one_error(changed(lambda d: d["calendar"]["terms"][0].update(end="2024-08-31")))
    assert loc == ("calendar", "terms", 0)
    assert "is before start 2024-09-01" in msg
    closure = {"name": "期末考试", "start": "2025-01-17", "end": "2025-01-13"}
    loc, msg = one_error(changed(lambda d: d["calendar"].update(closures=[closure])))
    assert loc == ("calendar", "closures", 0)
    assert "end 2025-01-13 is before start 2025-01-17" in msg


def test_a_one_day_range_is_fine() -> None:
    closure = {"name": "运动会", "start": "2024-11-08", "end": "2024-11-08"}
    assert errors(changed(lambda d: d["calendar"].update(closures=[closure]))) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "'2025-02-30' is not a real date (YYYY-MM-DD)"),
        ("2024/09/01", "'2024/09/01' is not a date: write it as YYYY-MM-DD"),
        ("2024-9-1", "is not a date"),
        (20240901, "is not a date"),
        (dt.datetime(2024, 9, 1, 8, 0), "is not a date"),
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    loc, msg = one_error(changed(lambda d: d["calendar"]["terms"][0].update(start=value)))
    assert loc == ("calendar", "terms", 0, "start")
    assert message in msg


def test_dates_may_be_date_objects() -> None:
    data = changed(lambda d: d["calendar"]["terms"][0].update(start=dt.date(2024, 9, 2)))
    assert Agreement.model_validate(data).calendar.terms[0].start == dt.date(2024, 9, 2)


# ---- terms ---------------------------------------------------------------------------------


def test_overlapping_terms() -> None:
    loc, msg = one_finding(changed(lambda d: d["calendar"]["terms"][1].update(start="2025-01-17")))
    assert loc == ("calendar", "terms", 1, "start")
    assert "'2025-spring' starts 2025-01-17, before term '2024-autumn' ends" in msg
    assert "must not overlap" in msg


def test_overlap_is_found_whatever_the_order_in_the_file() -> None:
    def swap(d: dict[str, Any]) -> None:
        terms = d["calendar"]["terms"]
        terms[1]["start"] = "2025-01-10"
        terms.reverse()

    loc, msg = one_finding(changed(swap))
    assert loc == ("calendar", "terms", 0, "start")
    assert "'2025-spring'" in msg


def test_adjacent_terms_do_not_overlap() -> None:
    assert findings(changed(lambda d: d["calendar"]["terms"][1].update(start="2025-01-18"))) == []


@pytest.mark.parametrize(
    ("index", "field", "value"), [(0, "start", "2024-06-07"), (1, "end", "2027-06-08")]
)
def test_terms_outside_the_agreement(index: int, field: str, value: str) -> None:
    loc, msg = one_finding(changed(lambda d: d["calendar"]["terms"][index].update({field: value})))
    assert loc == ("calendar", "terms", index, field)
    assert "must lie inside the agreement period 2024-06-08..2027-06-07" in msg


def test_terms_on_the_agreement_bounds_are_inside() -> None:
    def bounds(d: dict[str, Any]) -> None:
        d["calendar"]["terms"][0]["start"] = "2024-06-08"
        d["calendar"]["terms"][1]["end"] = "2027-06-07"

    assert findings(changed(bounds)) == []


def test_at_least_one_term() -> None:
    loc, _ = one_error(changed(lambda d: d["calendar"].update(terms=[])))
    assert loc == ("calendar", "terms")


def test_a_term_closure_outside_its_term() -> None:
    wholly = {"name": "军训", "start": "2024-08-20", "end": "2024-08-31"}
    partly = {"name": "军训", "start": "2024-08-28", "end": "2024-09-03"}
    loc, msg = one_finding(
        changed(lambda d: d["calendar"]["terms"][0].update(closures=[partly, wholly]))
    )
    assert loc == ("calendar", "terms", 0, "closures", 1)
    assert "closure '军训' (2024-08-20..2024-08-31) lies outside term '2024-autumn'" in msg


# ---- windows -------------------------------------------------------------------------------


def test_window_weeks_past_a_term() -> None:
    # 2024-autumn (Sun 2024-09-01..2025-01-17) has 20 weeks (week 1 from Mon 09-02), as has
    # 2025-spring; the Sunday before week 1 is week 0, not a week of its own
    assert findings(changed(lambda d: commitment(d).update(window={"weeks": [3, 20]}))) == []
    loc, msg = one_finding(changed(lambda d: commitment(d).update(window={"weeks": [3, 21]})))
    assert loc == ("commitments", 0, "window", "weeks")
    assert "window weeks [3, 21] go past term '2024-autumn', which has 20 weeks" in msg


def test_a_once_in_window_is_measured_against_its_own_term() -> None:
    def once_in(d: dict[str, Any]) -> None:
        d["calendar"]["terms"][1]["end"] = "2025-05-30"  # 2025-spring: 15 weeks
        commitment(d).update(repeat={"once_in": "2024-autumn"}, window={"weeks": [3, 20]})

    assert findings(changed(once_in)) == []


def test_window_weeks_in_order_and_positive() -> None:
    loc, msg = one_error(changed(lambda d: commitment(d).update(window={"weeks": [16, 3]})))
    assert loc == ("commitments", 0, "window", "weeks")
    assert "the last week is before the first" in msg
    loc, _ = one_error(changed(lambda d: commitment(d).update(window={"weeks": [0, 3]})))
    assert loc == ("commitments", 0, "window", "weeks", 0)


def test_window_only_for_term_month_and_once_in() -> None:
    def festival_window(d: dict[str, Any]) -> None:
        commitment(d).update(repeat={"festivals": ["fire-day"]}, window={"weeks": [1, 4]})

    loc, msg = one_finding(changed(festival_window))
    assert loc == ("commitments", 0, "window")
    assert "window applies only to per: term, per: month and once_in" in msg


# ---- duplicate ids -------------------------------------------------------------------------


def test_duplicate_term_ids() -> None:
    loc, msg = one_finding(changed(lambda d: d["calendar"]["terms"][1].update(id="2024-autumn")))
    assert loc == ("calendar", "terms", 1, "id")
    assert "term id '2024-autumn' is already used by term 1" in msg


def test_duplicate_commitment_ids() -> None:
    def twice(d: dict[str, Any]) -> None:
        d["commitments"].append({**commitment(d), "title": "再次参观"})

    loc, msg = one_finding(changed(twice))
    assert loc == ("commitments", 1, "id")
    assert "commitment id 'brigade-visit' is already used by commitment 1" in msg


def test_duplicate_notice_years_and_custom_festival_keys() -> None:
    def dupes(d: dict[str, Any]) -> None:
        d["calendar"]["notices"] = [{"year": 2027}, {"year": 2027}]
        d["festivals"] = [
            {"key": "school-day", "name": "校庆日", "month": 10, "day": 18},
            {"key": "school-day", "name": "校庆", "month": 10, "day": 19},
        ]

    assert findings(changed(dupes)) == [
        (("calendar", "notices", 1, "year"), "a notice for 2027 is already given"),
        (("festivals", 1, "key"), "festival key 'school-day' is already defined"),
    ]


# ---- notices -------------------------------------------------------------------------------


def test_notice_days_must_be_near_the_notice_year() -> None:
    def notice(d: dict[str, Any]) -> None:
        d["calendar"]["notices"] = [
            {
                "year": 2027,
                "days_off": [
                    {"name": "元旦", "start": "2026-12-31", "end": "2027-01-02"},
                    {"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"},
                ],
                "workdays": ["2027-02-14", "2026-12-26", "2025-02-14"],
            }
        ]

    assert findings(changed(notice)) == [
        (
            ("calendar", "notices", 0, "days_off", 1),
            "days off 2026-10-01..2026-10-07 are not in 2027",
        ),
        (
            ("calendar", "notices", 0, "workdays", 2),
            "workday 2025-02-14 is too far from 2027 for its notice",
        ),
    ]


# ---- festivals -----------------------------------------------------------------------------


def festivals(*keys: str) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        commitment(d)["repeat"] = {"festivals": list(keys)}

    return edit


def test_known_festival_keys() -> None:
    assert findings(changed(festivals("fire-day", "national-day", "new-year"))) == []


def test_unknown_festival_key_with_a_suggestion() -> None:
    loc, msg = one_finding(changed(festivals("fire-dya")))
    assert loc == ("commitments", 0, "repeat", "festivals", 0)
    assert msg.startswith("unknown festival 'fire-dya'; did you mean 'fire-day'?")
    assert "built-in keys or a key under festivals:" in msg


def test_unknown_festival_key_without_a_close_match() -> None:
    _, msg = one_finding(changed(festivals("fire-day", "xyzzy")))
    assert "unknown festival 'xyzzy'" in msg
    assert "did you mean" not in msg


def test_custom_festival_keys_are_known_and_suggested() -> None:
    def custom(d: dict[str, Any]) -> None:
        d["festivals"] = [{"key": "school-day", "name": "校庆日", "month": 10, "day": 18}]
        commitment(d)["repeat"] = {"festivals": ["school-day", "school-dya"]}

    _, msg = one_finding(changed(custom))
    assert "unknown festival 'school-dya'; did you mean 'school-day'?" in msg


def test_a_festival_listed_twice() -> None:
    loc, msg = one_finding(changed(festivals("fire-day", "fire-day")))
    assert loc == ("commitments", 0, "repeat", "festivals")
    assert "festival 'fire-day' is listed twice" in msg


def test_custom_festival_key_colliding_with_a_built_in_key() -> None:
    def collide(d: dict[str, Any]) -> None:
        d["festivals"] = [{"key": "fire-day", "name": "消防日", "month": 11, "day": 9}]

    loc, msg = one_finding(changed(collide))
    assert loc == ("festivals", 0, "key")
    assert "festival key 'fire-day' is built in; choose another key" in msg


@pytest.mark.parametrize(
    ("month", "day", "lunar", "ok"),
    [
        (2, 29, False, True),
        (2, 30, False, False),
        (4, 31, False, False),
        (12, 31, False, True),
        (12, 30, True, True),
        (1, 31, True, False),
        (13, 1, False, False),
    ],
)
def test_custom_festival_days(month: int, day: int, lunar: bool, ok: bool) -> None:
    f = {"key": "our-day", "name": "我们的节日", "month": month, "day": day, "lunar": lunar}
    found = errors(changed(lambda d: d.update(festivals=[f])))
    assert (found == []) == ok, found
    if not ok and month <= 12:
        assert f"month {month} has no day {day}" in found[0][1]


# ---- repeat forms --------------------------------------------------------------------------


def repeat(value: dict[str, Any]) -> tuple[Loc, str]:
    return one_error(changed(lambda d: commitment(d).update(repeat=value)))


def test_repeat_needs_a_form() -> None:
    loc, msg = repeat({})
    assert loc == ("commitments", 0, "repeat")
    assert "give exactly one repeat form" in msg
    assert "found" not in msg


def test_repeat_with_two_forms() -> None:
    loc, msg = repeat({"per": "term", "count": 1, "once": "2024-10-10"})
    assert loc == ("commitments", 0, "repeat")
    assert "give exactly one repeat form" in msg
    assert "(found per, once)" in msg


def test_per_needs_a_count() -> None:
    _, msg = repeat({"per": "month"})
    assert "{per: ...} needs count: N (N >= 1)" in msg


def test_count_belongs_with_per() -> None:
    _, msg = repeat({"once": "2024-10-10", "count": 2})
    assert "count belongs with per: term or per: month" in msg


@pytest.mark.parametrize("count", [0, -1])
def test_count_must_be_positive(count: int) -> None:
    loc, msg = repeat({"per": "term", "count": count})
    assert loc == ("commitments", 0, "repeat", "count")
    assert "greater than or equal to 1" in msg


def test_count_must_be_an_integer() -> None:
    loc, _ = repeat({"per": "term", "count": "2"})
    assert loc == ("commitments", 0, "repeat", "count")


def test_unknown_per_and_placement() -> None:
    loc, _ = repeat({"per": "week", "count": 1})
    assert loc == ("commitments", 0, "repeat", "per")
    loc, _ = repeat({"festivals": ["fire-day"], "placement": "around"})
    assert loc == ("commitments", 0, "repeat", "placement")


def test_an_empty_festival_list() -> None:
    loc, _ = repeat({"festivals": []})
    assert loc == ("commitments", 0, "repeat", "festivals")


@pytest.mark.parametrize(
    ("value", "form"),
    [
        ({"per": "term", "count": 2}, "term"),
        ({"per": "month", "count": 1}, "month"),
        ({"festivals": ["fire-day"]}, "festivals"),
        ({"once": "2024-11-09"}, "once"),
        ({"once_in": "2025-spring"}, "once_in"),
    ],
)
def test_the_four_forms(value: dict[str, Any], form: str) -> None:
    data = changed(lambda d: commitment(d).update(repeat=value))
    assert Agreement.model_validate(data).commitments[0].repeat.form == form
    assert findings(data) == []


@pytest.mark.parametrize("day", ["2024-06-07", "2027-06-08"])
def test_once_outside_the_agreement(day: str) -> None:
    loc, msg = one_finding(changed(lambda d: commitment(d).update(repeat={"once": day})))
    assert loc == ("commitments", 0, "repeat", "once")
    assert f"once: {day} lies outside the agreement period 2024-06-08..2027-06-07" in msg


@pytest.mark.parametrize("day", ["2024-06-08", "2027-06-07"])
def test_once_on_the_agreement_bounds(day: str) -> None:
    assert findings(changed(lambda d: commitment(d).update(repeat={"once": day}))) == []


def test_once_in_naming_no_term() -> None:
    loc, msg = one_finding(
        changed(lambda d: commitment(d).update(repeat={"once_in": "2024-autum"}))
    )
    assert loc == ("commitments", 0, "repeat", "once_in")
    assert "once_in: '2024-autum' is not a term id; did you mean '2024-autumn'?" in msg
    assert "(terms: 2024-autumn, 2025-spring)" in msg
    _, msg = one_finding(changed(lambda d: commitment(d).update(repeat={"once_in": "summer"})))
    assert "did you mean" not in msg


# ---- time zone, times, durations -----------------------------------------------------------


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "Asia/Chongqing", "UTC", "Europe/London"])
def test_good_timezones(tz: str) -> None:
    assert errors(changed(lambda d: d["agreement"].update(timezone=tz))) == []


@pytest.mark.parametrize("tz", ["Asia/Shanghia", "Beijing", "Mars/Olympus", "", "../etc"])
def test_bad_timezones(tz: str) -> None:
    loc, msg = one_error(changed(lambda d: d["agreement"].update(timezone=tz)))
    assert loc == ("agreement", "timezone")
    assert f"{tz!r} is not a known IANA time zone (for example Asia/Shanghai)" in msg


def test_a_time_zone_area_is_not_a_time_zone() -> None:
    loc, _ = one_error(changed(lambda d: d["agreement"].update(timezone="Asia")))
    assert loc == ("agreement", "timezone")


@pytest.mark.parametrize(
    ("start", "end", "want"),
    [
        ("14:00", "16:30", (dt.time(14, 0), dt.time(16, 30))),
        ("9:05", "09:50", (dt.time(9, 5), dt.time(9, 50))),
        (" 08:00 ", "23:59", (dt.time(8, 0), dt.time(23, 59))),
        (dt.time(14, 0), "15:00", (dt.time(14, 0), dt.time(15, 0))),
    ],
)
def test_good_times(start: object, end: object, want: tuple[dt.time, dt.time]) -> None:
    data = changed(lambda d: commitment(d).update(time={"start": start, "end": end}))
    t = Agreement.model_validate(data).commitments[0].time
    assert t is not None
    assert (t.start, t.end) == want


@pytest.mark.parametrize("value", ["24:00", "14:60", "2pm", "14.00", "1400", 840, 14])
def test_bad_times(value: object) -> None:
    loc, msg = one_error(
        changed(lambda d: commitment(d).update(time={"start": value, "end": "23:00"}))
    )
    assert loc == ("commitments", 0, "time", "start")
    assert f'{value!r} is not a time: write it as "HH:MM"' in msg


@pytest.mark.parametrize("end", ["14:00", "13:30"])
def test_end_must_be_after_start(end: str) -> None:
    loc, msg = one_error(
        changed(lambda d: commitment(d).update(time={"start": "14:00", "end": end}))
    )
    assert loc == ("commitments", 0, "time")
    assert f"end {end} must be after start 14:00" in msg


def test_lead_up_times_are_checked_too() -> None:
    lead = {"title": "节目共创", "days_before": 21, "time": {"start": "16:00", "end": "15:00"}}
    loc, _ = one_error(changed(lambda d: commitment(d).update(lead_up=[lead])))
    assert loc == ("commitments", 0, "lead_up", 0, "time")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("P1D", 86400), ("PT2H", 7200), ("P1W", 604800), ("PT30M", 1800), ("P1DT2H", 93600)],
)
def test_good_durations(value: str, seconds: int) -> None:
    assert duration_seconds(value) == seconds
    assert errors(changed(lambda d: commitment(d).update(reminders=[value]))) == []


@pytest.mark.parametrize("value", ["1 day", "P", "PT", "P1DT", "1D", "p1d", "P1.5D", "P1W2D"])
def test_bad_durations(value: str) -> None:
    loc, msg = one_error(changed(lambda d: commitment(d).update(reminders=["P1D", value])))
    assert loc == ("commitments", 0, "reminders", 1)
    assert f"{value!r} is not an ISO 8601 duration such as P1D, PT2H or P1W" in msg


def test_a_duration_with_a_trailing_newline_is_rejected() -> None:
    assert errors(changed(lambda d: commitment(d).update(reminders=["P1D\n"]))) != []


# ---- the rest of a commitment --------------------------------------------------------------


@pytest.mark.parametrize(
    "task", [{"task": "回收回执"}, {"task": "回收回执", "days_before": 3, "days_after": 1}]
)
def test_tasks_need_exactly_one_offset(task: dict[str, Any]) -> None:
    loc, msg = one_error(changed(lambda d: commitment(d).update(checklist=[task])))
    assert loc == ("commitments", 0, "checklist", 0)
    assert "give exactly one of days_before or days_after" in msg


def test_two_lead_ups_on_the_same_day() -> None:
    leads = [{"title": "节目共创", "days_before": 21}, {"title": "彩排", "days_before": 21}]
    loc, msg = one_finding(changed(lambda d: commitment(d).update(lead_up=leads)))
    assert loc == ("commitments", 0, "lead_up")
    assert "two lead-up sessions have the same days_before" in msg


def test_commitment_weekdays_override_the_calendar() -> None:
    data = changed(lambda d: commitment(d).update(weekdays=["thu", "wed", "thu"]))
    a = Agreement.model_validate(data)
    assert a.weekdays_for(a.commitments[0]) == (2, 3)


def test_several_problems_are_reported_together() -> None:
    def many(d: dict[str, Any]) -> None:
        d["calendar"]["terms"][1]["id"] = "2024-autumn"
        commitment(d)["repeat"] = {"once": "2030-01-01"}

    assert [loc for loc, _ in findings(changed(many))] == [
        ("calendar", "terms", 1, "id"),
        ("commitments", 0, "repeat", "once"),
    ]


def test_festival_options_on_another_repeat_form_are_an_error() -> None:
    def edit(d: dict[str, Any]) -> None:
        commitment(d)["repeat"] = {"per": "term", "count": 1, "placement": "after"}

    ((loc, message),) = errors(changed(edit))
    assert loc == ("commitments", 0, "repeat")
    assert "placement only apply to festivals" in message


def test_an_unquoted_phone_number_is_text() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["parties"]["school"]["contacts"] = [{"name": "王老师", "phone": 13812345678}]

    a = Agreement.model_validate(changed(edit))
    assert a.parties.school.contacts[0].phone == "13812345678"


def test_suggest() -> None:
    known = [
        "brigade-visit/2024-autumn/1",
        "brigade-visit/2025-spring/1",
        "fun-sports/2024-autumn/1",
    ]
    assert suggest("brigade-visit/2024-autum/1", known) == "brigade-visit/2024-autumn/1"
    assert suggest("k3j2ac", ["k3j2ab", "zz7q2m"]) == "k3j2ab"
    assert suggest("something-else", known) is None


def test_weekdays_between_counts_what_a_walk_over_the_days_counts() -> None:
    from partnership.model import _weekdays_between

    start = dt.date(2024, 9, 1)
    for length in range(0, 30):
        end = start + dt.timedelta(days=length)
        for wanted in ({0}, {5, 6}, {0, 1, 2, 3, 4}, set(range(7)), set()):
            days = [start + dt.timedelta(days=k) for k in range(length + 1)]
            want = sum(1 for d in days if d.weekday() in wanted)
            assert _weekdays_between(start, end, wanted) == want
