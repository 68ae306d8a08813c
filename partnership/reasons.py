"""Why this date: short human reasons for every placement decision, in the agreement's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from partnership.demands import Demand, unusable
from partnership.festivals import definition
from partnership.holidays import english_name
from partnership.i18n import pick as _t
from partnership.i18n import week, weekday
from partnership.model import Agreement
from partnership.schoolcalendar import SchoolCalendar

if TYPE_CHECKING:
    from partnership.placement import Board

RULED_OUT: tuple[str, ...] = (
    "outside-term",
    "holiday",
    "weekday",
    "closure",
    "brigade",
    "full",
    "gap",
)
_RULED_OUT_LABELS: dict[str, tuple[str, str]] = {
    "outside-term": ("不在学期内", "outside the term"),
    "holiday": ("法定节假日", "public holiday"),
    "weekday": ("非活动星期", "not an allowed weekday"),
    "closure": ("停课/考试", "closure"),
    "brigade": ("支队不可用", "brigade unavailable"),
    "full": ("当日活动已满", "day full"),
    "gap": ("与其他活动间隔不足", "too close to another activity"),
}


def _md(day: dt.date) -> str:
    return f"{day:%m-%d}"


def _prefix(day: dt.date, calendar: SchoolCalendar, lang: str) -> str:
    term = calendar.term_of(day)
    wd = weekday(day, lang)
    if term is None:
        return _t(lang, f"{day:%m-%d}{wd}（学期外）：", f"{wd} {day:%m-%d} (outside terms): ")
    n = term.week_of(day)
    return _t(lang, f"{week(n, lang)}{wd}：", f"{week(n, lang)}, {wd}: ")


def why_not(
    day: dt.date,
    d: Demand,
    calendar: SchoolCalendar,
    agreement: Agreement,
    board: Board | None,
) -> str | None:
    """The first rule that rules ``day`` out for demand ``d`` (a RULED_OUT key), or None."""
    c = d.commitment
    rule = unusable(calendar.day(day), agreement.weekdays_for(c), c, strict=d.strict)
    if rule is not None:
        return rule
    if board is not None:
        kinds = {k for k, _ in board.blockers(day)}
        if "full" in kinds:
            return "full"
        if "gap" in kinds:
            return "gap"
    return None


def ruled_out(
    d: Demand, calendar: SchoolCalendar, agreement: Agreement, board: Board
) -> dict[str, int]:
    """How many days of the demand's domain each rule ruled out (keys in RULED_OUT order)."""
    counts = dict.fromkeys(RULED_OUT, 0)
    for day in d.domain:
        key = why_not(day, d, calendar, agreement, board)
        if key is not None:
            counts[key] += 1
    return {k: v for k, v in counts.items() if v}


def _span(d: Demand, lang: str) -> str:
    c = d.commitment
    if d.form == "month" and d.month:
        y, m = d.month.split("-")
        return _t(lang, f"{y}年{int(m)}月", f"{d.month}")
    if c.window is not None:
        a, b = c.window.weeks
        return _t(lang, f"窗口第{a}–{b}周", f"window weeks {a}–{b}")
    return _t(lang, "全学期", "the whole term")


def unplaced(d: Demand, counts: dict[str, int], agreement: Agreement) -> str:
    """Why a demand found no day: the span looked at and what ruled out its days."""
    lang = agreement.agreement.language
    parts = [
        _t(lang, f"{_RULED_OUT_LABELS[k][0]}{n}天", f"{_RULED_OUT_LABELS[k][1]}: {n} days")
        for k, n in counts.items()
    ]
    if d.form == "festival":
        name = definition(d.festival or "", agreement.festivals).name(lang)
        where = _t(
            lang,
            f"{name}（{_md(d.target)}）前后{d.commitment.repeat.max_shift_days}天",
            f"{name} ({_md(d.target)}) ± {d.commitment.repeat.max_shift_days} days",
        )
    else:
        where = _span(d, lang)
    detail = _t(lang, "，".join(parts), ", ".join(parts)) or _t(lang, "没有日期", "no days")
    return _t(lang, f"{where}内没有可用日：{detail}", f"no usable day in {where}: {detail}")


def _blocked_ranges(d: Demand, calendar: SchoolCalendar, lang: str) -> list[str]:
    """Named holidays and closures inside the demand's span, as "10-01至10-07国庆节放假"."""
    runs: list[tuple[str, dt.date, dt.date]] = []
    for day in d.domain:
        info = calendar.day(day)
        name = None
        if info.official == "off" and info.holiday:
            name = _t(lang, f"{info.holiday}放假", f"{english_name(info.holiday or '')} holiday")
        elif info.closures:
            name = info.closures[0]
        elif d.commitment.brigade and info.brigade_busy and info.school_day:
            name = _t(lang, f"支队{info.brigade_busy[0]}", f"brigade: {info.brigade_busy[0]}")
        if name is None:
            continue
        if runs and runs[-1][0] == name and (day - runs[-1][2]).days <= 3:
            runs[-1] = (name, runs[-1][1], day)
        else:
            runs.append((name, day, day))
    out = []
    for name, a, b in runs[:3]:
        span = _md(a) if a == b else _t(lang, f"{_md(a)}至{_md(b)}", f"{_md(a)}–{_md(b)}")
        out.append(_t(lang, f"{span}{name}不可用", f"{span} {name} unavailable"))
    return out


def chosen(
    d: Demand,
    day: dt.date,
    prefs: Sequence[dt.date],
    calendar: SchoolCalendar,
    agreement: Agreement,
) -> str:
    """Why the strategy chose ``day`` for ``d`` (prefs: its candidates, best first)."""
    lang = agreement.agreement.language
    head = _prefix(day, calendar, lang)
    if d.form == "festival":
        return head + _festival_reason(d, day, calendar, agreement)
    k, n = d.rank
    span = _span(d, lang)
    if n == 1:
        main = _t(lang, f"{span}可用日的中点", f"the middle of the usable days in {span}")
    else:
        main = _t(
            lang,
            f"{span}内第{k}/{n}次，均匀分布",
            f"occurrence {k} of {n}, spread evenly over {span}",
        )
    if prefs and day != prefs[0]:
        main += _t(
            lang,
            f"（{_md(prefs[0])}已有其他活动，取最近的空闲日）",
            f" ({_md(prefs[0])} was taken by another activity; nearest free day)",
        )
    blocked = _blocked_ranges(d, calendar, lang)
    return head + _t(lang, "；", "; ").join([main, *blocked])


def _festival_reason(
    d: Demand, day: dt.date, calendar: SchoolCalendar, agreement: Agreement
) -> str:
    lang = agreement.agreement.language
    name = definition(d.festival or "", agreement.festivals).name(lang)
    if day == d.target:
        return _t(lang, f"{name}当天", f"on {name}")
    info = calendar.day(d.target)
    if info.official == "off":
        same = info.holiday == definition(d.festival or "", agreement.festivals).name_zh
        holiday = "" if same else (info.holiday or "")
        cause = _t(lang, f"{holiday}放假", f"in the {english_name(info.holiday or '')} holiday")
    elif info.term is None:
        cause = _t(lang, "不在学期内", "outside the term")
    elif info.closures:
        cause = _t(lang, info.closures[0], f"closed ({info.closures[0]})")
    elif not info.school_day:
        cause = _t(lang, f"是{weekday(d.target, lang)}", f"a {weekday(d.target, lang)}")
    else:
        cause = _t(lang, "支队不可用", "a day the brigade is unavailable")
    direction = {
        "before": _t(lang, "提前到之前最近的可用上学日", "the latest usable school day before"),
        "after": _t(lang, "顺延到之后最近的可用上学日", "the next usable school day after"),
        "nearest": _t(lang, "改到最近的可用上学日", "the nearest usable school day"),
    }.get(d.commitment.repeat.placement, "")
    return _t(
        lang,
        f"{name}（{_md(d.target)}）{cause}，{direction}",
        f"{name} ({_md(d.target)}) is {cause}; {direction}",
    )


def fixed(d: Demand, calendar: SchoolCalendar, agreement: Agreement) -> str:
    """Reason for a date given by the agreement (once, or a festival kept exactly)."""
    lang = agreement.agreement.language
    head = _prefix(d.target, calendar, lang)
    if d.form == "festival":
        name = definition(d.festival or "", agreement.festivals).name(lang)
        return head + _t(lang, f"{name}当天（按约定保留原日期）", f"on {name} (kept exactly)")
    return head + _t(lang, "协议约定的日期", "the date set in the agreement")


def moved(day: dt.date, lang: str) -> str:
    """Reason for a date moved by a record."""
    return _t(lang, f"按记录改期至{_md(day)}", f"moved to {_md(day)} as recorded")


def fixed_clash(day: dt.date, others: Sequence[str], lang: str) -> str:
    """Notice for a fixed date that breaks max_per_day or min_gap_days with other fixed dates."""
    ids = ", ".join(others)
    return _t(
        lang,
        f"{day}与已定日期的活动（{ids}）冲突：超过每日上限或间隔不足；请调整其中一项",
        f"{day} clashes with activities whose dates are also fixed ({ids}): over max_per_day "
        "or closer than min_gap_days; change one of them",
    )


def held_impossible(
    day: dt.date, d: Demand, calendar: SchoolCalendar, board: Board, lang: str
) -> str:
    """Notice for a published date that can no longer hold."""
    info = calendar.day(day)
    if info.closures:
        cause = info.closures[0]
    elif info.official == "off":
        cause = _t(lang, f"{info.holiday}放假", f"{english_name(info.holiday or '')} holiday")
    elif info.term is None:
        cause = _t(lang, "不在学期内", "outside every term")
    elif d.commitment.brigade and info.brigade_busy:
        cause = _t(lang, f"支队{info.brigade_busy[0]}", f"brigade: {info.brigade_busy[0]}")
    elif board.blockers(day):
        cause = _t(lang, "当天已安排其他活动", "another activity holds that day")
    else:
        cause = _t(lang, "不再符合安排规则", "no longer fits the rules")
    return _t(
        lang,
        f"已发布的日期{day}不再可用（{cause}），已建议新日期；请用 record --move 确认",
        f"published date {day} is no longer possible ({cause}); a new date is proposed — "
        "confirm it with record --move",
    )


def lead_up_day(
    day: dt.date, days_before: int, calendar: SchoolCalendar, lang: str
) -> tuple[dt.date, str]:
    """The day of a lead-up session: ``days_before`` earlier, or the nearest earlier school day."""
    target = day - dt.timedelta(days=days_before)
    probe = target
    for _ in range(62):
        info = calendar.day(probe)
        if info.school_day and not info.closures:
            break
        probe -= dt.timedelta(days=1)
    else:
        probe = target
    head = _prefix(probe, calendar, lang)
    if probe == target:
        return probe, head + _t(
            lang, f"活动前{days_before}天", f"{days_before} days before the activity"
        )
    return probe, head + _t(
        lang,
        f"活动前{days_before}天（{_md(target)}）不上课，提前到之前最近的上学日",
        f"{days_before} days before ({_md(target)}) is not a school day; the school day before",
    )
