"""Where the VTIMEZONE block is made: icalendar's, computed once, narrowed for each file.

icalendar's ``Timezone.from_tzid`` searches the zone's transitions hour by hour,
about 30 ms a call whatever the range ("please cache the results", its docs say).
A build writes a dozen files whose blocks differ only in their years, so the
zone is computed once for the agreement's years and each file gets a copy cut
down to its own years: the same STANDARD/DAYLIGHT components icalendar would
make for that range, without searching again. A zone whose offset does not change
in those years (Asia/Shanghai) needs no search at all: its block is the one
component icalendar would find, and is written here line by line without importing
icalendar at all (:func:`vtimezone_bytes`). Every block made here is checked day by
day against the zone itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import TYPE_CHECKING

from partnership.contentline import escaped, serialised, utc_offset

if TYPE_CHECKING:
    from icalendar import Timezone


@functools.lru_cache(maxsize=256)
def vtimezone_bytes(
    tzid: str, first_year: int, last_year: int, *, within: tuple[int, int] | None = None
) -> bytes:
    """:func:`vtimezone`'s block serialised, made once for all the files that use it.

    A zone of one offset all through ``within`` (or the years themselves) is written
    directly: the block icalendar would write for it, with nothing to search.
    """
    outer = _outer(first_year, last_year, within)
    steady = _steady_lines(tzid, first_year, last_year, outer)
    if steady is not None:
        return serialised(steady)
    data: bytes = vtimezone(tzid, first_year, last_year, within=outer).to_ical()
    return data


def _outer(first_year: int, last_year: int, within: tuple[int, int] | None) -> tuple[int, int]:
    """The range worth computing once: ``within`` when it holds the years, else the years."""
    if within is not None and within[0] <= first_year <= last_year <= within[1]:
        return within
    return (first_year, last_year)


def _opening(tzid: str, first_year: int) -> tuple[dt.datetime, dt.datetime, dt.timedelta]:
    """The years' first moment (naive, then in the zone) and the offset in force then."""
    lo = dt.datetime(first_year, 1, 1)
    start = lo.replace(tzinfo=zoneinfo.ZoneInfo(tzid))
    return lo, start, start.utcoffset() or dt.timedelta()


def _steady_lines(
    tzid: str, first_year: int, last_year: int, outer: tuple[int, int]
) -> list[str] | None:
    """The lines of :func:`_block` for the years, where the zone keeps one offset (in whole
    minutes) all through ``outer``; else None."""
    if len(set(_noon_offsets(tzid, *outer))) != 1:
        return None
    lo, start, offset = _opening(tzid, first_year)
    if offset.seconds % 60 or offset.microseconds:
        return None
    kind = "STANDARD" if start.dst() == dt.timedelta() else "DAYLIGHT"
    return [
        "BEGIN:VTIMEZONE",
        "TZID:" + escaped(tzid),
        "COMMENT:" + escaped(_comment(first_year, last_year)),
        "BEGIN:" + kind,
        f"DTSTART:{lo:%Y%m%dT%H%M%S}",
        "TZNAME:" + escaped(start.tzname() or str(offset)),
        "TZOFFSETFROM:" + utc_offset(offset),
        "TZOFFSETTO:" + utc_offset(offset),
        "END:" + kind,
        "END:VTIMEZONE",
    ]


def _comment(first_year: int, last_year: int) -> str:
    """The block's COMMENT: the years it is good for, as icalendar's search says it."""
    lo, hi = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    return f"This timezone only works from {lo} to {hi}."


@functools.lru_cache(maxsize=32)
def _computed(tzid: str, first_year: int, last_year: int) -> Timezone:
    from icalendar import Timezone

    if len(set(_noon_offsets(tzid, first_year, last_year))) == 1:
        # no change of offset in these years (China, India, ...): icalendar's search would
        # find just the offset in force at the start, which is all the block needs
        steady = _block(tzid, first_year, last_year)
        if _agrees(steady, tzid, first_year, last_year):
            return steady
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 1, 1, 1)
    )


def _block(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for the years holding only the offset in force on their first day."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    lo, start, offset = _opening(tzid, first_year)
    tz = Timezone()
    tz.add("TZID", tzid)
    tz.add("COMMENT", _comment(first_year, last_year))
    first = TimezoneStandard() if start.dst() == dt.timedelta() else TimezoneDaylight()
    first.TZOFFSETFROM = offset
    first.TZOFFSETTO = offset
    first.add("TZNAME", start.tzname() or str(offset))
    first.DTSTART = lo
    tz.add_component(first)
    return tz


def vtimezone(
    tzid: str, first_year: int, last_year: int, *, within: tuple[int, int] | None = None
) -> Timezone:
    """The VTIMEZONE for ``tzid`` covering exactly the years ``first_year``..``last_year``.

    ``within`` names a wider range of years worth computing once (the agreement's)
    from which this one is cut; the result is shared, so callers must not change it.
    """
    outer = _outer(first_year, last_year, within)
    if outer == (first_year, last_year):
        return _computed(tzid, first_year, last_year)
    narrowed = _narrowed(tzid, outer, first_year, last_year)
    if _agrees(narrowed, tzid, first_year, last_year):
        return narrowed
    # icalendar's search steps 64 days at a time and can miss a shorter period (e.g.
    # Casablanca's Ramadan hour) in the wide range; then search this range itself
    return _computed(tzid, first_year, last_year)


def _agrees(tz: Timezone, tzid: str, first_year: int, last_year: int) -> bool:
    """True when the block gives the zone's real UTC offset at noon of every day it covers."""
    changes = sorted(
        (when, sub.TZOFFSETTO)
        for sub in tz.subcomponents
        for when in (sub.DTSTART, *(w for w, _ in sub.rdates))
    )
    real = _noon_offsets(tzid, first_year, last_year)
    if len(set(real) | {offset for _, offset in changes}) == 1:
        return True  # one offset all along (Asia/Shanghai), in the block too
    day = dt.datetime(first_year, 1, 1, 12)
    k = 0
    for offset in real:
        while k + 1 < len(changes) and changes[k + 1][0] <= day:
            k += 1
        if offset != changes[k][1]:
            return False
        day += _DAY
    return True


@functools.lru_cache(maxsize=64)
def _noon_offsets(tzid: str, first_year: int, last_year: int) -> tuple[dt.timedelta | None, ...]:
    """The zone's UTC offset at noon of every day of the years, from the zone itself."""
    zone = zoneinfo.ZoneInfo(tzid)
    day = dt.datetime(first_year, 1, 1, 12, tzinfo=zone)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=zone)
    out = []
    while day < end:
        out.append(day.utcoffset())
        day += _DAY
    return tuple(out)


_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=256)
def _narrowed(tzid: str, outer: tuple[int, int], first_year: int, last_year: int) -> Timezone:
    """The ``outer`` block cut down to whole years: the offset at the start, then transitions."""
    from icalendar import TimezoneDaylight, TimezoneStandard

    wide = _computed(tzid, *outer)
    lo = dt.datetime(first_year, 1, 1)
    hi = dt.datetime(last_year + 1, 1, 1)
    tz = _block(tzid, first_year, last_year)
    for sub in wide.subcomponents[1:]:  # [0] is the offset at the wide block's start
        starts = [sub.DTSTART, *(when for when, _ in sub.rdates)]
        kept = sorted(s for s in starts if lo < s < hi)
        if not kept:
            continue
        part = TimezoneStandard() if isinstance(sub, TimezoneStandard) else TimezoneDaylight()
        part.TZOFFSETFROM = sub.TZOFFSETFROM
        part.TZOFFSETTO = sub.TZOFFSETTO
        part.add("TZNAME", sub["TZNAME"])
        part.DTSTART = kept[0]
        if kept[1:]:
            part.add("RDATE", kept[1:])
        tz.add_component(part)
    return tz
