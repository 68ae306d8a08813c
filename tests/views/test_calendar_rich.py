"""The terminal 校历: one rich table per term, CJK aligned; holidays, 调休, closures, activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pytest
from factory import SPRING_FESTIVAL_DUTY, autumn_2024, occurrence, per_term, term
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style

from partnership.model import Agreement
from partnership.plan import Occurrence, Plan
from partnership.schoolcalendar import SchoolCalendar
from partnership.views.calendar_rich import STYLES, render_rich
from partnership.views.grid import TermGrid, build_grid


def agreement(language: str = "zh-CN") -> Agreement:
    """An autumn term starting on a Sunday (2024-09-01) and a provisional 2027 term."""
    return factory.agreement(
        language=language,
        calendar={"brigade_unavailable": [SPRING_FESTIVAL_DUTY]},
        terms=[
            autumn_2024(),
            term("2027-spring", "2027春", "2027-02-22", "2027-06-04"),
        ],
        commitments=[per_term("visit", "走进消防支队")],
    )


def occ(oid: str, day: str, start: dt.time | None, title: str, **kw: Any) -> Occurrence:
    """A hand-made occurrence of one hour (or all day)."""
    return occurrence(oid, day, start, title, **kw)


OCCURRENCES = (
    occ("visit/2024-autumn/1", "2024-10-16", dt.time(14), "走进消防支队", status="done"),
    occ("sports/2024-autumn/1", "2024-11-20", dt.time(9), "消防趣味运动会", status="cancelled"),
    occ("show/national-day-2024", "2024-09-30", dt.time(9), "国庆文艺汇演", status="moved"),
    occ("show/national-day-2024/lead-up-1", "2024-09-10", None, "节目共创",
        lead_up_of="show/national-day-2024"),
    occ("drill/2027", "2027-03-10", dt.time(10), "疏散演练", provisional=True),
)  # fmt: skip


def grid(term: str = "2024-autumn", language: str = "zh-CN") -> TermGrid:
    """The grid of ``term`` for the fixture agreement."""
    a = agreement(language)
    return build_grid(Plan(a, OCCURRENCES), SchoolCalendar(a), term)


def text_of(g: TermGrid, width: int = 160) -> str:
    """The plain text a terminal without colours shows (160 columns unless told)."""
    console = Console(record=True, width=width, color_system=None)
    console.print(render_rich(g))
    return console.export_text()


def cells(out: str) -> dict[str, str]:
    """Each table cell's text (wrapped lines joined, spaces dropped), keyed by its first line."""
    found: dict[str, str] = {}
    block: list[list[str]] = []
    for line in [*out.splitlines(), "├"]:
        if line.startswith("│"):
            block.append([part.strip() for part in line.split("│")[1:-1]])
        elif block:
            for column in zip(*block, strict=True):
                found[column[0]] = "".join(column).replace(" ", "")
            block = []
    return found


def styles_of(g: TermGrid, fragment: str) -> list[Style]:
    """Styles of every rendered segment whose text contains ``fragment``."""
    console = Console(width=160, color_system="truecolor")
    return [
        s.style or Style()
        for s in console.render(render_rich(g))
        if fragment in s.text and not s.control
    ]


def test_title_week_column_and_weekday_headers() -> None:
    out = text_of(grid())
    assert "2024—2025学年第一学期" in out
    header = next(line for line in out.splitlines() if "周一" in line)
    positions = [header.index(d) for d in ("周一", "周二", "周三", "周四", "周五", "周六", "周日")]
    assert positions == sorted(positions)
    assert "第0周" in out and "08-26–09-01" in out  # the Sunday before the first school day
    assert "第1周" in out and "09-02–09-08" in out
    assert "第20周" in out and "01-13–01-19" in out
    assert "第22周" not in out


@pytest.mark.parametrize("width", [80, 160])
def test_every_table_line_has_the_same_width_despite_chinese_text(width: int) -> None:
    out = text_of(grid(), width)
    lines = [line for line in out.splitlines() if line[:1] in "┏┃┡│├└"]
    assert len(lines) > 40
    assert {cell_len(line) for line in lines} == {width}
    assert "…" not in out


def test_days_holidays_make_up_days_closures_and_out_of_term() -> None:
    out = text_of(grid())
    assert "(8-26)" in out and "(8-31)" in out
    assert "9-1 " in out and "(9-1)" not in out
    assert out.count("国庆节") >= 7
    assert out.count("调休上班") == 3 + 1  # 9-14, 9-29, 10-12 and the legend
    assert "中秋节" in out
    assert out.count("期中考试") == 2
    table = cells(out)
    assert table["1-15"] == "1-15支队不可用：春节战备"
    assert table["(1-18)"] == "(1-18)支队不可用：春节战备"
    assert table["9-29"] == "9-29调休上班国庆节"
    assert table["10-1"] == "10-1国庆节"
    assert table["11-7"] == "11-7期中考试"
    assert table["第0周"] == "第0周08-26–09-01"


def test_activities_named_with_time_and_status() -> None:
    table = cells(text_of(grid()))
    assert table["10-16"] == "10-1614:00走进消防支队[已完成]"
    assert table["11-20"] == "11-2009:00消防趣味运动会[已取消]"
    assert table["9-30"] == "9-3009:00国庆文艺汇演[已改期]"
    assert table["9-10"] == "9-10全天筹备：节目共创"


def test_legend_below_table() -> None:
    lines = text_of(grid()).rstrip().splitlines()
    legend = lines[-1]
    assert legend.startswith("图例：")
    for word in ("放假", "调休上班", "停课/不可用", "支队不可用", "活动", "暂定", "周末", "学期外"):
        assert word in legend


def test_provisional_term_says_so() -> None:
    out = text_of(grid("2027-spring"))
    first = out.splitlines()[0]
    assert "暂定" in first and "2027" in first
    assert cells(out)["3-10"] == "3-1010:00疏散演练[暂定]"
    assert "暂定：" not in text_of(grid())


def test_english_labels() -> None:
    out = text_of(grid(language="en"))
    header = next(line for line in out.splitlines() if "Mon" in line)
    for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        assert d in header
    assert "Week 1" in out and "National Day" in out and "make-up workday" in out
    assert "[done]" in out and "Legend: " in out
    assert "周一" not in out


def test_holidays_shaded_weekends_dimmed_workdays_not() -> None:
    g = grid()
    assert any(s.bgcolor is not None and s.bgcolor.name == "red" for s in styles_of(g, "国庆节"))
    assert all(s.bgcolor is None for s in styles_of(g, "9-2 "))
    closure = styles_of(g, "期中考试")
    assert closure and all(s == Style.parse(STYLES["closure"]) for s in closure)
    assert all(s.dim for s in styles_of(g, "9-7 "))
    assert not any(s.dim for s in styles_of(g, "9-29"))
    assert not any(s.dim for s in styles_of(g, "9-2 "))


def test_same_grid_same_output() -> None:
    assert text_of(grid()) == text_of(grid())
