"""Labels of the files the tool writes, in the agreement's language (zh-CN default, en).

The texts are data: ``partnership/locale/labels.toml`` (table ``labels``), read with the
messages' catalogue; a view asks for them here, by the agreement's language, not the user's.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from partnership.messages import catalogue

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def pick(language: str, zh: str, en: str) -> str:
    """The text for the agreement's language: English for ``en``, else Chinese."""
    return en if language == "en" else zh


def text(key: str, language: str) -> str:
    """The label ``labels.<key>`` (``calendar.legend``, ``report.title``) in ``language``."""
    texts = catalogue()[f"labels.{key}"]
    return pick(language, texts["zh"], texts["en"])


def label(key: str, language: str) -> str:
    """A shared label (weekday, audience, status, kind) in ``language``; unknown keys come
    back unchanged."""
    texts = catalogue().get(f"labels.{key}")
    if texts is None:
        return key
    return pick(language, texts["zh"], texts["en"])


def weekday(day: dt.date, language: str) -> str:
    """Short weekday name of ``day`` (周三 / Wed)."""
    return label(WEEKDAY_KEYS[day.weekday()], language)


def week(n: int, language: str) -> str:
    """A term week label: 第7周 / Week 7."""
    return text("week", language).format(n=n)


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
