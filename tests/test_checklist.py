"""Checklists: templates per kind, due dates around holidays, task ids, ticks and views."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import factory
import pytest
from factory import EXAMPLE, per_term, term
from rich.console import Console

from partnership.checklist import (
    ID_LENGTH,
    ChecklistTask,
    build_checklist,
    current_terms,
    due_date,
    prep_lines,
    select,
    short_ids,
    to_json,
)
from partnership.checklist_templates import builtin
from partnership.loader import load_agreement
from partnership.model import KINDS, Agreement
from partnership.placement import place
from partnership.plan import Occurrence, Plan
from partnership.records import Records, TaskRecord
from partnership.schoolcalendar import SchoolCalendar
from partnership.views.checklist import render_html, render_markdown, render_rich

CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = {kind: tuple(t.tasks) for kind, t in builtin().kinds.items()}
FOLLOW_UPS = builtin().follow_up


def agreement(commitments: list[dict[str, Any]], language: str = "zh-CN") -> Agreement:
    """A two-term agreement with the given commitments."""
    return factory.agreement(
        title="永川区消防支队 · 大磨小学 三年共建协议",
        language=language,
        terms=[
            term("2024-autumn", "2024秋季学期", "2024-09-01", "2025-01-17"),
            term("2025-spring", "2025春季学期", "2025-02-17", "2025-07-04"),
        ],
        commitments=commitments,
    )


def commitment(cid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return per_term(cid, f"{kind} 活动", kind=kind, **extra)


def occ(oid: str, day: dt.date, **extra: Any) -> Occurrence:
    """A main occurrence of commitment ``oid.split('/')[0]``."""
    return Occurrence(
        id=oid,
        commitment=oid.split("/")[0],
        term=extra.pop("term", "2024-autumn"),
        title=extra.pop("title", "走进消防支队"),
        date=day,
        start=None,
        end=None,
        why="test",
        **extra,
    )


def checklist(
    a: Agreement,
    occurrences: list[Occurrence],
    records: Records | None = None,
    today: dt.date = dt.date(2024, 9, 1),
) -> tuple[ChecklistTask, ...]:
    return build_checklist(Plan(a, tuple(occurrences)), SchoolCalendar(a), records, today)


# ------------------------------------------------------------------ templates


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_template_in_both_languages(kind: str) -> None:
    items = builtin().tasks(kind)
    assert items[: len(TEMPLATES[kind])] == TEMPLATES[kind]
    assert items[len(TEMPLATES[kind]) :] == FOLLOW_UPS
    assert any(i.when == "before" for i in items)
    assert len({i.key for i in items}) == len(items)
    for item in items:
        assert CJK.search(item.text("zh-CN")), item
        assert not CJK.search(re.sub(r"\([^)]*\)", "", item.text("en"))), item
        assert item.owner in ("school", "brigade")
        assert item.days >= 0


def test_visit_template_carries_the_off_campus_rules() -> None:
    visit = {i.key: i for i in TEMPLATES["visit"]}
    assert {
        "plan",
        "programme",
        "parent-notice",
        "consent",
        "staffing",
        "insurance",
        "vehicles",
        "briefing",
        "headcount",
    } <= set(visit)
    assert "教育局备案" in visit["plan"].zh and "预案" in visit["plan"].zh
    assert visit["programme"].owner == "brigade" and "年级" in visit["programme"].zh
    for word in ("时间", "路线", "费用", "注意事项"):
        assert word in visit["parent-notice"].zh
    assert "安全员" in visit["staffing"].zh
    assert visit["briefing"].days == 1 and visit["briefing"].when == "before"
    assert visit["headcount"].days == 0


def test_other_templates_carry_their_rules() -> None:
    lecture = {i.key: i for i in TEMPLATES["lecture"]}
    assert "备案审核" in lecture["registration"].zh and lecture["registration"].owner == "school"
    drill = {i.key: i for i in TEMPLATES["drill"]}
    assert {"plan", "notice"} <= set(drill) and drill["evaluation"].when == "after"
    performance = {i.key for i in TEMPLATES["performance"]}
    assert {"co-create", "rehearsal", "venue", "invitations"} <= performance
    sports = {i.key for i in TEMPLATES["sports"]}
    assert {"events", "equipment", "first-aid"} <= sports
    assert any("宣传报道" in f.zh for f in FOLLOW_UPS) and any("归档" in f.zh for f in FOLLOW_UPS)
    assert all(f.when == "after" for f in FOLLOW_UPS)


# ------------------------------------------------------------------ due dates


def test_school_task_on_national_day_moves_to_the_last_workday_before() -> None:
    cal = SchoolCalendar(agreement([commitment("v", "visit")]))
    # 2024-10-10 − 7 days = 2024-10-03 (国庆); 10-01..10-02 are off too, 09-30 is a Monday
    assert due_date(dt.date(2024, 10, 10), "before", 7, "school", cal) == dt.date(2024, 9, 30)


def test_school_task_on_a_make_up_sunday_stays() -> None:
    cal = SchoolCalendar(agreement([commitment("v", "visit")]))
    assert dt.date(2024, 9, 29).weekday() == 6
    assert due_date(dt.date(2024, 10, 10), "before", 11, "school", cal) == dt.date(2024, 9, 29)


def test_after_task_in_a_holiday_moves_later_and_brigade_tasks_move_too() -> None:
    cal = SchoolCalendar(agreement([commitment("v", "visit")]))
    assert due_date(dt.date(2024, 9, 27), "after", 6, "school", cal) == dt.date(2024, 10, 8)
    # 10-03 is 国庆: the brigade's office is off too, so its task goes to Monday 09-30
    assert due_date(dt.date(2024, 10, 10), "before", 7, "brigade", cal) == dt.date(2024, 9, 30)
    # an ordinary weekend: Saturday 2024-11-16 -> Friday 11-15; after: Monday 11-18
    assert due_date(dt.date(2024, 11, 20), "before", 4, "school", cal) == dt.date(2024, 11, 15)
    assert due_date(dt.date(2024, 11, 14), "after", 2, "school", cal) == dt.date(2024, 11, 18)


def test_a_brigade_task_leaves_the_brigades_own_busy_days() -> None:
    a = factory.agreement(
        terms=[term("2025-spring", "2025春季学期", "2025-02-17", "2025-07-04")],
        commitments=[commitment("v", "visit")],
        calendar={"brigade_unavailable": [{"name": "春节战备", "start": "2025-02-03",
                                           "end": "2025-02-21"}]},
    )  # fmt: skip
    cal = SchoolCalendar(a)
    # 2025-03-03 − 14 days = 02-17, inside 春节战备 (02-03..02-21); before it 02-01/02 are a
    # weekend and 01-28..01-31 春节 days off: Monday 01-27 is the brigade's last working day
    assert due_date(dt.date(2025, 3, 3), "before", 14, "brigade", cal) == dt.date(2025, 1, 27)
    # the school is not bound by the brigade's days
    assert due_date(dt.date(2025, 3, 3), "before", 14, "school", cal) == dt.date(2025, 2, 17)
    # an after-task goes to the first working day after the busy period
    assert due_date(dt.date(2025, 2, 14), "after", 2, "brigade", cal) == dt.date(2025, 2, 24)


def test_no_example_brigade_task_falls_on_a_brigade_day_off() -> None:
    a = load_agreement(EXAMPLE)
    cal = SchoolCalendar(a)
    tasks = build_checklist(place(a, cal), cal, None, dt.date(2026, 12, 1))
    brigade = [t for t in tasks if t.owner == "brigade" and t.due != t.occurrence_date]
    assert brigade
    for t in brigade:
        assert cal.is_workday(t.due) and not cal.day(t.due).brigade_busy, t


def test_task_on_the_activity_day_stays_on_it() -> None:
    cal = SchoolCalendar(agreement([commitment("v", "visit")]))
    saturday = dt.date(2024, 11, 16)
    assert due_date(saturday, "before", 0, "school", cal) == saturday
    assert due_date(saturday, "after", 0, "school", cal) == saturday


def test_built_checklist_never_puts_a_school_task_on_a_day_off() -> None:
    a = agreement([commitment(k, k) for k in KINDS])
    cal = SchoolCalendar(a)
    days = [dt.date(2024, 10, 8) + dt.timedelta(days=3 * i) for i in range(len(KINDS))]
    tasks = checklist(a, [occ(f"{k}/2024-autumn/1", d) for k, d in zip(KINDS, days, strict=True)])
    school = [t for t in tasks if t.owner == "school" and t.due != t.occurrence_date]
    assert school
    assert all(cal.is_workday(t.due) for t in school)
    assert any(t.due == dt.date(2024, 10, 12) for t in school)  # a 调休 Saturday is used


# ------------------------------------------------------------------ which tasks


def test_custom_checklist_replaces_the_template_and_follow_ups_come_after() -> None:
    a = agreement(
        [
            commitment(
                "visit",
                "visit",
                checklist=[
                    {"task": "发放家长告知书并回收回执", "owner": "school", "days_before": 10}
                ],
                follow_up=[{"task": "报送活动新闻稿", "days_after": 2}],
            ),
            commitment(
                "drill",
                "drill",
                follow_up=[{"task": "上报演练总结", "owner": "brigade", "days_after": 5}],
            ),
        ]
    )
    tasks = checklist(
        a,
        [
            occ("visit/2024-autumn/1", dt.date(2024, 10, 16)),
            occ("drill/2024-autumn/1", dt.date(2024, 11, 6)),
        ],
    )
    visit = [t for t in tasks if t.commitment == "visit"]
    assert [(t.task, t.kind, t.due) for t in visit] == [
        ("发放家长告知书并回收回执", "before", dt.date(2024, 9, 30)),  # 10-06 is a day off
        ("报送活动新闻稿", "after", dt.date(2024, 10, 18)),
    ]
    drill = [t.task for t in tasks if t.commitment == "drill"]
    expected = [i.zh for i in builtin().tasks("drill")] + ["上报演练总结"]
    assert sorted(drill) == sorted(expected)
    extra = next(t for t in tasks if t.task == "上报演练总结")
    assert (extra.owner, extra.kind, extra.due) == ("brigade", "after", dt.date(2024, 11, 11))


def test_english_agreement_gets_english_tasks() -> None:
    a = agreement([commitment("talk", "lecture")], language="en")
    tasks = checklist(a, [occ("talk/2024-autumn/1", dt.date(2024, 11, 6))])
    assert {t.task for t in tasks} == {i.en for i in builtin().tasks("lecture")}


def test_cancelled_occurrences_and_lead_ups_get_no_tasks() -> None:
    a = agreement([commitment("show", "performance")])
    main = occ("show/2024-autumn/1", dt.date(2024, 12, 27))
    lead = occ("show/2024-autumn/1/lead-up-1", dt.date(2024, 12, 6), lead_up_of=main.id)
    gone = occ("show/2025-spring/1", dt.date(2025, 5, 28), term="2025-spring", status="cancelled")
    tasks = checklist(a, [lead, main, gone])
    assert {t.occurrence for t in tasks} == {main.id}
    assert len(tasks) == len(builtin().tasks("performance"))


def test_tasks_are_sorted_by_due_then_occurrence_date_then_id() -> None:
    a = agreement([commitment("v", "visit"), commitment("s", "sports")])
    tasks = checklist(
        a,
        [
            occ("v/2024-autumn/1", dt.date(2024, 10, 16)),
            occ("s/2024-autumn/1", dt.date(2024, 10, 17)),
        ],
    )
    keys = [(t.due, t.occurrence_date, t.id) for t in tasks]
    assert keys == sorted(keys)
    assert len({t.occurrence for t in tasks}) == 2


# ------------------------------------------------------------------ ids


def test_task_ids_are_short_unique_and_stable() -> None:
    a = agreement([commitment("v", "visit"), commitment("d", "drill")])
    occurrences = [
        occ("v/2024-autumn/1", dt.date(2024, 10, 16)),
        occ("v/2025-spring/1", dt.date(2025, 4, 16), term="2025-spring"),
        occ("d/2024-autumn/1", dt.date(2024, 11, 6)),
    ]
    first = checklist(a, occurrences)
    ids = [t.id for t in first]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == ID_LENGTH and re.fullmatch(r"[a-z2-7]+", i) for i in ids)
    again = checklist(a, list(reversed(occurrences)), today=dt.date(2025, 1, 1))
    assert {(t.occurrence, t.task): t.id for t in again} == {
        (t.occurrence, t.task): t.id for t in first
    }
    # another commitment, another language: the ids of existing tasks stay
    b = agreement(
        [commitment("v", "visit"), commitment("d", "drill"), commitment("m", "meeting")],
        language="en",
    )
    wider = checklist(b, [*occurrences, occ("m/2024-autumn/1", dt.date(2024, 12, 4))])
    assert {t.id for t in first} <= {t.id for t in wider}


def test_custom_task_ids_follow_their_text_not_their_position() -> None:
    one = {"task": "发放家长告知书", "days_before": 10}
    two = {"task": "预订车辆", "days_before": 7}
    forwards = checklist(
        agreement([commitment("v", "visit", checklist=[one, two])]),
        [occ("v/2024-autumn/1", dt.date(2024, 10, 16))],
    )
    backwards = checklist(
        agreement([commitment("v", "visit", checklist=[two, one])]),
        [occ("v/2024-autumn/1", dt.date(2024, 10, 16))],
    )
    assert {t.task: t.id for t in forwards} == {t.task: t.id for t in backwards}
    twice = checklist(
        agreement([commitment("v", "visit", checklist=[one, one])]),
        [occ("v/2024-autumn/1", dt.date(2024, 10, 16))],
    )
    assert len({t.id for t in twice}) == 2


def test_a_clash_of_short_ids_lengthens_only_the_clashing_ones() -> None:
    ids = short_ids(["abcdefgh", "abcdefxy", "zzzzzzzz", "abcdefgh"])
    assert ids == {"abcdefgh": "abcdefg", "abcdefxy": "abcdefx", "zzzzzzzz": "zzzzzz"}
    assert short_ids(["abcdefgh1", "abcdefgh2"]) == {
        "abcdefgh1": "abcdefgh1",
        "abcdefgh2": "abcdefgh2",
    }


# ------------------------------------------------------------------ ticks, overdue, filters


def test_ticks_and_overdue() -> None:
    a = agreement([commitment("v", "visit")])
    o = occ("v/2024-autumn/1", dt.date(2024, 10, 16))
    today = dt.date(2024, 10, 8)
    open_tasks = checklist(a, [o], today=today)
    late = [t for t in open_tasks if t.due < today]
    assert late and all(t.overdue and t.status == "open" for t in late)
    assert not any(t.overdue for t in open_tasks if t.due >= today)
    ticked = Records(tasks={late[0].id: TaskRecord(done=dt.date(2024, 9, 30))})
    after = {t.id: t for t in checklist(a, [o], ticked, today=today)}
    assert after[late[0].id].status == "done"
    assert after[late[0].id].done_on == dt.date(2024, 9, 30)
    assert not after[late[0].id].overdue
    assert sum(t.overdue for t in after.values()) == len(late) - 1


def test_select_by_term_owner_and_weeks() -> None:
    a = agreement([commitment("v", "visit")])
    occurrences = [
        occ("v/2024-autumn/1", dt.date(2024, 10, 16)),
        occ("v/2025-spring/1", dt.date(2025, 4, 16), term="2025-spring"),
    ]
    today = dt.date(2024, 10, 8)
    tasks = checklist(a, occurrences, today=today)
    assert {t.term for t in select(tasks, today=today, term="2025-spring")} == {"2025-spring"}
    assert {t.owner for t in select(tasks, today=today, owner="brigade")} == {"brigade"}
    soon = select(tasks, today=today, weeks=1)
    assert soon
    for t in soon:
        assert t.overdue or today <= t.due <= dt.date(2024, 10, 15)
    recent = today - dt.timedelta(weeks=1)
    assert {t.id for t in tasks if t.overdue and t.occurrence_date >= recent} <= {
        t.id for t in soon
    }
    assert not any(t.term == "2025-spring" for t in soon)
    later = dt.date(2025, 4, 10)  # the autumn visit is long past: its old tasks drop out
    tasks = checklist(a, occurrences, today=later)
    soon = select(tasks, today=later, weeks=1)
    assert soon and all(t.occurrence == "v/2025-spring/1" for t in soon)
    assert any(t.overdue for t in soon)  # the spring visit's late tasks stay in view
    assert select(tasks, today=today) == tasks


# ------------------------------------------------------------------ outputs


def test_json_shape() -> None:
    a = agreement([commitment("v", "visit")])
    tasks = checklist(
        a, [occ("v/2024-autumn/1", dt.date(2024, 10, 16))], today=dt.date(2024, 10, 8)
    )
    data = to_json(tasks)
    assert list(data) == ["tasks"]
    assert len(data["tasks"]) == len(tasks)
    for row, t in zip(data["tasks"], tasks, strict=True):
        assert list(row) == ["id", "occurrence", "task", "owner", "due", "status", "overdue"]
        assert row["id"] == t.id and row["occurrence"] == "v/2024-autumn/1"
        assert dt.date.fromisoformat(row["due"]) == t.due
        assert row["status"] in ("open", "done") and isinstance(row["overdue"], bool)


def test_prep_lines() -> None:
    a = agreement(
        [
            commitment(
                "v",
                "visit",
                checklist=[
                    {"task": "发放家长告知书", "days_before": 10},
                    {"task": "确认接待方案", "owner": "brigade", "days_before": 3},
                ],
                follow_up=[{"task": "新闻稿", "days_after": 1}],
            )
        ]
    )
    tasks = checklist(a, [occ("v/2024-autumn/1", dt.date(2024, 10, 16))])
    # 10-13 is a Sunday: the brigade task goes to the 调休 Saturday 10-12 before it
    assert prep_lines(tasks, "v/2024-autumn/1", "zh-CN") == [
        "09-30 学校：发放家长告知书",
        "10-12 支队：确认接待方案",
    ]
    assert prep_lines(tasks, "v/2024-autumn/1", "en") == [
        "09-30 School: 发放家长告知书",
        "10-12 Brigade: 确认接待方案",
    ]
    assert prep_lines(tasks, "other/2024-autumn/1", "zh-CN") == []


def _tasks_for_views() -> tuple[Plan, tuple[ChecklistTask, ...], dt.date]:
    a = agreement(
        [
            commitment(
                "v",
                "visit",
                checklist=[
                    {"task": "<script>alert(1)</script> & 告知书", "days_before": 10},
                    {"task": "预订车辆", "days_before": 2},
                    {"task": "确认方案", "owner": "brigade", "days_before": 3},
                ],
            )
        ]
    )
    plan = Plan(a, (occ("v/2024-autumn/1", dt.date(2024, 10, 16)),))
    today = dt.date(2024, 10, 14)
    tasks = build_checklist(plan, SchoolCalendar(a), None, today)
    done = next(t for t in tasks if t.task == "确认方案")
    records = Records(tasks={done.id: TaskRecord(done=dt.date(2024, 10, 12))})
    return plan, build_checklist(plan, SchoolCalendar(a), records, today), today


def test_markdown_view() -> None:
    plan, tasks, today = _tasks_for_views()
    md = render_markdown(tasks, plan, today=today, language="zh-CN")
    for t in tasks:
        assert f"`{t.id}`" in md
    assert md.count("- [ ] ") == 2 and md.count("- [x] ") == 1
    assert "**逾期**" in md  # the letter was due 09-30
    assert "第7周" in md and "### 学校" in md and "### 支队" in md
    assert "\\<script\\>" in md


def test_html_view_is_escaped_and_self_contained() -> None:
    plan, tasks, today = _tasks_for_views()
    page = render_html(tasks, plan, today=today, language="en")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http" not in page  # no external resources
    assert page.count("☐") == 2 and page.count("☑") == 1
    assert 'class="overdue"' in page
    for t in tasks:
        assert t.id in page


def test_rich_view() -> None:
    plan, tasks, today = _tasks_for_views()
    console = Console(record=True, width=140, color_system=None)
    console.print(render_rich(tasks, plan, today=today, language="zh-CN"))
    out = console.export_text()
    for t in tasks:
        assert t.id in out
    assert out.count("☐") == 2 and out.count("☑") == 1
    assert "逾期" in out and "第7周" in out


def test_views_say_when_an_activity_is_provisional_or_there_is_nothing() -> None:
    a = agreement([commitment("v", "visit")])
    plan = Plan(
        a, (dataclasses.replace(occ("v/2024-autumn/1", dt.date(2024, 10, 16)), provisional=True),)
    )
    tasks = build_checklist(plan, SchoolCalendar(a), None, dt.date(2024, 9, 1))
    assert "暂定" in render_markdown(tasks, plan, today=dt.date(2024, 9, 1), language="zh-CN")
    assert "没有任务" in render_markdown((), plan, today=dt.date(2024, 9, 1), language="zh-CN")
    assert "No tasks." in render_html((), plan, today=dt.date(2024, 9, 1), language="en")


def test_example_agreement_checklist() -> None:
    a = load_agreement(EXAMPLE)
    cal = SchoolCalendar(a)
    plan = place(a, cal)
    tasks = build_checklist(plan, cal, None, dt.date(2024, 10, 1))
    assert len({t.id for t in tasks}) == len(tasks)
    mains = {o.id for o in plan.occurrences if o.is_main and o.status != "cancelled"}
    assert {t.occurrence for t in tasks} == mains
    for t in tasks:
        if t.owner == "school" and t.due != t.occurrence_date:
            assert cal.is_workday(t.due), t
        assert (t.due <= t.occurrence_date) == (t.kind == "before") or t.due == t.occurrence_date


# ------------------------------------------------------------------ what is shown by default


def test_current_terms_are_todays_term_and_the_next() -> None:
    a = load_agreement(EXAMPLE)
    terms = a.calendar.terms
    ids = [t.id for t in terms]

    def shown(day: str) -> list[str]:
        return [t.id for t in current_terms(terms, dt.date.fromisoformat(day))]

    assert shown("2026-12-01") == ["2026-autumn", "2027-spring"]
    assert shown("2025-02-01") == [ids[1], ids[2]]  # between terms: the coming one and the next
    assert shown("2024-06-20") == [ids[0], ids[1]]
    assert shown("2027-12-01") == [ids[-1]]  # after the last term: its follow-ups


def test_the_default_view_keeps_the_current_and_next_term_with_overdue_first() -> None:
    a = load_agreement(EXAMPLE)
    cal = SchoolCalendar(a)
    today = dt.date(2026, 12, 1)
    everything = build_checklist(place(a, cal), cal, None, today)
    scope = current_terms(a.calendar.terms, today)
    tasks = select(everything, today=today, terms=scope)
    assert tasks and {t.term for t in tasks} == {"2026-autumn", "2027-spring"}
    assert len(tasks) < len(everything) // 3
    plan = place(a, cal)
    md = render_markdown(tasks, plan, today=today, language="zh-CN", scope=[t.name for t in scope])
    overdue = md.index("## 逾期未完成")
    first_week = md.index("## 2026—2027学年第一学期 第")
    assert overdue < first_week
    assert "--all" in md


def test_each_activity_says_when_where_and_whom_to_call() -> None:
    a = factory.agreement(
        terms=[term("2024-autumn", "2024秋季学期", "2024-09-01", "2025-01-17")],
        commitments=[
            commitment(
                "visit", "visit", location="brigade", time={"start": "14:00", "end": "16:30"}
            )
        ],
        parties={
            "school": {
                "name": "大磨小学",
                "contacts": [{"name": "王老师", "role": "德育处\n主任", "phone": "023-1"}],
            },
            "brigade": {"name": "消防救援支队", "address": "永川区|兴龙大道"},
        },
        title="共建协议\n第二行",
    )
    o = dataclasses.replace(
        occ("visit/2024-autumn/1", dt.date(2024, 10, 16)),
        start=dt.time(14, 0),
        end=dt.time(16, 30),
        title="走进\n消防支队",
    )
    plan = Plan(a, (o,))
    tasks = build_checklist(plan, SchoolCalendar(a), None, dt.date(2024, 9, 1))
    md = render_markdown(tasks, plan, today=dt.date(2024, 9, 1), language="zh-CN")
    assert "走进 消防支队 · 2024-10-16 周三 14:00–16:30 · 消防救援支队，永川区\\|兴龙大道" in md
    assert "联系人：王老师（德育处 主任），023-1" in md
    assert md.splitlines()[0] == "# 准备与跟进清单 · 共建协议 第二行"
    page = render_html(tasks, plan, today=dt.date(2024, 9, 1), language="zh-CN")
    assert "14:00–16:30" in page and "王老师" in page


@pytest.mark.parametrize("short_bytes", [10, 1])
def test_task_ids_are_the_short_ids_of_the_whole_digests(
    short_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made from a digest prefix first, the ids are those of the whole SHA-256 (with one
    byte of prefix every clash goes to the whole digests)."""
    import base64
    import hashlib

    import partnership.checklist as cl

    monkeypatch.setattr(cl, "_SHORT_BYTES", short_bytes)
    keys = [(f"v/2024-autumn/{n}", f"key-{k}") for n in range(60) for k in range(8)]
    keys += keys[:5]  # the same task twice has one id
    whole = [
        base64.b32encode(hashlib.sha256(f"{o}\n{k}".encode()).digest()).decode().lower()
        for o, k in keys
    ]
    by_digest = short_ids([w.rstrip("=") for w in whole])
    assert cl.task_ids(keys) == [by_digest[w.rstrip("=")] for w in whole]
