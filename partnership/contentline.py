"""iCalendar content lines written exactly as icalendar writes them (RFC 5545 3.1, 3.3).

TEXT escaping, folding at 75 octets, the date and time lines, durations and UTC
offsets. `build` writes its .ics files with these instead of building icalendar
objects (several times slower) or importing icalendar (≈ 30 ms of every run); tests
compare every form here with icalendar's own, which still writes what these do not
cover (a time zone id that needs quoting, a zone icalendar may take for UTC).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

_NEWLINE = re.compile(r"\r\n?")
_DROPPED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")
_PLAIN_TZID = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*")


def text(value: str) -> str:
    """Text an .ics may carry: CR and CRLF become LF; other controls but TAB are dropped.

    RFC 5545 TEXT excludes control characters, and strict parsers reject them; YAML
    escapes such as ``"\\a"`` can still bring them into titles and notes. U+FEFF goes too:
    icalendar drops it at the start of a value, so it would survive only by position.
    """
    return _DROPPED.sub("", _NEWLINE.sub("\n", value))


def escaped(value: str) -> str:
    """A TEXT value escaped exactly as icalendar's ``vText`` does (RFC 5545 3.3.11)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """A content line folded as icalendar folds it (RFC 5545 3.1): each piece at most
    ``limit`` - 1 octets, cut between characters, never right after a ``\\`` or ``^``
    that starts an escape (that character goes on to the next piece)."""
    if len(line) * 4 < limit:
        return line
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    pieces: list[bytes] = []
    start, most = 0, limit - 1
    while len(data) - start > most:
        cut = start + most
        while data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def serialised(lines: Sequence[str]) -> bytes:
    """Content lines folded, each ended by CRLF, as UTF-8: a file's or a block's bytes."""
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def when(name: str, value: dt.date) -> str:
    """A DTSTART/DTEND/DTSTAMP line: name and parameters (TZID, VALUE=DATE) as icalendar
    writes them for this zone and kind of value, then the value."""
    if isinstance(value, dt.datetime):
        prefix, suffix = _time_parts(name, value.tzinfo)
        v = value
        return (
            f"{prefix}{v.year:04d}{v.month:02d}{v.day:02d}"
            f"T{v.hour:02d}{v.minute:02d}{v.second:02d}{suffix}"
        )
    return f"{name};VALUE=DATE:{value.year:04d}{value.month:02d}{value.day:02d}"


@functools.cache
def _time_parts(name: str, zone: dt.tzinfo | None) -> tuple[str, str]:
    """What icalendar writes before and after the digits of a ``name`` date-time in
    ``zone`` (None: floating time)."""
    if zone is None:
        return f"{name}:", ""
    if zone is dt.UTC:
        return f"{name}:", "Z"
    key = getattr(zone, "key", None)
    if isinstance(key, str) and _PLAIN_TZID.fullmatch(key) and _never_utc(zone):
        return f"{name};TZID={key}:", ""
    return _probed_parts(name, zone)


def _never_utc(zone: dt.tzinfo) -> bool:
    """Whether ``zone`` is off UTC in winter or summer (icalendar writes some zones that
    keep UTC's offset, such as Etc/UTC, as UTC)."""
    return any(dt.datetime(2000, month, 1, tzinfo=zone).utcoffset() for month in (1, 7))


def _probed_parts(name: str, zone: dt.tzinfo) -> tuple[str, str]:
    """The parts of a ``name`` line in ``zone``, read off one line icalendar writes."""
    from icalendar import Event

    probe = Event()
    probe.add(name, dt.datetime(2000, 1, 2, 3, 4, 5, tzinfo=zone))
    line = str(next(ln for ln in probe.content_lines() if ln.startswith(name)))
    prefix, _, suffix = line.partition("20000102T030405")
    return prefix, suffix


def duration(value: dt.timedelta) -> str:
    """A DURATION value as icalendar's ``vDuration`` writes it (``-PT30M``, ``P1DT2H``)."""
    sign = ""
    if value.days < 0:
        sign = "-"
        value = -value
    time = ""
    if value.seconds:
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time = "T"
        if hours:
            time += f"{hours}H"
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
    if value.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{value.days}D{time}"


def utc_offset(value: dt.timedelta) -> str:
    """A UTC-OFFSET value as icalendar's ``vUTCOffset`` writes it (``+0800``, ``-0330``)."""
    sign = "-" if value < dt.timedelta(0) else "+"
    seconds = int(abs(value).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (
        f"{sign}{hours:02}{minutes:02}{seconds:02}" if seconds else f"{sign}{hours:02}{minutes:02}"
    )
