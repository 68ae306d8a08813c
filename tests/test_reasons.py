"""Why this date: the rule that rules a day out, counts per rule, texts in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from factory import AUTUMN_2024, SPRING_2025, make_agreement

from partnership import reasons
from partnership.demands import Demand, expand
from partnership.model import Agreement
from partnership.placement import Board
from partnership.schoolcalendar import SchoolCalendar

D = dt.date
CLOSURES = {"closures": [{"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}]}
AUTUMN = {**AUTUMN_2024, **CLOSURES}
BUSY = [{"name": "战备执勤", "start": "2024-12-02", "end": "2024-12-06"}]


def setup(
    commitments: list[dict[str, Any]], language: str = "zh-CN"
) -> tuple[Agreement, SchoolCalendar, dict[str, Demand]]:
    a = make_agreement(
        commitments, [AUTUMN, SPRING_2025], language=language, brigade_unavailable=BUSY
    )
    cal = SchoolCalendar(a)
    return a, cal, {d.id: d for d in expand(a, cal)}


def per_term(count: int = 1, **extra: Any) -> dict[str, Any]:
    return {"id": "visit", "title": "参观", "repeat": {"per": "term", "count": count}, **extra}


def festival(keys: list[str], placement: str = "before", **extra: Any) -> dict[str, Any]:
    repeat = {"festivals": keys, "placement": placement, "max_shift_days": 3}
    return {"id": "show", "title": "汇演", "repeat": repeat, **extra}


VISIT = "visit/2024-autumn/1"


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (D(2024, 8, 30), "outside-term"),
        (D(2024, 10, 1), "holiday"),
        (D(2024, 9, 7), "weekday"),  # an ordinary Saturday
        (D(2024, 9, 14), "weekday"),  # a 调休 Saturday: a school day, not a visit weekday
        (D(2024, 11, 7), "closure"),
        (D(2024, 12, 3), "brigade"),
        (D(2024, 10, 15), None),
    ],
)
def test_why_not_names_the_first_rule(day: dt.date, rule: str | None) -> None:
    a, cal, ds = setup([per_term()])
    assert reasons.why_not(day, ds[VISIT], cal, a, None) == rule


def test_why_not_for_festivals_accepts_make_up_days_and_honours_brigade_false() -> None:
    a, cal, ds = setup([festival(["teachers-day"]), {**per_term(), "brigade": False}])
    show = ds["show/teachers-day-2024"]
    assert reasons.why_not(D(2024, 9, 14), show, cal, a, None) is None
    assert reasons.why_not(D(2024, 12, 3), ds[VISIT], cal, a, None) is None
    strict = setup([festival(["teachers-day"], weekdays=["mon", "tue", "wed", "thu", "fri"])])
    assert (
        reasons.why_not(
            D(2024, 9, 14), strict[2]["show/teachers-day-2024"], strict[1], strict[0], None
        )
        == "weekday"
    )


def test_why_not_full_and_gap_come_from_the_board() -> None:
    a, cal, ds = setup([per_term()])
    board = Board(max_per_day=1, min_gap_days=2, term_at=cal.term_id)
    board.add("other/2024-autumn/1", D(2024, 10, 16))
    got = {n: reasons.why_not(D(2024, 10, n), ds[VISIT], cal, a, board) for n in (15, 16, 17, 18)}
    assert got == {15: "gap", 16: "full", 17: "gap", 18: None}
    # another term's activity does not make a gap
    assert reasons.why_not(D(2025, 2, 18), ds["visit/2025-spring/1"], cal, a, board) is None


def test_ruled_out_counts_every_day_of_the_domain() -> None:
    a, cal, ds = setup([per_term(window={"weeks": [11, 11]})])  # 11-04..11-10
    board = Board(max_per_day=1, min_gap_days=0, term_at=cal.term_id)
    board.add("other", D(2024, 11, 5))
    counts = reasons.ruled_out(ds[VISIT], cal, a, board)
    assert counts == {"weekday": 2, "closure": 2, "full": 1}
    assert list(counts) == [k for k in reasons.RULED_OUT if k in counts]


def test_unplaced_texts_in_both_languages() -> None:
    for lang, text in (
        ("zh-CN", "窗口第11–11周内没有可用日：非活动星期2天，停课/考试2天"),
        (
            "en",
            "no usable day in window weeks 11–11: not an allowed weekday: 2 days, closure: 2 days",
        ),
    ):
        a, _, ds = setup([per_term(window={"weeks": [11, 11]})], lang)
        assert reasons.unplaced(ds[VISIT], {"weekday": 2, "closure": 2}, a) == text
    a, _, ds = setup([festival(["national-day"], "after")])
    got = reasons.unplaced(ds["show/national-day-2024"], {"holiday": 4}, a)
    assert got == "国庆节（10-01）前后3天内没有可用日：法定节假日4天"
    a, _, ds = setup([per_term()])
    empty = dataclasses.replace(ds[VISIT], domain=())
    assert reasons.unplaced(empty, {}, a) == "全学期内没有可用日：没有日期"
    a, _, ds = setup([{**per_term(), "repeat": {"per": "month", "count": 1}}])
    got = reasons.unplaced(ds["visit/2024-autumn/2024-09-1"], {"closure": 1}, a)
    assert got.startswith("2024年9月内没有可用日")


def test_chosen_explains_the_middle_the_spread_and_a_taken_day() -> None:
    a, cal, ds = setup([per_term(window={"weeks": [5, 11]})])
    why = reasons.chosen(ds[VISIT], D(2024, 10, 16), [D(2024, 10, 16)], cal, a)
    assert why.startswith("第8周周三：窗口第5–11周可用日的中点")
    assert "10-01至10-07国庆节放假不可用" in why and "11-07至11-08期中考试不可用" in why
    taken = reasons.chosen(ds[VISIT], D(2024, 10, 17), [D(2024, 10, 16), D(2024, 10, 17)], cal, a)
    assert "（10-16已有其他活动，取最近的空闲日）" in taken
    a, cal, ds = setup([per_term(3)], "en")
    why = reasons.chosen(ds["visit/2024-autumn/2"], D(2024, 11, 4), [D(2024, 11, 4)], cal, a)
    assert "occurrence 2 of 3, spread evenly over the whole term" in why


def test_chosen_for_festivals_says_what_happened_to_the_festival_day() -> None:
    a, cal, ds = setup([festival(["national-day", "new-year", "teachers-day", "fire-day"])])
    d = ds["show/national-day-2024"]
    assert reasons.chosen(d, D(2024, 9, 30), [], cal, a).endswith(
        "国庆节（10-01）放假，提前到之前最近的可用上学日"
    )
    assert reasons.chosen(ds["show/teachers-day-2024"], D(2024, 9, 10), [], cal, a).endswith(
        "教师节当天"
    )
    fire = reasons.chosen(ds["show/fire-day-2024"], D(2024, 11, 8), [], cal, a)
    assert "全国消防日（11-09）是周六" in fire  # a Saturday
    a, cal, ds = setup([festival(["national-day"], "after")], "en")
    got = reasons.chosen(ds["show/national-day-2024"], D(2024, 10, 8), [], cal, a)
    assert got.endswith("the next usable school day after")


def test_fixed_and_moved_reasons() -> None:
    a, cal, ds = setup(
        [
            {"id": "signing", "title": "签约", "repeat": {"once": "2024-06-08"}},
            festival(["national-day"], "exact"),
        ]
    )
    assert reasons.fixed(ds["signing/once"], cal, a) == "06-08周六（学期外）：协议约定的日期"
    assert reasons.fixed(ds["show/national-day-2024"], cal, a).endswith(
        "国庆节当天（按约定保留原日期）"
    )
    assert reasons.moved(D(2024, 12, 5), "zh-CN") == "按记录改期至12-05"
    assert reasons.moved(D(2024, 12, 5), "en") == "moved to 12-05 as recorded"


@pytest.mark.parametrize(
    ("day", "cause"),
    [
        (D(2024, 11, 7), "期中考试"),
        (D(2024, 10, 2), "国庆节放假"),
        (D(2025, 2, 10), "不在学期内"),  # between the terms
        (D(2024, 12, 4), "支队战备执勤"),
        (D(2024, 10, 16), "当天已安排其他活动"),
        (D(2024, 10, 19), "不再符合安排规则"),  # a Saturday
    ],
)
def test_held_impossible_names_the_cause(day: dt.date, cause: str) -> None:
    _, cal, ds = setup([per_term()])
    board = Board(max_per_day=1, min_gap_days=0, term_at=cal.term_id)
    board.add("other", D(2024, 10, 16))
    got = reasons.held_impossible(day, ds[VISIT], cal, board, "zh-CN")
    assert got == f"已发布的日期{day}不再可用（{cause}），已建议新日期；请用 record --move 确认"


def test_held_impossible_in_english() -> None:
    _, cal, ds = setup([per_term()], "en")
    got = reasons.held_impossible(D(2024, 10, 2), ds[VISIT], cal, Board(1, 0, cal.term_id), "en")
    assert got.startswith("published date 2024-10-02 is no longer possible (National Day holiday")
    assert "record --move" in got


def test_lead_up_day_goes_back_to_an_open_school_day() -> None:
    a = make_agreement([per_term()], [AUTUMN, SPRING_2025])
    cal = SchoolCalendar(a)
    assert reasons.lead_up_day(D(2024, 9, 30), 3, cal, "zh-CN") == (
        D(2024, 9, 27),
        "第5周周五：活动前3天",
    )
    day, why = reasons.lead_up_day(D(2024, 12, 31), 3, cal, "zh-CN")
    assert day == D(2024, 12, 27)
    assert why == "第18周周五：活动前3天（12-28）不上课，提前到之前最近的上学日"
    assert reasons.lead_up_day(D(2024, 11, 11), 3, cal, "zh-CN")[0] == D(2024, 11, 6)  # exams
    assert reasons.lead_up_day(D(2024, 9, 16), 2, cal, "zh-CN")[0] == D(2024, 9, 14)  # 调休
    day, why = reasons.lead_up_day(D(2024, 12, 31), 3, cal, "en")
    assert why.endswith("3 days before (12-28) is not a school day; the school day before")
    # no school day in the 62 days before the summer: the session keeps its day
    assert reasons.lead_up_day(D(2024, 6, 8), 1, cal, "zh-CN")[0] == D(2024, 6, 7)


def test_english_reasons_have_no_chinese_beyond_the_agreements_own_names() -> None:
    from partnership.placement import place

    a = make_agreement(
        [
            per_term(2, window={"weeks": [3, 7]}),
            festival(
                ["national-day", "fire-day", "new-year"],
                lead_up=[{"title": "Rehearsal", "days_before": 3}],
            ),
            {**festival(["national-day"], "after"), "id": "late"},
        ],
        [
            {
                **AUTUMN_2024,
                "closures": [{"name": "Exams", "start": "2024-11-07", "end": "2024-11-08"}],
            }
        ],
        language="en",
        brigade_unavailable=[{"name": "Duty", "start": "2024-12-02", "end": "2024-12-06"}],
    )
    plan = place(a)
    texts = [o.why for o in plan.occurrences] + [u.reason for u in plan.unplaced]
    assert plan.unplaced and texts
    for text in texts:
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
