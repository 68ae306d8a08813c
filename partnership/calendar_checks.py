"""Calendar facts an agreement file should not get silently: located errors and warnings.

Errors (``dst_findings``): a time that does not exist, or exists twice, on a day of the
agreement in its time zone (a daylight-saving gap or overlap) — refused at its key, so
no .ics ever holds a 0-minute or ambiguous event. The check covers every day of the
agreement period that has a clock change, whatever its weekday: the activity or a
recorded move could land there.

Warnings (``warnings``): things the admin asked for that are kept but deserve a word —
a ``once`` date on an official day off, a notice ``workdays`` entry on a Monday–Friday
(a make-up workday is a weekend day; a weekday is a working day already), a custom
festival on 02-29 in an agreement period without one.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import TYPE_CHECKING

from partnership.messages import t

if TYPE_CHECKING:
    from partnership.model import Agreement, Path, TimeRange
    from partnership.schoolcalendar import SchoolCalendar

Finding = tuple["Path", str]


def _clock_changes(zone: zoneinfo.ZoneInfo, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days between ``start`` and ``end`` on which the zone's UTC offset changes."""
    years = range(start.year, end.year + 1)
    return [d for y in years for d in _clock_changes_in(zone, y) if start <= d <= end]


@functools.lru_cache(maxsize=256)
def _clock_changes_in(zone: zoneinfo.ZoneInfo, year: int) -> tuple[dt.date, ...]:
    """Days of ``year`` after which the zone's UTC offset differs (midnight to midnight);
    cached, as the agreements of a build share their zone and years."""
    found = []
    day = dt.date(year, 1, 1)
    before = dt.datetime.combine(day, dt.time(0, 0), zone).utcoffset()
    while day.year == year:
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), zone).utcoffset()
        if after != before:
            found.append(day)
        before, day = after, day + dt.timedelta(days=1)
    return tuple(found)


def wall_time_problem(zone: zoneinfo.ZoneInfo, day: dt.date, time: dt.time) -> str | None:
    """ "gap" when ``time`` does not exist on ``day`` in ``zone``, "overlap" when it exists
    twice, else None."""
    first = dt.datetime.combine(day, time, zone)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(dt.UTC).astimezone(zone)
    return "gap" if back.replace(tzinfo=None) != first.replace(tzinfo=None) else "overlap"


def dst_findings(a: Agreement) -> list[Finding]:
    """Every commitment or lead-up time inside a daylight-saving gap or overlap."""
    zone = zoneinfo.ZoneInfo(a.agreement.timezone)
    changes = _clock_changes(zone, a.agreement.start, a.agreement.end)
    if not changes:
        return []
    found: list[Finding] = []
    for i, c in enumerate(a.commitments):
        days = [c.repeat.once] if c.repeat.once is not None else changes
        spans: list[tuple[Path, TimeRange | None]] = [(("commitments", i, "time"), c.time)]
        spans += [
            (("commitments", i, "lead_up", k, "time"), lu.time) for k, lu in enumerate(c.lead_up)
        ]
        for base, span in spans:
            if span is None:
                continue
            for key, time in (("start", span.start), ("end", span.end)):
                hit = next(
                    ((d, p) for d in days if (p := wall_time_problem(zone, d, time)) is not None),
                    None,
                )
                if hit is not None:
                    day, kind = hit
                    found.append(
                        (
                            (*base, key),
                            t(
                                f"calendar.dst_{kind}",
                                time=f"{time:%H:%M}",
                                day=day.isoformat(),
                                zone=a.agreement.timezone,
                            ),
                        )
                    )
    return found


def warnings(a: Agreement, calendar: SchoolCalendar) -> list[Finding]:
    """Located warnings for what the agreement asks that is kept but surprising."""
    found: list[Finding] = []
    for i, c in enumerate(a.commitments):
        once = c.repeat.once
        if once is not None:
            info = calendar.day(once)
            if info.official == "off":
                found.append(
                    (
                        ("commitments", i, "repeat", "once"),
                        t(
                            "calendar.once_day_off",
                            day=once.isoformat(),
                            holiday=info.holiday or "",
                        ),
                    )
                )
    for i, n in enumerate(a.calendar.notices):
        for j, w in enumerate(n.workdays):
            if w.weekday() < 5:
                found.append(
                    (
                        ("calendar", "notices", i, "workdays", j),
                        t("calendar.notice_weekday", day=w.isoformat()),
                    )
                )
    start, end = a.agreement.start, a.agreement.end
    leap = any(
        start <= dt.date(y, 2, 29) <= end
        for y in range(start.year, end.year + 1)
        if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    )
    for i, f in enumerate(a.festivals):
        if (f.month, f.day, f.lunar) == (2, 29, False) and not leap:
            found.append((("festivals", i, "day"), t("calendar.leap_day", key=f.key)))
    return found
