"""The fulfilment report over a scripted three-year history, and its four views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pytest
from factory import per_term
from rich.console import Console

from partnership.errors import UsageError
from partnership.model import Agreement
from partnership.plan import Occurrence, Plan, Unplaced
from partnership.records import Records, record_cancel, record_done, record_move
from partnership.report import Counts, build_report, to_json
from partnership.views.report import render_html, render_markdown, render_rich, sheets

TODAY = dt.date(2026, 9, 1)  # before every planned occurrence of the history: none missed
TERMS = [
    ("2024-autumn", "2024—2025学年第一学期", "2024-09-01", "2025-01-17"),
    ("2025-spring", "2024—2025学年第二学期", "2025-02-17", "2025-07-04"),
    ("2025-autumn", "2025—2026学年第一学期", "2025-09-01", "2026-01-30"),
    ("2026-spring", "2025—2026学年第二学期", "2026-03-05", "2026-07-01"),
    ("2026-autumn", "2026—2027学年第一学期", "2026-09-01", "2027-01-22"),
    ("2027-spring", "2026—2027学年第二学期", "2027-02-20", "2027-06-07"),
]
TITLES = {
    "brigade-visit": "走进消防支队",
    "fun-sports": "消防趣味运动会",
    "festival-show": "节日联合文艺汇演",
    "signing-talk": "签约仪式暨安全宣讲",
}


def agreement(language: str = "zh-CN") -> Agreement:
    return factory.agreement(
        title="永川区消防支队政治部 · 永川区大磨小学 三年共建协议",
        language=language,
        terms=[factory.term(*t) for t in TERMS],
        commitments=[
            per_term("brigade-visit", TITLES["brigade-visit"], kind="visit", programme="安心工程"),
            per_term("fun-sports", TITLES["fun-sports"], kind="sports", programme="凝心工程"),
            {
                "id": "festival-show",
                "title": TITLES["festival-show"],
                "kind": "performance",
                "programme": "暖心工程",
                "repeat": {"festivals": ["national-day"]},
                "lead_up": [{"title": "节目共创", "days_before": 21}],
            },
            {
                "id": "signing-talk",
                "title": TITLES["signing-talk"],
                "kind": "meeting",
                "repeat": {"once": "2024-06-12"},
            },
        ],
    )


# What happened: (occurrence, term, date, status, moves, note or reason, provisional)
HISTORY: list[tuple[str, str | None, str, str, int, str | None, bool]] = [
    ("signing-talk/once", None, "2024-06-12", "done", 0, "签约当天同时举行疏散演练", False),
    ("festival-show/national-day-2024", "2024-autumn", "2024-09-30", "done", 0, None, False),
    (
        "brigade-visit/2024-autumn/1",
        "2024-autumn",
        "2024-10-16",
        "done",
        0,
        "三个年级共120人参加",
        False,
    ),
    ("fun-sports/2024-autumn/1", "2024-autumn", "2025-01-08", "done", 0, None, False),
    ("brigade-visit/2025-spring/1", "2025-spring", "2025-04-17", "done", 1, None, False),
    ("fun-sports/2025-spring/1", "2025-spring", "2025-05-21", "done", 0, None, False),
    (
        "festival-show/national-day-2025",
        "2025-autumn",
        "2025-09-30",
        "cancelled",
        0,
        "台风停课",
        False,
    ),
    ("brigade-visit/2025-autumn/1", "2025-autumn", "2025-10-15", "done", 0, None, False),
    ("fun-sports/2025-autumn/1", "2025-autumn", "2025-11-19", "cancelled", 0, "暴雨预警", False),
    ("brigade-visit/2026-spring/1", "2026-spring", "2026-04-15", "done", 0, None, False),
    ("fun-sports/2026-spring/1", "2026-spring", "2026-05-20", "done", 0, None, False),
    ("festival-show/national-day-2026", "2026-autumn", "2026-09-30", "planned", 0, None, False),
    ("brigade-visit/2026-autumn/1", "2026-autumn", "2026-10-14", "done", 0, None, False),
    ("brigade-visit/2027-spring/1", "2027-spring", "2027-04-14", "planned", 0, None, True),
    ("fun-sports/2027-spring/1", "2027-spring", "2027-05-19", "planned", 0, None, True),
]


def history(language: str = "zh-CN") -> tuple[Plan, Records]:
    """The plan and records after three years of the scripted history."""
    records = Records()
    occurrences = []
    for oid, term, day, status, moves, text, provisional in HISTORY:
        date = dt.date.fromisoformat(day)
        for _ in range(moves):
            records = record_move(records, oid, date)
        if status == "done":
            records = record_done(records, oid, text)
        elif status == "cancelled":
            assert text is not None
            records = record_cancel(records, oid, text)
        commitment = oid.split("/")[0]
        common: dict[str, Any] = {
            "commitment": commitment,
            "term": term,
            "start": None,
            "end": None,
            "why": "",
        }
        occurrences.append(
            Occurrence(
                id=oid,
                title=TITLES[commitment],
                date=date,
                status=status,  # type: ignore[arg-type]
                sequence=moves,
                provisional=provisional,
                **common,
            )
        )
        if commitment == "festival-show":
            occurrences.append(
                Occurrence(
                    id=f"{oid}/lead-up-1",
                    title="节目共创",
                    date=date - dt.timedelta(days=21),
                    lead_up_of=oid,
                    **common,
                )
            )
    unplaced = (
        Unplaced("fun-sports/2026-autumn/1", "fun-sports", "2026-autumn", "no school day left"),
    )
    plan = Plan(agreement(language), tuple(occurrences), unplaced, provisional_years=(2027,))
    return plan, records


def test_three_year_totals() -> None:
    plan, records = history()
    report = build_report(plan, records, None, today=TODAY)
    assert report.counts == Counts(required=16, placed=15, done=10, cancelled=2)
    assert report.counts.pending == 3
    assert report.counts.percent == pytest.approx(62.5)
    assert report.unplaced == ("fun-sports/2026-autumn/1",)
    assert report.year is None


def test_per_commitment_and_term() -> None:
    plan, records = history()
    lines = {c.id: c for c in build_report(plan, records, None, today=TODAY).commitments}
    assert list(lines) == ["brigade-visit", "fun-sports", "festival-show", "signing-talk"]
    visit = lines["brigade-visit"]
    assert [t.term for t in visit.terms] == [t[0] for t in TERMS]
    assert visit.counts == Counts(required=6, placed=6, done=5, cancelled=0)
    assert visit.terms[-1].counts == Counts(required=1, placed=1, done=0, cancelled=0)
    sports = {t.term: t.counts for t in lines["fun-sports"].terms}
    assert sports["2026-autumn"] == Counts(required=1, placed=0, done=0, cancelled=0)
    assert sports["2025-autumn"] == Counts(required=1, placed=1, done=0, cancelled=1)
    assert lines["fun-sports"].counts == Counts(required=6, placed=5, done=3, cancelled=1)
    show = lines["festival-show"]  # lead-up sessions are not counted
    assert show.counts == Counts(required=3, placed=3, done=1, cancelled=1)
    assert [t.term for t in show.terms] == ["2024-autumn", "2025-autumn", "2026-autumn"]
    talk = lines["signing-talk"]
    assert [(t.term, t.term_name) for t in talk.terms] == [(None, "学期外")]
    assert talk.counts == Counts(required=1, placed=1, done=1, cancelled=0)


def test_per_programme() -> None:
    plan, records = history()
    programmes = {p.programme: p for p in build_report(plan, records, None, today=TODAY).programmes}
    assert list(programmes) == ["凝心工程", "安心工程", "暖心工程", None]
    assert programmes["安心工程"].counts == Counts(6, 6, 5, 0)
    assert programmes["凝心工程"].counts == Counts(6, 5, 3, 1)
    assert programmes["暖心工程"].counts == Counts(3, 3, 1, 1)
    assert programmes[None].counts == Counts(1, 1, 1, 0)
    assert programmes[None].commitments == ("signing-talk",)


def test_yearly_plan_and_year_end_summary() -> None:
    plan, records = history()
    year = build_report(plan, records, 2025, today=TODAY).year
    assert year is not None and year.year == 2025
    assert [(e.occurrence, e.date.isoformat()) for e in year.plan] == [
        ("fun-sports/2024-autumn/1", "2025-01-08"),  # the year follows the date, not the term
        ("brigade-visit/2025-spring/1", "2025-04-17"),
        ("fun-sports/2025-spring/1", "2025-05-21"),
        ("festival-show/national-day-2025", "2025-09-30"),
        ("brigade-visit/2025-autumn/1", "2025-10-15"),
        ("fun-sports/2025-autumn/1", "2025-11-19"),
    ]
    assert len(year.done) == 4
    assert [(e.occurrence, e.reason) for e in year.cancelled] == [
        ("festival-show/national-day-2025", "台风停课"),
        ("fun-sports/2025-autumn/1", "暴雨预警"),
    ]
    assert [(e.occurrence, e.sequence, e.status) for e in year.moved] == [
        ("brigade-visit/2025-spring/1", 1, "done")
    ]
    assert year.pending == ()
    later = build_report(plan, records, 2027, today=TODAY).year
    assert later is not None
    assert [e.occurrence for e in later.pending] == [
        "brigade-visit/2027-spring/1",
        "fun-sports/2027-spring/1",
    ]
    assert all(e.provisional for e in later.plan)
    first = build_report(plan, records, 2024, today=TODAY).year
    assert first is not None
    assert [e.note for e in first.done if e.note] == [
        "签约当天同时举行疏散演练",
        "三个年级共120人参加",
    ]


@pytest.mark.parametrize("year", [2023, 2028])
def test_a_year_outside_the_agreement_is_refused(year: int) -> None:
    plan, records = history()
    with pytest.raises(UsageError, match=str(year)):
        build_report(plan, records, year, today=TODAY)


def test_json_shape() -> None:
    plan, records = history()
    data = to_json(build_report(plan, records, 2025, today=TODAY))
    counts = ["required", "placed", "done", "cancelled", "missed", "pending", "percent"]
    assert list(data) == [
        "agreement", "title", "start", "end", "provisional_years", "unplaced",
        "total", "commitments", "programmes", "year", "today",
    ]  # fmt: skip
    assert data["today"] == "2026-09-01"
    assert data["total"] == dict(zip(counts, [16, 15, 10, 2, 0, 3, 62.5], strict=True))
    visit = data["commitments"][0]
    assert list(visit) == ["id", "title", "kind", "programme", "total", "terms"]
    assert list(visit["terms"][0]) == ["term", "name", *counts]
    assert list(data["programmes"][0]) == ["programme", "commitments", *counts]
    year = data["year"]
    assert list(year) == [
        "year", "plan", "done", "cancelled", "moved", "missed", "pending",
        "total", "commitments", "programmes",
    ]  # fmt: skip
    assert year["cancelled"] == ["festival-show/national-day-2025", "fun-sports/2025-autumn/1"]
    assert list(year["plan"][0]) == [
        "occurrence", "commitment", "title", "date", "start", "end",
        "status", "outcome", "provisional", "moves", "note", "reason",
    ]  # fmt: skip
    assert to_json(build_report(plan, records, None, today=TODAY))["year"] is None


def test_documents_an_admin_can_hand_in() -> None:
    plan, records = history()
    report = build_report(plan, records, 2025, today=TODAY)
    md = render_markdown(report)
    for text in ("2025年度计划", "2025年终总结", "台风停课", "暴雨预警", "62.5%", "| 凝心工程 |"):
        assert text in md, text
    assert "2027年放假安排尚未公布" in md
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "暴雨预警" in page
    console = Console(record=True, width=160, color_system=None)
    console.print(render_rich(report))
    out = console.export_text()
    assert "2025年终总结" in out and "走进消防支队" in out and "62.5%" in out


def test_english_report_and_escaping() -> None:
    plan, records = history("en")
    records = record_cancel(records, "fun-sports/2025-autumn/1", "<b>storm</b> | [red]x[/red]")
    report = build_report(plan, records, 2025, today=TODAY)
    page = render_html(report)
    assert "Year-end summary 2025" in page and "<b>storm" not in page and "&lt;b&gt;storm" in page
    assert "\\<b\\>storm\\</b\\> \\| \\[red\\]" in render_markdown(report)
    console = Console(record=True, width=160, color_system=None)
    console.print(render_rich(report))
    assert "[red]x[/red]" in console.export_text()


def test_a_cancellation_is_not_counted_as_a_move() -> None:
    from partnership.loader import load_agreement
    from partnership.placement import place

    a = load_agreement(factory.EXAMPLE)
    records = record_cancel(Records(), "fire-sports-meet/2025-spring/1", "暴雨预警")
    records = record_move(records, "brigade-visit/2025-spring/1", dt.date(2025, 3, 26))
    year = build_report(place(a, records=records), records, 2025, today=TODAY).year
    assert year is not None
    assert [e.occurrence for e in year.moved] == ["brigade-visit/2025-spring/1"]
    assert [e.sequence for e in year.moved] == [1]
    assert [e.occurrence for e in year.cancelled] == ["fire-sports-meet/2025-spring/1"]


def test_what_nobody_recorded_is_missed_once_its_date_is_past() -> None:
    plan, records = history()
    late = build_report(plan, records, None, today=dt.date(2026, 12, 1))
    # festival-show/national-day-2026 (09-30) was planned and nothing recorded: missed
    assert late.counts == Counts(16, 15, 10, 2, 1)
    assert late.counts.pending == 2
    show = next(c for c in late.commitments if c.id == "festival-show")
    assert [(t.term, t.counts.missed, t.counts.pending) for t in show.terms][-1] == (
        "2026-autumn",
        1,
        0,
    )
    year = late.year
    assert year is None
    year_2026 = build_report(plan, records, 2026, today=dt.date(2026, 12, 1)).year
    assert year_2026 is not None
    assert [e.occurrence for e in year_2026.missed] == ["festival-show/national-day-2026"]
    assert year_2026.pending == ()


@pytest.mark.parametrize("day", ["2024-06-01", "2025-05-21", "2026-10-01", "2027-12-31"])
def test_every_placed_occurrence_is_exactly_one_outcome(day: str) -> None:
    plan, records = history()
    report = build_report(plan, records, None, today=dt.date.fromisoformat(day))
    for line in report.commitments:
        for term in line.terms:
            c = term.counts
            assert min(c.done, c.cancelled, c.missed, c.pending) >= 0
            assert c.done + c.cancelled + c.missed + c.pending == c.placed
    data = to_json(report)
    total = data["total"]
    assert sum(total[k] for k in ("done", "cancelled", "missed", "pending")) == total["placed"]


def test_the_example_2025_summary_with_nothing_recorded_is_all_missed() -> None:
    from partnership.loader import load_agreement
    from partnership.placement import place

    a = load_agreement(factory.EXAMPLE)
    plan = place(a, records=Records())
    report = build_report(plan, Records(), 2025, today=dt.date(2026, 12, 1))
    year = report.year
    assert year is not None and year.plan
    assert len(year.missed) == len(year.plan) and year.pending == ()
    assert year.counts.missed == len(year.plan) and year.counts.pending == 0
    md = render_markdown(report)
    summary = md[md.index("2025年终总结") :]
    assert f"未开展 {len(year.plan)} 次，待进行 0 次" in summary
    for e in year.plan:
        assert e.title in summary
    assert "尚未进行" not in md


def test_a_two_line_note_keeps_every_markdown_table_whole() -> None:
    plan, records = history()
    records = record_done(records, "brigade-visit/2025-autumn/1", "第一行 | 一\r\n第二行 <b>")
    records = record_cancel(records, "fun-sports/2025-autumn/1", "暴雨\n预警")
    md = render_markdown(build_report(plan, records, 2025, today=TODAY))
    for block in md.split("\n\n"):
        rows = block.splitlines()
        if rows and rows[0].startswith("|"):
            widths = {row.replace("\\|", "").count("|") for row in rows}
            assert len(widths) == 1, block
            assert all(row.startswith("|") and row.endswith("|") for row in rows), block
    assert "第一行 \\| 一<br>第二行 \\<b\\>" in md and "暴雨<br>预警" in md


def test_the_html_report_draws_each_term() -> None:
    plan, records = history()
    page = render_html(build_report(plan, records, None, today=dt.date(2026, 12, 1)))
    assert "<script" not in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    for name in ("已完成", "已取消", "未开展", "待进行", "2025—2026学年第一学期"):
        assert name in svg, name
    assert "<title>未开展: 1</title>" in svg


def test_report_sheets_hold_typed_cells() -> None:
    plan, records = history()
    out = sheets(build_report(plan, records, 2025, today=TODAY))
    assert [s.name for s in out] == ["分项目分学期", "三心工程", "2025年度"]
    year = out[2]
    assert year.rows[0][0] == dt.date(2025, 1, 8)
    assert all(len(r) == len(s.headers) for s in out for r in s.rows)


def test_an_activity_on_today_is_pending_not_missed() -> None:
    plan, records = history()
    today = dt.date(2026, 9, 30)  # festival-show/national-day-2026, nothing recorded yet
    year = build_report(plan, records, 2026, today=today).year
    assert year is not None
    assert "festival-show/national-day-2026" in [e.occurrence for e in year.pending]
    assert "festival-show/national-day-2026" not in [e.occurrence for e in year.missed]
    after = build_report(plan, records, 2026, today=today + dt.timedelta(days=1)).year
    assert after is not None
    assert [e.occurrence for e in after.missed] == ["festival-show/national-day-2026"]


@pytest.mark.parametrize(("language", "name"), [("zh-CN", "学期外"), ("en", "outside terms")])
def test_an_activity_outside_every_term_is_counted_under_its_own_name(
    language: str, name: str
) -> None:
    plan, records = history(language)
    report = build_report(plan, records, None, today=TODAY)
    talk = next(c for c in report.commitments if c.id == "signing-talk")
    assert [(t.term, t.term_name, t.counts.done) for t in talk.terms] == [(None, name, 1)]


def test_a_commitment_with_nothing_required_has_no_percentage() -> None:
    plan, records = history()
    without_talk = Plan(
        plan.agreement,
        tuple(o for o in plan.occurrences if o.commitment != "signing-talk"),
        plan.unplaced,
        plan.provisional_years,
    )
    data = to_json(build_report(without_talk, records, None, today=TODAY))
    talk = next(c for c in data["commitments"] if c["id"] == "signing-talk")
    assert talk["total"]["required"] == 0 and talk["total"]["percent"] is None
