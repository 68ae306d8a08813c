"""Why this date: each reason is a list of claims, checkable facts about the calendar and
the plan, and its text is rendered from those claims only (in the agreement's language).

A claim never names a rule that did not act: the days it covers are the days the
decision passed over (those nearer the ideal than the chosen day, on the side that
was searched), each with the first rule that ruled it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from partnership.demands import Demand, unusable
from partnership.festivals import definition
from partnership.holidays import english_name
from partnership.i18n import WEEKDAY_KEYS, label, week, weekday
from partnership.i18n import pick as _t
from partnership.model import Agreement
from partnership.schoolcalendar import DayInfo, SchoolCalendar

if TYPE_CHECKING:
    from partnership.placement import Board

# rules that rule a day out, in the order they are tested
RULED_OUT: tuple[str, ...] = (
    "outside-agreement",
    "outside-term",
    "other-term",  # lead-up sessions: a day outside the activity's own term
    "holiday",
    "weekend",
    "not-school-day",
    "weekday",
    "closure",
    "brigade",
    "not-before",  # lead-up sessions: not strictly before the activity
    "full",
    "gap",
)
# at most this many runs of ruled-out days are named; the rest are counted
SHOWN_RUNS = 3
# reasons kept for reasons that say the same again (a district's schools often do)
REASONS_KEPT = 16384
_KEPT: dict[tuple[object, ...], Reason] = {}  # see _reason


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a reason.

    ``rule`` is a RULED_OUT key (``start``..``end`` is a run of days that rule ruled out;
    ``name`` the holiday, closure or brigade period; ``others`` the occurrences that hold
    or crowd the days; ``parts`` the kinds of day off with their counts, or the gap) or
    one of: "span" (the days looked at: name term|window|month), "ideal" (the preferred
    day; parts k, n, usable), "festival" (name: its key), "search" (from the target
    ``start`` to the chosen ``end``; name before|after|nearest), "agreement-date",
    "kept-exact", "moved", "published" (a held date kept though ``start`` was free),
    "joint" (``start`` free at the school, left by the brigade's joint plan: district mode),
    "lead-up" (``start`` = activity day − days_before, ``end`` = activity day),
    "left-term" (name: the activity's term), "more" (parts: runs, days not named),
    "count" (unplaced: name = rule, parts days).
    """

    rule: str
    start: dt.date
    end: dt.date
    name: str = ""
    others: tuple[str, ...] = ()
    parts: tuple[tuple[str, int], ...] = ()

    @property
    def days(self) -> int:
        """How many days the claim covers."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Reason:
    """A reason: its claims and the text rendered from them."""

    text: str
    claims: tuple[Claim, ...]


# --------------------------------------------------------------------------- rules per day


def day_rule(
    info: DayInfo, d: Demand, agreement: Agreement, board: Board | None, oid: str
) -> Claim | None:
    """The claim of the first rule that keeps main occurrence ``oid`` off a day, or None."""
    day = info.date
    period = agreement.agreement
    if not period.start <= day <= period.end:
        return Claim("outside-agreement", day, day)
    c = d.commitment
    rule = unusable(info, agreement.weekdays_for(c), c, strict=d.strict)
    if rule is not None:
        return _fact(rule, info, agreement.weekdays_for(c))
    if board is None:
        return None
    found = [(k, o) for k, o in board.blockers(day) if o != oid]
    full = tuple(sorted({o for k, o in found if k == "full"}))
    if full:
        return Claim("full", day, day, others=full)
    gap = tuple(sorted({o for k, o in found if k == "gap"}))
    if gap:
        return Claim("gap", day, day, others=gap, parts=(("gap", board.min_gap_days),))
    return None


def _fact(rule: str, info: DayInfo, weekdays: Sequence[int] = ()) -> Claim:
    """The claim of ``rule`` on one day, with the name that makes it checkable."""
    day = info.date
    if rule == "holiday":
        return Claim(rule, day, day, info.holiday or "", parts=((info.day_off or "statutory", 1),))
    if rule == "closure":
        return Claim(rule, day, day, info.closures[0])
    if rule == "brigade":
        return Claim(rule, day, day, info.brigade_busy[0])
    if rule == "weekday":
        return Claim(rule, day, day, ",".join(WEEKDAY_KEYS[w] for w in weekdays))
    return Claim(rule, day, day)


def lead_up_rule(
    info: DayInfo, agreement: Agreement, activity: dt.date, term: str | None, brigade: bool
) -> Claim | None:
    """The first rule that keeps a lead-up session off a day (``term``: the only term it
    may use, None for any), or None when the day can hold it."""
    day = info.date
    period = agreement.agreement
    if not period.start <= day <= period.end:
        return Claim("outside-agreement", day, day)
    if info.term is None:
        return Claim("outside-term", day, day)
    if term is not None and info.term != term:
        return Claim("other-term", day, day, info.term)
    if info.official == "off":
        return _fact("holiday", info)
    if not info.school_day:
        return Claim("weekend" if day.weekday() >= 5 else "not-school-day", day, day)
    if info.closures:
        return _fact("closure", info)
    if brigade and info.brigade_busy:
        return _fact("brigade", info)
    if day >= activity:
        return Claim("not-before", day, day)
    return None


def facts(info: DayInfo, d: Demand, agreement: Agreement) -> list[Claim]:
    """Every rule a date given by the admin breaks (all of them, not only the first)."""
    c = d.commitment
    found: list[Claim] = []
    period = agreement.agreement
    if not period.start <= info.date <= period.end:
        found.append(Claim("outside-agreement", info.date, info.date))
    if info.term is None:
        found.append(Claim("outside-term", info.date, info.date))
    if info.official == "off":
        found.append(_fact("holiday", info))
    elif not info.school_day and info.term is not None:
        found.append(_fact("weekend" if info.date.weekday() >= 5 else "not-school-day", info))
    if info.closures:
        found.append(_fact("closure", info))
    if c.brigade and info.brigade_busy:
        found.append(_fact("brigade", info))
    return found


def nearer(chosen: dt.date, target: dt.date, side: str) -> Iterable[dt.date]:
    """The days a search from ``target`` looked at before it reached ``chosen``.

    ``side``: "before" (target down to chosen), "after" (up), "nearest" (ties: earlier).
    """
    if side == "before":
        return (target - dt.timedelta(days=i) for i in range((target - chosen).days))
    if side == "after":
        return (target + dt.timedelta(days=i) for i in range((chosen - target).days))
    gap = abs((chosen - target).days)
    out = []
    for i in range(gap + 1):
        for x in (target - dt.timedelta(days=i), target + dt.timedelta(days=i)):
            if (abs((x - target).days), x) < (gap, chosen) and x not in out:
                out.append(x)
    return sorted(out)


def runs(claims: Iterable[Claim]) -> list[Claim]:
    """Day claims merged into runs: consecutive days with the same rule, name and others."""
    out: list[Claim] = []
    for c in sorted(claims, key=lambda c: c.start):
        last = out[-1] if out else None
        if (
            last is not None
            and (last.rule, last.name, last.others) == (c.rule, c.name, c.others)
            and (c.start - last.end).days == 1
            and (c.rule != "gap" or last.parts == c.parts)
        ):
            parts = last.parts if c.rule == "gap" else _add(last.parts, c.parts)
            out[-1] = Claim(c.rule, last.start, c.end, c.name, c.others, parts)
        else:
            out.append(c)
    return out


def _add(
    a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]
) -> tuple[tuple[str, int], ...]:
    merged = dict(a)
    for k, n in b:
        merged[k] = merged.get(k, 0) + n
    return tuple(sorted(merged.items(), key=lambda kv: _DAY_OFF_ORDER.index(kv[0])))


_DAY_OFF_ORDER = ("statutory", "in-lieu", "weekend")


def shown(day_runs: list[Claim]) -> list[Claim]:
    """The longest SHOWN_RUNS runs in date order, then a "more" claim counting the rest."""
    if len(day_runs) <= SHOWN_RUNS:
        return day_runs
    ranked = sorted(day_runs, key=lambda c: (-c.days, c.start))
    keep = sorted(ranked[:SHOWN_RUNS], key=lambda c: c.start)
    rest = ranked[SHOWN_RUNS:]
    first = min(c.start for c in rest)
    last = max(c.end for c in rest)
    more = Claim(
        "more", first, last, parts=(("runs", len(rest)), ("days", sum(c.days for c in rest)))
    )
    return [*keep, more]


# --------------------------------------------------------------------------- the reasons


def chosen(
    d: Demand,
    day: dt.date,
    prefs: Sequence[dt.date],
    calendar: SchoolCalendar,
    agreement: Agreement,
    board: Board | None,
    free: str,
) -> Reason:
    """Why ``day`` holds ``d``: its ideal (or festival and search side), and what ruled out
    every day the search passed over (``board``: the final one, for days taken; ``free``:
    the claim for a day no rule of the school's took, "published" for a held date, "joint"
    for a date the brigade's joint plan chose)."""
    c = d.commitment
    claims: list[Claim] = []
    if d.form == "festival":
        side = c.repeat.placement if c.repeat.placement in ("before", "after") else "nearest"
        claims.append(Claim("festival", d.target, d.target, d.festival or ""))
        target = d.target
        if day != target:
            claims.append(Claim("search", target, day, side))
    else:
        side = "nearest"
        claims.append(_span_claim(d))
        k, n = d.rank
        target = _ideal(prefs, d.rank) if prefs else day
        claims.append(
            Claim("ideal", target, target, parts=(("k", k), ("n", n), ("usable", len(prefs))))
        )
    passed: list[Claim] = []
    for x in nearer(day, target, side):
        rule = day_rule(calendar.day(x), d, agreement, board, d.id)
        passed.append(rule if rule is not None else Claim(free, x, x))
    claims.extend(shown(runs(passed)))
    return _reason(claims, day, calendar, agreement)


def _ideal(prefs: Sequence[dt.date], rank: tuple[int, int]) -> dt.date:
    days = sorted(prefs)
    k, n = rank
    return days[min(len(days) - 1, (2 * k - 1) * len(days) // (2 * n))]


def _span_claim(d: Demand) -> Claim:
    first, last = (d.domain[0], d.domain[-1]) if d.domain else (d.target, d.target)
    c = d.commitment
    if d.form == "month":
        return Claim("span", first, last, "month")
    if c.window is not None:
        a, b = c.window.weeks
        return Claim("span", first, last, "window", parts=(("from", a), ("to", b)))
    return Claim("span", first, last, "term")


def given(d: Demand, calendar: SchoolCalendar, agreement: Agreement) -> Reason:
    """A date the agreement gives (once, or a festival kept exactly), and what it breaks."""
    rule = "kept-exact" if d.form == "festival" else "agreement-date"
    claims = [Claim(rule, d.target, d.target, d.festival or "")]
    claims.extend(facts(calendar.day(d.target), d, agreement))
    return _reason(claims, d.target, calendar, agreement)


def moved(
    day: dt.date, calendar: SchoolCalendar, agreement: Agreement, d: Demand | None = None
) -> Reason:
    """A date moved by a record, and (for a main occurrence) what the new day breaks."""
    claims = [Claim("moved", day, day)]
    if d is not None:
        claims.extend(facts(calendar.day(day), d, agreement))
    return _reason(claims, day, calendar, agreement)


def lead_up(
    day: dt.date,
    activity: dt.date,
    days_before: int,
    passed: Sequence[Claim],
    left: str | None,
    calendar: SchoolCalendar,
    agreement: Agreement,
) -> Reason:
    """A lead-up session's day: its target, the days passed over, and a term it had to leave."""
    target = activity - dt.timedelta(days=days_before)
    claims = [Claim("lead-up", target, activity, parts=(("days_before", days_before),))]
    if left is not None:
        claims.append(Claim("left-term", day, day, left))
    if day != target:
        claims.append(Claim("search", target, day, "nearest"))
    claims.extend(shown(runs(passed)))
    return _reason(claims, day, calendar, agreement)


def unplaced(d: Demand, counts: dict[str, int], agreement: Agreement) -> Reason:
    """Why a demand found no day: the span looked at, the side searched, the rule counts."""
    c = d.commitment
    claims: list[Claim] = []
    if d.form == "festival":
        claims.append(Claim("festival", d.target, d.target, d.festival or ""))
        first, last = (d.domain[0], d.domain[-1]) if d.domain else (d.target, d.target)
        claims.append(
            Claim(
                "search",
                first,
                last,
                c.repeat.placement,
                parts=(("days", c.repeat.max_shift_days),),
            )
        )
    else:
        claims.append(_span_claim(d))
    claims.extend(
        Claim("count", d.target, d.target, k, parts=(("days", n),)) for k, n in counts.items()
    )
    lang = agreement.agreement.language
    return Reason(_render_unplaced(claims, agreement, lang), tuple(claims))


def lead_up_unplaced(
    activity: dt.date, days_before: int, counts: dict[str, int], lang: str
) -> Reason:
    """Why a lead-up session found no usable day before its activity."""
    target = activity - dt.timedelta(days=days_before)
    claims = [Claim("lead-up", target, activity, parts=(("days_before", days_before),))]
    claims.extend(
        Claim("count", target, target, k, parts=(("days", n),)) for k, n in counts.items()
    )
    detail = _counts_text([c for c in claims if c.rule == "count"], lang)
    text = _t(
        lang,
        f"活动（{_md(activity)}）之前没有可用的上学日：{detail}",
        f"no usable school day before the activity ({_md(activity)}): {detail}",
    )
    return Reason(text, tuple(claims))


# --------------------------------------------------------------------------- rendering


def _n_days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _md(day: dt.date) -> str:
    return f"{day.month:02d}-{day.day:02d}"  # as f"{day:%m-%d}", without strftime


def _span(a: dt.date, b: dt.date, lang: str) -> str:
    return _md(a) if a == b else _t(lang, f"{_md(a)}至{_md(b)}", f"{_md(a)}–{_md(b)}")


def _prefix(day: dt.date, week_no: int | None, lang: str) -> str:
    """The day's term week and weekday (``week_no`` None: the day is outside every term)."""
    wd = weekday(day, lang)
    if week_no is None:
        return _t(lang, f"{_md(day)}{wd}（学期外）：", f"{wd} {_md(day)} (outside terms): ")
    return _t(lang, f"{week(week_no, lang)}{wd}：", f"{week(week_no, lang)}, {wd}: ")


_DAY_OFF: dict[str, tuple[str, str]] = {
    "statutory": ("法定假日", "statutory holiday"),
    "in-lieu": ("调休休息日", "调休 rest day"),
    "weekend": ("周末", "weekend"),
}


def _holiday_text(c: Claim, lang: str) -> str:
    name = c.name if lang != "en" else english_name(c.name)
    if c.days == 1:
        kinds = _t(lang, _DAY_OFF[c.parts[0][0]][0], _DAY_OFF[c.parts[0][0]][1])
    else:
        kinds = _t(lang, "、", ", ").join(
            _t(lang, f"{_DAY_OFF[k][0]}{n}天", f"{n} {_DAY_OFF[k][1]}{'s' if n > 1 else ''}")
            for k, n in c.parts
        )
    return _t(lang, f"{name}放假（{kinds}）", f"{name} holiday ({kinds})")


def _ids(c: Claim) -> str:
    return ", ".join(c.others)


def _day_text(c: Claim, lang: str) -> str:
    """One run of ruled-out days, in words."""
    span = _span(c.start, c.end, lang)
    n = c.days
    r = c.rule
    if r == "holiday":
        return _t(lang, f"{span}{_holiday_text(c, lang)}", f"{span} {_holiday_text(c, lang)}")
    if r == "gap":
        g = dict(c.parts)["gap"]
        return _t(
            lang,
            f"{span}因与{_ids(c)}须间隔{g}天而排除（{n}天）",
            f"{span}: {n} day{'s' if n > 1 else ''} ruled out by the {g}-day gap to {_ids(c)}",
        )
    if r == "weekday":
        names = _t(lang, "、", ", ").join(label(w, lang) for w in c.name.split(","))
        return _t(
            lang,
            f"{span}不是本活动的星期（{names}）",
            f"{span} not one of the commitment's weekdays ({names})",
        )
    if r == "other-term":
        return _t(lang, f"{span}不在活动所在学期", f"{span} not in the activity's term")
    if r == "more":
        p = dict(c.parts)
        return _t(
            lang,
            f"等另{p['runs']}段（{p['days']}天）",
            f"and {p['runs']} more range{'s' if p['runs'] > 1 else ''} ({_n_days(p['days'])})",
        )
    zh, en = {
        "outside-agreement": ("不在协议期内", "outside the agreement period"),
        "outside-term": ("不在学期内", "outside every term"),
        "weekend": ("周末", "weekend"),
        "not-school-day": ("不是上课日", "not a school weekday"),
        "closure": (f"停课（{c.name}）", f"closed ({c.name})"),
        "brigade": (f"支队不可用（{c.name}）", f"brigade unavailable ({c.name})"),
        "not-before": ("不在活动之前", "not before the activity"),
        "full": (f"已有其他活动（{_ids(c)}）", f"taken by another activity ({_ids(c)})"),
        "published": ("空闲，但保留已发布的日期", "free, but the published date is kept"),
        "joint": ("本校空闲，支队统筹未用", "free at the school, left by the brigade's joint plan"),
    }[r]
    return _t(lang, f"{span}{zh}", f"{span} {en}")


def _lead_text(c: Claim, lang: str, names: Mapping[str, str]) -> str:
    """What a reason starts from: the span looked at, or the festival (``names``: the
    festivals' names in ``lang``)."""
    r = c.rule
    if r == "span":
        if c.name == "month":
            return _t(lang, f"{c.start.year}年{c.start.month}月", f"{c.start:%Y-%m}")
        if c.name == "window":
            p = dict(c.parts)
            return _t(lang, f"窗口第{p['from']}–{p['to']}周", f"window weeks {p['from']}–{p['to']}")
        return _t(lang, "全学期", "the whole term")
    if r == "festival":
        return names[c.name]
    raise AssertionError(r)


def _festival_names(
    claims: Iterable[Claim], agreement: Agreement, lang: str
) -> tuple[tuple[str, str], ...]:
    """The names in ``lang`` of the festivals the claims name (the agreement may define its
    own festivals)."""
    keys = dict.fromkeys(c.name for c in claims if c.rule in ("festival", "kept-exact"))
    return tuple((k, definition(k, agreement.festivals).name(lang)) for k in keys)


def _reason(
    claims: list[Claim], day: dt.date, calendar: SchoolCalendar, agreement: Agreement
) -> Reason:
    """The reason of these claims on ``day``; one that says the same as a reason before
    it is that reason, text and claims (most schools of a district share their terms and
    rules: their plans then share these objects, also when sent between processes)."""
    lang = agreement.agreement.language
    info = calendar.day(day)
    week_no = None if info.term is None else (info.week or 0)
    kept = tuple(claims)
    names = _festival_names(kept, agreement, lang)
    key = (kept, day, week_no, lang, names)
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= REASONS_KEPT:
            _KEPT.clear()
        found = _KEPT[key] = Reason(_text(kept, day, week_no, lang, names), kept)
    return found


def _text(
    claims: tuple[Claim, ...],
    day: dt.date,
    week_no: int | None,
    lang: str,
    names: tuple[tuple[str, str], ...],
) -> str:
    """A reason's text: a function of these alone (``week_no`` None: outside every term;
    ``names``: the festivals' names in ``lang``)."""
    sep = _t(lang, "；", "; ")
    return _prefix(day, week_no, lang) + sep.join(_sentences(claims, day, lang, dict(names)))


def _sentences(
    claims: Sequence[Claim], day: dt.date, lang: str, names: Mapping[str, str]
) -> Iterable[str]:
    by = {c.rule: c for c in claims}
    passed = [c for c in claims if c.rule in RULED_OUT or c.rule in ("more", "published", "joint")]
    comma = _t(lang, "，", ", ")
    if "ideal" in by:
        ideal = by["ideal"]
        p = dict(ideal.parts)
        span = _lead_text(by["span"], lang, names)
        if p["n"] == 1:
            yield _t(
                lang,
                f"{span}{p['usable']}个可用日的中点（{_md(ideal.start)}）",
                f"the middle ({_md(ideal.start)}) of the {p['usable']} usable days in {span}",
            )
        else:
            yield _t(
                lang,
                f"{span}内第{p['k']}/{p['n']}次，均匀分布（理想日{_md(ideal.start)}）",
                f"occurrence {p['k']} of {p['n']}, spread evenly over {span} "
                f"(ideal day {_md(ideal.start)})",
            )
        if passed:
            yield (
                _t(lang, "更近的日期：", "nearer days: ")
                + comma.join(_day_text(c, lang) for c in passed)
                + _t(lang, "；取最近的可用日", "; the nearest usable day")
            )
    elif "festival" in by:
        f = by["festival"]
        name = _lead_text(f, lang, names)
        if "search" not in by:
            yield _t(lang, f"{name}当天", f"on {name}")
        else:
            s = by["search"]
            n = abs((s.end - s.start).days)
            back = s.end < s.start
            move = {
                "before": (
                    f"向前找最近的可用日，提前{n}天",
                    f"searched back: {_n_days(n)} earlier",
                ),
                "after": (
                    f"向后找最近的可用日，推迟{n}天",
                    f"searched forward: {_n_days(n)} later",
                ),
                "nearest": (
                    f"找前后最近的可用日，{'提前' if back else '推迟'}{n}天",
                    f"the nearest usable day: {_n_days(n)} {'earlier' if back else 'later'}",
                ),
            }[s.name]
            yield _t(
                lang, f"{name}（{_md(f.start)}）{move[0]}", f"{name} ({_md(f.start)}): {move[1]}"
            )
            if passed:
                yield comma.join(_day_text(c, lang) for c in passed)
    elif "lead-up" in by:
        lu = by["lead-up"]
        n = dict(lu.parts)["days_before"]
        if day == lu.start:
            yield _t(
                lang,
                f"活动（{_md(lu.end)}）前{n}天",
                f"{_n_days(n)} before the activity ({_md(lu.end)})",
            )
        else:
            k = abs((day - lu.start).days)
            way = _t(
                lang, "提前" if day < lu.start else "推迟", "earlier" if day < lu.start else "later"
            )
            yield _t(
                lang,
                f"活动（{_md(lu.end)}）前{n}天为{_md(lu.start)}，取最近的可用日（{way}{k}天）",
                f"{_n_days(n)} before the activity ({_md(lu.end)}) is {_md(lu.start)}; the "
                f"nearest usable day ({_n_days(k)} {way})",
            )
        if "left-term" in by:
            yield _t(
                lang,
                f"活动所在学期（{by['left-term'].name}）在活动前没有可用日，排在更早的学期",
                f"the activity's term ({by['left-term'].name}) has no usable day before it; "
                "placed in an earlier term",
            )
        if passed:
            yield comma.join(_day_text(c, lang) for c in passed)
    else:
        if "agreement-date" in by:
            yield _t(lang, "协议约定的日期", "the date set in the agreement")
        elif "kept-exact" in by:
            name = names[by["kept-exact"].name]
            yield _t(lang, f"{name}当天（按约定保留原日期）", f"on {name} (kept exactly)")
        else:
            yield _t(lang, f"按记录改期至{_md(day)}", f"moved to {_md(day)} as recorded")
        if passed:
            yield (
                _t(lang, "注意：", "note: ")
                + comma.join(_day_text(c, lang) for c in passed)
                + _t(lang, "（仍按要求保留）", " (kept as asked)")
            )


def _counts_text(counts: Sequence[Claim], lang: str) -> str:
    parts = [
        _t(
            lang,
            f"{_COUNT_LABELS[c.name][0]}{dict(c.parts)['days']}天",
            f"{_COUNT_LABELS[c.name][1]}: {_n_days(dict(c.parts)['days'])}",
        )
        for c in counts
    ]
    return _t(lang, "，".join(parts), ", ".join(parts)) or _t(lang, "没有日期", "no days")


_COUNT_LABELS: dict[str, tuple[str, str]] = {
    "outside-agreement": ("不在协议期内", "outside the agreement period"),
    "outside-term": ("不在学期内", "outside the term"),
    "other-term": ("不在活动所在学期", "not in the activity's term"),
    "holiday": ("放假", "official day off"),
    "weekend": ("周末", "weekend"),
    "not-school-day": ("非上课日", "not a school weekday"),
    "weekday": ("非本活动星期", "not one of the commitment's weekdays"),
    "closure": ("停课/考试", "closure"),
    "brigade": ("支队不可用", "brigade unavailable"),
    "not-before": ("不在活动之前", "not before the activity"),
    "full": ("已有其他活动", "taken by another activity"),
    "gap": ("因最小间隔排除", "ruled out by min_gap_days"),
}


def _render_unplaced(claims: list[Claim], agreement: Agreement, lang: str) -> str:
    by = {c.rule: c for c in claims}
    names = dict(_festival_names(claims, agreement, lang))
    detail = _counts_text([c for c in claims if c.rule == "count"], lang)
    if "festival" in by:
        name = _lead_text(by["festival"], lang, names)
        s = by["search"]
        n = dict(s.parts)["days"]
        md = _md(by["festival"].start)
        if n == 0 or s.name in ("skip", "exact"):  # the festival's own day, dated already
            where_text = _t(lang, f"{name}（{md}）当天", f"{name} ({md}) itself")
        else:
            where = {
                "before": (
                    f"{name}（{md}）及之前{n}天",
                    f"{name} ({md}) and the {_n_days(n)} before",
                ),
                "after": (
                    f"{name}（{md}）及之后{n}天",
                    f"{name} ({md}) and the {_n_days(n)} after",
                ),
                "nearest": (f"{name}（{md}）前后{n}天", f"{name} ({md}) ± {_n_days(n)}"),
            }[s.name]
            span = _span(s.start, s.end, lang)
            where_text = _t(lang, f"{where[0]}（{span}）", f"{where[1]} ({span})")
    else:
        where_text = _lead_text(by["span"], lang, names)
    return _t(
        lang, f"{where_text}内没有可用日：{detail}", f"no usable day in {where_text}: {detail}"
    )


# --------------------------------------------------------------------------- counts and notices


def ruled_out(
    d: Demand, calendar: SchoolCalendar, agreement: Agreement, board: Board
) -> dict[str, int]:
    """How many days of the demand's domain each rule ruled out (keys in RULED_OUT order)."""
    counts = dict.fromkeys(RULED_OUT, 0)
    for day in d.domain:
        claim = day_rule(calendar.day(day), d, agreement, board, d.id)
        if claim is not None:
            counts[claim.rule] += 1
    return {k: v for k, v in counts.items() if v}


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
    day: dt.date, d: Demand, calendar: SchoolCalendar, agreement: Agreement, board: Board
) -> str:
    """Notice for a published date that can no longer hold, with the rule that now acts."""
    lang = agreement.agreement.language
    claim = day_rule(calendar.day(day), d, agreement, board, d.id)
    cause = (
        _day_text(claim, lang)
        if claim is not None
        else _t(lang, "不再是首选的可用日", "no longer a usable day")
    )
    return _t(
        lang,
        f"已发布的日期{day}不再可用（{cause}），已建议新日期；请用 record --move 确认",
        f"published date {day} is no longer possible ({cause}); a new date is proposed — "
        "confirm it with record --move",
    )


def awaiting(day: dt.date, lang: str) -> str:
    """Notice for a proposed date that was published but not yet confirmed."""
    return _t(
        lang,
        f"建议的新日期{day}已发布，尚未确认；请用 record --move {day} 确认",
        f"the proposed date {day} was published but is not confirmed yet — confirm it with "
        f"record --move {day}",
    )


def given_notice(day: dt.date, claims: Sequence[Claim], agreement: Agreement, moved: bool) -> str:
    """Notice for a date the admin gave (agreement or records) that is no ordinary school day."""
    lang = agreement.agreement.language
    what = _t(lang, "，", ", ").join(_day_text(c, lang) for c in claims)
    if moved:
        return _t(
            lang,
            f"记录文件把活动改到{day}：{what}；已按记录保留",
            f"the records file moves it to {day}: {what}; kept as recorded",
        )
    return _t(
        lang,
        f"协议约定的日期{day}：{what}；已按协议保留",
        f"the agreement's date {day}: {what}; kept as the agreement says",
    )


def left_term_notice(day: dt.date, term: str, lang: str) -> str:
    """Notice for a lead-up session that had to leave its activity's term."""
    return _t(
        lang,
        f"筹备活动排在{day}，不在活动所在学期（{term}）：该学期在活动前没有可用日",
        f"the preparation session is on {day}, outside the activity's term ({term}): that term "
        "has no usable day before the activity",
    )


PassedRule = Callable[[dt.date], Claim | None]


def passed_over(days: Iterable[dt.date], rule: PassedRule) -> list[Claim]:
    """The claims of the days a search passed over (each ruled out by ``rule``)."""
    return [c for c in map(rule, days) if c is not None]
