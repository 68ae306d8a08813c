"""Labels shared by every view, in the agreement's language (zh-CN default, en)."""

from __future__ import annotations

import datetime as dt
from functools import cache

_LABELS: dict[str, tuple[str, str]] = {
    # key: (zh-CN, en)
    "mon": ("周一", "Mon"),
    "tue": ("周二", "Tue"),
    "wed": ("周三", "Wed"),
    "thu": ("周四", "Thu"),
    "fri": ("周五", "Fri"),
    "sat": ("周六", "Sat"),
    "sun": ("周日", "Sun"),
    "teachers": ("教师", "teachers"),
    "students": ("学生", "students"),
    "parents": ("家长", "parents"),
    "brigade": ("消防救援人员", "brigade"),
    "school": ("学校", "school"),
    "planned": ("计划", "planned"),
    "done": ("已完成", "done"),
    "moved": ("已改期", "moved"),
    "cancelled": ("已取消", "cancelled"),
    "visit": ("参观", "visit"),
    "sports": ("运动会", "sports"),
    "performance": ("文艺汇演", "performance"),
    "drill": ("演练", "drill"),
    "lecture": ("讲座", "lecture"),
    "meeting": ("会议", "meeting"),
    "other": ("其他", "other"),
    "all_day": ("全天", "all day"),
    "provisional": ("暂定", "provisional"),
    "make_up_workday": ("调休上班", "make-up workday"),
    "closure": ("停课/不可用", "closed"),
    "holiday": ("放假", "holiday"),
    "brigade_busy": ("支队不可用", "brigade busy"),
}

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def pick(language: str, zh: str, en: str) -> str:
    """The text for the agreement's language: English for ``en``, else Chinese."""
    return en if language == "en" else zh


def label(key: str, language: str) -> str:
    """The label for ``key`` in ``language``; unknown keys come back unchanged."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pick(language, *pair)


def weekday(day: dt.date, language: str) -> str:
    """Short weekday name of ``day`` (周三 / Wed)."""
    return label(WEEKDAY_KEYS[day.weekday()], language)


def week(n: int, language: str) -> str:
    """A term week label: 第7周 / Week 7."""
    return pick(language, f"第{n}周", f"Week {n}")


def month_day(day: dt.date) -> str:
    """ "09-16": ``f"{day:%m-%d}"`` without strftime (the views write thousands of them)."""
    return f"{day.month:02d}-{day.day:02d}"


def clock(time: dt.time) -> str:
    """ "14:00": ``f"{time:%H:%M}"`` without strftime."""
    return f"{time.hour:02d}:{time.minute:02d}"


@cache
def time_range(start: dt.time | None, end: dt.time | None, language: str) -> str:
    """ "14:00–16:30", or the all-day label (cached: an agreement has a few times)."""
    if start is None or end is None:
        return label("all_day", language)
    return f"{clock(start)}–{clock(end)}"
